import { notFound } from '../errors';

/**
 * Pipelines of one object type. HubSpot's stage metadata values are strings (`{"isClosed":"true","probability":"1.0"}`).
 * Every portal starts with the deal pipeline `default` ("Sales Pipeline") and its seven stages; a portal with
 * leads set up has the lead pipeline `lead-pipeline-id` and its five stages (`DEFAULT_LEAD_PIPELINE`).
 */
export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  /** Deal stages carry `probability`; lead stages only `isClosed` (see DEFAULT_LEAD_PIPELINE). */
  metadata: { isClosed: 'true' | 'false'; probability?: string };
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

/** HubSpot's default deal stages with their default win probabilities. */
export const DEFAULT_DEAL_STAGES: ReadonlyArray<{ id: string; label: string; probability: string; isClosed: boolean }> = [
  { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: '0.2', isClosed: false },
  { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: '0.4', isClosed: false },
  { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: '0.6', isClosed: false },
  { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: '0.8', isClosed: false },
  { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: false },
  { id: 'closedwon', label: 'Closed Won', probability: '1.0', isClosed: true },
  { id: 'closedlost', label: 'Closed Lost', probability: '0.0', isClosed: true },
];

export interface PipelineInput {
  id?: string;
  label: string;
  displayOrder?: number;
  stages: Array<{ id?: string; label: string; displayOrder?: number; metadata: { isClosed: string; probability?: string } }>;
}

export const DEFAULT_DEAL_PIPELINE: PipelineInput = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: DEFAULT_DEAL_STAGES.map((s, index) => ({
    id: s.id,
    label: s.label,
    displayOrder: index,
    metadata: { isClosed: s.isClosed ? 'true' : 'false', probability: s.probability },
  })),
};

/**
 * The lead pipeline of a portal with leads set up: ids and labels as several independent portals show them
 * (shared platform doc §7; the ids are HubSpot's fixed string ids, custom stages get numeric ones). The
 * stage metadata HubSpot sends for lead stages is not documented; the sandbox sends `isClosed` only, true for
 * the two outcomes (UNCONFIRMED).
 */
export const DEFAULT_LEAD_PIPELINE: PipelineInput = {
  id: 'lead-pipeline-id',
  label: 'Lead pipeline',
  displayOrder: 0,
  stages: [
    { id: 'new-stage-id', label: 'New', metadata: { isClosed: 'false' } },
    { id: 'attempting-stage-id', label: 'Attempting', metadata: { isClosed: 'false' } },
    { id: 'connected-stage-id', label: 'Connected', metadata: { isClosed: 'false' } },
    { id: 'qualified-stage-id', label: 'Qualified', metadata: { isClosed: 'true' } },
    { id: 'unqualified-stage-id', label: 'Disqualified', metadata: { isClosed: 'true' } },
  ],
};

export class PipelineRegistry {
  private readonly pipelines = new Map<string, Pipeline>();
  private readonly listeners: Array<(stageIds: string[]) => void> = [];

  constructor(
    private readonly clock: () => number,
    initial: PipelineInput = DEFAULT_DEAL_PIPELINE,
  ) {
    this.add(initial);
  }

  /** Called with new stage ids so the schema can add their `hs_v2_date_entered_*` properties. */
  onStagesAdded(listener: (stageIds: string[]) => void): void {
    this.listeners.push(listener);
    listener(this.list().flatMap((p) => p.stages.map((s) => s.id)));
  }

  add(input: PipelineInput): Pipeline {
    const now = this.clock();
    const id = input.id ?? String(this.pipelines.size + 1000);
    const pipeline: Pipeline = {
      id,
      label: input.label,
      displayOrder: input.displayOrder ?? this.pipelines.size,
      createdAt: now,
      updatedAt: now,
      archived: false,
      stages: input.stages.map((s, index) => ({
        id: s.id ?? `${id}_${index}`,
        label: s.label,
        displayOrder: s.displayOrder ?? index,
        metadata: { isClosed: s.metadata.isClosed === 'true' ? 'true' : 'false', ...(s.metadata.probability !== undefined ? { probability: s.metadata.probability } : {}) },
        createdAt: now,
        updatedAt: now,
        archived: false,
      })),
    };
    this.pipelines.set(id, pipeline);
    for (const listener of this.listeners) listener(pipeline.stages.map((s) => s.id));
    return pipeline;
  }

  list(): Pipeline[] {
    return [...this.pipelines.values()].filter((p) => !p.archived);
  }

  get(id: string): Pipeline | undefined {
    const p = this.pipelines.get(id);
    return p && !p.archived ? p : undefined;
  }

  require(id: string): Pipeline {
    const p = this.get(id);
    if (!p) throw notFound(`Unable to find pipeline ${id}`, { context: { pipelineId: [id] } });
    return p;
  }

  stage(pipelineId: string, stageId: string): PipelineStage | undefined {
    return this.get(pipelineId)?.stages.find((s) => s.id === stageId);
  }

  /** The pipeline holding a stage id (stage ids are unique across a portal's deal pipelines). */
  pipelineOfStage(stageId: string): Pipeline | undefined {
    return this.list().find((p) => p.stages.some((s) => s.id === stageId));
  }

  isClosedWon(stage: PipelineStage): boolean {
    return stage.metadata.isClosed === 'true' && Number(stage.metadata.probability) >= 1;
  }
}

import type { PropertyValueError } from '../errors';
import type { ObjectType } from './object-types';
import { DEFAULT_LEAD_PIPELINE, type PipelineRegistry } from './pipelines';
import { REQUIRED_ON_CREATE, type PropertyOption } from './property-catalog';
import type { CrmRecord, Owner, WriteCheck } from './records';
import type { PropertySchema } from './schema';

/**
 * How the portal checks a write made through the API, and the property options that depend on its state
 * (owners, pipelines, stages). Pure functions of the portal's parts: portal.ts keeps the records.
 */

/** The parts of the portal a write check reads. */
export interface PortalParts {
  readonly portalId: number;
  readonly schema: PropertySchema;
  readonly pipelines: PipelineRegistry;
  readonly leadPipelines: PipelineRegistry;
  listOwners(): Owner[];
}

function problem(portalId: number, name: string, error: PropertyValueError['error'], message: string): PropertyValueError {
  return { isValid: false, message, error, name, localizedErrorMessage: message, portalId };
}

/** A stage outside its pipeline, in HubSpot's words for deal stages (the pipelines service answers leads' too). */
function stageProblem(portalId: number, property: string, stage: string, pipeline: { id: string; stages: ReadonlyArray<{ id: string }> }): PropertyValueError {
  return problem(portalId, property, 'INVALID_OPTION', `${stage} is not a valid pipeline stage ID. Valid options are: pipelineId=${pipeline.id} : [${pipeline.stages.map((s) => s.id).join(', ')}]`);
}

/**
 * Checks values written through the API: every property must exist, be writable and hold a valid value;
 * a deal's stage must belong to its pipeline, and a lead's to its lead pipeline. Returns the normalised
 * values and every problem found.
 */
export function checkWrite(portal: PortalParts, type: ObjectType, input: Record<string, unknown>, existing?: CrmRecord): WriteCheck {
  const values: Record<string, string> = {};
  const problems: PropertyValueError[] = [];
  for (const [name, raw] of Object.entries(input)) {
    // A stage is checked against its record's pipeline below, with HubSpot's own message.
    if (((type === 'deals' && name === 'dealstage') || (type === 'leads' && name === 'hs_pipeline_stage')) && raw !== null && raw !== undefined && raw !== '') {
      values[name] = String(raw);
      continue;
    }
    const result = portal.schema.normalise(type, name, raw);
    if ('problem' in result) problems.push(result.problem);
    else values[name] = result.value;
  }
  if (!existing) {
    for (const name of REQUIRED_ON_CREATE[type] ?? []) {
      if (!values[name] && !problems.some((p) => p.name === name)) problems.push(problem(portal.portalId, name, 'REQUIRED_PROPERTY', `Property "${name}" is required`));
    }
  }
  if (type === 'deals' && values.dealstage) {
    const pipeline = portal.pipelines.get(values.pipeline || existing?.properties.pipeline || 'default');
    if (pipeline && !pipeline.stages.some((s) => s.id === values.dealstage)) problems.push(stageProblem(portal.portalId, 'dealstage', values.dealstage, pipeline));
  }
  if (type === 'leads') checkLeadStage(portal, values, existing, problems);
  return { values, problems };
}

/**
 * A lead's stage must belong to its pipeline. A create without a pipeline or stage lands in the default
 * pipeline's first stage, as a lead created in HubSpot's UI does.
 */
function checkLeadStage(portal: PortalParts, values: Record<string, string>, existing: CrmRecord | undefined, problems: PropertyValueError[]): void {
  if (!existing) {
    values.hs_pipeline ||= DEFAULT_LEAD_PIPELINE.id as string;
    const first = portal.leadPipelines.get(values.hs_pipeline)?.stages[0];
    if (!values.hs_pipeline_stage && first) values.hs_pipeline_stage = first.id;
  }
  if (!values.hs_pipeline_stage) return;
  const pipeline = portal.leadPipelines.get(values.hs_pipeline || existing?.properties.hs_pipeline || (DEFAULT_LEAD_PIPELINE.id as string));
  if (pipeline && !pipeline.stages.some((s) => s.id === values.hs_pipeline_stage)) problems.push(stageProblem(portal.portalId, 'hs_pipeline_stage', values.hs_pipeline_stage, pipeline));
}

/** Options that come from the portal's state rather than the property's definition: owners, pipelines, stages. */
export function dynamicOptions(portal: PortalParts, type: ObjectType, name: string): PropertyOption[] | undefined {
  if (name === 'hubspot_owner_id') {
    return portal.listOwners().map((o, index) => ({ label: `${o.firstName} ${o.lastName}`, value: o.id, displayOrder: index, hidden: false }));
  }
  const registry = type === 'leads' ? portal.leadPipelines : type === 'deals' ? portal.pipelines : undefined;
  if (!registry) return undefined;
  const [pipelineProperty, stageProperty] = type === 'leads' ? ['hs_pipeline', 'hs_pipeline_stage'] : ['pipeline', 'dealstage'];
  if (name === pipelineProperty) return registry.list().map((p) => ({ label: p.label, value: p.id, displayOrder: p.displayOrder, hidden: false }));
  if (name === stageProperty) {
    return registry.list().flatMap((p) => p.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false, description: `pipelineId=${p.id}` })));
  }
  return undefined;
}

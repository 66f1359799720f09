import type {
  AssociatedRecord,
  BatchReadResult,
  CallCounts,
  CrmGateway,
  CrmObjectType,
  CrmRecord,
  DealPipeline,
  HistoryReadResult,
  LeadPipeline,
  PropertyDefinition,
  RecordCreate,
  RecordUpdate,
  SearchPage,
  WriteResult,
} from './types';

/**
 * A gateway that reads for real and writes nothing: `--dry-run`. Every update and create it is asked for is
 * kept, so the report can say what would change. Reads and the admin calls go to the real gateway; so does
 * `close`, which the dry run's owner calls like any gateway's (closing the real one twice is harmless).
 */
export class DryRunGateway implements CrmGateway {
  readonly wouldWrite = new Map<string, RecordUpdate[]>();
  wouldCreate = 0;

  constructor(private readonly real: CrmGateway & { close(): void }) {}

  async update(objectType: CrmObjectType, updates: RecordUpdate[]): Promise<WriteResult> {
    this.wouldWrite.set(objectType, [...(this.wouldWrite.get(objectType) ?? []), ...updates]);
    return { written: updates.map((u) => u.id), missing: [], rejected: [] };
  }

  async create(_objectType: CrmObjectType, inputs: RecordCreate[]): Promise<string[]> {
    this.wouldCreate += inputs.length;
    return inputs.map((_, i) => `dry-run-${this.wouldCreate - inputs.length + i}`);
  }

  read(objectType: CrmObjectType, ids: string[], properties: string[], propertiesWithHistory?: string[]): Promise<BatchReadResult> {
    return this.real.read(objectType, ids, properties, propertiesWithHistory);
  }
  readHistories(objectType: CrmObjectType, ids: string[], properties: string[]): Promise<HistoryReadResult> {
    return this.real.readHistories(objectType, ids, properties);
  }
  associations(from: CrmObjectType, to: CrmObjectType, ids: string[]): Promise<Map<string, AssociatedRecord[]>> {
    return this.real.associations(from, to, ids);
  }
  page(objectType: CrmObjectType, properties: string[], after?: string, limit?: number): Promise<{ records: CrmRecord[]; after?: string }> {
    return this.real.page(objectType, properties, after, limit);
  }
  search(...args: Parameters<CrmGateway['search']>): Promise<SearchPage> {
    return this.real.search(...args);
  }
  dealPipelines(options?: { refresh?: boolean }): Promise<DealPipeline[]> {
    return this.real.dealPipelines(options);
  }
  leadPipelines(): Promise<LeadPipeline[]> {
    return this.real.leadPipelines();
  }
  listProperties(objectType: CrmObjectType): Promise<PropertyDefinition[]> {
    return this.real.listProperties(objectType);
  }
  // The admin calls change the portal's schema, not its records: a dry run must not make them either.
  async createProperty(): Promise<void> {}
  async updateProperty(): Promise<void> {}
  async ensurePropertyGroup(): Promise<'created' | 'exists'> {
    return 'exists';
  }
  calls(): CallCounts {
    return this.real.calls();
  }
  close(): void {
    this.real.close();
  }
}

export function dryRunGateway(real: CrmGateway & { close(): void }): DryRunGateway {
  return new DryRunGateway(real);
}


import type { CrmGateway, CrmObjectType, RecordCreate, RecordUpdate, WriteResult } from './types';

/**
 * A gateway that reads for real and writes nothing: `--dry-run`. Every update it is asked for is kept,
 * so the report can say what would change.
 */
export function dryRunGateway(gateway: CrmGateway): CrmGateway & { wouldWrite: Map<string, RecordUpdate[]>; wouldCreate: number } {
  const wouldWrite = new Map<string, RecordUpdate[]>();
  const wrapper = Object.create(gateway) as CrmGateway & { wouldWrite: Map<string, RecordUpdate[]>; wouldCreate: number };
  wrapper.wouldWrite = wouldWrite;
  wrapper.wouldCreate = 0;
  wrapper.update = async (objectType: CrmObjectType, updates: RecordUpdate[]): Promise<WriteResult> => {
    wouldWrite.set(objectType, [...(wouldWrite.get(objectType) ?? []), ...updates]);
    return { written: updates.map((u) => u.id), missing: [], rejected: [] };
  };
  wrapper.create = async (_objectType: CrmObjectType, inputs: RecordCreate[]): Promise<string[]> => {
    wrapper.wouldCreate += inputs.length;
    return inputs.map((_, i) => `dry-run-${i}`);
  };
  // Bound methods of the real gateway for everything else (it uses private fields).
  for (const name of ['read', 'readHistories', 'associations', 'page', 'search', 'dealPipelines', 'listProperties', 'createProperty', 'updateProperty', 'ensurePropertyGroup', 'calls'] as const) {
    (wrapper as unknown as Record<string, unknown>)[name] = (gateway[name] as (...args: unknown[]) => unknown).bind(gateway);
  }
  return wrapper;
}

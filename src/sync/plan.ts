import type { CompiledDefinition } from '../definition';
import type { CrmGateway } from '../hubspot/types';
import type { Store, WorkMark } from '../store/types';
import type { SyncStore } from '../store/mirror-types';
import type { RecordCache } from './record-cache';

/** What one object type's planner returns to the engine: follow-up work, and units HubSpot rejected. */
export interface Plan {
  followUp: WorkMark[];
  rejected: Array<{ unitId: number; error: string }>;
}

/** What a planner works with: the engine's gateway, store, definition and record cache. */
export interface PlannerContext {
  gateway: CrmGateway;
  store: Store & SyncStore;
  definition: CompiledDefinition;
  cache: RecordCache;
  /** `uld replay`: figures derived from the replayed past replace those written before. */
  rewrite: boolean;
}

export function unique<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

import type { CrmGateway, CrmObjectType, RecordCreate, RecordUpdate, WriteResult } from '../src/hubspot/types';
import type { Store } from '../src/store/types';
import type { SyncEngine } from '../src/sync/engine';

/**
 * `backfill`: a new install starts with a portal full of history. Pages through every contact, company and
 * deal (100 per call), queues each page for the worker and lets the engine qualify and write back, block by
 * block. After each block the page cursor is saved, so a crash resumes at the next page: completed pages
 * are not read again, and a block that was queued but not finished is still in the durable queue. The
 * engine writes only values that differ from the record, so nothing is written twice.
 */

const TYPES: ReadonlyArray<{ objectType: CrmObjectType; unit: string }> = [
  { objectType: 'contacts', unit: 'contact' },
  { objectType: 'companies', unit: 'company' },
  { objectType: 'deals', unit: 'deal' },
];

/** Pages per block: 10 pages of 100 are one block of the engine's claims (1,000 units). */
const PAGES_PER_BLOCK = 10;

export interface BackfillProgress {
  objectType: CrmObjectType;
  records: number;
  pages: number;
  done: boolean;
}

export interface BackfillOptions {
  gateway: CrmGateway;
  store: Store;
  engine: SyncEngine;
  /** Called after every block, for a progress bar. */
  onProgress?: (p: BackfillProgress & { total: number }) => void;
  /** Stops after this many blocks (tests of resumption); the checkpoint stays where it is. */
  maxBlocks?: number;
}

export const backfillCheckpoint = (t: CrmObjectType) => `backfill:${t}`;

interface Checkpoint {
  after: string | null;
  records: number;
  pages: number;
  done: boolean;
}

export async function backfill(o: BackfillOptions): Promise<Record<string, number>> {
  const counts: Record<string, number> = { records: 0, pages: 0, resumed: 0 };
  let blocks = 0;
  let total = 0;
  for (const t of TYPES) {
    const saved = await o.store.getCheckpoint(backfillCheckpoint(t.objectType));
    const cp: Checkpoint = saved ? (JSON.parse(saved) as Checkpoint) : { after: null, records: 0, pages: 0, done: false };
    if (saved) counts.resumed++;
    // Whatever an interrupted run queued and did not finish is still in the queue: finish it first.
    await o.engine.drain();
    while (!cp.done) {
      if (o.maxBlocks !== undefined && blocks >= o.maxBlocks) return counts;
      for (let i = 0; i < PAGES_PER_BLOCK && !cp.done; i++) {
        const page = await o.gateway.page(t.objectType, ['hs_object_id'], cp.after ?? undefined, 100);
        await o.store.markDirty(page.records.map((r) => ({ objectType: t.unit, objectId: r.id, change: 'property_changed' as const, occurredAt: Date.now() })));
        cp.records += page.records.length;
        cp.pages++;
        counts.records += page.records.length;
        counts.pages++;
        cp.after = page.after ?? null;
        cp.done = !page.after;
      }
      await o.engine.drain();
      // Saved after the block is written back: a crash before this line re-reads at most this block's pages.
      await o.store.setCheckpoint(backfillCheckpoint(t.objectType), JSON.stringify(cp));
      blocks++;
      total = counts.records;
      o.onProgress?.({ objectType: t.objectType, records: cp.records, pages: cp.pages, done: cp.done, total });
    }
  }
  return counts;
}

/** Forgets the checkpoints, so the next backfill starts from the first page. */
export async function resetBackfill(store: Store): Promise<void> {
  for (const t of TYPES) await store.setCheckpoint(backfillCheckpoint(t.objectType), null);
}

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
  for (const name of ['read', 'associations', 'page', 'search', 'dealPipelines', 'listProperties', 'createProperty', 'updateProperty', 'ensurePropertyGroup', 'calls'] as const) {
    (wrapper as unknown as Record<string, unknown>)[name] = (gateway[name] as (...args: unknown[]) => unknown).bind(gateway);
  }
  return wrapper;
}

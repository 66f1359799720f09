import v8 from 'node:v8';
import type { CrmGateway, CrmObjectType, CrmRecord } from '../src/hubspot/types';
import type { Store } from '../src/store/types';
import type { PreloadType, SyncEngine, SyncObjectType } from '../src/sync/engine';
import { waitingOutRateLimits } from '../src/hubspot/rate-limit-wait';

/**
 * `backfill`: a new install starts with a portal full of history. Pages through every company, deal and
 * contact (100 per call) with the properties the engine reads, and hands each page to the engine
 * (`preload`), so no record is read twice: the page is the read.
 *
 * Order: companies and deals are paged first and only queued (the engine keeps their pages: a contact's fit
 * needs its company's properties, its conversion date its deals' creation), then contacts, block by block
 * (10 pages, one engine block of 1,000), each qualified and written back before the next; last the deals
 * (their figures need the contacts' creation dates) and the companies (their roll-ups count the contacts).
 *
 * After each block the page cursor is saved, so a crash resumes at the next page: completed pages are not
 * read again, and whatever was queued but not finished is still in the durable queue and is finished (a
 * restarted process has no pages in memory: the engine then reads what it needs, as it always can). The
 * engine writes only values that differ from the record, so nothing is written twice.
 */

const PHASES: ReadonlyArray<{ objectType: PreloadType; unit: SyncObjectType; work: boolean }> = [
  { objectType: 'companies', unit: 'company', work: false },
  { objectType: 'deals', unit: 'deal', work: false },
  { objectType: 'contacts', unit: 'contact', work: true },
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
  /** Stops at the next block boundary when aborted (Ctrl-C): the checkpoint holds, a later run resumes. */
  signal?: AbortSignal;
  /** Whose checkpoints: `backfill` (the default) or `replay` (`uld replay`), so neither resumes the other. */
  checkpoints?: CheckpointPrefix;
}

export type CheckpointPrefix = 'backfill' | 'replay';

/**
 * V8's old-space growth while a backfill runs, in percent over the live heap after a major collection.
 * By default V8 lets the heap grow to about 4 times what is live before the next major collection, and
 * a backfill's live heap is small (about 45 MB for 100,000 contacts) but it promotes a block's worth of
 * garbage every block: the heap then sits near 200 MB committed, and the HTTP bodies in Buffers, freed
 * only by major collections, add up to V8's 64 MB external limit on top. 50% keeps the heap near 1.5
 * times the live size at the cost of more (short: tens of ms) major collections, while a backfill waits
 * on the rate limit most of the time anyway. It is not a heap cap: a larger portal still gets the heap it
 * needs. V8 reads this flag at every collection; 0 (its default) restores the dynamic factor.
 */
const BACKFILL_HEAP_GROWING_PERCENT = 50;

export const backfillCheckpoint = (t: CrmObjectType, prefix: CheckpointPrefix = 'backfill') => `${prefix}:${t}`;

interface Checkpoint {
  after: string | null;
  records: number;
  pages: number;
  done: boolean;
}

interface Page {
  records: CrmRecord[];
  after?: string;
  readAt: number;
}

/** Up to one block of pages from `after` on. */
async function readBlock(gateway: CrmGateway, objectType: CrmObjectType, properties: string[], after: string | null): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor = after;
  for (let i = 0; i < PAGES_PER_BLOCK; i++) {
    // Asked for now: the page reflects every change until this moment, and its units say so.
    const readAt = Date.now();
    const page = await waitingOutRateLimits(() => gateway.page(objectType, properties, cursor ?? undefined, 100));
    pages.push({ ...page, readAt });
    if (!page.after) break;
    cursor = page.after;
  }
  return pages;
}

export async function backfill(o: BackfillOptions): Promise<Record<string, number>> {
  v8.setFlagsFromString(`--heap-growing-percent=${BACKFILL_HEAP_GROWING_PERCENT}`);
  try {
    return await run(o);
  } finally {
    v8.setFlagsFromString('--heap-growing-percent=0');
  }
}

async function run(o: BackfillOptions): Promise<Record<string, number>> {
  const counts: Record<string, number> = { records: 0, pages: 0, resumed: 0 };
  let blocks = 0;
  for (const t of PHASES) {
    const saved = await o.store.getCheckpoint(backfillCheckpoint(t.objectType, o.checkpoints));
    const cp: Checkpoint = saved ? (JSON.parse(saved) as Checkpoint) : { after: null, records: 0, pages: 0, done: false };
    if (saved) counts.resumed++;
    if (cp.done) continue;
    // Whatever an interrupted run queued and did not finish is still in the queue: finish it first.
    if (t.work) await o.engine.drain(undefined, [t.unit]);
    const properties = await o.engine.readProperties(t.objectType);
    // The next block's pages are read while the engine works this one (they are queued only after this
    // block's checkpoint, so a crash re-reads them, as before).
    let next: Promise<Page[]> | null = null;
    try {
      while (!cp.done) {
        if ((o.maxBlocks !== undefined && blocks >= o.maxBlocks) || o.signal?.aborted) return { ...counts, stopped: 1 };
        const pages = await (next ?? readBlock(o.gateway, t.objectType, properties, cp.after));
        next = null;
        for (const page of pages) {
          o.engine.preload(t.objectType, page.records, page.readAt);
          await o.store.markDirty(page.records.map((r) => ({ objectType: t.unit, objectId: r.id, change: 'property_changed' as const, occurredAt: page.readAt })));
          cp.records += page.records.length;
          cp.pages++;
          counts.records += page.records.length;
          counts.pages++;
          cp.after = page.after ?? null;
          cp.done = !page.after;
        }
        // Contacts are worked block by block; deals and companies wait in the queue for them (see above).
        if (t.work) {
          if (!cp.done && (o.maxBlocks === undefined || blocks + 1 < o.maxBlocks) && !o.signal?.aborted) {
            next = readBlock(o.gateway, t.objectType, properties, cp.after);
            // Its error, if any, is thrown where it is awaited (the next block), not as an unhandled rejection meanwhile.
            next.catch(() => undefined);
          }
          await o.engine.drain(undefined, [t.unit]);
        }
        // Saved after the block is queued (and, for contacts, written back): a crash before this line
        // re-reads at most this block's pages and the next.
        await o.store.setCheckpoint(backfillCheckpoint(t.objectType, o.checkpoints), JSON.stringify(cp));
        blocks++;
        o.onProgress?.({ objectType: t.objectType, records: cp.records, pages: cp.pages, done: cp.done, total: counts.records });
      }
    } finally {
      // A read ahead that is no longer wanted (an error, maxBlocks) must not outlive the run.
      if (next) await (next as Promise<Page[]>).catch(() => undefined);
    }
  }
  // The deals, then the companies (the engine's round order), and any follow-up work.
  await o.engine.drain();
  return counts;
}

/** Forgets the checkpoints, so the next backfill starts from the first page. */
export async function resetBackfill(store: Store, prefix: CheckpointPrefix = 'backfill'): Promise<void> {
  for (const t of PHASES) await store.setCheckpoint(backfillCheckpoint(t.objectType, prefix), null);
}


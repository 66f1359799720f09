import type { CrmGateway, CrmObjectType, SearchFilter } from '../src/hubspot/types';
import type { LeadHandOffs } from '../src/sync/lead-hand-off';
import type { Store, WorkMark } from '../src/store/types';
import { waitingOutRateLimits } from '../src/hubspot/rate-limit-wait';
import { readTime } from '../src/hubspot/records';

/**
 * `reconcile`: what the webhooks missed. HubSpot gives up on a delivery after a day of retries, and an
 * outage of ours can outlast that; the search API still knows what changed. Searches every object type
 * for records modified since the checkpoint (minus an overlap, because search is eventually consistent),
 * in time windows small enough to stay under search's 10,000-result cap, and queues them. The worker then
 * writes only what really changed, so re-queueing a record that was fine costs reads, never writes.
 */

/** HubSpot's search refuses paging past 10,000 results (a 400): a window must hold fewer. */
export const SEARCH_RESULT_CAP = 10_000;

interface ReconciledType {
  objectType: CrmObjectType;
  unit: string;
  modified: string;
  /** Filters besides the time window (a Lead matters only in a verdict stage). */
  filters?: SearchFilter[];
}

const TYPES: ReadonlyArray<ReconciledType> = [
  { objectType: 'contacts', unit: 'contact', modified: 'lastmodifieddate' },
  { objectType: 'companies', unit: 'company', modified: 'hs_lastmodifieddate' },
  { objectType: 'deals', unit: 'deal', modified: 'hs_lastmodifieddate' },
];

export interface ReconcileOptions {
  gateway: CrmGateway;
  store: Store;
  now: number;
  overlapMs: number;
  /** Where a first run starts when there is no checkpoint (default: one day back). */
  firstRunFromMs?: number;
  /**
   * HANDOFF_MODE=lead: hand-off Leads whose create was unclear are found or created (`resolvePending`), and
   * Leads moved into a verdict stage since the checkpoint are queued, in case their webhook was lost.
   */
  leads?: { handOffs: LeadHandOffs; verdictStages: readonly string[] };
}

export interface ReconcileCounts {
  [k: string]: number;
  found: number;
  /** Found, but last changed by our own write-back: not queued. */
  ownWrites: number;
  queued: number;
  windows: number;
  searches: number;
}

export const checkpointName = (objectType: CrmObjectType) => `reconcile:${objectType}`;

export async function reconcile(o: ReconcileOptions): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = { found: 0, ownWrites: 0, queued: 0, windows: 0, searches: 0 };
  const types: ReconciledType[] = [...TYPES];
  if (o.leads) {
    const resolved = await o.leads.handOffs.resolvePending(o.now);
    counts.leadHandOffsFound = resolved.found;
    counts.leadHandOffsCreated = resolved.created;
    // Only a Lead in a verdict stage can carry a verdict; the engine reads it and skips Leads not ours.
    types.push({ objectType: 'leads', unit: 'lead', modified: 'hs_lastmodifieddate', filters: [{ propertyName: 'hs_pipeline_stage', operator: 'IN', values: [...o.leads.verdictStages] }] });
  }
  for (const t of types) {
    const saved = await o.store.getCheckpoint(checkpointName(t.objectType));
    const from = saved !== null ? Number(saved) - o.overlapMs : (o.firstRunFromMs ?? o.now - 86_400_000);
    await reconcileWindow(o, t, Math.max(0, from), o.now, counts);
    // The checkpoint moves only after the whole range is queued: a crash re-searches it, never skips it.
    await o.store.setCheckpoint(checkpointName(t.objectType), String(o.now));
  }
  return counts;
}

async function reconcileWindow(o: ReconcileOptions, t: ReconciledType, from: number, to: number, counts: ReconcileCounts): Promise<void> {
  const filters: SearchFilter[] = [{ propertyName: t.modified, operator: 'BETWEEN', value: String(from), highValue: String(to) }, ...(t.filters ?? [])];
  const sort = { propertyName: t.modified, direction: 'ASCENDING' as const };
  let page = await waitingOutRateLimits(() => o.gateway.search(t.objectType, filters, [t.modified], { limit: 200, sort }));
  counts.searches++;
  if (page.total >= SEARCH_RESULT_CAP && to - from > 1) {
    // Too many for one query: split the window in halves until each fits. Both halves include the middle
    // millisecond's neighbours exactly once (BETWEEN is inclusive): [from, mid] and [mid + 1, to].
    const mid = Math.floor((from + to) / 2);
    await reconcileWindow(o, t, from, mid, counts);
    await reconcileWindow(o, t, mid + 1, to, counts);
    return;
  }
  counts.windows++;
  for (;;) {
    counts.found += page.records.length;
    // Our own write-back moves the modification date too: a record whose last change is no later than our
    // last write to it was changed by us, and re-reading it would cost calls to learn nothing. Two cases
    // slip through, both needing a lost webhook as well: a change made between our read and our write (our
    // write's date covers it), and, when our clock runs ahead of HubSpot's, a change within that skew after
    // our write. docs/jobs.md says so. A write HubSpot rejected counts too (a 2026-09 validation rule, say):
    // it changed nothing, so the record's date is still that of the change we worked, and queueing it
    // again would only send the same write to the same rejection. A later change does queue it.
    const written = page.records.length > 0 ? await o.store.lastWrittenAt(t.objectType, page.records.map((r) => r.id), { includeRejected: true }) : new Map<string, number>();
    const changed = page.records.filter((r) => {
      const ours = written.get(r.id);
      const modified = readTime(r.properties[t.modified]);
      return ours === undefined || modified === null || modified > ours;
    });
    counts.ownWrites += page.records.length - changed.length;
    const marks: WorkMark[] = changed.map((r) => ({ objectType: t.unit, objectId: r.id, change: 'property_changed', occurredAt: o.now }));
    if (marks.length > 0) counts.queued += await o.store.markDirty(marks);
    if (!page.after) return;
    const after = page.after;
    page = await waitingOutRateLimits(() => o.gateway.search(t.objectType, filters, [t.modified], { limit: 200, sort, after }));
    counts.searches++;
  }
}

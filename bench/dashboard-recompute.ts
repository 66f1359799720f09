import { CYCLE_BUCKETS, type DashboardFigures } from '../src/dashboard';
import { versionSpan } from '../src/dashboard/derive';
import { STATUSES, type LeadStatus } from '../src/definition/types';
import { computeMetrics, computeMetricsForPeriod, DEFAULT_PERIOD_DAYS, headerFigures, inPeriod, lastDays, periodBounds, salesCycleDaysOf, snapshotOf, type Metrics, type Period } from '../src/metrics';
import type { Store } from '../src/store';
import type { MirrorContact } from '../src/store/mirror-types';

/**
 * The dashboard bench's baseline: what a stale view cost before the figures moved off the request path and
 * before they streamed (issue 16): the whole mirror and the audit log's firsts read into memory
 * (listMirror), computeMetrics over the arrays, the header and the dashboard's own views from the same
 * arrays, all in one piece on the calling thread. It is readFigures as it was then (src/dashboard/derive.ts
 * before it streamed), kept here, not in the product, because only the bench measures against it; the bench
 * checks that it gives the product's figures, so the two are the same work done two ways.
 */

const RECENT = 25;

function newestFirst(a: MirrorContact, b: MirrorContact): number {
  return b.evaluatedAt - a.evaluatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export async function recomputeInMemory(store: Store, now: number, slaHours: number, period: Period | null): Promise<DashboardFigures> {
  const mirror = await store.listMirror();
  const input = { ...mirror, accounts: await store.listAccounts(), now, slaHours };
  let metrics: Metrics;
  if (period === null) metrics = computeMetrics(input);
  else {
    const { period: _period, ...figures } = computeMetricsForPeriod(input, period);
    metrics = figures;
  }
  const snapshot = snapshotOf(metrics, now);
  const header = headerFigures({ ...mirror, now }, period ?? lastDays(DEFAULT_PERIOD_DAYS, now));
  const bounds = period === null ? null : periodBounds(period);
  const createdInPeriod = (createdAt: number | null) => bounds === null || inPeriod(createdAt, bounds);
  const allLive = mirror.contacts.filter((c) => !c.deleted);
  const live = allLive.filter((c) => createdInPeriod(c.createdAt));

  const statusNow = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;
  for (const c of live) statusNow[c.status] = (statusNow[c.status] ?? 0) + 1;

  const cycleHistogram = CYCLE_BUCKETS.map(() => 0);
  for (const deal of mirror.deals) {
    if (deal.deleted || !createdInPeriod(deal.createdAt)) continue;
    const days = salesCycleDaysOf(deal);
    if (days === null) continue;
    cycleHistogram[CYCLE_BUCKETS.findIndex((b) => days <= b.maxDays)]++;
  }

  const newest = allLive.reduce<MirrorContact | null>((best, c) => (best === null || newestFirst(c, best) < 0 ? c : best), null);
  const current = newest?.definitionVersion ?? null;
  const { previous, since } = await versionSpan(store, current);
  return {
    period,
    snapshot,
    header,
    statusNow,
    cycleHistogram,
    versions: { current, previous, currentSince: since },
    contactsBeforeVersion: since === null ? [] : live.filter((c) => c.createdAt !== null && c.createdAt < since).map((c) => c.id),
    recentlyEvaluated: [...allLive].sort(newestFirst).slice(0, RECENT).map((c) => c.id),
  };
}

import { STATUSES, type LeadStatus } from '../definition/types';
import { computeMetrics, computeMetricsForPeriod, DEFAULT_PERIOD_DAYS, headerFigures, inPeriod, lastDays, periodBounds, salesCycleDaysOf, snapshotOf, type Metrics, type MetricsSnapshot, type Period, type PeriodHeader } from '../metrics';
import type { Store } from '../store';
import type { MirrorContact } from '../store/mirror-types';

/**
 * What the dashboard shows, read from the mirror: the metrics job's figures (computeMetrics, the same
 * function and inputs as jobs/metrics.ts) plus the few views the figures do not keep, such as the
 * distribution behind the sales-cycle mean and the current status of every lead.
 */

/** Sales-cycle buckets in days, upper bounds inclusive; the last is open-ended. */
export const CYCLE_BUCKETS: ReadonlyArray<{ label: string; maxDays: number }> = [
  { label: '0-7 days', maxDays: 7 },
  { label: '8-14 days', maxDays: 14 },
  { label: '15-30 days', maxDays: 30 },
  { label: '31-60 days', maxDays: 60 },
  { label: '61-90 days', maxDays: 90 },
  { label: '91-180 days', maxDays: 180 },
  { label: '181-365 days', maxDays: 365 },
  { label: 'over 365 days', maxDays: Infinity },
];

export interface DefinitionVersions {
  /** The version that decided the most recently evaluated lead. */
  current: string | null;
  /** The latest other version in the audit log; null when the log knows only one. */
  previous: string | null;
  /** When the mirror's audit log first shows a decision under the current version (epoch ms). */
  currentSince: number | null;
}

export interface DashboardFigures {
  /** The period the figures are for: the snapshot counts the records created in it; null: every record. */
  period: Period | null;
  /** computeMetrics over the records created in the period (as `uld report --from --to`), or over every record. */
  snapshot: MetricsSnapshot;
  /** The header: the figures the domain doc names, for the period (the default one for every record) beside the previous one (as `uld report`'s). */
  header: PeriodHeader;
  /** Live contacts created in the period, by current status, every status listed. */
  statusNow: Record<LeadStatus, number>;
  /** Closed deals created in the period by sales-cycle length, in CYCLE_BUCKETS order. */
  cycleHistogram: number[];
  versions: DefinitionVersions;
  /** Live contacts created in the period and before `versions.currentSince`: the leads whose status "then" is asked for. */
  contactsBeforeVersion: string[];
  /** The most recently evaluated live contacts, newest first, for the decisions page (whatever the period). */
  recentlyEvaluated: string[];
}

const RECENT = 25;

function newestFirst(a: MirrorContact, b: MirrorContact): number {
  return b.evaluatedAt - a.evaluatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** The figures as a snapshot keeps them: the period is the page's to say, not a field of the snapshot. */
function withoutPeriod({ period: _period, ...metrics }: Metrics & { period: Period }): Metrics {
  return metrics;
}

/**
 * Reads the mirror once and derives every figure the pages show for the period; with no period (null), over
 * every record, as the metrics job computes them (`/api/metrics/snapshot`).
 */
export async function readFigures(store: Store, now: number, slaHours: number, period: Period | null): Promise<DashboardFigures> {
  const [mirror, accounts] = await Promise.all([store.listMirror(), store.listAccounts()]);
  const input = { ...mirror, accounts, now, slaHours };
  const metrics: Metrics = period === null ? computeMetrics(input) : withoutPeriod(computeMetricsForPeriod(input, period));
  const snapshot = snapshotOf(metrics, now);
  const header = headerFigures({ ...mirror, now }, period ?? lastDays(DEFAULT_PERIOD_DAYS, now));
  const bounds = period === null ? null : periodBounds(period);
  const createdInPeriod = (createdAt: number | null) => bounds === null || inPeriod(createdAt, bounds);
  const allLive = mirror.contacts.filter((c) => !c.deleted);
  const live = allLive.filter((c) => createdInPeriod(c.createdAt));

  const statusNow = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;
  for (const c of live) statusNow[c.status] = (statusNow[c.status] ?? 0) + 1;

  // Each closed deal's cycle length is the metrics' own per-deal sample (salesCycleDaysOf, the function
  // behind salesCycleDays), so the histogram cannot disagree with the mean and median next to it (same
  // samples, same exclusions), computed once per deal instead of a whole computeMetrics per deal.
  const cycleHistogram = CYCLE_BUCKETS.map(() => 0);
  for (const deal of mirror.deals) {
    if (deal.deleted || !createdInPeriod(deal.createdAt)) continue;
    const days = salesCycleDaysOf(deal);
    if (days === null) continue;
    cycleHistogram[CYCLE_BUCKETS.findIndex((b) => days <= b.maxDays)]++;
  }

  const newest = allLive.reduce<MirrorContact | null>((best, c) => (best === null || newestFirst(c, best) < 0 ? c : best), null);
  const current = newest?.definitionVersion ?? null;
  // From the whole audit log, not the mirror's firsts: a release that moves nobody into a status they never
  // had still re-decides every lead under the new version.
  const versions = await store.definitionVersions();
  const currentSince = versions.find((v) => v.version === current)?.firstAt ?? null;
  const previous = versions.filter((v) => v.version !== current).reduce<(typeof versions)[number] | null>((best, v) => (best === null || v.lastAt > best.lastAt ? v : best), null);
  const since = previous === null ? null : currentSince;
  return {
    period,
    snapshot,
    header,
    statusNow,
    cycleHistogram,
    versions: { current, previous: previous?.version ?? null, currentSince: since },
    contactsBeforeVersion: since === null ? [] : live.filter((c) => c.createdAt !== null && c.createdAt < since).map((c) => c.id),
    recentlyEvaluated: [...allLive].sort(newestFirst).slice(0, RECENT).map((c) => c.id),
  };
}

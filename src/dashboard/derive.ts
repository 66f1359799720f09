import { STATUSES, type LeadStatus } from '../definition/types';
import { accountFigures, streamContacts } from '../figures-worker/streamed';
import { DEFAULT_PERIOD_DAYS, finishForPeriod, HeaderTally, inPeriod, lastDays, MetricsFold, periodBounds, salesCycleDaysOf, snapshotOf, type Metrics, type MetricsSnapshot, type Period, type PeriodHeader } from '../metrics';
import type { Store } from '../store';
import type { MetricsContact } from '../store/mirror-types';

/**
 * What the dashboard shows, read from the mirror: the metrics job's figures (the metrics fold, the same
 * code and inputs as jobs/metrics.ts) plus the few views the figures do not keep, such as the
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

function newestFirst(a: Pick<MetricsContact, 'id' | 'evaluatedAt'>, b: Pick<MetricsContact, 'id' | 'evaluatedAt'>): number {
  return b.evaluatedAt - a.evaluatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** The figures as a snapshot keeps them: the period is the page's to say, not a field of the snapshot. */
function withoutPeriod({ period: _period, ...metrics }: Metrics & { period: Period }): Metrics {
  return metrics;
}

/** Keeps the RECENT most recently evaluated of the contacts offered, newest first. */
function keepRecent(recent: MetricsContact[], c: MetricsContact): void {
  if (recent.length === RECENT && newestFirst(c, recent[RECENT - 1]) >= 0) return;
  let i = recent.length;
  while (i > 0 && newestFirst(c, recent[i - 1]) < 0) i--;
  recent.splice(i, 0, c);
  if (recent.length > RECENT) recent.pop();
}

/**
 * Reads the mirror once, streamed (the deals at once, then the contacts a page at a time with their first
 * decisions: src/figures-worker/streamed.ts), and derives every figure the pages show for the period; with
 * no period (null), over every record, as the metrics job computes them (`/api/metrics/snapshot`).
 */
export async function readFigures(store: Store, now: number, slaHours: number, period: Period | null): Promise<DashboardFigures> {
  const deals = await store.listDeals();
  const bounds = period === null ? null : periodBounds(period);
  const createdInPeriod = (createdAt: number | null) => bounds === null || inPeriod(createdAt, bounds);
  const fold = new MetricsFold({ deals, now, slaHours, ...(bounds === null ? {} : { since: bounds.start, until: bounds.end }) });
  const header = new HeaderTally(deals, period ?? lastDays(DEFAULT_PERIOD_DAYS, now), now);
  const statusNow = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;
  const recent: MetricsContact[] = [];
  // Live contacts created in the period, with a created date: those before the current version are asked
  // for their status then, once the version is known (after the read).
  const dated: Array<{ id: string; createdAt: number }> = [];
  await streamContacts(store, fold, ({ contact: c }) => {
    header.add(c);
    if (c.deleted) return;
    keepRecent(recent, c);
    if (!createdInPeriod(c.createdAt)) return;
    statusNow[c.status] = (statusNow[c.status] ?? 0) + 1;
    if (c.createdAt !== null) dated.push({ id: c.id, createdAt: c.createdAt });
  });
  const figures: Metrics = period === null ? fold.finish() : withoutPeriod(finishForPeriod(fold, period));
  const metrics: Metrics = { ...figures, accounts: await accountFigures(store, now, bounds ?? {}) };
  const snapshot = snapshotOf(metrics, now);

  // Each closed deal's cycle length is the metrics' own per-deal sample (salesCycleDaysOf, the function
  // behind salesCycleDays), so the histogram cannot disagree with the mean and median next to it (same
  // samples, same exclusions), computed once per deal instead of a whole computeMetrics per deal.
  const cycleHistogram = CYCLE_BUCKETS.map(() => 0);
  for (const deal of deals) {
    if (deal.deleted || !createdInPeriod(deal.createdAt)) continue;
    const days = salesCycleDaysOf(deal);
    if (days === null) continue;
    cycleHistogram[CYCLE_BUCKETS.findIndex((b) => days <= b.maxDays)]++;
  }

  const current = recent[0]?.definitionVersion ?? null;
  const { previous, since } = await versionSpan(store, current);
  return {
    period,
    snapshot,
    header: header.finish(),
    statusNow,
    cycleHistogram,
    versions: { current, previous, currentSince: since },
    contactsBeforeVersion: since === null ? [] : dated.filter((c) => c.createdAt < since).map((c) => c.id),
    recentlyEvaluated: recent.map((c) => c.id),
  };
}

/**
 * The version before the running one, and since when the running one decides (null when there was none
 * before it). From the whole audit log, not the mirror's firsts: a release that moves nobody into a status
 * they never had still re-decides every lead under the new version.
 */
export async function versionSpan(store: Pick<Store, 'definitionVersions'>, current: string | null): Promise<{ previous: string | null; since: number | null }> {
  const versions = await store.definitionVersions();
  const currentSince = versions.find((v) => v.version === current)?.firstAt ?? null;
  const previous = versions.filter((v) => v.version !== current).reduce<(typeof versions)[number] | null>((best, v) => (best === null || v.lastAt > best.lastAt ? v : best), null);
  return { previous: previous?.version ?? null, since: previous === null ? null : currentSince };
}

import type { MetricsDeal } from '../store/mirror-types';
import { DAY_MS, ratio, summarize, type Summary } from './stats';
import type { DealFigures } from './types';

/**
 * The figures of a set of deals (the deals hold no per-contact state, so the metrics keep them in memory
 * even at a million contacts and compute these over arrays): docs/metrics.md states each one.
 */

/**
 * One deal's sales-cycle length in days (close date - create date), or null when it is no sample: open, a
 * date missing, or closed before it was created. The one definition behind `salesCycleDays`, exported so a
 * per-deal view (the dashboard's distribution) counts exactly the samples of the mean and median.
 */
export function salesCycleDaysOf(d: Pick<MetricsDeal, 'closed' | 'createdAt' | 'closedAt'>): number | null {
  if (!d.closed || d.createdAt === null || d.closedAt === null || d.closedAt < d.createdAt) return null;
  return (d.closedAt - d.createdAt) / DAY_MS;
}

/**
 * Over a set of closed deals: the won ones, win rate, average won amount and sales-cycle length. The one
 * definition behind the report's deal figures and the dashboard header's (docs/metrics.md).
 */
export function closedDealFigures(closed: readonly MetricsDeal[]): { won: MetricsDeal[]; winRate: number | null; averageDealSize: number | null; wonAmount: number; salesCycleDays: Summary } {
  const won = closed.filter((d) => d.won);
  const wonAmounts = won.map((d) => d.amount).filter((a): a is number => a !== null);
  const cycles = closed.map(salesCycleDaysOf).filter((days): days is number => days !== null);
  const wonAmount = wonAmounts.reduce((s, a) => s + a, 0);
  return { won, winRate: ratio(won.length, closed.length), averageDealSize: wonAmounts.length === 0 ? null : wonAmount / wonAmounts.length, wonAmount, salesCycleDays: summarize(cycles) };
}

/** open deals x average deal size x win rate / mean sales-cycle length: revenue per day; null when a factor is unknown or the cycle is 0 days (a division by zero is not a speed). */
export function pipelineVelocity(open: number, f: { averageDealSize: number | null; winRate: number | null; salesCycleDays: Summary }): number | null {
  const cycle = f.salesCycleDays.mean;
  return f.winRate === null || f.averageDealSize === null || cycle === null || cycle === 0 ? null : (open * f.averageDealSize * f.winRate) / cycle;
}

export function dealFiguresOf(deals: readonly MetricsDeal[], now: number): DealFigures {
  const open = deals.filter((d) => !d.closed);
  const closed = deals.filter((d) => d.closed);
  const c = closedDealFigures(closed);
  const ages: number[] = [];
  for (const d of open) if (d.createdAt !== null && now >= d.createdAt) ages.push((now - d.createdAt) / DAY_MS);
  return {
    deals: deals.length,
    open: open.length,
    closed: closed.length,
    won: c.won.length,
    lost: closed.length - c.won.length,
    winRate: c.winRate,
    averageDealSize: c.averageDealSize,
    wonAmount: c.wonAmount,
    openAmount: open.reduce((s, d) => s + (d.amount ?? 0), 0),
    salesCycleDays: c.salesCycleDays,
    openAgeDays: summarize(ages),
    pipelineVelocityPerDay: pipelineVelocity(open.length, c),
  };
}

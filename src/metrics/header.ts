import type { MirrorContact, MetricsDeal } from '../store/mirror-types';
import { closedDealFigures, pipelineVelocity } from './compute';
import { inPeriod, periodBounds, periodDays, previousPeriod, type Period } from './period';
import { qualifiedPipelineOf } from './pipeline';
import { ratio, type Summary } from './stats';
import type { QualifiedPipelineFigures } from './types';

/**
 * The figures the shared domain doc says both teams are measured on, for one period beside the previous
 * period of the same length: the dashboard's header and `uld report`'s header section. Pure (no store, no
 * clock; `now` is a parameter). What "in the period" means differs by figure and is fixed here, one rule per
 * figure (docs/metrics.md, "Header figures"):
 * - lead-to-opportunity: the leads **created** in the period (a created-date cohort, as the doc asks), and
 *   which of them got an associated deal by now;
 * - qualified pipeline created: the deals **created** in the period;
 * - average deal size, win rate and sales-cycle length: the deals **closed** in the period;
 * - pipeline velocity: the deals **open at the period's end** (or at `now`, if earlier), with the period's
 *   average deal size, win rate and mean sales-cycle length.
 */

/** The header figures of one period. Field names are stable: `uld report --format json` prints them. */
export interface PeriodFigures {
  from: string;
  to: string;
  days: number;
  /** Live contacts created in the period. */
  leads: number;
  /** Of them, those that reached the opportunity stage (a live associated deal, or `convertedAt`), as of now. */
  leadsWithDeal: number;
  /** leadsWithDeal / leads; null with no lead. */
  leadToOpportunityRate: number | null;
  /** Over the live deals created in the period. */
  qualifiedPipeline: QualifiedPipelineFigures;
  /** Live deals closed (won or lost) in the period, by their close date. */
  closedDeals: number;
  wonDeals: number;
  /** wonDeals / closedDeals; null with no deal closed in the period. */
  winRate: number | null;
  /** Mean amount of the deals won in the period (those with an amount); null with none. */
  averageDealSize: number | null;
  /** Days from create to close of the deals closed in the period. */
  salesCycleDays: Summary;
  /** Live deals open at the period's end (or `now`, if earlier): created by then, not closed by then. */
  openDealsAtEnd: number;
  /** openDealsAtEnd x averageDealSize x winRate / salesCycleDays.mean; null when a factor is unknown or the cycle is 0. */
  pipelineVelocityPerDay: number | null;
}

/** The header's figures as a reader compares them: this period's value, the previous period's, the difference. */
export const HEADER_FIGURES = [
  { key: 'leadToOpportunityRate', label: 'Lead-to-opportunity rate', kind: 'rate', of: (p: PeriodFigures) => p.leadToOpportunityRate, scope: 'leads created in the period that got a deal' },
  { key: 'qualifiedPipelineDeals', label: 'Qualified pipeline created, deals', kind: 'count', of: (p: PeriodFigures) => p.qualifiedPipeline.qualified, scope: 'deals created in the period from a qualified lead' },
  { key: 'qualifiedPipelineAmount', label: 'Qualified pipeline created, amount', kind: 'money', of: (p: PeriodFigures) => p.qualifiedPipeline.qualifiedAmount, scope: 'their amounts' },
  { key: 'averageDealSize', label: 'Average deal size', kind: 'money', of: (p: PeriodFigures) => p.averageDealSize, scope: 'deals won in the period' },
  { key: 'salesCycleDays', label: 'Sales-cycle length, mean days', kind: 'days', of: (p: PeriodFigures) => p.salesCycleDays.mean, scope: 'deals closed in the period' },
  { key: 'pipelineVelocityPerDay', label: 'Pipeline velocity per day', kind: 'money', of: (p: PeriodFigures) => p.pipelineVelocityPerDay, scope: 'deals open at the period end x size x win rate / cycle' },
] as const;
export type HeaderFigureKey = (typeof HEADER_FIGURES)[number]['key'];

export interface Comparison {
  current: number | null;
  previous: number | null;
  /** current - previous (a rate's in fractions, not percent); null when either is unknown. */
  change: number | null;
}

export interface PeriodHeader {
  period: PeriodFigures;
  previous: PeriodFigures;
  /** Each header figure, this period beside the previous one. */
  compare: Record<HeaderFigureKey, Comparison>;
}

export interface HeaderInput {
  contacts: readonly MirrorContact[];
  deals: readonly MetricsDeal[];
  now: number;
}

/** The contact half of a period's figures, counted contact by contact (HeaderTally). */
interface LeadCounts {
  leads: number;
  leadsWithDeal: number;
}

function periodFigures(period: Period, { leads, leadsWithDeal }: LeadCounts, deals: readonly MetricsDeal[], now: number): PeriodFigures {
  const bounds = periodBounds(period);
  const closed = deals.filter((d) => d.closed && inPeriod(d.closedAt, bounds));
  const c = closedDealFigures(closed);
  // Open at the end: created by then and not closed by then. A deal without a create date is in no period.
  const asOf = Math.min(bounds.end, now);
  const openAtEnd = deals.filter((d) => d.createdAt !== null && d.createdAt < asOf && (!d.closed || (d.closedAt !== null && d.closedAt >= asOf))).length;
  return {
    from: period.from,
    to: period.to,
    days: periodDays(period),
    leads,
    leadsWithDeal,
    leadToOpportunityRate: ratio(leadsWithDeal, leads),
    qualifiedPipeline: qualifiedPipelineOf(deals.filter((d) => inPeriod(d.createdAt, bounds))),
    closedDeals: closed.length,
    wonDeals: c.won.length,
    winRate: c.winRate,
    averageDealSize: c.averageDealSize,
    salesCycleDays: c.salesCycleDays,
    openDealsAtEnd: openAtEnd,
    // The formula of docs/metrics.md's pipeline velocity, its factors taken in the period.
    pipelineVelocityPerDay: pipelineVelocity(openAtEnd, c),
  };
}

/**
 * The header as a fold: the deals up front, then the contacts one at a time (in any order), so the dashboard
 * counts the leads of a million-contact mirror as it streams them; headerFigures folds arrays the same way.
 */
export class HeaderTally {
  private readonly deals: MetricsDeal[];
  /** Contacts a live deal is associated with: they reached opportunity (the funnel's opportunity stage). */
  private readonly withDeal = new Set<string>();
  private readonly periods: Array<{ period: Period; bounds: { start: number; end: number }; counts: LeadCounts }>;

  constructor(
    deals: readonly MetricsDeal[],
    period: Period,
    private readonly now: number,
  ) {
    // Deleted and merged-away records count nowhere, as in every other figure.
    this.deals = deals.filter((d) => !d.deleted);
    for (const d of this.deals) for (const id of d.contactIds) this.withDeal.add(id);
    this.periods = [period, previousPeriod(period)].map((p) => ({ period: p, bounds: periodBounds(p), counts: { leads: 0, leadsWithDeal: 0 } }));
  }

  add(c: Pick<MirrorContact, 'id' | 'createdAt' | 'convertedAt' | 'deleted'>): void {
    if (c.deleted) return;
    for (const { bounds, counts } of this.periods) {
      if (!inPeriod(c.createdAt, bounds)) continue;
      counts.leads++;
      if (c.convertedAt !== null || this.withDeal.has(c.id)) counts.leadsWithDeal++;
    }
  }

  finish(): PeriodHeader {
    const [current, previous] = this.periods.map((p) => periodFigures(p.period, p.counts, this.deals, this.now));
    return compared(current, previous);
  }
}

/** The header of `period` beside the previous period of the same length, from the live records of the mirror. */
export function headerFigures(input: HeaderInput, period: Period): PeriodHeader {
  const tally = new HeaderTally(input.deals, period, input.now);
  for (const c of input.contacts) tally.add(c);
  return tally.finish();
}

function compared(current: PeriodFigures, previous: PeriodFigures): PeriodHeader {
  const compare = Object.fromEntries(
    HEADER_FIGURES.map((f) => {
      const c = f.of(current);
      const p = f.of(previous);
      return [f.key, { current: c, previous: p, change: c === null || p === null ? null : c - p }];
    }),
  ) as Record<HeaderFigureKey, Comparison>;
  return { period: current, previous, compare };
}

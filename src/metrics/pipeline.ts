import type { MetricsDeal } from '../store/mirror-types';
import { monthOf, monthsBetween, ratio } from './stats';
import { NONE, QUALIFIED_STATUSES, type GroupFigures, type Metrics, type QualifiedPipelineFigures, type QualifiedPipelineMonth } from './types';

/**
 * Qualified pipeline created (the shared domain doc's figure both teams are measured on): the deals created
 * from a lead that was marketing_qualified or sales_ready when the deal was created, beside all the pipeline
 * created. The status at creation is the deal's own `statusAtCreation` (the audit log's status of its lead,
 * the earliest-created associated contact, at the deal's create date), so a later change of the lead's status
 * never rewrites the figure. Pure; docs/metrics.md states the rules.
 */

const QUALIFIED = new Set<string>(QUALIFIED_STATUSES);

export function isQualifiedAtCreation(d: Pick<MetricsDeal, 'statusAtCreation'>): boolean {
  return d.statusAtCreation !== null && QUALIFIED.has(d.statusAtCreation);
}

/** The figure over a set of live deals: every deal is pipeline created; an unknown amount counts as 0. */
export function qualifiedPipelineOf(deals: readonly MetricsDeal[]): QualifiedPipelineFigures {
  let createdAmount = 0;
  let qualified = 0;
  let qualifiedAmount = 0;
  for (const d of deals) {
    const amount = d.amount ?? 0;
    createdAmount += amount;
    if (!isQualifiedAtCreation(d)) continue;
    qualified++;
    qualifiedAmount += amount;
  }
  return {
    created: deals.length,
    createdAmount,
    qualified,
    qualifiedAmount,
    countShare: ratio(qualified, deals.length),
    amountShare: ratio(qualifiedAmount, createdAmount),
  };
}

/**
 * By the deal's created month (UTC): every month from `first` (the first deal's, or --since's) to `last`
 * (now's), empty months included, then '(none)' for deals without a create date, when there are any.
 */
export function qualifiedPipelineByMonth(deals: readonly MetricsDeal[], first: string | null, last: string): QualifiedPipelineMonth[] {
  const byMonth = new Map<string, MetricsDeal[]>();
  for (const d of deals) {
    const k = d.createdAt === null ? NONE : monthOf(d.createdAt);
    const list = byMonth.get(k);
    if (list) list.push(d);
    else byMonth.set(k, [d]);
  }
  const months = first === null || first > last ? [] : monthsBetween(first, last);
  // A deal dated after now's month (a clock skew, a future create date) still shows, in its own month.
  const later = [...byMonth.keys()].filter((k) => k !== NONE && !months.includes(k)).sort();
  const keys = [...months, ...later, ...(byMonth.has(NONE) ? [NONE] : [])];
  return keys.map((month) => ({ month, ...qualifiedPipelineOf(byMonth.get(month) ?? []) }));
}

/**
 * A group's figure, or null when the figures were stored before this figure existed (a metrics snapshot of
 * an earlier release, read back from `metric_snapshots`): readers show it as unknown, never as 0.
 */
export function groupQualifiedPipeline(g: GroupFigures): QualifiedPipelineFigures | null {
  return (g as Partial<GroupFigures>).qualifiedPipeline ?? null;
}

/** The per-month series, or null in a snapshot stored before this figure existed. */
export function qualifiedPipelineSeries(m: Metrics): QualifiedPipelineMonth[] | null {
  return (m as Partial<Metrics>).qualifiedPipelineByMonth ?? null;
}

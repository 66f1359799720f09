import type { DecisionRecord, MirrorAccount, MirrorContact, MirrorDeal } from '../store/mirror-types';
import { computeAccountFunnel } from './account-funnel';
import { MetricsFold } from './fold';
import type { Metrics, MetricsSnapshot } from './types';

export { closedDealFigures, pipelineVelocity, salesCycleDaysOf } from './deal-figures';

/**
 * The conversion and velocity figures, computed from the mirror alone: pure (no store, no clock; `now` is a
 * parameter), so the metrics job, `uld report` and the tests compute the same numbers from the same rows.
 * The formulas are the shared domain doc's; docs/metrics.md states each one and every choice made here.
 * The per-contact work is a fold (fold.ts): the metrics job streams the store's contacts through the same
 * fold, so the figures over arrays here and over a million streamed contacts are the same code.
 */

export interface MetricsInput {
  contacts: readonly MirrorContact[];
  deals: readonly MirrorDeal[];
  /** The audit log (at least each contact's first decision of each status): when each status was first reached. */
  decisions: readonly DecisionRecord[];
  /** The account mirror (`listAccounts`), for the account funnel; absent or empty: no account figures (null). */
  accounts?: readonly MirrorAccount[];
  /** Epoch ms: the instant open deals are aged and SLAs are judged at. */
  now: number;
  /** A sales_ready contact with no verdict after this many hours is in breach. */
  slaHours: number;
}

export interface MetricsOptions {
  /** Epoch ms: count only contacts and deals created at or after it; cohorts start at its month. */
  since?: number;
}

/** Each contact's decisions, in the order given. */
function decisionsByContact(decisions: readonly DecisionRecord[]): Map<string, DecisionRecord[]> {
  const out = new Map<string, DecisionRecord[]>();
  for (const d of decisions) {
    const list = out.get(d.contactId);
    if (list) list.push(d);
    else out.set(d.contactId, [d]);
  }
  return out;
}

/** The fold of `input`'s contacts, before `finish` (computeMetricsForPeriod also reads where its series start). */
export function foldMetrics(input: MetricsInput, window: { since?: number; until?: number } = {}): MetricsFold {
  const fold = new MetricsFold({ deals: input.deals, now: input.now, slaHours: input.slaHours, ...window });
  const decisions = decisionsByContact(input.decisions);
  for (const c of input.contacts) fold.add(c, decisions.get(c.id) ?? []);
  return fold;
}

export function computeMetrics(input: MetricsInput, options: MetricsOptions = {}): Metrics {
  const metrics = foldMetrics(input, options.since === undefined ? {} : { since: options.since }).finish();
  // From the whole input: an account created since `since` is judged on all its contacts and deals.
  return { ...metrics, accounts: accountsOf(input, options.since === undefined ? {} : { start: options.since }) };
}

/** The account funnel of the input's accounts created within `scope` (account-funnel.ts). */
export function accountsOf(input: Pick<MetricsInput, 'accounts' | 'contacts' | 'deals' | 'now'>, scope: { start?: number; end?: number }): Metrics['accounts'] {
  return computeAccountFunnel({ accounts: input.accounts ?? [], contacts: input.contacts, deals: input.deals, now: input.now }, scope);
}

/** The figures as stored for trends: plain JSON, stamped with when they were computed. */
export function snapshotOf(metrics: Metrics, computedAt: number): MetricsSnapshot {
  return { computedAt: new Date(computedAt).toISOString(), ...metrics };
}

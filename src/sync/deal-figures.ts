import type { LeadStatus } from '../definition/types';
import type { DealPipeline } from '../hubspot/types';
import { daysBetween } from './contact-writeback';
import { readTime } from '../hubspot/records';

/**
 * Cycle-time figures for one deal, from its properties and the pipeline's stage metadata. Pure.
 * Formulas (docs/metrics.md): sales-cycle length is close date minus create date over **closed** deals
 * only; an open deal has an age, never a cycle length.
 */

export const DEAL_SYNC_INPUTS = ['createdate', 'closedate', 'dealstage', 'pipeline', 'amount', 'hs_is_closed', 'hs_is_closed_won', 'uld_sales_cycle_days', 'uld_deal_age_days', 'uld_days_in_stage', 'uld_stage_entered_at', 'uld_lead_to_deal_days', 'uld_lead_status_at_creation'] as const;

export interface DealFacts {
  current: Readonly<Record<string, string | null | undefined>>;
  pipelines: readonly DealPipeline[];
  /** Creation times of the deal's associated contacts. */
  contactCreatedAt: number[];
  /** The associated (earliest) contact's status when the deal was created, when known. */
  statusAtCreation: LeadStatus | null;
  /** `uld replay`: the status at creation is re-derived from the replayed timeline and replaces what was written. */
  rewrite?: boolean;
}

export interface DealState {
  closed: boolean;
  won: boolean;
  createdAt: number | null;
  closedAt: number | null;
  stageEnteredAt: number | null;
  amount: number | null;
}

export function dealState(current: DealFacts['current'], pipelines: readonly DealPipeline[]): DealState {
  const stageId = current.dealstage ?? '';
  const stage = pipelines.find((p) => p.id === (current.pipeline ?? 'default'))?.stages.find((s) => s.id === stageId) ?? pipelines.flatMap((p) => p.stages).find((s) => s.id === stageId);
  // HubSpot's own flags win; the stage metadata (strings "true"/"1.0" in the API) is the fallback.
  const closed = current.hs_is_closed != null && current.hs_is_closed !== '' ? current.hs_is_closed === 'true' : (stage?.isClosed ?? false);
  const won = current.hs_is_closed_won != null && current.hs_is_closed_won !== '' ? current.hs_is_closed_won === 'true' : closed && stage?.probability === 1;
  const amount = current.amount != null && current.amount !== '' ? Number(current.amount) : null;
  return {
    closed,
    won,
    createdAt: readTime(current.createdate),
    closedAt: closed ? readTime(current.closedate) : null,
    stageEnteredAt: readTime(current[`hs_v2_date_entered_${stageId}`]),
    amount: amount !== null && Number.isFinite(amount) ? amount : null,
  };
}

/** The values the deal should carry; `null` means "should be empty". */
export function dealFigures(facts: DealFacts, now: number): Record<string, string | null> {
  const s = dealState(facts.current, facts.pipelines);
  const whole = (days: number) => String(Math.max(0, Math.floor(days)));
  const out: Record<string, string | null> = {
    uld_sales_cycle_days: s.closed && s.createdAt !== null && s.closedAt !== null ? String(Math.max(0, daysBetween(s.createdAt, s.closedAt))) : null,
    // Whole days, so an open deal's age changes once a day, not on every evaluation.
    uld_deal_age_days: !s.closed && s.createdAt !== null ? whole((now - s.createdAt) / 86_400_000) : null,
    uld_days_in_stage: s.stageEnteredAt !== null ? whole(((s.closed ? (s.closedAt ?? now) : now) - s.stageEnteredAt) / 86_400_000) : null,
    uld_stage_entered_at: s.stageEnteredAt !== null ? new Date(s.stageEnteredAt).toISOString() : null,
    uld_lead_to_deal_days: s.createdAt !== null && facts.contactCreatedAt.length > 0 ? String(Math.max(0, daysBetween(Math.min(...facts.contactCreatedAt), s.createdAt))) : null,
    uld_lead_status_at_creation: facts.statusAtCreation,
  };
  return out;
}

/** Only what differs from the record. Clearing a value is written as "" (HubSpot's way to empty a property). */
export function dealChanges(facts: DealFacts, now: number): Record<string, string> {
  const want = dealFigures(facts, now);
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(want)) {
    const cur = facts.current[name] ?? '';
    const next = value ?? '';
    if (cur === next) continue;
    if (name.endsWith('_at') && readTime(cur) !== null && readTime(cur) === readTime(next)) continue;
    if (name.endsWith('_days') && cur !== '' && next !== '' && Number(cur) === Number(next)) continue;
    // A status at creation is written once: a later re-evaluation of the contact does not rewrite history.
    // Only a replay, which rebuilds that history, does (and clears a status it cannot date: never invented).
    if (name === 'uld_lead_status_at_creation' && !facts.rewrite && (value === null || cur !== '')) continue;
    changes[name] = next;
  }
  return changes;
}

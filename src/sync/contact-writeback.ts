import type { Decision, LeadStatus, Reason } from '../definition/types';
import { SALES_FEEDBACK, type SalesFeedback } from './properties';
import { readTime } from '../hubspot/records';

/**
 * What to write on a contact, from its decision and what the record holds now. Pure: no HubSpot, no
 * store, `now` a parameter. Only values that differ from the record are returned, so an unchanged
 * contact costs no write and causes no echo.
 */

const DAY_MS = 86_400_000;
/** HubSpot's limit for a single-line or multi-line text property value. */
export const MAX_TEXT_LENGTH = 65_536;

/** The contact properties the worker reads besides the definition's own: what it compares and builds on. */
export const CONTACT_SYNC_INPUTS = [
  'createdate',
  'hubspot_owner_id',
  'hs_lead_status',
  'lifecyclestage',
  'uld_status',
  'uld_score',
  'uld_fit_score',
  'uld_engagement_score',
  'uld_reasons',
  'uld_definition_version',
  'uld_evaluated_at',
  'uld_qualified_at',
  'uld_converted_at',
  'uld_days_to_qualify',
  'uld_days_to_opportunity',
  'uld_sales_feedback',
  'uld_feedback_at',
] as const;

export interface ContactFacts {
  /** The contact's current properties as read (unset as null). */
  current: Readonly<Record<string, string | null | undefined>>;
  /** Creation time of the contact's earliest associated deal, or null when it has none. */
  firstDealCreatedAt: number | null;
  /**
   * When the contact first became sales_ready, when that is known otherwise than by watching it happen now
   * (docs/replay.md). Absent: the live case, where a contact that is sales_ready with no uld_qualified_at
   * became so now. `at` null: reached with no dated evidence (before HubSpot's kept history, or a first look
   * without history), so no date is written; never the install day. `reached` false: the replay saw it never
   * sales_ready. `rewrite` (`uld replay`): the replay's answer replaces what the record holds.
   */
  salesReady?: { reached: boolean; at: number | null; rewrite: boolean };
}

export interface ContactWriteback {
  /** The status written (after sales feedback). */
  status: LeadStatus;
  /** Properties whose value changes, as HubSpot strings. Empty when the record is already right. */
  changes: Record<string, string>;
  /** True when the contact became sales_ready for the first time now: the hand-off moment. */
  handOff: boolean;
  /** The rep's feedback, when it is set and valid. */
  feedback: SalesFeedback | null;
  /** The reasons as written on the record (after feedback), one line each: what the audit log keeps. */
  reasons: string[];
  /** The same reasons structured (kind, ref, points, text), plain objects: what the card groups. */
  reasonDetails: Reason[];
}

/** The line a rep's rejection adds before the definition's reasons, as a status reason. */
export const SALES_FEEDBACK_REF = 'uld_sales_feedback';

function plainReason(r: Reason): Reason {
  return r.points === undefined ? { kind: r.kind, ref: r.ref, text: r.text } : { kind: r.kind, ref: r.ref, points: r.points, text: r.text };
}

/** Days between two times, one decimal: what a rep reads as "12.5 days". */
export function daysBetween(from: number, to: number): number {
  return Math.round(((to - from) / DAY_MS) * 10) / 10;
}

function numberText(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The reasons as written on the record: one per line, cut to HubSpot's limit with a note that says so. */
export function reasonsText(decision: { reasons: ReadonlyArray<{ text: string }> }): string {
  const text = decision.reasons.map((r) => r.text).join('\n');
  if (text.length <= MAX_TEXT_LENGTH) return text;
  const note = '\n… (more reasons than HubSpot can store; `uld history` has them all)';
  return text.slice(0, MAX_TEXT_LENGTH - note.length) + note;
}

export function sameValue(name: string, current: string | null | undefined, next: string): boolean {
  if ((current ?? '') === next) return true;
  if (name.endsWith('_at')) return readTime(current) !== null && readTime(current) === readTime(next);
  if (/_score$|^uld_score$|^uld_days_/.test(name)) return current !== null && current !== undefined && current !== '' && Number(current) === Number(next);
  return false;
}

/**
 * The writes for one contact. A rep's rejection sends a sales-ready lead back to nurture (and the reason
 * says who decided that); an acceptance keeps it. `uld_qualified_at` and `uld_converted_at` are set once
 * and never cleared: they are facts about the past.
 */
export function contactWriteback(decision: Decision, facts: ContactFacts, now: number): ContactWriteback {
  const cur = facts.current;
  const feedbackText = cur.uld_sales_feedback ?? null;
  const feedback = feedbackText !== null && (SALES_FEEDBACK as readonly string[]).includes(feedbackText) ? (feedbackText as SalesFeedback) : null;
  let status = decision.status;
  let reasons = reasonsText(decision);
  let feedbackLine: string | null = null;
  if (status === 'sales_ready' && feedback !== null && feedback.startsWith('rejected_')) {
    status = 'nurture';
    feedbackLine = `Nurture: sales rejected the hand-off (${feedback.replace('rejected_', '').replace(/_/g, ' ')})`;
    reasons = `${feedbackLine}\n${reasons}`;
  }

  const next: Record<string, string> = {
    uld_status: status,
    uld_score: numberText(decision.totalScore),
    uld_fit_score: numberText(decision.fitScore),
    uld_engagement_score: numberText(decision.engagementScore),
    uld_reasons: reasons,
    uld_definition_version: decision.definitionVersion,
  };
  if (decision.hubspot.hs_lead_status !== undefined) next.hs_lead_status = decision.hubspot.hs_lead_status;
  if (decision.hubspot.lifecyclestage !== undefined) next.lifecyclestage = decision.hubspot.lifecyclestage;

  const created = readTime(cur.createdate);
  const qualifiedAt = readTime(cur.uld_qualified_at);
  // The hand-off is the product's act, now, whatever the stage's date (the hand-off claim keeps it to one).
  const handOff = status === 'sales_ready' && qualifiedAt === null;
  const known = facts.salesReady;
  let firstQualified: number | null;
  if (known === undefined) firstQualified = handOff ? now : qualifiedAt;
  else if (known.rewrite) firstQualified = known.reached ? known.at : null;
  else firstQualified = qualifiedAt ?? (known.reached || status === 'sales_ready' ? known.at : null);
  if (firstQualified !== null) {
    next.uld_qualified_at = new Date(firstQualified).toISOString();
    if (created !== null) next.uld_days_to_qualify = numberText(Math.max(0, daysBetween(created, firstQualified)));
  } else if (known?.rewrite) {
    // `uld replay` found no dated first sales_ready: a date written before (the install day) goes.
    next.uld_qualified_at = '';
    next.uld_days_to_qualify = '';
  }

  const convertedAt = readTime(cur.uld_converted_at) ?? facts.firstDealCreatedAt;
  if (convertedAt !== null) {
    next.uld_converted_at = new Date(convertedAt).toISOString();
    if (created !== null) next.uld_days_to_opportunity = numberText(Math.max(0, daysBetween(created, convertedAt)));
  }

  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(next)) {
    if (!sameValue(name, cur[name], value)) changes[name] = value;
  }
  // The decision time moves only with the decision: re-evaluating an unchanged contact writes nothing.
  if (Object.keys(changes).some((k) => k.startsWith('uld_') && k !== 'uld_converted_at' && k !== 'uld_days_to_opportunity') || readTime(cur.uld_evaluated_at) === null) {
    changes.uld_evaluated_at = new Date(now).toISOString();
  }
  const details = decision.reasons.map(plainReason);
  if (feedbackLine !== null) details.unshift({ kind: 'status', ref: SALES_FEEDBACK_REF, text: feedbackLine });
  return { status, changes, handOff, feedback, reasons: details.map((r) => r.text), reasonDetails: details };
}

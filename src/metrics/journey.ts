import { DATED_ORIGINS, type FirstDecision, type MetricsContact, type MetricsDeal } from '../store/mirror-types';
import { byCreation } from './grouping';
import { STAGES, type Stage } from './types';

/**
 * One contact's path down the waterfall, from its own fields, its first decisions and its deals: the
 * per-contact half of computeMetrics (the fold in fold.ts adds journeys up; docs/metrics.md states the rules).
 */
export interface Journey {
  contact: MetricsContact;
  /** By stage, in STAGES order (arrays: a fold reads them for every contact of a million). */
  reached: boolean[];
  /** The earliest dated evidence of the stage or of any later one; null when none is dated. STAGES order. */
  entered: Array<number | null>;
  /**
   * The hand-off: when the product first saw the contact sales_ready (its first live or first-look
   * sales_ready decision), else qualifiedAt. The SLA clock and time to first action run from it; for a
   * contact replayed from history it is later than the stage's date (docs/metrics.md).
   */
  handOffAt: number | null;
  /** First sales_ready, dated: qualifiedAt or the first dated sales_ready decision; null when undated. */
  salesReadyAt: number | null;
  /** Own evidence of sales_ready (dated or not: the current status counts). */
  handedOff: boolean;
  firstDeal: MetricsDeal | null;
  /** When the first associated deal was created: convertedAt or the earliest live deal. */
  firstDealAt: number | null;
}

export const minOf = (...xs: Array<number | null | undefined>): number | null => {
  let m: number | null = null;
  for (const x of xs) if (x !== null && x !== undefined && (m === null || x < m)) m = x;
  return m;
};

/**
 * Which decisions count for a first: `dated`, those that date a stage (live, replayed); `seen`, the product's
 * own (live, first look); `any`, all of them.
 */
type FirstKind = 'dated' | 'seen' | 'any';

/** The contact's first decision time of `status` among the decisions of `kind`; null when none. */
function firstAt(decisions: readonly FirstDecision[], status: string, kind: FirstKind): number | null {
  let first: number | null = null;
  for (const d of decisions) {
    if (d.status !== status) continue;
    const origin = d.origin ?? 'live';
    if (kind === 'dated' && !DATED_ORIGINS.includes(origin)) continue;
    if (kind === 'seen' && origin !== 'live' && origin !== 'first_look') continue;
    if (first === null || d.decidedAt < first) first = d.decidedAt;
  }
  return first;
}

/**
 * `decisions`: the contact's own (at least its first of each status by each origin); `deals`: its live
 * associated deals, each once.
 */
export function journeyOf(contact: MetricsContact, decisions: readonly FirstDecision[], deals: readonly MetricsDeal[]): Journey {
  const first = (status: string, kind: FirstKind) => firstAt(decisions, status, kind);
  // One pass over the deals (most contacts have none): the first created, the first created date, the first won.
  let firstDeal: MetricsDeal | null = null;
  let firstDealAt = contact.convertedAt;
  let wonAt: number | null = null;
  let won = false;
  for (const d of deals) {
    if (firstDeal === null || byCreation(d, firstDeal) < 0) firstDeal = d;
    firstDealAt = minOf(firstDealAt, d.createdAt);
    if (d.closed && d.won) {
      won = true;
      wonAt = minOf(wonAt, d.closedAt);
    }
  }
  const salesReadyAt = minOf(contact.qualifiedAt, first('sales_ready', 'dated'));
  const seenAt = first('sales_ready', 'seen');
  const handOffAt = seenAt ?? contact.qualifiedAt;

  // Each stage's own evidence: whether it was reached, and when (if dated: a first look or a status held
  // before HubSpot's kept history shows the stage reached, never when).
  const handedOff = salesReadyAt !== null || first('sales_ready', 'any') !== null || contact.status === 'sales_ready';
  const own: Record<Stage, { reached: boolean; at: number | null }> = {
    lead: { reached: true, at: contact.createdAt },
    marketing_qualified: { reached: first('marketing_qualified', 'any') !== null || contact.status === 'marketing_qualified', at: first('marketing_qualified', 'dated') },
    sales_ready: { reached: handedOff, at: salesReadyAt },
    accepted: { reached: contact.feedback === 'accepted', at: contact.feedback === 'accepted' ? contact.feedbackAt : null },
    opportunity: { reached: contact.convertedAt !== null || deals.length > 0, at: firstDealAt },
    won: { reached: won, at: wonAt },
  };
  // The waterfall is cumulative: reaching a stage means having passed every earlier one, no later than the
  // later evidence. Taking the minimum over the later stages also keeps every stage duration non-negative.
  const reached = new Array<boolean>(STAGES.length);
  const entered = new Array<number | null>(STAGES.length);
  let laterReached = false;
  let laterAt: number | null = null;
  for (let i = STAGES.length - 1; i >= 0; i--) {
    const stage = STAGES[i];
    laterReached ||= own[stage].reached;
    laterAt = minOf(laterAt, own[stage].at);
    reached[i] = laterReached;
    entered[i] = laterAt;
  }
  return { contact, reached, entered, handOffAt, salesReadyAt, handedOff, firstDeal, firstDealAt };
}

export function isSlaBreach(j: Journey, now: number, slaMs: number): boolean {
  return j.contact.status === 'sales_ready' && j.contact.feedback === null && j.handOffAt !== null && now - j.handOffAt > slaMs;
}

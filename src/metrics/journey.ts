import { DATED_ORIGINS, type FirstDecision, type MetricsContact, type MetricsDeal } from '../store/mirror-types';
import { byCreation } from './grouping';
import { STAGES } from './types';

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

/** The earlier of two instants, either possibly unknown (two arguments, no array: it runs per contact). */
const min2 = (a: number | null, b: number | null): number | null => (a === null ? b : b === null || a <= b ? a : b);

/**
 * `decisions`: the contact's own (at least its first of each status by each origin); `deals`: its live
 * associated deals, each once. Runs for every contact of a million: one pass over the decisions and one over
 * the deals, and nothing allocated but the journey itself.
 */
export function journeyOf(contact: MetricsContact, decisions: readonly FirstDecision[], deals: readonly MetricsDeal[]): Journey {
  // The first decisions the stages read. Which count for a first: `dated`, those that date a stage (live,
  // replayed); `seen`, the product's own (live, first look); `any`, all of them.
  let salesReadyDated: number | null = null;
  let salesReadySeen: number | null = null;
  let salesReadyAny = false;
  let qualifiedDated: number | null = null;
  let qualifiedAny = false;
  for (const d of decisions) {
    const salesReady = d.status === 'sales_ready';
    if (!salesReady && d.status !== 'marketing_qualified') continue;
    const origin = d.origin ?? 'live';
    const dated = DATED_ORIGINS.includes(origin);
    const at = d.decidedAt;
    if (salesReady) {
      salesReadyAny = true;
      if (dated) salesReadyDated = min2(salesReadyDated, at);
      if (origin === 'live' || origin === 'first_look') salesReadySeen = min2(salesReadySeen, at);
    } else {
      qualifiedAny = true;
      if (dated) qualifiedDated = min2(qualifiedDated, at);
    }
  }
  // One pass over the deals (most contacts have none): the first created, the first created date, the first won.
  let firstDeal: MetricsDeal | null = null;
  let firstDealAt = contact.convertedAt;
  let wonAt: number | null = null;
  let won = false;
  for (const d of deals) {
    if (firstDeal === null || byCreation(d, firstDeal) < 0) firstDeal = d;
    firstDealAt = min2(firstDealAt, d.createdAt);
    if (d.closed && d.won) {
      won = true;
      wonAt = min2(wonAt, d.closedAt);
    }
  }
  const salesReadyAt = min2(contact.qualifiedAt, salesReadyDated);
  const handOffAt = salesReadySeen ?? contact.qualifiedAt;
  const handedOff = salesReadyAt !== null || salesReadyAny || contact.status === 'sales_ready';
  const accepted = contact.feedback === 'accepted';

  // Each stage's own evidence: whether it was reached, and when (if dated: a first look or a status held
  // before HubSpot's kept history shows the stage reached, never when). The waterfall is cumulative: reaching
  // a stage means having passed every earlier one, no later than the later evidence. Taking the minimum over
  // the later stages also keeps every stage duration non-negative. Indexes are STAGES', walked from the last.
  const reached = new Array<boolean>(STAGES.length);
  const entered = new Array<number | null>(STAGES.length);
  let laterReached = won;
  let laterAt = wonAt;
  reached[5] = laterReached;
  entered[5] = laterAt;
  laterReached ||= contact.convertedAt !== null || deals.length > 0;
  laterAt = min2(laterAt, firstDealAt);
  reached[4] = laterReached;
  entered[4] = laterAt;
  laterReached ||= accepted;
  laterAt = min2(laterAt, accepted ? contact.feedbackAt : null);
  reached[3] = laterReached;
  entered[3] = laterAt;
  laterReached ||= handedOff;
  laterAt = min2(laterAt, salesReadyAt);
  reached[2] = laterReached;
  entered[2] = laterAt;
  laterReached ||= qualifiedAny || contact.status === 'marketing_qualified';
  laterAt = min2(laterAt, qualifiedDated);
  reached[1] = laterReached;
  entered[1] = laterAt;
  reached[0] = true;
  entered[0] = min2(laterAt, contact.createdAt);
  return { contact, reached, entered, handOffAt, salesReadyAt, handedOff, firstDeal, firstDealAt };
}

export function isSlaBreach(j: Journey, now: number, slaMs: number): boolean {
  return j.contact.status === 'sales_ready' && j.contact.feedback === null && j.handOffAt !== null && now - j.handOffAt > slaMs;
}

import { STATUSES } from '../definition/types';
import { DATED_ORIGINS, type DecisionRecord, type MirrorAccount, type MirrorContact, type MirrorDeal } from '../store/mirror-types';
import { computeAccountFunnel } from './account-funnel';
import { bucket, byCreation, byKey, keyOrNone } from './grouping';
import { qualifiedPipelineByMonth, qualifiedPipelineOf } from './pipeline';
import { DAY_MS, HOUR_MS, monthOf, monthsBetween, ratio, summarize, type Summary } from './stats';
import {
  NONE,
  REJECTION_REASONS,
  STAGES,
  type DealFigures,
  type FunnelFigures,
  type GroupFigures,
  type HandOffFigures,
  type Metrics,
  type MetricsSnapshot,
  type Stage,
} from './types';

/**
 * The conversion and velocity figures, computed from the mirror alone: pure (no store, no clock; `now` is a
 * parameter), so the metrics job, `uld report` and the tests compute the same numbers from the same rows.
 * The formulas are the shared domain doc's; docs/metrics.md states each one and every choice made here.
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

/** One contact's path down the waterfall. */
interface Journey {
  contact: MirrorContact;
  reached: Record<Stage, boolean>;
  /** The earliest dated evidence of the stage or of any later one; null when none is dated. */
  entered: Record<Stage, number | null>;
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
  firstDeal: MirrorDeal | null;
  /** When the first associated deal was created: convertedAt or the earliest live deal. */
  firstDealAt: number | null;
}

const minOf = (...xs: Array<number | null | undefined>): number | null => {
  let m: number | null = null;
  for (const x of xs) if (x !== null && x !== undefined && (m === null || x < m)) m = x;
  return m;
};

function journeyOf(contact: MirrorContact, firsts: FirstDecisions, deals: MirrorDeal[]): Journey {
  const firstAt = (status: string, kind: keyof FirstDecisions) => firsts[kind].get(`${contact.id}\u0000${status}`) ?? null;
  const sorted = [...deals].sort(byCreation);
  const wonDeals = deals.filter((d) => d.closed && d.won);
  const salesReadyAt = minOf(contact.qualifiedAt, firstAt('sales_ready', 'dated'));
  const seenAt = firstAt('sales_ready', 'seen');
  const handOffAt = seenAt ?? contact.qualifiedAt;
  const firstDealAt = minOf(contact.convertedAt, ...deals.map((d) => d.createdAt));

  // Each stage's own evidence: whether it was reached, and when (if dated: a first look or a status held
  // before HubSpot's kept history shows the stage reached, never when).
  const own: Record<Stage, { reached: boolean; at: number | null }> = {
    lead: { reached: true, at: contact.createdAt },
    marketing_qualified: { reached: firstAt('marketing_qualified', 'any') !== null || contact.status === 'marketing_qualified', at: firstAt('marketing_qualified', 'dated') },
    sales_ready: { reached: salesReadyAt !== null || firstAt('sales_ready', 'any') !== null || contact.status === 'sales_ready', at: salesReadyAt },
    accepted: { reached: contact.feedback === 'accepted', at: contact.feedback === 'accepted' ? contact.feedbackAt : null },
    opportunity: { reached: contact.convertedAt !== null || deals.length > 0, at: firstDealAt },
    won: { reached: wonDeals.length > 0, at: minOf(...wonDeals.map((d) => d.closedAt)) },
  };
  // The waterfall is cumulative: reaching a stage means having passed every earlier one, no later than the
  // later evidence. Taking the minimum over the later stages also keeps every stage duration non-negative.
  const reached = {} as Record<Stage, boolean>;
  const entered = {} as Record<Stage, number | null>;
  let laterReached = false;
  let laterAt: number | null = null;
  for (let i = STAGES.length - 1; i >= 0; i--) {
    const stage = STAGES[i];
    laterReached ||= own[stage].reached;
    laterAt = minOf(laterAt, own[stage].at);
    reached[stage] = laterReached;
    entered[stage] = laterAt;
  }
  return { contact, reached, entered, handOffAt, salesReadyAt, handedOff: own.sales_ready.reached, firstDeal: sorted[0] ?? null, firstDealAt };
}

/**
 * Each (contact, status)'s first decision time, keyed `id\0status`: `dated`, over the decisions that date a
 * stage (live, replayed); `seen`, over the product's own (live, first look); `any`, over all.
 */
interface FirstDecisions {
  dated: Map<string, number>;
  seen: Map<string, number>;
  any: Map<string, number>;
}

function firstDecisions(decisions: readonly DecisionRecord[]): FirstDecisions {
  const out: FirstDecisions = { dated: new Map(), seen: new Map(), any: new Map() };
  const keep = (m: Map<string, number>, k: string, at: number) => {
    const seen = m.get(k);
    if (seen === undefined || at < seen) m.set(k, at);
  };
  for (const d of decisions) {
    const k = `${d.contactId}\u0000${d.status}`;
    const origin = d.origin ?? 'live';
    keep(out.any, k, d.decidedAt);
    if (DATED_ORIGINS.includes(origin)) keep(out.dated, k, d.decidedAt);
    if (origin === 'live' || origin === 'first_look') keep(out.seen, k, d.decidedAt);
  }
  return out;
}

function funnelOf(journeys: readonly Journey[]): FunnelFigures {
  const reached = Object.fromEntries(STAGES.map((s) => [s, journeys.filter((j) => j.reached[s]).length])) as Record<Stage, number>;
  const steps = STAGES.slice(1).map((to, i) => {
    const from = STAGES[i];
    const days: number[] = [];
    for (const j of journeys) {
      const a = j.entered[from];
      const b = j.entered[to];
      if (j.reached[to] && a !== null && b !== null) days.push((b - a) / DAY_MS);
    }
    return { from, to, rate: ratio(reached[to], reached[from]), days: summarize(days) };
  });
  const fromCreated: number[] = [];
  const fromQualified: number[] = [];
  for (const j of journeys) {
    if (j.firstDealAt === null) continue;
    // A deal that predates the contact (or its qualification) was not converted from it: no sample.
    if (j.contact.createdAt !== null && j.firstDealAt >= j.contact.createdAt) fromCreated.push((j.firstDealAt - j.contact.createdAt) / DAY_MS);
    if (j.salesReadyAt !== null && j.firstDealAt >= j.salesReadyAt) fromQualified.push((j.firstDealAt - j.salesReadyAt) / DAY_MS);
  }
  return {
    leads: journeys.length,
    reached,
    steps,
    leadToOpportunityRate: ratio(reached.opportunity, journeys.length),
    leadConversionDays: { fromCreated: summarize(fromCreated), fromQualified: summarize(fromQualified) },
  };
}

/**
 * One deal's sales-cycle length in days (close date - create date), or null when it is no sample: open, a
 * date missing, or closed before it was created. The one definition behind `salesCycleDays`, exported so a
 * per-deal view (the dashboard's distribution) counts exactly the samples of the mean and median.
 */
export function salesCycleDaysOf(d: Pick<MirrorDeal, 'closed' | 'createdAt' | 'closedAt'>): number | null {
  if (!d.closed || d.createdAt === null || d.closedAt === null || d.closedAt < d.createdAt) return null;
  return (d.closedAt - d.createdAt) / DAY_MS;
}

/**
 * Over a set of closed deals: the won ones, win rate, average won amount and sales-cycle length. The one
 * definition behind the report's deal figures and the dashboard header's (docs/metrics.md).
 */
export function closedDealFigures(closed: readonly MirrorDeal[]): { won: MirrorDeal[]; winRate: number | null; averageDealSize: number | null; wonAmount: number; salesCycleDays: Summary } {
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

function dealFiguresOf(deals: readonly MirrorDeal[], now: number): DealFigures {
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

function handOffOf(journeys: readonly Journey[], now: number, slaMs: number): HandOffFigures {
  const rejectionReasons: Record<string, number> = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0]));
  let accepted = 0;
  let rejected = 0;
  let awaitingFeedback = 0;
  let slaBreaches = 0;
  let answeredAfterSla = 0;
  const firstAction: number[] = [];
  for (const j of journeys) {
    const { feedback, feedbackAt } = j.contact;
    if (feedback === 'accepted') accepted++;
    else if (feedback !== null && feedback.startsWith('rejected')) {
      rejected++;
      rejectionReasons[feedback] = (rejectionReasons[feedback] ?? 0) + 1;
    }
    if (j.handedOff && feedback === null) awaitingFeedback++;
    if (isSlaBreach(j, now, slaMs)) slaBreaches++;
    // A verdict given before the hand-off is not a response to it: no sample.
    if (feedback !== null && feedbackAt !== null && j.handOffAt !== null && feedbackAt >= j.handOffAt) {
      firstAction.push((feedbackAt - j.handOffAt) / HOUR_MS);
      if (feedbackAt - j.handOffAt > slaMs) answeredAfterSla++;
    }
  }
  return {
    handedOff: journeys.filter((j) => j.handedOff).length,
    accepted,
    rejected,
    acceptanceRate: ratio(accepted, accepted + rejected),
    rejectionReasons,
    awaitingFeedback,
    timeToFirstActionHours: summarize(firstAction),
    slaBreaches,
    answeredAfterSla,
  };
}

function isSlaBreach(j: Journey, now: number, slaMs: number): boolean {
  return j.contact.status === 'sales_ready' && j.contact.feedback === null && j.handOffAt !== null && now - j.handOffAt > slaMs;
}

function groupOf(key: string, journeys: readonly Journey[], deals: readonly MirrorDeal[], now: number, slaMs: number): GroupFigures {
  return { key, funnel: funnelOf(journeys), deals: dealFiguresOf(deals, now), handOff: handOffOf(journeys, now, slaMs), qualifiedPipeline: qualifiedPipelineOf(deals) };
}

/** Best status first (the ladder, reversed), unknown values next, the missing-attribute group last. */
const STATUS_ORDER = [...STATUSES].reverse() as string[];
const byStatus = (a: string, b: string) => {
  const ia = STATUS_ORDER.indexOf(a);
  const ib = STATUS_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return ia < 0 ? 1 : ib < 0 ? -1 : ia - ib;
  return byKey(a, b);
};

export function computeMetrics(input: MetricsInput, options: MetricsOptions = {}): Metrics {
  const { now, slaHours } = input;
  const { since } = options;
  const slaMs = slaHours * HOUR_MS;
  const inWindow = (createdAt: number | null) => since === undefined || (createdAt !== null && createdAt >= since);
  // Deleted and merged-away records stay in the mirror for history but count no more.
  const contacts = input.contacts.filter((c) => !c.deleted && inWindow(c.createdAt));
  const deals = input.deals.filter((d) => !d.deleted && inWindow(d.createdAt));

  const firsts = firstDecisions(input.decisions);

  const contactById = new Map(contacts.map((c) => [c.id, c]));
  const dealsOfContact = new Map<string, MirrorDeal[]>();
  /** Each deal's lead: its earliest-created live associated contact; deals without one have none. */
  const leadOfDeal = new Map<string, MirrorContact>();
  for (const d of deals) {
    const linked = [...new Set(d.contactIds)].map((id) => contactById.get(id)).filter((c): c is MirrorContact => c !== undefined);
    for (const c of linked) {
      const list = dealsOfContact.get(c.id);
      if (list) list.push(d);
      else dealsOfContact.set(c.id, [d]);
    }
    const lead = linked.sort(byCreation)[0];
    if (lead) leadOfDeal.set(d.id, lead);
  }
  const journeys = contacts.map((c) => journeyOf(c, firsts, dealsOfContact.get(c.id) ?? []));

  const cohortOfContact = (c: MirrorContact) => (c.createdAt === null ? NONE : monthOf(c.createdAt));
  const dimension = (
    journeyKey: (j: Journey) => string | undefined,
    dealKey: (d: MirrorDeal) => string | undefined,
    order: (a: string, b: string) => number,
    keys: string[] = [],
  ): GroupFigures[] => {
    const js = bucket(journeys, journeyKey);
    const ds = bucket(deals, dealKey);
    const all = [...new Set([...keys, ...js.keys(), ...ds.keys()])].sort(order);
    return all.map((k) => groupOf(k, js.get(k) ?? [], ds.get(k) ?? [], now, slaMs));
  };

  // Cohorts run from the first month (or since's) to now's, so a month without leads shows, empty.
  const months = contacts.filter((c) => c.createdAt !== null).map((c) => monthOf(c.createdAt!));
  const first = since !== undefined ? monthOf(since) : months.length > 0 ? months.reduce((a, b) => (a < b ? a : b)) : null;
  const last = [monthOf(now), ...months].reduce((a, b) => (a > b ? a : b));
  const cohortMonths = first === null || first > last ? [] : monthsBetween(first, last);

  const byCohort = dimension(
    (j) => cohortOfContact(j.contact),
    (d) => {
      const lead = leadOfDeal.get(d.id);
      return lead ? cohortOfContact(lead) : undefined;
    },
    byKey,
    cohortMonths,
  );
  const bySource = dimension(
    (j) => keyOrNone(j.contact.source),
    (d) => {
      const lead = leadOfDeal.get(d.id);
      return lead ? keyOrNone(lead.source) : undefined;
    },
    byKey,
  );
  const byStatusGroups = dimension(
    (j) => (j.firstDeal ? keyOrNone(j.firstDeal.statusAtCreation) : undefined),
    (d) => keyOrNone(d.statusAtCreation),
    byStatus,
  );

  // The pipeline series runs by the deal's own created month (not its lead's cohort), from the first deal's
  // month (or since's) to now's, so a month without deals shows, empty.
  const dealMonths = deals.filter((d) => d.createdAt !== null).map((d) => monthOf(d.createdAt!));
  const firstDealMonth = since !== undefined ? monthOf(since) : dealMonths.length > 0 ? dealMonths.reduce((a, b) => (a < b ? a : b)) : null;

  return {
    slaHours,
    since: since === undefined ? null : new Date(since).toISOString().slice(0, 10),
    overall: groupOf('overall', journeys, deals, now, slaMs),
    byCohort,
    bySource,
    byStatus: byStatusGroups,
    qualifiedPipelineByMonth: qualifiedPipelineByMonth(deals, firstDealMonth, monthOf(now)),
    dealsWithoutContacts: deals.filter((d) => !leadOfDeal.has(d.id)).length,
    slaBreachedContactIds: journeys
      .filter((j) => isSlaBreach(j, now, slaMs))
      .map((j) => j.contact.id)
      .sort(),
    // From the whole input: an account created since `since` is judged on all its contacts and deals.
    accounts: computeAccountFunnel({ accounts: input.accounts ?? [], contacts: input.contacts, deals: input.deals, now }, since === undefined ? {} : { start: since }),
  };
}

/** The figures as stored for trends: plain JSON, stamped with when they were computed. */
export function snapshotOf(metrics: Metrics, computedAt: number): MetricsSnapshot {
  return { computedAt: new Date(computedAt).toISOString(), ...metrics };
}

import { STATUSES } from '../definition/types';
import type { FirstDecision, MetricsContact, MetricsDeal } from '../store/mirror-types';
import { dealFiguresOf } from './deal-figures';
import { bucket, byCreation, byKey, keyOrNone } from './grouping';
import { isSlaBreach, journeyOf, type Journey } from './journey';
import { qualifiedPipelineByMonth, qualifiedPipelineOf } from './pipeline';
import { DAY_MS, HOUR_MS, monthOf, monthsBetween, ratio, Samples } from './stats';
import { NONE, REJECTION_REASONS, STAGES, type FunnelFigures, type GroupFigures, type HandOffFigures, type Metrics, type Stage } from './types';

/**
 * computeMetrics as a fold: the deals are given up front (they are few and every group needs them), then
 * contacts are added one at a time with their first decisions, in any order, and `finish` gives the figures.
 * Each contact leaves only counts and compact duration samples behind, so the metrics job can stream a
 * million contacts from the store; computeMetrics folds its arrays through the same code, so the two cannot
 * compute different figures. Pure: no store, no clock.
 */

export interface FoldOptions {
  /** The deals of the mirror (deleted ones included: they are skipped here). */
  deals: readonly MetricsDeal[];
  /** Epoch ms: the instant open deals are aged and SLAs are judged at. */
  now: number;
  slaHours: number;
  /** Epoch ms: count only contacts and deals created at or after it; cohorts start at its month. */
  since?: number;
  /** Epoch ms: count only contacts and deals created before it (a period's end; computeMetricsForPeriod). */
  until?: number;
}

const cohortOf = (c: { createdAt: number | null }) => (c.createdAt === null ? NONE : monthOf(c.createdAt));

/** Best status first (the ladder, reversed), unknown values next, the missing-attribute group last. */
const STATUS_ORDER = [...STATUSES].reverse() as string[];
const byStatus = (a: string, b: string) => {
  const ia = STATUS_ORDER.indexOf(a);
  const ib = STATUS_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return ia < 0 ? 1 : ib < 0 ? -1 : ia - ib;
  return byKey(a, b);
};

/** What the journeys of one group add up to: the funnel and hand-off figures, before the last division. */
class GroupTally {
  private leads = 0;
  /** By stage, STAGES order. */
  private readonly reached = STAGES.map(() => 0);
  private readonly stepDays = STAGES.slice(1).map(() => new Samples());
  private readonly fromCreated = new Samples();
  private readonly fromQualified = new Samples();
  private handedOff = 0;
  private accepted = 0;
  private rejected = 0;
  private readonly rejectionReasons: Record<string, number> = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0]));
  private awaitingFeedback = 0;
  private slaBreaches = 0;
  private answeredAfterSla = 0;
  private readonly firstAction = new Samples();

  add(j: Journey, now: number, slaMs: number): void {
    this.leads++;
    for (let i = 0; i < STAGES.length; i++) if (j.reached[i]) this.reached[i]++;
    for (let i = 1; i < STAGES.length; i++) {
      const a = j.entered[i - 1];
      const b = j.entered[i];
      if (j.reached[i] && a !== null && b !== null) this.stepDays[i - 1].push((b - a) / DAY_MS);
    }
    if (j.firstDealAt !== null) {
      // A deal that predates the contact (or its qualification) was not converted from it: no sample.
      if (j.contact.createdAt !== null && j.firstDealAt >= j.contact.createdAt) this.fromCreated.push((j.firstDealAt - j.contact.createdAt) / DAY_MS);
      if (j.salesReadyAt !== null && j.firstDealAt >= j.salesReadyAt) this.fromQualified.push((j.firstDealAt - j.salesReadyAt) / DAY_MS);
    }
    const { feedback, feedbackAt } = j.contact;
    if (j.handedOff) this.handedOff++;
    if (feedback === 'accepted') this.accepted++;
    else if (feedback !== null && feedback.startsWith('rejected')) {
      this.rejected++;
      this.rejectionReasons[feedback] = (this.rejectionReasons[feedback] ?? 0) + 1;
    }
    if (j.handedOff && feedback === null) this.awaitingFeedback++;
    if (isSlaBreach(j, now, slaMs)) this.slaBreaches++;
    // A verdict given before the hand-off is not a response to it: no sample.
    if (feedback !== null && feedbackAt !== null && j.handOffAt !== null && feedbackAt >= j.handOffAt) {
      this.firstAction.push((feedbackAt - j.handOffAt) / HOUR_MS);
      if (feedbackAt - j.handOffAt > slaMs) this.answeredAfterSla++;
    }
  }

  funnel(): FunnelFigures {
    const reached = Object.fromEntries(STAGES.map((s, i) => [s, this.reached[i]])) as Record<Stage, number>;
    const steps = STAGES.slice(1).map((to, i) => ({ from: STAGES[i], to, rate: ratio(reached[to], reached[STAGES[i]]), days: this.stepDays[i].summary() }));
    return {
      leads: this.leads,
      reached,
      steps,
      leadToOpportunityRate: ratio(reached.opportunity, this.leads),
      leadConversionDays: { fromCreated: this.fromCreated.summary(), fromQualified: this.fromQualified.summary() },
    };
  }

  handOff(): HandOffFigures {
    return {
      handedOff: this.handedOff,
      accepted: this.accepted,
      rejected: this.rejected,
      acceptanceRate: ratio(this.accepted, this.accepted + this.rejected),
      rejectionReasons: { ...this.rejectionReasons },
      awaitingFeedback: this.awaitingFeedback,
      timeToFirstActionHours: this.firstAction.summary(),
      slaBreaches: this.slaBreaches,
      answeredAfterSla: this.answeredAfterSla,
    };
  }
}

/** A deal's lead so far: its earliest-created counted associated contact, and that contact's group keys. */
interface Lead {
  id: string;
  createdAt: number | null;
  cohort: string;
  source: string;
}

type Dimension = 'cohort' | 'source' | 'status';

/** Most contacts have no deal: one shared empty list each, not a new one per contact. */
const NO_DEALS: readonly number[] = [];
const NO_DEALS_OF: readonly MetricsDeal[] = [];

export class MetricsFold {
  private readonly now: number;
  private readonly slaMs: number;
  private readonly since: number | undefined;
  private readonly until: number | undefined;
  /** The counted deals (live, in the window), in the order given. */
  readonly deals: MetricsDeal[];
  /** Each contact's counted deals, by index into `deals`, each deal once. */
  private readonly dealsOfContact = new Map<string, number[]>();
  private readonly leadOfDeal: Array<Lead | undefined>;
  private readonly overall = new GroupTally();
  private readonly groups: Record<Dimension, Map<string, GroupTally>> = { cohort: new Map(), source: new Map(), status: new Map() };
  private readonly breached: string[] = [];
  private firstCreated: number | null = null;
  private lastCreated: number | null = null;
  /** Counted contacts. */
  contacts = 0;

  constructor(private readonly options: FoldOptions) {
    const { since, until } = options;
    this.now = options.now;
    this.slaMs = options.slaHours * HOUR_MS;
    this.since = since;
    this.until = until;
    // Deleted and merged-away records stay in the mirror for history but count no more.
    this.deals = options.deals.filter((d) => !d.deleted && this.inWindow(d.createdAt));
    this.leadOfDeal = new Array<Lead | undefined>(this.deals.length);
    this.deals.forEach((d, i) => {
      for (const id of d.contactIds) {
        const list = this.dealsOfContact.get(id);
        // A contact listed twice on a deal gets it once: its list already ends with this deal (no Set per
        // deal, a fifth of a million of them at enterprise scale).
        if (list === undefined) this.dealsOfContact.set(id, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
  }

  private inWindow(createdAt: number | null): boolean {
    if (this.since === undefined && this.until === undefined) return true;
    return createdAt !== null && (this.since === undefined || createdAt >= this.since) && (this.until === undefined || createdAt < this.until);
  }

  /** One contact and its decisions (at least its first of each status by each origin); skipped when it does not count. */
  add(contact: MetricsContact, decisions: readonly FirstDecision[]): void {
    if (contact.deleted || !this.inWindow(contact.createdAt)) return;
    this.contacts++;
    const indices = this.dealsOfContact.get(contact.id) ?? NO_DEALS;
    const cohort = cohortOf(contact);
    const source = keyOrNone(contact.source);
    for (const i of indices) {
      const lead = this.leadOfDeal[i];
      if (lead === undefined || byCreation(contact, lead) < 0) this.leadOfDeal[i] = { id: contact.id, createdAt: contact.createdAt, cohort, source };
    }
    const j = journeyOf(contact, decisions, indices.length === 0 ? NO_DEALS_OF : indices.map((i) => this.deals[i]));
    this.overall.add(j, this.now, this.slaMs);
    this.tally('cohort', cohort, j);
    this.tally('source', source, j);
    if (j.firstDeal) this.tally('status', keyOrNone(j.firstDeal.statusAtCreation), j);
    if (isSlaBreach(j, this.now, this.slaMs)) this.breached.push(contact.id);
    if (contact.createdAt !== null) {
      if (this.firstCreated === null || contact.createdAt < this.firstCreated) this.firstCreated = contact.createdAt;
      if (this.lastCreated === null || contact.createdAt > this.lastCreated) this.lastCreated = contact.createdAt;
    }
  }

  private tally(dimension: Dimension, key: string, j: Journey): void {
    const groups = this.groups[dimension];
    let t = groups.get(key);
    if (t === undefined) groups.set(key, (t = new GroupTally()));
    t.add(j, this.now, this.slaMs);
  }

  /** The created months of the first counted contact and deal: where a period's series start (period.ts). */
  firstMonths(): { lead: string | null; deal: string | null } {
    const dealCreated = this.deals.reduce<number | null>((m, d) => (d.createdAt !== null && (m === null || d.createdAt < m) ? d.createdAt : m), null);
    return { lead: this.firstCreated === null ? null : monthOf(this.firstCreated), deal: dealCreated === null ? null : monthOf(dealCreated) };
  }

  finish(): Metrics {
    const { now, since, deals } = this;
    const group = (key: string, tally: GroupTally, ds: readonly MetricsDeal[]): GroupFigures => ({
      key,
      funnel: tally.funnel(),
      deals: dealFiguresOf(ds, now),
      handOff: tally.handOff(),
      qualifiedPipeline: qualifiedPipelineOf(ds),
    });
    const dimension = (d: Dimension, dealKey: (deal: MetricsDeal, i: number) => string | undefined, order: (a: string, b: string) => number, keys: string[] = []): GroupFigures[] => {
      const tallies = this.groups[d];
      const ds = bucket(
        deals.map((deal, i) => ({ deal, key: dealKey(deal, i) })),
        (x) => x.key,
      );
      const all = [...new Set([...keys, ...tallies.keys(), ...ds.keys()])].sort(order);
      return all.map((k) => group(k, tallies.get(k) ?? new GroupTally(), (ds.get(k) ?? []).map((x) => x.deal)));
    };

    // Cohorts run from the first month (or since's) to now's, so a month without leads shows, empty.
    const first = since !== undefined ? monthOf(since) : this.firstCreated !== null ? monthOf(this.firstCreated) : null;
    const last = this.lastCreated !== null && monthOf(this.lastCreated) > monthOf(now) ? monthOf(this.lastCreated) : monthOf(now);
    const cohortMonths = first === null || first > last ? [] : monthsBetween(first, last);

    // The pipeline series runs by the deal's own created month (not its lead's cohort), from the first deal's
    // month (or since's) to now's, so a month without deals shows, empty.
    const firstDealMonth = since !== undefined ? monthOf(since) : this.firstMonths().deal;

    return {
      slaHours: this.options.slaHours,
      since: since === undefined ? null : new Date(since).toISOString().slice(0, 10),
      overall: group('overall', this.overall, deals),
      byCohort: dimension('cohort', (_, i) => this.leadOfDeal[i]?.cohort, byKey, cohortMonths),
      bySource: dimension('source', (_, i) => this.leadOfDeal[i]?.source, byKey),
      byStatus: dimension('status', (d) => keyOrNone(d.statusAtCreation), byStatus),
      qualifiedPipelineByMonth: qualifiedPipelineByMonth(deals, firstDealMonth, monthOf(now)),
      dealsWithoutContacts: deals.filter((_, i) => this.leadOfDeal[i] === undefined).length,
      slaBreachedContactIds: [...this.breached].sort(),
    };
  }
}

import { LADDER_STATUSES, type LadderStatus, type LeadStatus, type Reason, type ReasonKind, type Thresholds } from './types';
import { formatPoints } from './values';

/**
 * Reasons carry their facts (rule, points, age) and write their sentence only when read. Most decisions
 * are compared, counted or replayed (what-if, calibration, change detection) far more often than they
 * are shown, and building sentences was half of an evaluation's cost. `text` and JSON are always complete.
 *
 * Fields are `declare`d and assigned in the constructors rather than declared as class fields: class
 * fields are defined one by one with [[DefineOwnProperty]], which made constructing a reason about six
 * times slower than plain assignments. The assignments keep the order the fields had (points first, as
 * the base class defined it, kind last), so every reason has the same own properties in the same order.
 */
abstract class LazyReason implements Reason {
  declare kind: ReasonKind;
  declare ref: string;
  declare points?: number;
  constructor() {
    this.points = undefined;
  }
  abstract get text(): string;
  toJSON(): { kind: ReasonKind; ref: string; points?: number; text: string } {
    return this.points === undefined ? { kind: this.kind, ref: this.ref, text: this.text } : { kind: this.kind, ref: this.ref, points: this.points, text: this.text };
  }
}

export function signed(points: number): string {
  return points < 0 ? formatPoints(points) : `+${formatPoints(points)}`;
}

export const STATUS_LABEL: Record<LeadStatus, string> = {
  disqualified: 'Disqualified',
  needs_data: 'Needs data',
  nurture: 'Nurture',
  marketing_qualified: 'Marketing qualified',
  sales_ready: 'Sales ready',
};

/**
 * Everything a decayed engagement rule's reasons share, made once per rule when the definition is
 * compiled. A reason holds this plan by reference and only its own facts (points after decay, age):
 * three fewer fields per reason to allocate and fill on every match.
 */
export interface DecayPlan {
  readonly id: string;
  readonly label: string;
  readonly points: number;
  readonly halfLife: boolean;
  readonly days: number;
  readonly from: string;
  readonly how: string;
}

/** The UTC day of an instant (a far-off year keeps its sign and digits); the raw number beyond JavaScript's dates. */
function dayOf(t: number): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return `${t} ms`;
  const iso = d.toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

/**
 * A decayed engagement rule: its points after decay, the points it started from and the day it is dated
 * from. The date, not an age: "3.21 days ago" would change the text every few minutes with nothing else
 * changed, and a re-evaluation would rewrite the reasons (and move uld_evaluated_at) for nothing.
 */
export class DecayedReason extends LazyReason {
  declare kind: 'engagement';
  declare points: number;
  declare private plan: DecayPlan;
  declare private at: number;
  constructor(plan: DecayPlan, points: number, at: number) {
    super();
    this.ref = plan.id;
    this.plan = plan;
    this.points = points;
    this.at = at;
    this.kind = 'engagement';
  }
  get text(): string {
    const p = this.plan;
    return `${signed(this.points)} engagement: ${p.label} (${formatPoints(p.points)} points on ${dayOf(this.at)}, ${p.how})`;
  }
}

/** An engagement rule that matched but whose decay date is empty or unreadable: it counts 0. */
export class UndatedReason extends LazyReason {
  declare kind: 'engagement';
  declare points: number;
  declare private plan: DecayPlan;
  declare private value: string | undefined;
  constructor(plan: DecayPlan, value: string | undefined) {
    super();
    this.ref = plan.id;
    this.plan = plan;
    this.value = value;
    this.kind = 'engagement';
    this.points = 0;
  }
  get text(): string {
    const p = this.plan;
    const why = this.value === undefined ? `${p.from} is empty` : `${p.from} "${this.value}" is not a date`;
    return `+0 engagement: ${p.label} (${formatPoints(p.points)} points, but ${why}, so it cannot be dated)`;
  }
}

/** What a disqualifier's reasons share, made once per disqualifier when the definition is compiled. */
export interface DisqualifierPlan {
  readonly id: string;
  readonly reason: string;
  /** The property a plain condition reads, shown with its value; undefined for a compound condition. */
  readonly shownRef: string | undefined;
}

export class DisqualifierReason extends LazyReason {
  declare kind: 'disqualifier';
  declare private plan: DisqualifierPlan;
  declare private shownValue: string | undefined;
  constructor(plan: DisqualifierPlan, shownValue: string | undefined) {
    super();
    this.ref = plan.id;
    this.plan = plan;
    this.shownValue = shownValue;
    this.kind = 'disqualifier';
  }
  get text(): string {
    const p = this.plan;
    return `Disqualifier: ${p.reason}${this.shownValue === undefined ? '' : ` (${p.shownRef}: ${this.shownValue})`}`;
  }
}

/** The first reason of every decision: the status, and the thresholds met or missed. */
export class StatusReason extends LazyReason {
  declare kind: 'status';
  declare ref: LeadStatus;
  declare private ladder: Record<LadderStatus, Thresholds>;
  declare private fit: number;
  declare private engagement: number;
  declare private total: number;
  /** For disqualified and needs_data: the disqualifier reasons or the missing fields. */
  declare private detail: string[] | undefined;
  constructor(ref: LeadStatus, ladder: Record<LadderStatus, Thresholds>, fit: number, engagement: number, total: number, detail: string[] | undefined) {
    super();
    this.ref = ref;
    this.ladder = ladder;
    this.fit = fit;
    this.engagement = engagement;
    this.total = total;
    this.detail = detail;
    this.kind = 'status';
  }
  get text(): string {
    const status = this.ref;
    if (status === 'disqualified') return `${STATUS_LABEL.disqualified}: ${this.detail!.join('; ')}`;
    if (status === 'needs_data') return `${STATUS_LABEL.needs_data}: missing ${this.detail!.join(', ')}`;
    if (status === 'nurture') {
      return `${STATUS_LABEL.nurture}: not yet marketing qualified: ${this.compare(this.ladder.marketing_qualified).short.join(', ')}`;
    }
    const met = this.compare(this.ladder[status]).met.join(', ');
    if (status === 'marketing_qualified') {
      return `${STATUS_LABEL.marketing_qualified}: ${met}. Not yet sales ready: ${this.compare(this.ladder.sales_ready).short.join(', ')}`;
    }
    return `${STATUS_LABEL.sales_ready}: ${met}`;
  }
  private compare(t: Thresholds): { met: string[]; short: string[] } {
    const met: string[] = [];
    const short: string[] = [];
    const check = (name: string, have: number, min: number | undefined) => {
      if (min === undefined) return;
      if (have >= min) met.push(`${name} ${formatPoints(have)} >= ${formatPoints(min)}`);
      else short.push(`${name} ${formatPoints(have)} < ${formatPoints(min)}`);
    };
    check('fit', this.fit, t.fit);
    check('engagement', this.engagement, t.engagement);
    check('total', this.total, t.total);
    return { met, short };
  }
}

/** Whether scores meet a rung of the ladder: every threshold it sets. */
export function meets(t: Thresholds, fit: number, engagement: number, total: number): boolean {
  return (t.fit === undefined || fit >= t.fit) && (t.engagement === undefined || engagement >= t.engagement) && (t.total === undefined || total >= t.total);
}

/** climb() below reads the rungs in this order; the type fails to check if LADDER_STATUSES changes. */
const _ladderOrder: readonly ['sales_ready', 'marketing_qualified'] = LADDER_STATUSES;

/**
 * The highest rung met, or nurture. The rungs are read by name, in LADDER_STATUSES order: a lookup by a
 * varying key (`ladder[s]` in a loop) was a megamorphic keyed load on every evaluation.
 */
export function climb(ladder: Record<LadderStatus, Thresholds>, fit: number, engagement: number, total: number): LeadStatus {
  if (meets(ladder.sales_ready, fit, engagement, total)) return 'sales_ready';
  if (meets(ladder.marketing_qualified, fit, engagement, total)) return 'marketing_qualified';
  return 'nurture';
}

import { LADDER_STATUSES, type LadderStatus, type LeadStatus, type Reason, type ReasonKind, type Thresholds } from './types';
import { formatPoints } from './values';

/**
 * Reasons carry their facts (rule, points, age) and write their sentence only when read. Most decisions
 * are compared, counted or replayed (what-if, calibration, change detection) far more often than they
 * are shown, and building sentences was half of an evaluation's cost. `text` and JSON are always complete.
 */
abstract class LazyReason implements Reason {
  abstract readonly kind: ReasonKind;
  abstract readonly ref: string;
  readonly points?: number;
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

/** A decayed engagement rule: its points after decay, the points it started from and how old it is. */
export class DecayedReason extends LazyReason {
  readonly kind = 'engagement' as const;
  constructor(
    readonly ref: string,
    private readonly label: string,
    private readonly basePoints: number,
    override readonly points: number,
    private readonly ageDays: number,
    private readonly how: string,
  ) {
    super();
  }
  get text(): string {
    return `${signed(this.points)} engagement: ${this.label} (${formatPoints(this.basePoints)} points, ${formatPoints(this.ageDays)} days ago, ${this.how})`;
  }
}

/** An engagement rule that matched but whose decay date is empty or unreadable: it counts 0. */
export class UndatedReason extends LazyReason {
  readonly kind = 'engagement' as const;
  override readonly points = 0;
  constructor(
    readonly ref: string,
    private readonly label: string,
    private readonly basePoints: number,
    private readonly from: string,
    private readonly value: string | undefined,
  ) {
    super();
  }
  get text(): string {
    const why = this.value === undefined ? `${this.from} is empty` : `${this.from} "${this.value}" is not a date`;
    return `+0 engagement: ${this.label} (${formatPoints(this.basePoints)} points, but ${why}, so it cannot be dated)`;
  }
}

export class DisqualifierReason extends LazyReason {
  readonly kind = 'disqualifier' as const;
  constructor(
    readonly ref: string,
    private readonly reason: string,
    private readonly shownRef: string | undefined,
    private readonly shownValue: string | undefined,
  ) {
    super();
  }
  get text(): string {
    return `Disqualifier: ${this.reason}${this.shownValue === undefined ? '' : ` (${this.shownRef}: ${this.shownValue})`}`;
  }
}

/** The first reason of every decision: the status, and the thresholds met or missed. */
export class StatusReason extends LazyReason {
  readonly kind = 'status' as const;
  constructor(
    readonly ref: LeadStatus,
    private readonly ladder: Record<LadderStatus, Thresholds>,
    private readonly fit: number,
    private readonly engagement: number,
    private readonly total: number,
    /** For disqualified and needs_data: the disqualifier reasons or the missing fields. */
    private readonly detail: string[] | undefined,
  ) {
    super();
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

/** The highest rung met, or nurture. */
export function climb(ladder: Record<LadderStatus, Thresholds>, fit: number, engagement: number, total: number): LeadStatus {
  for (const s of LADDER_STATUSES) if (meets(ladder[s], fit, engagement, total)) return s;
  return 'nurture';
}

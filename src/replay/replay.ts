import { evaluate, STATUSES, type CompiledDefinition, type Decision, type LeadStatus } from '../definition';
import { parseTimestamp } from '../definition/values';
import type { ParsedDefinition } from '../definition/schema';
import { DEFAULT_HISTORY_BOUND, FactsTimeline, type RecordPast } from './timeline';

const DAY_MS = 86_400_000;

/** Why the status changed at that instant. */
export type ChangeCause = 'before_history' | 'first_known' | 'facts' | 'time';

export interface StatusChange {
  status: LeadStatus;
  /** When the facts made the status true (epoch ms); null when it held before the kept history began. */
  at: number | null;
  cause: ChangeCause;
  decision: Decision;
}

/** When a ladder rung was first reached, or that it was reached with no dated evidence. */
export type Reached = { reachedAt: number; evidence: 'history' } | { reachedAt: null; evidence: 'before_history' };

export interface ReplayResult {
  /** Status changes, oldest first; the first entry is the status at `start`. */
  timeline: StatusChange[];
  /** The first instant the replay knows every input; before it the status is unknown. */
  start: number;
  /** Whether some history may have lost values from before `start` (HubSpot's per-property bound). */
  truncated: boolean;
  firstMarketingQualified: Reached | null;
  firstSalesReady: Reached | null;
  /** Definition evaluations the replay ran (for the throughput figure). */
  evaluations: number;
}

export interface ReplayInput {
  contact: RecordPast;
  /** The contact's primary company today (HubSpot has no association history), or none. */
  company?: RecordPast | null;
  /** The replay's end: the decision at `now` is today's decision. */
  now: number;
  /** HubSpot's per-property history bound (a history this long may be cut). */
  bound?: number;
}

/** A rule whose truth changes with time alone: `within_days`, `older_than_days`, or a decay. */
interface TimeRule {
  ref: string;
  days: number;
}

const RANK: ReadonlyMap<LeadStatus, number> = new Map(STATUSES.map((s, i) => [s, i]));

/**
 * Replays the definition over one contact's past. Pure: no clock, no I/O.
 *
 * Facts change only at history timestamps ("change points"); between two change points the status can
 * still move because decay and day windows depend on `now`. Those instants are found in two steps: the
 * instants a day window closes or a linear decay reaches zero are computed exactly (date + days), and
 * between any two such instants each rule's points only fall (or only rise) with time, so the status
 * there is monotone and a bisection to the millisecond finds where it changes (about 36 evaluations for a
 * two-year interval). A status that left and came back inside one such interval with mixed-sign decays
 * would be missed; definitions decay positive points only in practice.
 */
export function replayContact(def: CompiledDefinition, input: ReplayInput): ReplayResult {
  const bound = input.bound ?? DEFAULT_HISTORY_BOUND;
  const contact = new FactsTimeline(def.contactProperties, input.contact, bound);
  const company = input.company ? new FactsTimeline(def.companyProperties, input.company, bound) : null;
  const rules = timeRules(def.source);
  let evaluations = 0;

  const factsAt = (t: number) => ({ contact: contact.at(t), company: company ? company.at(t) : null });
  const judge = (facts: ReturnType<typeof factsAt>, t: number): Decision => {
    evaluations += 1;
    return evaluate(def, facts.contact, facts.company, t);
  };

  const changes = mergeTimes(contact.changeTimes(), company?.changeTimes() ?? []).filter((t) => t <= input.now);
  const truncated = contact.truncated || (company?.truncated ?? false);
  const knownFrom = Math.max(contact.knownFrom, company?.knownFrom ?? -Infinity);
  // Without a dated change, the only instant known is today.
  const start = Number.isFinite(knownFrom) ? Math.min(knownFrom, input.now) : changes.length > 0 ? changes[0]! : input.now;
  const points = [start, ...changes.filter((t) => t > start)];

  const timeline: StatusChange[] = [];
  let facts = factsAt(start);
  let decision = judge(facts, start);
  timeline.push({ status: decision.status, at: truncated ? null : start, cause: truncated ? 'before_history' : 'first_known', decision });

  for (let i = 0; i < points.length; i += 1) {
    const from = points[i]!;
    if (i > 0) {
      facts = factsAt(from);
      const next = judge(facts, from);
      if (next.status !== decision.status) timeline.push({ status: next.status, at: from, cause: 'facts', decision: next });
      decision = next;
    }
    // The facts hold until the next change point (exclusive), or until now (inclusive).
    const until = i + 1 < points.length ? points[i + 1]! - 1 : input.now;
    if (until <= from) continue;
    const cuts = [...new Set(boundaries(rules, facts, from, until))].sort((a, b) => a - b);
    let s = from;
    for (const e of [...cuts, until]) {
      // Each piece [s, e] is monotone: find every status change in it by bisection.
      while (s < e) {
        const end = judge(facts, e);
        if (end.status === decision.status) break;
        let lo = s;
        let hi = e;
        let found = end;
        while (hi - lo > 1) {
          const mid = lo + Math.floor((hi - lo) / 2);
          const d = judge(facts, mid);
          if (d.status === decision.status) lo = mid;
          else {
            hi = mid;
            found = d;
          }
        }
        timeline.push({ status: found.status, at: hi, cause: 'time', decision: found });
        decision = found;
        s = hi;
      }
      s = Math.max(s, e);
    }
  }

  return {
    timeline,
    start,
    truncated,
    firstMarketingQualified: firstReached(timeline, 'marketing_qualified'),
    firstSalesReady: firstReached(timeline, 'sales_ready'),
    evaluations,
  };
}

/**
 * The status at an instant (e.g. a deal's creation): null before the replay knows the facts.
 */
export function statusAt(result: ReplayResult, at: number): LeadStatus | null {
  if (at < result.start) return null;
  let status: LeadStatus | null = null;
  for (const change of result.timeline) {
    if ((change.at ?? result.start) > at) break;
    status = change.status;
  }
  return status;
}

/**
 * A rung counts as reached at the first status at or above it: a contact that goes straight to
 * sales_ready has passed marketing_qualified at the same instant.
 */
function firstReached(timeline: readonly StatusChange[], rung: 'marketing_qualified' | 'sales_ready'): Reached | null {
  const need = RANK.get(rung)!;
  for (const change of timeline) {
    if (RANK.get(change.status)! < need) continue;
    return change.at === null ? { reachedAt: null, evidence: 'before_history' } : { reachedAt: change.at, evidence: 'history' };
  }
  return null;
}

/** Instants inside (from, until] where a time rule's truth changes or a linear decay ends. */
function boundaries(rules: readonly TimeRule[], facts: { contact: Record<string, string | null>; company: Record<string, string | null> | null }, from: number, until: number): number[] {
  const out: number[] = [];
  for (const r of rules) {
    const text = r.ref.startsWith('company.') ? facts.company?.[r.ref.slice('company.'.length)] : facts.contact[r.ref];
    if (text === null || text === undefined) continue;
    const t = parseTimestamp(text);
    if (t !== t) continue;
    // `now - t <= days` holds through t + days and fails one millisecond later.
    for (const edge of [t + r.days * DAY_MS, t + r.days * DAY_MS + 1]) if (edge > from && edge < until) out.push(edge);
  }
  return out;
}

/** Every rule of the definition whose outcome depends on `now`. */
export function timeRules(def: ParsedDefinition): TimeRule[] {
  const out: TimeRule[] = [];
  type Cond = { property?: string; operator?: string; days?: number; all?: Cond[]; any?: Cond[]; not?: Cond };
  const walk = (c: Cond | undefined): void => {
    if (!c) return;
    if ((c.operator === 'within_days' || c.operator === 'older_than_days') && c.property && c.days !== undefined) out.push({ ref: c.property, days: c.days });
    c.all?.forEach(walk);
    c.any?.forEach(walk);
    walk(c.not);
  };
  for (const c of [...(def.fit ?? []), ...(def.engagement ?? []), ...(def.disqualifiers ?? [])]) walk(c.when as Cond);
  for (const c of def.engagement ?? []) if (c.decay) out.push({ ref: c.decay.from, days: c.decay.days });
  return out;
}

function mergeTimes(a: number[], b: number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

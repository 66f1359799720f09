import { formatLift, formatRate, lift, proportion, twoProportionZ, type Lift, type Proportion } from './evidence';
import type { LeadOutcome } from './outcomes';

/**
 * How calibration judges a rule, whatever it judges (a contact's criteria in ./calibrate.ts, an account's
 * rules in ./calibrate-accounts.ts): the rows it judges, a rule's lift, z and verdict, the ranking, and the
 * table rows. Pure.
 */

export type Verdict = 'predicts' | 'no evidence' | 'backwards' | 'too few';

/** What calibration says of one rule: how the rows it matches and the others converted, the lift, z and verdict. */
export interface RuleEvidence {
  id: string;
  label: string;
  /** null for disqualifiers. */
  points: number | null;
  matched: Proportion;
  unmatched: Proportion;
  lift: Lift;
  z: number;
  verdict: Verdict;
}

/**
 * The rows calibration judges (leads, or accounts): those with an outcome and old enough to have converted
 * (created at least `minAge` ms before `now`), each with the rules (`kind:id`) its decision's reasons name.
 */
export function judgedRows<T extends { id: string }>(
  items: readonly T[],
  outcomes: ReadonlyMap<string, LeadOutcome>,
  now: number,
  minAge: number,
  reasonsOf: (item: T) => ReadonlyArray<{ kind: string; ref: string }>,
  kinds: readonly string[],
): { judged: Array<{ item: T; converted: boolean; refs: Set<string> }>; tooYoung: number; unknown: number } {
  let tooYoung = 0;
  let unknown = 0;
  const judged: Array<{ item: T; converted: boolean; refs: Set<string> }> = [];
  for (const item of items) {
    const outcome = outcomes.get(item.id);
    if (!outcome) {
      unknown += 1;
      continue;
    }
    if (outcome.createdAt !== null && now - outcome.createdAt < minAge) {
      tooYoung += 1;
      continue;
    }
    const refs = new Set<string>();
    for (const r of reasonsOf(item)) if (kinds.includes(r.kind)) refs.add(`${r.kind}:${r.ref}`);
    judged.push({ item, converted: outcome.opportunity, refs });
  }
  return { judged, tooYoung, unknown };
}

/** A rule as calibration judges it: a disqualifier, or a rule with negative points (a penalty), should lower conversion. */
export interface JudgedRule {
  kind: string;
  points: number | null;
  lift: Lift;
  verdict: Verdict;
}
const lowers = (c: Pick<JudgedRule, 'kind' | 'points'>) => c.kind === 'disqualifier' || (c.points ?? 0) < 0;

/**
 * The lift, z and verdict of a rule from the rows it matches (`yes`) and the others (`no`): a rule that
 * should lower conversion is right when the rows it catches convert less, one with positive points when they
 * convert more. Shared by the contact criteria and the account rules (./calibrate-accounts.ts).
 */
export function judgeRule(c: Pick<JudgedRule, 'kind' | 'points'>, yes: Proportion, no: Proportion, minSupport: number, zCrit: number): { lift: Lift; z: number; verdict: Verdict } {
  const z = twoProportionZ(yes, no);
  const direction = lowers(c) ? -1 : 1;
  const verdict: Verdict = yes.n < minSupport || no.n < minSupport ? 'too few' : direction * z >= zCrit ? 'predicts' : direction * z <= -zCrit ? 'backwards' : 'no evidence';
  return { lift: lift(yes, no), z, verdict };
}

/**
 * Strongest evidence first: judged rules before 'too few' ones (which have no place in a ranking), then by
 * the lower bound of the lift; rules that should lower conversion by how surely they do (the inverse of the
 * upper bound).
 */
export function byEvidence(a: JudgedRule, b: JudgedRule): number {
  const rank = (c: JudgedRule) => (c.verdict === 'too few' ? 1 : 0);
  const strength = (c: JudgedRule) => (lowers(c) ? 1 / (c.lift.high ?? 1) : (c.lift.low ?? 0));
  return rank(a) - rank(b) || strength(b) - strength(a);
}

export function split<T extends { converted: boolean }>(rows: readonly T[], inGroup: (row: T) => boolean): { yes: Proportion; no: Proportion } {
  let n1 = 0;
  let k1 = 0;
  let n0 = 0;
  let k0 = 0;
  for (const r of rows) {
    if (inGroup(r)) {
      n1 += 1;
      if (r.converted) k1 += 1;
    } else {
      n0 += 1;
      if (r.converted) k0 += 1;
    }
  }
  return { yes: proportion(k1, n1), no: proportion(k0, n0) };
}

/** The evidence table's header, its first column `width` wide (shared with ./calibrate-accounts.ts). */
export function evidenceHeader(first: string, width: number): string {
  return `${first.padEnd(width)}${'points'.padStart(7)}${'matching'.padStart(10)}${'converted'.padStart(22)}${'others'.padStart(9)}${'converted'.padStart(22)}${'lift'.padStart(22)}  verdict`;
}

/** A rule's row: `kind:id` (disqualifiers `dq:id`), points, both groups' conversion, the lift and the verdict. */
export function evidenceRow(c: RuleEvidence & { kind: string }, width: number): string {
  const name = `${c.kind === 'disqualifier' ? 'dq' : c.kind}:${c.id}`.slice(0, width - 1).padEnd(width);
  return `${name}${(c.points === null ? '-' : String(c.points)).padStart(7)}${String(c.matched.n).padStart(10)}${formatRate(c.matched).padStart(22)}${String(c.unmatched.n).padStart(9)}${formatRate(c.unmatched).padStart(22)}${formatLift(c.lift).padStart(22)}  ${c.verdict}`;
}

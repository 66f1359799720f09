/**
 * The statistics behind "does this group convert better?": proportions with a Wilson score interval, a
 * two-proportion z statistic, and the risk ratio (lift) with Katz's log interval. Pure arithmetic; formulas
 * from any statistics text (Wilson 1927; Katz et al. 1978), written out here.
 */

/** 95% two-sided normal quantile. */
export const Z95 = 1.959964;

export interface Proportion {
  /** Leads in the group. */
  n: number;
  /** Of them, converted. */
  k: number;
  /** k / n, null for an empty group. */
  rate: number | null;
  /** Wilson score interval at 95%, null for an empty group. */
  low: number | null;
  high: number | null;
}

export function proportion(k: number, n: number, z = Z95): Proportion {
  if (n === 0) return { n, k, rate: null, low: null, high: null };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { n, k, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Pooled two-proportion z statistic of a against b: positive when a converts more; 0 when undefined. */
export function twoProportionZ(a: Proportion, b: Proportion): number {
  if (a.n === 0 || b.n === 0) return 0;
  const pooled = (a.k + b.k) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  return se === 0 ? 0 : ((a.rate as number) - (b.rate as number)) / se;
}

export interface Lift {
  /** rate(a) / rate(b); null when either group is empty or b never converted. */
  lift: number | null;
  /** Katz 95% interval of the ratio (with 0.5 added to every cell when a count is 0, so it stays finite). */
  low: number | null;
  high: number | null;
}

export function lift(a: Proportion, b: Proportion, z = Z95): Lift {
  if (a.n === 0 || b.n === 0) return { lift: null, low: null, high: null };
  const point = b.k === 0 ? null : (a.k / a.n) / (b.k / b.n);
  const fix = a.k === 0 || b.k === 0 ? 0.5 : 0;
  const [ka, na, kb, nb] = [a.k + fix, a.n + 2 * fix, b.k + fix, b.n + 2 * fix];
  const log = Math.log(ka / na / (kb / nb));
  const se = Math.sqrt(1 / ka - 1 / na + 1 / kb - 1 / nb);
  return { lift: point, low: Math.exp(log - z * se), high: Math.exp(log + z * se) };
}

/** A rate with its interval as the tables print it, `12.3% [10.1-14.8]`; `-` for an empty group. */
export function formatRate(p: Proportion): string {
  return p.rate === null ? '-' : `${(100 * p.rate).toFixed(1)}% [${(100 * (p.low as number)).toFixed(1)}-${(100 * (p.high as number)).toFixed(1)}]`;
}

/** A lift with its interval as the tables print it, `1.95x [1.64-2.30]`; `-` when there is none. */
export function formatLift(l: Lift): string {
  return l.lift === null ? '-' : `${l.lift.toFixed(2)}x [${(l.low as number).toFixed(2)}-${(l.high as number).toFixed(2)}]`;
}

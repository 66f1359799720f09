/**
 * The arithmetic of the figures, null-safe: an empty sample has no mean and no median (null), a ratio over
 * nothing is null. Never 0 for "unknown" and never NaN, so an empty cohort reads as empty, not as failing.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** A sample of durations (or amounts): its size, mean and median; null when the sample is empty. */
export interface Summary {
  count: number;
  mean: number | null;
  median: number | null;
}

export function summarize(values: ArrayLike<number>): Summary {
  if (values.length === 0) return { count: 0, mean: null, median: null };
  // A typed copy sorts numerically in native code, and the sum runs in ascending order whatever the order
  // the samples came in, so the same sample always gives the same mean to the last bit.
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  // An even sample's median is the mean of its two middle values.
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  return { count: sorted.length, mean: sum / sorted.length, median };
}

/**
 * A growing sample of numbers in a Float64Array (8 bytes each, no object per value): the durations behind
 * a median, kept compactly when a million contacts are folded.
 */
export class Samples {
  private values = new Float64Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }

  summary(): Summary {
    return summarize(this.values.subarray(0, this.length));
  }
}

/** numerator / denominator, or null when the denominator is 0 (a rate over nobody is unknown, not 0). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** The UTC created-month cohort of an instant: 'YYYY-MM'. */
export function monthOf(ms: number): string {
  const d = new Date(ms);
  const key = d.getUTCFullYear() * 12 + d.getUTCMonth();
  let month = MONTHS.get(key);
  if (month === undefined) MONTHS.set(key, (month = d.toISOString().slice(0, 7)));
  return month;
}
/** Month texts by year * 12 + month: a million contacts fall in a few dozen months, each formatted once. */
const MONTHS = new Map<number, string>();

/** Every month from `from` to `to` inclusive ('YYYY-MM'), so a month without leads still shows as a cohort. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** An SLA as people say it: "24 h", "15 min", "36 s" (SLA_HOURS takes fractions of an hour). */
export function slaText(hours: number): string {
  if (hours >= 1) return `${Math.round(hours * 100) / 100} h`;
  if (hours * 60 >= 1) return `${Math.round(hours * 600) / 10} min`;
  return `${Math.round(hours * 36_000) / 10} s`;
}

import { accountsOf, foldMetrics, type MetricsInput } from './compute';
import type { MetricsFold } from './fold';
import { DAY_MS } from './stats';
import { NONE, type Metrics } from './types';

/**
 * A reporting period: whole UTC days, both ends included, as the dashboard's `?from=&to=` and `uld report
 * --from --to` give it. Pure: "today" comes from `now`, a parameter. docs/metrics.md, "The period".
 */

export interface Period {
  /** First day, 'YYYY-MM-DD' (UTC), included. */
  from: string;
  /** Last day, 'YYYY-MM-DD' (UTC), included. */
  to: string;
}

/** The period when none is given: the last 90 days, today (UTC) included. */
export const DEFAULT_PERIOD_DAYS = 90;

/**
 * Bounds that keep the previous period a date too (its days are written YYYY-MM-DD): a period starts no
 * earlier than this and is at most MAX_PERIOD_DAYS long.
 */
export const EARLIEST_DAY = '1900-01-01';
export const MAX_PERIOD_DAYS = 36_500;

/** 'YYYY-MM-DD' as the start of that UTC day, or null when it is not a real calendar date. */
export function parseDay(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const ms = Date.parse(`${s}T00:00:00.000Z`);
  // Date.parse rolls 2025-02-30 over to March; a date that does not read back is not a date.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s ? null : ms;
}

export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const addDays = (day: string, n: number): string => dayOf(parseDay(day)! + n * DAY_MS);

/** Epoch ms: `start` is the first instant of `from`, `end` the first instant after `to` (half-open). */
export function periodBounds(p: Period): { start: number; end: number } {
  return { start: parseDay(p.from)!, end: parseDay(p.to)! + DAY_MS };
}

/** Days in the period, both ends counted. */
export const periodDays = (p: Period): number => Math.round((parseDay(p.to)! - parseDay(p.from)!) / DAY_MS) + 1;

/** The `days` days ending today (UTC), today included. */
export function lastDays(days: number, now: number): Period {
  const to = dayOf(now);
  return { from: addDays(to, -(days - 1)), to };
}

/** The period of the same length that ends the day before `p` starts. */
export function previousPeriod(p: Period): Period {
  const to = addDays(p.from, -1);
  return { from: addDays(to, -(periodDays(p) - 1)), to };
}

export const inPeriod = (ms: number | null, bounds: { start: number; end: number }): boolean => ms !== null && ms >= bounds.start && ms < bounds.end;

/** A period as asked for, or why it cannot be one: a message naming the problem and the fix. */
export type PeriodChoice = { ok: true; period: Period; explicit: boolean } | { ok: false; message: string };

/**
 * `from` and `to` as given (query parameters or flags, `names` as the user calls them): both absent is the
 * default period; one alone is completed to a period of the default length (from + 89 days, capped at today,
 * or the 90 days ending `to`); `from` after `to`, or a value that is not a calendar day, is an error.
 */
export function choosePeriod(from: string | undefined, to: string | undefined, now: number, names = { from: 'from', to: 'to' }): PeriodChoice {
  const given = (v: string | undefined) => v !== undefined && v !== '';
  if (!given(from) && !given(to)) return { ok: true, period: lastDays(DEFAULT_PERIOD_DAYS, now), explicit: false };
  for (const [name, v] of [[names.from, from], [names.to, to]] as const) {
    if (given(v) && parseDay(v!) === null) return { ok: false, message: `${name} must be a UTC day YYYY-MM-DD, found ${JSON.stringify(v)}; give e.g. ${name}=${dayOf(now)}` };
  }
  const today = dayOf(now);
  const f = given(from) ? from! : addDays(to!, -(DEFAULT_PERIOD_DAYS - 1));
  // From alone: the default length, but not past today unless the period starts after it.
  const fullLength = addDays(f, DEFAULT_PERIOD_DAYS - 1);
  const t = given(to) ? to! : fullLength > today && f <= today ? today : fullLength;
  if (f > t) return { ok: false, message: `${names.from} (${f}) is after ${names.to} (${t}); give a ${names.from} on or before the ${names.to}` };
  if (f < EARLIEST_DAY) return { ok: false, message: `${names.from} (${f}) is before ${EARLIEST_DAY}; give a ${names.from} on or after it` };
  if (periodDays({ from: f, to: t }) > MAX_PERIOD_DAYS) return { ok: false, message: `${f} to ${t} is longer than ${MAX_PERIOD_DAYS} days; give a shorter period` };
  return { ok: true, period: { from: f, to: t }, explicit: true };
}

/**
 * The figures of `computeMetrics` over the records **created** in the period (what `--since` does, with an
 * end): contacts and deals created from the first instant of `from` to the last of `to`. The cohorts run from
 * the month of the period's first lead (its first deal for the deal-month series) to `to`'s month, so a long
 * period does not list years of empty months before the first record, nor months after the period; empty
 * months in between are listed, as everywhere. The account funnel counts the accounts created in the period.
 * `now` still ages the open deals and judges the SLA.
 */
export function computeMetricsForPeriod(input: MetricsInput, period: Period): Metrics & { period: Period } {
  const bounds = periodBounds(period);
  const { period: p, ...metrics } = finishForPeriod(foldMetrics(input, { since: bounds.start, until: bounds.end }), period);
  // The accounts created in the period are judged on all their contacts and deals (not only the period's).
  return { ...metrics, accounts: accountsOf(input, bounds), period: p };
}

/** The figures of a fold over a period's records (`since` and `until` its bounds), cut to the period's months. */
export function finishForPeriod(fold: MetricsFold, period: Period): Metrics & { period: Period } {
  const metrics = fold.finish();
  const { lead: firstLead, deal: firstDeal } = fold.firstMonths();
  const last = period.to.slice(0, 7);
  const within = (first: string | null) => (month: string) => month === NONE || (first !== null && month >= first && month <= last);
  return {
    ...metrics,
    byCohort: metrics.byCohort.filter((g) => within(firstLead)(g.key)),
    qualifiedPipelineByMonth: metrics.qualifiedPipelineByMonth.filter((m) => within(firstDeal)(m.month)),
    period,
  };
}

/**
 * Reading HubSpot property values. HubSpot returns every value as a string; an unset property comes back
 * as null or "". Input files may also hold numbers and booleans, so those are read as their text.
 */

export const DAY_MS = 86_400_000;

/** The value's text, or undefined when the property has no value. Anything else (objects, functions
 * inherited from Object.prototype for names like "constructor") counts as no value. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** A number, or NaN when the text is not one ("1,500", "abc"). Whitespace-only never gets here. */
export function parseNumber(text: string): number {
  const digits = smallDigits(text);
  if (digits >= 0) return digits;
  const t = text.trim();
  if (t === '') return NaN;
  return Number(t);
}

const DIGITS = /^-?\d+$/;

/**
 * Epoch milliseconds, or NaN. HubSpot writes datetimes as epoch-ms strings or ISO 8601, and date
 * properties as `YYYY-MM-DD` (midnight UTC).
 */
export function parseTimestamp(text: string): number {
  const fast = parseIsoUtc(text);
  if (fast === fast) return fast; // not NaN
  // Epoch digits (HubSpot's other datetime shape) without the trim, regex, replace and Number() of the
  // general path below, which give the same answer for a string of ASCII digits only.
  const digits = smallDigits(text);
  if (digits >= 0) return text.length <= 10 ? digits * 1000 : digits;
  const t = text.trim();
  if (DIGITS.test(t)) {
    const n = Number(t);
    // Ten digits or fewer are seconds, not milliseconds: some imports write Unix seconds.
    return t.replace('-', '').length <= 10 ? n * 1000 : n;
  }
  return Date.parse(t);
}

/**
 * The value of a string of 1 to 15 ASCII digits ("42", "1700000000000"), or -1 for any other string.
 * Equal to Number(s) for those strings: every such integer is below 2^53, so accumulating it digit by
 * digit is exact. Number() on a fresh string is a call into the runtime and showed in the profile.
 */
function smallDigits(s: string): number {
  const len = s.length;
  if (len === 0 || len > 15) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The value of the two ASCII digits at i and i + 1, or -1. Integers only, so it stays in int32 registers. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The two shapes HubSpot writes, `2024-05-01` and `2024-05-01T10:20:30.456Z` (or without the
 * milliseconds), read without Date.parse (which dominated the evaluator's profile). Anything else returns
 * NaN and takes the general path.
 */
function parseIsoUtc(s: string): number {
  const len = s.length;
  if ((len !== 10 && len !== 20 && len !== 24) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  if (century < 0 || yy < 0 || !(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return NaN;
  const y = century * 100 + yy;
  if (len === 10) return utc(y, mo, d, 0);
  if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(len - 1) !== 90) return NaN;
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  let ms = 0;
  if (len === 24) {
    const hundreds = twoDigits(s, 20);
    const ones = s.charCodeAt(22) - 48;
    if (s.charCodeAt(19) !== 46 || hundreds < 0 || !(ones >= 0 && ones <= 9)) return NaN;
    ms = hundreds * 10 + ones;
  }
  if (!(h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59)) return NaN;
  return utc(y, mo, d, h * 3_600_000 + mi * 60_000 + sec * 1000 + ms);
}

/**
 * `Date.UTC(y, mo - 1, d) + timeOfDay` for the fields parseIsoUtc accepts (a four-digit year, month 1-12,
 * day 1-31, a valid time of day in ms), in integer arithmetic: Date.UTC is a call into the C++ runtime
 * and was the largest cost of reading a date. It keeps Date.UTC's quirks: years 0-99 mean 1900-1999, and
 * a day past the month's end rolls over (2024-02-31 is March 2), because the day is added to the first
 * of the month. Every intermediate is an integer below 2^53, so the result is exact and equal to
 * Date.UTC's (checked for every year 0-9999, month and day 1-31).
 */
function utc(y: number, mo: number, d: number, timeOfDay: number): number {
  if (y <= 99) y += 1900;
  // Days from 1970-01-01 to the first of the month (H. Hinnant's days_from_civil, years starting in March).
  // Every operand is a small non-negative integer, so `x / n | 0` is floor(x / n) in int32 arithmetic.
  const yy = mo <= 2 ? y - 1 : y;
  const era = (yy / 400) | 0;
  const yoe = yy - era * 400;
  const mp = mo > 2 ? mo - 3 : mo + 9;
  const doy = ((153 * mp + 2) / 5 | 0) + d - 1;
  const doe = yoe * 365 + (yoe >> 2) - ((yoe / 100) | 0) + doy;
  return (era * 146_097 + doe - 719_468) * 86_400_000 + timeOfDay;
}

/** The domain of an email address, URL or bare domain, lower case, without a leading "www.". */
export function domainOf(text: string): string | undefined {
  // The common case, an address in plain lower-case ASCII (no capitals, spaces, controls or other
  // characters that trim() or toLowerCase() would change), in one pass that also finds the last "@":
  // the same result as the general path below without its copies of the string.
  // The same pass finds the first "." after that "@", which decides whether the domain has a dot
  // without slicing it off first and searching the slice.
  let lastAt = -1;
  let dot = -1;
  let i = 0;
  const len = text.length;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) {
      lastAt = i;
      dot = -1;
    } else if (c === 46) {
      if (dot < 0) dot = i;
    } else if (c <= 32 || c >= 127 || (c >= 65 && c <= 90)) break;
  }
  if (i === len && lastAt >= 0) {
    const end = text.charCodeAt(len - 1) === 46 ? len - 1 : len; // without a final "."
    return dot >= 0 && dot < end ? text.slice(lastAt + 1, end) : undefined;
  }
  let t = text.trim().toLowerCase();
  // t.lastIndexOf('@'), without the call into the runtime that String.prototype.lastIndexOf makes.
  let at = t.length - 1;
  while (at >= 0 && t.charCodeAt(at) !== 64) at--;
  if (at >= 0) t = t.slice(at + 1);
  else {
    const scheme = t.indexOf('://');
    if (scheme >= 0) t = t.slice(scheme + 3);
    const slash = t.search(/[/?#:]/);
    if (slash >= 0) t = t.slice(0, slash);
    if (t.startsWith('www.')) t = t.slice(4);
  }
  if (t.charCodeAt(t.length - 1) === 46) t = t.slice(0, -1); // ends with "."
  return t.length > 0 && t.includes('.') ? t : undefined;
}

/** Whether a domain is in the set, itself or as a subdomain of a listed one (mail.corp.com of corp.com). */
export function domainInSet(domain: string, set: ReadonlySet<string>): boolean {
  let d = domain;
  for (;;) {
    if (set.has(d)) return true;
    const dot = d.indexOf('.');
    if (dot < 0) return false;
    d = d.slice(dot + 1);
    if (!d.includes('.')) return set.has(d);
  }
}

/**
 * Several domain lists at once: `match(domain)` has bit i set exactly when `domainInSet(domain, sets[i])`.
 * A contact's email is checked against the free-mail list, the competitor list, ...: walking its parent
 * domains once for all of them takes one lookup per parent instead of one per parent and list. Parents
 * whose length no listed domain has are not looked up (nor sliced off): they cannot be in any list.
 */
export class DomainIndex {
  private readonly bits = new Map<string, number>();
  /**
   * A filter on (length, first character) of the listed domains: a name whose pair no listed domain has
   * is not one of them, and is neither sliced off nor hashed for a lookup.
   */
  private readonly shapes = new Uint8Array(64 * 64);
  constructor(sets: ReadonlyArray<ReadonlySet<string>>) {
    if (sets.length > 30) throw new RangeError('DomainIndex: at most 30 sets');
    sets.forEach((set, i) => {
      for (const d of set) {
        this.bits.set(d, (this.bits.get(d) ?? 0) | (1 << i));
        this.shapes[shape(d, 0)] = 1;
      }
    });
  }
  /** Visits the same names as domainInSet: the domain, then what follows each of its dots. */
  match(domain: string): number {
    let mask = 0;
    let from = 0;
    for (;;) {
      if (this.shapes[shape(domain, from)] === 1) {
        const b = this.bits.get(from === 0 ? domain : domain.slice(from));
        if (b !== undefined) mask |= b;
      }
      const dot = domain.indexOf('.', from);
      if (dot < 0) return mask;
      from = dot + 1;
    }
  }
}

/** The filter slot of `s.slice(from)`: its length and first character code, six bits each. */
function shape(s: string, from: number): number {
  // For the empty name charCodeAt is NaN, and NaN & 63 is 0, the same on both sides of the filter.
  return (((s.length - from) & 63) << 6) | (s.charCodeAt(from) & 63);
}

/** Rounds to hundredths, so the points shown in the reasons add up to the scores exactly. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * A number as a rep reads it: 20, 12.5, 3.25. Built from integers because the general number-to-string
 * conversion dominated the evaluator's profile; it agrees with String(round2(n)) for every finite n.
 */
export function formatPoints(n: number): string {
  const hundredths = Math.round(n * 100);
  if (!Number.isSafeInteger(hundredths)) return String(round2(n));
  const abs = hundredths < 0 ? -hundredths : hundredths;
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  const sign = hundredths < 0 ? '-' : '';
  if (frac === 0) return sign + whole;
  if (frac % 10 === 0) return `${sign}${whole}.${frac / 10}`;
  return `${sign}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

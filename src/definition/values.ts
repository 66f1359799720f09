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
  const t = text.trim();
  if (DIGITS.test(t)) {
    const n = Number(t);
    // Ten digits or fewer are seconds, not milliseconds: some imports write Unix seconds.
    return t.replace('-', '').length <= 10 ? n * 1000 : n;
  }
  return Date.parse(t);
}

function digitsAt(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The two shapes HubSpot writes, `2024-05-01` and `2024-05-01T10:20:30.456Z`, read without Date.parse
 * (which dominated the evaluator's profile). Anything else returns NaN and takes the general path.
 */
function parseIsoUtc(s: string): number {
  const len = s.length;
  if ((len !== 10 && len !== 20 && len !== 24) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return NaN;
  if (len === 10) return Date.UTC(y, mo - 1, d);
  if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(len - 1) !== 90) return NaN;
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  let ms = 0;
  if (len === 24) {
    if (s.charCodeAt(19) !== 46) return NaN;
    ms = digitsAt(s, 20, 3);
  }
  if (!(h <= 23 && mi <= 59 && sec <= 59) || ms !== ms) return NaN;
  // Date.UTC rolls 2024-02-31 over into March 2, exactly as V8's Date.parse does for this shape.
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** The domain of an email address, URL or bare domain, lower case, without a leading "www.". */
export function domainOf(text: string): string | undefined {
  let t = text.trim().toLowerCase();
  const at = t.lastIndexOf('@');
  if (at >= 0) t = t.slice(at + 1);
  else {
    const scheme = t.indexOf('://');
    if (scheme >= 0) t = t.slice(scheme + 3);
    const slash = t.search(/[/?#:]/);
    if (slash >= 0) t = t.slice(0, slash);
    if (t.startsWith('www.')) t = t.slice(4);
  }
  if (t.endsWith('.')) t = t.slice(0, -1);
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

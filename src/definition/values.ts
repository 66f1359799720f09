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
  // The common case, an address whose domain (what follows its last "@") is plain lower-case ASCII: no
  // capitals, spaces, controls or other characters that trim() or toLowerCase() would change. Only the
  // domain is read, from the end back to the "@", with the same result as the general path below: that
  // path trims and lower-cases the whole text, which changes nothing after the last "@" when that part is
  // plain, and adds or removes no "@" (no character lower-cases to one). A capital or a space in the
  // name before the "@" therefore no longer sends an address to the general path.
  const start = plainDomainStart(text);
  if (start >= 0) {
    const end = plainDomainEnd(text);
    return nextDot(text, start, end) < end ? text.slice(start, end) : undefined;
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

/**
 * Where the domain of a plain address starts (after its last "@"), or -1 when the text is not one: no
 * "@", or a domain with a character that trim() or toLowerCase() would change (see domainOf).
 */
function plainDomainStart(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 64) return i + 1;
    if (c <= 32 || c >= 127 || (c >= 65 && c <= 90)) return -1;
  }
  return -1;
}

/** Where a plain address's domain ends: before a final ".", which domainOf drops. */
function plainDomainEnd(text: string): number {
  return text.charCodeAt(text.length - 1) === 46 ? text.length - 1 : text.length;
}

/** The first "." in text[from, end), or end: indexOf without its call out of optimised code. */
function nextDot(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) !== 46) i++;
  return i;
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
  /**
   * `match(domainOf(text))`, or -1 when the text has no domain. A plain address (nearly every one) is
   * read in place: its domain and the parents of it are sliced off only when the length and first
   * character of one of them are those of a listed domain, where domainOf would copy the domain first.
   */
  matchAddress(text: string): number {
    // One pass from the end back to the "@", looking up the name after each "." and after the "@" on
    // the way (the names match() visits). Whether the address is plain is known only at the "@": an
    // address that is not takes the general path, and the lookups made until then were wasted, not wrong.
    const len = text.length;
    const end = len > 0 && text.charCodeAt(len - 1) === 46 ? len - 1 : len; // without a final "."
    let mask = 0;
    let dotted = false;
    let after = -1; // the character code at i + 1, or -1 at the end
    for (let i = end - 1; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === 64 || c === 46) {
        // The filter slot of the name text[i + 1, end), as shape() computes it on the sliced domain.
        const slot = (((end - i - 1) & 63) << 6) | (after === -1 ? 0 : after & 63);
        if (this.shapes[slot] === 1) {
          const b = this.bits.get(text.slice(i + 1, end));
          if (b !== undefined) mask |= b;
        }
        if (c === 64) return dotted ? mask : -1; // a domain without a "." is no domain (see domainOf)
        dotted = true;
      } else if (c <= 32 || c >= 127 || (c >= 65 && c <= 90)) break;
      after = c;
    }
    const domain = domainOf(text);
    return domain === undefined ? -1 : this.match(domain);
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

/**
 * Several substring tests on one text at once: `scan(text)` has bit i set exactly when one of the needles
 * of `sets[i]` occurs in the text, and bit 30 (NON_ASCII) set when the text has a character outside ASCII.
 * It stands in for `contains` (includes) and `contains_any` (a regex alternation of the needles), which
 * called into the regex engine or lowered the text once per condition: a record's job title is tested
 * against the students, the senior titles and the manager titles, and one pass over it now answers all.
 *
 * It is an Aho-Corasick automaton over ASCII: every needle must be ASCII (see indexable()). With
 * `caseInsensitive`, ASCII letters are folded to lower case on both sides. For a case-insensitive regex
 * that is exact: without the `u` flag, a character outside ASCII never matches an ASCII one. For
 * toLowerCase().includes() it is exact only on ASCII texts (toLowerCase turns the Kelvin sign into "k"),
 * so a caller testing that way checks NON_ASCII and takes its old path for such a text.
 */
export class SubstringIndex {
  static readonly NON_ASCII = 1 << 30;
  /** Character class of each ASCII code (0: in no needle), so the table has one column per class. */
  private readonly classes = new Uint8Array(128);
  private readonly width: number;
  /** next[state * width + class]: the automaton's transitions, failures already followed. */
  private readonly next: Int32Array;
  /** The bits of the needles that end at each state, including those reached through failure links. */
  private readonly out: Int32Array;

  /** Whether a needle can be indexed: ASCII only (a set with any other needle keeps its old test). */
  static indexable(needle: string): boolean {
    for (let i = 0; i < needle.length; i++) if (needle.charCodeAt(i) >= 128) return false;
    return true;
  }

  constructor(sets: ReadonlyArray<readonly string[]>, caseInsensitive: boolean) {
    if (sets.length > 30) throw new RangeError('SubstringIndex: at most 30 sets');
    const fold = (c: number) => (caseInsensitive && c >= 65 && c <= 90 ? c + 32 : c);
    let width = 1;
    for (const set of sets) {
      for (const needle of set) {
        if (!SubstringIndex.indexable(needle)) throw new RangeError('SubstringIndex: needles must be ASCII');
        for (let i = 0; i < needle.length; i++) {
          const c = fold(needle.charCodeAt(i));
          if (this.classes[c] === 0) this.classes[c] = width++;
        }
      }
    }
    if (caseInsensitive) for (let c = 65; c <= 90; c++) this.classes[c] = this.classes[c + 32]!;
    this.width = width;
    // The trie of the needles, then its failure links breadth first (the classic construction).
    const goto: number[][] = [new Array<number>(width).fill(-1)];
    const out: number[] = [0];
    sets.forEach((set, bit) => {
      for (const needle of set) {
        let state = 0;
        for (let i = 0; i < needle.length; i++) {
          const k = this.classes[fold(needle.charCodeAt(i))]!;
          if (goto[state]![k] === -1) {
            goto[state]![k] = goto.length;
            goto.push(new Array<number>(width).fill(-1));
            out.push(0);
          }
          state = goto[state]![k]!;
        }
        out[state] |= 1 << bit; // the empty needle ends at the root: every text contains it
      }
    });
    const next = new Int32Array(goto.length * width);
    const fail = new Array<number>(goto.length).fill(0);
    const queue: number[] = [];
    for (let k = 0; k < width; k++) {
      const t = goto[0]![k]!;
      next[k] = t === -1 ? 0 : t;
      if (t !== -1) queue.push(t);
    }
    // Class 0 (a character in no needle) always leads back to the root.
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      out[state] |= out[fail[state]!]!;
      for (let k = 0; k < width; k++) {
        const t = goto[state]![k]!;
        if (t === -1 || k === 0) next[state * width + k] = next[fail[state]! * width + k]!;
        else {
          fail[t] = next[fail[state]! * width + k]!;
          next[state * width + k] = t;
          queue.push(t);
        }
      }
    }
    this.next = next;
    this.out = Int32Array.from(out);
  }

  scan(text: string): number {
    const { classes, next, out, width } = this;
    let mask = out[0]!;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        mask |= SubstringIndex.NON_ASCII;
        state = 0; // no needle has this character
        continue;
      }
      state = next[state * width + classes[c]!]!;
      mask |= out[state]!;
    }
    return mask;
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

import type { ConditionInput } from './schema';
import { DAY_MS, DomainIndex, domainOf, SubstringIndex } from './values';

/**
 * Conditions compiled once into JavaScript expressions for the generated evaluator (see generate.ts):
 * lists become sets, patterns become RegExps, case folding of the definition's values happens here, so an
 * evaluation does only the work that depends on the record.
 *
 * No value of the definition (a string, a number, a list, a pattern) is ever written into the generated
 * source. Each one is stored in the Constants table and the source names it by position (`K12`), so a
 * definition cannot inject code; the source is built only from fixed templates, slot numbers and these names.
 */

/** A value that could not be read; it becomes a reason instead of an exception. */
export interface DataProblem {
  property: string;
  value: string;
  expected: 'a number' | 'a date' | 'an email address or domain';
  rule: string;
}

/** The values the generated source refers to as K0, K1, ... */
export class Constants {
  readonly values: unknown[] = [];
  private readonly strings = new Map<string, string>();
  /** The name of a constant holding `value`. Equal strings share a name; other values get their own. */
  add(value: unknown): string {
    if (typeof value === 'string') {
      const known = this.strings.get(value);
      if (known !== undefined) return known;
    }
    const name = `K${this.values.length}`;
    this.values.push(value);
    if (typeof value === 'string') this.strings.set(value, name);
    return name;
  }
}

/**
 * Every property the definition reads gets a slot: one keyed lookup per evaluation, whatever the number of
 * rules that read it. Slots are numbered in the order the definition first mentions the property, and
 * that is the order an evaluation reads them from the contact and company.
 */
export class Slots {
  private readonly index = new Map<string, number>();
  readonly refs: string[] = [];
  property(ref: string): number {
    let i = this.index.get(ref);
    if (i === undefined) {
      i = this.refs.length;
      this.index.set(ref, i);
      this.refs.push(ref);
    }
    return i;
  }
}

type Lists = Readonly<Record<string, ReadonlyArray<string | number>>>;

const NEEDS_ESCAPE = /[.*+?^${}()|[\]\\]/g;

/**
 * One section of the generated evaluator (disqualifiers, fit, ...): compiles its conditions and records
 * which property values and derived values (number, date, lower case, domain lists matched, substrings
 * found) they read, so the section's function computes each derived value once, at its top, instead of
 * once per rule that reads it.
 * Derived values are pure functions of the property's text that never throw, so computing one that a
 * short-circuited rule then does not read changes nothing but a little time.
 */
export class SectionScope {
  private readonly properties = new Set<number>();
  private readonly numbers = new Set<number>();
  private readonly dates = new Set<number>();
  private readonly lowers = new Set<number>();
  /** Per property slot, the domain sets of its domain_in / domain_not_in conditions, in bit order. */
  private readonly domainSets = new Map<number, Array<ReadonlySet<string>>>();
  /**
   * Per property slot and case sensitivity, the needle sets of its contains / contains_any conditions, in
   * bit order: one SubstringIndex scan of the text answers them all (see substring()).
   */
  private readonly substringSets = new Map<string, { slot: number; ci: boolean; sets: string[][] }>();

  constructor(
    private readonly k: Constants,
    private readonly slots: Slots,
    private readonly lists: Lists,
  ) {}

  /** The local holding a property's text (undefined when empty). */
  property(ref: string): string {
    const slot = this.slots.property(ref);
    this.properties.add(slot);
    return `p${slot}`;
  }

  /**
   * An expression for a property's timestamp (NaN when empty or not a date), parsed at its first use in
   * the evaluation: a rule whose other conditions fail, or a decay whose rule does not match, parses
   * nothing. Reads after the first may use `t<slot>` itself, see dateName().
   */
  date(ref: string): string {
    const slot = this.slots.property(ref);
    this.properties.add(slot);
    this.dates.add(slot);
    return `(t${slot} ??= (p${slot} === undefined ? NaN : parseTimestamp(p${slot})))`;
  }

  private dateName(ref: string): string {
    return `t${this.slots.property(ref)}`;
  }

  /**
   * Statements declaring the section's locals: property values first, then the values derived from them.
   * Without `properties`, the property locals are left to the caller, which has them already (the whole
   * evaluation in one function reads them straight from the record).
   */
  prelude(properties = true): string[] {
    const out: string[] = [];
    if (properties) for (const i of [...this.properties].sort((a, b) => a - b)) out.push(`const p${i} = s.p${i};`);
    for (const i of this.numbers) out.push(`const n${i} = p${i} === undefined ? NaN : parseNumber(p${i});`);
    // Timestamps and lower-cased texts are computed at their first use (see date() and leaf()); these hold
    // them once computed. A timestamp is always a number and a lower-cased text a string, so undefined
    // means not computed yet.
    for (const i of this.dates) out.push(`let t${i};`);
    for (const i of this.lowers) out.push(`let l${i};`);
    for (const { slot, ci, sets } of this.substringSets.values()) {
      for (let chunk = 0; chunk * 30 < sets.length; chunk++) {
        const index = this.k.add(new SubstringIndex(sets.slice(chunk * 30, chunk * 30 + 30), ci));
        out.push(`const ${substringMask(slot, ci, chunk)} = p${slot} === undefined ? 0 : ${index}.scan(p${slot});`);
      }
    }
    for (const [i, sets] of this.domainSets) {
      // One DomainIndex per 30 conditions: a mask bit per condition.
      for (let chunk = 0; chunk * 30 < sets.length; chunk++) {
        const index = this.k.add(new DomainIndex(sets.slice(chunk * 30, chunk * 30 + 30)));
        // -1 when the text has no domain (see DomainIndex.matchAddress).
        out.push(`const m${i}_${chunk} = p${i} === undefined ? -1 : ${index}.matchAddress(p${i});`);
      }
    }
    return out;
  }

  /**
   * The mask local and bit that say whether one of `needles` occurs in the property's text, or undefined
   * when a needle is not ASCII (the caller keeps its own test then). Needles are as the definition wrote
   * them; with `ci`, SubstringIndex folds case itself.
   */
  private substring(slot: number, ci: boolean, needles: string[]): { mask: string; bit: number } | undefined {
    if (!needles.every((n) => SubstringIndex.indexable(n))) return undefined;
    const key = `${slot}:${ci}`;
    const entry = this.substringSets.get(key) ?? { slot, ci, sets: [] };
    this.substringSets.set(key, entry);
    const i = entry.sets.length;
    entry.sets.push(needles);
    return { mask: substringMask(slot, ci, Math.floor(i / 30)), bit: 1 << i % 30 };
  }

  /** A boolean expression for the condition; `rule` names the constant holding the rule's id (for data problems). */
  condition(c: ConditionInput, rule: string): string {
    if (c.all) return `(${c.all.map((p) => this.condition(p, rule)).join(' && ')})`;
    if (c.any) return `(${c.any.map((p) => this.condition(p, rule)).join(' || ')})`;
    if (c.not) return `!${this.condition(c.not, rule)}`;
    return this.leaf(c, rule);
  }

  private leaf(c: ConditionInput, rule: string): string {
    const k = (v: unknown) => this.k.add(v);
    const ref = c.property!;
    const slot = this.slots.property(ref);
    const p = this.property(ref);
    const ci = c.caseInsensitive === true;
    const fold = (s: string) => (ci ? s.toLowerCase() : s);
    const valuesOf = () => (c.values ?? this.lists[c.list!] ?? []).map((v) => String(v));
    // Every read of a lower-cased text is inside defined(), so the property is a string there. The first
    // read in the expression (`first`) computes it; later reads in the same expression use the local.
    const lower = (first: boolean) => {
      this.lowers.add(slot);
      return first ? `(l${slot} ??= ${p}.toLowerCase())` : `l${slot}`;
    };
    const number = () => {
      this.numbers.add(slot);
      return `n${slot}`;
    };
    // Each read of an unreadable value is reported, naming the rule: report() records it and returns false.
    const report = (expected: DataProblem['expected']) => `report(s, ${k(ref)}, ${p}, '${expected}', ${rule})`;
    const defined = (test: string) => `(${p} !== undefined && ${test})`;

    switch (c.operator!) {
      case 'exists':
        return `(${p} !== undefined)`;
      case 'missing':
        return `(${p} === undefined)`;
      case 'equals':
      case 'not_equals': {
        // A negative operator never matches an empty property: "not a student" is unknown when the
        // title is empty. Use `missing` to act on empty values.
        const negate = c.operator === 'not_equals';
        const is = negate ? '!==' : '===';
        const value = c.value!;
        // Equality by the type the definition wrote: numbers compare as numbers, booleans as true/false.
        if (typeof value === 'number') {
          // An unreadable number equals nothing, so not_equals matches it (after reporting it).
          const n = number();
          return defined(`(${n} === ${n} ? ${n} ${is} ${k(value)} : ${negate ? `(${report('a number')}, true)` : report('a number')})`);
        }
        if (typeof value === 'boolean') return defined(`${p}.trim().toLowerCase() ${is} ${k(value ? 'true' : 'false')}`);
        if (ci) return defined(`${lower(true)} ${is} ${k(value.toLowerCase())}`);
        return defined(`${p} ${is} ${k(value)}`);
      }
      case 'in':
      case 'not_in': {
        const members = new Set(valuesOf().map(fold));
        const v = (first: boolean) => (ci ? lower(first) : p);
        const not = c.operator === 'not_in' ? '!' : '';
        // A few members are compared one by one, which spares hashing the value (a fresh lower-cased
        // string has no hash yet); === on strings is the SameValueZero of Set.prototype.has.
        if (members.size <= 8) return defined(`${not}(${[...members].map((m, i) => `${v(i === 0)} === ${k(m)}`).join(' || ')})`);
        return defined(`${not}${k(members)}.has(${v(true)})`);
      }
      case 'contains': {
        const needle = fold(String(c.value));
        const old = `${ci ? lower(true) : p}.includes(${k(needle)})`;
        const s = this.substring(slot, ci, [needle]);
        if (s === undefined) return defined(old);
        // Case folded by toLowerCase() differs from SubstringIndex's ASCII folding only on a text that
        // is not ASCII (the Kelvin sign lowers to "k"): such a text takes the toLowerCase() path.
        if (ci) return defined(`((${s.mask} & ${SubstringIndex.NON_ASCII}) === 0 ? (${s.mask} & ${s.bit}) !== 0 : ${old})`);
        return defined(`(${s.mask} & ${s.bit}) !== 0`);
      }
      case 'contains_any': {
        // Case folded as `contains` folds it (toLowerCase on both sides), so that contains_any of one text
        // is contains of it: a regex's `i` flag folds differently (the Kelvin sign is not "k" to it).
        const needles = valuesOf();
        // One alternation instead of a loop of includes(): the regex engine scans the value once.
        const alternation = new RegExp(needles.map((n) => fold(n).replace(NEEDS_ESCAPE, '\\$&')).join('|'));
        const old = `${k(alternation)}.test(${ci ? lower(true) : p})`;
        const s = this.substring(slot, ci, needles);
        if (s === undefined) return defined(old);
        // As for contains: SubstringIndex folds ASCII only, so a text that is not ASCII takes the toLowerCase() path.
        if (ci) return defined(`((${s.mask} & ${SubstringIndex.NON_ASCII}) === 0 ? (${s.mask} & ${s.bit}) !== 0 : ${old})`);
        return defined(`(${s.mask} & ${s.bit}) !== 0`);
      }
      case 'regex':
        // No `g` or `y` flag is allowed by the schema, so test() keeps no state between records.
        return defined(`${k(new RegExp(c.pattern!, c.flags))}.test(${p})`);
      case 'between': {
        const n = number();
        return defined(`(${n} === ${n} ? ${n} >= ${k(c.min ?? -Infinity)} && ${n} <= ${k(c.max ?? Infinity)} : ${report('a number')})`);
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const n = number();
        const cmp = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.operator];
        return defined(`(${n} === ${n} ? ${n} ${cmp} ${k(Number(c.value))} : ${report('a number')})`);
      }
      case 'within_days':
      case 'older_than_days': {
        // A date in the future counts as age 0: within any window, older than none.
        const first = this.date(ref);
        const t = this.dateName(ref);
        const cmp = c.operator === 'within_days' ? '<=' : '>';
        return defined(`(${first} === ${t} ? Math.max(0, now - ${t}) ${cmp} ${k(c.days! * DAY_MS)} : ${report('a date')})`);
      }
      case 'domain_in':
      case 'domain_not_in': {
        const sets = this.domainSets.get(slot) ?? [];
        this.domainSets.set(slot, sets);
        const bit = sets.length;
        sets.push(new Set(valuesOf().map((d) => domainOf(d) ?? d.toLowerCase())));
        const mask = `m${slot}_${Math.floor(bit / 30)}`;
        const listed = `(${mask} & ${1 << bit % 30}) ${c.operator === 'domain_in' ? '!==' : '==='} 0`;
        // An unreadable address matches neither operator.
        return defined(`(${mask} !== -1 ? ${listed} : ${report('an email address or domain')})`);
      }
    }
  }
}

/** The local holding a SubstringIndex mask: per property slot, case sensitivity and chunk of 30 conditions. */
function substringMask(slot: number, ci: boolean, chunk: number): string {
  return `x${slot}${ci ? 'i' : ''}_${chunk}`;
}

/** Every property a condition reads, for fetching only what the definition needs. */
export function propertiesOf(c: ConditionInput, into: Set<string>): Set<string> {
  if (c.property) into.add(c.property);
  c.all?.forEach((p) => propertiesOf(p, into));
  c.any?.forEach((p) => propertiesOf(p, into));
  if (c.not) propertiesOf(c.not, into);
  return into;
}

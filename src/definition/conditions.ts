import type { ConditionInput } from './schema';
import type { Facts } from './types';
import { DAY_MS, domainInSet, domainOf, parseNumber, parseTimestamp, textOf } from './values';

/**
 * Conditions compiled once into closures: lists become sets, patterns become RegExps, case folding of the
 * definition's values happens here, so an evaluation does only the work that depends on the record.
 */

/** A value that could not be read; it becomes a reason instead of an exception. */
export interface DataProblem {
  property: string;
  value: string;
  expected: 'a number' | 'a date' | 'an email address or domain';
  rule: string;
}

/** Per-evaluation state. `rule` is set by the evaluator before each rule's predicate runs. */
export interface EvalContext {
  contact: Facts;
  company: Facts | null;
  now: number;
  rule: string;
  problems: DataProblem[] | null;
  /** Reasons for capped groups and sections, rare, so allocated only when needed. */
  caps: Array<{ kind: 'cap'; ref: string; text: string }> | null;
  /** Property values and values derived from them, by slot (see Slots). */
  values: unknown[];
}

export type Predicate = (ctx: EvalContext) => boolean;
export type Getter = (ctx: EvalContext) => string | undefined;

/**
 * Slots of the per-evaluation array `ctx.values`. Every property the definition reads gets one, filled
 * once per evaluation (one keyed lookup per property instead of one per rule that reads it); every value
 * derived from a property (parsed date, number, domain, lower case) gets one too, computed at most once
 * per evaluation because several rules read the same date or title. One array: one allocation.
 */
export class Slots {
  private readonly index = new Map<string, number>();
  /** Property slots in the order `loadValues` fills them. */
  readonly properties: Array<{ slot: number; ref: string }> = [];
  property(ref: string): number {
    return this.take(`value:${ref}`, () => this.properties.push({ slot: this.index.size, ref }));
  }
  derived(ref: string, derivation: 'number' | 'date' | 'domain' | 'lower'): number {
    return this.take(`${derivation}:${ref}`);
  }
  get size(): number {
    return this.index.size;
  }
  private take(key: string, onNew?: () => void): number {
    let i = this.index.get(key);
    if (i === undefined) {
      onNew?.();
      i = this.index.size;
      this.index.set(key, i);
    }
    return i;
  }
}

/** Reads `jobtitle` from the contact or `company.industry` from the primary company. */
export function compileGetter(ref: string, slots: Slots): Getter {
  const i = slots.property(ref);
  return (ctx) => ctx.values[i] as string | undefined;
}

/** Where each property slot's value comes from, split once at compile time. */
export interface LoadPlan {
  size: number;
  slots: number[];
  names: string[];
  fromCompany: boolean[];
}

export function loadPlan(slots: Slots): LoadPlan {
  return {
    size: slots.size,
    slots: slots.properties.map((p) => p.slot),
    names: slots.properties.map((p) => (p.ref.startsWith('company.') ? p.ref.slice('company.'.length) : p.ref)),
    fromCompany: slots.properties.map((p) => p.ref.startsWith('company.')),
  };
}

/** The per-evaluation slot array with every property value loaded; derived slots start empty. */
export function loadValues(plan: LoadPlan, contact: Facts, company: Facts | null): unknown[] {
  const out = new Array<unknown>(plan.size);
  const n = plan.names.length;
  for (let i = 0; i < n; i++) {
    out[plan.slots[i]!] = plan.fromCompany[i] ? (company === null ? undefined : textOf(company[plan.names[i]!])) : textOf(contact[plan.names[i]!]);
  }
  return out;
}

function report(ctx: EvalContext, property: string, value: string, expected: DataProblem['expected']): void {
  (ctx.problems ??= []).push({ property, value, expected, rule: ctx.rule });
}

function readNumber(ctx: EvalContext, slot: number, ref: string, text: string): number {
  let n = ctx.values[slot] as number | undefined;
  if (n === undefined) ctx.values[slot] = n = parseNumber(text);
  if (Number.isNaN(n)) report(ctx, ref, text, 'a number');
  return n;
}

/** The timestamp of a date property, memoised; NaN (and a data problem) when it is not a date. */
export function readTimestamp(ctx: EvalContext, slot: number, ref: string, text: string): number {
  let t = ctx.values[slot] as number | undefined;
  if (t === undefined) ctx.values[slot] = t = parseTimestamp(text);
  if (Number.isNaN(t)) report(ctx, ref, text, 'a date');
  return t;
}

function lowered(ctx: EvalContext, slot: number, text: string): string {
  let l = ctx.values[slot] as string | undefined;
  if (l === undefined) ctx.values[slot] = l = text.toLowerCase();
  return l;
}

type Lists = Readonly<Record<string, ReadonlyArray<string | number>>>;

export function compileCondition(c: ConditionInput, lists: Lists, slots: Slots): Predicate {
  if (c.all) {
    const parts = c.all.map((p) => compileCondition(p, lists, slots));
    return (ctx) => {
      for (const p of parts) if (!p(ctx)) return false;
      return true;
    };
  }
  if (c.any) {
    const parts = c.any.map((p) => compileCondition(p, lists, slots));
    return (ctx) => {
      for (const p of parts) if (p(ctx)) return true;
      return false;
    };
  }
  if (c.not) {
    const inner = compileCondition(c.not, lists, slots);
    return (ctx) => !inner(ctx);
  }
  return compileLeaf(c, lists, slots);
}

function compileLeaf(c: ConditionInput, lists: Lists, slots: Slots): Predicate {
  const ref = c.property!;
  const get = compileGetter(ref, slots);
  const ci = c.caseInsensitive === true;
  const fold = (s: string) => (ci ? s.toLowerCase() : s);
  // Slots are handed out only for the derivation an operator uses, keeping the per-record memo small.
  const slot = (derivation: Parameters<Slots['derived']>[1]) => slots.derived(ref, derivation);
  const valuesOf = () => (c.values ?? lists[c.list!] ?? []).map((v) => String(v));

  switch (c.operator!) {
    case 'exists':
      return (ctx) => get(ctx) !== undefined;
    case 'missing':
      return (ctx) => get(ctx) === undefined;
    case 'equals':
    case 'not_equals': {
      const negate = c.operator === 'not_equals';
      const eq = compileEquality(ref, c.value!, ci, typeof c.value === 'number' ? slot('number') : -1, ci ? slot('lower') : -1);
      // A negative operator never matches an empty property: "not a student" is unknown when the
      // title is empty. Use `missing` to act on empty values.
      return (ctx) => {
        const v = get(ctx);
        return v !== undefined && eq(ctx, v) !== negate;
      };
    }
    case 'in':
    case 'not_in': {
      const set = new Set(valuesOf().map(fold));
      const negate = c.operator === 'not_in';
      const lowerSlot = slot('lower');
      return (ctx) => {
        const v = get(ctx);
        return v !== undefined && set.has(ci ? lowered(ctx, lowerSlot, v) : v) !== negate;
      };
    }
    case 'contains': {
      const needle = fold(String(c.value));
      const lowerSlot = slot('lower');
      return (ctx) => {
        const v = get(ctx);
        return v !== undefined && (ci ? lowered(ctx, lowerSlot, v) : v).includes(needle);
      };
    }
    case 'contains_any': {
      // One alternation instead of a loop of includes(): the regex engine scans the value once.
      const alternation = new RegExp(valuesOf().map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), ci ? 'i' : '');
      return (ctx) => {
        const v = get(ctx);
        return v !== undefined && alternation.test(v);
      };
    }
    case 'regex': {
      // No `g` or `y` flag is allowed by the schema, so test() keeps no state between records.
      const re = new RegExp(c.pattern!, c.flags);
      return (ctx) => {
        const v = get(ctx);
        return v !== undefined && re.test(v);
      };
    }
    case 'between': {
      const numberSlot = slot('number');
      const min = c.min ?? -Infinity;
      const max = c.max ?? Infinity;
      return (ctx) => {
        const v = get(ctx);
        if (v === undefined) return false;
        const n = readNumber(ctx, numberSlot, ref, v);
        return n >= min && n <= max;
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const x = Number(c.value);
      const numberSlot = slot('number');
      const cmp: (n: number) => boolean =
        c.operator === 'gt' ? (n) => n > x : c.operator === 'gte' ? (n) => n >= x : c.operator === 'lt' ? (n) => n < x : (n) => n <= x;
      return (ctx) => {
        const v = get(ctx);
        if (v === undefined) return false;
        const n = readNumber(ctx, numberSlot, ref, v);
        return !Number.isNaN(n) && cmp(n);
      };
    }
    case 'within_days':
    case 'older_than_days': {
      const span = c.days! * DAY_MS;
      const dateSlot = slot('date');
      const within = c.operator === 'within_days';
      // A date in the future counts as age 0: within any window, older than none.
      return (ctx) => {
        const v = get(ctx);
        if (v === undefined) return false;
        const t = readTimestamp(ctx, dateSlot, ref, v);
        if (Number.isNaN(t)) return false;
        const age = Math.max(0, ctx.now - t);
        return within ? age <= span : age > span;
      };
    }
    case 'domain_in':
    case 'domain_not_in': {
      const set = new Set(valuesOf().map((d) => domainOf(d) ?? d.toLowerCase()));
      const negate = c.operator === 'domain_not_in';
      const domainSlot = slot('domain');
      return (ctx) => {
        const v = get(ctx);
        if (v === undefined) return false;
        let d = ctx.values[domainSlot] as string | null | undefined;
        if (d === undefined) ctx.values[domainSlot] = d = domainOf(v) ?? null;
        if (d === null) {
          report(ctx, ref, v, 'an email address or domain');
          return false;
        }
        return domainInSet(d, set) !== negate;
      };
    }
  }
}

/** Equality by the type the definition wrote: numbers compare as numbers, booleans as true/false. */
function compileEquality(ref: string, value: string | number | boolean, ci: boolean, numberSlot: number, lowerSlot: number): (ctx: EvalContext, v: string) => boolean {
  if (typeof value === 'number') {
    return (ctx, v) => readNumber(ctx, numberSlot, ref, v) === value;
  }
  if (typeof value === 'boolean') {
    const want = value ? 'true' : 'false';
    return (_ctx, v) => v.trim().toLowerCase() === want;
  }
  if (ci) {
    const want = value.toLowerCase();
    return (ctx, v) => lowered(ctx, lowerSlot, v) === want;
  }
  return (_ctx, v) => v === value;
}

/** Every property a condition reads, for fetching only what the definition needs. */
export function propertiesOf(c: ConditionInput, into: Set<string>): Set<string> {
  if (c.property) into.add(c.property);
  c.all?.forEach((p) => propertiesOf(p, into));
  c.any?.forEach((p) => propertiesOf(p, into));
  if (c.not) propertiesOf(c.not, into);
  return into;
}

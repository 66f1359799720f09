import type { ParsedDefinition } from '../src/definition';
import type { ConditionInput } from '../src/definition/schema';
import { DAY_MS, domainInSet, domainOf, parseNumber, parseTimestamp, round2, textOf } from '../src/definition/values';
import type { Facts, LeadStatus } from '../src/definition/types';

/**
 * The baseline for the evaluator benchmark: the same rules, re-interpreted from the parsed file on
 * every call, the way a rules engine without a compile step works (walk the tree, switch on the
 * operator, build sets and regular expressions as they are met). Its statuses, scores and reasons must
 * equal the compiled evaluator's (test/definition/equivalence.test.ts checks them on random definitions and
 * leads), so the speed-up is not bought by doing less.
 */
export interface NaiveDecision {
  status: LeadStatus;
  fitScore: number;
  engagementScore: number;
  totalScore: number;
  reasons: string[];
}

function read(ref: string, contact: Facts, company: Facts | null): string | undefined {
  if (ref.startsWith('company.')) return company ? textOf(company[ref.slice(8)]) : undefined;
  return textOf(contact[ref]);
}

function holds(c: ConditionInput, def: ParsedDefinition, contact: Facts, company: Facts | null, now: number): boolean {
  if (c.all) return c.all.every((x) => holds(x, def, contact, company, now));
  if (c.any) return c.any.some((x) => holds(x, def, contact, company, now));
  if (c.not) return !holds(c.not, def, contact, company, now);
  const v = read(c.property!, contact, company);
  if (c.operator === 'missing') return v === undefined;
  if (v === undefined) return false;
  const ci = c.caseInsensitive === true;
  const values = (c.values ?? def.lists?.[c.list!] ?? []).map(String);
  switch (c.operator) {
    case 'exists':
      return true;
    case 'equals':
    case 'not_equals': {
      let eq: boolean;
      if (typeof c.value === 'number') eq = parseNumber(v) === c.value;
      else if (typeof c.value === 'boolean') eq = v.trim().toLowerCase() === String(c.value);
      else eq = ci ? v.toLowerCase() === String(c.value).toLowerCase() : v === c.value;
      return c.operator === 'equals' ? eq : !eq;
    }
    case 'in':
    case 'not_in': {
      const set = new Set(values.map((x) => (ci ? x.toLowerCase() : x)));
      return set.has(ci ? v.toLowerCase() : v) === (c.operator === 'in');
    }
    case 'contains':
      return ci ? v.toLowerCase().includes(String(c.value).toLowerCase()) : v.includes(String(c.value));
    case 'contains_any':
      return values.some((x) => (ci ? v.toLowerCase().includes(x.toLowerCase()) : v.includes(x)));
    case 'regex':
      return new RegExp(c.pattern!, c.flags).test(v);
    case 'between': {
      const n = parseNumber(v);
      return n >= (c.min ?? -Infinity) && n <= (c.max ?? Infinity);
    }
    case 'gt':
      return parseNumber(v) > Number(c.value);
    case 'gte':
      return parseNumber(v) >= Number(c.value);
    case 'lt':
      return parseNumber(v) < Number(c.value);
    case 'lte':
      return parseNumber(v) <= Number(c.value);
    case 'within_days':
    case 'older_than_days': {
      const t = parseTimestamp(v);
      if (Number.isNaN(t)) return false;
      const age = Math.max(0, now - t);
      return c.operator === 'within_days' ? age <= c.days! * DAY_MS : age > c.days! * DAY_MS;
    }
    case 'domain_in':
    case 'domain_not_in': {
      const d = domainOf(v);
      if (d === undefined) return false;
      const set = new Set(values.map((x) => domainOf(x) ?? x.toLowerCase()));
      return domainInSet(d, set) === (c.operator === 'domain_in');
    }
    default:
      return false;
  }
}

function section(def: ParsedDefinition, kind: 'fit' | 'engagement', contact: Facts, company: Facts | null, now: number, reasons: string[]): number {
  type Rule = NonNullable<ParsedDefinition['engagement']>[number];
  const rules: Rule[] = (kind === 'fit' ? def.fit : def.engagement) ?? [];
  const groups = new Map<string, number>();
  let raw = 0;
  for (const r of rules) {
    if (!holds(r.when, def, contact, company, now)) continue;
    let pts = r.points;
    const decay = r.decay;
    if (decay) {
      const text = read(decay.from, contact, company);
      const t = text === undefined ? NaN : parseTimestamp(text);
      if (Number.isNaN(t)) pts = 0;
      else {
        const ageDays = Math.max(0, now - t) / DAY_MS;
        pts = round2(r.points * (decay.type === 'half_life' ? Math.pow(0.5, ageDays / decay.days) : Math.max(0, 1 - ageDays / decay.days)));
      }
    }
    reasons.push(`${pts} ${kind}: ${r.label}`);
    const cap = r.group !== undefined ? def.caps?.groups?.[r.group] : undefined;
    if (cap !== undefined) groups.set(r.group!, (groups.get(r.group!) ?? 0) + pts);
    else raw += pts;
  }
  for (const [g, pts] of groups) raw += Math.min(pts, def.caps!.groups![g]!);
  return Math.min(Math.max(0, round2(raw)), def.caps?.[kind] ?? Infinity);
}

export function evaluateNaive(def: ParsedDefinition, contact: Facts, company: Facts | null, now: number): NaiveDecision {
  const reasons: string[] = [];
  let disqualified = false;
  for (const d of def.disqualifiers ?? []) {
    if (holds(d.when, def, contact, company, now)) {
      disqualified = true;
      reasons.push(d.reason);
    }
  }
  let missing = false;
  for (const r of def.required ?? []) {
    const ref = typeof r === 'string' ? r : r.property;
    if (read(ref, contact, company) === undefined) {
      missing = true;
      reasons.push(`missing ${ref}`);
    }
  }
  const fitScore = section(def, 'fit', contact, company, now, reasons);
  const engagementScore = section(def, 'engagement', contact, company, now, reasons);
  const totalScore = round2(fitScore + engagementScore);
  const meets = (t: { fit?: number; engagement?: number; total?: number }) =>
    (t.fit === undefined || fitScore >= t.fit) && (t.engagement === undefined || engagementScore >= t.engagement) && (t.total === undefined || totalScore >= t.total);
  const status: LeadStatus = disqualified
    ? 'disqualified'
    : missing
      ? 'needs_data'
      : meets(def.ladder.sales_ready)
        ? 'sales_ready'
        : meets(def.ladder.marketing_qualified)
          ? 'marketing_qualified'
          : 'nurture';
  return { status, fitScore, engagementScore, totalScore, reasons };
}

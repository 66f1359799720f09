import fc from 'fast-check';
import { compileDefinition, evaluate, OPERATORS, parseDefinitionText, type CompiledDefinition, type Decision, type Facts, type Operator, type ParsedDefinition } from '../../src/definition';
import { evaluateNaive, type NaiveDecision } from '../../bench/naive-evaluator';
import { DAY, NOW } from '../support/definitions';

/**
 * The compiled evaluator (generated code, substring and domain indexes, memoised derived values, Math.exp
 * for half-lives) must decide exactly as the naive one that re-reads the parsed file on every call
 * (bench/naive-evaluator.ts): same status, same scores (exactly, no tolerance), same reasons. The naive
 * one is the rules as docs/lead-definition.md states them, so a disagreement is a bug in one of the two.
 *
 * What is generated: definitions that use every operator (values and lists, case folding, nested
 * all/any/not), fit and engagement with negative and fractional points, groups with and without caps,
 * section caps, half-life and linear decay, disqualifiers, required fields, `company.` references and
 * both rungs of the ladder; contacts and companies over a small pool of properties (so rules collide on
 * them) whose values are missing, empty, numbers in odd shapes, dates in every shape HubSpot writes and
 * some it does not, addresses, domains and text that is not ASCII.
 *
 * What is left out, because the naive evaluator does not do it: `account.status`/`account.score`
 * references and the `accounts` section (the account decision), `hubspot` status and stage mappings, and
 * threshold overrides. Reasons are compared as the naive evaluator records them: every disqualifier, every
 * missing field and every matched rule with its points, in order; the status, cap and unreadable-value
 * reasons only the compiled evaluator writes are not compared (the status and scores are).
 */

const CONTACT_PROPERTIES = ['email', 'jobtitle', 'country', 'num_visits', 'createdate', 'last_seen'];
const COMPANY_PROPERTIES = ['industry', 'numberofemployees', 'domain', 'founded'];
const REFS = [...CONTACT_PROPERTIES, ...COMPANY_PROPERTIES.map((p) => `company.${p}`)];
const DATE_REFS = ['createdate', 'last_seen', 'company.founded', 'email'];

// Operands that meet the facts below: words in both cases, numbers, domains and subdomains, the empty
// needle, and the Kelvin sign (which lowers to an ASCII "k").
const WORDS = ['a', 'A', 'gmail.com', 'Example.COM', 'sub.example.com', 'www.acme.io', 'acme', 'Germany', 'germany', 'student', '10', '1e3', '-2.5', '', 'K', '\u212a', 'é', 'x@y'];
const word = fc.constantFrom(...WORDS);
const listItem = fc.oneof(word, fc.constantFrom(10, 0, -2.5, 1000));
const number = fc.oneof(fc.constantFrom(0, 1, 10, -2.5, 1000, 0.1), fc.integer({ min: -50, max: 50 }), fc.double({ min: -1e4, max: 1e4, noNaN: true }));
const days = fc.oneof(fc.constantFrom(0.5, 1, 7, 30, 365), fc.double({ min: 0.01, max: 1000, noNaN: true }));
const ci = fc.option(fc.boolean(), { nil: undefined });
const LIST_NAMES = ['words', 'domains'];

function leaf(operator: Operator): fc.Arbitrary<Record<string, unknown>> {
  const property = fc.constantFrom(...REFS);
  const on = (operands: fc.Arbitrary<Record<string, unknown>>) => fc.tuple(property, operands).map(([p, o]) => strip({ property: p, operator, ...o }));
  const valuesOrList = fc.oneof(fc.array(listItem, { minLength: 1, maxLength: 5 }).map((values) => ({ values })), fc.constantFrom(...LIST_NAMES).map((list) => ({ list })));
  switch (operator) {
    case 'equals':
    case 'not_equals':
    case 'contains':
      return on(fc.record({ value: fc.oneof(word, number, fc.boolean()), caseInsensitive: ci }));
    case 'in':
    case 'not_in':
    case 'contains_any':
      return on(fc.tuple(valuesOrList, ci).map(([v, c]) => ({ ...v, caseInsensitive: c })));
    case 'domain_in':
    case 'domain_not_in':
      return on(valuesOrList);
    case 'regex':
      return on(fc.record({ pattern: fc.constantFrom('^[a-z]+@', 'example\\.com$', '\\d', '^$|x', 'é|k'), flags: fc.constantFrom(undefined, 'i', 'iu', 's') }));
    case 'between':
      return on(fc.tuple(number, number).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return on(number.map((value) => ({ value })));
    case 'exists':
    case 'missing':
      return on(fc.constant({}));
    case 'within_days':
    case 'older_than_days':
      return fc.tuple(fc.constantFrom(...DATE_REFS), days).map(([p, d]) => ({ property: p, operator, days: d }));
  }
}

/** Drops undefined fields: the schema is strict and JSON drops them anyway, but the generated object is shown on a failure. */
function strip(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const anyLeaf = fc.constantFrom(...OPERATORS).chain(leaf);
const { condition } = fc.letrec<{ condition: Record<string, unknown> }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyLeaf,
    anyLeaf,
    anyLeaf,
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('condition').map((not) => ({ not })),
  ),
}));

const GROUPS = ['firmographics', 'intent', 'uncapped'];
const points = fc.oneof(fc.constantFrom(-5, 0, 0.1, 0.2, 0.3, 2.5, 7, 10, 33.33, 1 / 3), fc.integer({ min: -20, max: 40 }), fc.double({ min: -50, max: 50, noNaN: true }));
const group = fc.option(fc.constantFrom(...GROUPS), { nil: undefined });
const decay = fc.option(fc.record({ type: fc.constantFrom('half_life', 'linear'), days, from: fc.constantFrom(...DATE_REFS, 'jobtitle') }), { nil: undefined });
const cap = fc.option(fc.oneof(fc.constantFrom(10, 25, 0.5), fc.double({ min: 0.01, max: 100, noNaN: true })), { nil: undefined });
const threshold = fc.option(fc.oneof(fc.constantFrom(0, 10, 20, 25.5), fc.double({ min: -5, max: 80, noNaN: true })), { nil: undefined });
const thresholds = fc.record({ fit: threshold, engagement: threshold, total: threshold }).map((t) => (t.fit === undefined && t.engagement === undefined && t.total === undefined ? { total: 30 } : strip(t)));

const definitionArb: fc.Arbitrary<ParsedDefinition> = fc
  .record({
    lists: fc.tuple(fc.array(listItem, { minLength: 1, maxLength: 6 }), fc.array(word, { minLength: 1, maxLength: 4 })),
    required: fc.array(fc.oneof(fc.constantFrom(...REFS), fc.record({ property: fc.constantFrom(...REFS), label: fc.constantFrom('Work email', 'Company size') })), { maxLength: 2 }),
    disqualifiers: fc.array(fc.record({ reason: fc.constantFrom('Competitor', 'Student', 'Bounced'), when: condition }), { maxLength: 2 }),
    fit: fc.array(fc.record({ label: fc.constantFrom('Target industry', 'Decision maker', 'Size'), group, points, when: condition }), { maxLength: 5 }),
    engagement: fc.array(fc.record({ label: fc.constantFrom('Visited', 'Converted'), group, points, when: condition, decay }), { maxLength: 4 }),
    caps: fc.record({ fit: cap, engagement: cap, firmographics: cap, intent: cap }),
    ladder: fc.record({ sales_ready: thresholds, marketing_qualified: thresholds }),
  })
  .map((d) => {
    // Ids are unique across sections; a group is capped only when a rule is in it (the schema checks both).
    const used = new Set([...d.fit, ...d.engagement].map((r) => r.group));
    const groups = strip({ firmographics: used.has('firmographics') ? d.caps.firmographics : undefined, intent: used.has('intent') ? d.caps.intent : undefined });
    const body = {
      version: 1,
      name: 'random definition',
      lists: { words: d.lists[0], domains: d.lists[1] },
      required: d.required,
      disqualifiers: d.disqualifiers.map((r, i) => ({ id: `dq-${i}`, ...r })),
      fit: d.fit.map((r, i) => strip({ id: `fit-${i}`, ...r })),
      engagement: d.engagement.map((r, i) => strip({ id: `eng-${i}`, ...r })),
      caps: strip({ fit: d.caps.fit, engagement: d.caps.engagement, groups: Object.keys(groups).length > 0 ? groups : undefined }),
      ladder: d.ladder,
    };
    return parseDefinitionText(JSON.stringify(body), 'random.json');
  });

// Dates around `now`, in the future too, in the shapes HubSpot writes (ISO, date only, epoch ms) and
// others an import may (epoch seconds, with spaces, not a date at all). A date is generated as its age
// and shape, and written out against the lead's `now` (see factsAt), so a counterexample reads as data.
interface DateSpec {
  ageDays: number;
  shape: 'iso' | 'day' | 'ms' | 's' | 'padded';
}
type Value = string | number | boolean | null | undefined | DateSpec;
const date: fc.Arbitrary<DateSpec> = fc.record({ ageDays: fc.double({ min: -3, max: 4000, noNaN: true }), shape: fc.constantFrom('iso', 'day', 'ms', 's', 'padded') });
function dateText({ ageDays, shape }: DateSpec, now: number): string {
  const t = Math.round(now - ageDays * DAY);
  switch (shape) {
    case 'iso':
      return new Date(t).toISOString();
    case 'day':
      return new Date(t).toISOString().slice(0, 10);
    case 'ms':
      return String(t);
    case 's':
      return String(Math.floor(t / 1000));
    case 'padded':
      return ` ${t} `;
  }
}
const ODD = [null, undefined, '', ' ', '0', '-0', '10', '10.0', ' 10 ', '1,200', '1e3', '-2.5', 'NaN', 'Infinity', 'abc', 'A', 'a', 'student', 'Student ', 'Germany', 'GERMANY', 'true', 'TRUE ', 'false'];
const ADDRESSES = ['a@gmail.com', 'ceo@sub.example.com', 'x@EXAMPLE.com', 'https://www.acme.io/path', 'acme.io', 'notacme.io', 'x@@y', '@', 'x@y', 'kelvin@\u212aacme.io', '\u00e9@\u00e9.com'];
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom(...ODD, ...ADDRESSES, ...WORDS),
  date,
  fc.constantFrom('2024-13-45', '2024-02-30T10:00:00Z', '1700000000', '-86400', '99999999999999999'),
  fc.double({ noNaN: true }).map(String),
  fc.string({ maxLength: 6 }),
  // A careless caller may pass a number or boolean instead of HubSpot's strings.
  fc.constantFrom(5, 0, true, false),
);
const factsOf = (names: string[]) => fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: names.length + 2 });
function factsAt(pairs: Array<[string, Value]>, now: number): Facts {
  return Object.fromEntries(pairs.map(([k, v]) => [k, v !== null && typeof v === 'object' ? dateText(v, now) : v])) as Facts;
}
const lead = fc.record({
  now: fc.integer({ min: NOW - 400 * DAY, max: NOW + 400 * DAY }),
  contact: factsOf(CONTACT_PROPERTIES),
  company: fc.option(factsOf(COMPANY_PROPERTIES), { nil: null }),
});

/** The compiled decision as the naive evaluator records it (see the comment at the top). */
function comparable(def: CompiledDefinition, d: Decision): NaiveDecision {
  const dq = new Map(def.disqualifiers.map((x) => [x.id, x.reason]));
  const rules = new Map([...def.fit, ...def.engagement].map((x) => [x.id, x.label]));
  const reasons: string[] = [];
  for (const r of d.reasons) {
    if (r.kind === 'disqualifier') reasons.push(dq.get(r.ref)!);
    else if (r.kind === 'missing') reasons.push(`missing ${r.ref}`);
    else if (r.kind === 'fit' || r.kind === 'engagement') reasons.push(`${r.points} ${r.kind}: ${rules.get(r.ref)}`);
  }
  return { status: d.status, fitScore: d.fitScore, engagementScore: d.engagementScore, totalScore: d.totalScore, reasons };
}

const DEFINITIONS = 500;
const LEADS_PER_DEFINITION = 20;

describe('the compiled evaluator and the naive one', () => {
  it(`when given ${DEFINITIONS} random definitions and ${LEADS_PER_DEFINITION} random leads each, then every decision is the same`, () => {
    let cases = 0;
    fc.assert(
      fc.property(definitionArb, fc.array(lead, { minLength: LEADS_PER_DEFINITION, maxLength: LEADS_PER_DEFINITION }), (parsed, leads) => {
        const def = compileDefinition(parsed);
        for (const l of leads) {
          const contact = factsAt(l.contact, l.now);
          const company = l.company === null ? null : factsAt(l.company, l.now);
          expect(comparable(def, evaluate(def, contact, company, l.now))).toEqual(evaluateNaive(parsed, contact, company, l.now));
          cases++;
        }
      }),
      { numRuns: DEFINITIONS },
    );
    expect(cases).toBeGreaterThanOrEqual(10_000);
  });
});

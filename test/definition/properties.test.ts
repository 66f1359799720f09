import path from 'node:path';
import fc from 'fast-check';
import { compileDefinition, evaluate, OPERATORS, STATUSES, type Facts } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { definition, NOW } from '../support/definitions';

/**
 * Properties that must hold for any record HubSpot (or an import, or a buggy integration) can produce:
 * the evaluator never throws and decides the same way every time.
 */

const example = loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.example.yaml'));

// A definition that uses every operator on a few shared properties, so random values reach every path.
const everyOperator = definition({
  lists: { l: ['gmail.com', 'Germany', '10'] },
  required: ['email', 'company.industry'],
  disqualifiers: [{ id: 'dq', reason: 'Listed domain', when: { property: 'email', operator: 'domain_in', list: 'l' } }],
  fit: OPERATORS.map((operator, i) => ({
    id: `r${i}`,
    label: `rule ${operator}`,
    group: i % 2 === 0 ? 'even' : undefined,
    points: i % 5 === 0 ? -3 : 7,
    when: conditionFor(operator, ['email', 'country', 'company.numberofemployees', 'createdate'][i % 4]!),
  })),
  engagement: [
    { id: 'e1', label: 'half-life', when: { property: 'num_conversion_events', operator: 'gte', value: 1 }, points: 20, decay: { type: 'half_life', days: 7, from: 'recent_conversion_date' } },
    { id: 'e2', label: 'linear', when: { any: [{ property: 'country', operator: 'exists' }, { not: { property: 'email', operator: 'missing' } }] }, points: 9, decay: { type: 'linear', days: 30, from: 'createdate' } },
  ],
  caps: { fit: 30, engagement: 25, groups: { even: 14 } },
  ladder: { sales_ready: { fit: 20, engagement: 5 }, marketing_qualified: { total: 10 } },
  hubspot: { leadStatus: { sales_ready: 'OPEN' }, lifecycleStage: { sales_ready: 'salesqualifiedlead', nurture: 'lead' } },
});

function conditionFor(operator: (typeof OPERATORS)[number], property: string): Record<string, unknown> {
  switch (operator) {
    case 'equals':
    case 'not_equals':
    case 'contains':
      return { property, operator, value: 'a', caseInsensitive: true };
    case 'in':
    case 'not_in':
    case 'contains_any':
      return { property, operator, list: 'l', caseInsensitive: true };
    case 'domain_in':
    case 'domain_not_in':
      return { property, operator, list: 'l' };
    case 'regex':
      return { property, operator, pattern: '^[a-z]+@', flags: 'i' };
    case 'between':
      return { property, operator, min: 1, max: 100 };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { property, operator, value: 10 };
    case 'exists':
    case 'missing':
      return { property, operator };
    case 'within_days':
    case 'older_than_days':
      return { property, operator, days: 30 };
  }
}

const PROPERTIES = ['email', 'country', 'jobtitle', 'createdate', 'recent_conversion_date', 'recent_conversion_event_name', 'num_conversion_events', 'hs_analytics_num_page_views', 'hs_analytics_last_visit_timestamp', 'hs_email_last_click_date', 'hs_email_hard_bounce_reason_enum', 'lifecyclestage'];
const COMPANY_PROPERTIES = ['industry', 'numberofemployees', 'annualrevenue', 'country', 'uld_account_status', 'uld_account_score'];

// Values as HubSpot sends them, and as it should not: numbers, dates in every shape, addresses, junk,
// and the odd non-string a careless caller might pass in.
const value = fc.oneof(
  fc.constantFrom(null, undefined, '', ' ', '0', '-0', 'NaN', 'Infinity', '1e400', '1,200', 'gmail.com', 'a@gmail.com', 'x@@y', '@', 'Germany', 'student', 'customer', 'lead', 'opportunity'),
  fc.string(),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map(String),
  fc.emailAddress(),
  fc.anything() as fc.Arbitrary<never>,
);
const facts = (names: string[]) => fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string()), value, { maxKeys: 16 }) as fc.Arbitrary<Facts>;
const company = fc.option(facts(COMPANY_PROPERTIES), { nil: null });
const now = fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2100-01-01') });

describe.each([
  ['the example definition', compileDefinition(example)],
  ['a definition using every operator', everyOperator],
  ['the accounts example (contact rules reading their account)', compileDefinition(loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.accounts.example.yaml')))],
])('%s, for any contact, company and time', (_name, def) => {
  it('when evaluated, then it never throws and always gives a canonical status with finite scores and complete reasons', () => {
    fc.assert(
      fc.property(facts(PROPERTIES), company, now, (contact, co, t) => {
        const d = evaluate(def, contact, co, t);
        expect(STATUSES).toContain(d.status);
        for (const score of [d.fitScore, d.engagementScore, d.totalScore]) expect(Number.isFinite(score)).toBe(true);
        expect(d.fitScore).toBeGreaterThanOrEqual(0);
        expect(d.engagementScore).toBeGreaterThanOrEqual(0);
        expect(d.reasons[0]!.kind).toBe('status');
        for (const r of d.reasons) expect(typeof r.text).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('when evaluated twice, or by a fresh compile of the same file, then the decision is identical', () => {
    const again = compileDefinition(def.source, { overrides: def.overridden });
    fc.assert(
      fc.property(facts(PROPERTIES), company, now, (contact, co, t) => {
        const first = JSON.stringify(evaluate(def, contact, co, t));
        expect(JSON.stringify(evaluate(def, contact, co, t))).toBe(first);
        expect(JSON.stringify(evaluate(again, contact, co, t))).toBe(first);
      }),
      { numRuns: 300 },
    );
  });
});

it('when evaluated at a time that is not a number, then it refuses with a TypeError naming now', () => {
  expect(() => evaluate(everyOperator, {}, null, Number.NaN)).toThrow(/now must be epoch milliseconds/);
  expect(evaluate(everyOperator, {}, null, NOW).status).toBe('needs_data');
});

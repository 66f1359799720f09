import path from 'node:path';
import fc from 'fast-check';
import { ACCOUNT_STATUSES, BUYING_ROLES, compileDefinition, evaluateAccount, type AccountContact, type Facts } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';

/**
 * Properties of the account evaluator for any company and any contacts HubSpot (or a careless caller) can
 * produce: it never throws, its scores are finite and add up, and it does not depend on the contacts' order.
 */

const def = compileDefinition(loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.accounts.example.yaml')));

const text = fc.oneof(
  fc.constantFrom(null, undefined, '', ' ', '0', 'NaN', '1,200', 'soon', 'COMPUTER_SOFTWARE', 'customer', 'acme.com', 'rivalscore.io', '200'),
  fc.string(),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.anything() as fc.Arbitrary<never>,
);
const roles = fc.oneof(text, fc.subarray([...BUYING_ROLES, 'CUSTOM_ROLE']).map((r) => r.join(';')));
const company = fc.dictionary(fc.constantFrom('domain', 'industry', 'numberofemployees', 'lifecyclestage', 'name'), text) as fc.Arbitrary<Facts>;
const score = fc.oneof(fc.double({ min: -10, max: 200, noNaN: true }), fc.constantFrom(0, 10, 10.5));
const contact = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  label: fc.option(fc.string(), { nil: undefined }),
  facts: fc.record({ hs_buying_role: roles, hs_analytics_last_visit_timestamp: text }) as fc.Arbitrary<Facts>,
  decision: fc.option(fc.record({ fitScore: score, engagementScore: score, totalScore: score }), { nil: null }),
}) as fc.Arbitrary<AccountContact>;
const contacts = fc.uniqueArray(contact, { selector: (c) => c.id, maxLength: 8 });
const now = fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2100-01-01') });

it('when any account is evaluated, then it never throws, gives a canonical status, finite scores that add up and a status reason first', () => {
  fc.assert(
    fc.property(company, contacts, now, (co, cs, t) => {
      const d = evaluateAccount(def, co, cs, t);
      expect(ACCOUNT_STATUSES).toContain(d.status);
      for (const s of [d.score, d.fitScore, d.engagementScore, d.coverageScore]) expect(Number.isFinite(s)).toBe(true);
      expect(d.score).toBe(Math.round((d.fitScore + d.engagementScore + d.coverageScore) * 100) / 100);
      expect(d.engagedContacts).toBeLessThanOrEqual(cs.length);
      expect(d.reasons[0]!.kind).toBe('status');
      for (const r of d.reasons) expect(typeof r.text).toBe('string');
    }),
    { numRuns: 500 },
  );
});

it('when the contacts of an account come in any order, then the decision is identical', () => {
  fc.assert(
    fc.property(company, contacts, now, (co, cs, t) => {
      const first = JSON.stringify(evaluateAccount(def, co, cs, t));
      expect(JSON.stringify(evaluateAccount(def, co, [...cs].reverse(), t))).toBe(first);
    }),
    { numRuns: 200 },
  );
});

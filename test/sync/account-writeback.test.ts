import path from 'node:path';
import { compileDefinition } from '../../src/definition';
import type { AccountDecision } from '../../src/definition/account-types';
import { loadDefinitionFile } from '../../src/definition-file';
import { accountWriteback } from '../../src/sync/account-writeback';
import { accountInputsChanged, planAccounts } from '../../src/sync/account-planner';
import type { MirrorContact } from '../../src/store/mirror-types';
import { contact as mirrorContact } from '../metrics/portal';

/** What the worker writes on a company from its account decision, and when an account's change is passed down. Pure, table-driven. */

const NOW = Date.UTC(2026, 11, 1, 12);
const decision = (over: Partial<AccountDecision> = {}): AccountDecision => ({
  status: 'engaged',
  score: 45.5,
  fitScore: 20,
  engagementScore: 25.5,
  coverageScore: 0,
  definitionVersion: '1',
  reasons: [
    { kind: 'status', ref: 'engaged', text: 'Engaged: engagement 25.5 >= 10' },
    { kind: 'fit', ref: 'account-industry', points: 20, text: '+20 fit: Target industry' },
  ],
  engagedContacts: 3,
  rolesCovered: ['DECISION_MAKER', 'CHAMPION'],
  ...over,
});
const written = {
  uld_account_status: 'engaged',
  uld_account_score: '45.5',
  uld_account_reasons: 'Engaged: engagement 25.5 >= 10\n+20 fit: Target industry',
  uld_engaged_contacts: '3',
  uld_roles_covered: 'CHAMPION;DECISION_MAKER',
};

describe('accountWriteback', () => {
  test.each([
    ['a company never judged gets every value, no qualified date below qualified', decision(), {}, { ...written, uld_roles_covered: 'DECISION_MAKER;CHAMPION' }],
    ['the record already right: nothing (roles compared as a set, numbers as numbers)', decision(), { ...written, uld_account_score: '45.50' }, {}],
    ['qualified for the first time: dated now', decision({ status: 'qualified' }), written, { uld_account_status: 'qualified', uld_account_qualified_at: new Date(NOW).toISOString() }],
    ['qualified before: the first date stays', decision({ status: 'qualified' }), { ...written, uld_account_status: 'qualified', uld_account_qualified_at: '2026-01-02T03:04:05.000Z' }, {}],
    ['no longer qualified: the date stays, the status moves', decision({ status: 'disqualified' }), { ...written, uld_account_status: 'qualified', uld_account_qualified_at: '2026-01-02T03:04:05.000Z' }, { uld_account_status: 'disqualified' }],
    ['a role gone and a contact less', decision({ rolesCovered: ['DECISION_MAKER'], engagedContacts: 2 }), written, { uld_roles_covered: 'DECISION_MAKER', uld_engaged_contacts: '2' }],
    ['no roles at all: the checkbox is cleared', decision({ rolesCovered: [] }), written, { uld_roles_covered: '' }],
  ])('%s', (_name, d, current, changes) => {
    expect(accountWriteback(d, current, NOW).changes).toEqual(changes);
  });
});

const DEFINITION = compileDefinition(loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.accounts.example.yaml')));
const contact = (over: Partial<MirrorContact> = {}): MirrorContact =>
  mirrorContact({ id: '1', fitScore: 20, engagementScore: 10, totalScore: 30, companyId: '9', accountFacts: { label: 'A B', facts: { hs_buying_role: 'CHAMPION', hs_analytics_last_visit_timestamp: '2026-11-30T00:00:00.000Z' } }, ...over });

describe('accountInputsChanged: a contact re-judges its account only when the account reads what changed', () => {
  test.each([
    ['first seen', undefined, contact(), true],
    ['nothing the account reads', contact(), contact({ status: 'marketing_qualified', qualifiedAt: 5 }), false],
    ['the fit score (the example reads engagement only: the pass-down moves fit)', contact(), contact({ fitScore: 35, totalScore: 45 }), false],
    ['the engagement score', contact(), contact({ engagementScore: 12, totalScore: 32 }), true],
    ['a buying role', contact(), contact({ accountFacts: { label: 'A B', facts: { hs_buying_role: 'CHAMPION;END_USER', hs_analytics_last_visit_timestamp: '2026-11-30T00:00:00.000Z' } } }), true],
    ['the name (the reasons name the contacts)', contact(), contact({ accountFacts: { label: 'A C', facts: contact().accountFacts!.facts } }), true],
  ])('%s', (_name, before, after, changed) => {
    expect(accountInputsChanged(DEFINITION, before, after)).toBe(changed);
  });
});

describe('planAccounts: the pass-down follows what contact rules read', () => {
  const company = { id: '9', properties: { domain: 'nine.example', industry: 'COMPUTER_SOFTWARE', numberofemployees: '200', lifecyclestage: 'lead', createdate: '2026-01-01T00:00:00.000Z', uld_account_status: 'target', uld_account_score: '40' } };
  // Three contacts engaged (>= 10) within the window: the group rule matches, the account is engaged.
  const contacts = new Map([['9', [contact({ id: '1', engagementScore: 12 }), contact({ id: '2' }), contact({ id: '3' })]]]);

  test('a status change queues every contact of the account once, dated by the change that caused it', () => {
    const plan = planAccounts(DEFINITION, [company], contacts, new Map([['9', 1234]]), NOW);
    expect(plan.changes.get('9')!.uld_account_status).toBe('engaged');
    expect(plan.followUp).toEqual([
      { objectType: 'contact', objectId: '1', change: 'account_changed', occurredAt: 1234 },
      { objectType: 'contact', objectId: '2', change: 'account_changed', occurredAt: 1234 },
      { objectType: 'contact', objectId: '3', change: 'account_changed', occurredAt: 1234 },
    ]);
    expect(plan.rows[0]).toMatchObject({ id: '9', status: 'engaged', targetAt: NOW, engagedAt: NOW, qualifiedAt: null });
  });

  test('a score change alone is not passed down when contact rules read only account.status', () => {
    const judged = planAccounts(DEFINITION, [company], contacts, new Map(), NOW).changes.get('9')!;
    const plan = planAccounts(DEFINITION, [{ id: '9', properties: { ...company.properties, uld_account_status: judged.uld_account_status!, uld_account_score: '1' } }], contacts, new Map(), NOW);
    expect(Object.keys(plan.changes.get('9')!)).toContain('uld_account_score');
    expect(plan.followUp).toEqual([]);
  });
});

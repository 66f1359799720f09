import { accountFacts, evaluate, evaluateAccount, type AccountContact, type AccountStatus, type Facts } from '../../src/definition';
import { loadConfig } from '../../src/config';
import { daysAgo, definition, NOW } from '../support/definitions';

/**
 * The account evaluator, as tables of hand-computed expectations: each row is an account a rep could open,
 * with its company and contacts, and everything the definition must then say about it.
 */

const ACCOUNTS = {
  required: [{ property: 'domain', label: 'company domain' }],
  disqualifiers: [
    { id: 'customer', reason: 'Already a customer', when: { property: 'lifecyclestage', operator: 'in', values: ['customer', 'evangelist'] } },
    { id: 'competitor', reason: 'A competitor', when: { property: 'domain', operator: 'domain_in', list: 'competitors' } },
    { id: 'excluded', reason: 'On the excluded list', when: { property: 'domain', operator: 'domain_in', list: 'excluded' } },
  ],
  fit: [
    { id: 'industry', label: 'Software company', when: { property: 'industry', operator: 'equals', value: 'SOFTWARE' }, points: 20 },
    { id: 'size', label: '50 to 5,000 employees', when: { property: 'numberofemployees', operator: 'between', min: 50, max: 5000 }, points: 20 },
  ],
  engagement: [
    { id: 'g-count', label: 'Three engaged contacts', measure: 'count', score: 'engagement', min: 10, window: { days: 30, from: 'hs_analytics_last_visit_timestamp' }, atLeast: 3, points: 25 },
    { id: 'g-sum', label: 'Group total of 100', measure: 'sum', score: 'total', atLeast: 100, points: 10 },
  ],
  coverage: [
    { id: 'dm-champion', label: 'A decision maker and a champion', roles: ['DECISION_MAKER', 'CHAMPION'], points: 20 },
    { id: 'committee', label: 'Two committee roles engaged', roles: ['BUDGET_HOLDER', 'END_USER', 'INFLUENCER'], atLeast: 2, engagedOnly: true, points: 10 },
  ],
  caps: { engagement: 30 },
  ladder: { qualified: { fit: 20, engagement: 25, coverage: 20, total: 80 }, engaged: { engagement: 10 } },
};
const LISTS = { competitors: ['rival.io'], excluded: ['blocked.com'] };
const def = definition({ lists: LISTS, accounts: ACCOUNTS });

const FITTING: Facts = { domain: 'acme.com', industry: 'SOFTWARE', numberofemployees: '200' };

/** A contact of the account: its scores (total = fit + engagement), days since its last visit, its buying roles. */
function contact(label: string, o: { fit?: number; engagement?: number; visit?: number | string; roles?: string; undecided?: boolean }): AccountContact {
  const fit = o.fit ?? 30;
  const engagement = o.engagement ?? 0;
  return {
    id: `id-${label.toLowerCase()}`,
    label,
    facts: { hs_buying_role: o.roles, hs_analytics_last_visit_timestamp: typeof o.visit === 'number' ? daysAgo(o.visit) : o.visit },
    decision: o.undecided ? null : { fitScore: fit, engagementScore: engagement, totalScore: fit + engagement },
  };
}
const ann = contact('Ann', { engagement: 30, visit: 2, roles: 'DECISION_MAKER' });
const bob = contact('Bob', { fit: 20, engagement: 15, visit: 10, roles: 'CHAMPION' });
const cy = contact('Cy', { fit: 20, engagement: 12, visit: 29, roles: 'END_USER;INFLUENCER' });
const cyLate = contact('Cy', { fit: 20, engagement: 12, visit: 31, roles: 'END_USER;INFLUENCER' });

const FIT_REASONS = ['+20 fit: Software company', '+20 fit: 50 to 5,000 employees'];
const GROUP_SUM = '+10 engagement: Group total of 100 (total 127 summed over 3 contacts, at least 100: Ann (total 60), Bob (total 35), Cy (total 32))';
const DM_CHAMPION = '+20 coverage: A decision maker and a champion (Decision Maker: Ann; Champion: Bob)';
const COMMITTEE = '+10 coverage: Two committee roles engaged (2 of 3 roles, at least 2, held by engaged contacts: End User: Cy; Influencer: Cy)';

describe('evaluateAccount', () => {
  type Expected = { status: AccountStatus; score: number; engagedContacts: number; rolesCovered: string[]; reasons: string[] };
  type Row = [name: string, company: Facts, contacts: AccountContact[], expected: Expected];
  const rows: Row[] = [
    [
      'when a fitting company has no contacts yet, then it is a target with its fit',
      FITTING,
      [],
      { status: 'target', score: 40, engagedContacts: 0, rolesCovered: [], reasons: ['Target: not yet engaged: engagement 0 < 10', ...FIT_REASONS] },
    ],
    [
      'when three contacts engaged in the last 30 days and a decision maker and a champion are among them, then it is qualified, naming them',
      FITTING,
      [ann, bob, cy],
      {
        status: 'qualified',
        score: 100,
        engagedContacts: 3,
        rolesCovered: ['CHAMPION', 'DECISION_MAKER', 'END_USER', 'INFLUENCER'],
        reasons: [
          'Qualified: fit 40 >= 20, engagement 30 >= 25, coverage 30 >= 20, total 100 >= 80',
          ...FIT_REASONS,
          '+25 engagement: Three engaged contacts (3 contacts with engagement >= 10 within 30 days of hs_analytics_last_visit_timestamp, at least 3: Ann (engagement 30), Bob (engagement 15), Cy (engagement 12))',
          GROUP_SUM,
          DM_CHAMPION,
          COMMITTEE,
          'engagement points capped at 30 (rules added 35)',
        ],
      },
    ],
    [
      'when the third contact last visited 31 days ago, then the group count misses and the account is engaged, not qualified',
      FITTING,
      [ann, bob, cyLate],
      {
        status: 'engaged',
        score: 80,
        engagedContacts: 3,
        rolesCovered: ['CHAMPION', 'DECISION_MAKER', 'END_USER', 'INFLUENCER'],
        reasons: ['Engaged: engagement 10 >= 10. Not yet qualified: engagement 10 < 25', ...FIT_REASONS, GROUP_SUM, DM_CHAMPION, COMMITTEE],
      },
    ],
    [
      'when one engaged decision maker has no team behind her, then it stays a target',
      FITTING,
      [ann],
      { status: 'target', score: 40, engagedContacts: 1, rolesCovered: ['DECISION_MAKER'], reasons: ['Target: not yet engaged: engagement 0 < 10', ...FIT_REASONS] },
    ],
    [
      'when the company is already a customer, then it is disqualified and its scores are still shown',
      { ...FITTING, lifecyclestage: 'customer' },
      [ann],
      { status: 'disqualified', score: 40, engagedContacts: 1, rolesCovered: ['DECISION_MAKER'], reasons: ['Disqualified: Already a customer', 'Disqualifier: Already a customer (lifecyclestage: customer)', ...FIT_REASONS] },
    ],
    [
      'when the domain is a competitor\'s subdomain, then it is disqualified showing the domain',
      { domain: 'eu.rival.io', industry: 'SOFTWARE' },
      [],
      { status: 'disqualified', score: 20, engagedContacts: 0, rolesCovered: [], reasons: ['Disqualified: A competitor', 'Disqualifier: A competitor (domain: eu.rival.io)', FIT_REASONS[0]!] },
    ],
    [
      'when the company has no domain, then it needs data, naming the field',
      { industry: 'SOFTWARE', numberofemployees: '200' },
      [ann, bob, cy],
      {
        status: 'needs_data',
        score: 100,
        engagedContacts: 3,
        rolesCovered: ['CHAMPION', 'DECISION_MAKER', 'END_USER', 'INFLUENCER'],
        reasons: [
          'Needs data: missing company domain',
          'Missing required data: company domain',
          ...FIT_REASONS,
          '+25 engagement: Three engaged contacts (3 contacts with engagement >= 10 within 30 days of hs_analytics_last_visit_timestamp, at least 3: Ann (engagement 30), Bob (engagement 15), Cy (engagement 12))',
          GROUP_SUM,
          DM_CHAMPION,
          COMMITTEE,
          'engagement points capped at 30 (rules added 35)',
        ],
      },
    ],
    [
      'when a contact has no decision yet, or an unreadable visit date, then it is not counted and the date says why',
      FITTING,
      [contact('Al', { undecided: true, visit: 1, roles: 'CHAMPION' }), contact('Bea', { fit: 20, engagement: 20, visit: 'last week' }), contact('Cat', { fit: 20, engagement: 0, visit: 1 })],
      {
        status: 'target',
        score: 40,
        engagedContacts: 2,
        rolesCovered: ['CHAMPION'],
        reasons: ['Target: not yet engaged: engagement 0 < 10', ...FIT_REASONS, 'hs_analytics_last_visit_timestamp of Bea is "last week", not a date: not counted by rule g-count'],
      },
    ],
    [
      'when a company value is unreadable, then its rule is not applied and the reason says so',
      { domain: 'acme.com', industry: 'SOFTWARE', numberofemployees: 'about 50' },
      [],
      { status: 'target', score: 20, engagedContacts: 0, rolesCovered: [], reasons: ['Target: not yet engaged: engagement 0 < 10', FIT_REASONS[0]!, 'numberofemployees is "about 50", not a number: rule size not applied'] },
    ],
    [
      'when the committee roles are held only by contacts no group rule counts, then the engaged-only rule does not match',
      FITTING,
      [ann, bob, contact('Dee', { fit: 0, engagement: 0, roles: 'BUDGET_HOLDER; END_USER' })],
      {
        status: 'target',
        score: 60,
        engagedContacts: 2,
        rolesCovered: ['BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER'],
        reasons: ['Target: not yet engaged: engagement 0 < 10', ...FIT_REASONS, DM_CHAMPION],
      },
    ],
  ];
  it.each(rows)('%s', (_name, company, contacts, expected) => {
    const d = evaluateAccount(def, company, contacts, NOW);
    expect({ status: d.status, score: d.score, engagedContacts: d.engagedContacts, rolesCovered: d.rolesCovered, reasons: d.reasons.map((r) => r.text) }).toEqual(expected);
    expect(d.score).toBe(Math.round((d.fitScore + d.engagementScore + d.coverageScore) * 100) / 100);
    expect(d.definitionVersion).toBe('7');
  });

  it('when the contacts come in another order, then the decision is the same', () => {
    expect(evaluateAccount(def, FITTING, [cy, ann, bob], NOW)).toEqual(evaluateAccount(def, FITTING, [ann, bob, cy], NOW));
  });

  it('when the definition has no accounts section, or now is not a number, then it refuses naming why', () => {
    expect(() => evaluateAccount(definition({}), FITTING, [], NOW)).toThrow('evaluateAccount: the definition has no accounts section');
    expect(() => evaluateAccount(def, FITTING, [], Number.NaN)).toThrow(/now must be epoch milliseconds/);
  });
});

describe('environment overrides of the account ladder', () => {
  it('when ULD_ACCOUNT_QUALIFIED_MIN_TOTAL is raised above the score, then the account drops to engaged and the version says so', () => {
    const overrides = loadConfig({ ULD_ACCOUNT_QUALIFIED_MIN_TOTAL: '101' }).thresholdOverrides;
    const raised = definition({ lists: LISTS, accounts: ACCOUNTS }, overrides);
    const d = evaluateAccount(raised, FITTING, [ann, bob, cy], NOW);
    expect(d.status).toBe('engaged');
    expect(d.reasons[0]!.text).toBe('Engaged: engagement 30 >= 10. Not yet qualified: total 100 < 101');
    expect(raised.version).toMatch(/^7\+env\.[0-9a-f]{6}$/);
    expect(raised.overridden).toEqual({ accounts: { qualified: { total: 101 } } });
  });

  it('when an account override is set but the file has no accounts, then the contacts\' version is untouched', () => {
    const overrides = loadConfig({ ULD_ACCOUNT_ENGAGED_MIN_COVERAGE: '5' }).thresholdOverrides;
    expect(overrides).toEqual({ accounts: { engaged: { coverage: 5 } } });
    const plain = definition({}, overrides);
    expect(plain.version).toBe('7');
    expect(plain.overridden).toEqual({});
    expect(plain.fingerprint).toBe(definition({}).fingerprint);
  });
});

describe('pass-down: contact rules reading their account', () => {
  // The account here sums engagement, not the total: a contact fit rule reading the account would otherwise be a cycle.
  const groupSum = { ...ACCOUNTS.engagement[1]!, score: 'engagement', atLeast: 50 };
  const withPassDown = definition({
    lists: LISTS,
    accounts: { ...ACCOUNTS, engagement: [ACCOUNTS.engagement[0]!, groupSum] },
    fit: [
      { id: 'qualified-account', label: 'Works at a qualified account', when: { property: 'account.status', operator: 'equals', value: 'qualified' }, points: 15 },
      { id: 'strong-account', label: 'Account score of 80 or more', when: { property: 'account.score', operator: 'gte', value: 80 }, points: 5 },
    ],
  });

  type Row = [name: string, company: Facts | null, fit: number];
  const rows: Row[] = [
    ['when the account is qualified with score 100, then both pass-down rules add their points', { ...FITTING, ...accountFacts(evaluateAccount(withPassDown, FITTING, [ann, bob, cy], NOW)) }, 20],
    ['when the account is engaged with score 80, then only the score rule applies', { ...FITTING, ...accountFacts(evaluateAccount(withPassDown, FITTING, [ann, bob, cyLate], NOW)) }, 5],
    ['when the account has not been evaluated yet, then neither applies', FITTING, 0],
    ['when the contact has no company, then neither applies', null, 0],
  ];
  it.each(rows)('%s', (_name, company, fit) => {
    expect(evaluate(withPassDown, { email: 'ann@acme.com' }, company, NOW).fitScore).toBe(fit);
  });

  it('when a contact rule reads its account, then the company properties fetched include the account write-back', () => {
    expect(withPassDown.readsAccount).toBe(true);
    expect(withPassDown.companyProperties).toEqual(['uld_account_score', 'uld_account_status']);
    expect(withPassDown.contactProperties).toEqual([]);
    expect(accountFacts({ status: 'qualified', score: 100 })).toEqual({ uld_account_status: 'qualified', uld_account_score: '100' });
  });
});

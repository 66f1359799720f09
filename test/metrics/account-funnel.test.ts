import { computeAccountFunnel, computeMetrics, computeMetricsForPeriod, renderReport, snapshotOf, type AccountFunnelFigures } from '../../src/metrics';
import { ACCOUNTS, ACCOUNT_CONTACTS, ACCOUNT_DEALS, EXPECTED_BY_COHORT, EXPECTED_BY_SOURCE, EXPECTED_OVERALL, account, rowOf, type AccountRow } from './account-portal';
import { NOW, at, contact, deal } from './portal';

/**
 * The account funnel of the hand-built accounts in ./account-portal.ts (the working is in its comments), and
 * the rules one by one: each account once, a later stage implying the earlier, accounts outside the funnel,
 * the first contact's source, the scope by creation, deleted records nowhere.
 */

const input = { accounts: ACCOUNTS, contacts: ACCOUNT_CONTACTS, deals: ACCOUNT_DEALS, now: NOW };
const figures = computeAccountFunnel(input)!;


/** Rates to 12 decimals, counts and nulls exactly. */
function expectRow(actual: AccountRow, expected: AccountRow): void {
  expect([actual[0], actual[1], actual[3], actual[4], actual[5]]).toEqual([expected[0], expected[1], expected[3], expected[4], expected[5]]);
  const rates = [...actual[2], actual[6]];
  [...expected[2], expected[6]].forEach((r, i) => (r === null ? expect(rates[i]).toBeNull() : expect(rates[i]).toBeCloseTo(r, 12)));
}

describe('the account funnel of the hand-built accounts', () => {
  test('overall', () => expectRow(rowOf(figures.overall), EXPECTED_OVERALL));
  test('the steps are named from stage to stage', () => {
    expect(figures.overall.steps.map((s) => `${s.from}>${s.to}`)).toEqual(['target>engaged', 'engaged>qualified', 'qualified>opportunity', 'opportunity>won']);
  });
  test('cohorts: every month from the first to now, the empty one included, the undated last', () => {
    expect(figures.byCohort.map((g) => g.key)).toEqual(EXPECTED_BY_COHORT.map(([k]) => k));
  });
  test.each(EXPECTED_BY_COHORT)('cohort %s', (key, expected) => expectRow(rowOf(figures.byCohort.find((g) => g.key === key)!.funnel), expected));
  test('sources: by key, the missing source next to last, accounts without a contact last', () => {
    expect(figures.bySource.map((g) => g.key)).toEqual(EXPECTED_BY_SOURCE.map(([k]) => k));
  });
  test.each(EXPECTED_BY_SOURCE)('source %s', (key, expected) => expectRow(rowOf(figures.bySource.find((g) => g.key === key)!.funnel), expected));
  test('every live account is in exactly one cohort and one source', () => {
    const sum = (gs: typeof figures.byCohort) => gs.reduce((n, g) => n + g.funnel.accounts, 0);
    expect([sum(figures.byCohort), sum(figures.bySource)]).toEqual([7, 7]);
  });
});

describe('the rules', () => {
  const one = (over: Parameters<typeof account>[0], contacts = [contact({ id: 'x1', companyId: over.id, createdAt: at(1, 1) })], deals: ReturnType<typeof deal>[] = []) =>
    computeAccountFunnel({ accounts: [account({ createdAt: at(1, 1), ...over })], contacts, deals, now: NOW })!.overall;
  const reached = (f: AccountFunnelFigures) => [f.reached.target, f.reached.engaged, f.reached.qualified, f.reached.opportunity, f.reached.won];

  test.each<[string, Parameters<typeof account>[0], ReturnType<typeof deal>[], number[], number[]]>([
    // [case, account, deals, reached (target..won), outside (accounts, opportunity, won)]
    ['a target account', { id: 'a', status: 'target', targetAt: at(1, 2) }, [], [1, 0, 0, 0, 0], [0, 0, 0]],
    ['a stage date counts when the status has fallen back', { id: 'a', status: 'target', targetAt: at(1, 2), engagedAt: at(1, 3) }, [], [1, 1, 0, 0, 0], [0, 0, 0]],
    ['the status counts when the date is missing', { id: 'a', status: 'qualified' }, [], [1, 1, 1, 0, 0], [0, 0, 0]],
    ['a deal implies engaged and qualified', { id: 'a', status: 'target', targetAt: at(1, 2) }, [deal({ id: 'd', companyId: 'a' })], [1, 1, 1, 1, 0], [0, 0, 0]],
    ['a won deal through a contact', { id: 'a', status: 'engaged', targetAt: at(1, 2), engagedAt: at(1, 2) }, [deal({ id: 'd', contactIds: ['x1'], closed: true, won: true })], [1, 1, 1, 1, 1], [0, 0, 0]],
    ['a lost deal is an opportunity, not a win', { id: 'a', status: 'target', targetAt: at(1, 2) }, [deal({ id: 'd', companyId: 'a', closed: true })], [1, 1, 1, 1, 0], [0, 0, 0]],
    ['a disqualified existing customer with a won deal is outside the funnel', { id: 'a', status: 'disqualified' }, [deal({ id: 'd', companyId: 'a', closed: true, won: true })], [0, 0, 0, 0, 0], [1, 1, 1]],
    ['needs_data, no deal: outside', { id: 'a', status: 'needs_data' }, [], [0, 0, 0, 0, 0], [1, 0, 0]],
    ['a deleted deal counts nowhere', { id: 'a', status: 'target', targetAt: at(1, 2) }, [deal({ id: 'd', companyId: 'a', deleted: true })], [1, 0, 0, 0, 0], [0, 0, 0]],
    ["another company's deal is not this account's", { id: 'a', status: 'target', targetAt: at(1, 2) }, [deal({ id: 'd', companyId: 'b', contactIds: ['y'] })], [1, 0, 0, 0, 0], [0, 0, 0]],
  ])('%s', (_, over, deals, expectedReached, outside) => {
    const f = one(over, undefined, deals);
    expect(reached(f)).toEqual(expectedReached);
    expect([f.outsideFunnel.accounts, f.outsideFunnel.opportunity, f.outsideFunnel.won]).toEqual(outside);
  });

  test('an account counts once however many of its contacts qualify and however many deals it has', () => {
    const contacts = ['x1', 'x2', 'x3'].map((id) => contact({ id, companyId: 'a', createdAt: at(1, 1), status: 'sales_ready', qualifiedAt: at(1, 2), convertedAt: at(1, 3) }));
    const deals = ['x1', 'x2', 'x3'].map((id) => deal({ id: `d-${id}`, contactIds: [id], companyId: 'a', closed: true, won: true }));
    const f = one({ id: 'a', status: 'qualified', targetAt: at(1, 2), engagedAt: at(1, 2), qualifiedAt: at(1, 2) }, contacts, deals);
    expect([f.accounts, ...reached(f), f.leadAccounts, f.leadAccountsWithOpportunity]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  test('a deal of one company with a contact of another is an opportunity of both', () => {
    const accounts = [account({ id: 'a', createdAt: at(1, 1), targetAt: at(1, 1) }), account({ id: 'b', createdAt: at(1, 1), targetAt: at(1, 1) })];
    const contacts = [contact({ id: 'xb', companyId: 'b', createdAt: at(1, 1) })];
    const f = computeAccountFunnel({ accounts, contacts, deals: [deal({ id: 'd', companyId: 'a', contactIds: ['xb'] })], now: NOW })!.overall;
    expect([f.reached.opportunity, f.leadAccounts, f.leadAccountsWithOpportunity]).toEqual([2, 1, 1]);
  });

  test('a converted contact makes an opportunity without a deal in the mirror; a deleted one does not', () => {
    const conv = (deleted: boolean) => one({ id: 'a', targetAt: at(1, 1) }, [contact({ id: 'x', companyId: 'a', createdAt: at(1, 1), convertedAt: at(1, 5), deleted })]);
    expect([conv(false).reached.opportunity, conv(false).leadAccountsWithOpportunity, conv(false).leadAccounts]).toEqual([1, 1, 1]);
    expect([conv(true).reached.opportunity, conv(true).leadAccounts, conv(true).leadToOpportunityRate]).toEqual([0, 0, null]);
  });

  test('no account in the mirror: null (a definition without accounts); only deleted ones: zeros and unknown rates, never NaN', () => {
    expect(computeAccountFunnel({ accounts: [], contacts: ACCOUNT_CONTACTS, deals: ACCOUNT_DEALS, now: NOW })).toBeNull();
    const gone = computeAccountFunnel({ accounts: [account({ id: 'a', createdAt: at(1, 1), deleted: true })], contacts: [], deals: [], now: NOW })!;
    expect(rowOf(gone.overall)).toEqual([0, [0, 0, 0, 0, 0], [null, null, null, null], [0, 0, 0], 0, 0, null]);
    expect(gone.byCohort.map((g) => g.key)).toEqual([]);
    expect(JSON.parse(JSON.stringify(gone))).toEqual(gone);
  });
});

describe('the scope: accounts by their creation, judged on everything they have now', () => {
  test('since March: a4 a5 a6, cohorts from March to now; the undated a8 is out', () => {
    const f = computeAccountFunnel(input, { start: at(3, 1) })!;
    expectRow(rowOf(f.overall), EXPECTED_BY_COHORT.find(([k]) => k === '2025-03')![1]);
    expect(f.byCohort.map((g) => g.key)).toEqual(['2025-03']);
  });

  test("a January period: a1 a2 a3, with a1's deal created in February and its win in March still counted", () => {
    const f = computeAccountFunnel(input, { start: at(1, 1), end: at(2, 1) })!;
    expectRow(rowOf(f.overall), EXPECTED_BY_COHORT.find(([k]) => k === '2025-01')![1]);
    expect(f.byCohort.map((g) => g.key)).toEqual(['2025-01']);
    expect(f.bySource.map((g) => g.key)).toEqual(['ORGANIC_SEARCH', 'REFERRALS', '(none)']);
  });

  test('computeMetrics and computeMetricsForPeriod carry the same figures; without accounts, null', () => {
    const metricsInput = { contacts: ACCOUNT_CONTACTS, deals: ACCOUNT_DEALS, decisions: [], now: NOW, slaHours: 24 };
    expect(computeMetrics({ ...metricsInput, accounts: ACCOUNTS }).accounts).toEqual(figures);
    expect(computeMetrics({ ...metricsInput, accounts: ACCOUNTS }, { since: at(3, 1) }).accounts).toEqual(computeAccountFunnel(input, { start: at(3, 1) }));
    // The period's contact figures count January's contacts only; its accounts are judged on all their records.
    const period = computeMetricsForPeriod({ ...metricsInput, accounts: ACCOUNTS }, { from: '2025-01-01', to: '2025-01-31' });
    expect(period.accounts).toEqual(computeAccountFunnel(input, { start: at(1, 1), end: at(2, 1) }));
    expect(period.accounts!.overall.reached.won).toBe(1);
    expect(computeMetrics(metricsInput).accounts).toBeNull();
  });
});

describe('uld report --by account', () => {
  const metrics = snapshotOf(computeMetrics({ contacts: ACCOUNT_CONTACTS, deals: ACCOUNT_DEALS, decisions: [], accounts: ACCOUNTS, now: NOW, slaHours: 24 }), NOW);

  test('table: the funnel by created month and by first-contact source, with counts and step rates, then the rate', () => {
    const text = renderReport(metrics, { format: 'table', by: 'account' });
    expect(text).toMatch(/^Account funnel report, computed 2025-03-31T00:00:00\.000Z$/m);
    // accounts, target..won, 4 steps, outside x3, lead accounts, with opp, lead>opp
    expect(text).toMatch(/^overall\s+7\s+5\s+3\s+3\s+3\s+1\s+60\.0%\s+100\.0%\s+100\.0%\s+33\.3%\s+2\s+1\s+1\s+5\s+3\s+60\.0%$/m);
    expect(text).toMatch(/^2025-02\s+0\s+0\s+0\s+0\s+0\s+0(\s+-){4}(\s+0){5}\s+-$/m);
    expect(text).toMatch(/^\(no contact\)\s+2\s+1\s+1\s+1\s+1\s+0\s+100\.0%\s+100\.0%\s+100\.0%\s+0\.0%\s+1\s+0\s+0\s+0\s+0\s+-$/m);
    expect(text).toContain('Account lead-to-opportunity rate: 3 of 5 accounts with a lead contact have an opportunity (60.0%).');
  });

  test('json: the figures as computed; csv: one row per group with stable columns', () => {
    const json = JSON.parse(renderReport(metrics, { format: 'json', by: 'account' })) as { by: string; accounts: unknown };
    expect(json.by).toBe('account');
    expect(json.accounts).toEqual(JSON.parse(JSON.stringify(figures)));
    const lines = renderReport(metrics, { format: 'csv', by: 'account' }).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'dimension,group,accounts,reached_target,reached_engaged,reached_qualified,reached_opportunity,reached_won,rate_target_to_engaged,rate_engaged_to_qualified,rate_qualified_to_opportunity,rate_opportunity_to_won,outside_funnel,outside_funnel_opportunity,outside_funnel_won,lead_accounts,lead_accounts_with_opportunity,lead_to_opportunity_rate',
    );
    expect(lines[1]).toBe('overall,overall,7,5,3,3,3,1,0.6,1,1,0.333333,2,1,1,5,3,0.6');
    expect(lines.slice(2).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      ...EXPECTED_BY_COHORT.map(([k]) => `created_month,${k}`),
      ...EXPECTED_BY_SOURCE.map(([k]) => `first_contact_source,${k}`),
    ]);
  });

  test('no accounts: one line saying why, in every format, and valid JSON and CSV', () => {
    const none = snapshotOf(computeMetrics({ contacts: ACCOUNT_CONTACTS, deals: ACCOUNT_DEALS, decisions: [], now: NOW, slaHours: 24 }), NOW);
    expect(renderReport(none, { format: 'table', by: 'account' })).toMatch(/^No accounts in the mirror: the definition has no `accounts` section/m);
    expect(JSON.parse(renderReport(none, { format: 'json', by: 'account' }))).toMatchObject({ accounts: null, note: expect.stringMatching(/^No accounts in the mirror/) });
    expect(renderReport(none, { format: 'csv', by: 'account' }).split('\r\n')).toHaveLength(2);
  });
});

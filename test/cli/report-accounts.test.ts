import pino from 'pino';
import { associationKind, type Portal } from '../../src/sandbox';
import { createApp, createMetrics, listen, type RunningHttp } from '../../src/server';
import type { AccountFunnelFigures, AccountGroupFigures } from '../../src/metrics';
import { definition } from '../support/definitions';
import { rowOf } from '../metrics/account-portal';
import { syncWorld, type SyncWorld } from '../sync/harness';
import { assertBuilt, runUld } from '../server/child';

/**
 * Issue 15, acceptance 4: the account funnel of a hand-built sandbox portal equals the hand computation, in
 * `uld report --by account --format json`, in /api/metrics and on the dashboard's Accounts page. The portal
 * goes through the real pipeline (webhooks, the sync engine, the SQLite mirror); the account rows are the
 * worker's, and their statuses are checked against the hand list first.
 *
 * The definition: a contact with VP in the title is sales_ready; an account is disqualified as a customer,
 * needs_data without a domain, qualified at fit 30 (software +20, 100 or more employees +10), engaged at 20.
 *
 *   company          created  industry, size, other    account status  contacts (created, source)                 deals
 *   A Alpha Soft     Jan 10   software, 500             qualified (30)  a1 VP (Jan 11 ORGANIC), a2 VP (Jan 12      dA won (company A, a1 a2)
 *                                                                      PAID), a3 (Jan 13 ORGANIC): two qualify
 *   B Beta Soft      Jan 20   software, 20             engaged (20)    b1 (Jan 21 REFERRALS)                       dB open (contact b1 only)
 *   C Gamma Retail   Feb 5    retail, 500              target (10)     c1 (Feb 6, no source)                       -
 *   D Delta Soft     Mar 3    software, customer       disqualified    d1 VP (Mar 4 ORGANIC)                       dD won (company D)
 *   E Epsilon        Mar 15   no domain                needs_data      -                                           -
 *   F Zeta Soft      Mar 20   software, 20             engaged (20)    -                                           dF lost (company F)
 *
 * Funnel (a later stage implies the earlier ones; D and E never reached target: outside it):
 *   target A B C F = 4; engaged A B F = 3; qualified A + B, F (their deals imply it) = 3; opportunity A B F = 3;
 *   won A = 1. Steps 3/4, 3/3, 3/3, 1/3. Outside: D E = 2, with an opportunity D = 1, won D = 1.
 *   Lead accounts (a live contact) A B C D = 4; with an opportunity A B D = 3: lead-to-opportunity 3/4.
 *   A counts once although a1 and a2 both qualify and dA has both of them.
 */

const TOKEN = 'account-funnel-admin-token-51d0e7';
const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const day = (month: number, d: number) => Date.UTC(2025, month - 1, d, 9);
const PERIOD = 'from=2025-01-01&to=2025-03-31';

const DEFINITION = definition({
  fit: [{ id: 'vp', label: 'VP', when: { property: 'jobtitle', operator: 'contains', value: 'VP' }, points: 1200 }],
  accounts: {
    required: [{ property: 'domain', label: 'company domain' }],
    disqualifiers: [{ id: 'customer-account', reason: 'Already a customer', when: { property: 'lifecyclestage', operator: 'in', values: ['customer'] } }],
    fit: [
      { id: 'software-account', label: 'Software company', when: { property: 'industry', operator: 'equals', value: 'COMPUTER_SOFTWARE' }, points: 20 },
      { id: 'large-account', label: '100 or more employees', when: { property: 'numberofemployees', operator: 'between', min: 100, max: 1_000_000 }, points: 10 },
    ],
    ladder: { qualified: { fit: 30 }, engaged: { fit: 20 } },
  },
});

/** [accounts, [target, engaged, qualified, opportunity, won], [4 step rates], [outside, outside opp, outside won], lead accounts, with opportunity, rate] */
type Row = [number, number[], Array<number | null>, number[], number, number, number | null];
const OVERALL: Row = [6, [4, 3, 3, 3, 1], [3 / 4, 1, 1, 1 / 3], [2, 1, 1], 4, 3, 3 / 4];
const EMPTY: Row = [0, [0, 0, 0, 0, 0], [null, null, null, null], [0, 0, 0], 0, 0, null];
const BY_MONTH: Array<[string, Row]> = [
  ['2025-01', [2, [2, 2, 2, 2, 1], [1, 1, 1, 1 / 2], [0, 0, 0], 2, 2, 1]], // A, B
  ['2025-02', [1, [1, 0, 0, 0, 0], [0, null, null, null], [0, 0, 0], 1, 0, 0]], // C
  ['2025-03', [3, [1, 1, 1, 1, 0], [1, 1, 1, 0], [2, 1, 1], 1, 1, 1]], // D E outside, F in; only D has a contact
];
const BY_SOURCE: Array<[string, Row]> = [
  ['ORGANIC_SEARCH', [2, [1, 1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1], 2, 2, 1]], // A (first contact a1), D (d1)
  ['REFERRALS', [1, [1, 1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0], 1, 1, 1]], // B
  ['(none)', [1, [1, 0, 0, 0, 0], [0, null, null, null], [0, 0, 0], 1, 0, 0]], // C: c1 has no source
  ['(no contact)', [2, [1, 1, 1, 1, 0], [1, 1, 1, 0], [1, 0, 0], 0, 0, null]], // E outside, F with its lost deal
];

function expectRow(actual: Row, expected: Row, label: string): void {
  expect({ label, counts: [actual[0], actual[1], actual[3], actual[4], actual[5]] }).toEqual({ label, counts: [expected[0], expected[1], expected[3], expected[4], expected[5]] });
  const rates = [...actual[2], actual[6]];
  [...expected[2], expected[6]].forEach((r, i) => (r === null ? expect(rates[i]).toBeNull() : expect(rates[i]).toBeCloseTo(r, 12)));
}
function expectGroups(groups: AccountGroupFigures[], expected: Array<[string, Row]>): void {
  expect(groups.map((g) => g.key)).toEqual(expected.map(([k]) => k));
  for (const [key, row] of expected) expectRow(rowOf(groups.find((g) => g.key === key)!.funnel), row, key);
}

/** The hand-built portal: companies, contacts with their primary company, deals with their associations. */
function buildPortal(portal: Portal): Record<string, string> {
  const ids: Record<string, string> = {};
  const company = (key: string, month: number, d: number, values: Record<string, string>) => (ids[key] = portal.create('companies', { name: key, ...values }, USER, day(month, d)).id);
  const person = (key: string, companyKey: string, month: number, d: number, values: Record<string, string>) => {
    const id = portal.create('contacts', { email: `${key}@${companyKey.toLowerCase()}.example`, firstname: key, lastname: 'Test', ...values }, USER, day(month, d)).id;
    portal.associate('contacts', id, 'companies', ids[companyKey]!, associationKind('contacts', 'companies', 1)!, USER);
    ids[key] = id;
  };
  const deal = (key: string, month: number, d: number, stage: string, companyKey: string | null, contactKeys: string[]) => {
    const closed = stage !== 'appointmentscheduled';
    const id = portal.create('deals', { dealname: key, pipeline: 'default', dealstage: stage, amount: '1000', ...(closed ? { closedate: new Date(day(month, d + 10)).toISOString() } : {}) }, USER, day(month, d)).id;
    if (companyKey) portal.associate('deals', id, 'companies', ids[companyKey]!, associationKind('deals', 'companies', 5)!, USER);
    for (const c of contactKeys) portal.associate('deals', id, 'contacts', ids[c]!, associationKind('deals', 'contacts', 3)!, USER);
    ids[key] = id;
  };
  company('A', 1, 10, { domain: 'alpha.example', industry: 'COMPUTER_SOFTWARE', numberofemployees: '500' });
  company('B', 1, 20, { domain: 'beta.example', industry: 'COMPUTER_SOFTWARE', numberofemployees: '20' });
  company('C', 2, 5, { domain: 'gamma.example', industry: 'RETAIL', numberofemployees: '500' });
  company('D', 3, 3, { domain: 'delta.example', industry: 'COMPUTER_SOFTWARE', numberofemployees: '20', lifecyclestage: 'customer' });
  company('E', 3, 15, { industry: 'COMPUTER_SOFTWARE' });
  company('F', 3, 20, { domain: 'zeta.example', industry: 'COMPUTER_SOFTWARE', numberofemployees: '20' });
  person('a1', 'A', 1, 11, { jobtitle: 'VP Sales', hs_analytics_source: 'ORGANIC_SEARCH' });
  person('a2', 'A', 1, 12, { jobtitle: 'VP Marketing', hs_analytics_source: 'PAID_SEARCH' });
  person('a3', 'A', 1, 13, { jobtitle: 'Engineer', hs_analytics_source: 'ORGANIC_SEARCH' });
  person('b1', 'B', 1, 21, { jobtitle: 'Engineer', hs_analytics_source: 'REFERRALS' });
  person('c1', 'C', 2, 6, { jobtitle: 'Engineer' });
  person('d1', 'D', 3, 4, { jobtitle: 'VP Finance', hs_analytics_source: 'ORGANIC_SEARCH' });
  deal('dA', 2, 1, 'closedwon', 'A', ['a1', 'a2']);
  deal('dB', 2, 10, 'appointmentscheduled', null, ['b1']);
  deal('dD', 3, 5, 'closedwon', 'D', []);
  deal('dF', 3, 21, 'closedlost', 'F', []);
  return ids;
}

describe('issue 15, acceptance 4: the account funnel of a hand-built portal', () => {
  let world: SyncWorld;
  let http: RunningHttp;
  let ids: Record<string, string>;

  beforeAll(async () => {
    assertBuilt();
    world = await syncWorld({ definition: DEFINITION });
    ids = buildPortal(world.sandbox.portal);
    await world.settle();
    // Every company was judged by the worker: the funnel reads its rows.
    expect((await world.store.listAccounts()).map((a) => a.id).sort()).toEqual(Object.values(ids).filter((id) => world.sandbox.portal.get('companies', id)).sort());
    const logger = pino({ level: 'silent' });
    const app = createApp({
      store: world.store,
      logger,
      metrics: createMetrics(world.store, logger),
      adminToken: TOKEN,
      draining: () => false,
      webhooks: { clientSecret: world.sandbox.clientSecret, publicUrl: 'http://127.0.0.1/webhooks/hubspot', acceptV1: false, maxBodyBytes: 1_048_576 },
      dashboard: { slaHours: 24, clock: () => world.now },
    });
    http = await listen(app, 0, '127.0.0.1');
  }, 60_000);

  afterAll(async () => {
    await http?.close(0);
    await world?.stop();
  });

  const get = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${http.port}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    return r;
  };

  test('the mirror holds the portal as built: each account with its status, the contacts and deals with their accounts', async () => {
    const accounts = new Map((await world.store.listAccounts()).map((a) => [a.id, a]));
    const status = (k: string) => accounts.get(ids[k]!)?.status;
    expect(['A', 'B', 'C', 'D', 'E', 'F'].map((k) => [k, status(k)])).toEqual([['A', 'qualified'], ['B', 'engaged'], ['C', 'target'], ['D', 'disqualified'], ['E', 'needs_data'], ['F', 'engaged']]);
    expect(accounts.get(ids.C!)!.createdAt).toBe(day(2, 5));
    const { contacts, deals } = await world.store.listMirror({ decisions: false });
    const contact = new Map(contacts.map((c) => [c.id, c]));
    expect(['a1', 'a2', 'a3'].map((k) => [contact.get(ids[k]!)!.companyId, contact.get(ids[k]!)!.status])).toEqual([[ids.A, 'sales_ready'], [ids.A, 'sales_ready'], [ids.A, 'nurture']]);
    const deal = new Map(deals.map((d) => [d.id, d]));
    expect(['dA', 'dB', 'dD', 'dF'].map((k) => [deal.get(ids[k]!)!.companyId, deal.get(ids[k]!)!.won, deal.get(ids[k]!)!.closed])).toEqual([[ids.A, true, true], [null, false, false], [ids.D, true, true], [ids.F, false, true]]);
  });

  test('uld report --by account --format json, every record: the hand computation; months after March are empty', async () => {
    const r = await runUld(['report', '--by', 'account', '--format', 'json'], { DATABASE_URL: world.databaseUrl });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout) as { by: string; accounts: { overall: AccountFunnelFigures; byCohort: AccountGroupFigures[]; bySource: AccountGroupFigures[] } };
    expect(m.by).toBe('account');
    expectRow(rowOf(m.accounts.overall), OVERALL, 'overall');
    expectGroups(m.accounts.bySource, BY_SOURCE);
    const later = m.accounts.byCohort.slice(BY_MONTH.length);
    expectGroups(m.accounts.byCohort.slice(0, BY_MONTH.length), BY_MONTH);
    expect(later.at(-1)!.key).toBe(new Date().toISOString().slice(0, 7));
    for (const g of later) expectRow(rowOf(g.funnel), EMPTY, g.key);
  });

  test('uld report --by account over January to March: the same figures, three cohorts; the table prints them', async () => {
    const json = await runUld(['report', '--by', 'account', '--format', 'json', '--from', '2025-01-01', '--to', '2025-03-31'], { DATABASE_URL: world.databaseUrl });
    const m = JSON.parse(json.stdout) as { accounts: { overall: AccountFunnelFigures; byCohort: AccountGroupFigures[]; bySource: AccountGroupFigures[] } };
    expectRow(rowOf(m.accounts.overall), OVERALL, 'overall');
    expectGroups(m.accounts.byCohort, BY_MONTH);
    expectGroups(m.accounts.bySource, BY_SOURCE);
    const table = await runUld(['report', '--by', 'account', '--from', '2025-01-01', '--to', '2025-03-31'], { DATABASE_URL: world.databaseUrl });
    expect(table.status).toBe(0);
    // accounts, target..won, 4 step rates, outside x3, lead accounts, with opportunity, lead>opp
    expect(table.stdout).toMatch(/^overall\s+6\s+4\s+3\s+3\s+3\s+1\s+75\.0%\s+100\.0%\s+100\.0%\s+33\.3%\s+2\s+1\s+1\s+4\s+3\s+75\.0%$/m);
    expect(table.stdout).toContain('Account lead-to-opportunity rate: 3 of 4 accounts with a lead contact have an opportunity (75.0%).');
  });

  test('/api/metrics: the snapshot carries the same figures under `accounts`; the Accounts page JSON the same rows', async () => {
    const snapshot = (await (await get(`/api/metrics/snapshot?${PERIOD}`)).json()) as { accounts: { overall: AccountFunnelFigures; byCohort: AccountGroupFigures[]; bySource: AccountGroupFigures[] } };
    expectRow(rowOf(snapshot.accounts.overall), OVERALL, 'overall');
    expectGroups(snapshot.accounts.byCohort, BY_MONTH);
    expectGroups(snapshot.accounts.bySource, BY_SOURCE);
    const index = (await (await get('/api/metrics')).json()) as { pages: string[] };
    expect(index.pages).toContain('/api/metrics/accounts');
    const page = (await (await get(`/api/metrics/accounts?${PERIOD}`)).json()) as { tables: Record<string, Array<Record<string, string | number | null>>> };
    expect(page.tables.account_stages!.map((r) => r.reached)).toEqual(OVERALL[1]);
    expect(page.tables.account_cohorts!.map((r) => [r.group, r.accounts, r.reached_won, r.lead_to_opportunity_rate])).toEqual([['overall', 6, 1, 0.75], ...BY_MONTH.map(([k, row]) => [k, row[0], row[1][4], row[6]])]);
  });

  test('the dashboard page shows the same numbers, in the period asked for, and is in the navigation', async () => {
    const html = await (await get(`/dashboard/accounts?${PERIOD}`)).text();
    expect(html).toContain(`href="/dashboard/accounts?${PERIOD}" aria-current="page">Accounts</a>`);
    /** The raw values (data-value) of one column of a table, in row order. */
    const column = (table: string, key: string) => {
      const body = new RegExp(`<table id="${table}">[\\s\\S]*?</table>`).exec(html)![0];
      return [...body.matchAll(new RegExp(`<td data-key="${key}" data-value="([^"]*)"`, 'g'))].map((m) => (m[1] === '' ? null : Number.isNaN(Number(m[1])) ? m[1] : Number(m[1])));
    };
    expect(column('account_stages', 'reached')).toEqual(OVERALL[1]);
    expect(column('account_steps', 'rate')).toEqual(OVERALL[2].map((r) => (r === null ? null : expect.closeTo(r, 6))));
    expect(column('account_outside', 'accounts').concat(column('account_outside', 'opportunity'), column('account_outside', 'won'))).toEqual(OVERALL[3]);
    expect(column('account_cohorts', 'group')).toEqual(['overall', ...BY_MONTH.map(([k]) => k)]);
    expect(column('account_cohorts', 'reached_target')).toEqual([OVERALL[1][0], ...BY_MONTH.map(([, r]) => r[1][0])]);
    expect(column('account_sources', 'group')).toEqual(['overall', ...BY_SOURCE.map(([k]) => k)]);
    expect(column('account_sources', 'lead_to_opportunity_rate')).toEqual([0.75, ...BY_SOURCE.map(([, r]) => r[6])]);
    expect(column('account_sources', 'lead_accounts')).toEqual([4, ...BY_SOURCE.map(([, r]) => r[4])]);
  });
});

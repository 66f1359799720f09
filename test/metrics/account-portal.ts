import type { AccountFunnelFigures } from '../../src/metrics';
import type { MirrorAccount } from '../../src/store/mirror-types';
import { at, contact, deal, NOW } from './portal';

/**
 * A small portal of accounts whose funnel is computed by hand in account-funnel.test.ts. `now` is 2025-03-31
 * (portal.ts). Each account, its live contacts (first contact first) and what the funnel reads of it:
 *
 *   account  created  status        own stages                 contacts (created, source)                deals / conversions
 *   a1       Jan 5    qualified     target, engaged, qualified  k1 (Jan 6 ORGANIC), k2 (Jan 8 PAID), k3    d1 won (company a1, contacts k1 k2)
 *   a2       Jan 20   engaged       target, engaged             k10 (Jan 20 REFERRALS), k4 (Jan 20 PAID)   k4 converted (no deal in the mirror)
 *   a3       Jan 25   target        target                      k5 (Jan 26, no source); k9 deleted        d4 deleted
 *   a4       Mar 3    disqualified  -                           k6 (Mar 3 ORGANIC)                        d2 won (no company, contact k6)
 *   a5       Mar 10   needs_data    -                           none                                      -
 *   a6       Mar 12   target        target                      none                                      d3 open (company a6)
 *   a7       Jan 2    target (deleted: counts nowhere)          k7                                        -
 *   a8       none     target        target                      k8 (Mar 1 ORGANIC)                        -
 *
 * k1, k2 and k3 are all sales_ready: a1 still counts once. k10 and k4 were created at the same instant: the lower
 * id (as text, 'k10' < 'k4') is the first contact. February has no account: the empty cohort.
 */

export const account = (over: Partial<MirrorAccount> & { id: string }): MirrorAccount => ({
  createdAt: null,
  status: 'target',
  score: 0,
  fitScore: 0,
  engagementScore: 0,
  coverageScore: 0,
  engagedContacts: 0,
  rolesCovered: [],
  definitionVersion: '1',
  targetAt: null,
  engagedAt: null,
  qualifiedAt: null,
  evaluatedAt: NOW,
  deleted: false,
  ...over,
});

export const ACCOUNTS: MirrorAccount[] = [
  account({ id: 'a1', createdAt: at(1, 5), status: 'qualified', targetAt: at(1, 6), engagedAt: at(1, 10), qualifiedAt: at(1, 15) }),
  account({ id: 'a2', createdAt: at(1, 20), status: 'engaged', targetAt: at(1, 21), engagedAt: at(2, 1) }),
  account({ id: 'a3', createdAt: at(1, 25), status: 'target', targetAt: at(1, 25) }),
  account({ id: 'a4', createdAt: at(3, 3), status: 'disqualified' }),
  account({ id: 'a5', createdAt: at(3, 10), status: 'needs_data' }),
  account({ id: 'a6', createdAt: at(3, 12), status: 'target', targetAt: at(3, 12) }),
  account({ id: 'a7', createdAt: at(1, 2), status: 'target', targetAt: at(1, 2), deleted: true }),
  account({ id: 'a8', createdAt: null, status: 'target', targetAt: at(3, 1) }),
];

export const ACCOUNT_CONTACTS = [
  contact({ id: 'k1', companyId: 'a1', createdAt: at(1, 6), source: 'ORGANIC_SEARCH', status: 'sales_ready', qualifiedAt: at(1, 9), convertedAt: at(2, 10) }),
  contact({ id: 'k2', companyId: 'a1', createdAt: at(1, 8), source: 'PAID_SEARCH', status: 'sales_ready', qualifiedAt: at(1, 12), convertedAt: at(2, 10) }),
  contact({ id: 'k3', companyId: 'a1', createdAt: at(1, 9), source: 'PAID_SEARCH', status: 'sales_ready', qualifiedAt: at(1, 14) }),
  contact({ id: 'k4', companyId: 'a2', createdAt: at(1, 20), source: 'PAID_SEARCH', convertedAt: at(2, 20) }),
  contact({ id: 'k10', companyId: 'a2', createdAt: at(1, 20), source: 'REFERRALS' }),
  contact({ id: 'k5', companyId: 'a3', createdAt: at(1, 26) }),
  contact({ id: 'k9', companyId: 'a3', createdAt: at(1, 1), source: 'DIRECT_TRAFFIC', deleted: true }),
  contact({ id: 'k6', companyId: 'a4', createdAt: at(3, 3), source: 'ORGANIC_SEARCH' }),
  contact({ id: 'k7', companyId: 'a7', createdAt: at(1, 2), source: 'ORGANIC_SEARCH' }),
  contact({ id: 'k8', companyId: 'a8', createdAt: at(3, 1), source: 'ORGANIC_SEARCH' }),
  // A contact of no account: in no account figure.
  contact({ id: 'k11', createdAt: at(1, 3), source: 'ORGANIC_SEARCH', convertedAt: at(1, 4) }),
];

export const ACCOUNT_DEALS = [
  // Created after January: a January account still has it (each account is judged on all it has now).
  deal({ id: 'd1', companyId: 'a1', contactIds: ['k1', 'k2'], createdAt: at(2, 10), closed: true, won: true, closedAt: at(3, 1), amount: 10000 }),
  deal({ id: 'd2', contactIds: ['k6'], createdAt: at(3, 5), closed: true, won: true, closedAt: at(3, 20), amount: 5000 }),
  deal({ id: 'd3', companyId: 'a6', createdAt: at(3, 15), amount: 7000 }),
  deal({ id: 'd4', companyId: 'a3', createdAt: at(2, 1), deleted: true }),
];

/** [accounts, [target, engaged, qualified, opportunity, won], [4 step rates], [outside, outside opp, outside won], lead accounts, with opportunity, lead-to-opportunity rate] */
export type AccountRow = [number, number[], Array<number | null>, number[], number, number, number | null];

/** A group's funnel as one row: accounts, reached per stage, step rates, outside the funnel, lead accounts, with an opportunity, rate. */
export const rowOf = (f: AccountFunnelFigures): AccountRow => [
  f.accounts,
  [f.reached.target, f.reached.engaged, f.reached.qualified, f.reached.opportunity, f.reached.won],
  f.steps.map((s) => s.rate),
  [f.outsideFunnel.accounts, f.outsideFunnel.opportunity, f.outsideFunnel.won],
  f.leadAccounts,
  f.leadAccountsWithOpportunity,
  f.leadToOpportunityRate,
];

/** The hand computation, group by group. */
export const EXPECTED_OVERALL: AccountRow =
  // 7 live accounts (a7 deleted); in the funnel a1 a2 a3 a6 a8; engaged a1 a2 (own) + a6 (its deal implies it);
  // qualified a1 (own) + a2 (k4 converted) + a6 (deal); opportunity a1 a2 a6; won a1. Outside: a4 (d2 won), a5.
  // Lead accounts a1 a2 a3 a4 a8; of those with an opportunity a1 a2 a4: 3 / 5.
  [7, [5, 3, 3, 3, 1], [3 / 5, 1, 1, 1 / 3], [2, 1, 1], 5, 3, 3 / 5];

/** By created month: January to now's month (March), the empty February included, then the account without a date. */
export const EXPECTED_BY_COHORT: Array<[string, AccountRow]> = [
  // a1 a2 a3, all in the funnel; won a1 only.
  ['2025-01', [3, [3, 2, 2, 2, 1], [2 / 3, 1, 1, 1 / 2], [0, 0, 0], 3, 2, 2 / 3]],
  ['2025-02', [0, [0, 0, 0, 0, 0], [null, null, null, null], [0, 0, 0], 0, 0, null]],
  // a4 a5 outside, a6 in; only a4 has a contact (and a won deal, outside the funnel).
  ['2025-03', [3, [1, 1, 1, 1, 0], [1, 1, 1, 0], [2, 1, 1], 1, 1, 1]],
  // a8: target, one contact, no opportunity.
  ['(none)', [1, [1, 0, 0, 0, 0], [0, null, null, null], [0, 0, 0], 1, 0, 0]],
];

/** By the source of the first contact: a1 k1, a4 k6, a8 k8 organic; a2 k10 referrals; a3 k5 (none); a5 a6 no contact. */
export const EXPECTED_BY_SOURCE: Array<[string, AccountRow]> = [
  // a1 (won), a4 (outside, won), a8 (target only).
  ['ORGANIC_SEARCH', [3, [2, 1, 1, 1, 1], [1 / 2, 1, 1, 1], [1, 1, 1], 3, 2, 2 / 3]],
  ['REFERRALS', [1, [1, 1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0], 1, 1, 1]],
  ['(none)', [1, [1, 0, 0, 0, 0], [0, null, null, null], [0, 0, 0], 1, 0, 0]],
  // a5 outside, a6 with its open deal; no lead contact, so no lead-to-opportunity rate.
  ['(no contact)', [2, [1, 1, 1, 1, 0], [1, 1, 1, 0], [1, 0, 0], 0, 0, null]],
];

import { definition } from '../support/definitions';

/**
 * Whether decisions can change with the clock alone (issue 16): the compiler says, from the rules, and the
 * nightly `requalify` queues exactly those (test/jobs/requalify.test.ts).
 */

const rule = (when: Record<string, unknown>, id = 'r') => ({ id, label: id.toUpperCase(), points: 5, when });
const EXISTS = { property: 'country', operator: 'exists' };
const WITHIN = { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 30 };
const OLDER = { property: 'createdate', operator: 'older_than_days', days: 90 };
const LADDER = { qualified: { total: 50 }, engaged: { engagement: 10 } };
const group = (window?: Record<string, unknown>) => ({ id: 'g', label: 'G', measure: 'count', score: 'engagement', atLeast: 2, points: 10, ...(window ? { window } : {}) });

it.each([
  ['no decay and no date window', { fit: [rule(EXISTS)], engagement: [rule(EXISTS, 'e')] }, { contacts: false, accounts: false }],
  ['an engagement decay', { engagement: [{ ...rule(EXISTS), decay: { type: 'half_life', days: 30, from: 'hs_analytics_last_visit_timestamp' } }] }, { contacts: true, accounts: false }],
  ['within_days in fit', { fit: [rule(WITHIN)] }, { contacts: true, accounts: false }],
  ['older_than_days deep in a disqualifier', { disqualifiers: [{ id: 'd', reason: 'Old', when: { all: [EXISTS, { not: { any: [EXISTS, OLDER] } }] } }] }, { contacts: true, accounts: false }],
  ['an accounts section without a clock', { accounts: { fit: [rule(EXISTS)], engagement: [group()], ladder: LADDER } }, { contacts: false, accounts: false }],
  ['an account group rule with a window', { accounts: { engagement: [group({ days: 30, from: 'hs_analytics_last_visit_timestamp' })], ladder: LADDER } }, { contacts: false, accounts: true }],
  ['within_days in the accounts fit', { accounts: { fit: [rule(WITHIN)], ladder: LADDER } }, { contacts: false, accounts: true }],
  ['within_days in contact rules and an account window', { engagement: [rule(WITHIN)], accounts: { engagement: [group({ days: 7, from: 'notes_last_contacted' })], ladder: LADDER } }, { contacts: true, accounts: true }],
])('when a definition has %s, then the compiler says whose decisions depend on time', (_, body, expected) => {
  expect(definition(body).dependsOnTime).toEqual(expected);
});

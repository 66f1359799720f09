import { retryAtFor } from '../../src/hubspot/errors';

/** When a 429 may be tried again, by policy and time of day (all times UTC). */
describe('retryAtFor', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    ['DAILY, late evening: the next midnight UTC comes first', 'DAILY', '2026-12-01T23:30:00Z', {}, '2026-12-02T00:00:00.000Z'],
    ['DAILY, morning: in an hour (a Pacific portal resets at 08:00 UTC)', 'DAILY', '2026-12-01T07:10:00Z', {}, '2026-12-01T08:10:00.000Z'],
    ['DAILY with Retry-After: HubSpot knows best', 'DAILY', '2026-12-01T07:10:00Z', { 'retry-after': '120' }, '2026-12-01T07:12:00.000Z'],
    ['rolling: one interval', 'TEN_SECONDLY_ROLLING', '2026-12-01T07:10:00Z', { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }, '2026-12-01T07:10:10.000Z'],
    ['search: one second', 'SECONDLY', '2026-12-01T07:10:00Z', {}, '2026-12-01T07:10:01.000Z'],
  ] as const)('%s', (...[, policy, now, headers, expected]) => {
    expect(new Date(retryAtFor(policy, { ...headers }, at(now))).toISOString()).toBe(expected);
  });
});

import { runDoctor } from '../../src/admin/doctor';
import { loadConfig } from '../../src/config';

/**
 * `uld doctor` and HubSpot's end of support for the configured API version: quiet while more than six
 * months remain, a warning naming the date and the version to move to after that. `now` is the doctor's.
 */
async function versionLine(version: string, day: string) {
  const config = loadConfig({ HUBSPOT_API_VERSION: version, DATABASE_URL: 'sqlite::memory:' });
  const lines = await runDoctor({
    config,
    definition: { error: 'not needed here' },
    openStore: () => Promise.reject(new Error('not needed here')),
    gateway: undefined,
    fetch: (() => Promise.reject(new Error('offline'))) as typeof fetch,
    now: Date.parse(`${day}T12:00:00Z`),
  });
  return lines.find((l) => l.check === 'api version');
}

describe('uld doctor: HUBSPOT_API_VERSION end of support', () => {
  it.each([
    ['2026-09', '2026-12-05', 'pass', /supported by HubSpot until 2028-03-08/, undefined],
    ['2026-09', '2027-09-08', 'warn', /stops supporting it on 2028-03-08, less than 6 months from now/, /newer HubSpot API version/],
    ['2026-03', '2027-03-29', 'pass', /until 2027-09-30/, undefined],
    ['2026-03', '2027-04-01', 'warn', /stops supporting it on 2027-09-30/, /HUBSPOT_API_VERSION=2026-09/],
    ['legacy', '2026-09-29', 'pass', /until 2027-03-30/, undefined],
    ['legacy', '2026-12-05', 'warn', /stops supporting it on 2027-03-30, .*v4 \(associations\) unsupported/, /HUBSPOT_API_VERSION=2026-09/],
    ['legacy', '2027-04-02', 'warn', /stopped supporting it on 2027-03-30/, /HUBSPOT_API_VERSION=2026-09/],
  ] as const)('with %s on %s, then %s', async (version, day, outcome, detail, fix) => {
    const line = await versionLine(version, day);
    expect(line?.outcome).toBe(outcome);
    expect(line?.detail).toMatch(detail);
    if (fix) expect(line?.fix).toMatch(fix);
    else expect(line?.fix).toBeUndefined();
  });
});

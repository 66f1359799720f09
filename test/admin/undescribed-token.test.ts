import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGateway } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { PRODUCT_PROPERTIES } from '../../src/sync/properties';
import { assertBuilt, runUld } from '../server/child';
import { EXAMPLE } from '../sync/harness';

/**
 * HubSpot's private-app token lookup is documented for private apps; whether it describes a project app's
 * static token is unconfirmed (shared platform doc §3). When it does not (404 for a token every other call
 * accepts), `uld install` still installs, and `uld doctor` warns instead of failing: the scopes are then named
 * by the first call that lacks one.
 */
describe('a token the private-app lookup does not describe', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  const propertyCount = Object.values(PRODUCT_PROPERTIES).reduce((n, list) => n + list.length, 0);
  beforeAll(() => assertBuilt());
  // A fresh portal for each test (an empty one starts in milliseconds): the install must find nothing
  // installed, and doctor's property check needs the properties installed first, whatever ran before.
  beforeEach(async () => {
    sandbox = await startSandbox({ seed: 8, behaviour: { describesAppToken: false } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-undescribed-'));
    env = { ...sandbox.environment(), LEAD_DEFINITION: EXAMPLE, DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}`, LOG_LEVEL: 'silent', SERVE_SCHEDULER: 'false' };
  }, 30_000);
  afterEach(async () => {
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when `uld install` runs, then it says the scopes go unchecked and creates every property', async () => {
    const run = await runUld(['install', '--no-backfill'], env, { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Token: HubSpot's token lookup does not describe it \(HubSpot refused the request \(404 OBJECT_NOT_FOUND\).*\); its scopes are not checked up front/m);
    expect(run.stdout).toContain(`Properties: ${propertyCount} created`);
  }, 60_000);

  it('when `uld doctor` runs, then the hubspot and scopes lines warn and the property check, which makes real calls, passes', async () => {
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    await ensureProductProperties(gateway);
    gateway.close();
    const run = await runUld(['doctor', '--json'], env, { cwd: dir });
    const lines = JSON.parse(run.stdout) as Array<{ check: string; outcome: string }>;
    const outcome = (check: string) => lines.find((l) => l.check === check)?.outcome;
    expect([outcome('hubspot'), outcome('scopes'), outcome('properties')]).toEqual(['warn', 'warn', 'pass']);
  }, 60_000);

  it('when a scope is then missing, then the first call that needs it names it in one line', async () => {
    // Listing deal properties takes any one of these (HubSpot's properties spec): without all three it is refused.
    const lost = ['crm.schemas.deals.read', 'crm.objects.deals.read', 'crm.objects.deals.write'];
    for (const scope of lost) sandbox.scopes.splice(sandbox.scopes.indexOf(scope), 1);
    try {
      const run = await runUld(['install', '--no-backfill'], env, { cwd: dir });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^uld: HubSpot refused \(deals\.properties\.read\): the app lacks one of the scopes .*crm\.schemas\.deals\.read/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      sandbox.scopes.push(...lost);
    }
  }, 60_000);
});

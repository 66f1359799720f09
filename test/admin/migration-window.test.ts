import { migrationWindowChecks } from '../../src/admin/migration-window';
import { loadConfig } from '../../src/config';
import { createGateway } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { APP_ID, PREVIOUS_APP_ID, PREVIOUS_SECRET, PUBLIC_URL, SECRET, startTestApp, type TestApp } from '../server/harness';

/**
 * `uld doctor` during a migration window: a round-trip signed with the old app's secret against the real
 * receiver (reached through a stand-in for the proxy in front of it), and the token's app from the
 * sandbox's token introspection.
 */
describe('uld doctor: the migration window', () => {
  let sandbox: Sandbox;
  const apps: TestApp[] = [];
  const OLD_TOKEN = 'pat-na1-old-app-token';

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, appId: APP_ID, previousApp: { accessToken: OLD_TOKEN, appId: PREVIOUS_APP_ID, clientSecret: PREVIOUS_SECRET } });
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await sandbox?.stop();
  });

  async function check(server: { migrationWindow: boolean }, env: Record<string, string>, token = sandbox.accessToken) {
    const app = await startTestApp(server);
    apps.push(app);
    const config = loadConfig({ HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: String(APP_ID), WEBHOOK_PUBLIC_URL: PUBLIC_URL, ...env });
    const gateway = createGateway({ accessToken: token, baseUrl: sandbox.url });
    try {
      // HubSpot signs PUBLIC_URL; the request reaches the test server's own address, as behind a proxy.
      const viaProxy: typeof fetch = (_url, init) => fetch(`${app.url}/webhooks/hubspot`, init);
      return await migrationWindowChecks(config, { fetch: viaProxy, tokenInfo: () => gateway.tokenInfo() });
    } finally {
      gateway.close?.();
    }
  }

  const windowEnv = { HUBSPOT_PREVIOUS_CLIENT_SECRET: PREVIOUS_SECRET, HUBSPOT_PREVIOUS_APP_ID: String(PREVIOUS_APP_ID) };

  test('when no window is configured, then there is no line', async () => {
    expect(await check({ migrationWindow: false }, {})).toEqual([]);
  });

  test('when the window is open here and on the server, then a warning says it is open and how to close it', async () => {
    expect(await check({ migrationWindow: true }, windowEnv)).toEqual([
      expect.objectContaining({ check: 'migration window', outcome: 'warn', detail: expect.stringMatching(/^open: .*old app 555001/), fix: expect.stringMatching(/delete the old app .*unset HUBSPOT_PREVIOUS_CLIENT_SECRET and HUBSPOT_PREVIOUS_APP_ID/) }),
    ]);
  });

  test("when the server runs without the window, then the old app's signature is refused and the line fails", async () => {
    expect(await check({ migrationWindow: false }, windowEnv)).toEqual([
      expect.objectContaining({ outcome: 'fail', detail: expect.stringMatching(/refused a request signed with HUBSPOT_PREVIOUS_CLIENT_SECRET \(401\)/) }),
    ]);
  });

  test("when HUBSPOT_ACCESS_TOKEN is still the old app's, then the line fails and names the fix", async () => {
    const lines = await check({ migrationWindow: true }, windowEnv, OLD_TOKEN);
    expect(lines).toEqual([expect.objectContaining({ outcome: 'fail', detail: 'HUBSPOT_ACCESS_TOKEN belongs to the old app 555001 (HUBSPOT_PREVIOUS_APP_ID)' })]);
    expect(lines[0]!.fix).toMatch(/project app's static token/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiPaths, createGateway, DEFAULT_API_VERSION } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { PRODUCT_PROPERTIES } from '../../src/sync/properties';
import { runUld } from '../server/child';
import { EXAMPLE } from '../sync/harness';

/** The paths of the API version the product uses by default (HUBSPOT_API_VERSION unset). */
const API = apiPaths(DEFAULT_API_VERSION);

/** Issue 7, acceptance 1: `uld install` twice against the sandbox, a changed option label, a missing scope. */
describe('uld install against the sandbox', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  const propertyCount = Object.values(PRODUCT_PROPERTIES).reduce((n, list) => n + list.length, 0);

  // A fresh portal for each test (an empty one starts in milliseconds): the first install must find nothing
  // installed, and the tests that need an installed portal install it first, whatever ran before them.
  beforeEach(async () => {
    sandbox = await startSandbox({ seed: 7 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-install-'));
    env = {
      HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
      HUBSPOT_API_BASE_URL: sandbox.url,
      WEBHOOK_PUBLIC_URL: 'https://leads.example.com/webhooks/hubspot',
      LEAD_DEFINITION: EXAMPLE,
      DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}`,
      LOG_LEVEL: 'silent',
    };
  });
  afterEach(async () => {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const install = () => runUld(['install', '--no-backfill'], env, { cwd: dir });

  it('when run on a fresh portal, then it creates the group and every property, and leaves the project files to `uld init`', async () => {
    const run = await install();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Properties: ${propertyCount} created, 0 updated, 0 already right`);
    expect(run.stdout).toContain('a project app gets them from `uld init`');
    expect(fs.readdirSync(dir)).not.toContain('hubspot-project');
    for (const [objectType, wanted] of Object.entries(PRODUCT_PROPERTIES)) {
      for (const p of wanted) expect(await propertyOf(objectType, p.name)).toBeDefined();
    }
    // The legacy private app steps list every subscription.
    expect(run.stdout).toContain('Settings > Integrations > Private Apps > your app > Webhooks');
    expect(run.stdout).toMatch(/contact\s+propertyChange\s+jobtitle/);
  }, 60_000);

  it('when run a second time, then it changes nothing and says so', async () => {
    expect((await install()).status).toBe(0);
    const callsBefore = writeCalls();
    const run = await install();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Properties: all ${propertyCount} uld_* properties already as they should be; nothing changed`);
    expect(run.stdout).toContain('Nothing to change: the portal is installed as this definition needs.');
    // Nothing written: no property or group create/update call reached the portal (the group create answers 409).
    expect(writeCalls() - callsBefore).toBe(0);
  }, 60_000);

  it('when an admin changed an option label in HubSpot, then install puts the label back and keeps the values', async () => {
    expect((await install()).status).toBe(0);
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    const current = (await gateway.listProperties('contacts')).find((p) => p.name === 'uld_status')!;
    await gateway.updateProperty('contacts', 'uld_status', { options: current.options!.map((o) => (o.value === 'sales_ready' ? { ...o, label: 'Hot lead' } : o)) });
    gateway.close();
    const run = await install();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('updated  contacts.uld_status (options)');
    expect(run.stdout).toContain(`Properties: 0 created, 1 updated, ${propertyCount - 1} already right`);
    const after = (await propertyOf('contacts', 'uld_status'))!;
    expect(after.options.find((o) => o.value === 'sales_ready')?.label).toBe('Sales ready');
    expect(after.options.map((o) => o.value).sort()).toEqual([...current.options!.map((o) => o.value)].sort());
  }, 60_000);

  it('when the token lacks a scope, then install names it, changes nothing and exits 1', async () => {
    // On a fresh portal: everything would be created, so "nothing changed" is the scope check's doing.
    const removed = sandbox.scopes.splice(sandbox.scopes.indexOf('crm.schemas.deals.write'), 1);
    try {
      const before = writeCalls();
      const run = await install();
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('MISSING SCOPES: the token lacks 1 required scope');
      expect(run.stdout).toContain('  - crm.schemas.deals.write: to create the uld group and properties on deals');
      expect(run.stdout).toContain('No property was created or changed.');
      expect(writeCalls() - before).toBe(0);
    } finally {
      sandbox.scopes.push(...removed);
    }
  }, 60_000);

  function writeCalls(): number {
    return Object.entries(sandbox.calls.all())
      .filter(([endpoint]) => /^(POST|PATCH) \/crm\/v3\/properties\//.test(endpoint) && !endpoint.endsWith('/groups'))
      .reduce((n, [, count]) => n + count, 0);
  }

  async function propertyOf(objectType: string, name: string): Promise<{ options: Array<{ value: string; label: string }> } | undefined> {
    const res = await fetch(`${sandbox.url}${API.property(objectType, name)}`, { headers: { Authorization: `Bearer ${sandbox.accessToken}` } });
    return res.status === 200 ? ((await res.json()) as { options: Array<{ value: string; label: string }> }) : undefined;
  }
});


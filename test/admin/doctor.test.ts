import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDoctor, redactUrl } from '../../src/admin/doctor';
import { loadConfig } from '../../src/config';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { apiPaths, createGateway, DEFAULT_API_VERSION } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { freePort, startService, type Service } from '../../src/server';
import { openStore } from '../../src/store';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { subscriptionsFor } from '../../src/sync/subscriptions';
import { runUld } from '../server/child';
import { EXAMPLE } from '../sync/harness';

/** The paths of the API version the product uses by default (HUBSPOT_API_VERSION unset). */
const API = apiPaths(DEFAULT_API_VERSION);

/**
 * Issue 7, acceptance 3: `uld doctor` passes on a healthy demo set-up (sandbox portal, `uld serve`, the
 * properties installed, a job run) and names the failing check for each thing an admin gets wrong.
 */
describe('uld doctor', () => {
  let sandbox: Sandbox;
  let service: Service;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-doctor-'));
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}/webhooks/hubspot`;
    const def = compileDefinition(loadDefinitionFile(EXAMPLE));
    sandbox = await startSandbox({ seed: 3, contacts: 60, webhooks: { targetUrl: publicUrl, subscriptions: subscriptionsFor(def) } });
    env = {
      ...sandbox.environment(),
      WEBHOOK_PUBLIC_URL: publicUrl,
      PORT: String(port),
      LEAD_DEFINITION: EXAMPLE,
      DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}`,
      LOG_LEVEL: 'silent',
      SERVE_SCHEDULER: 'false',
    };
    service = await startService({ config: loadConfig(env), host: '127.0.0.1' });
    const job = await runUld(['jobs', 'run', 'metrics'], env, { cwd: dir });
    expect(job.stderr + job.stdout).toContain('metrics: ok');
  }, 60_000);
  // The properties installed before each test: one test deletes one in HubSpot, and the others expect them all.
  beforeEach(async () => {
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    try {
      await ensureProductProperties(gateway);
    } finally {
      gateway.close();
    }
  });
  afterAll(async () => {
    await service?.stop();
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const doctor = (overrides: Record<string, string> = {}) => runUld(['doctor'], { ...env, ...overrides }, { cwd: dir });
  const line = (stdout: string, check: string) => stdout.split('\n').find((l) => l.slice(6).startsWith(check.padEnd(22))) ?? '';

  it('when everything is set up, then every check passes and it exits 0', async () => {
    const run = await doctor();
    expect(run.stderr).toBe('');
    for (const check of ['configuration', 'definition', 'store', 'hubspot', 'scopes', 'properties', 'definition properties', 'webhook endpoint', 'queue', 'jobs']) {
      expect(line(run.stdout, check)).toMatch(/^PASS /);
    }
    expect(run.stdout).toContain('All checks passed.');
    expect(run.status).toBe(0);
  }, 60_000);

  it('when the client secret is wrong, then the webhook round-trip fails and says what to do', async () => {
    const run = await doctor({ HUBSPOT_CLIENT_SECRET: 'not-the-secret-the-server-uses' });
    expect(run.status).toBe(1);
    expect(line(run.stdout, 'webhook endpoint')).toMatch(/^FAIL .*refused a request signed with HUBSPOT_CLIENT_SECRET \(401\)/);
    expect(run.stdout).toContain('1 check failed.');
    // The secret is not printed.
    expect(run.stdout).not.toContain('not-the-secret-the-server-uses');
  }, 60_000);

  it('when the definition reads a property the portal does not have, then it names it with a suggestion', async () => {
    const typo = path.join(dir, 'typo.yaml');
    fs.writeFileSync(typo, fs.readFileSync(EXAMPLE, 'utf8').replace('{ property: jobtitle, operator: contains_any, list: senior_titles', '{ property: jobtite, operator: contains_any, list: senior_titles'));
    const run = await doctor({ LEAD_DEFINITION: typo });
    expect(run.status).toBe(1);
    expect(line(run.stdout, 'definition properties')).toContain("FAIL  definition properties jobtite does not exist in the portal's contacts (did you mean jobtitle?)");
  }, 60_000);

  it('when HANDOFF_MODE=lead, then the lead scopes are required and the lead pipeline and stages the definition names are checked against the portal', async () => {
    const ok = await doctor({ HANDOFF_MODE: 'lead' });
    expect(line(ok.stdout, 'scopes')).toBe(`PASS  ${'scopes'.padEnd(22)}all 14 required scopes granted`);
    expect(line(ok.stdout, 'lead pipeline')).toBe(`PASS  ${'lead pipeline'.padEnd(22)}hand-off Leads start in "New" of "Lead pipeline"; verdicts from 2 stages`);
    // Not a check in the other modes.
    expect(line((await doctor()).stdout, 'lead pipeline')).toBe('');

    const renamed = path.join(dir, 'lead-stages.yaml');
    fs.writeFileSync(renamed, fs.readFileSync(EXAMPLE, 'utf8').replace('accepted: [qualified-stage-id]', 'accepted: ["1213103916"]'));
    const wrong = await doctor({ HANDOFF_MODE: 'lead', LEAD_DEFINITION: renamed });
    expect(wrong.status).toBe(1);
    expect(line(wrong.stdout, 'lead pipeline')).toMatch(/^FAIL {2}lead pipeline\s+stage 1213103916 not in lead pipeline lead-pipeline-id \(its stages: new-stage-id "New", .*unqualified-stage-id "Disqualified"\)/);

    const granted = [...sandbox.scopes];
    sandbox.scopes.splice(0, sandbox.scopes.length, ...granted.filter((s) => !s.startsWith('crm.objects.leads.')));
    try {
      const lacking = await doctor({ HANDOFF_MODE: 'lead' });
      expect(line(lacking.stdout, 'scopes')).toMatch(/^FAIL {2}scopes\s+missing crm\.objects\.leads\.read \(to read hand-off Leads.*crm\.objects\.leads\.write/);
      expect(line((await doctor()).stdout, 'scopes')).toMatch(/^PASS /);
    } finally {
      sandbox.scopes.splice(0, sandbox.scopes.length, ...granted);
    }
  }, 90_000);

  it('when the store is unreachable, then the store check fails and the checks that need it are skipped', async () => {
    const run = await doctor({ DATABASE_URL: 'postgres://uld:hunter2@127.0.0.1:1/nothing' });
    expect(run.status).toBe(1);
    expect(line(run.stdout, 'store')).toMatch(/^FAIL {2}store\s+cannot use the store at postgres:\/\/uld:\*\*\*@127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/);
    expect(line(run.stdout, 'queue')).toContain('SKIP');
    expect(run.stdout).not.toContain('hunter2');
  }, 60_000);

  it('when a uld property was deleted in HubSpot, then the properties check names it and points at uld install', async () => {
    const res = await fetch(`${sandbox.url}${API.property('contacts', 'uld_sla_breached')}`, { method: 'DELETE', headers: { Authorization: `Bearer ${sandbox.accessToken}` } });
    expect(res.status).toBe(204);
    const run = await doctor();
    expect(run.status).toBe(1);
    expect(line(run.stdout, 'properties')).toContain('FAIL  properties            missing contacts.uld_sla_breached');
    expect(run.stdout).toContain('-> run `uld install`');
  }, 60_000);

  it('when a job run was left "running" by an instance that died, then the jobs line warns and names it', async () => {
    // A store of its own: the run left "running" is never seen by the tests that expect every check to pass.
    const databaseUrl = `sqlite:${path.join(dir, 'died.db')}`;
    const store = await openStore(databaseUrl);
    await store.claimJobRun('requalify', Date.now(), 'host-that-died:1234');
    await store.close();
    const config = loadConfig({ ...env, DATABASE_URL: databaseUrl });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    try {
      const lines = await runDoctor({ config, definition: compileDefinition(loadDefinitionFile(EXAMPLE)), gateway, openStore: (url) => openStore(url, { migrate: false }), now: Date.now() + 2 * 3_600_000 });
      const jobs = lines.find((l) => l.check === 'jobs')!;
      expect(jobs.outcome).toBe('warn');
      expect(jobs.fix).toMatch(/^requalify has been "running" since .* on host-that-died:1234: that instance probably died mid-run/);
    } finally {
      gateway.close();
    }
  }, 60_000);

  it('when the configuration is invalid, then that is the failing line, not a crash', async () => {
    const lines = await runDoctor({ config: { error: 'Invalid environment (1 problem):\n  PORT: expected a port, found "x"' }, definition: undefined, gateway: undefined, openStore });
    expect(lines[0]).toMatchObject({ check: 'configuration', outcome: 'fail' });
    expect(lines.slice(1).every((l) => l.outcome === 'skip')).toBe(true);
  });

  it('redacts database passwords', () => {
    expect(redactUrl('postgres://me:s3cret@db:5432/uld')).toBe('postgres://me:***@db:5432/uld');
    expect(redactUrl('sqlite:./data/uld.db')).toBe('sqlite:./data/uld.db');
  });
});

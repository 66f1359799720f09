import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { assertBuilt, runUld } from '../server/child';

/**
 * Issue 12, "a missing or invalid setting is one line, not a stack trace": a setting that is present but
 * refused (a token HubSpot rejects, a base URL or version HubSpot does not serve, a database that cannot be
 * reached) is said in one line naming the variable, and the command exits 2. The real CLI against the
 * sandbox over HTTP.
 */
const ROOT = path.resolve(__dirname, '..', '..');

describe('a setting HubSpot or the database refuses', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    assertBuilt();
    sandbox = await startSandbox({ contacts: 5, seed: 3 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-refused-'));
    env = {
      ...sandbox.environment(),
      DATABASE_URL: `sqlite:${path.join(dir, 'uld.db')}`,
      LEAD_DEFINITION: path.join(ROOT, 'lead-definition.example.yaml'),
      WEBHOOK_PUBLIC_URL: 'https://leads.example.com/webhooks/hubspot',
      LOG_LEVEL: 'silent',
    };
  }, 30_000);
  afterAll(async () => {
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const oneLine = (stderr: string) => {
    expect(stderr.split('\n').filter((l) => l.length > 0)).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it.each<[string, string[]]>([
    ['install', ['install', '--no-backfill']],
    ['backfill', ['backfill', '--no-progress']],
  ])('when HubSpot rejects the token, then `uld %s` names HUBSPOT_ACCESS_TOKEN and where to get it in one line, exit 2', async (_name, args) => {
    const run = await runUld(args, { ...env, HUBSPOT_ACCESS_TOKEN: 'pat-na1-00000000-0000-0000-0000-000000000000' });
    expect(run.status).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toMatch(/^uld: HubSpot rejected the access token \(401.*set HUBSPOT_ACCESS_TOKEN to the static access token from your project app's Auth tab/);
  }, 60_000);

  it('when the base URL serves no HubSpot API, then `uld backfill` names HUBSPOT_API_BASE_URL and HUBSPOT_API_VERSION in one line, exit 2', async () => {
    const run = await runUld(['backfill', '--no-progress'], { ...env, HUBSPOT_API_BASE_URL: `${sandbox.url}/not-hubspot` });
    expect(run.status).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toMatch(/^uld: No such HubSpot endpoint \(404\).*check HUBSPOT_API_BASE_URL and HUBSPOT_API_VERSION\n$/);
  }, 60_000);

  it('when the database cannot be reached, then the command names DATABASE_URL in one line without its password, exit 2', async () => {
    const run = await runUld(['backfill', '--no-progress'], { ...env, DATABASE_URL: 'postgres://uld:s3cret@127.0.0.1:1/uld' });
    expect(run.status).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toMatch(/^uld: cannot open the store at DATABASE_URL=postgres:\/\/uld:\*\*\*@127\.0\.0\.1:1\/uld \(.*\): check DATABASE_URL/);
    expect(run.stderr).not.toContain('s3cret');
  }, 60_000);
});

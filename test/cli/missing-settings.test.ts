import fs from 'node:fs';
import path from 'node:path';
import { freshCloneFolder, runUld } from '../server/child';

/**
 * Issue 12, acceptance 1 and "a missing or invalid setting is one line": on a fresh clone with only
 * WEBHOOK_PUBLIC_URL set, `uld init` writes the project, and every command that needs the HubSpot token says in
 * one line which variable, what it is for and where to get it, and exits 2, touching nothing.
 */
const URL = 'https://leads.example.com/webhooks/hubspot';
const TOKEN_LINE = /^uld: HUBSPOT_ACCESS_TOKEN is not set: `uld [a-z -]+` needs it \(authenticates every call to HubSpot\)\. Set it in \.env or the environment to the static access token from your project app's Auth tab \(Development → Projects → <project> → <app> → Auth; .*\)\.\n$/;

describe('a fresh clone with only WEBHOOK_PUBLIC_URL set', () => {
  let clone = '';
  // A fresh clone as far as uld can tell: the example definition, no .env, no lead-definition.yaml.
  freshCloneFolder('uld-fresh-', (dir) => (clone = dir));
  const env = { WEBHOOK_PUBLIC_URL: URL };

  it('when `uld init` runs, then it writes the project into hubspot-project', async () => {
    const run = await runUld(['init'], env, { cwd: clone });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('lead-definition.example.yaml');
    for (const file of ['hsproject.json', 'src/app/app-hsmeta.json', 'src/app/webhooks/webhooks-hsmeta.json']) expect(fs.existsSync(path.join(clone, 'hubspot-project', file))).toBe(true);
  }, 60_000);

  // Every command that calls HubSpot; the two that compare definitions are given theirs, so the token is all that is missing.
  const withDefinition = { LEAD_DEFINITION: 'lead-definition.example.yaml' };
  it.each<[string, string[], Record<string, string>]>([
    ['install', ['install', '--no-backfill'], {}],
    ['backfill', ['backfill', '--no-progress'], {}],
    ['jobs run reconcile', ['jobs', 'run', 'reconcile'], {}],
    ['what-if', ['what-if', '--definition', 'lead-definition.example.yaml'], withDefinition],
    ['calibrate', ['calibrate'], withDefinition],
  ])('when `uld %s` runs without HUBSPOT_ACCESS_TOKEN, then it prints one line naming it and exits 2, creating no store', async (_name, args, extra) => {
    const run = await runUld(args, { ...env, ...extra }, { cwd: clone });
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(TOKEN_LINE);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(run.status).toBe(2);
    expect(fs.existsSync(path.join(clone, 'data'))).toBe(false);
  }, 60_000);

  it('when `uld serve` runs without the token and the client secret, then it names both, one line each, and exits 2', async () => {
    const run = await runUld(['serve'], env, { cwd: clone });
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^uld: HUBSPOT_CLIENT_SECRET is not set: `uld serve` needs it \(verifies the signature of every webhook HubSpot sends\)\. Set it .* client secret from the same Auth tab/);
    expect(lines[1]).toMatch(/^uld: HUBSPOT_ACCESS_TOKEN is not set: `uld serve` needs it/);
    expect(run.status).toBe(2);
  }, 60_000);

  it('when `uld doctor` runs without the token, then its hubspot check says what the token is and where to get it, and it exits 2', async () => {
    const run = await runUld(['doctor'], { ...env, LEAD_DEFINITION: 'lead-definition.example.yaml', DATABASE_URL: `sqlite:${path.join(clone, 'doctor.db')}` }, { cwd: clone });
    expect(run.stdout).toMatch(/FAIL {2}hubspot +HUBSPOT_ACCESS_TOKEN is not set \(authenticates every call to HubSpot\)\n {6}-> set it in \.env to the static access token from your project app's Auth tab/);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(2);
  }, 60_000);

  it('when `uld init` runs without WEBHOOK_PUBLIC_URL, then it names it in one line and exits 2', async () => {
    const run = await runUld(['init', '--dir', 'elsewhere'], {}, { cwd: clone });
    expect(run.stderr).toMatch(/^uld: WEBHOOK_PUBLIC_URL is not set: `uld init` \(it is the target URL of the webhooks component\) needs it .*\n$/);
    expect(run.status).toBe(2);
    expect(fs.existsSync(path.join(clone, 'elsewhere'))).toBe(false);
  }, 60_000);

  it.each([['2025.2'], ['2026.09-beta'], ['latest']])('when `uld init --platform-version %s` runs, then it refuses in one line and exits 2', async (version) => {
    const run = await runUld(['init', '--dir', 'refused', '--platform-version', version], env, { cwd: clone });
    expect(run.stderr).toBe(`uld init: --platform-version must be 2026.09 or 2026.03 (HubSpot's current developer platform and its documented fallback), found "${version}"\n`);
    expect(run.status).toBe(2);
    expect(fs.existsSync(path.join(clone, 'refused'))).toBe(false);
  }, 60_000);

  it('when one setting is invalid, then the environment error is one line', async () => {
    const run = await runUld(['init'], { ...env, HUBSPOT_PORTAL_ID: 'abc' }, { cwd: clone });
    expect(run.stderr).toBe('Invalid environment: HUBSPOT_PORTAL_ID: expected a positive integer, found "abc"\n');
    expect(run.status).toBe(2);
  }, 60_000);
});

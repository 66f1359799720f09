import fs from 'node:fs';
import path from 'node:path';
import { freshCloneFolder, runUld } from '../server/child';

/**
 * Issue 12, README steps 3 and 4 through the real command: when an upload refuses 2026.09, the admin runs
 * `uld init --platform-version 2026.03`; the later plain `uld init` the README asks for on every definition
 * change must keep that version (and say why) until another one is named.
 */
const env = { WEBHOOK_PUBLIC_URL: 'https://leads.example.com/webhooks/hubspot' };

describe('uld init and the platform version', () => {
  let clone = '';
  // A fresh clone as far as uld can tell: the example definition, no .env, no lead-definition.yaml.
  freshCloneFolder('uld-init-cli-', (dir) => (clone = dir));
  const version = () => (JSON.parse(fs.readFileSync(path.join(clone, 'hubspot-project', 'hsproject.json'), 'utf8')) as { platformVersion: string }).platformVersion;

  // One test, the steps in order: each starts from the project the one before left (as tests they would
  // depend on running in the order written, and jest runs a file's tests shuffled).
  // [args, version on disk after, a line of stdout]
  const steps: Array<[string[], string, string]> = [
    [['init'], '2026.09', 'platform version 2026.09: the default; if `project upload` refuses it, run `uld init --platform-version 2026.03` (the documented fallback)'],
    [['init', '--platform-version', '2026.03'], '2026.03', 'platform version 2026.03: named with --platform-version; later runs keep it until another --platform-version is named'],
    [['init'], '2026.03', 'platform version 2026.03: named with --platform-version on an earlier run (kept in .uld-init.json); `uld init --platform-version 2026.09` moves it'],
    [['init', '--platform-version', '2026.09'], '2026.09', '    updated platformVersion: "2026.03" -> "2026.09"'],
    [['init'], '2026.09', 'platform version 2026.09: named with --platform-version on an earlier run (kept in .uld-init.json); `uld init --platform-version 2026.03` moves it'],
  ];

  it('when the admin runs uld init, names 2026.03, runs it again, names 2026.09 and runs it again, then each run leaves the version it should and says so', async () => {
    for (const [i, [args, expected, line]] of steps.entries()) {
      const step = `step ${i + 1}: uld ${args.join(' ')}`;
      const run = await runUld(args, env, { cwd: clone });
      expect({ step, stderr: run.stderr, status: run.status, version: version() }).toEqual({ step, stderr: '', status: 0, version: expected });
      expect({ step, stdout: run.stdout.split('\n') }).toEqual({ step, stdout: expect.arrayContaining([line]) });
    }
    }, 60_000);
});

describe('uld init and HANDOFF_MODE', () => {
  let clone = '';
  freshCloneFolder('uld-init-lead-', (dir) => (clone = dir));
  const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(clone, 'hubspot-project', file), 'utf8')) as T;
  type App = { config: { auth: { requiredScopes: string[]; optionalScopes: string[] } } };
  type Hooks = { config: { subscriptions: { crmObjects: Array<{ objectType: string; propertyName: string }> } } };

  it('when the mode is lead, then the lead scopes are required and the Lead subscriptions written; back in task mode, neither', async () => {
    const lead = await runUld(['init'], { ...env, HANDOFF_MODE: 'lead' }, { cwd: clone });
    expect(lead.stderr).toBe('');
    expect(read<App>('src/app/app-hsmeta.json').config.auth.requiredScopes).toEqual(expect.arrayContaining(['crm.objects.leads.read', 'crm.objects.leads.write']));
    expect(read<Hooks>('src/app/webhooks/webhooks-hsmeta.json').config.subscriptions.crmObjects.map((s) => `${s.objectType}:${s.propertyName}`)).toEqual(['lead:hs_pipeline_stage', 'lead:hs_lead_disqualification_reason']);

    const task = await runUld(['init'], env, { cwd: clone });
    expect(task.stderr).toBe('');
    const auth = read<App>('src/app/app-hsmeta.json').config.auth;
    expect([...auth.requiredScopes, ...(auth.optionalScopes ?? [])].filter((s) => s.includes('leads'))).toEqual([]);
    expect(read<Hooks>('src/app/webhooks/webhooks-hsmeta.json').config.subscriptions.crmObjects).toEqual([]);
  });
});

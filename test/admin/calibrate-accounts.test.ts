import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CalibrationResult } from '../../src/admin/calibrate';
import type { WhatIfResult } from '../../src/admin/what-if';
import { createGateway } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { runUld, sandboxEnv } from '../server/child';

/**
 * Issue 15, acceptance 5: `uld calibrate` ranks the generator's predictive group-coverage rule (a decision
 * maker and a champion, whose coverage triples the odds of a deal: src/sandbox/generator/roles.ts) above
 * rules random by construction (coverage of LEGAL_AND_COMPLIANCE, the company's country). A real
 * `uld backfill` fills the mirror (the outcomes); facts come from the portal through the real SDK.
 */
const CONTACTS = 4000;

describe('uld calibrate: account rules on the generated portal', () => {
  let sandbox: Sandbox;
  let dir: string;
  let result: CalibrationResult;
  let table: string;
  let calls: Record<string, number>;
  let whatIf: { json: WhatIfResult; table: string };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 21, contacts: CONTACTS, rateLimit: { perWindow: 100_000 } });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000 });
    await ensureProductProperties(gateway);
    gateway.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-calibrate-accounts-'));
    const env = sandboxEnv(sandbox, dir, path.join(__dirname, 'fixtures', 'calibration-accounts.yaml'));
    const backfill = await runUld(['backfill', '--no-progress'], env, { cwd: dir, timeoutMs: 120_000 });
    expect(backfill.status).toBe(0);
    sandbox.calls.reset();
    const json = await runUld(['calibrate', '--facts', 'today', '--format', 'json'], env, { cwd: dir });
    expect(json.stderr).toBe('');
    calls = sandbox.calls.all();
    result = JSON.parse(json.stdout) as CalibrationResult;
    table = (await runUld(['calibrate', '--facts', 'today'], env, { cwd: dir })).stdout;
    // what-if from a definition without accounts (the contact-only calibration fixture) to this one.
    const whatIfEnv = { ...env, LEAD_DEFINITION: path.join(__dirname, 'fixtures', 'calibration.yaml') };
    const candidate = path.join(__dirname, 'fixtures', 'calibration-accounts.yaml');
    const whatIfJson = await runUld(['what-if', '--definition', candidate, '--facts', 'today', '--format', 'json'], whatIfEnv, { cwd: dir });
    expect(whatIfJson.stderr).toBe('');
    whatIf = { json: JSON.parse(whatIfJson.stdout) as WhatIfResult, table: (await runUld(['what-if', '--definition', candidate, '--facts', 'today'], whatIfEnv, { cwd: dir })).stdout };
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('judges the accounts: companies with contacts, their outcomes from the mirror', () => {
    const accounts = result.accounts!;
    expect(accounts.accounts).toBeGreaterThan(500);
    expect(accounts.unknown).toBe(0);
    expect(accounts.baseline.n + accounts.tooYoung + accounts.unknown).toBe(accounts.accounts);
    expect(accounts.baseline.rate!).toBeGreaterThan(0.1);
    expect(accounts.rules.map((r) => `${r.kind}:${r.id}`).sort()).toEqual(
      ['coverage:dm-and-champion', 'coverage:random-legal', 'disqualifier:competitor-account', 'engagement:engaged-group', 'fit:account-industry', 'fit:random-account-country'].sort(),
    );
  });

  it('ranks the predictive coverage rule above the random ones, says it predicts with a lift above 1, and the random ones do not', () => {
    const order = result.accounts!.rules.map((r) => r.id);
    const by = new Map(result.accounts!.rules.map((r) => [r.id, r]));
    const predictive = by.get('dm-and-champion')!;
    expect(predictive.verdict).toBe('predicts');
    expect(predictive.lift.lift!).toBeGreaterThan(1);
    expect(predictive.lift.low!).toBeGreaterThan(1);
    for (const id of ['random-legal', 'random-account-country']) {
      expect(order.indexOf('dm-and-champion')).toBeLessThan(order.indexOf(id));
      expect(by.get(id)!.verdict).not.toBe('predicts');
      expect(by.get(id)!.lift.low!).toBeLessThan(1);
    }
    expect(table).toContain('Account rules: account to opportunity');
    expect(table).toMatch(/coverage:dm-and-champion .* predicts/);
    expect(table).toMatch(/Account rules that do not predict conversion: .*random-legal/);
  });

  it('reads the accounts with the leads\' own reads: a page per 100 contacts, associations per 1,000, companies per 100', () => {
    const keys = Object.keys(calls);
    const count = (pattern: RegExp) => keys.filter((k) => pattern.test(k)).reduce((n, k) => n + calls[k]!, 0);
    const companies = result.accounts!.accounts;
    expect(count(/^GET \/crm\/objects\/[^/]+\/contacts$/)).toBe(Math.ceil(CONTACTS / 100));
    expect(count(/^POST \/crm\/associations\/[^/]+\/contacts\/companies\/batch\/read$/)).toBe(Math.ceil(CONTACTS / 1000));
    expect(count(/^POST \/crm\/objects\/[^/]+\/companies\/batch\/read$/)).toBe(Math.ceil(companies / 100));
    // Nothing else but the property lists calibrate asks for its candidates: no second read of the contacts.
    expect(keys.filter((k) => !/^GET \/crm\/properties\//.test(k)).length).toBe(3);
  });

  it('uld what-if adds the accounts\' status matrix when the candidate has accounts, in JSON and in the table', () => {
    const accounts = whatIf.json.accounts!;
    expect(accounts.total).toBe(result.accounts!.accounts);
    expect(accounts.statuses).toEqual({ current: ['none'], candidate: ['disqualified', 'needs_data', 'target', 'engaged', 'qualified'] });
    expect(accounts.moved).toBe(accounts.total);
    expect(Object.values(accounts.matrix.none!).reduce((a, b) => a + b, 0)).toBe(accounts.total);
    expect(accounts.matrix.none!.qualified).toBeGreaterThan(0);
    expect(accounts.matrix.none!.disqualified).toBe(3);
    expect(whatIf.table).toContain(`Accounts (companies with their primary contacts): ${accounts.total} evaluated`);
    expect(whatIf.table).toMatch(/none -> qualified \(\d+\): \d+ \(/);
  });
});

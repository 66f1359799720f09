import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiPaths, createGateway, DEFAULT_API_VERSION } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { EXAMPLE } from '../sync/harness';
import { runUld, sandboxEnv } from '../server/child';

/** The paths of the API version the product uses by default (HUBSPOT_API_VERSION unset). */
const API = apiPaths(DEFAULT_API_VERSION);

/**
 * `uld backfill` on a portal full of history, as a real process: killed with SIGKILL partway, restarted,
 * it finishes without re-reading completed pages and without writing any record twice.
 */

const ROOT = path.join(__dirname, '..', '..');
const CONTACTS = 3000;

describe('uld backfill', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  // A portal and a store of its own for each test: the dry run must find nothing written, the killed run no
  // checkpoint, whichever of them runs first.
  beforeEach(async () => {
    sandbox = await startSandbox({ contacts: CONTACTS, deals: 300, seed: 11, rateLimit: { perWindow: 100_000 } });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000 });
    await ensureProductProperties(gateway);
    gateway.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-backfill-'));
    env = sandboxEnv(sandbox, dir, EXAMPLE);
  }, 60_000);
  afterEach(async () => {
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const uld = (args: string[]) => spawn(process.execPath, [path.join(ROOT, 'bin', 'uld'), ...args], { env, cwd: dir });
  // Never spawnSync here: the sandbox answers from this process's event loop.
  const runToEnd = (args: string[]) => runUld(args, env, { cwd: dir });

  it('when a dry run is asked for, then nothing is written and the report says what would change', async () => {
    const run = await runToEnd(['backfill', '--dry-run', '--no-progress']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`would write ${CONTACTS} contacts: uld_status ${CONTACTS}, `));
    expect(sandbox.calls.count(`POST ${API.batch('contacts', 'update')}`)).toBe(0);
    expect([...sandbox.portal.ids('contacts')].some((id) => sandbox.portal.get('contacts', id)!.properties.uld_status)).toBe(false);
  }, 120_000);

  it('when killed with SIGKILL mid-run and restarted, then it resumes after the last completed block and writes each record once', async () => {
    const listed = () => sandbox.calls.count(`GET ${API.objects('contacts')}`);
    const listedBefore = listed();
    const first = uld(['backfill', '--no-progress']);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      first.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // Two blocks of contacts written back: kill it now, with the third in flight.
        if (/contacts: 2000 records/.test(out)) {
          first.kill('SIGKILL');
          resolve();
        }
      });
      first.on('exit', (code) => (code === 0 ? reject(new Error(`backfill finished before it could be killed:\n${out}`)) : resolve()));
    });
    await new Promise((resolve) => first.once('close', resolve));
    const pagesFirstRun = listed() - listedBefore;

    const second = await runToEnd(['backfill', '--no-progress']);
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('(resumed from a checkpoint)');
    const pagesSecondRun = listed() - listedBefore - pagesFirstRun;
    // The 30 pages of contacts: the two completed blocks (20 pages) are not read again.
    expect(pagesFirstRun + pagesSecondRun).toBeLessThanOrEqual(CONTACTS / 100 + 10);
    expect(pagesSecondRun).toBeLessThanOrEqual(CONTACTS / 100 - 20);

    // Every contact qualified, and its status written exactly once across both runs.
    for (const id of sandbox.portal.ids('contacts')) {
      const record = sandbox.portal.get('contacts', id)!;
      expect(record.properties.uld_status).toBeDefined();
      expect(sandbox.portal.historyOf(record, 'uld_status').filter((h) => h.sourceType === 'INTEGRATION')).toHaveLength(1);
    }
  }, 180_000);
});

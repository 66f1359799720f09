import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/store';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describePostgres, postgresAvailability } from '../store/postgres';
import { EXAMPLE } from '../sync/harness';

/**
 * Two real `uld serve` processes, scheduler role only, on one Postgres database, with `reconcile` due every
 * second: each tick runs exactly once, across both.
 */

const ROOT = path.join(__dirname, '..', '..');

describePostgres('two uld serve instances', postgresAvailability(), (url) => {
  const database = `uld_test_sched_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = () => new pg.Client({ connectionString: url });
  let sandbox: Sandbox;
  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`create database ${database}`);
    await c.end();
    sandbox = await startSandbox({ contacts: 50, seed: 2, rateLimit: { perWindow: 100_000, searchPerSecond: 1000 } });
  }, 30_000);
  afterAll(async () => {
    await sandbox?.stop();
    const c = admin();
    await c.connect();
    await c.query(`drop database if exists ${database} with (force)`);
    await c.end();
  });

  it('when both run the scheduler on one Postgres, then every tick of a job runs exactly once', async () => {
    const dbUrl = url.replace(/\/[^/?]+(\?|$)/, `/${database}$1`);
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: dbUrl,
      HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
      HUBSPOT_API_BASE_URL: sandbox.url,
      LEAD_DEFINITION: EXAMPLE,
      SERVE_HTTP: 'false',
      SERVE_WORKER: 'false',
      SERVE_SCHEDULER: 'true',
      RECONCILE_SCHEDULE: '* * * * * *',
      LOG_LEVEL: 'warn',
    };
    // One instance migrates first, so the two do not race each other's start-up.
    const store = await openStore(dbUrl);
    const start = (): ChildProcess => spawn(process.execPath, [path.join(ROOT, 'bin', 'uld'), 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const instances = [start(), start()];
    let stderr = '';
    for (const p of instances) p.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    // Until three ticks have run (start-up is slow on a loaded machine), then a little more so both
    // instances compete for later ticks too; at most 40 s.
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const seen = new Set((await store.listJobRuns({ job: 'reconcile', limit: 100 })).map((r) => r.tickAt));
      if (seen.size >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const exits = instances.map((p) => new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code))));
    for (const p of instances) p.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);

    const runs = await store.listJobRuns({ job: 'reconcile', limit: 100 });
    await store.close();
    expect(stderr).not.toMatch(/"level":(50|60)/);
    const ticks = new Set(runs.map((r) => r.tickAt));
    expect(ticks.size).toBeGreaterThanOrEqual(3);
    // One row per tick: the store refuses a second.
    expect(runs).toHaveLength(ticks.size);
    expect(runs.filter((r) => r.outcome === 'ok').length).toBeGreaterThanOrEqual(ticks.size - 2);
  }, 90_000);
});

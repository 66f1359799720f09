import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { runJobForTick, Scheduler, type Job } from '../../jobs';
import { openStore, type Store } from '../../src/store';
import { describePostgres, dropSchema, postgresAvailability, uniqueSchema } from '../store/postgres';

/**
 * One run per tick across instances: every instance's scheduler fires on the same schedule, and the store
 * lets exactly one of them run each tick. On a fake clock (jest's timers and Date): the seconds pass when the
 * test says so, not in real time, so the test neither sleeps nor depends on the machine's load.
 */

/** Lets `seconds` seconds pass on the fake clock, a second at a time, with the I/O each tick starts settling in between. */
async function pass(seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    await jest.advanceTimersByTimeAsync(100);
    // Store calls are real I/O (SQLite, Postgres): let them land before the clock moves on.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The fake clock, from half a second into a minute; once the stores are open (connecting is real I/O with its own timers). */
function fakeClock(): void {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 1, 0, 0, 0, 500), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
}
afterEach(() => {
  jest.useRealTimers();
});

const logger = pino({ level: 'silent' });

async function twoInstances(stores: [Store, Store]): Promise<void> {
  const executions: Array<{ instance: string; at: number }> = [];
  const job = (instance: string): Job => ({
    name: 'tick-counter',
    schedule: '* * * * * *',
    run: async () => {
      executions.push({ instance, at: Date.now() });
      // A run that takes a while: the other instance's attempt lands while it is in progress.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { executions: 1 };
    },
  });
  const schedulers = stores.map((store, i) => new Scheduler({ store, logger, instanceId: `instance-${i}`, timezone: 'UTC', jobs: [job(`instance-${i}`)] }));
  fakeClock();
  schedulers.forEach((s) => s.start());
  await pass(4);
  await Promise.all(schedulers.map((s) => s.stop()));
  jest.useRealTimers();

  const runs = await stores[0].listJobRuns({ job: 'tick-counter', limit: 100 });
  const ticks = new Set(runs.map((r) => r.tickAt));
  // Four seconds of a per-second schedule: four ticks, whoever ran them.
  expect(ticks.size).toBe(4);
  // Exactly one run per tick, and every claimed tick ran once.
  expect(runs).toHaveLength(ticks.size);
  expect(executions).toHaveLength(ticks.size);
  expect(runs.every((r) => r.outcome === 'ok' && r.counts.executions === 1 && r.finishedAt !== null)).toBe(true);
}

describe('the scheduler', () => {
  it('when two instances share one SQLite store, then each tick runs exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-sched-'));
    const url = `sqlite:${path.join(dir, 'uld.db')}`;
    const stores = [await openStore(url), await openStore(url)] as [Store, Store];
    try {
      await twoInstances(stores);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('when a job fails, then the run is recorded as failed with the error and the next tick runs again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-sched-'));
    const store = await openStore(`sqlite:${path.join(dir, 'uld.db')}`);
    try {
      let calls = 0;
      const scheduler = new Scheduler({
        store,
        logger,
        instanceId: 'a',
        timezone: 'UTC',
        jobs: [{ name: 'flaky', schedule: '* * * * * *', run: async () => (++calls === 1 ? Promise.reject(new Error('HubSpot was down')) : { ok: 1 }) }],
      });
      fakeClock();
      scheduler.start();
      await pass(3);
      await scheduler.stop();
      jest.useRealTimers();
      const runs = (await store.listJobRuns({ job: 'flaky' })).reverse();
      expect(runs[0]).toMatchObject({ outcome: 'failed', error: 'Error: HubSpot was down' });
      expect(runs.slice(1).every((r) => r.outcome === 'ok')).toBe(true);
      expect(runs).toHaveLength(3);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

/**
 * On Postgres the store's claim is what keeps one run per tick: both instances fire every tick at once (as
 * their schedulers do), through `runJobForTick`, the scheduler's own path. No clock involved: the pg pool's
 * timers do not run on jest's fake clock, and the schedule itself is tested on SQLite above.
 */
describePostgres('the scheduler on Postgres', postgresAvailability(), (url) => {
  it('when two instances share one Postgres store and fire the same ticks, then each tick runs exactly once', async () => {
    const schema = uniqueSchema();
    const stores = [await openStore(url, { pgSchema: schema, pgPoolSize: 2 }), await openStore(url, { pgSchema: schema, pgPoolSize: 2 })] as [Store, Store];
    try {
      const executions: string[] = [];
      const job = (instance: string): Job => ({ name: 'tick-counter', schedule: '* * * * * *', run: async () => (executions.push(instance), { executions: 1 }) });
      const ticks = [0, 1, 2, 3].map((i) => Date.UTC(2026, 0, 1, 0, 0, i));
      for (const tick of ticks) await Promise.all(stores.map((store, i) => runJobForTick(store, logger, `instance-${i}`, job(`instance-${i}`), tick)));
      const runs = await stores[0].listJobRuns({ job: 'tick-counter', limit: 100 });
      expect(runs.map((r) => r.tickAt).sort()).toEqual(ticks);
      expect(executions).toHaveLength(ticks.length);
      expect(runs.every((r) => r.outcome === 'ok' && r.counts.executions === 1 && r.finishedAt !== null)).toBe(true);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await dropSchema(url, schema);
    }
  }, 30_000);
});

describe('job runs in /metrics', () => {
  it('when jobs have run, then /metrics shows when each last finished, its outcome and duration', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-sched-metrics-'));
    const store = await openStore(`sqlite:${path.join(dir, 'uld.db')}`, { clock: () => 10_000 });
    try {
      const id = (await store.claimJobRun('reconcile', 5_000, 'a'))!;
      await store.finishJobRun(id, 'ok', { found: 3 }, null);
      const { createMetrics } = await import('../../src/server/metrics');
      const text = await createMetrics(store, logger).registry.metrics();
      expect(text).toContain('uld_job_last_run_timestamp_seconds{job="reconcile",outcome="ok"} 10');
      expect(text).toContain('uld_job_last_run_duration_seconds{job="reconcile"} 0');
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

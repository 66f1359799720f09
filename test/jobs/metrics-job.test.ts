import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { metricsJob } from '../../jobs';
import { computeMode, runFigureTask, stopFigureWorkers } from '../../src/figures-worker';
import { computeMetrics, snapshotOf } from '../../src/metrics';
import { openStore } from '../../src/store';
import { CONTACTS, DEALS, DECISIONS, NOW, SLA_HOURS } from '../metrics/portal';

/** The hourly `metrics` job keeps a snapshot of the figures, newest first, for trends. */
it('when the metrics job runs twice, then two snapshots are kept, each equal to the figures computed from the mirror', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-metrics-job-'));
  const store = await openStore(`sqlite:${path.join(dir, 'uld.db')}`);
  try {
    await store.upsertContacts(CONTACTS);
    await store.upsertDeals(DEALS);
    await store.recordDecisions(DECISIONS);
    const first = await metricsJob({ store, now: NOW, slaHours: SLA_HOURS });
    await metricsJob({ store, now: NOW + 3_600_000, slaHours: SLA_HOURS });
    expect(first.contacts).toBe(CONTACTS.length);
    const snapshots = await store.listMetricSnapshots();
    expect(snapshots.map((s) => s.computedAt)).toEqual([NOW + 3_600_000, NOW]);
    const expected = snapshotOf(computeMetrics({ ...(await store.listMirror()), now: NOW, slaHours: SLA_HOURS }), NOW);
    expect(JSON.parse(snapshots[1]!.figures)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(JSON.parse(snapshots[1]!.figures).overall.funnel).toBeDefined();
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('when the metrics job is given DATABASE_URL, then it computes in a worker thread and stores the same snapshot as in-thread', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-metrics-job-worker-'));
  const databaseUrl = `sqlite:${path.join(dir, 'uld.db')}`;
  const store = await openStore(databaseUrl);
  try {
    await store.upsertContacts(CONTACTS);
    await store.upsertDeals(DEALS);
    await store.recordDecisions(DECISIONS);
    expect(computeMode(databaseUrl)).toBe('worker');
    const inWorker = await metricsJob({ store, now: NOW, slaHours: SLA_HOURS, databaseUrl });
    const inThread = await metricsJob({ store, now: NOW, slaHours: SLA_HOURS });
    expect(inWorker).toEqual(inThread);
    const [a, b] = await store.listMetricSnapshots();
    expect(JSON.parse(a!.figures)).toEqual(JSON.parse(b!.figures));
    expect(JSON.parse(a!.figures).overall.funnel.leads).toBeGreaterThan(0);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('when the database is an in-memory SQLite one, then the job computes in-thread (another thread would open an empty database)', async () => {
  expect(computeMode('sqlite::memory:')).toBe('in-thread');
  const store = await openStore('sqlite::memory:');
  try {
    await store.upsertContacts(CONTACTS);
    await store.recordDecisions(DECISIONS);
    expect((await metricsJob({ store, now: NOW, slaHours: SLA_HOURS, databaseUrl: 'sqlite::memory:' })).contacts).toBe(CONTACTS.length);
  } finally {
    await store.close();
  }
});

it('when a figures worker does not answer within its deadline, then it is ended and the caller gets an error naming the task', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-metrics-job-deadline-'));
  const databaseUrl = `sqlite:${path.join(dir, 'uld.db')}`;
  const store = await openStore(databaseUrl);
  try {
    await store.upsertContacts(CONTACTS);
    // A worker thread needs tens of milliseconds just to start: 1 ms is a deadline it cannot meet.
    await expect(runFigureTask({ kind: 'metrics', now: NOW, slaHours: SLA_HOURS }, { store, databaseUrl, deadlineMs: 1 })).rejects.toThrow('the figures worker did not answer within 0 s (task metrics); it was ended');
    // And with time enough, the same task answers.
    await expect(runFigureTask({ kind: 'metrics', now: NOW, slaHours: SLA_HOURS }, { store, databaseUrl })).resolves.toMatchObject({ mode: 'worker' });
  } finally {
    await stopFigureWorkers();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

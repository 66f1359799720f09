import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { metricsJob } from '../../jobs';
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

import { runFigureTask } from '../src/figures-worker';
import type { Store } from '../src/store/types';

/**
 * `metrics` (hourly): the conversion and velocity figures from the mirror (docs/metrics.md), kept as a
 * snapshot so trends (lead-to-opportunity rate by cohort over time) can be drawn without recomputing
 * history. The company roll-ups (`uld_leads`, ...) are written by the sync engine as contacts change,
 * so this job writes nothing to HubSpot.
 *
 * Reading the mirror and computing take seconds at 100,000 contacts; `uld serve` runs the scheduler in the
 * process that receives webhooks, so with `databaseUrl` the work runs in a worker thread over its own
 * connection (src/figures-worker) and only the snapshot's JSON text comes back to be stored.
 */
export async function metricsJob(o: { store: Store; now: number; slaHours: number; databaseUrl?: string }): Promise<Record<string, number>> {
  const { result } = await runFigureTask({ kind: 'metrics', now: o.now, slaHours: o.slaHours }, { store: o.store, ...(o.databaseUrl === undefined ? {} : { databaseUrl: o.databaseUrl }) });
  await o.store.saveMetricSnapshot(o.now, result.snapshotJson);
  return result.counts;
}

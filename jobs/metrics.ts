import { computeMetrics, snapshotOf } from '../src/metrics';
import type { Store } from '../src/store/types';

/**
 * `metrics` (hourly): the conversion and velocity figures from the mirror (docs/metrics.md), kept as a
 * snapshot so trends (lead-to-opportunity rate by cohort over time) can be drawn without recomputing
 * history. The company roll-ups (`uld_leads`, ...) are written by the sync engine as contacts change,
 * so this job writes nothing to HubSpot.
 */
export async function metricsJob(o: { store: Store; now: number; slaHours: number }): Promise<Record<string, number>> {
  const mirror = await o.store.listMirror();
  const metrics = computeMetrics({ ...mirror, now: o.now, slaHours: o.slaHours });
  await o.store.saveMetricSnapshot(o.now, JSON.stringify(snapshotOf(metrics, o.now)));
  return { contacts: mirror.contacts.length, deals: mirror.deals.length, cohorts: metrics.byCohort.length, slaBreaches: metrics.slaBreachedContactIds.length };
}

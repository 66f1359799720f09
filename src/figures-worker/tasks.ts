import { readFigures, type DashboardFigures } from '../dashboard/derive';
import { MetricsFold, snapshotOf, type Period } from '../metrics';
import type { Store } from '../store';
import { accountFigures, streamContacts } from './streamed';

/**
 * The heavy reads of the figures: the mirror streamed through the metrics fold (streamed.ts). The same
 * code runs in the worker thread (thread.ts) or, where the database cannot be opened from another thread,
 * in the caller's thread (index.ts), so the two modes cannot compute different figures.
 */

export type FigureTask =
  /** The hourly metrics job: the snapshot as it is stored (JSON text), and the run's counts. */
  | { kind: 'metrics'; now: number; slaHours: number }
  /** The dashboard: one period's snapshot and header (null: every record) plus the views it derives from the same mirror read. */
  | { kind: 'dashboard'; now: number; slaHours: number; period: Period | null };

export interface MetricsTaskResult {
  /** The snapshot serialised once, where it was computed: the job stores this text as it is. */
  snapshotJson: string;
  counts: Record<string, number>;
}

export type FigureTaskResult<T extends FigureTask> = T extends { kind: 'metrics' } ? MetricsTaskResult : DashboardFigures;

export async function runFigureTaskOn<T extends FigureTask>(store: Store, task: T): Promise<FigureTaskResult<T>> {
  if (task.kind === 'dashboard') return (await readFigures(store, task.now, task.slaHours, task.period)) as FigureTaskResult<T>;
  const deals = await store.listDeals();
  const fold = new MetricsFold({ deals, now: task.now, slaHours: task.slaHours });
  const contactsRead = await streamContacts(store, fold);
  const metrics = { ...fold.finish(), accounts: await accountFigures(store, task.now, {}) };
  const result: MetricsTaskResult = {
    snapshotJson: JSON.stringify(snapshotOf(metrics, task.now)),
    // Every row of the mirror, deleted ones included, as the job has always counted them.
    counts: { contacts: contactsRead, deals: deals.length, cohorts: metrics.byCohort.length, slaBreaches: metrics.slaBreachedContactIds.length },
  };
  return result as FigureTaskResult<T>;
}

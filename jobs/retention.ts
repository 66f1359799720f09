import type { Logger } from 'pino';
import type { Store } from '../src/store';
import type { Job } from './scheduler';

const DAY_MS = 86_400_000;

/**
 * Event retention: the raw webhook log is kept for audit and replay for WEBHOOK_EVENT_RETENTION_DAYS, then
 * deleted. Units of work, the mirror and the audit log are not touched. Deleting the same old rows from two
 * instances is harmless, so its run at start (each instance's own tick) needs no cross-instance lock.
 */
export async function pruneWebhookEvents(store: Store, retentionDays: number, logger: Logger): Promise<number> {
  const cutoff = store.now() - retentionDays * DAY_MS;
  const deleted = await store.pruneEvents(cutoff);
  if (deleted > 0) logger.info({ deleted, retentionDays }, 'old webhook events pruned');
  return deleted;
}

/** Hourly, at the top of the hour, and once when the scheduler starts (as the hourly timer it replaces did). */
export const RETENTION_SCHEDULE = '0 * * * *';

/** Event retention as a scheduled job (`retention`): recorded like every run, `uld jobs run retention` by hand. */
export function retentionJob(store: Store, retentionDays: number, logger: Logger): Job {
  return { name: 'retention', schedule: RETENTION_SCHEDULE, runAtStart: true, run: async () => ({ deleted: await pruneWebhookEvents(store, retentionDays, logger) }) };
}

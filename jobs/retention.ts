import type { Logger } from 'pino';
import type { Store } from '../src/store';

const DAY_MS = 86_400_000;

/**
 * Event retention: the raw webhook log is kept for audit and replay for WEBHOOK_EVENT_RETENTION_DAYS, then
 * deleted. Units of work, the mirror and the audit log are not touched. Deleting the same old rows from two
 * instances is harmless, so this job needs no cross-instance lock.
 */
export async function pruneWebhookEvents(store: Store, retentionDays: number, logger: Logger): Promise<number> {
  const cutoff = store.now() - retentionDays * DAY_MS;
  const deleted = await store.pruneEvents(cutoff);
  if (deleted > 0) logger.info({ deleted, retentionDays }, 'old webhook events pruned');
  return deleted;
}

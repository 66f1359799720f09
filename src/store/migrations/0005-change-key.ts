import { sql, type Kysely } from 'kysely';
import type { MigrationModule } from './types';

/**
 * The change key of an event (see webhooks/change-key.ts): during a migration window the old and the new
 * app each deliver the same change, with their own eventIds, and it must be stored and worked once. Unique
 * with occurredAt leading, like the delivery key, so inserts land near the end of the index. Partial: only
 * events received during a migration window have a key, so outside one the index costs an insert nothing.
 */
export const changeKey: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('webhook_events').addColumn('change_key', 'text').execute();
    await db.schema
      .createIndex('webhook_events_change')
      .on('webhook_events')
      .columns(['occurred_at', 'change_key'])
      .unique()
      .where(sql.ref('change_key'), 'is not', null)
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('webhook_events_change').execute();
    await db.schema.alterTable('webhook_events').dropColumn('change_key').execute();
  },
};

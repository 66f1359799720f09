import type { CreateTableBuilder, Kysely } from 'kysely';
import type { MigrationModule, SqlDialect } from './types';

/** Epoch milliseconds and HubSpot portal ids need 64 bits; SQLite's INTEGER already has them. */
const BIG = 'bigint';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: SqlDialect): CreateTableBuilder<T, any> {
  return dialect === 'postgres'
    ? table.addColumn('id', BIG, (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** The raw event log, the per-object units of work, and the dead letters. */
export const webhookIngest: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>, dialect: SqlDialect) {
    await withId(db.schema.createTable('webhook_events'), dialect)
      .addColumn('portal_id', BIG, (c) => c.notNull())
      .addColumn('subscription_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('occurred_at', BIG, (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('change_source', 'text')
      .addColumn('source_id', 'text')
      .addColumn('property_name', 'text')
      .addColumn('attempt_number', 'integer')
      .addColumn('disposition', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('received_at', BIG, (c) => c.notNull())
      .execute();
    // The dedupe key: HubSpot says eventId is "not guaranteed to be unique" on its own. occurredAt leads so
    // that inserts land near the end of the index instead of on random pages: at 150k stored events that
    // halves the cost of a 100-event insert. For the same reason the raw log has no per-object index
    // (it cost as much again); looking events up by object is a diagnostic, not a hot path.
    await db.schema
      .createIndex('webhook_events_dedupe')
      .on('webhook_events')
      .columns(['occurred_at', 'event_id', 'object_id', 'subscription_type', 'portal_id'])
      .unique()
      .execute();
    await db.schema.createIndex('webhook_events_received_at').on('webhook_events').column('received_at').execute();

    await withId(db.schema.createTable('work_items'), dialect)
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('changes', 'integer', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('first_occurred_at', BIG, (c) => c.notNull())
      .addColumn('last_occurred_at', BIG, (c) => c.notNull())
      .addColumn('event_count', 'integer', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('claimed_revision', 'integer')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', BIG, (c) => c.notNull())
      .addColumn('updated_at', BIG, (c) => c.notNull())
      .addColumn('available_at', BIG, (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_token', 'text')
      .addColumn('lease_expires_at', BIG)
      .addUniqueConstraint('work_items_object', ['object_type', 'object_id'])
      .execute();
    await db.schema.createIndex('work_items_claim').on('work_items').columns(['object_type', 'available_at', 'id']).execute();
    await db.schema.createIndex('work_items_lease_token').on('work_items').column('lease_token').execute();
    await db.schema.createIndex('work_items_lease_owner').on('work_items').column('lease_owner').execute();

    await withId(db.schema.createTable('dead_letters'), dialect)
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('changes', 'integer', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('first_occurred_at', BIG, (c) => c.notNull())
      .addColumn('last_occurred_at', BIG, (c) => c.notNull())
      .addColumn('event_count', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text', (c) => c.notNull())
      .addColumn('failed_at', BIG, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dead_letters_object').on('dead_letters').columns(['object_type', 'object_id']).execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('dead_letters').execute();
    await db.schema.dropTable('work_items').execute();
    await db.schema.dropTable('webhook_events').execute();
  },
};

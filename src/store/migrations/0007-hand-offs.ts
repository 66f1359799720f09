import type { Kysely } from 'kysely';
import type { MigrationModule } from './types';

const BIG = 'bigint';

/**
 * Every hand-off to sales, whatever HANDOFF_MODE made of it: one row per contact (its first sales_ready), the
 * owner it went to, the SLA clock, and the HubSpot task or Lead created for it. The row is claimed before
 * HubSpot is asked to create anything, so a retried batch or a replayed webhook finds the claim and does not
 * create a second Lead; `object_id` stays null until HubSpot's answer names the record (null for good in
 * mode `none`). `attempted_at` is the last create sent: an unclear answer (timeout, 5xx) is left to settle
 * before anyone looks for what it made. The object id is indexed: a Lead's stage change finds its contact by it.
 */
export const handOffs: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('hand_offs')
      .addColumn('contact_id', 'text', (c) => c.primaryKey())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text')
      .addColumn('object_id', 'text')
      .addColumn('handed_off_at', BIG, (c) => c.notNull())
      .addColumn('due_at', BIG, (c) => c.notNull())
      .addColumn('attempted_at', BIG, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('hand_offs_object').on('hand_offs').columns(['object_id']).execute();
    await db.schema.createIndex('hand_offs_pending').on('hand_offs').columns(['mode', 'attempted_at']).execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('hand_offs').execute();
  },
};

import type { Kysely } from 'kysely';
import type { MigrationModule } from './types';

/**
 * The metrics' read of first decisions (each contact's first of each status by each origin, a page of
 * contacts at a time: store/metrics-mirror.ts) answered from an index alone: (contact_id, origin, status,
 * decided_at) is already grouped the way the query groups and holds the minimum it takes, so neither table
 * rows nor a sort are read. It replaces (contact_id, origin), its prefix, which served the replay's delete
 * of a contact's replayed rows and still does: the decisions keep as many indexes to write as before.
 */
export const decisionFirstsIndex: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.createIndex('decisions_contact_origin_status').on('decisions').columns(['contact_id', 'origin', 'status', 'decided_at']).execute();
    await db.schema.dropIndex('decisions_contact_origin').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.createIndex('decisions_contact_origin').on('decisions').columns(['contact_id', 'origin']).execute();
    await db.schema.dropIndex('decisions_contact_origin_status').execute();
  },
};

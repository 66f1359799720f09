import type { Kysely } from 'kysely';
import type { MigrationModule } from './types';

/**
 * `decisions.origin`: how a decision's time is known (docs/replay.md).
 * - `live` (null on rows written before): the worker decided on a change, so the status held from then on.
 * - `first_look`: the first evaluation of a contact that existed before the product saw it (a backfill): the
 *   status it already held, observed then; not the moment it was entered, so no stage duration starts there.
 * - `replayed`: from HubSpot's property history: `decided_at` is when the facts made the status true.
 * - `before_history`: the status held before the kept history began; `decided_at` is the first instant the
 *   replay knows, and the status counts as reached with no date.
 * Replayed rows of a contact are replaced as a whole when it is replayed again: the index serves that delete.
 */
export const decisionOrigin: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('decisions').addColumn('origin', 'text').execute();
    await db.schema.createIndex('decisions_contact_origin').on('decisions').columns(['contact_id', 'origin']).execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('decisions_contact_origin').execute();
    await db.schema.alterTable('decisions').dropColumn('origin').execute();
  },
};

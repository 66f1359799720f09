import type { Kysely } from 'kysely';
import type { MigrationModule } from './types';

/**
 * What the qualification card reads (issue 13):
 * - `decisions.reason_details`: the reasons as the definition gave them (kind, ref, points, text), JSON. The
 *   `reasons` column keeps the texts alone, as before; rows written before this migration have no details
 *   and read back as kind-less texts.
 * - `crm_writes.actor`: who caused a write ("uld:sync" for the worker, "user:<HubSpot user id>" for a rep's
 *   verdict from the card); null on rows written before.
 * - `mirror_contacts.owner_id`: the contact's HubSpot owner, whom the card names for the hand-off.
 * Nullable columns added in place: no table is rewritten, on either dialect.
 */
export const card: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('decisions').addColumn('reason_details', 'text').execute();
    await db.schema.alterTable('crm_writes').addColumn('actor', 'text').execute();
    await db.schema.alterTable('mirror_contacts').addColumn('owner_id', 'text').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.alterTable('mirror_contacts').dropColumn('owner_id').execute();
    await db.schema.alterTable('crm_writes').dropColumn('actor').execute();
    await db.schema.alterTable('decisions').dropColumn('reason_details').execute();
  },
};

import type { Kysely } from 'kysely';
import type { MigrationModule } from './types';

/**
 * The facts each converted lead had when it converted (its first deal's creation), kept by the history
 * replay so `uld what-if` and `uld calibrate` judge it as it was then, with no HubSpot call of their own.
 * One row per contact, replaced whole by the next replay. The facts are JSON objects keyed by property
 * name: the keys say which inputs the row covers (a definition changed since covers fewer). `company` is
 * null when the contact had no primary company.
 */
export const asOfFacts: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('as_of_facts')
      .addColumn('contact_id', 'text', (c) => c.primaryKey())
      .addColumn('as_of', 'bigint', (c) => c.notNull())
      .addColumn('contact', 'text', (c) => c.notNull())
      .addColumn('company', 'text')
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('as_of_facts').execute();
  },
};

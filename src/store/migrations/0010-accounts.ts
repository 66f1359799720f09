import type { Kysely } from 'kysely';
import type { MigrationModule, SqlDialect } from './types';

const REAL = (d: SqlDialect) => (d === 'postgres' ? 'double precision' : 'real');

/**
 * Accounts (the definition's `accounts` section).
 * - `mirror_contacts.account_facts`: what the account rules read of each contact (hs_buying_role, window
 *   dates) and its label, as JSON, kept when the contact is evaluated so its account is judged from the
 *   mirror with no HubSpot read of its contacts. Null without an accounts section.
 * - `mirror_accounts`: each company's latest account decision and when it first reached each funnel stage
 *   (target, engaged, qualified), for the account funnel. `roles_covered` is a JSON array.
 */
export const accounts: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>, dialect: SqlDialect) {
    await db.schema.alterTable('mirror_contacts').addColumn('account_facts', 'text').execute();
    await db.schema
      .createTable('mirror_accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('score', REAL(dialect), (c) => c.notNull())
      .addColumn('fit_score', REAL(dialect), (c) => c.notNull())
      .addColumn('engagement_score', REAL(dialect), (c) => c.notNull())
      .addColumn('coverage_score', REAL(dialect), (c) => c.notNull())
      .addColumn('engaged_contacts', 'integer', (c) => c.notNull())
      .addColumn('roles_covered', 'text', (c) => c.notNull())
      .addColumn('definition_version', 'text', (c) => c.notNull())
      .addColumn('target_at', 'bigint')
      .addColumn('engaged_at', 'bigint')
      .addColumn('qualified_at', 'bigint')
      .addColumn('evaluated_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('mirror_accounts').execute();
    await db.schema.alterTable('mirror_contacts').dropColumn('account_facts').execute();
  },
};

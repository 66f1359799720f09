import type { Kysely } from 'kysely';
import type { MigrationModule, SqlDialect } from './types';

const BIG = 'bigint';
const REAL = (d: SqlDialect) => (d === 'postgres' ? 'double precision' : 'real');

/**
 * The sync engine's mirror of the facts the metrics need (contacts, deals, statuses, dates, feedback)
 * and its audit log (every decision and every write), so metrics and `uld history` never re-read the portal.
 */
export const syncMirror: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>, dialect: SqlDialect) {
    const id = (t: ReturnType<typeof db.schema.createTable>) =>
      dialect === 'postgres' ? t.addColumn('id', BIG, (c) => c.primaryKey().generatedByDefaultAsIdentity()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

    await db.schema
      .createTable('mirror_contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', BIG)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('fit_score', REAL(dialect), (c) => c.notNull())
      .addColumn('engagement_score', REAL(dialect), (c) => c.notNull())
      .addColumn('total_score', REAL(dialect), (c) => c.notNull())
      .addColumn('definition_version', 'text', (c) => c.notNull())
      .addColumn('qualified_at', BIG)
      .addColumn('converted_at', BIG)
      .addColumn('feedback', 'text')
      .addColumn('feedback_at', BIG)
      .addColumn('source', 'text')
      .addColumn('company_id', 'text')
      .addColumn('evaluated_at', BIG, (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mirror_contacts_company').on('mirror_contacts').column('company_id').execute();

    await db.schema
      .createTable('mirror_deals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', BIG)
      .addColumn('closed_at', BIG)
      .addColumn('closed', 'integer', (c) => c.notNull())
      .addColumn('won', 'integer', (c) => c.notNull())
      .addColumn('amount', REAL(dialect))
      .addColumn('pipeline', 'text')
      .addColumn('stage', 'text')
      .addColumn('stage_entered_at', BIG)
      .addColumn('company_id', 'text')
      .addColumn('contact_ids', 'text', (c) => c.notNull())
      .addColumn('status_at_creation', 'text')
      .addColumn('deleted', 'integer', (c) => c.notNull())
      .execute();

    // One row per deal-contact pair, so "deals of these contacts" is an index lookup, not a JSON scan.
    await db.schema
      .createTable('mirror_deal_contacts')
      .addColumn('deal_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('mirror_deal_contacts_pk', ['deal_id', 'contact_id'])
      .execute();
    await db.schema.createIndex('mirror_deal_contacts_contact').on('mirror_deal_contacts').column('contact_id').execute();

    await id(db.schema.createTable('decisions'))
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('definition_version', 'text', (c) => c.notNull())
      .addColumn('previous_status', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('fit_score', REAL(dialect), (c) => c.notNull())
      .addColumn('engagement_score', REAL(dialect), (c) => c.notNull())
      .addColumn('total_score', REAL(dialect), (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('decided_at', BIG, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('decisions_contact').on('decisions').columns(['contact_id', 'decided_at']).execute();

    await id(db.schema.createTable('crm_writes'))
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('written_at', BIG, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('crm_writes_object').on('crm_writes').columns(['object_type', 'object_id', 'written_at']).execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    for (const t of ['crm_writes', 'decisions', 'mirror_deal_contacts', 'mirror_deals', 'mirror_contacts']) await db.schema.dropTable(t).execute();
  },
};

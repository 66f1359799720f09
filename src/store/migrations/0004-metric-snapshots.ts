import type { Kysely } from 'kysely';
import type { MigrationModule, SqlDialect } from './types';

/** The hourly metrics job's snapshots: the figures as computed then, for trends (lead-to-opportunity over time). */
export const metricSnapshots: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>, dialect: SqlDialect) {
    const table = db.schema.createTable('metric_snapshots');
    await (dialect === 'postgres' ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
      .addColumn('computed_at', 'bigint', (c) => c.notNull())
      .addColumn('figures', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('metric_snapshots_computed').on('metric_snapshots').column('computed_at').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('metric_snapshots').execute();
  },
};

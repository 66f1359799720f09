import type { Kysely } from 'kysely';
import type { MigrationModule, SqlDialect } from './types';

const BIG = 'bigint';

/**
 * Scheduled jobs: one row per job and tick. The unique (job, tick_at) key is what makes a tick run once
 * across instances: every instance tries the insert, one wins (graphile-worker's known_crontabs idea, as a
 * plain conditional insert that SQLite 3.35+ and Postgres both have). Checkpoints let a job resume.
 */
export const jobs: MigrationModule = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>, dialect: SqlDialect) {
    const table = db.schema.createTable('job_runs');
    await (dialect === 'postgres' ? table.addColumn('id', BIG, (c) => c.primaryKey().generatedByDefaultAsIdentity()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
      .addColumn('job', 'text', (c) => c.notNull())
      .addColumn('tick_at', BIG, (c) => c.notNull())
      .addColumn('instance', 'text', (c) => c.notNull())
      .addColumn('started_at', BIG, (c) => c.notNull())
      .addColumn('finished_at', BIG)
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('counts', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addUniqueConstraint('job_runs_tick', ['job', 'tick_at'])
      .execute();
    await db.schema.createIndex('job_runs_started').on('job_runs').columns(['job', 'started_at']).execute();
    await db.schema
      .createTable('checkpoints')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', BIG, (c) => c.notNull())
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('checkpoints').execute();
    await db.schema.dropTable('job_runs').execute();
  },
};

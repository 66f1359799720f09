import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { MIGRATIONS, type SqlDialect } from './migrations';

class ListProvider implements MigrationProvider {
  constructor(private readonly dialect: SqlDialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, module] of MIGRATIONS) {
      out[name] = { up: (db) => module.up(db, this.dialect), down: (db) => module.down(db, this.dialect) };
    }
    return out;
  }
}

/**
 * Where the migrator keeps its bookkeeping. Our own table names, so another Kysely app in the same database
 * is never mistaken for us; and on Postgres the schema is named explicitly, because Kysely otherwise takes a
 * migration table in *any* schema as its own and skips creating ours.
 */
export interface MigrationTarget {
  dialect: SqlDialect;
  /** Postgres: the store's schema (current_schema()); undefined on SQLite. */
  schema?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function migrator(db: Kysely<any>, target: MigrationTarget): Migrator {
  return new Migrator({
    db,
    provider: new ListProvider(target.dialect),
    migrationTableName: 'uld_migration',
    migrationLockTableName: 'uld_migration_lock',
    ...(target.schema ? { migrationTableSchema: target.schema } : {}),
  });
}

/**
 * Brings the schema up to date. Safe to run from several instances starting at once: on Postgres Kysely
 * holds an advisory lock for the whole run, on SQLite the run is one BEGIN IMMEDIATE transaction (see
 * connect.ts), so a second instance waits and then finds nothing left to do.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, target: MigrationTarget): Promise<string[]> {
  const { error, results } = await migrator(db, target).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`store migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Migrations this code knows that the database has not run yet (readiness: must be 0). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function pendingMigrations(db: Kysely<any>, target: MigrationTarget): Promise<number> {
  const all = await migrator(db, target).getMigrations();
  return all.filter((m) => m.executedAt === undefined).length;
}

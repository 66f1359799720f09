import type { Kysely } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * One migration module. Unlike Kysely's bare `Migration`, it is told the dialect, because an auto-increment
 * key and a few types differ between SQLite and Postgres while everything else is written once.
 */
export interface MigrationModule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: SqlDialect): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  down(db: Kysely<any>, dialect: SqlDialect): Promise<void>;
}

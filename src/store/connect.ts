import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import type { SqlDialect } from './migrations';
import type { Database } from './schema';
import { loadSqlite } from './sqlite-binding';
import { WaitingSqliteDialect } from './sqlite-driver';

export interface ConnectOptions {
  /** Postgres only: put every table in this schema (created if missing). Tests use one per run. */
  pgSchema?: string;
  /** Postgres pool size. */
  pgPoolSize?: number;
}

export interface Connection {
  db: Kysely<Database>;
  dialect: SqlDialect;
}

function openSqlite(file: string): Dialect {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const BetterSqlite3 = loadSqlite();
  const database = new BetterSqlite3(file);
  // WAL lets readers (readyz, /metrics) run beside the writer. synchronous=FULL fsyncs the WAL at every
  // commit: a 200 to HubSpot must survive a power loss, not only a crashed process.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  // No busy_timeout: SQLite would sleep inside the call and freeze the event loop; the driver waits
  // for a busy database asynchronously instead (see sqlite-driver.ts).
  database.pragma('busy_timeout = 0');
  // The page cache is per connection and counts in the process's RSS. SQLite's default (2 MB) is too
  // small once the event log and the queue outgrow it: every 100-event insert and upsert then re-reads
  // index pages (random object ids) from the OS. 16 MB keeps the hot index pages in memory; 64 MB was no
  // faster on `npm run bench -- ingest` and added 50-60 MB to a backfill's peak RSS (docs/jobs.md). Pages
  // beyond it are still in the OS's file cache, a copy away.
  database.pragma('cache_size = -16384');
  return new WaitingSqliteDialect(database);
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function openPostgres(url: string, options: ConnectOptions): Dialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    // Epoch-ms columns and counts are int8: parse them as numbers for this pool only (pg's global parser
    // is shared with anyone else in the process). Every value we store is far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8 || oid === PG_NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  return new PostgresDialect({ pool });
}

/** Where the store lives, from DATABASE_URL: `sqlite:<path>` (or `sqlite::memory:`) or `postgres://...`. */
export function parseDatabaseUrl(url: string): { dialect: SqlDialect; target: string } {
  if (/^(postgres|postgresql):\/\//.test(url)) return { dialect: 'postgres', target: url };
  const m = /^sqlite:(.+)$/.exec(url);
  if (m) return { dialect: 'sqlite', target: m[1]! };
  throw new Error(`DATABASE_URL must be sqlite:<path> or postgres://..., got ${JSON.stringify(url.replace(/\/\/[^@]*@/, '//***@'))}`);
}

export async function connect(url: string, options: ConnectOptions = {}): Promise<Connection> {
  const { dialect, target } = parseDatabaseUrl(url);
  if (dialect === 'postgres' && options.pgSchema) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.pgSchema)) throw new Error(`invalid Postgres schema name ${options.pgSchema}`);
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${options.pgSchema}`);
    } catch (err) {
      // Two instances creating it at once: "if not exists" is not atomic in Postgres, and losing the race is fine.
      if ((err as { code?: string }).code !== '23505') throw err;
    } finally {
      await client.end();
    }
  }
  const db = new Kysely<Database>({ dialect: dialect === 'postgres' ? openPostgres(target, options) : openSqlite(target) });
  return { db, dialect };
}

/** The password of a database URL is not for printing. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

/**
 * Errors that say the database at DATABASE_URL cannot be used as configured (not reachable, refused the
 * login, does not exist, not a SQLite file), as opposed to a bug: node's and pg's connection codes,
 * Postgres SQLSTATEs of class 28 (authorization) and 3D000 (no such database), and SQLite's open failures.
 */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', '28000', '28P01', '3D000', 'SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_PERM', 'SQLITE_READONLY', 'EACCES']);

/** The store at DATABASE_URL cannot be opened: the admin's to fix, said in one line. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** `err` as a StoreUnavailableError when it is one of the causes above, else undefined. */
export function storeUnavailable(err: unknown, databaseUrl: string): StoreUnavailableError | undefined {
  const code = (err as { code?: unknown })?.code;
  const cause = err instanceof AggregateError ? err.errors[0] : undefined;
  const causeCode = (cause as { code?: unknown } | undefined)?.code;
  if (!(typeof code === 'string' && UNAVAILABLE.has(code)) && !(typeof causeCode === 'string' && UNAVAILABLE.has(causeCode))) return undefined;
  const said = (err as Error).message || String(causeCode ?? code);
  return new StoreUnavailableError(`cannot open the store at DATABASE_URL=${redactDatabaseUrl(databaseUrl)} (${said}): check DATABASE_URL and that the database server is running and reachable from here (docs/configuration.md)`);
}

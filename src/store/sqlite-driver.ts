import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 200;

/** How long a writer waits for another connection's write lock before giving up. */
const LOCK_WAIT_MS = 10_000;

const isBusy = (err: unknown) => (err as { code?: unknown }).code === 'SQLITE_BUSY';

/**
 * A prepared statement, and whether it reads rows. Readers return rows as arrays (better-sqlite3's
 * raw mode) made into objects here: building each row object in JavaScript costs about half of what the
 * binding's own row objects cost (the metrics job reads a million contacts and their first decisions: its
 * read took half the CPU). The rows are the same: the same keys in the same order, a later duplicate name
 * winning, as the binding does.
 */
interface Prepared {
  stmt: BetterSqlite3.Statement;
  /** Whether its rows come as arrays: a reader, unless a column is named `__proto__` (an assignment would set the prototype). */
  raw: boolean;
}

function preparedOf(stmt: BetterSqlite3.Statement): Prepared {
  const raw = stmt.reader && !stmt.columns().some((c) => c.name === '__proto__');
  if (raw) stmt.raw(true);
  return { stmt, raw };
}

function rowsOf<R>(raw: unknown[][], columns: readonly string[]): R[] {
  const rows = raw as unknown as Array<Record<string, unknown>>;
  for (let i = 0; i < raw.length; i++) {
    const values = raw[i];
    const row: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]] = values[c];
    rows[i] = row;
  }
  return rows as R[];
}

/**
 * A better-sqlite3 connection that waits for a busy database asynchronously. SQLite's own busy_timeout
 * sleeps inside the synchronous call, freezing the event loop: the lock holder in the same process (a
 * second store instance, as in the tests) could then never finish, and HTTP would stall meanwhile.
 */
class WaitingConnection implements DatabaseConnection {
  /**
   * Prepared statements by SQL text. The hot statements (a 100-event insert, the claim) repeat with the
   * same text, and preparing a 1,300-parameter insert costs about as much as running it.
   */
  private readonly statements = new Map<string, Prepared>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
      try {
        return this.run<R>(compiled);
      } catch (err) {
        // Inside our own transaction we already hold the write lock (BEGIN IMMEDIATE), so a busy error
        // there is not a wait: retrying could replay half a transaction.
        if (!isBusy(err) || this.db.inTransaction || Date.now() > deadline) throw err;
      }
      await sleep(pause * (0.5 + Math.random()));
    }
  }

  private prepare(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (prepared) {
      // Map order doubles as recency: re-inserting moves it to the end, the oldest is evicted first.
      this.statements.delete(sql);
    } else {
      prepared = preparedOf(this.db.prepare(sql));
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, prepared);
    return prepared;
  }

  private run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const { stmt, raw } = this.prepare(sql);
    // The names are asked for at each run, not kept: a schema change re-prepares the statement underneath
    // (a `select *` after a migration added a column).
    if (raw) return { rows: rowsOf<R>(stmt.all(parameters as unknown[]) as unknown[][], stmt.columns().map((c) => c.name)) };
    if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used by this store');
  }
}

/** One connection, used by one query or transaction at a time (SQLite has one writer anyway). */
class WaitingSqliteDriver implements Driver {
  private readonly connection: WaitingConnection;
  private turn: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.connection = new WaitingConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.turn;
    let release!: () => void;
    this.turn = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = null;
    release?.();
  }

  /**
   * Every transaction takes the write lock up front: a deferred one that reads, then writes, fails at once
   * with SQLITE_BUSY when another process (`uld dead-letters` beside `uld serve`) wrote in between.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    this.db.close();
  }
}

/** SQLite DDL is transactional: saying so makes Kysely's migrator run the migrations in one transaction. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class WaitingSqliteDialect implements Dialect {
  constructor(private readonly db: BetterSqlite3.Database) {}
  createDriver(): Driver {
    return new WaitingSqliteDriver(this.db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

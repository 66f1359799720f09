import type BetterSqlite3 from 'better-sqlite3';

/**
 * The better-sqlite3 build that fits the running Node. Two majors are installed because neither runs on
 * both of the Node versions the product supports:
 * - 12.x wraps its objects with Node's raw `node::ObjectWrap`, whose destructor calls
 *   `RemoveEnvironmentCleanupHook`; from Node 24.19 on, a Database or Statement collected when no Node
 *   environment is current (a worker thread's teardown, a GC at exit) aborts the whole process with
 *   "Assertion failed: (env) != nullptr" (reported in WiseLibs/better-sqlite3#1515, closed without a fix
 *   in 12.x; seen here running the suite on Node 24.21). 13.x moved to node-addon-api and does not.
 * - 13.x declares `engines.node >=22` and its prebuilt N-API binary segfaults on Node 20 at the first
 *   statement (checked here on 20.20).
 * So Node 22 and later load 13 (installed under the alias `better-sqlite3-napi`, prebuilt, nothing
 * compiled), Node 20 loads 12 (compiled at install). The API the store uses is the same in both.
 */
export type SqliteConstructor = typeof BetterSqlite3;

export const SQLITE_BINDING = Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';

export function loadSqlite(): SqliteConstructor {
  return require(SQLITE_BINDING) as SqliteConstructor;
}

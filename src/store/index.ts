/**
 * The store: the raw event log, the units of work, the queue and the dead letters. Callers depend on the
 * interfaces in ./types and ./mirror-types only; ./kysely-store is the one implementation, over SQLite or Postgres.
 */
export * from './types';
export * from './mirror-types';
export { CHANGE_KINDS, decodeChanges, encodeChanges, type ChangeKind } from './changes';
export { MAX_CLAIM, retryDelayMs } from './queue';
export { openStore, type OpenStoreOptions } from './kysely-store';
export { parseDatabaseUrl, redactDatabaseUrl, StoreUnavailableError } from './connect';

import { sql, type Kysely } from 'kysely';
import { connect, storeUnavailable, type ConnectOptions } from './connect';
import { dropDeadLetters, listDeadLetters, retryDeadLetters } from './dead-letters';
import { countEvents, ingestEvents, listEvents, pruneEvents } from './event-log';
import { migrateToLatest, pendingMigrations, type MigrationTarget } from './migrate';
import type { SqlDialect } from './migrations';
import * as accountStore from './account-store';
import * as asOfFactsStore from './as-of-facts-store';
import * as handOffStore from './hand-off-store';
import * as jobStore from './job-store';
import * as mirror from './mirror-store';
import * as metricsMirror from './metrics-mirror';
import * as card from './card-store';
import * as queue from './queue';
import * as replay from './replay-store';
import type { Database } from './schema';
import {
  DEFAULT_QUEUE_POLICY,
  type AsOfFactsRow,
  type ClaimRequest,
  type EventFilter,
  type Failure,
  type HandOffMode,
  type HandOffRecord,
  type IncomingEvent,
  type IngestOptions,
  type Lease,
  type QueuePolicy,
  type Store,
  type StoreHealth,
  type WorkMark,
} from './types';
import type { DecisionRecord, MirrorAccount, MirrorContact, MirrorDeal, VerdictRecord, WriteRecord } from './mirror-types';

export interface OpenStoreOptions extends ConnectOptions {
  queue?: Partial<QueuePolicy>;
  /** Injectable clock, epoch ms: lets tests expire leases and backoffs without sleeping. */
  clock?: () => number;
  /** Run migrations on open (default). Off only for tools that must not change the schema. */
  migrate?: boolean;
}

/** Postgres asks the client to retry these: deadlock_detected and serialization_failure. */
const RETRYABLE_PG_CODES = new Set(['40P01', '40001']);

async function withRetry<T>(dialect: SqlDialect, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (dialect !== 'postgres' || attempt >= 3 || typeof code !== 'string' || !RETRYABLE_PG_CODES.has(code)) throw err;
    }
  }
}

class KyselyStore implements Store {
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: SqlDialect,
    private readonly migrations: MigrationTarget,
    readonly policy: QueuePolicy,
    private readonly clock: () => number,
  ) {}

  now(): number {
    return this.clock();
  }

  ingest(events: IncomingEvent[], options: IngestOptions = {}) {
    return withRetry(this.dialect, () => ingestEvents(this.db, this.dialect, events, this.clock(), options));
  }
  listEvents(filter: EventFilter = {}) {
    return listEvents(this.db, filter);
  }
  countEvents(filter: Omit<EventFilter, 'limit'> = {}) {
    return countEvents(this.db, filter);
  }
  pruneEvents(receivedBefore: number) {
    return pruneEvents(this.db, receivedBefore);
  }

  claim(request: ClaimRequest) {
    return withRetry(this.dialect, () => queue.claim(this.db, this.dialect, this.policy, request, this.clock()));
  }
  complete(lease: Lease, ids: number[]) {
    return withRetry(this.dialect, () => queue.complete(this.db, lease, ids, this.clock()));
  }
  fail(lease: Lease, failures: Failure[]) {
    return withRetry(this.dialect, () => queue.fail(this.db, this.policy, lease, failures, this.clock()));
  }
  defer(lease: Lease, ids: number[], until: number) {
    return queue.defer(this.db, lease, ids, until);
  }
  renewLeases(leases: Lease[], until: number) {
    return withRetry(this.dialect, () => queue.renewLeases(this.db, leases, until, this.clock()));
  }
  releaseLeases(by: { owner: string } | { token: string }) {
    return queue.releaseLeases(this.db, by, this.clock());
  }
  listWork(filter: { objectType?: string; objectId?: string; limit?: number } = {}) {
    return queue.listWork(this.db, filter);
  }
  queueStats() {
    return queue.queueStats(this.db, this.clock());
  }

  listDeadLetters(filter: { objectType?: string; limit?: number } = {}) {
    return listDeadLetters(this.db, filter);
  }
  retryDeadLetters(ids: number[] | 'all') {
    return withRetry(this.dialect, () => retryDeadLetters(this.db, this.dialect, ids, this.clock()));
  }
  dropDeadLetters(ids: number[] | 'all') {
    return dropDeadLetters(this.db, ids);
  }

  getContacts(ids: string[]) {
    return mirror.getContacts(this.db, ids);
  }
  upsertContacts(rows: MirrorContact[]) {
    return withRetry(this.dialect, () => mirror.upsertContacts(this.db, rows));
  }
  markDeleted(objectType: 'contact' | 'deal' | 'company', ids: string[]) {
    return mirror.markDeleted(this.db, objectType, ids);
  }
  contactsOfCompanies(companyIds: string[]) {
    return mirror.contactsOfCompanies(this.db, companyIds);
  }
  getAccounts(ids: string[]) {
    return accountStore.getAccounts(this.db, ids);
  }

  upsertAccounts(rows: MirrorAccount[]) {
    return accountStore.upsertAccounts(this.db, rows);
  }

  listAccounts() {
    return accountStore.listAccounts(this.db);
  }

  getDeals(ids: string[]) {
    return mirror.getDeals(this.db, ids);
  }
  upsertDeals(rows: MirrorDeal[]) {
    return withRetry(this.dialect, () => mirror.upsertDeals(this.db, rows));
  }
  dealsOfContacts(contactIds: string[]) {
    return mirror.dealsOfContacts(this.db, contactIds);
  }
  statusesAt(contactIds: string[], at: number) {
    return mirror.statusesAt(this.db, contactIds, at);
  }

  definitionVersions() {
    return mirror.definitionVersions(this.db);
  }

  lastWrittenAt(objectType: string, ids: string[], options?: { includeRejected?: boolean }) {
    return mirror.lastWrittenAt(this.db, objectType, ids, options);
  }
  recordDecisions(rows: DecisionRecord[]) {
    return mirror.recordDecisions(this.db, rows);
  }
  replaceReplayedDecisions(contactIds: string[], rows: DecisionRecord[], firstLookBefore: number) {
    return withRetry(this.dialect, () => replay.replaceReplayedDecisions(this.db, contactIds, rows, firstLookBefore));
  }
  recordWrites(rows: WriteRecord[]) {
    return mirror.recordWrites(this.db, rows);
  }
  history(contactId: string, limit?: number) {
    return mirror.history(this.db, contactId, limit);
  }
  cardData(contactId: string, options?: { historyLimit?: number }) {
    return card.cardData(this.db, this.dialect, contactId, options);
  }
  recordVerdict(v: VerdictRecord) {
    const now = this.clock();
    return withRetry(this.dialect, () => card.recordVerdict(this.db, this.dialect, v, now));
  }
  listMirror(options: { since?: number; decisions?: boolean } = {}) {
    return mirror.listMirror(this.db, options);
  }
  listDeals(options: { since?: number; until?: number } = {}) {
    return metricsMirror.listDeals(this.db, options);
  }
  contactsWithFirsts(options: { since?: number; until?: number; pageSize?: number } = {}) {
    return metricsMirror.contactsWithFirsts(this.db, options);
  }
  markDirty(marks: WorkMark[], availableAt?: number) {
    const now = this.clock();
    return withRetry(this.dialect, () => mirror.markDirty(this.db, this.dialect, marks, now, availableAt ?? now));
  }

  claimJobRun(job: string, tickAt: number, instance: string) {
    return jobStore.claimJobRun(this.db, job, tickAt, instance, this.clock());
  }
  finishJobRun(id: number, outcome: 'ok' | 'failed', counts: Record<string, number>, error: string | null) {
    return jobStore.finishJobRun(this.db, id, outcome, counts, error, this.clock());
  }
  listJobRuns(filter: { job?: string; limit?: number } = {}) {
    return jobStore.listJobRuns(this.db, filter);
  }
  getCheckpoint(name: string) {
    return jobStore.getCheckpoint(this.db, name);
  }
  setCheckpoint(name: string, value: string | null) {
    return jobStore.setCheckpoint(this.db, name, value, this.clock());
  }
  saveMetricSnapshot(computedAt: number, figures: string) {
    return jobStore.saveMetricSnapshot(this.db, computedAt, figures);
  }
  listMetricSnapshots(limit?: number) {
    return jobStore.listMetricSnapshots(this.db, limit);
  }

  claimHandOffs(rows: HandOffRecord[]) {
    return withRetry(this.dialect, () => handOffStore.claimHandOffs(this.db, rows));
  }
  setHandOffObject(contactId: string, objectId: string) {
    return handOffStore.setHandOffObject(this.db, contactId, objectId);
  }
  markHandOffAttempt(contactIds: string[], at: number) {
    return handOffStore.markHandOffAttempt(this.db, contactIds, at);
  }
  handOffs(contactIds: string[]) {
    return handOffStore.handOffs(this.db, contactIds);
  }
  handOffByObject(objectId: string) {
    return handOffStore.handOffByObject(this.db, objectId);
  }
  pendingHandOffs(mode: HandOffMode, attemptedBefore: number, limit?: number) {
    return handOffStore.pendingHandOffs(this.db, mode, attemptedBefore, limit);
  }

  saveAsOfFacts(rows: AsOfFactsRow[]) {
    return withRetry(this.dialect, () => asOfFactsStore.saveAsOfFacts(this.db, rows));
  }
  listAsOfFacts(contactIds?: string[]) {
    return asOfFactsStore.listAsOfFacts(this.db, contactIds);
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { reachable: false, pendingMigrations: 0, error: 'store closed' };
    try {
      await sql`select 1`.execute(this.db);
      return { reachable: true, pendingMigrations: await pendingMigrations(this.db, this.migrations) };
    } catch (err) {
      return { reachable: false, pendingMigrations: 0, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }
}

/**
 * Opens the store named by DATABASE_URL and brings its schema up to date before returning, so a store in
 * hand is a migrated store.
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  let opened: Awaited<ReturnType<typeof connect>>;
  try {
    opened = await connect(databaseUrl, options);
  } catch (err) {
    throw storeUnavailable(err, databaseUrl) ?? err;
  }
  const { db, dialect } = opened;
  let target: MigrationTarget = { dialect };
  try {
    if (dialect === 'postgres') {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      target = { dialect, schema: rows[0]!.schema };
    }
    if (options.migrate !== false) await migrateToLatest(db, target);
  } catch (err) {
    await db.destroy();
    // Postgres connects lazily: an unreachable server or a refused login shows up at the first query.
    throw storeUnavailable(err, databaseUrl) ?? err;
  }
  return new KyselyStore(db, dialect, target, { ...DEFAULT_QUEUE_POLICY, ...options.queue }, options.clock ?? Date.now);
}

import type { ChangeKind, WorkMark } from './changes';
import type { HandOffStore } from './hand-off-types';
import type { SyncStore } from './mirror-types';

/**
 * The store as the domain sees it: plain data in, plain data out. No Kysely, pg or better-sqlite3 type
 * crosses this boundary, so the webhook receiver, the worker and the jobs can be tested against either
 * backend with one conformance suite (the BullMQ pattern: one interface, two backends).
 *
 * Times are epoch milliseconds taken from the store's clock; ids of HubSpot objects are decimal strings
 * (they exceed 2^31 and are strings in every API but webhooks).
 */

// Declared next to what they describe (a unit's change kinds, the hand-off log), named here with the rest of
// the store's interface: the pieces import nothing from this file, so no arrow points back.
export type { WorkMark } from './changes';
export type { HandOffMode, HandOffRecord, HandOffStore } from './hand-off-types';

/** What became of a received event. Every event is kept; only `work` events create units of work. */
export type EventDisposition = 'work' | 'own_write' | 'ignored';

/** One webhook event as the store keeps it, already verified and classified by the receiver. */
export interface IncomingEvent {
  /** The dedupe key is (portalId, subscriptionType, objectId, occurredAt, eventId): eventId alone is not unique. */
  portalId: number;
  subscriptionType: string;
  objectId: string;
  occurredAt: number;
  eventId: string;
  /** contact, company, deal, or the raw objectTypeId / prefix for types we do not act on. */
  objectType: string;
  changeSource: string | null;
  sourceId: string | null;
  propertyName: string | null;
  attemptNumber: number | null;
  disposition: EventDisposition;
  /** The event exactly as received (JSON), for audit and replay. */
  payload: string;
  /**
   * Names the CRM change itself rather than its delivery (no eventId, subscription or app): two events with
   * the same `occurredAt` and key are one change delivered twice, e.g. once by each app during a migration
   * window, and only the first is stored. Null or absent: deduplicated by the delivery key only.
   */
  changeKey?: string | null;
  /** Units of work to create or coalesce into; empty unless disposition is `work`. */
  marks: WorkMark[];
}

export interface IngestOptions {
  /** New units become claimable this long after their first event, so a burst coalesces (issue 5's debounce). */
  availableAfterMs?: number;
}

export interface IngestResult {
  /** Events stored now. */
  stored: number;
  /** Events already stored by an earlier delivery (HubSpot retries and duplicates). */
  duplicates: number;
  /** Stored events by disposition. */
  work: number;
  ownWrites: number;
  ignored: number;
  /** Distinct objects whose unit of work was created or coalesced into. */
  unitsTouched: number;
}

export interface StoredEvent extends Omit<IncomingEvent, 'marks'> {
  id: number;
  receivedAt: number;
}

export interface EventFilter {
  objectType?: string;
  objectId?: string;
  disposition?: EventDisposition;
  limit?: number;
}

/** A unit of work: one object that needs the worker's attention, however many events it took. */
export interface WorkUnit {
  id: number;
  objectType: string;
  objectId: string;
  changes: ChangeKind[];
  /** Properties whose change events were coalesced into this unit, sorted. */
  properties: string[];
  mergedInto: string | null;
  firstOccurredAt: number;
  lastOccurredAt: number;
  eventCount: number;
  /** Claims so far, including the current one (counted at claim, so a crash still spends an attempt). */
  attempts: number;
  lastError: string | null;
  createdAt: number;
  availableAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
}

export interface ClaimRequest {
  objectType: string;
  /** At most 100 (HubSpot's batch size); the default. */
  limit?: number;
  /** Who holds the lease (an instance id); used to release everything on shutdown. */
  owner: string;
  /** Lease length; the queue policy's default when omitted. */
  leaseMs?: number;
}

/** Proof of a claim. Every later call about the claimed units must present it. */
export interface Lease {
  token: string;
  owner: string;
  expiresAt: number;
}

export interface ClaimedBatch {
  objectType: string;
  lease: Lease;
  units: WorkUnit[];
}

export interface CompleteResult {
  /** Done and removed. */
  completed: number[];
  /** Done, but new events arrived while leased: back in the queue, immediately claimable. */
  requeued: number[];
  /** The lease had expired and another claim took the unit: this worker's result must be considered stale. */
  lost: number[];
}

export interface Failure {
  id: number;
  error: string;
  /** No retry can help (an invalid property value, say): dead-letter now. */
  permanent?: boolean;
}

export interface FailResult {
  /** Back in the queue after a backoff. */
  retrying: number[];
  deadLettered: number[];
  lost: number[];
}

export interface DeadLetter {
  id: number;
  objectType: string;
  objectId: string;
  changes: ChangeKind[];
  properties: string[];
  mergedInto: string | null;
  firstOccurredAt: number;
  lastOccurredAt: number;
  eventCount: number;
  attempts: number;
  lastError: string;
  failedAt: number;
}

export interface QueueDepth {
  objectType: string;
  /** Units waiting (including those in backoff). */
  pending: number;
  /** Units under an unexpired lease. */
  leased: number;
  /** createdAt of the oldest unit, null when empty. */
  oldestCreatedAt: number | null;
}

export interface QueueStats {
  byObjectType: QueueDepth[];
  deadLetters: number;
}

/** How failures are retried. */
export interface QueuePolicy {
  leaseMs: number;
  /** Claims an item may use; the next failure (or an expired lease) dead-letters it. */
  maxAttempts: number;
  /** Delay before the first retry; doubles per attempt, jittered, capped at backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_QUEUE_POLICY: QueuePolicy = {
  leaseMs: 120_000,
  maxAttempts: 8,
  backoffBaseMs: 10_000,
  backoffMaxMs: 3_600_000,
};

/** The raw event log: every acknowledged event, deduplicated, with the work it created. */
export interface EventLog {
  /** Stores the events and their units of work in ONE transaction: either all of it is durable, or none. */
  ingest(events: IncomingEvent[], options?: IngestOptions): Promise<IngestResult>;
  listEvents(filter?: EventFilter): Promise<StoredEvent[]>;
  countEvents(filter?: Omit<EventFilter, 'limit'>): Promise<number>;
  /** Deletes events received before `receivedBefore`; returns how many. */
  pruneEvents(receivedBefore: number): Promise<number>;
}

/** The work queue the worker (issue 5) consumes. */
export interface WorkQueue {
  /** Leases up to `limit` claimable units of one object type; Postgres uses FOR UPDATE SKIP LOCKED. */
  claim(request: ClaimRequest): Promise<ClaimedBatch>;
  complete(lease: Lease, ids: number[]): Promise<CompleteResult>;
  fail(lease: Lease, failures: Failure[]): Promise<FailResult>;
  /** Puts units back until `until` without spending the attempt: for 429s and other waits that are not the unit's fault. */
  defer(lease: Lease, ids: number[], until: number): Promise<number[]>;
  /**
   * The holder's heartbeat: extends every unit still under one of these leases to `until` (store time);
   * returns the ids of the units still held after it. A unit missing was taken over (its lease ran out and
   * another claim took it) or is done: the holder must not act on it any more.
   */
  renewLeases(leases: Lease[], until: number): Promise<number[]>;
  /** Returns leased units to the queue at once, attempt refunded: a graceful stop is not a failure. */
  releaseLeases(by: { owner: string } | { token: string }): Promise<number>;
  /** Looks at units without claiming them (tests, `uld` diagnostics). */
  listWork(filter?: { objectType?: string; objectId?: string; limit?: number }): Promise<WorkUnit[]>;
  queueStats(): Promise<QueueStats>;
}

export interface DeadLetterStore {
  listDeadLetters(filter?: { objectType?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Moves dead letters back into the queue with fresh attempts; returns how many. */
  retryDeadLetters(ids: number[] | 'all'): Promise<number>;
  dropDeadLetters(ids: number[] | 'all'): Promise<number>;
}

/** One run of a scheduled job. */
export interface JobRun {
  id: number;
  job: string;
  /** The tick it ran for (the scheduled minute or second, epoch ms). */
  tickAt: number;
  instance: string;
  startedAt: number;
  finishedAt: number | null;
  outcome: 'running' | 'ok' | 'failed';
  counts: Record<string, number>;
  error: string | null;
}

/** Scheduled jobs' bookkeeping: runs (once per tick across instances) and resumable checkpoints. */
export interface JobStore {
  /** The run's id when this caller won the tick; null when another instance already has it. */
  claimJobRun(job: string, tickAt: number, instance: string): Promise<number | null>;
  finishJobRun(id: number, outcome: 'ok' | 'failed', counts: Record<string, number>, error: string | null): Promise<void>;
  listJobRuns(filter?: { job?: string; limit?: number }): Promise<JobRun[]>;
  getCheckpoint(name: string): Promise<string | null>;
  /** null deletes it. */
  setCheckpoint(name: string, value: string | null): Promise<void>;
  /** The metrics job's snapshots, kept for trends: the figures as JSON text, newest first. */
  saveMetricSnapshot(computedAt: number, figures: string): Promise<void>;
  listMetricSnapshots(limit?: number): Promise<Array<{ computedAt: number; figures: string }>>;
}

/**
 * The facts a converted lead had when it converted (its first deal's creation), kept by the history replay
 * for `uld what-if` and `uld calibrate`. The keys of `contact` and `company` are the inputs covered.
 */
export interface AsOfFactsRow {
  contactId: string;
  /** The first deal's creation, epoch ms. */
  asOf: number;
  contact: Record<string, string | null>;
  /** Null when the contact had no primary company. */
  company: Record<string, string | null> | null;
}

export interface AsOfFactsStore {
  /** Upserts by contact id: a row replaces the contact's previous one whole. */
  saveAsOfFacts(rows: AsOfFactsRow[]): Promise<void>;
  /** Every stored row, or only those of `contactIds`, keyed by contact id. */
  listAsOfFacts(contactIds?: string[]): Promise<Map<string, AsOfFactsRow>>;
}

export interface StoreHealth {
  reachable: boolean;
  pendingMigrations: number;
  error?: string;
}

export interface Store extends EventLog, WorkQueue, DeadLetterStore, SyncStore, JobStore, HandOffStore, AsOfFactsStore {
  readonly dialect: 'sqlite' | 'postgres';
  readonly policy: QueuePolicy;
  /** The store's clock (injectable for tests of leases and backoff). */
  now(): number;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

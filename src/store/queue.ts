import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { SqlDialect } from './migrations';
import type { Database, WorkItemRow } from './schema';
import { toWorkUnit } from './units';
import type { ClaimedBatch, ClaimRequest, CompleteResult, Failure, FailResult, Lease, QueuePolicy, QueueStats, WorkUnit } from './types';

/** HubSpot's batch endpoints take 100 inputs: a larger claim could not be worked in one call anyway. */
export const MAX_CLAIM = 100;
const MAX_ERROR_LENGTH = 4000;

/** Exponential backoff with equal jitter: half the delay fixed, half random, so retries of a burst spread out. */
export function retryDelayMs(attempts: number, policy: QueuePolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

const clip = (s: string) => (s.length > MAX_ERROR_LENGTH ? `${s.slice(0, MAX_ERROR_LENGTH - 1)}…` : s);

const released = {
  lease_owner: null,
  lease_token: null,
  lease_expires_at: null,
  claimed_revision: null,
} as const;

/** Which of the given rows may be dead-lettered: those still under this lease, or those still exhausted. */
type DeadLetterGuard = { token: string } | { exhaustedBy: { maxAttempts: number; now: number } };

/**
 * Moves rows to the dead letters: DELETE ... RETURNING first, so two instances racing over the same row
 * cannot both copy it (the second delete finds nothing). The guard is re-checked in the DELETE because the
 * row may have changed since it was selected (released with its attempt refunded, say).
 */
export async function deadLetterWhere(
  trx: Transaction<Database>,
  ids: number[],
  guard: DeadLetterGuard,
  errorFor: (row: WorkItemRow) => string,
  now: number,
): Promise<number[]> {
  if (ids.length === 0) return [];
  let q = trx.deleteFrom('work_items').where('id', 'in', ids);
  if ('token' in guard) {
    q = q.where('lease_token', '=', guard.token);
  } else {
    const at = guard.exhaustedBy.now;
    q = q
      .where('attempts', '>=', guard.exhaustedBy.maxAttempts)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', at)]));
  }
  const rows = await q.returningAll().execute();
  if (rows.length > 0) {
    await trx
      .insertInto('dead_letters')
      .values(
        rows.map((r) => ({
          object_type: r.object_type,
          object_id: r.object_id,
          changes: r.changes,
          properties: r.properties,
          merged_into: r.merged_into,
          first_occurred_at: r.first_occurred_at,
          last_occurred_at: r.last_occurred_at,
          event_count: r.event_count,
          attempts: r.attempts,
          last_error: clip(errorFor(r)),
          failed_at: now,
        })),
      )
      .execute();
  }
  return rows.map((r) => r.id);
}

export async function claim(
  db: Kysely<Database>,
  dialect: SqlDialect,
  policy: QueuePolicy,
  req: ClaimRequest,
  now: number,
): Promise<ClaimedBatch> {
  const limit = Math.max(1, Math.min(MAX_CLAIM, req.limit ?? MAX_CLAIM));
  const lease: Lease = { token: randomUUID(), owner: req.owner, expiresAt: now + (req.leaseMs ?? policy.leaseMs) };
  const rows = await db.transaction().execute(async (trx) => {
    // A unit whose every attempt ended in an expired lease (its worker died or hung each time) would
    // otherwise never leave the queue: it goes to the dead letters here. So does one left unleased with its
    // attempts spent, which happens when QUEUE_MAX_ATTEMPTS is lowered between restarts: claims skip it, so
    // without this it would sit in the queue forever.
    const exhausted = await trx
      .selectFrom('work_items')
      .select('id')
      .where('object_type', '=', req.objectType)
      .where('attempts', '>=', policy.maxAttempts)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
      .limit(MAX_CLAIM)
      .execute();
    await deadLetterWhere(
      trx,
      exhausted.map((r) => r.id),
      { exhaustedBy: { maxAttempts: policy.maxAttempts, now } },
      (r) =>
        `${r.lease_expires_at === null ? `attempts spent (${r.attempts} of ${policy.maxAttempts})` : `lease expired on attempt ${r.attempts} of ${policy.maxAttempts} (the worker crashed or took longer than its lease)`}${r.last_error ? `; last error: ${r.last_error}` : ''}`,
      now,
    );
    const candidates = trx
      .selectFrom('work_items')
      .select('id')
      .where('object_type', '=', req.objectType)
      .where('available_at', '<=', now)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
      .where('attempts', '<', policy.maxAttempts)
      .orderBy('available_at')
      .orderBy('id')
      .limit(limit)
      // Several instances share the queue: each skips the rows another is claiming instead of waiting.
      .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
    return trx
      .updateTable('work_items')
      .set({
        lease_owner: lease.owner,
        lease_token: lease.token,
        lease_expires_at: lease.expiresAt,
        // Counted now, not on failure: a worker that crashes mid-batch still spends the attempt.
        attempts: sql<number>`attempts + 1`,
        claimed_revision: sql<number>`revision`,
      })
      .where('id', 'in', candidates)
      .returningAll()
      .execute();
  });
  const units = rows.map(toWorkUnit).sort((a, b) => a.availableAt - b.availableAt || a.id - b.id);
  return { objectType: req.objectType, lease, units };
}

export async function complete(db: Kysely<Database>, lease: Lease, ids: number[], now: number): Promise<CompleteResult> {
  if (ids.length === 0) return { completed: [], requeued: [], lost: [] };
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .deleteFrom('work_items')
      .where('id', 'in', ids)
      .where('lease_token', '=', lease.token)
      .whereRef('revision', '=', 'claimed_revision')
      .returning('id')
      .execute();
    const completed = new Set(done.map((r) => r.id));
    const rest = ids.filter((id) => !completed.has(id));
    const again =
      rest.length === 0
        ? []
        : await trx
            .updateTable('work_items')
            .set({ ...released, attempts: 0, last_error: null, available_at: now })
            .where('id', 'in', rest)
            .where('lease_token', '=', lease.token)
            .returning('id')
            .execute();
    const requeued = new Set(again.map((r) => r.id));
    return { completed: [...completed], requeued: [...requeued], lost: rest.filter((id) => !requeued.has(id)) };
  });
}

export async function fail(db: Kysely<Database>, policy: QueuePolicy, lease: Lease, failures: Failure[], now: number): Promise<FailResult> {
  if (failures.length === 0) return { retrying: [], deadLettered: [], lost: [] };
  const byId = new Map(failures.map((f) => [f.id, f]));
  return db.transaction().execute(async (trx) => {
    const held = await trx
      .selectFrom('work_items')
      .select(['id', 'attempts'])
      .where('id', 'in', [...byId.keys()])
      .where('lease_token', '=', lease.token)
      .execute();
    const heldIds = new Set(held.map((r) => r.id));
    const finalIds = held.filter((r) => byId.get(r.id)!.permanent || r.attempts >= policy.maxAttempts).map((r) => r.id);
    const deadLettered = await deadLetterWhere(trx, finalIds, { token: lease.token }, (r) => byId.get(r.id)!.error, now);
    const retrying: number[] = [];
    // One jittered delay per attempt count and error in this call, not one per unit: units that failed
    // together come back together, as one batch (one HubSpot call), instead of in pieces that each cost a
    // call. The jitter still spreads batches and instances apart.
    const groups = new Map<string, { ids: number[]; attempts: number; error: string }>();
    for (const r of held) {
      if (finalIds.includes(r.id)) continue;
      const error = byId.get(r.id)!.error;
      const key = `${r.attempts}\u0000${error}`;
      const group = groups.get(key) ?? { ids: [], attempts: r.attempts, error };
      group.ids.push(r.id);
      groups.set(key, group);
    }
    for (const g of groups.values()) {
      await trx
        .updateTable('work_items')
        .set({ ...released, last_error: clip(g.error), available_at: now + retryDelayMs(g.attempts, policy) })
        .where('id', 'in', g.ids)
        .where('lease_token', '=', lease.token)
        .execute();
      retrying.push(...g.ids);
    }
    return { retrying, deadLettered, lost: [...byId.keys()].filter((id) => !heldIds.has(id)) };
  });
}

const refundAttempt = sql<number>`case when attempts > 0 then attempts - 1 else 0 end`;

export async function defer(db: Kysely<Database>, lease: Lease, ids: number[], until: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('work_items')
    .set({ ...released, available_at: until, attempts: refundAttempt })
    .where('id', 'in', ids)
    .where('lease_token', '=', lease.token)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A holder's heartbeat (src/sync/lease-heartbeat.ts): every unit still under one of these leases has its
 * lease extended to `until` (never shortened). Returns the ids of the units still held, unexpired, after
 * it: a unit missing from the answer was taken over by another claim (or completed, failed, released), and
 * its holder must not act on it any more. A lease that expired but that nobody claimed since is still this
 * holder's (its token is on the row) and is renewed: nobody else acted on its units.
 */
export async function renewLeases(db: Kysely<Database>, leases: Lease[], until: number, now: number): Promise<number[]> {
  if (leases.length === 0) return [];
  const rows = await db
    .updateTable('work_items')
    .set({ lease_expires_at: sql<number>`case when lease_expires_at > ${until} then lease_expires_at else ${until} end` })
    .where('lease_token', 'in', leases.map((l) => l.token))
    .returning(['id', 'lease_expires_at'])
    .execute();
  return rows.filter((r) => r.lease_expires_at !== null && Number(r.lease_expires_at) > now).map((r) => r.id);
}

export async function releaseLeases(db: Kysely<Database>, by: { owner: string } | { token: string }, now: number): Promise<number> {
  let q = db.updateTable('work_items').set({ ...released, available_at: now, attempts: refundAttempt });
  q = 'owner' in by ? q.where('lease_owner', '=', by.owner) : q.where('lease_token', '=', by.token);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function listWork(db: Kysely<Database>, filter: { objectType?: string; objectId?: string; limit?: number }): Promise<WorkUnit[]> {
  let q = db.selectFrom('work_items').selectAll();
  if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId !== undefined) q = q.where('object_id', '=', filter.objectId);
  const rows = await q.orderBy('id').limit(filter.limit ?? 1000).execute();
  return rows.map(toWorkUnit);
}

export async function queueStats(db: Kysely<Database>, now: number): Promise<QueueStats> {
  const rows = await db
    .selectFrom('work_items')
    .select((eb) => [
      'object_type',
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(sql<number>`case when lease_expires_at > ${now} then 1 else 0 end`).as('leased'),
      eb.fn.min('created_at').as('oldest'),
    ])
    .groupBy('object_type')
    .orderBy('object_type')
    .execute();
  const dead = await db.selectFrom('dead_letters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    byObjectType: rows.map((r) => ({
      objectType: r.object_type,
      pending: Number(r.total) - Number(r.leased ?? 0),
      leased: Number(r.leased ?? 0),
      oldestCreatedAt: r.oldest === null ? null : Number(r.oldest),
    })),
    deadLetters: Number(dead.n),
  };
}

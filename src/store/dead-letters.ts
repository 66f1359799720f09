import type { Kysely } from 'kysely';
import type { SqlDialect } from './migrations';
import type { Database } from './schema';
import { byObject, toDeadLetter, upsertUnits, type CoalescedUnit } from './units';
import type { DeadLetter } from './types';

export async function listDeadLetters(db: Kysely<Database>, filter: { objectType?: string; limit?: number }): Promise<DeadLetter[]> {
  let q = db.selectFrom('dead_letters').selectAll();
  if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
  const rows = await q.orderBy('id').limit(filter.limit ?? 1000).execute();
  return rows.map(toDeadLetter);
}

/**
 * Back into the queue with fresh attempts, coalesced into the object's current unit if events arrived since
 * (the object is then worked once, with everything that happened to it).
 */
export async function retryDeadLetters(db: Kysely<Database>, dialect: SqlDialect, ids: number[] | 'all', now: number): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let q = trx.deleteFrom('dead_letters');
    if (ids !== 'all') q = q.where('id', 'in', ids);
    const rows = await q.returningAll().execute();
    const units = new Map<string, CoalescedUnit>();
    for (const r of rows) {
      const key = `${r.object_type}\u0000${r.object_id}`;
      const u = units.get(key);
      const props = JSON.parse(r.properties) as string[];
      if (!u) {
        units.set(key, {
          objectType: r.object_type,
          objectId: r.object_id,
          changes: r.changes,
          properties: new Set(props),
          mergedInto: r.merged_into,
          firstOccurredAt: r.first_occurred_at,
          lastOccurredAt: r.last_occurred_at,
          eventCount: r.event_count,
        });
      } else {
        u.changes |= r.changes;
        for (const p of props) u.properties.add(p);
        u.mergedInto = r.merged_into ?? u.mergedInto;
        u.firstOccurredAt = Math.min(u.firstOccurredAt, r.first_occurred_at);
        u.lastOccurredAt = Math.max(u.lastOccurredAt, r.last_occurred_at);
        u.eventCount += r.event_count;
      }
    }
    await upsertUnits(trx, dialect, [...units.values()].sort(byObject), now, now, { freshAttempts: true });
    return rows.length;
  });
}

export async function dropDeadLetters(db: Kysely<Database>, ids: number[] | 'all'): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  let q = db.deleteFrom('dead_letters');
  if (ids !== 'all') q = q.where('id', 'in', ids);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

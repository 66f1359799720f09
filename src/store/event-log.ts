import type { Kysely } from 'kysely';
import type { SqlDialect } from './migrations';
import type { Database } from './schema';
import { executeShaped } from './statement-cache';
import { coalesce, upsertUnits } from './units';
import type { EventDisposition, EventFilter, IncomingEvent, IngestOptions, IngestResult, StoredEvent } from './types';

const dedupeKey = (e: { portalId: number; subscriptionType: string; objectId: string; occurredAt: number; eventId: string }) =>
  `${e.portalId}\u0000${e.subscriptionType}\u0000${e.objectId}\u0000${e.occurredAt}\u0000${e.eventId}`;

/**
 * One transaction: the raw events (deduplicated) and the units of work of the events that are new. A
 * duplicate creates no work, so a replay of an already processed batch does not re-run the worker.
 */
export async function ingestEvents(
  db: Kysely<Database>,
  dialect: SqlDialect,
  events: IncomingEvent[],
  now: number,
  options: IngestOptions,
): Promise<IngestResult> {
  const result: IngestResult = { stored: 0, duplicates: 0, work: 0, ownWrites: 0, ignored: 0, unitsTouched: 0 };
  if (events.length === 0) return result;
  // One fixed order for every transaction, so concurrent Postgres inserts of the same duplicates queue, never deadlock.
  const ordered = events.map((e) => ({ e, key: dedupeKey(e) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return db.transaction().execute(async (trx) => {
    const fresh = new Set<string>();
    for (let i = 0; i < ordered.length; i += 500) {
      const chunk = ordered.slice(i, i + 500);
      // The values in the order of EVENT_COLUMNS, which is the order of the row objects below.
      const parameters: unknown[] = [];
      for (const { e } of chunk) {
        parameters.push(
          e.portalId, e.subscriptionType, e.objectId, e.occurredAt, e.eventId, e.objectType, e.changeSource,
          e.sourceId, e.propertyName, e.attemptNumber, e.disposition, e.payload, e.changeKey ?? null, now,
        );
      }
      const build = () => {
        const rows = chunk.map(({ e }) => ({
          portal_id: e.portalId,
          subscription_type: e.subscriptionType,
          object_id: e.objectId,
          occurred_at: e.occurredAt,
          event_id: e.eventId,
          object_type: e.objectType,
          change_source: e.changeSource,
          source_id: e.sourceId,
          property_name: e.propertyName,
          attempt_number: e.attemptNumber,
          disposition: e.disposition,
          payload: e.payload,
          change_key: e.changeKey ?? null,
          received_at: now,
        }));
        return trx
          .insertInto('webhook_events')
          .values(rows)
          // No conflict target: a row is skipped when it repeats either unique key, the delivery's
          // (a HubSpot retry) or the change's (the same change delivered by a second app).
          .onConflict((oc) => oc.doNothing())
          .returning(['portal_id', 'subscription_type', 'object_id', 'occurred_at', 'event_id']);
      };
      const { rows: inserted } = await executeShaped(trx, `${dialect}:webhook_events:${chunk.length}`, parameters, build);
      for (const r of inserted) {
        fresh.add(dedupeKey({ portalId: r.portal_id, subscriptionType: r.subscription_type, objectId: r.object_id, occurredAt: r.occurred_at, eventId: r.event_id }));
      }
    }
    const marks: Array<{ mark: IncomingEvent['marks'][number]; eventKey: string }> = [];
    for (const { e, key } of ordered) {
      // A key returned once stands for one stored row; the same event twice in one batch is a duplicate.
      if (!fresh.delete(key)) {
        result.duplicates++;
        continue;
      }
      result.stored++;
      if (e.disposition === 'work') result.work++;
      else if (e.disposition === 'own_write') result.ownWrites++;
      else result.ignored++;
      if (e.disposition === 'work') for (const mark of e.marks) marks.push({ mark, eventKey: key });
    }
    const units = coalesce(marks);
    await upsertUnits(trx, dialect, units, now, now + (options.availableAfterMs ?? 0));
    result.unitsTouched = units.length;
    return result;
  });
}

export async function listEvents(db: Kysely<Database>, filter: EventFilter): Promise<StoredEvent[]> {
  let q = db.selectFrom('webhook_events').selectAll();
  if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId !== undefined) q = q.where('object_id', '=', filter.objectId);
  if (filter.disposition !== undefined) q = q.where('disposition', '=', filter.disposition);
  const rows = await q.orderBy('id').limit(filter.limit ?? 1000).execute();
  return rows.map((r) => ({
    id: r.id,
    portalId: r.portal_id,
    subscriptionType: r.subscription_type,
    objectId: r.object_id,
    occurredAt: r.occurred_at,
    eventId: r.event_id,
    objectType: r.object_type,
    changeSource: r.change_source,
    sourceId: r.source_id,
    propertyName: r.property_name,
    attemptNumber: r.attempt_number,
    disposition: r.disposition as EventDisposition,
    payload: r.payload,
    changeKey: r.change_key,
    receivedAt: r.received_at,
  }));
}

export async function countEvents(db: Kysely<Database>, filter: Omit<EventFilter, 'limit'>): Promise<number> {
  let q = db.selectFrom('webhook_events').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId !== undefined) q = q.where('object_id', '=', filter.objectId);
  if (filter.disposition !== undefined) q = q.where('disposition', '=', filter.disposition);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Retention: deletes in chunks so a large backlog never holds the write lock for long. */
export async function pruneEvents(db: Kysely<Database>, receivedBefore: number): Promise<number> {
  let total = 0;
  for (;;) {
    const victims = db.selectFrom('webhook_events').select('id').where('received_at', '<', receivedBefore).limit(5000);
    const res = await db.deleteFrom('webhook_events').where('id', 'in', victims).executeTakeFirst();
    const n = Number(res.numDeletedRows);
    total += n;
    if (n < 5000) return total;
  }
}

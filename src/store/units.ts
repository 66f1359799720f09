import { sql, type Kysely, type RawBuilder } from 'kysely';
import { decodeChanges, encodeChanges } from './changes';
import { executeShaped } from './statement-cache';
import type { SqlDialect } from './migrations';
import type { Database, DeadLetterRow, WorkItemRow } from './schema';
import type { DeadLetter, WorkMark, WorkUnit } from './types';

/** Many marks on one object, folded into what one work_items row holds. */
export interface CoalescedUnit {
  objectType: string;
  objectId: string;
  changes: number;
  properties: Set<string>;
  mergedInto: string | null;
  firstOccurredAt: number;
  lastOccurredAt: number;
  eventCount: number;
}

const unitKey = (objectType: string, objectId: string) => `${objectType}\u0000${objectId}`;

/** Folds marks per object. eventCount counts events, not marks: a property change and its echo mark once each. */
export function coalesce(marks: Iterable<{ mark: WorkMark; eventKey: string }>): CoalescedUnit[] {
  const units = new Map<string, CoalescedUnit & { events: Set<string>; mergedAt: number }>();
  for (const { mark, eventKey } of marks) {
    const key = unitKey(mark.objectType, mark.objectId);
    let u = units.get(key);
    if (!u) {
      u = {
        objectType: mark.objectType,
        objectId: mark.objectId,
        changes: 0,
        properties: new Set(),
        mergedInto: null,
        firstOccurredAt: mark.occurredAt,
        lastOccurredAt: mark.occurredAt,
        eventCount: 0,
        events: new Set(),
        mergedAt: -Infinity,
      };
      units.set(key, u);
    }
    u.changes |= encodeChanges([mark.change]);
    if (mark.property) u.properties.add(mark.property);
    // HubSpot delivers out of order: the merge that happened last decides where the record went.
    if (mark.mergedInto && mark.occurredAt >= u.mergedAt) {
      u.mergedInto = mark.mergedInto;
      u.mergedAt = mark.occurredAt;
    }
    u.firstOccurredAt = Math.min(u.firstOccurredAt, mark.occurredAt);
    u.lastOccurredAt = Math.max(u.lastOccurredAt, mark.occurredAt);
    if (!u.events.has(eventKey)) {
      u.events.add(eventKey);
      u.eventCount++;
    }
  }
  // Rows in one fixed order: two Postgres transactions upserting overlapping objects then lock them in the
  // same order and cannot deadlock each other.
  return [...units.values()].map(({ events: _events, mergedAt: _mergedAt, ...u }) => u).sort(byObject);
}

export function byObject(a: CoalescedUnit, b: CoalescedUnit): number {
  const ka = unitKey(a.objectType, a.objectId);
  const kb = unitKey(b.objectType, b.objectId);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function propertiesUnion(dialect: SqlDialect): RawBuilder<string> {
  if (dialect === 'postgres') {
    return sql<string>`case when excluded.properties = '[]' then work_items.properties
      else (select coalesce(json_agg(v order by v), '[]'::json)::text from (
        select jsonb_array_elements_text(work_items.properties::jsonb) as v
        union select jsonb_array_elements_text(excluded.properties::jsonb)) s) end`;
  }
  return sql<string>`case when excluded.properties = '[]' then work_items.properties
    else (select json_group_array(value) from (
      select value from json_each(work_items.properties)
      union select value from json_each(excluded.properties))) end`;
}

const least = (d: SqlDialect) => (d === 'postgres' ? sql.raw('least') : sql.raw('min'));
const greatest = (d: SqlDialect) => (d === 'postgres' ? sql.raw('greatest') : sql.raw('max'));

/**
 * Creates or coalesces units of work: one row per object, so a thousand events on a contact stay one unit.
 * A unit under lease is coalesced into as well; its bumped revision makes the worker's completion requeue it
 * instead of deleting it, so nothing that arrived during processing is lost.
 */
export async function upsertUnits(
  db: Kysely<Database>,
  dialect: SqlDialect,
  units: CoalescedUnit[],
  now: number,
  availableAt: number,
  options: { freshAttempts?: boolean } = {},
): Promise<void> {
  for (let i = 0; i < units.length; i += 200) {
    const chunk = units.slice(i, i + 200);
    const properties = chunk.map((u) => JSON.stringify([...u.properties].sort()));
    // The values in the order of the row objects below.
    const parameters: unknown[] = [];
    chunk.forEach((u, j) => {
      parameters.push(
        u.objectType, u.objectId, u.changes, properties[j], u.mergedInto, u.firstOccurredAt, u.lastOccurredAt, u.eventCount,
        0, null, 0, null, now, now, availableAt, null, null, null,
      );
    });
    const build = () => {
      const rows = chunk.map((u, j) => ({
        object_type: u.objectType,
        object_id: u.objectId,
        changes: u.changes,
        properties: properties[j]!,
        merged_into: u.mergedInto,
        first_occurred_at: u.firstOccurredAt,
        last_occurred_at: u.lastOccurredAt,
        event_count: u.eventCount,
        revision: 0,
        claimed_revision: null,
        attempts: 0,
        last_error: null,
        created_at: now,
        updated_at: now,
        available_at: availableAt,
        lease_owner: null,
        lease_token: null,
        lease_expires_at: null,
      }));
      return db
        .insertInto('work_items')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['object_type', 'object_id']).doUpdateSet({
            changes: sql<number>`work_items.changes | excluded.changes`,
            properties: propertiesUnion(dialect),
            merged_into: sql<string | null>`coalesce(excluded.merged_into, work_items.merged_into)`,
            first_occurred_at: sql<number>`${least(dialect)}(work_items.first_occurred_at, excluded.first_occurred_at)`,
            last_occurred_at: sql<number>`${greatest(dialect)}(work_items.last_occurred_at, excluded.last_occurred_at)`,
            event_count: sql<number>`work_items.event_count + excluded.event_count`,
            revision: sql<number>`work_items.revision + 1`,
            updated_at: sql<number>`excluded.updated_at`,
            // A retried dead letter promises fresh attempts even when it lands on a unit that has been
            // failing meanwhile; otherwise that unit's spent attempts would dead-letter it again at once.
            // The operator asked for it now, so it leaves any backoff the unit was waiting out too.
            ...(options.freshAttempts
              ? { attempts: 0, last_error: null, available_at: sql<number>`${least(dialect)}(work_items.available_at, excluded.available_at)` }
              : {}),
          }),
        );
    };
    await executeShaped(db, `${dialect}:work_items${options.freshAttempts ? ':fresh' : ''}:${chunk.length}`, parameters, build);
  }
}

/** What a unit of work and its dead letter share, read the same way from either table. */
function unitFields(r: WorkItemRow | DeadLetterRow) {
  return {
    id: r.id,
    objectType: r.object_type,
    objectId: r.object_id,
    changes: decodeChanges(r.changes),
    properties: (JSON.parse(r.properties) as string[]).sort(),
    mergedInto: r.merged_into,
    firstOccurredAt: r.first_occurred_at,
    lastOccurredAt: r.last_occurred_at,
    eventCount: r.event_count,
    attempts: r.attempts,
    lastError: r.last_error,
  };
}

export function toWorkUnit(r: WorkItemRow): WorkUnit {
  return { ...unitFields(r), createdAt: r.created_at, availableAt: r.available_at, leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at };
}

export function toDeadLetter(r: DeadLetterRow): DeadLetter {
  return { ...unitFields(r), lastError: r.last_error, failedAt: r.failed_at };
}

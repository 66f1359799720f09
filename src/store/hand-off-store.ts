import type { Kysely, Selectable } from 'kysely';
import type { Database, HandOffsTable } from './schema';
import type { HandOffMode, HandOffRecord } from './hand-off-types';

/** The hand-off log in SQL (table `hand_offs`, migration 0007). One function per operation, each taking `db`. */

const CHUNK = 500;

export function handOffFromRow(r: Selectable<HandOffsTable>): HandOffRecord {
  return {
    contactId: r.contact_id,
    mode: r.mode as HandOffMode,
    ownerId: r.owner_id,
    objectId: r.object_id,
    handedOffAt: Number(r.handed_off_at),
    dueAt: Number(r.due_at),
    attemptedAt: Number(r.attempted_at),
  };
}

/**
 * Inserts the rows whose contact has none, in one statement per chunk; `returning` names the rows inserted,
 * so of two workers racing for one contact exactly one gets it back (the primary key decides).
 */
export async function claimHandOffs(db: Kysely<Database>, rows: HandOffRecord[]): Promise<string[]> {
  const claimed: string[] = [];
  const unique = [...new Map(rows.map((r) => [r.contactId, r])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const inserted = await db
      .insertInto('hand_offs')
      .values(chunk.map((r) => ({ contact_id: r.contactId, mode: r.mode, owner_id: r.ownerId, object_id: r.objectId, handed_off_at: r.handedOffAt, due_at: r.dueAt, attempted_at: r.attemptedAt })))
      .onConflict((oc) => oc.column('contact_id').doNothing())
      .returning('contact_id')
      .execute();
    claimed.push(...inserted.map((r) => r.contact_id));
  }
  return claimed;
}

export async function setHandOffObject(db: Kysely<Database>, contactId: string, objectId: string): Promise<void> {
  await db.updateTable('hand_offs').set({ object_id: objectId }).where('contact_id', '=', contactId).execute();
}

export async function markHandOffAttempt(db: Kysely<Database>, contactIds: string[], at: number): Promise<void> {
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    await db.updateTable('hand_offs').set({ attempted_at: at }).where('contact_id', 'in', contactIds.slice(i, i + CHUNK)).execute();
  }
}

export async function handOffs(db: Kysely<Database>, contactIds: string[]): Promise<Map<string, HandOffRecord>> {
  const out = new Map<string, HandOffRecord>();
  const ids = [...new Set(contactIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('hand_offs').selectAll().where('contact_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.set(r.contact_id, handOffFromRow(r));
  }
  return out;
}

export async function handOffByObject(db: Kysely<Database>, objectId: string): Promise<HandOffRecord | null> {
  const row = await db.selectFrom('hand_offs').selectAll().where('object_id', '=', objectId).executeTakeFirst();
  return row ? handOffFromRow(row) : null;
}

export async function pendingHandOffs(db: Kysely<Database>, mode: HandOffMode, attemptedBefore: number, limit = 100): Promise<HandOffRecord[]> {
  const rows = await db
    .selectFrom('hand_offs')
    .selectAll()
    .where('mode', '=', mode)
    .where('object_id', 'is', null)
    .where('attempted_at', '<', attemptedBefore)
    .orderBy('attempted_at')
    .orderBy('contact_id')
    .limit(limit)
    .execute();
  return rows.map(handOffFromRow);
}

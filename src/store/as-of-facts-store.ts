import type { Kysely } from 'kysely';
import type { Database } from './schema';
import type { AsOfFactsRow } from './types';

/** Each converted lead's facts at its conversion (table `as_of_facts`, migration 0009). */

const CHUNK = 500;

/** Upserts by contact id, each row replacing the last one whole; of two rows for one contact, the later wins. */
export async function saveAsOfFacts(db: Kysely<Database>, rows: AsOfFactsRow[]): Promise<void> {
  const unique = [...new Map(rows.map((r) => [r.contactId, r])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    await db
      .insertInto('as_of_facts')
      .values(unique.slice(i, i + CHUNK).map((r) => ({ contact_id: r.contactId, as_of: r.asOf, contact: JSON.stringify(r.contact), company: r.company === null ? null : JSON.stringify(r.company) })))
      .onConflict((oc) =>
        oc.column('contact_id').doUpdateSet((eb) => ({ as_of: eb.ref('excluded.as_of'), contact: eb.ref('excluded.contact'), company: eb.ref('excluded.company') })),
      )
      .execute();
  }
}

/** Every stored row, or those of `contactIds`, by contact id. */
export async function listAsOfFacts(db: Kysely<Database>, contactIds?: string[]): Promise<Map<string, AsOfFactsRow>> {
  const out = new Map<string, AsOfFactsRow>();
  const add = (rows: Array<{ contact_id: string; as_of: number; contact: string; company: string | null }>) => {
    for (const r of rows) out.set(r.contact_id, { contactId: r.contact_id, asOf: Number(r.as_of), contact: JSON.parse(r.contact) as AsOfFactsRow['contact'], company: r.company === null ? null : (JSON.parse(r.company) as AsOfFactsRow['contact']) });
  };
  if (contactIds === undefined) {
    add(await db.selectFrom('as_of_facts').selectAll().orderBy('contact_id').execute());
    return out;
  }
  const ids = [...new Set(contactIds)];
  for (let i = 0; i < ids.length; i += CHUNK) add(await db.selectFrom('as_of_facts').selectAll().where('contact_id', 'in', ids.slice(i, i + CHUNK)).execute());
  return out;
}

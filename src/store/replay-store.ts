import type { Kysely } from 'kysely';
import type { DecisionRecord } from './mirror-types';
import { decisionRow } from './mirror-store';
import type { Database } from './schema';

/**
 * The audit log's side of a history replay (docs/replay.md): a contact's replayed decisions are replaced as a
 * whole, so replaying again (a resumed backfill, `uld replay` after a new definition) never doubles them, and
 * the product's own first look at a contact that predates it stops dating a stage once the replay dates it.
 */
export async function replaceReplayedDecisions(db: Kysely<Database>, contactIds: string[], rows: DecisionRecord[], firstLookBefore: number): Promise<void> {
  if (contactIds.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < contactIds.length; i += 500) {
      const part = contactIds.slice(i, i + 500);
      await trx.deleteFrom('decisions').where('contact_id', 'in', part).where('origin', 'in', ['replayed', 'before_history']).execute();
      // Each contact's earliest live decision made before the replay: the product's first sight of it. A
      // decision made by the worker later is a change it saw happen, and stays live.
      const earliest = trx
        .selectFrom('decisions')
        .select(({ fn }) => ['contact_id', fn.min('decided_at').as('first_at')])
        .where('contact_id', 'in', part)
        .where((eb) => eb.or([eb('origin', '=', 'live'), eb('origin', 'is', null)]))
        .groupBy('contact_id')
        .as('e');
      const firsts = await trx.selectFrom(earliest).select(['e.contact_id', 'e.first_at']).where('e.first_at', '<', firstLookBefore).execute();
      // A contact replayed before has its first look marked already: its earliest live decision now is a change.
      const marked = new Set((await trx.selectFrom('decisions').select('contact_id').distinct().where('contact_id', 'in', part).where('origin', '=', 'first_look').execute()).map((r) => r.contact_id));
      for (const f of firsts) {
        if (marked.has(f.contact_id)) continue;
        await trx
          .updateTable('decisions')
          .set({ origin: 'first_look' })
          .where('contact_id', '=', f.contact_id)
          .where('decided_at', '=', Number(f.first_at))
          .where((eb) => eb.or([eb('origin', '=', 'live'), eb('origin', 'is', null)]))
          .execute();
      }
    }
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('decisions').values(rows.slice(i, i + 200).map(decisionRow)).execute();
  });
}

import type { Compilable, Kysely } from 'kysely';
import type { CardData, DecisionRecord, VerdictRecord } from './mirror-types';
import { handOffFromRow } from './hand-off-store';
import { contactFromRow, decisionTextsFromRow, readDecision } from './mirror-store';
import { executeShaped } from './statement-cache';
import type { SqlDialect } from './migrations';
import type { Database } from './schema';
import { coalesce, upsertUnits } from './units';

/** The qualification card's reads and the verdict's write, in SQL (issue 13). */

const VERDICT_PATTERN = '%"uld_sales_feedback"%';

/**
 * Everything the card shows about one contact. Several indexed reads (the contact, its latest decision, its
 * status changes, its latest verdict write, its queued work), none of them a scan: each is bounded by the
 * contact's own rows. No transaction: on SQLite one would take the write lock for a read.
 */
export async function cardData(db: Kysely<Database>, dialect: SqlDialect, contactId: string, options: { historyLimit?: number } = {}): Promise<CardData> {
  const limit = Math.max(1, Math.min(options.historyLimit ?? 20, 200));
  // Compiled once per shape (statement-cache.ts): the card is read on every record a rep opens, and building
  // five queries through Kysely cost four times what SQLite takes to run them.
  const one = async <R>(shape: string, parameters: unknown[], build: () => Compilable<R>) => (await executeShaped(db, `${dialect}:card:${shape}`, parameters, build)).rows;
  const [contactRow] = await one('contact', [contactId], () => db.selectFrom('mirror_contacts').selectAll().where('id', '=', contactId));
  const [latest] = await one('latest', [contactId, 1], () => db.selectFrom('decisions').selectAll().where('contact_id', '=', contactId).orderBy('decided_at', 'desc').orderBy('id', 'desc').limit(1));
  // Status changes only: a decision whose reasons or scores moved but not its status is not history a rep reads.
  const changes = await one('history', [contactId, limit], () =>
    db
      .selectFrom('decisions')
      .select(['contact_id', 'definition_version', 'previous_status', 'status', 'fit_score', 'engagement_score', 'total_score', 'decided_at', 'origin'])
      .where('contact_id', '=', contactId)
      .where((eb) => eb.or([eb('previous_status', 'is', null), eb('previous_status', '<>', eb.ref('status'))]))
      .orderBy('decided_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit),
  );
  // Our own verdict writes name the property in their JSON; a rep's hand edit in HubSpot is not ours and has no row.
  const [verdictWrite] = await one('verdict', ['contacts', contactId, 'written', VERDICT_PATTERN, 1], () =>
    db
      .selectFrom('crm_writes')
      .select(['properties', 'actor', 'written_at'])
      .where('object_type', '=', 'contacts')
      .where('object_id', '=', contactId)
      .where('outcome', '=', 'written')
      .where('properties', 'like', VERDICT_PATTERN)
      .orderBy('written_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1),
  );
  const [work] = await one('work', ['contact', contactId, 1], () => db.selectFrom('work_items').select('id').where('object_type', '=', 'contact').where('object_id', '=', contactId).limit(1));
  const contact = contactRow ? contactFromRow(contactRow) : null;
  // The hand-off as recorded when it happened (HANDOFF_MODE, owner, SLA clock), when there is one.
  const [handOffRow] = await one('hand-off', [contactId], () => db.selectFrom('hand_offs').selectAll().where('contact_id', '=', contactId));
  const handOff = handOffRow ? handOffFromRow(handOffRow) : null;
  // The history shows statuses and scores; its reasons are not read.
  const statusHistory: DecisionRecord[] = changes.map((d) => decisionTextsFromRow(d, []));
  return {
    contact,
    decision: latest ? readDecision(latest) : null,
    statusHistory,
    lastVerdictWrite: verdictWrite
      ? { actor: verdictWrite.actor ?? null, verdict: (JSON.parse(verdictWrite.properties) as Record<string, string>).uld_sales_feedback ?? '', writtenAt: Number(verdictWrite.written_at) }
      : null,
    pending: work !== undefined,
    handOff,
  };
}

/**
 * A verdict HubSpot accepted, in one transaction: the mirror's feedback, the audit row, and a unit of work.
 * The mirror update is conditional, so a second delivery of the same verdict (HubSpot's retry racing the
 * first, another instance) finds nothing to change and records no second row.
 */
export async function recordVerdict(db: Kysely<Database>, dialect: SqlDialect, v: VerdictRecord, now: number): Promise<{ changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('mirror_contacts')
      .set({ feedback: v.verdict, feedback_at: v.at })
      .where('id', '=', v.contactId)
      .where((eb) => eb.or([eb('feedback', 'is', null), eb('feedback', '<>', v.verdict)]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return { changed: false };
    await trx
      .insertInto('crm_writes')
      .values({ object_type: 'contacts', object_id: v.contactId, properties: JSON.stringify(v.properties), outcome: 'written', error: null, written_at: v.writtenAt, actor: v.actor })
      .execute();
    // Our own write comes back as a webhook from our app and creates no work: the re-evaluation is queued here.
    const units = coalesce([{ mark: { objectType: 'contact', objectId: v.contactId, change: 'property_changed', property: 'uld_sales_feedback', occurredAt: v.at }, eventKey: 'verdict' }]);
    await upsertUnits(trx, dialect, units, now, now);
    return { changed: true };
  });
}




import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { LeadStatus } from '../definition/types';
import type { ReasonKind } from '../definition/types';
import type { AccountContactFacts, ContactHistory, DecisionOrigin, DecisionRecord, MirrorContact, MirrorDeal, StoredReason, WriteRecord } from './mirror-types';
import { coalesce, upsertUnits } from './units';
import type { SqlDialect } from './migrations';
import type { Database, DecisionsTable, MirrorContactsTable, MirrorDealsTable } from './schema';
import type { WorkMark } from './types';
import { chunks, num } from './rows';
import { metricsDealFromRow } from './metrics-mirror';

/** The sync engine's mirror and audit log in SQL. One function per operation, each taking `db`. */


export function contactFromRow(r: MirrorContactsTable): MirrorContact {
  return {
    id: r.id,
    createdAt: num(r.created_at),
    status: r.status as LeadStatus,
    fitScore: Number(r.fit_score),
    engagementScore: Number(r.engagement_score),
    totalScore: Number(r.total_score),
    definitionVersion: r.definition_version,
    qualifiedAt: num(r.qualified_at),
    convertedAt: num(r.converted_at),
    feedback: r.feedback,
    feedbackAt: num(r.feedback_at),
    source: r.source,
    companyId: r.company_id,
    evaluatedAt: Number(r.evaluated_at),
    deleted: Number(r.deleted) === 1,
    ownerId: r.owner_id ?? null,
    accountFacts: r.account_facts ? (JSON.parse(r.account_facts) as AccountContactFacts) : null,
  };
}

/** Decisions recorded before 0006 kept texts only: they read back as kind-less reasons. */
function detailsOf(details: string | null, texts: string[]): StoredReason[] {
  if (details === null) return texts.map((text) => ({ kind: null, ref: null, text }));
  return (JSON.parse(details) as Array<{ kind: ReasonKind | null; ref: string | null; points?: number; text: string }>).map((r) =>
    r.points === undefined ? { kind: r.kind, ref: r.ref, text: r.text } : { kind: r.kind, ref: r.ref, points: r.points, text: r.text },
  );
}

function decisionFromRow(d: Omit<Selectable<DecisionsTable>, 'id'>): DecisionRecord & { reasonDetails: StoredReason[] } {
  const reasons = JSON.parse(d.reasons) as string[];
  return { ...decisionTextsFromRow(d, reasons), reasonDetails: detailsOf(d.reason_details ?? null, reasons) };
}

/** One decision row as read, with its structured reasons (the card's latest decision). */
export const readDecision = decisionFromRow;

/** Without the structured reasons: the metrics read every contact's first decisions and never show them. */
export function decisionTextsFromRow(
  d: Pick<Selectable<DecisionsTable>, 'contact_id' | 'definition_version' | 'previous_status' | 'status' | 'fit_score' | 'engagement_score' | 'total_score' | 'decided_at'> & { reasons?: string; origin?: string | null },
  reasons = JSON.parse(d.reasons ?? '[]') as string[],
): DecisionRecord {
  return {
    contactId: d.contact_id,
    definitionVersion: d.definition_version,
    previousStatus: d.previous_status as LeadStatus | null,
    status: d.status as LeadStatus,
    fitScore: Number(d.fit_score),
    engagementScore: Number(d.engagement_score),
    totalScore: Number(d.total_score),
    reasons,
    decidedAt: Number(d.decided_at),
    origin: (d.origin ?? 'live') as DecisionOrigin,
  };
}

function dealFromRow(r: MirrorDealsTable): MirrorDeal {
  return { ...metricsDealFromRow(r), pipeline: r.pipeline, stage: r.stage, stageEnteredAt: num(r.stage_entered_at), companyId: r.company_id };
}

export async function getContacts(db: Kysely<Database>, ids: string[]): Promise<Map<string, MirrorContact>> {
  const out = new Map<string, MirrorContact>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('mirror_contacts').selectAll().where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, contactFromRow(r));
  }
  return out;
}

/** A contact as its row (also the benchmark's bulk load: one mapping of fields to columns). */
export function contactRow(c: MirrorContact): Insertable<MirrorContactsTable> {
  return {
    id: c.id,
    created_at: c.createdAt,
    status: c.status,
    fit_score: c.fitScore,
    engagement_score: c.engagementScore,
    total_score: c.totalScore,
    definition_version: c.definitionVersion,
    qualified_at: c.qualifiedAt,
    converted_at: c.convertedAt,
    feedback: c.feedback,
    feedback_at: c.feedbackAt,
    source: c.source,
    company_id: c.companyId,
    evaluated_at: c.evaluatedAt,
    deleted: c.deleted ? 1 : 0,
    owner_id: c.ownerId ?? null,
    account_facts: c.accountFacts ? JSON.stringify(c.accountFacts) : null,
  };
}

export async function upsertContacts(db: Kysely<Database>, rows: MirrorContact[]): Promise<void> {
  for (const part of chunks(rows, 200)) {
    await db
      .insertInto('mirror_contacts')
      .values(part.map(contactRow))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          created_at: eb.ref('excluded.created_at'),
          status: eb.ref('excluded.status'),
          fit_score: eb.ref('excluded.fit_score'),
          engagement_score: eb.ref('excluded.engagement_score'),
          total_score: eb.ref('excluded.total_score'),
          definition_version: eb.ref('excluded.definition_version'),
          // Facts about the past are kept once known, even if a later read comes back without them.
          qualified_at: sql`coalesce(mirror_contacts.qualified_at, excluded.qualified_at)`,
          converted_at: sql`coalesce(mirror_contacts.converted_at, excluded.converted_at)`,
          feedback: eb.ref('excluded.feedback'),
          feedback_at: eb.ref('excluded.feedback_at'),
          source: eb.ref('excluded.source'),
          company_id: eb.ref('excluded.company_id'),
          evaluated_at: eb.ref('excluded.evaluated_at'),
          deleted: eb.ref('excluded.deleted'),
          // As read from HubSpot (hubspot_owner_id), null when unowned: the worker always reads it.
          owner_id: eb.ref('excluded.owner_id'),
          account_facts: eb.ref('excluded.account_facts'),
        })),
      )
      .execute();
  }
}

export async function markDeleted(db: Kysely<Database>, objectType: 'contact' | 'deal' | 'company', ids: string[]): Promise<void> {
  if (objectType === 'company') {
    // A deleted company no longer counts its contacts; the contacts themselves stay.
    for (const part of chunks(ids)) await db.updateTable('mirror_contacts').set({ company_id: null }).where('company_id', 'in', part).execute();
    for (const part of chunks(ids)) await db.updateTable('mirror_accounts').set({ deleted: 1 }).where('id', 'in', part).execute();
    return;
  }
  const table = objectType === 'contact' ? 'mirror_contacts' : 'mirror_deals';
  for (const part of chunks(ids)) await db.updateTable(table).set({ deleted: 1 }).where('id', 'in', part).execute();
}

export async function contactsOfCompanies(db: Kysely<Database>, companyIds: string[]): Promise<MirrorContact[]> {
  const out: MirrorContact[] = [];
  for (const part of chunks([...new Set(companyIds)])) {
    const rows = await db.selectFrom('mirror_contacts').selectAll().where('company_id', 'in', part).where('deleted', '=', 0).execute();
    out.push(...rows.map(contactFromRow));
  }
  return out;
}

export async function getDeals(db: Kysely<Database>, ids: string[]): Promise<Map<string, MirrorDeal>> {
  const out = new Map<string, MirrorDeal>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('mirror_deals').selectAll().where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, dealFromRow(r));
  }
  return out;
}

/** A deal as its row (its contacts go to mirror_deal_contacts, one row per pair). */
export function dealRow(d: MirrorDeal): Insertable<MirrorDealsTable> {
  return {
    id: d.id,
    created_at: d.createdAt,
    closed_at: d.closedAt,
    closed: d.closed ? 1 : 0,
    won: d.won ? 1 : 0,
    amount: d.amount,
    pipeline: d.pipeline,
    stage: d.stage,
    stage_entered_at: d.stageEnteredAt,
    company_id: d.companyId,
    contact_ids: JSON.stringify(d.contactIds),
    status_at_creation: d.statusAtCreation,
    deleted: d.deleted ? 1 : 0,
  };
}

export async function upsertDeals(db: Kysely<Database>, rows: MirrorDeal[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const part of chunks(rows, 200)) {
      await trx
        .insertInto('mirror_deals')
        .values(part.map(dealRow))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            created_at: eb.ref('excluded.created_at'),
            closed_at: eb.ref('excluded.closed_at'),
            closed: eb.ref('excluded.closed'),
            won: eb.ref('excluded.won'),
            amount: eb.ref('excluded.amount'),
            pipeline: eb.ref('excluded.pipeline'),
            stage: eb.ref('excluded.stage'),
            stage_entered_at: eb.ref('excluded.stage_entered_at'),
            company_id: eb.ref('excluded.company_id'),
            contact_ids: eb.ref('excluded.contact_ids'),
            status_at_creation: sql`coalesce(mirror_deals.status_at_creation, excluded.status_at_creation)`,
            deleted: eb.ref('excluded.deleted'),
          })),
        )
        .execute();
      await trx.deleteFrom('mirror_deal_contacts').where('deal_id', 'in', part.map((d) => d.id)).execute();
      const pairs = part.flatMap((d) => d.contactIds.map((c) => ({ deal_id: d.id, contact_id: c })));
      for (const p of chunks(pairs, 400)) await trx.insertInto('mirror_deal_contacts').values(p).execute();
    }
  });
}

export async function dealsOfContacts(db: Kysely<Database>, contactIds: string[]): Promise<MirrorDeal[]> {
  const out = new Map<string, MirrorDeal>();
  for (const part of chunks([...new Set(contactIds)])) {
    const rows = await db
      .selectFrom('mirror_deals')
      .innerJoin('mirror_deal_contacts', 'mirror_deal_contacts.deal_id', 'mirror_deals.id')
      .selectAll('mirror_deals')
      .where('mirror_deal_contacts.contact_id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.id, dealFromRow(r));
  }
  return [...out.values()];
}

/**
 * Each contact's latest decision at or before `at`, in one query per 500 contacts (a window over the
 * (contact_id, decided_at) index; SQLite and Postgres both have ROW_NUMBER), not one query per contact.
 */
export async function statusesAt(db: Kysely<Database>, contactIds: string[], at: number): Promise<Map<string, LeadStatus>> {
  const out = new Map<string, LeadStatus>();
  for (const part of chunks([...new Set(contactIds)], 500)) {
    const latest = db
      .selectFrom('decisions')
      .select(['contact_id', 'status', sql<number>`row_number() over (partition by contact_id order by decided_at desc, id desc)`.as('rank')])
      .where('contact_id', 'in', part)
      .where('decided_at', '<=', at)
      .as('latest');
    const rows = await db.selectFrom(latest).select(['latest.contact_id', 'latest.status']).where('latest.rank', '=', 1).execute();
    for (const r of rows) out.set(r.contact_id, r.status as LeadStatus);
  }
  return out;
}

/** A decision as its row; a decision without an origin is `live`. */
export function decisionRow(d: DecisionRecord): Insertable<DecisionsTable> {
  return {
    contact_id: d.contactId,
    definition_version: d.definitionVersion,
    previous_status: d.previousStatus,
    status: d.status,
    fit_score: d.fitScore,
    engagement_score: d.engagementScore,
    total_score: d.totalScore,
    reasons: JSON.stringify(d.reasons),
    decided_at: d.decidedAt,
    reason_details: d.reasonDetails ? JSON.stringify(d.reasonDetails.map((r) => ({ kind: r.kind, ref: r.ref, ...(r.points === undefined ? {} : { points: r.points }), text: r.text }))) : null,
    origin: d.origin ?? 'live',
  };
}

export async function recordDecisions(db: Kysely<Database>, rows: DecisionRecord[]): Promise<void> {
  for (const part of chunks(rows, 200)) await db.insertInto('decisions').values(part.map(decisionRow)).execute();
}

export async function definitionVersions(db: Kysely<Database>): Promise<Array<{ version: string; firstAt: number; lastAt: number; decisions: number }>> {
  const rows = await db
    .selectFrom('decisions')
    .select(['definition_version', (eb) => eb.fn.min('decided_at').as('first_at'), (eb) => eb.fn.max('decided_at').as('last_at'), (eb) => eb.fn.countAll().as('n')])
    .groupBy('definition_version')
    .execute();
  return rows.map((r) => ({ version: r.definition_version, firstAt: Number(r.first_at), lastAt: Number(r.last_at), decisions: Number(r.n) })).sort((a, b) => a.firstAt - b.firstAt);
}

export async function lastWrittenAt(db: Kysely<Database>, objectType: string, ids: string[], options: { includeRejected?: boolean } = {}): Promise<Map<string, number>> {
  const outcomes = options.includeRejected ? ['written', 'rejected'] : ['written'];
  const out = new Map<string, number>();
  for (const part of chunks([...new Set(ids)], 500)) {
    const rows = await db
      .selectFrom('crm_writes')
      .select(['object_id', (eb) => eb.fn.max('written_at').as('at')])
      .where('object_type', '=', objectType)
      .where('object_id', 'in', part)
      .where('outcome', 'in', outcomes)
      .groupBy('object_id')
      .execute();
    for (const r of rows) out.set(r.object_id, Number(r.at));
  }
  return out;
}

export async function recordWrites(db: Kysely<Database>, rows: WriteRecord[]): Promise<void> {
  for (const part of chunks(rows, 200)) {
    await db
      .insertInto('crm_writes')
      .values(part.map((w) => ({ object_type: w.objectType, object_id: w.objectId, properties: JSON.stringify(w.properties), outcome: w.outcome, error: w.error ?? null, written_at: w.writtenAt, actor: w.actor ?? null })))
      .execute();
  }
}

export async function history(db: Kysely<Database>, contactId: string, limit = 50): Promise<ContactHistory> {
  const contact = (await getContacts(db, [contactId])).get(contactId) ?? null;
  const decisions = await db.selectFrom('decisions').selectAll().where('contact_id', '=', contactId).orderBy('decided_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  const writes = await db.selectFrom('crm_writes').selectAll().where('object_type', '=', 'contacts').where('object_id', '=', contactId).orderBy('written_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return {
    contact,
    decisions: decisions.map((d) => ({ id: Number(d.id), ...decisionFromRow(d) })),
    writes: writes.map((w) => ({
      id: Number(w.id),
      objectType: w.object_type,
      objectId: w.object_id,
      properties: JSON.parse(w.properties) as Record<string, string>,
      outcome: w.outcome as WriteRecord['outcome'],
      ...(w.error ? { error: w.error } : {}),
      writtenAt: Number(w.written_at),
      actor: w.actor ?? null,
    })),
  };
}

/** Follow-up work found by the worker: units created or coalesced like an ingest, without an event. */
export async function markDirty(db: Kysely<Database>, dialect: SqlDialect, marks: WorkMark[], now: number, availableAt: number): Promise<number> {
  if (marks.length === 0) return 0;
  const units = coalesce(marks.map((mark, i) => ({ mark, eventKey: `follow-up:${i}` })));
  await db.transaction().execute((trx) => upsertUnits(trx, dialect, units, now, availableAt));
  return units.length;
}

/**
 * The mirror for the metrics, in one read: contacts, deals, and each contact's first decision of each status.
 * Deleted rows are returned flagged (the metrics skip them). Ties on the first time keep the earliest id.
 */
export async function listMirror(
  db: Kysely<Database>,
  options: { since?: number; decisions?: boolean } = {},
): Promise<{ contacts: MirrorContact[]; deals: MirrorDeal[]; decisions: DecisionRecord[] }> {
  const { since } = options;
  let contactQuery = db.selectFrom('mirror_contacts').selectAll().orderBy('id');
  let dealQuery = db.selectFrom('mirror_deals').selectAll().orderBy('id');
  if (since !== undefined) {
    contactQuery = contactQuery.where('created_at', '>=', since);
    dealQuery = dealQuery.where('created_at', '>=', since);
  }
  const contacts = (await contactQuery.execute()).map(contactFromRow);
  const deals = (await dealQuery.execute()).map(dealFromRow);
  // The firsts below are the costliest part (a group-by over the whole audit log): skipped when not wanted.
  if (options.decisions === false) return { contacts, deals, decisions: [] };

  // The first time each (contact, status) was decided by each origin, joined back to its row: one row per
  // status and origin, whatever the number of re-evaluations since. The metrics need the origins apart: only
  // live and replayed decisions date a stage (a first look or a status held before history only shows it reached).
  const rows = await db
    .selectFrom('decisions as d')
    .innerJoin(
      (eb) => {
        let firsts = eb.selectFrom('decisions').select(['contact_id', 'status', 'origin', eb.fn.min('decided_at').as('first_at')]).groupBy(['contact_id', 'origin', 'status']);
        if (since !== undefined) {
          firsts = firsts.where('contact_id', 'in', eb.selectFrom('mirror_contacts').select('mirror_contacts.id').where('mirror_contacts.created_at', '>=', since));
        }
        return firsts.as('f');
      },
      (join) => join.onRef('f.contact_id', '=', 'd.contact_id').onRef('f.status', '=', 'd.status').onRef('f.first_at', '=', 'd.decided_at'),
    )
    .selectAll('d')
    .orderBy('d.decided_at')
    .orderBy('d.id')
    .execute();
  const seen = new Set<string>();
  const decisions: DecisionRecord[] = [];
  // The join is on the time, not the origin (a null origin joins on neither dialect's '='): a row of another
  // origin at the same instant may come along, and the first row of each origin in time order is its first.
  for (const d of rows) {
    const key = `${d.contact_id}\u0000${d.status}\u0000${d.origin ?? 'live'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    decisions.push(decisionTextsFromRow(d));
  }
  return { contacts, deals, decisions };
}

import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { LeadStatus } from '../definition/types';
import type { ContactWithFirsts, DecisionOrigin, FirstDecision, MirrorDeal } from '../sync/mirror';
import { dealFromRow } from './mirror-store';
import { num } from './rows';
import type { Database } from './schema';

/**
 * The mirror as the metrics read it at scale (docs/metrics.md, "At scale"): the deals at once, the contacts
 * streamed a page at a time in id order, each page with its contacts' first decisions. A million contacts
 * never sit in memory together, and the audit log is read as its firsts only (a group-by over the
 * (contact_id, decided_at) index, one id range per page), never row by row.
 */

export interface CreatedWindow {
  /** Epoch ms: created at or after it. */
  since?: number;
  /** Epoch ms: created before it. */
  until?: number;
}

export const CONTACT_PAGE_SIZE = 5_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function createdIn<Q extends SelectQueryBuilder<Database, any, any>>(q: Q, column: 'created_at', w: CreatedWindow): Q {
  let out = q;
  if (w.since !== undefined) out = out.where(column, '>=', w.since) as Q;
  if (w.until !== undefined) out = out.where(column, '<', w.until) as Q;
  return out;
}

export async function listDeals(db: Kysely<Database>, window: CreatedWindow = {}): Promise<MirrorDeal[]> {
  const rows = await createdIn(db.selectFrom('mirror_deals').selectAll().orderBy('id'), 'created_at', window).execute();
  return rows.map(dealFromRow);
}

export async function* contactsWithFirsts(db: Kysely<Database>, options: CreatedWindow & { pageSize?: number } = {}): AsyncGenerator<ContactWithFirsts[]> {
  const pageSize = options.pageSize ?? CONTACT_PAGE_SIZE;
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('mirror_contacts')
      .select(['id', 'created_at', 'status', 'qualified_at', 'converted_at', 'feedback', 'feedback_at', 'source', 'deleted', 'evaluated_at', 'definition_version'])
      .orderBy('id')
      .limit(pageSize);
    if (after !== null) q = q.where('id', '>', after);
    const rows = await createdIn(q, 'created_at', options).execute();
    if (rows.length === 0) return;
    const first = rows[0].id;
    const last = rows[rows.length - 1].id;
    // The first time each (contact, status) was decided by each origin, over the page's id range (with a
    // window, contacts of the range outside it come along and are not asked for).
    const firstRows = await db
      .selectFrom('decisions')
      .select(['contact_id', 'status', 'origin', (eb) => eb.fn.min('decided_at').as('first_at')])
      .where('contact_id', '>=', first)
      .where('contact_id', '<=', last)
      .groupBy(['contact_id', 'status', 'origin'])
      .execute();
    const firsts = new Map<string, FirstDecision[]>();
    for (const f of firstRows) {
      const decision: FirstDecision = { status: f.status as LeadStatus, decidedAt: Number(f.first_at), origin: (f.origin ?? 'live') as DecisionOrigin };
      const list = firsts.get(f.contact_id);
      if (list) list.push(decision);
      else firsts.set(f.contact_id, [decision]);
    }
    yield rows.map((r) => ({
      contact: {
        id: r.id,
        createdAt: num(r.created_at),
        status: r.status as LeadStatus,
        qualifiedAt: num(r.qualified_at),
        convertedAt: num(r.converted_at),
        feedback: r.feedback,
        feedbackAt: num(r.feedback_at),
        source: r.source,
        deleted: Number(r.deleted) === 1,
        evaluatedAt: Number(r.evaluated_at),
        definitionVersion: r.definition_version,
      },
      firsts: firsts.get(r.id) ?? [],
    }));
    if (rows.length < pageSize) return;
    after = last;
  }
}

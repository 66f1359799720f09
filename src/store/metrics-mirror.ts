import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { LeadStatus } from '../definition/types';
import type { ContactWithFirsts, FirstDecision, MetricsContact, MetricsDeal } from './mirror-types';
import { num } from './rows';
import type { Database, MirrorDealsTable } from './schema';

/** The deal columns the figures read. */
const METRICS_DEAL_COLUMNS = ['id', 'created_at', 'closed_at', 'closed', 'won', 'amount', 'contact_ids', 'status_at_creation', 'deleted'] as const;

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

/**
 * Contacts per page. Small enough that a page's rows die young (the garbage collector's nursery): at 5,000 a
 * million-contact read peaked at about 560 MB RSS, at 1,000 at about 340 MB, for the same CPU time.
 */
export const CONTACT_PAGE_SIZE = 1_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function createdIn<Q extends SelectQueryBuilder<Database, any, any>>(q: Q, column: 'created_at', w: CreatedWindow): Q {
  let out = q;
  if (w.since !== undefined) out = out.where(column, '>=', w.since) as Q;
  if (w.until !== undefined) out = out.where(column, '<', w.until) as Q;
  return out;
}

export async function listDeals(db: Kysely<Database>, window: CreatedWindow = {}): Promise<MetricsDeal[]> {
  const rows = await createdIn(db.selectFrom('mirror_deals').select(METRICS_DEAL_COLUMNS).orderBy('id'), 'created_at', window).execute();
  return rows.map(metricsDealFromRow);
}

/** A deal row as the figures read it; the mirror's full deal adds its pipeline, stage and company (mirror-store.ts). */
export function metricsDealFromRow(r: Pick<MirrorDealsTable, (typeof METRICS_DEAL_COLUMNS)[number]>): MetricsDeal {
  return {
    id: r.id,
    createdAt: num(r.created_at),
    closedAt: num(r.closed_at),
    closed: Number(r.closed) === 1,
    won: Number(r.won) === 1,
    amount: num(r.amount),
    contactIds: JSON.parse(r.contact_ids) as string[],
    statusAtCreation: r.status_at_creation as LeadStatus | null,
    deleted: Number(r.deleted) === 1,
  };
}

export async function* contactsWithFirsts(db: Kysely<Database>, options: CreatedWindow & { pageSize?: number } = {}): AsyncGenerator<ContactWithFirsts[]> {
  const pageSize = options.pageSize ?? CONTACT_PAGE_SIZE;
  let after: string | null = null;
  for (;;) {
    // Named as the fields are, so each row is its contact (only `deleted` is turned into a boolean in
    // place): at a million contacts a copy per row is a million objects more for the garbage collector.
    let q = db
      .selectFrom('mirror_contacts')
      .select(['id', 'created_at as createdAt', 'status', 'qualified_at as qualifiedAt', 'converted_at as convertedAt', 'feedback', 'feedback_at as feedbackAt', 'source', 'deleted', 'evaluated_at as evaluatedAt', 'definition_version as definitionVersion'])
      .orderBy('id')
      .limit(pageSize);
    if (after !== null) q = q.where('id', '>', after);
    const rows = await createdIn(q, 'created_at', options).execute();
    if (rows.length === 0) return;
    const first = rows[0].id;
    const last = rows[rows.length - 1].id;
    // The first time each (contact, status) was decided by each origin, over the page's id range (with a
    // window, contacts of the range outside it come along and are not asked for). A row recorded before
    // origins were kept is live.
    const firstRows = await db
      .selectFrom('decisions')
      .select(['contact_id', 'status', (eb) => eb.fn.coalesce('origin', sql<string>`'live'`).as('origin'), (eb) => eb.fn.min('decided_at').as('decidedAt')])
      .where('contact_id', '>=', first)
      .where('contact_id', '<=', last)
      // In the order of the (contact_id, origin, status, decided_at) index, which answers the query alone.
      .groupBy(['contact_id', 'origin', 'status'])
      .execute();
    const firsts = new Map<string, FirstDecision[]>();
    for (const f of firstRows) {
      const decision = f as unknown as FirstDecision;
      const list = firsts.get(f.contact_id);
      if (list) list.push(decision);
      else firsts.set(f.contact_id, [decision]);
    }
    yield rows.map((r) => {
      const contact = r as unknown as MetricsContact;
      contact.deleted = Number(r.deleted) === 1;
      return { contact, firsts: firsts.get(r.id) ?? [] };
    });
    if (rows.length < pageSize) return;
    after = last;
  }
}

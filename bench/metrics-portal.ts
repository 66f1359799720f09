import type { LeadStatus } from '../src/definition/types';
import { openStore } from '../src/store';
import { contactRow, dealRow, decisionRow } from '../src/store/mirror-store';
import { loadSqlite } from '../src/store/sqlite-binding';
import type { DecisionOrigin, DecisionRecord, MirrorContact, MirrorDeal } from '../src/store/mirror-types';
import { seededRandom } from './synthetic-leads';

/**
 * An enterprise portal for the metrics at scale: `contacts` contacts, exactly `deals` deals, and an audit
 * log that has grown as a real one does (the first decision of each status, re-evaluations at the same
 * status, first looks and replayed history among the origins), deterministic from a seed. Generated one
 * contact at a time and written straight into a SQLite file with prepared statements in one transaction,
 * so a million contacts load in seconds and never sit in memory together.
 */

export const PORTAL_NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const SOURCES = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'DIRECT_TRAFFIC', 'REFERRALS', 'SOCIAL_MEDIA', 'EMAIL_MARKETING', 'OFFLINE', null];
const REJECTIONS = ['rejected_misrouted', 'rejected_bad_data', 'rejected_below_definition'];

export interface PortalShape {
  contacts: number;
  deals: number;
  seed?: number;
}

/** One contact with the deals created from it (0 or 1, a tenth of them shared with the next contact) and its decisions. */
export interface PortalRecord {
  contact: MirrorContact;
  deals: MirrorDeal[];
  decisions: DecisionRecord[];
}

export function* portalRecords(shape: PortalShape): Generator<PortalRecord> {
  const rnd = seededRandom(shape.seed ?? 16);
  const { contacts: n, deals: dealCount } = shape;
  let dealsMade = 0;
  for (let i = 0; i < n; i++) {
    const id = String(1_000_000 + i);
    const createdAt = rnd() < 0.001 ? null : PORTAL_NOW - Math.floor(rnd() * 540 * DAY);
    const born = createdAt ?? PORTAL_NOW - 600 * DAY;
    const roll = rnd();
    const status: LeadStatus = roll < 0.06 ? 'sales_ready' : roll < 0.15 ? 'marketing_qualified' : roll < 0.2 ? 'needs_data' : roll < 0.25 ? 'disqualified' : 'nurture';
    const originRoll = rnd();
    // Most contacts were seen live; some existed before the install (a first look), some were replayed from history.
    const origin: DecisionOrigin = originRoll < 0.8 ? 'live' : originRoll < 0.9 ? 'first_look' : originRoll < 0.97 ? 'replayed' : 'before_history';
    const decisions: DecisionRecord[] = [];
    const decide = (previousStatus: LeadStatus | null, s: LeadStatus, decidedAt: number, o: DecisionOrigin = origin) =>
      decisions.push({ contactId: id, definitionVersion: rnd() < 0.5 ? '7' : '6', previousStatus, status: s, fitScore: 40, engagementScore: 30, totalScore: 70, reasons: [`status: ${s}`], decidedAt, origin: o });
    decide(null, 'nurture', born + 60_000);
    let qualifiedAt: number | null = null;
    let feedback: string | null = null;
    let feedbackAt: number | null = null;
    if (status === 'marketing_qualified' || status === 'sales_ready') decide('nurture', 'marketing_qualified', born + Math.floor(rnd() * 20 * DAY));
    if (status === 'sales_ready') {
      qualifiedAt = born + Math.floor((20 + rnd() * 20) * DAY);
      decide('marketing_qualified', 'sales_ready', qualifiedAt, origin === 'first_look' ? 'live' : origin);
      const verdict = rnd();
      if (qualifiedAt < PORTAL_NOW - 3 * DAY && verdict < 0.85) {
        feedbackAt = qualifiedAt + Math.floor(rnd() * 96 * 3_600_000);
        feedback = verdict < 0.7 ? 'accepted' : REJECTIONS[Math.floor(rnd() * REJECTIONS.length)]!;
      }
    } else if (status === 'needs_data' || status === 'disqualified') decide('nurture', status, born + Math.floor(rnd() * 30 * DAY));
    // Re-evaluations at the same status: the log grows, the firsts do not.
    const last = decisions[decisions.length - 1]!;
    for (let k = Math.floor(rnd() * 3); k > 0; k--) decide(last.status, last.status, last.decidedAt + Math.floor(rnd() * 60 * DAY), 'live');

    // Exactly `deals` deals over `contacts` contacts, spread evenly: contact i makes one when the running quota moves.
    const deals: MirrorDeal[] = [];
    let convertedAt: number | null = null;
    if (Math.floor(((i + 1) * dealCount) / n) > dealsMade) {
      const dealCreated = rnd() < 0.02 ? null : (feedbackAt ?? born) + Math.floor(rnd() * 30 * DAY);
      if (feedback === 'accepted' && dealCreated !== null) convertedAt = dealCreated;
      const closed = dealCreated !== null && dealCreated < PORTAL_NOW - 30 * DAY && rnd() < 0.6;
      const won = closed && rnd() < 0.33;
      const closedAt = closed ? Math.min(PORTAL_NOW, dealCreated + Math.floor((rnd() * 150 - 5) * DAY)) : null;
      const linkRoll = rnd();
      deals.push({
        id: String(9_000_000 + dealsMade),
        createdAt: dealCreated,
        closedAt,
        closed,
        won,
        amount: rnd() < 0.05 ? null : Math.round(5_000 + rnd() * 95_000),
        pipeline: 'default',
        stage: won ? 'closedwon' : closed ? 'closedlost' : 'qualifiedtobuy',
        stageEnteredAt: dealCreated,
        companyId: String(5_000_000 + (i % 20_000)),
        // Most deals have one contact; some are shared with the next contact, a few have none.
        contactIds: linkRoll < 0.02 ? [] : linkRoll < 0.12 && i + 1 < n ? [id, String(1_000_000 + i + 1)] : [id],
        statusAtCreation: rnd() < 0.1 ? null : status === 'sales_ready' || status === 'marketing_qualified' ? status : 'nurture',
        deleted: rnd() < 0.01,
      });
      dealsMade++;
    }
    const contact: MirrorContact = {
      id,
      createdAt,
      status,
      fitScore: 40,
      engagementScore: 30,
      totalScore: 70,
      definitionVersion: decisions[decisions.length - 1]!.definitionVersion,
      qualifiedAt,
      convertedAt,
      feedback,
      feedbackAt,
      source: SOURCES[Math.floor(rnd() * SOURCES.length)] ?? null,
      companyId: String(5_000_000 + (i % 20_000)),
      evaluatedAt: PORTAL_NOW - Math.floor(rnd() * DAY),
      deleted: rnd() < 0.01,
      ownerId: null,
      accountFacts: null,
    };
    yield { contact, deals, decisions };
  }
}

type SqliteDatabase = InstanceType<ReturnType<typeof loadSqlite>>;

/** Rows of one table are inserted BATCH at a time, one multi-row statement prepared once per row count. */
const BATCH = 100;

/**
 * Collects a table's rows (objects from the store's own row mappings, whose keys name the columns) and
 * inserts them BATCH at a time: one native call per batch, not per row.
 */
class TableLoader {
  private columns: string[] | null = null;
  private values: unknown[] = [];
  private rows = 0;
  private readonly statements = new Map<number, ReturnType<SqliteDatabase['prepare']>>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly table: string,
  ) {}

  add(row: Record<string, unknown>): void {
    this.columns ??= Object.keys(row);
    for (const c of this.columns) this.values.push(row[c]);
    if (++this.rows === BATCH) this.flush();
  }

  flush(): void {
    if (this.rows === 0 || this.columns === null) return;
    let stmt = this.statements.get(this.rows);
    if (!stmt) {
      const one = `(${this.columns.map(() => '?').join(', ')})`;
      stmt = this.db.prepare(`insert into ${this.table} (${this.columns.join(', ')}) values ${Array.from({ length: this.rows }, () => one).join(', ')}`);
      this.statements.set(this.rows, stmt);
    }
    stmt.run(this.values);
    this.values = [];
    this.rows = 0;
  }
}

/**
 * Creates the SQLite store at `file` (migrated) and loads the portal into it; returns what was written.
 * The rows go through the store's row mappings (contactRow, dealRow, decisionRow), so they read back as
 * the product's own writes would.
 */
export async function writePortal(file: string, shape: PortalShape): Promise<{ contacts: number; deals: number; decisions: number }> {
  await (await openStore(`sqlite:${file}`)).close();
  const Sqlite = loadSqlite();
  const db = new Sqlite(file);
  // A throwaway load: durability buys nothing here, and a rollback journal (no WAL) with a large page cache
  // keeps the one big transaction from spilling pages twice. The store sets WAL again when it opens the file.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const counts = { contacts: 0, deals: 0, decisions: 0 };
  const contacts = new TableLoader(db, 'mirror_contacts');
  const deals = new TableLoader(db, 'mirror_deals');
  const links = new TableLoader(db, 'mirror_deal_contacts');
  const decisions = new TableLoader(db, 'decisions');
  // The secondary indexes are built once after the load (a sort) rather than row by row, then restored as
  // the migrations made them.
  const indexes = db.prepare("select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('mirror_contacts', 'mirror_deals', 'mirror_deal_contacts', 'decisions')").all() as Array<{ name: string; sql: string }>;
  try {
    for (const i of indexes) db.exec(`drop index "${i.name}"`);
    const load = db.transaction(() => {
      for (const r of portalRecords(shape)) {
        contacts.add(contactRow(r.contact));
        counts.contacts++;
        for (const d of r.deals) {
          deals.add(dealRow(d));
          for (const contactId of d.contactIds) links.add({ deal_id: d.id, contact_id: contactId });
          counts.deals++;
        }
        for (const d of r.decisions) decisions.add(decisionRow(d));
        counts.decisions += r.decisions.length;
      }
      for (const t of [contacts, deals, links, decisions]) t.flush();
    });
    load();
    for (const i of indexes) db.exec(i.sql);
  } finally {
    db.close();
  }
  return counts;
}

import type { CompiledDefinition, LeadStatus } from '../definition';
import type { CrmGateway, HistoryRecord } from '../hubspot/types';
import { DEFAULT_HISTORY_BOUND, factsAsOf, replayContact, type HistoryPoint, type RecordPast, type ReplayResult, type StatusChange } from '../replay';
import type { AsOfFactsRow } from '../store/types';
import type { DecisionRecord, StoredReason } from '../store/mirror-types';

/**
 * The I/O side of history replay (the pure core is src/replay/, the method docs/replay.md): for one engine
 * block of contacts, read the property history of every input the definition uses, for the contacts and
 * their primary companies, with HubSpot's batch read `propertiesWithHistory` (50 records per call), and
 * replay the definition over each contact's past.
 *
 * Companies are shared by many contacts, and their contacts come in any order: a company's past read for
 * one block is kept for later blocks (up to COMPANY_CACHE companies, the least recently used dropped), so a
 * portal's companies are read about once, not once per block they appear in.
 *
 * A kept past is what the replay reads and no more, as compact JSON text (keptText): per company input,
 * today's value then each point's time and value. As read, a company's past is about 2 KB of objects
 * (HubSpot's default properties, each point's source): kept that way, the 20,000 companies of the benchmark
 * portal held 40 MB of live heap through the whole backfill (about 60 MB of RSS at V8's heap growth), as
 * objects with only what the replay reads 25 MB, as this text under 10 MB. Parsed again per block: about a
 * millisecond for a block's companies.
 */

/** Companies whose past is kept between blocks: under 10 MB at the definition's handful of company inputs. */
const COMPANY_CACHE = 20_000;

/** The reason line every replayed decision carries: what it rests on. */
export const REPLAY_REF = 'history_replay';

export interface HistoryReplayOptions {
  gateway: Pick<CrmGateway, 'readHistories'>;
  /** HubSpot's per-property history bound (docs/replay.md); DEFAULT_HISTORY_BOUND when absent. */
  bound?: number;
}

/** A contact's replay, with the past it was computed from (the as-of facts are read off it). */
export interface ContactPast {
  result: ReplayResult;
  contact: RecordPast;
  company: RecordPast | null;
}

export class HistoryReplay {
  /** Company id to its past as text (keptText), most recently used last. */
  private readonly companies = new Map<string, string>();
  /** Evaluations run and contacts replayed, for progress and the benchmark. */
  readonly totals = { contacts: 0, evaluations: 0, historyPoints: 0, salesReadyDated: 0, salesReadyUndated: 0 };

  constructor(private readonly o: HistoryReplayOptions) {}

  /** The per-property history bound the replay assumes. */
  get bound(): number {
    return this.o.bound ?? DEFAULT_HISTORY_BOUND;
  }

  /**
   * Replays each contact up to `now`. `primaryCompany` maps a contact to its primary company today (HubSpot
   * keeps no association history, so today's company stands for its whole past: docs/replay.md). A contact
   * HubSpot no longer has is left out (the engine marks it deleted from its own read).
   */
  async replay(def: CompiledDefinition, contactIds: readonly string[], primaryCompany: ReadonlyMap<string, string>, now: number): Promise<Map<string, ContactPast>> {
    const out = new Map<string, ContactPast>();
    if (contactIds.length === 0 || def.contactProperties.length === 0) return out;
    const [contacts, companies] = await Promise.all([
      this.o.gateway.readHistories('contacts', [...contactIds], def.contactProperties),
      this.companyPasts(def, [...new Set(contactIds.map((id) => primaryCompany.get(id)).filter((id): id is string => id !== undefined))]),
    ]);
    for (const record of contacts.records) {
      const contact = pastOf(record);
      const companyId = primaryCompany.get(record.id);
      const company = companyId !== undefined ? (companies.get(companyId) ?? null) : null;
      const result = replayContact(def, { contact, company, now, bound: this.bound });
      this.totals.contacts += 1;
      this.totals.evaluations += result.evaluations;
      for (const points of Object.values(record.histories)) this.totals.historyPoints += points.length;
      if (result.firstSalesReady?.evidence === 'history') this.totals.salesReadyDated += 1;
      else if (result.firstSalesReady) this.totals.salesReadyUndated += 1;
      out.set(record.id, { result, contact, company });
    }
    return out;
  }

  private async companyPasts(def: CompiledDefinition, ids: string[]): Promise<Map<string, RecordPast>> {
    const out = new Map<string, RecordPast>();
    if (def.companyProperties.length === 0) return out;
    const unknown: string[] = [];
    for (const id of ids) {
      const kept = this.companies.get(id);
      if (kept !== undefined) {
        // Most recently used last: the Map's order is the eviction order.
        this.companies.delete(id);
        this.companies.set(id, kept);
        out.set(id, pastFromText(kept, def.companyProperties));
      } else unknown.push(id);
    }
    if (unknown.length > 0) {
      const read = await this.o.gateway.readHistories('companies', unknown, def.companyProperties);
      for (const record of read.records) {
        // The same past now as from the cache later: only what the replay reads.
        const past = readPast(record, def.companyProperties);
        out.set(record.id, past);
        this.companies.set(record.id, keptText(past, def.companyProperties));
      }
      while (this.companies.size > COMPANY_CACHE) this.companies.delete(this.companies.keys().next().value as string);
    }
    return out;
  }
}

function pastOf(record: HistoryRecord): RecordPast {
  return { current: record.properties, history: record.histories };
}

/** What the replay reads of a record's past: the asked properties' values today and their points' values and times. */
function readPast(record: HistoryRecord, properties: readonly string[]): RecordPast {
  const current: Record<string, string | null> = {};
  const history: Record<string, HistoryPoint[]> = {};
  for (const name of properties) {
    current[name] = record.properties[name] ?? null;
    history[name] = (record.histories[name] ?? []).map((p) => ({ value: p.value, timestamp: p.timestamp }));
  }
  return { current, history };
}

/** A past as text: per property (in `properties`' order) `[today's value, time, value, time, value, ...]`. */
function keptText(past: RecordPast, properties: readonly string[]): string {
  return JSON.stringify(properties.map((name) => [past.current[name] ?? null, ...(past.history[name] ?? []).flatMap((p) => [p.timestamp, p.value])]));
}

function pastFromText(text: string, properties: readonly string[]): RecordPast {
  const rows = JSON.parse(text) as Array<Array<string | number | null>>;
  const current: Record<string, string | null> = {};
  const history: Record<string, HistoryPoint[]> = {};
  properties.forEach((name, i) => {
    const row = rows[i] ?? [null];
    current[name] = row[0] as string | null;
    const points: HistoryPoint[] = [];
    for (let j = 1; j + 1 < row.length; j += 2) points.push({ timestamp: row[j] as number, value: row[j + 1] as string | null });
    history[name] = points;
  });
  return { current, history };
}

/**
 * The audit rows of a replay: one per status change, marked `replayed` with the time the facts made it true,
 * or `before_history` (dated at the first instant the replay knows) for a status that held before the kept
 * history. Each says what it rests on, so a rep or an admin reading `uld history` knows it was not observed.
 */
export function replayedDecisions(contactId: string, past: ContactPast): DecisionRecord[] {
  const out: DecisionRecord[] = [];
  let previous: LeadStatus | null = null;
  for (const change of past.result.timeline) {
    const note = replayNote(change, past.company !== null);
    const details: StoredReason[] = change.decision.reasons.map((r) => (r.points === undefined ? { kind: r.kind, ref: r.ref, text: r.text } : { kind: r.kind, ref: r.ref, points: r.points, text: r.text }));
    details.push({ kind: 'status', ref: REPLAY_REF, text: note });
    out.push({
      contactId,
      definitionVersion: change.decision.definitionVersion,
      previousStatus: previous,
      status: change.status,
      fitScore: change.decision.fitScore,
      engagementScore: change.decision.engagementScore,
      totalScore: change.decision.totalScore,
      reasons: details.map((r) => r.text),
      reasonDetails: details,
      decidedAt: change.at ?? past.result.start,
      origin: change.at === null ? 'before_history' : 'replayed',
    });
    previous = change.status;
  }
  return out;
}

function replayNote(change: StatusChange, withCompany: boolean): string {
  const company = withCompany ? "; company facts are today's primary company's (HubSpot keeps no association history)" : '';
  if (change.at === null) return `Replayed from HubSpot property history: this status held before the kept history began, so when it was reached is unknown${company}`;
  const why = change.cause === 'time' ? 'as time passed (a window or decay)' : change.cause === 'facts' ? 'when a property changed' : 'at the first recorded change';
  return `Replayed from HubSpot property history under the current definition: reached ${why}${company}`;
}

/**
 * A contact the product has never seen that is older than this predates it (or was missed while it was
 * down): its first decision is a first look, and its past is replayed. A younger one was seen being created.
 * Whichever engine claims the contact applies it: `uld serve`'s worker can take a backfill's units.
 */
export const FIRST_SIGHT_AGE_MS = 60 * 60_000;

/** How the past of one block of contacts is known: which are first sights, and their replays. */
export class BlockPast {
  private constructor(
    readonly firstSight: ReadonlySet<string>,
    readonly pasts: Map<string, ContactPast> | null,
    private readonly rewrite: boolean,
  ) {}

  /**
   * Contacts never seen (no mirror row) and created more than FIRST_SIGHT_AGE_MS ago are first sights; with
   * a replay, they are replayed (all of them with `rewrite`: `uld replay` rebuilds what was seen too).
   */
  static async of(
    options: { replay: HistoryReplay | null; rewrite: boolean },
    def: CompiledDefinition,
    contacts: ReadonlyArray<{ id: string; createdAt: number | null; seen: boolean }>,
    primaryCompany: ReadonlyMap<string, string>,
    now: number,
  ): Promise<BlockPast> {
    const firstSight = new Set(contacts.filter((c) => !c.seen && c.createdAt !== null && c.createdAt < now - FIRST_SIGHT_AGE_MS).map((c) => c.id));
    const toReplay = options.rewrite ? contacts.map((c) => c.id) : [...firstSight];
    const pasts = options.replay && toReplay.length > 0 ? await options.replay.replay(def, toReplay, primaryCompany, now) : null;
    return new BlockPast(firstSight, pasts, options.rewrite);
  }

  /**
   * What the contact write-back knows of the first sales_ready: the replay's date; for a first sight without
   * a replay (`--no-history`, no history returned), nothing dated; for a contact seen before, undefined (live).
   */
  salesReady(contactId: string): { reached: boolean; at: number | null; rewrite: boolean } | undefined {
    const past = this.pasts?.get(contactId);
    if (past) {
      const first = past.result.firstSalesReady;
      return { reached: first !== null, at: first?.reachedAt ?? null, rewrite: this.rewrite };
    }
    return this.firstSight.has(contactId) ? { reached: false, at: null, rewrite: false } : undefined;
  }
}

/**
 * The facts each converted contact had when its first deal was created, kept so `uld what-if` and
 * `uld calibrate` judge it as of its conversion without asking HubSpot again. A contact whose facts then
 * cannot be known (its kept history starts later) gets no row: it is judged on today's facts.
 */
export function asOfRows(def: CompiledDefinition, pasts: ReadonlyMap<string, ContactPast>, firstDeal: ReadonlyMap<string, number>, bound = DEFAULT_HISTORY_BOUND): AsOfFactsRow[] {
  const rows: AsOfFactsRow[] = [];
  for (const [contactId, past] of pasts) {
    const asOf = firstDeal.get(contactId);
    if (asOf === undefined) continue;
    const facts = factsAsOf(def, { contact: past.contact, company: past.company, bound }, asOf);
    if (facts) rows.push({ contactId, asOf, ...facts });
  }
  return rows;
}

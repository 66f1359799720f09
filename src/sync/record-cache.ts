import type { BatchReadResult, CrmGateway, CrmRecord, RecordUpdate } from '../hubspot/types';
import type { WorkUnit } from '../store/types';

export type PreloadType = 'contacts' | 'companies' | 'deals';

/**
 * Units the engine itself queued because something else changed (a company's fit input, an account's status,
 * a contact joining a company): the record is not known to have changed. Any other kind (an event, a job's
 * "look again", a retry) reads the record.
 */
const FOLLOW_UP_KINDS: ReadonlySet<string> = new Set(['association_changed', 'account_changed']);
function followUpOnly(u: WorkUnit): boolean {
  return u.changes.length > 0 && u.changes.every((k) => FOLLOW_UP_KINDS.has(k));
}

/** How long a record the engine read serves its follow-ups (see `RecordCache.recent`). */
const RECENT_MS = 60_000;
/** At most this many remembered records per object type (compact: the values that are set). */
const RECENT_MAX = 20_000;

/**
 * A record the caller read, and when it asked for it (the record reflects every change before then). Kept
 * compact, since a backfill hands over whole portals: only the values that are set, and the names the read
 * carried (set or not) once per read.
 */
interface Preloaded {
  values: Record<string, string>;
  names: ReadonlySet<string>;
  readAt: number;
}

function hasAll(p: Preloaded, properties: readonly string[]): boolean {
  return properties.every((name) => p.names.has(name));
}

function propertiesOf(p: Preloaded): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of p.names) out[name] = p.values[name] ?? null;
  return out;
}

/**
 * The engine's reads of the records it works: records a caller handed over (`preload`) where they are still
 * good, one batch read for the rest. One per engine; nothing is kept on disk.
 */
export class RecordCache {
  private readonly preloaded: Record<PreloadType, Map<string, Preloaded>> = { contacts: new Map(), companies: new Map(), deals: new Map() };
  /**
   * What the engine itself read in the last RECENT_MS, with what it wrote since applied: a record worked again
   * for a follow-up it caused (a company's fit input fanning out to contacts just qualified, an account's
   * pass-down, a contact's account judged twice in one backlog) is not read again when nothing changed it
   * since (its unit's last change is not after the read). Short-lived and capped: another instance writing
   * the same record (a rolling deploy) is outdated here at most that long.
   */
  private readonly recent: Record<PreloadType, Map<string, Preloaded>> = { contacts: new Map(), companies: new Map(), deals: new Map() };

  constructor(private readonly gateway: CrmGateway, private readonly clock: () => number = Date.now) {}

  private remember(objectType: PreloadType, records: readonly CrmRecord[], properties: readonly string[], readAt: number): void {
    const map = this.recent[objectType];
    const names = new Set(properties);
    for (const r of records) {
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(r.properties)) if (value !== null && value !== undefined) values[name] = value;
      map.delete(r.id);
      map.set(r.id, { values, names, readAt });
    }
    // Oldest first (insertion order): drop what is too old, then what is over the cap.
    for (const [id, p] of map) {
      if (map.size <= RECENT_MAX && readAt - p.readAt <= RECENT_MS) break;
      map.delete(id);
    }
  }

  private recentRead(objectType: PreloadType, id: string, properties: readonly string[], changedAt: number): Preloaded | undefined {
    const p = this.recent[objectType].get(id);
    if (!p || changedAt > p.readAt || this.clock() - p.readAt > RECENT_MS || !hasAll(p, properties)) return undefined;
    return p;
  }

  /** What the engine wrote, applied to the records it remembers (empty strings clear a value, as in HubSpot). */
  applyWrites(objectType: PreloadType, updates: readonly RecordUpdate[], written: readonly string[]): void {
    const map = this.recent[objectType];
    const ok = new Set(written);
    for (const u of updates) {
      const p = map.get(u.id);
      if (!p) continue;
      if (!ok.has(u.id)) {
        map.delete(u.id);
        continue;
      }
      for (const [name, value] of Object.entries(u.properties)) {
        if (!p.names.has(name)) continue;
        if (value === '') delete p.values[name];
        else p.values[name] = value;
      }
    }
  }

  /**
   * Records the caller has just read, asked for at `readAt` (before the call, so they reflect every
   * change until then): a backfill's pages. The engine uses them instead of reading:
   * - for a unit of the record, when the unit's last change is not after `readAt` and the record has every
   *   property the engine reads (else it reads as usual); the record is then forgotten, used or not;
   * - as the company (fit inputs) of contacts and the deals (creation dates) of contacts, until a unit of
   *   that company or deal is worked.
   * Nothing is kept on disk: a process that restarts just reads. Memory is what the caller hands over.
   */
  preload(objectType: PreloadType, records: readonly CrmRecord[], readAt: number): void {
    const first = records[0];
    if (!first) return;
    const map = this.preloaded[objectType];
    // A read carries the names asked for in every record (unset ones as null).
    const names = new Set(Object.keys(first.properties).filter((name) => records.every((r) => name in r.properties)));
    for (const r of records) {
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(r.properties)) if (value !== null && names.has(name)) values[name] = value;
      map.set(r.id, { values, names, readAt });
    }
  }

  /**
   * The records of a block's units: preloaded ones where still good (see `preload`), a batch read for the
   * rest. Every preloaded record of these units is forgotten: the unit is worked now.
   */
  async readUnits(objectType: PreloadType, units: WorkUnit[], properties: string[]): Promise<BatchReadResult> {
    const map = this.preloaded[objectType];
    const records: CrmRecord[] = [];
    const toRead: string[] = [];
    const seen = new Set<string>();
    for (const u of units) {
      if (seen.has(u.objectId)) continue;
      seen.add(u.objectId);
      const p = map.get(u.objectId);
      map.delete(u.objectId);
      const good = p && u.lastOccurredAt <= p.readAt && hasAll(p, properties) ? p : followUpOnly(u) ? this.recentRead(objectType, u.objectId, properties, u.lastOccurredAt) : undefined;
      if (good) records.push({ id: u.objectId, properties: propertiesOf(good) });
      else toRead.push(u.objectId);
    }
    if (toRead.length === 0) return { records, missing: [] };
    const readAt = this.clock();
    const read = await this.gateway.read(objectType, toRead, properties);
    this.remember(objectType, read.records, properties, readAt);
    for (const id of read.missing) this.recent[objectType].delete(id);
    return { records: [...records, ...read.records], missing: read.missing };
  }

  /** Properties of records a block depends on (contacts' companies and deals): preloaded where they have them, else one batch read. */
  async readLinked(objectType: PreloadType, ids: string[], properties: string[]): Promise<Map<string, Record<string, string | null>>> {
    const map = this.preloaded[objectType];
    const out = new Map<string, Record<string, string | null>>();
    const toRead: string[] = [];
    for (const id of ids) {
      const p = map.get(id);
      // A linked record read in the last RECENT_MS: a change since has its own unit, which re-qualifies
      // the records depending on it (as for a preloaded one).
      const good = p && hasAll(p, properties) ? p : this.recentRead(objectType, id, properties, -Infinity);
      if (good) out.set(id, propertiesOf(good));
      else toRead.push(id);
    }
    if (toRead.length > 0) {
      const readAt = this.clock();
      const read = await this.gateway.read(objectType, toRead, properties);
      for (const r of read.records) out.set(r.id, r.properties);
      this.remember(objectType, read.records, properties, readAt);
    }
    return out;
  }
}

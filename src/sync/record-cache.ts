import type { BatchReadResult, CrmGateway, CrmRecord } from '../hubspot/types';
import type { WorkUnit } from '../store/types';

export type PreloadType = 'contacts' | 'companies' | 'deals';

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

  constructor(private readonly gateway: CrmGateway) {}

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
      if (p && u.lastOccurredAt <= p.readAt && hasAll(p, properties)) records.push({ id: u.objectId, properties: propertiesOf(p) });
      else toRead.push(u.objectId);
    }
    if (toRead.length === 0) return { records, missing: [] };
    const read = await this.gateway.read(objectType, toRead, properties);
    return { records: [...records, ...read.records], missing: read.missing };
  }

  /** Properties of records a block depends on (contacts' companies and deals): preloaded where they have them, else one batch read. */
  async readLinked(objectType: PreloadType, ids: string[], properties: string[]): Promise<Map<string, Record<string, string | null>>> {
    const map = this.preloaded[objectType];
    const out = new Map<string, Record<string, string | null>>();
    const toRead: string[] = [];
    for (const id of ids) {
      const p = map.get(id);
      if (p && hasAll(p, properties)) out.set(id, propertiesOf(p));
      else toRead.push(id);
    }
    if (toRead.length > 0) for (const r of (await this.gateway.read(objectType, toRead, properties)).records) out.set(r.id, r.properties);
    return out;
  }
}

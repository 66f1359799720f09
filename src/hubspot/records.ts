import type { CrmRecord, HistoryRecord, PropertyHistoryPoint } from './types';

/** Epoch ms from HubSpot's datetime strings (epoch ms or ISO), or null. */
export function readTime(v: string | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : null;
}

/** Splits `items` into HubSpot-sized batches. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** HubSpot ids are decimal: a non-numeric id cannot exist there, and asking would risk a 400 for the whole batch. */
export const NUMERIC_ID = /^\d+$/;

function iso(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' ? value : undefined;
}

/**
 * A plain record from HubSpot's JSON: every asked property present (null when unset; 2026-09 types
 * values as nullable strings), history entries with string timestamps.
 */
export function toRecord(raw: unknown, asked: string[]): CrmRecord {
  const o = raw as {
    id: string;
    properties?: Record<string, string | null>;
    propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: unknown; sourceType?: string; sourceId?: string; updatedByUserId?: number }>>;
    createdAt?: unknown;
    updatedAt?: unknown;
    archived?: boolean;
  };
  const properties: Record<string, string | null> = {};
  for (const name of asked) properties[name] = null;
  for (const [name, value] of Object.entries(o.properties ?? {})) properties[name] = value ?? null;
  const record: CrmRecord = { id: String(o.id), properties };
  if (o.propertiesWithHistory && Object.keys(o.propertiesWithHistory).length > 0) {
    record.propertiesWithHistory = {};
    for (const [name, entries] of Object.entries(o.propertiesWithHistory)) {
      record.propertiesWithHistory[name] = entries.map((e) => ({
        value: e.value,
        timestamp: iso(e.timestamp) ?? String(e.timestamp),
        ...(e.sourceType !== undefined ? { sourceType: e.sourceType } : {}),
        ...(e.sourceId !== undefined ? { sourceId: e.sourceId } : {}),
        // HubSpot's ValueWithTimestamp names the user of a UI change here (a Lead's stage: who gave the verdict).
        ...(e.updatedByUserId !== undefined && e.updatedByUserId !== null ? { updatedByUserId: Number(e.updatedByUserId) } : {}),
      }));
    }
  }
  const createdAt = iso(o.createdAt);
  const updatedAt = iso(o.updatedAt);
  if (createdAt) record.createdAt = createdAt;
  if (updatedAt) record.updatedAt = updatedAt;
  if (o.archived !== undefined) record.archived = o.archived;
  return record;
}

/**
 * A record read with history, its timestamps as epoch ms. An entry whose timestamp does not parse is
 * dropped rather than guessed (replay must never date a value it cannot date); HubSpot's newest-first order
 * is kept. A property asked for but absent from `propertiesWithHistory` has no history: [].
 */
export function toHistoryRecord(record: CrmRecord, asked: readonly string[]): HistoryRecord {
  const histories: Record<string, PropertyHistoryPoint[]> = {};
  for (const name of asked) histories[name] = [];
  for (const [name, entries] of Object.entries(record.propertiesWithHistory ?? {})) {
    const points: PropertyHistoryPoint[] = [];
    for (const e of entries) {
      const timestamp = Date.parse(e.timestamp);
      if (Number.isNaN(timestamp)) continue;
      const point: PropertyHistoryPoint = { value: e.value ?? '', timestamp };
      if (e.sourceType !== undefined) point.sourceType = e.sourceType;
      if (e.sourceId !== undefined) point.sourceId = e.sourceId;
      points.push(point);
    }
    histories[name] = points;
  }
  return { id: record.id, properties: record.properties, histories };
}

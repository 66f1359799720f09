import { OBJECT_TYPE_INFO, resolveObjectType, type ObjectType } from '../crm/object-types';
import type { CrmRecord, Portal } from '../crm/portal';
import { validationError } from '../errors';

/**
 * Records in the JSON shape of HubSpot's CRM v3 API (the SDK's SimplePublicObject family): ids and
 * values as strings, unset requested properties as null, ISO-8601 timestamps with milliseconds, history
 * newest first.
 */
export interface ObjectJson {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, HistoryJson[]>;
  associations?: Record<string, { results: Array<{ id: string; type: string }> }>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  objectWriteTraceId?: string;
}

export interface HistoryJson {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface ObjectView {
  /** Properties asked for; undefined means the type's defaults. */
  properties?: readonly string[];
  propertiesWithHistory?: readonly string[];
  associations?: readonly ObjectType[];
  objectWriteTraceId?: string;
  /** Read values as of this instant instead of now (search lag). */
  asOf?: number;
}

/**
 * How many past values of one property are served. HubSpot keeps a bounded history per property but its
 * API reference states no figure (searched its docs, SDK issues and pages); 20 is this sandbox's choice,
 * shared with the replay's default (src/replay DEFAULT_HISTORY_BOUND) so that a cut history is recognised.
 */
export const PROPERTY_HISTORY_BOUND = 20;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function objectJson(portal: Portal, record: CrmRecord, view: ObjectView = {}): ObjectJson {
  const info = OBJECT_TYPE_INFO[record.type];
  const names = view.properties === undefined ? info.defaultProperties : unique([...view.properties, ...info.alwaysReturned]);
  const properties: Record<string, string | null> = {};
  for (const name of names) {
    if (!portal.schema.get(record.type, name)) continue;
    const value = view.asOf === undefined ? record.properties[name] : portal.valueAt(record, name, view.asOf);
    properties[name] = value ?? null;
  }
  const json: ObjectJson = { id: record.id, properties, createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt), archived: record.archived };
  if (record.archived && record.archivedAt !== undefined) json.archivedAt = iso(record.archivedAt);
  if (view.propertiesWithHistory && view.propertiesWithHistory.length > 0) {
    json.propertiesWithHistory = {};
    for (const name of unique(view.propertiesWithHistory)) {
      if (!portal.schema.get(record.type, name)) continue;
      // Newest first, and only the newest PROPERTY_HISTORY_BOUND values: HubSpot keeps a bounded past.
      json.propertiesWithHistory[name] = portal
        .historyOf(record, name)
        .slice(-PROPERTY_HISTORY_BOUND)
        .reverse()
        .map((h) => {
          const entry: HistoryJson = { value: h.value, timestamp: iso(h.timestamp), sourceType: h.sourceType };
          if (h.sourceId !== undefined) entry.sourceId = h.sourceId;
          if (h.updatedByUserId !== undefined) entry.updatedByUserId = h.updatedByUserId;
          return entry;
        });
    }
  }
  if (view.associations && view.associations.length > 0) {
    json.associations = {};
    for (const toType of unique(view.associations)) {
      const results: Array<{ id: string; type: string }> = [];
      for (const target of portal.associations.list(record.type, record.id, toType)) {
        if (!portal.get(toType, target.toId)) continue;
        for (const kind of target.kinds) results.push({ id: target.toId, type: kind.v3Name });
      }
      if (results.length > 0) json.associations[toType] = { results };
    }
  }
  if (view.objectWriteTraceId !== undefined) json.objectWriteTraceId = view.objectWriteTraceId;
  return json;
}

/** Reads a multi-valued query parameter: repeated (`?properties=a&properties=b`, as the SDK sends) or comma-separated. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

export function associationTypesParam(query: URLSearchParams): ObjectType[] | undefined {
  const names = listParam(query, 'associations');
  if (!names) return undefined;
  return names.map((n) => resolveObjectType(n)).filter((t): t is ObjectType => t !== undefined);
}

/**
 * HubSpot's batch envelope: `okStatus` (200, or 201 for creates) without errors; with them the body
 * carries `numErrors` and `errors` and the status is `errorStatus` (207 Multi-Status unless the API
 * version says otherwise, see `partialFailureStatus` in versions.ts).
 */
export function batchEnvelope(results: unknown[], errors: unknown[], startedAt: number, okStatus = 200, errorStatus = 207): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: iso(startedAt), completedAt: iso(Date.now()) };
  if (errors.length === 0) return { status: okStatus, body };
  body.numErrors = errors.length;
  body.errors = errors;
  return { status: errorStatus, body };
}

export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationError('Invalid input JSON: expected an object');
  return body as Record<string, unknown>;
}

export function inputsOf(body: unknown, max: number, what = 'a batch request'): Array<Record<string, unknown>> {
  const inputs = bodyObject(body).inputs;
  if (!Array.isArray(inputs)) throw validationError('Invalid input JSON: "inputs" must be an array');
  if (inputs.length > max) {
    throw validationError(`The maximum number of inputs supported in ${what} is ${max}. Please reduce the number of items and try again`, {
      context: { inputs: [String(inputs.length)] },
    });
  }
  return inputs.map((input) => (typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {}));
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

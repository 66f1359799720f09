import type { CrmGateway, RecordUpdate, WriteResult } from '../hubspot/types';
import type { WorkUnit } from '../store/types';
import type { SyncStore, WriteRecord } from '../store/mirror-types';

/** The actor of the worker's own writes in the audit log (a rep's verdict is "user:<id>"). */
export const SYNC_ACTOR = 'uld:sync';

/** How the dead letter of a write HubSpot rejected begins (`rejectedUnits`); requalify leaves those records alone. */
export const REJECTED_WRITE = 'HubSpot rejected the write';

/** A write's outcome with what was sent to each record (a rejection names it). */
export type SentWrites = WriteResult & { sent: ReadonlyMap<string, Record<string, string>> };

/** One batch update through the gateway, its outcome per record recorded in the audit log (`crm_writes`). */
export async function writeAndRecord(gateway: CrmGateway, store: SyncStore, objectType: 'contacts' | 'deals' | 'companies', updates: RecordUpdate[]): Promise<SentWrites> {
  if (updates.length === 0) return { written: [], missing: [], rejected: [], sent: new Map() };
  const result = await gateway.update(objectType, updates);
  // When HubSpot acknowledged the write, by the wall clock (not the decision's `now`, which tests freeze):
  // HubSpot's modification date of our write is no later than this, which is how reconcile tells our own
  // changes from others'.
  const at = Date.now();
  const byId = new Map(updates.map((u) => [u.id, u.properties]));
  const log: WriteRecord[] = [
    ...result.written.map((id) => ({ objectType, objectId: id, properties: byId.get(id) ?? {}, outcome: 'written' as const, writtenAt: at, actor: SYNC_ACTOR })),
    ...result.missing.map((id) => ({ objectType, objectId: id, properties: byId.get(id) ?? {}, outcome: 'missing' as const, writtenAt: at, actor: SYNC_ACTOR })),
    ...result.rejected.map((r) => ({ objectType, objectId: r.id, properties: byId.get(r.id) ?? {}, outcome: 'rejected' as const, error: r.error, writtenAt: at, actor: SYNC_ACTOR })),
  ];
  await store.recordWrites(log);
  return { ...result, sent: byId };
}

/**
 * The dead letter of each rejected record: HubSpot's words, after what we wrote. A rejection naming a
 * property we did not send is a portal validation rule (2026-09: a property required when another has
 * some value, judged on the whole record): retrying cannot help, the record's data or the rule must change.
 */
export function rejectedUnits(units: WorkUnit[], written: SentWrites): Array<{ unitId: number; error: string }> {
  const unitOf = new Map(units.map((u) => [u.objectId, u.id]));
  return written.rejected.flatMap((r) => {
    const unitId = unitOf.get(r.id);
    if (unitId === undefined) return [];
    const sent = Object.keys(written.sent.get(r.id) ?? {});
    if (r.properties.length === 0 || r.properties.every((p) => sent.includes(p))) {
      return [{ unitId, error: `${REJECTED_WRITE} of ${r.properties.join(', ') || 'this record'}: ${r.error}` }];
    }
    const rule = `a validation rule of the portal requires ${r.properties.filter((p) => !sent.includes(p)).join(', ')}: give the record a value in HubSpot or change the rule, then \`uld dead-letters retry\``;
    return [{ unitId, error: `${REJECTED_WRITE} of ${sent.join(', ') || 'this record'}: ${r.error} (${rule})` }];
  });
}

import type { RecordUpdate } from '../hubspot/types';
import type { WorkMark, WorkUnit } from '../store/types';
import { companyChanges, COMPANY_SYNC_INPUTS } from './company-rollup';
import type { MirrorContact } from './mirror';
import type { Plan, PlannerContext } from './plan';
import { rejectedUnits, writeAndRecord } from './write-outcome';

/**
 * The companies of one engine block: their roll-ups of the contacts just qualified (company-rollup.ts), and,
 * when a company input of the definition changed, its contacts queued for re-qualification.
 */

export async function planCompanies(ctx: PlannerContext, units: WorkUnit[], now: number): Promise<Plan> {
  const { gateway, store, definition: def, cache } = ctx;
  const followUp: WorkMark[] = [];
  // A change to a company property the definition reads changes its contacts' fit: re-qualify them.
  const readsChanged = units.filter((u) => u.properties.some((p) => def.companyProperties.includes(p)) || u.changes.includes('restored') || u.changes.includes('merged'));
  if (readsChanged.length > 0) {
    const links = await gateway.associations('companies', 'contacts', readsChanged.map((u) => u.objectId));
    for (const list of links.values()) for (const l of list) followUp.push({ objectType: 'contact', objectId: l.id, change: 'association_changed', occurredAt: now });
  }
  const read = await cache.readUnits('companies', units, [...COMPANY_SYNC_INPUTS]);
  const contacts = await store.contactsOfCompanies(read.records.map((r) => r.id));
  const byCompany = new Map<string, MirrorContact[]>();
  for (const c of contacts) if (c.companyId) byCompany.set(c.companyId, [...(byCompany.get(c.companyId) ?? []), c]);
  const updates: RecordUpdate[] = [];
  for (const co of read.records) {
    const changes = companyChanges(co.properties, byCompany.get(co.id) ?? []);
    if (Object.keys(changes).length > 0) updates.push({ id: co.id, properties: changes });
  }
  const written = await writeAndRecord(gateway, store, 'companies', updates);
  const gone = [...read.missing, ...written.missing];
  if (gone.length > 0) await store.markDeleted('company', gone);
  return { followUp, rejected: rejectedUnits(units, written) };
}

import type { RecordUpdate } from '../hubspot/types';
import type { WorkMark, WorkUnit } from '../store/types';
import { planAccounts, accountCompanyProperties } from './account-planner';
import { companyChanges, COMPANY_SYNC_INPUTS } from './company-rollup';
import type { MirrorContact } from '../store/mirror-types';
import { unique, type Plan, type PlannerContext } from './plan';
import { rejectedUnits, writeAndRecord } from './write-outcome';

/**
 * The companies of one engine block: their roll-ups of the contacts just qualified (company-rollup.ts), their
 * account decisions with the definition's `accounts` section (account-planner.ts), in one write per company;
 * and, when a company input of the contacts' rules changed, its contacts queued for re-qualification.
 */

export async function planCompanies(ctx: PlannerContext, units: WorkUnit[], now: number): Promise<Plan> {
  const { gateway, store, definition: def, cache } = ctx;
  const followUp: WorkMark[] = [];
  // A change to a company property the definition reads changes its contacts' fit: re-qualify them.
  const readsChanged = units.filter((u) => u.properties.some((p) => def.companyProperties.includes(p)) || u.changes.includes('restored') || u.changes.includes('merged'));
  if (readsChanged.length > 0) {
    const links = await gateway.associations('companies', 'contacts', readsChanged.map((u) => u.objectId));
    // Dated by the company's change, not now: the contacts themselves did not change (see RecordCache.recent).
    const changedAt = new Map(readsChanged.map((u) => [u.objectId, u.lastOccurredAt]));
    for (const [companyId, list] of links) for (const l of list) followUp.push({ objectType: 'contact', objectId: l.id, change: 'association_changed', occurredAt: changedAt.get(companyId) ?? now });
  }
  const read = await cache.readUnits('companies', units, unique([...COMPANY_SYNC_INPUTS, ...accountCompanyProperties(def)]));
  const contacts = await store.contactsOfCompanies(read.records.map((r) => r.id));
  const byCompany = new Map<string, MirrorContact[]>();
  for (const c of contacts) if (c.companyId) byCompany.set(c.companyId, [...(byCompany.get(c.companyId) ?? []), c]);
  const changedAt = new Map(units.map((u) => [u.objectId, u.lastOccurredAt]));
  const accounts = planAccounts(def, read.records, byCompany, changedAt, now);
  followUp.push(...accounts.followUp);
  const updates: RecordUpdate[] = [];
  for (const co of read.records) {
    const changes = { ...companyChanges(co.properties, byCompany.get(co.id) ?? []), ...accounts.changes.get(co.id) };
    if (Object.keys(changes).length > 0) updates.push({ id: co.id, properties: changes });
  }
  const written = await writeAndRecord(gateway, store, 'companies', updates);
  cache.applyWrites('companies', updates, written.written);
  // The mirror keeps what the contacts' pass-down reads (account.status, account.score) before they run.
  const notWritten = new Set([...written.rejected.map((r) => r.id), ...written.missing]);
  await store.upsertAccounts(accounts.rows.filter((a) => !notWritten.has(a.id)));
  const gone = [...read.missing, ...written.missing];
  if (gone.length > 0) await store.markDeleted('company', gone);
  return { followUp, rejected: rejectedUnits(units, written) };
}

import type { LeadStatus } from '../definition';
import type { AssociatedRecord, DealPipeline, RecordUpdate } from '../hubspot/types';
import type { WorkMark, WorkUnit } from '../store/types';
import { readTime } from '../hubspot/records';
import { contactCreation } from './creation-times';
import { DEAL_SYNC_INPUTS, dealChanges, dealState } from './deal-figures';
import type { MirrorContact, MirrorDeal } from '../store/mirror-types';
import { unique, type Plan, type PlannerContext } from './plan';
import { rejectedUnits, writeAndRecord } from './write-outcome';

/**
 * The deals of one engine block: their cycle-time figures and their lead's status at creation
 * (deal-figures.ts), the mirror's rows, and the contacts a new association converted.
 */

/** The deal properties the engine reads: its inputs and every stage's entry date. */
export function dealProperties(pipelines: readonly DealPipeline[]): string[] {
  const stageEntered = unique(pipelines.flatMap((p) => p.stages.map((s) => `hs_v2_date_entered_${s.id}`)));
  return unique([...DEAL_SYNC_INPUTS, ...stageEntered]);
}

export async function planDeals(ctx: PlannerContext, units: WorkUnit[], now: number): Promise<Plan> {
  const { gateway, store, cache } = ctx;
  const ids = units.map((u) => u.objectId);
  const pipelines = await gateway.dealPipelines();
  const read = await cache.readUnits('deals', units, dealProperties(pipelines));
  const liveIds = read.records.map((r) => r.id);
  const [contactLinks, companyLinks, mirrored] = await Promise.all([
    liveIds.length > 0 ? gateway.associations('deals', 'contacts', liveIds) : new Map<string, AssociatedRecord[]>(),
    liveIds.length > 0 ? gateway.associations('deals', 'companies', liveIds) : new Map<string, AssociatedRecord[]>(),
    store.getDeals(ids),
  ]);
  const contactIds = unique([...contactLinks.values()].flatMap((l) => l.map((x) => x.id)));
  const mirroredContacts = contactIds.length > 0 ? await store.getContacts(contactIds) : new Map<string, MirrorContact>();
  const contactCreated = await contactCreation(gateway, contactIds, mirroredContacts);

  const updates: RecordUpdate[] = [];
  const rows: MirrorDeal[] = [];
  const followUp: WorkMark[] = [];
  for (const d of read.records) {
    const contacts = (contactLinks.get(d.id) ?? []).map((l) => l.id);
    const created = readTime(d.properties.createdate);
    const earliest = contacts.slice().sort((a, b) => (contactCreated.get(a) ?? Infinity) - (contactCreated.get(b) ?? Infinity))[0];
    const statusAtCreation = earliest && created !== null ? ((await store.statusesAt([earliest], created)).get(earliest) ?? null) : null;
    const rewrite = ctx.rewrite;
    const changes = dealChanges({ current: d.properties, pipelines, contactCreatedAt: contacts.map((c) => contactCreated.get(c)).filter((t): t is number => t !== undefined), statusAtCreation, rewrite }, now);
    if (Object.keys(changes).length > 0) updates.push({ id: d.id, properties: changes });
    const s = dealState(d.properties, pipelines);
    const before = mirrored.get(d.id);
    rows.push({
      id: d.id,
      createdAt: s.createdAt,
      closedAt: s.closedAt,
      closed: s.closed,
      won: s.won,
      amount: s.amount,
      pipeline: d.properties.pipeline ?? null,
      stage: d.properties.dealstage ?? null,
      stageEnteredAt: s.stageEnteredAt,
      companyId: (companyLinks.get(d.id) ?? [])[0]?.id ?? null,
      contactIds: contacts,
      statusAtCreation: rewrite ? statusAtCreation : ((changes.uld_lead_status_at_creation as LeadStatus | undefined) ?? (d.properties.uld_lead_status_at_creation as LeadStatus | null) ?? before?.statusAtCreation ?? null),
      deleted: false,
    });
    // New contacts on a deal converted: their uld_converted_at and their companies' roll-ups follow.
    // A contact the mirror already has as converted gains nothing (uld_converted_at is set once).
    const added = contacts.filter((c) => !(before?.contactIds ?? []).includes(c) && (mirroredContacts.get(c)?.convertedAt ?? null) === null);
    for (const c of added) followUp.push({ objectType: 'contact', objectId: c, change: 'conversion_signal', occurredAt: now });
  }
  const written = await writeAndRecord(gateway, store, 'deals', updates);
  ctx.cache.applyWrites('deals', updates, written.written);
  await store.upsertDeals(rows);
  const gone = [...read.missing, ...written.missing];
  if (gone.length > 0) await store.markDeleted('deal', gone);
  return { followUp, rejected: rejectedUnits(units, written) };
}

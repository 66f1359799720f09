import type { Logger } from 'pino';
import type { LeadHandOffSettings } from '../definition/types';
import { BatchCreateError } from '../hubspot/errors';
import { waitingOutRateLimits } from '../hubspot/rate-limit-wait';
import type { CrmGateway, RecordCreate } from '../hubspot/types';
import type { HandOffRecord, HandOffStore, Store } from '../store/types';
import { readTime } from '../hubspot/records';
import { SYNC_ACTOR } from './write-outcome';

/**
 * HubSpot's association type ids for a Lead's inline associations (HUBSPOT_DEFINED): 578 lead to primary
 * contact (HubSpot's leads guide), 580 lead to primary company (public code; shared platform doc §7). A
 * Lead must be associated with an existing contact when it is created, and inline: not afterwards.
 */
export const LEAD_TO_PRIMARY_CONTACT = 578;
export const LEAD_TO_PRIMARY_COMPANY = 580;
/** The primary contact-to-company association (v4). */
const PRIMARY_CONTACT_TO_COMPANY = 1;
/**
 * How long an unclear create (a timeout, a 5xx: HubSpot may have made the Lead) is left before anyone looks
 * for what it made: longer than the gateway's deadline (15 s), so an answer still on its way has landed.
 */
export const LEAD_SETTLE_MS = 60_000;
/** Our clock and HubSpot's may differ; a Lead created this much before the claim still counts as its own. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The store as the hand-off uses it: the hand-off log, and the audit log for what HubSpot refused. */
export type HandOffStorePort = Pick<Store, 'recordWrites'> & HandOffStore;

/**
 * The status is written and uld_qualified_at set: failing the unit now would not hand off again on a
 * retry, it would only dead-letter a correctly qualified contact. Say so loudly and keep the record.
 */
export async function recordHandOffFailures(store: HandOffStorePort, logger: Logger | undefined, failed: Array<{ id: string; error: string }>, now: number): Promise<void> {
  if (failed.length === 0) return;
  logger?.error({ failed }, 'hand-off task, note or Lead could not be created; the status was written');
  await store.recordWrites(failed.map((f) => ({ objectType: 'contacts', objectId: f.id, properties: {}, outcome: 'rejected' as const, error: `hand-off not created: ${f.error}`, writtenAt: now, actor: SYNC_ACTOR })));
}

/** A contact whose hand-off is a Lead: who it is for the Lead's name, its owner and company. */
export interface LeadContact {
  id: string;
  owner: string | null;
  name?: string;
  companyId?: string | null;
}

/**
 * The Lead hand-off (HANDOFF_MODE=lead): exactly one Lead per hand-off, associated with the contact (578) and
 * its primary company (580), owned by the hand-off's owner, in the definition's pipeline and stage.
 *
 * Exactly one: the hand-off is claimed in the store first (HandOffs), and the Lead's id recorded as soon as
 * HubSpot names it. A create whose answer was lost (a timeout or a 5xx after which HubSpot may have created
 * it; the gateway never resends a create) leaves the claim without a Lead: `resolvePending`, run by the
 * reconcile job, then looks for the Lead before creating one. It looks by association, contact to leads,
 * not by search: HubSpot's search index lags writes (seconds, more under load), so a Lead created a moment
 * ago can be missing from a search and would be created twice; association reads are read-your-writes, cost
 * one call for up to 1,000 contacts, and need no marker property on the Lead. Any Lead of the contact created
 * since the claim counts as the hand-off's: one a rep made meanwhile is just as much the one to work.
 */
export class LeadHandOffs {
  constructor(
    private readonly o: {
      gateway: CrmGateway;
      store: HandOffStorePort;
      /** Absent in jobs without a logger: the audit log still gets every failure. */
      logger?: Logger;
      settings: () => LeadHandOffSettings;
    },
  ) {}

  /**
   * Creates the Leads of freshly claimed hand-offs in one batch; records each Lead's id. Returns the contacts
   * whose create failed or is unclear (left pending for `resolvePending`).
   */
  async create(contacts: LeadContact[]): Promise<Array<{ id: string; error: string }>> {
    if (contacts.length === 0) return [];
    const settings = this.o.settings();
    const inputs: RecordCreate[] = contacts.map((c) => ({
      properties: {
        hs_lead_name: leadName(c),
        hs_pipeline: settings.pipeline,
        hs_pipeline_stage: settings.stage,
        ...(c.owner ? { hubspot_owner_id: c.owner } : {}),
      },
      associations: [{ toId: c.id, typeId: LEAD_TO_PRIMARY_CONTACT }, ...(c.companyId ? [{ toId: c.companyId, typeId: LEAD_TO_PRIMARY_COMPANY }] : [])],
    }));
    let ids: Array<string | undefined>;
    const failed: Array<{ id: string; error: string }> = [];
    try {
      ids = await waitingOutRateLimits(() => this.o.gateway.create('leads', inputs), { maxWaitMs: 30_000 });
    } catch (err) {
      if (err instanceof BatchCreateError) {
        ids = err.ids;
        for (const f of err.failures) if (contacts[f.index]) failed.push({ id: contacts[f.index]!.id, error: `lead: ${f.error}` });
      } else {
        const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        this.o.logger?.warn({ contacts: contacts.length, error }, 'Lead create unclear; the reconcile job looks for the Leads before creating them again');
        return contacts.map((c) => ({ id: c.id, error: `lead: ${error} (left pending: reconcile looks for it before creating it again)` }));
      }
    }
    for (const [i, id] of ids.entries()) if (id) await this.o.store.setHandOffObject(contacts[i]!.id, id);
    return failed;
  }

  /**
   * Hand-offs claimed for a Lead that HubSpot never named (an unclear or refused create), last attempted
   * before `now - settleMs`: finds the Lead each may have got, records it, and creates the missing ones.
   * A refused create (a portal rule, a wrong stage id) is tried again at each run until it succeeds, and
   * each failure is in the audit log. Returns how many Leads were found and created.
   */
  async resolvePending(now: number, settleMs = LEAD_SETTLE_MS): Promise<{ pending: number; found: number; created: number }> {
    const pending = await this.o.store.pendingHandOffs('lead', now - settleMs + 1, 100);
    if (pending.length === 0) return { pending: 0, found: 0, created: 0 };
    const found = await this.findLeads(pending);
    for (const [contactId, leadId] of found) await this.o.store.setHandOffObject(contactId, leadId);
    const missing = pending.filter((h) => !found.has(h.contactId));
    if (missing.length === 0) return { pending: pending.length, found: found.size, created: 0 };
    await this.o.store.markHandOffAttempt(missing.map((h) => h.contactId), now);
    const contacts = await this.describe(missing);
    const failed = await this.create(contacts);
    await recordHandOffFailures(this.o.store, this.o.logger, failed, now);
    return { pending: pending.length, found: found.size, created: contacts.length - failed.length };
  }

  /** The earliest Lead of each contact created since its claim (less the clock skew), by contact id. */
  private async findLeads(pending: HandOffRecord[]): Promise<Map<string, string>> {
    const links = await this.o.gateway.associations('contacts', 'leads', pending.map((h) => h.contactId));
    const leadIds = [...new Set([...links.values()].flatMap((l) => l.map((x) => x.id)))];
    const created = new Map<string, number>();
    if (leadIds.length > 0) {
      for (const r of (await this.o.gateway.read('leads', leadIds, ['hs_createdate'])).records) created.set(r.id, readTime(r.properties.hs_createdate) ?? readTime(r.createdAt) ?? 0);
    }
    const out = new Map<string, string>();
    for (const h of pending) {
      const mine = (links.get(h.contactId) ?? [])
        .map((l) => ({ id: l.id, at: created.get(l.id) }))
        .filter((l): l is { id: string; at: number } => l.at !== undefined && l.at >= h.handedOffAt - CLOCK_SKEW_MS)
        .sort((a, b) => a.at - b.at);
      if (mine[0]) out.set(h.contactId, mine[0].id);
    }
    return out;
  }

  /** What a Lead needs of contacts known only by their claim: the name and the primary company, read. */
  private async describe(pending: HandOffRecord[]): Promise<LeadContact[]> {
    const ids = pending.map((h) => h.contactId);
    const [read, companies] = await Promise.all([this.o.gateway.read('contacts', ids, LEAD_NAME_PROPERTIES), this.o.gateway.associations('contacts', 'companies', ids)]);
    const byId = new Map(read.records.map((r) => [r.id, r.properties]));
    // A contact deleted since its claim cannot have a Lead (HubSpot requires an existing contact).
    return pending
      .filter((h) => byId.has(h.contactId))
      .map((h) => {
        const links = companies.get(h.contactId) ?? [];
        const company = links.find((l) => l.typeIds.includes(PRIMARY_CONTACT_TO_COMPANY)) ?? links[0];
        return { id: h.contactId, owner: h.ownerId, name: nameOf(byId.get(h.contactId)!), companyId: company?.id ?? null };
      });
  }
}

/** The contact properties a Lead's name is made of. */
export const LEAD_NAME_PROPERTIES = ['firstname', 'lastname', 'email'];

/** The contact's full name, else its email: how HubSpot's own UI names a Lead ("The full name of the lead"). */
export function nameOf(properties: Readonly<Record<string, string | null | undefined>>): string | undefined {
  const full = [properties.firstname, properties.lastname].map((s) => (s ?? '').trim()).filter((s) => s !== '').join(' ');
  return full || (properties.email ?? '').trim() || undefined;
}

export function leadName(c: LeadContact): string {
  return c.name ?? `Contact ${c.id}`;
}

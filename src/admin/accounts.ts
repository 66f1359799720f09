import { evaluate, evaluateAccount, type AccountContact, type AccountDecision, type CompiledDefinition, type Facts } from '../definition';
import type { MirrorContact, MirrorDeal } from '../store/mirror-types';
import type { LeadOutcome } from './outcomes';
import type { LeadFacts } from './lead-facts';

/**
 * The portal's accounts as the admin tools judge them (what-if, calibrate): each company with the contacts
 * whose primary company it is (the rule the worker and readPortalLeads follow), built from the leads already
 * read, so accounts cost no HubSpot call of their own. A company no contact has as its primary company has
 * no buying group to judge and is left out. Pure.
 */
export interface PortalAccount {
  /** The company's record id. */
  id: string;
  /** The company's facts (the properties asked for); empty when none were asked for. */
  company: Facts;
  /** Its contacts, by id. */
  contacts: LeadFacts[];
}

/** Contact properties the account tools read besides the definitions' own: what a rep knows a contact by. */
export const CONTACT_LABEL_PROPERTIES = ['firstname', 'lastname', 'email'] as const;

/** Leads grouped by primary company (`companyId`, which readPortalLeads gives when asked), by company id. */
export function portalAccounts(leads: readonly LeadFacts[]): PortalAccount[] {
  const byId = new Map<string, PortalAccount>();
  for (const lead of leads) {
    if (lead.companyId === undefined || lead.companyId === null) continue;
    let account = byId.get(lead.companyId);
    if (!account) byId.set(lead.companyId, (account = { id: lead.companyId, company: lead.company ?? {}, contacts: [] }));
    account.contacts.push(lead);
  }
  const out = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const a of out) a.contacts.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return out;
}

/**
 * The account decision of a definition with an `accounts` section, at `now`. Each contact's decision (its
 * scores) comes from evaluate() on its own inputs: the definition check rejects account rules that read what
 * contact rules derive from the account, so the scores do not depend on the account being judged.
 */
export function judgeAccount(def: CompiledDefinition, account: PortalAccount, now: number): AccountDecision {
  const contacts: AccountContact[] = account.contacts.map((lead) => {
    const d = evaluate(def, lead.contact, lead.company, now);
    const label = contactLabel(lead.contact);
    return { id: lead.id, ...(label !== null ? { label } : {}), facts: lead.contact, decision: { fitScore: d.fitScore, engagementScore: d.engagementScore, totalScore: d.totalScore } };
  });
  return evaluateAccount(def, account.company, contacts, now);
}

/** Name, else email, else null (the reasons then name the contact by id). */
export function contactLabel(contact: Facts): string | null {
  const name = [contact.firstname, contact.lastname].filter((v) => typeof v === 'string' && v.trim() !== '').join(' ');
  if (name !== '') return name;
  return typeof contact.email === 'string' && contact.email !== '' ? contact.email : null;
}

/**
 * What became of each account, from the mirror: it reached an opportunity when a deal names it as its
 * company, or when one of its contacts converted (a deal of the contact's, or the worker's `convertedAt`).
 * `createdAt` is its oldest contact's creation: an account whose first contact is recent had no time to
 * convert. An account none of whose contacts is in the mirror, and that no deal names, has no outcome.
 */
export function accountOutcomes(accounts: readonly PortalAccount[], leadOutcomes: ReadonlyMap<string, LeadOutcome>, mirror: { contacts: MirrorContact[]; deals: MirrorDeal[] }): Map<string, LeadOutcome> {
  const dealCompanies = new Map<string, boolean>();
  for (const d of mirror.deals) {
    if (d.deleted || d.companyId === null) continue;
    dealCompanies.set(d.companyId, (dealCompanies.get(d.companyId) ?? false) || d.won);
  }
  const converted = new Set(mirror.contacts.filter((c) => !c.deleted && c.convertedAt !== null).map((c) => c.id));
  const out = new Map<string, LeadOutcome>();
  for (const a of accounts) {
    const known = a.contacts.map((c) => ({ id: c.id, outcome: leadOutcomes.get(c.id) })).filter((c) => c.outcome !== undefined);
    const named = dealCompanies.get(a.id);
    if (known.length === 0 && named === undefined) continue;
    const created = known.map((c) => c.outcome!.createdAt).filter((t): t is number => t !== null);
    out.set(a.id, {
      opportunity: named !== undefined || known.some((c) => c.outcome!.opportunity || converted.has(c.id)),
      won: named === true || known.some((c) => c.outcome!.won),
      createdAt: created.length === 0 ? null : Math.min(...created),
    });
  }
  return out;
}

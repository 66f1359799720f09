import { waitingOutRateLimits } from '../hubspot/rate-limit-wait';
import type { CrmGateway } from '../hubspot/types';
import type { LeadFacts } from './lead-facts';

/** HubSpot's primary contact-to-company association type (v4, HUBSPOT_DEFINED). */
const PRIMARY_CONTACT_TO_COMPANY = 1;

export interface ReadProgress {
  phase: 'contacts' | 'companies';
  records: number;
}

/**
 * Every contact of the portal with the properties asked for, and its primary company's: read-only, for the
 * admin tools that evaluate definitions without writing (what-if, calibrate). Calls: one page per 100
 * contacts, one association read per 1,000, one company read per 100 linked companies. The associations are
 * read when company properties are asked for, or `companyIds` (accounts group the contacts by their primary
 * company: the same reads serve them, see ./portal-accounts.ts).
 */
export async function readPortalLeads(
  gateway: CrmGateway,
  contactProperties: readonly string[],
  companyProperties: readonly string[],
  onProgress?: (p: ReadProgress) => void,
  options: { companyIds?: boolean } = {},
): Promise<LeadFacts[]> {
  const contacts: Array<{ id: string; properties: Record<string, string | null> }> = [];
  const asked = [...new Set(['email', ...contactProperties])];
  let after: string | undefined;
  do {
    // `uld serve` draws on the same app budget from another process: its 429s are waited out, not fatal.
    const cursor = after;
    const page = await waitingOutRateLimits(() => gateway.page('contacts', asked, cursor));
    for (const r of page.records) contacts.push({ id: r.id, properties: r.properties });
    onProgress?.({ phase: 'contacts', records: contacts.length });
    after = page.after;
  } while (after);

  const primary = new Map<string, string>();
  if ((companyProperties.length > 0 || options.companyIds === true) && contacts.length > 0) {
    const links = await waitingOutRateLimits(() => gateway.associations('contacts', 'companies', contacts.map((c) => c.id)));
    for (const [id, list] of links) {
      const chosen = list.find((l) => l.typeIds.includes(PRIMARY_CONTACT_TO_COMPANY)) ?? list[0];
      if (chosen) primary.set(id, chosen.id);
    }
  }
  const companies = new Map<string, Record<string, string | null>>();
  const companyIds = [...new Set(primary.values())];
  if (companyIds.length > 0 && companyProperties.length > 0) {
    const read = await waitingOutRateLimits(() => gateway.read('companies', companyIds, [...companyProperties]));
    for (const r of read.records) companies.set(r.id, r.properties);
    onProgress?.({ phase: 'companies', records: companies.size });
  }
  return contacts.map((c) => {
    const companyId = primary.get(c.id);
    const lead: LeadFacts = { id: c.id, email: c.properties.email ?? null, contact: c.properties, company: companyId === undefined ? null : (companies.get(companyId) ?? null) };
    if (options.companyIds === true) lead.companyId = companyId ?? null;
    return lead;
  });
}

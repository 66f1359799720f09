import type { MirrorContact } from '../store/mirror-types';

/**
 * A company's lead figures from the mirror of its contacts (those whose primary company it is). Pure.
 * Lead-to-opportunity rate = leads that got an associated deal / leads (the shared domain formula),
 * written in percent with one decimal; empty when the company has no leads, because 0 % would be a claim.
 */

export const COMPANY_SYNC_INPUTS = ['uld_leads', 'uld_qualified_leads', 'uld_opportunities', 'uld_lead_to_opportunity_rate'] as const;

export function companyFigures(contacts: readonly MirrorContact[]): Record<(typeof COMPANY_SYNC_INPUTS)[number], string> {
  const leads = contacts.filter((c) => !c.deleted);
  const qualified = leads.filter((c) => c.qualifiedAt !== null).length;
  const opportunities = leads.filter((c) => c.convertedAt !== null).length;
  return {
    uld_leads: String(leads.length),
    uld_qualified_leads: String(qualified),
    uld_opportunities: String(opportunities),
    uld_lead_to_opportunity_rate: leads.length === 0 ? '' : String(Math.round((1000 * opportunities) / leads.length) / 10),
  };
}

export function companyChanges(current: Readonly<Record<string, string | null | undefined>>, contacts: readonly MirrorContact[]): Record<string, string> {
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(companyFigures(contacts))) {
    const cur = current[name] ?? '';
    if (cur === value || (cur !== '' && value !== '' && Number(cur) === Number(value))) continue;
    changes[name] = value;
  }
  return changes;
}

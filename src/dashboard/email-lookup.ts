import type { CrmGateway } from '../hubspot/types';

/**
 * The mirror keeps no email (it holds only what the metrics need), so the decisions search asks HubSpot
 * which contact ids carry an email, through the gateway's search limiter.
 */
export function emailLookup(gateway: Pick<CrmGateway, 'search'>): (email: string) => Promise<string[]> {
  return async (email) => {
    const page = await gateway.search('contacts', [{ propertyName: 'email', operator: 'EQ', value: email.trim().toLowerCase() }], ['email'], { limit: 10 });
    return page.records.map((r) => r.id);
  };
}

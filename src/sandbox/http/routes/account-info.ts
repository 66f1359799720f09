import type { RouteEnv, Router } from '../router';
import { addVersioned } from '../versions';

/**
 * `GET /account-info/{v3|2026-03|2026-09}/details`: the portal's id, type, time zone and currencies
 * (`PortalInformationResponse` in HubSpot's account-info specs; every field is required there). The
 * sandbox portal is a standard account hosted in na1 (its tokens are `pat-na1-…`), on UTC.
 */
export function registerAccountInfoRoutes(router: Router, env: RouteEnv): void {
  addVersioned(router, 'GET', 'accountInfo', '/details', () => ({
    status: 200,
    body: {
      portalId: env.portal.portalId,
      accountType: 'STANDARD',
      timeZone: 'Etc/UTC',
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: '+00:00',
      utcOffsetMilliseconds: 0,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    },
  }));
}

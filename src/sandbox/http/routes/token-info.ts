import { validationError, HubSpotHttpError, errorBody } from '../../errors';
import type { Router } from '../router';

/** What the portal knows about the private app tokens it issued: the app, and the scopes granted. */
export interface TokenRegistry {
  lookup(token: string): { appId: number; scopes: readonly string[] } | undefined;
  portalId: number;
}

/**
 * HubSpot's private-app token introspection: `POST /oauth/v2/private-apps/get/access-token-info` with
 * `{"tokenKey": "pat-..."}` answers the app, the account and the scopes the token carries (HubSpot's
 * private apps guide, "Show private app access token information"). `uld install` and `uld doctor` use
 * it to name missing scopes before any call fails for lack of one.
 */
export function registerTokenInfoRoutes(router: Router, tokens: TokenRegistry): void {
  router.add('POST', '/oauth/v2/private-apps/get/access-token-info', (ctx) => {
    const body = ctx.body as { tokenKey?: unknown } | undefined;
    if (!body || typeof body.tokenKey !== 'string' || body.tokenKey.length === 0) throw validationError('tokenKey is required: the private app access token to describe');
    const found = tokens.lookup(body.tokenKey);
    if (!found) throw new HubSpotHttpError(404, errorBody('OBJECT_NOT_FOUND', 'No private app access token matches tokenKey'));
    return { status: 200, body: { userId: 1_000_001, hubId: tokens.portalId, appId: found.appId, scopes: [...found.scopes] } };
  });
}

import { verifyHubSpotSignature, type SignatureFailure } from '../../webhooks/signature';

/**
 * Who may call the card's backend: only `hubspot.fetch` requests HubSpot signed for this app, from this
 * portal (shared doc §5.4). Pure apart from the clock passed in.
 *
 * HubSpot signs with the app's client secret (v3: HMAC-SHA256 over method + URL + body + timestamp) the URL
 * it called: the origin of WEBHOOK_PUBLIC_URL (the origin listed in the app's permittedUrls.fetch) with the
 * request's path and query as it reached us (`req.originalUrl`; a proxy in front must not rewrite them).
 * Only then are the query's `appId` and `portalId` trusted, and checked against HUBSPOT_APP_ID and
 * HUBSPOT_PORTAL_ID.
 *
 * The migration window's previous app (HUBSPOT_PREVIOUS_*) is a legacy private app: legacy apps have no UI
 * extensions, so no card request can come from it, and its secret does not open the card's routes.
 */
export interface CardAuthSettings {
  clientSecret: string;
  /** The origin HubSpot calls: scheme, host and port of WEBHOOK_PUBLIC_URL. */
  origin: string;
  appId: number;
  portalId: number;
}

export type CardAuthResult =
  | { ok: true; query: URLSearchParams }
  | { ok: false; status: 401; reason: SignatureFailure; detail: string }
  | { ok: false; status: 403; reason: 'wrong_app' | 'wrong_portal'; detail: string };

/** The settings the card's routes need, or the sentence naming those missing (they then answer 503). */
export function cardAuthSettings(s: { clientSecret?: string; publicUrl?: string; appId?: number; portalId?: number }): CardAuthSettings | string {
  const missing = [
    s.clientSecret ? null : 'HUBSPOT_CLIENT_SECRET (checks HubSpot\'s signature)',
    s.publicUrl ? null : 'WEBHOOK_PUBLIC_URL (its origin is the URL HubSpot signs)',
    s.appId !== undefined ? null : 'HUBSPOT_APP_ID (only this app\'s card is served)',
    s.portalId !== undefined ? null : 'HUBSPOT_PORTAL_ID (only this portal\'s records are shown)',
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) return `the card's backend is closed until ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} set`;
  return { clientSecret: s.clientSecret!, origin: new URL(s.publicUrl!).origin, appId: s.appId!, portalId: s.portalId! };
}

/** The one value of a query parameter; undefined when absent, null when it is given twice with different values. */
export function single(query: URLSearchParams, name: string): string | undefined | null {
  const values = [...new Set(query.getAll(name))];
  return values.length === 0 ? undefined : values.length === 1 ? values[0]! : null;
}

export function checkCardRequest(
  settings: CardAuthSettings,
  req: { method: string; originalUrl: string; headers: Record<string, string | string[] | undefined>; rawBody: Buffer },
  now: number,
): CardAuthResult {
  const url = `${settings.origin}${req.originalUrl}`;
  const verify = (signed: string, decodeUri: boolean) =>
    verifyHubSpotSignature({ method: req.method, publicUrl: signed, rawBody: req.rawBody, headers: req.headers, clientSecret: settings.clientSecret, acceptV1: false, now, decodeUri });
  // Two things about the signed URL are not documented (shared doc §5.4): whether HubSpot signs it before or
  // after appending `appId`, and whether it decodes escapes (%40 in a user's email) first, as its webhook
  // signatures do, or signs the text as sent, as its dev-server proxy does. Each variant is an HMAC with our
  // secret over the request as received, so accepting any of them lets nothing unsigned in.
  const withoutAppId = url.replace(/[?&]appId=[^&#]*$/, '');
  const variants = [...new Set([url, withoutAppId])].flatMap((u) => [[u, false], [u, true]] as const);
  let verdict = verify(url, false);
  for (const [u, decode] of variants.slice(1)) {
    if (verdict.ok || verdict.reason !== 'bad_signature') break;
    verdict = verify(u, decode);
  }
  if (!verdict.ok) return { ok: false, status: 401, reason: verdict.reason, detail: verdict.detail };
  const query = new URL(url).searchParams;
  const appId = single(query, 'appId');
  if (appId !== String(settings.appId)) {
    return { ok: false, status: 403, reason: 'wrong_app', detail: `appId ${appId === undefined ? 'missing' : JSON.stringify(appId)} is not this app's (HUBSPOT_APP_ID ${settings.appId})` };
  }
  const portalId = single(query, 'portalId');
  if (portalId !== String(settings.portalId)) {
    return { ok: false, status: 403, reason: 'wrong_portal', detail: `portalId ${portalId === undefined ? 'missing' : JSON.stringify(portalId)} is not this portal (HUBSPOT_PORTAL_ID ${settings.portalId})` };
  }
  return { ok: true, query };
}

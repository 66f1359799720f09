import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot request signatures, checked in our own code: the SDK's `Signature.isValid` throws on a stale
 * timestamp, accepts future ones, does not URL-decode the URI and compares with `===`.
 *
 * v3 (https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests):
 *   base64(HMAC-SHA256(clientSecret, method + uri + rawBody + timestamp)), timestamp in ms from
 *   X-HubSpot-Request-Timestamp, rejected when older than 5 minutes.
 * v1: hex(SHA-256(clientSecret + rawBody)); no timestamp, so no replay window: accepted only when configured.
 */

/** HubSpot's window for v3 timestamps. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;
/**
 * How far ahead of our clock a timestamp may be. HubSpot's documentation only bounds the past; a signed
 * request "from the future" is either clock skew or a request captured to be replayed later, so only a
 * small skew passes.
 */
export const MAX_FUTURE_SKEW_MS = 60_000;

export type SignatureFailure =
  | 'missing_signature'
  | 'v1_not_accepted'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature';

/** Which app's secret signed the request: during a migration window the old app's verifies too. */
export type SigningApp = 'current' | 'previous';

export type VerifyResult = { ok: true; version: 'v3' | 'v1'; app: SigningApp } | { ok: false; reason: SignatureFailure; detail: string };

export interface VerifyInput {
  method: string;
  /** The exact public URL HubSpot called (WEBHOOK_PUBLIC_URL): behind a proxy the request's own URL differs. */
  publicUrl: string;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  clientSecret: string;
  /**
   * HUBSPOT_PREVIOUS_CLIENT_SECRET: during a migration window the old legacy app signs its own deliveries
   * with its own secret, so either secret verifies.
   */
  previousClientSecret?: string;
  acceptV1: boolean;
  now: number;
  /**
   * Decode the characters HubSpot's webhook docs list before hashing (the default). `false` hashes the URL
   * exactly as given: what HubSpot's `hubspot.fetch` signing in its dev-server proxy does.
   */
  decodeUri?: boolean;
}

/** The characters HubSpot's docs say to decode in the URI before hashing; everything else stays encoded. */
const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function signedUri(publicUrl: string): string {
  return publicUrl.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()]!);
}

function header(headers: VerifyInput['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Constant-time for equal lengths; a length difference leaks nothing an attacker does not know. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function computeV3(clientSecret: string, method: string, uri: string, rawBody: Buffer | string, timestamp: string, decodeUri = true): string {
  return createHmac('sha256', clientSecret)
    .update(`${method.toUpperCase()}${decodeUri ? signedUri(uri) : uri}`, 'utf8')
    .update(rawBody)
    .update(timestamp, 'utf8')
    .digest('base64');
}

export function computeV1(clientSecret: string, rawBody: Buffer | string): string {
  return createHash('sha256').update(clientSecret, 'utf8').update(rawBody).digest('hex');
}

/**
 * The app whose secret gives `given`. Both secrets are always tried, so the time taken does not tell which
 * one matched; each comparison is constant-time.
 */
function signingApp(input: VerifyInput, compute: (secret: string) => string, given: string): SigningApp | undefined {
  const current = sameText(compute(input.clientSecret), given);
  const previous = input.previousClientSecret !== undefined && sameText(compute(input.previousClientSecret), given);
  return current ? 'current' : previous ? 'previous' : undefined;
}

export function verifyHubSpotSignature(input: VerifyInput): VerifyResult {
  const v3 = header(input.headers, 'x-hubspot-signature-v3');
  if (v3 !== undefined) {
    const timestamp = header(input.headers, 'x-hubspot-request-timestamp');
    if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) {
      return { ok: false, reason: 'malformed_timestamp', detail: `X-HubSpot-Request-Timestamp must be epoch milliseconds, got ${timestamp === undefined ? 'none' : JSON.stringify(timestamp.slice(0, 32))}` };
    }
    const age = input.now - Number(timestamp);
    if (age > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'stale_timestamp', detail: `timestamp is ${Math.round(age / 1000)} s old (limit ${MAX_SIGNATURE_AGE_MS / 1000} s)` };
    if (-age > MAX_FUTURE_SKEW_MS) return { ok: false, reason: 'future_timestamp', detail: `timestamp is ${Math.round(-age / 1000)} s ahead of our clock (limit ${MAX_FUTURE_SKEW_MS / 1000} s)` };
    const app = signingApp(input, (secret) => computeV3(secret, input.method, input.publicUrl, input.rawBody, timestamp, input.decodeUri ?? true), v3);
    if (app === undefined) {
      return { ok: false, reason: 'bad_signature', detail: 'v3 signature does not match (wrong client secret, a body changed in transit, or WEBHOOK_PUBLIC_URL differs from the URL HubSpot calls)' };
    }
    return { ok: true, version: 'v3', app };
  }
  const legacy = header(input.headers, 'x-hubspot-signature');
  if (legacy === undefined) return { ok: false, reason: 'missing_signature', detail: 'no X-HubSpot-Signature-v3 header' };
  const version = (header(input.headers, 'x-hubspot-signature-version') ?? '').toLowerCase();
  if (!input.acceptV1 || version !== 'v1') {
    return { ok: false, reason: 'v1_not_accepted', detail: `only a ${version || 'unversioned'} signature was sent and only v3${input.acceptV1 ? ' and v1 are' : ' is'} accepted (WEBHOOK_ACCEPT_V1)` };
  }
  const app = signingApp(input, (secret) => computeV1(secret, input.rawBody), legacy.toLowerCase());
  if (app === undefined) return { ok: false, reason: 'bad_signature', detail: 'v1 signature does not match' };
  return { ok: true, version: 'v1', app };
}

/**
 * Signs a request the way HubSpot does: for tests, and for checking your own deployment with a request
 * you build yourself (see docs/webhooks.md).
 */
export function signWebhookRequest(args: {
  clientSecret: string;
  uri: string;
  body: string | Buffer;
  method?: string;
  timestamp?: number;
}): Record<'X-HubSpot-Signature-v3' | 'X-HubSpot-Request-Timestamp', string> {
  const timestamp = String(args.timestamp ?? Date.now());
  return {
    'X-HubSpot-Signature-v3': computeV3(args.clientSecret, args.method ?? 'POST', args.uri, args.body, timestamp),
    'X-HubSpot-Request-Timestamp': timestamp,
  };
}

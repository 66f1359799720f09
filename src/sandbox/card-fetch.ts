import { createHash, createHmac, randomUUID } from 'node:crypto';

/**
 * `hubspot.fetch` as HubSpot runs it between an app card and the app's backend, for tests, the demo and the
 * bench (shared doc §5.4; HubSpot's dev-server proxy, `@hubspot/ui-extensions-dev-server` 2.1.2
 * `dist/lib/proxy/{AppProxyService,signing,constants}.js`, whose comments say it mirrors the production
 * backend):
 * - only origins in the app's `permittedUrls.fetch`; only the `Authorization` header from the card;
 * - a JSON object body (sent JSON-encoded with `content-type: application/json`), 1 MB each way;
 * - `appId` appended to the query ("automatically included", HubSpot's ui-extensions-examples README);
 * - signed with the app's client secret: `X-HubSpot-Signature` (v2, hex SHA-256 of secret + method + URL +
 *   body), `X-HubSpot-Signature-Version: v2`, `X-HubSpot-Request-Timestamp` (epoch ms) and
 *   `X-HubSpot-Signature-v3` (base64 HMAC-SHA256 of method + URL + body + timestamp), over the URL called;
 * - 15 s by default (`timeout` up to 120 s), connection set-up included; redirects not followed;
 * - ONE automatic retry on a connection error or a 5xx, inside that window;
 * - at most 20 requests in flight per app and account: the 21st is answered 429 at once;
 * - errors mapped as the dev server maps them: a 3xx-5xx from the backend comes back with HTTP 200,
 *   category BAD_GATEWAY, "Error returned from Request Uri", its status and body; a timeout is 504
 *   GATEWAY_TIMEOUT; a body that is not JSON is 400 VALIDATION_ERROR "Invalid JSON Response Body".
 * What status the card's `Response` then has in production is UNCONFIRMED; `status` here is the proxy's.
 * The 429 and 1 MB answers' bodies are not documented: they use HubSpot's usual error shape (UNCONFIRMED).
 */

export const FETCH_MAX_BYTES = 1_048_576;
export const FETCH_DEFAULT_TIMEOUT_MS = 15_000;
export const FETCH_MAX_TIMEOUT_MS = 120_000;
export const FETCH_MAX_CONCURRENT = 20;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface HubSpotFetchProxyOptions {
  /** The app's client secret: the key of both signatures. */
  clientSecret: string;
  appId: number;
  /** The installed account the card runs in. */
  portalId: number;
  /** The app's `permittedUrls.fetch`: origins the card may call. */
  permittedUrls: readonly string[];
  /** Like the dev server's `local.json` proxy map: a permitted (public) origin to where it really listens. */
  localMapping?: Readonly<Record<string, string>>;
  maxConcurrent?: number;
  clock?: () => number;
}

export interface HubSpotFetchInit {
  method?: string;
  /** A JSON object; anything else is refused, as HubSpot refuses it. */
  body?: unknown;
  timeout?: number;
  headers?: Record<string, string>;
}

interface Context {
  correlationId: string[];
  httpMethod: string[];
  appServerStatusCode?: string[];
  portalId: string[];
  requestUri: string[];
}

export type ProxyEnvelope =
  | { status: 'success'; responseBody: unknown; context: Context }
  | { status: 'error'; category: string; message: string; context: Context; responseBody?: unknown; errors?: unknown[] };

export interface HubSpotFetchResult {
  /** The HTTP status the proxy answers with. */
  status: number;
  /** The backend answered 2xx with JSON. */
  ok: boolean;
  envelope: ProxyEnvelope;
  /** The backend's JSON answer (`responseBody`), when it gave one. */
  body: unknown;
  /** The backend's own status, when it answered. */
  appServerStatus: number | null;
  /** Calls made to the backend: 2 when the automatic retry ran. */
  attempts: number;
}

export interface HubSpotFetchStats {
  requests: number;
  attempts: number;
  retries: number;
  /** Refused with 429: more than the concurrency limit in flight. */
  throttled: number;
  maxInFlight: number;
}

class ProxyFailure extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly appServerStatus?: number,
    readonly responseBody?: unknown,
  ) {
    super(message);
  }
}

/** v2: hex SHA-256 of client secret + method + URL + body (HubSpot's "Validating requests", v2). */
export function fetchSignatureV2(clientSecret: string, method: string, url: string, body: string): string {
  return createHash('sha256').update(`${clientSecret}${method}${url}${body}`, 'utf8').digest('hex');
}

/** v3: base64 HMAC-SHA256 keyed with the client secret over method + URL + body + timestamp. */
export function fetchSignatureV3(clientSecret: string, method: string, url: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${url}${body}${timestamp}`, 'utf8').digest('base64');
}

export class HubSpotFetchProxy {
  private inFlight = 0;
  readonly stats: HubSpotFetchStats = { requests: 0, attempts: 0, retries: 0, throttled: 0, maxInFlight: 0 };
  private readonly clock: () => number;
  private readonly max: number;
  private readonly permitted: Set<string>;

  constructor(private readonly o: HubSpotFetchProxyOptions) {
    this.clock = o.clock ?? Date.now;
    this.max = o.maxConcurrent ?? FETCH_MAX_CONCURRENT;
    this.permitted = new Set(o.permittedUrls.map((u) => new URL(u).origin));
  }

  /** One `hubspot.fetch(url, init)` from the card. Never throws: every outcome is an envelope. */
  async fetch(url: string, init: HubSpotFetchInit = {}): Promise<HubSpotFetchResult> {
    this.stats.requests++;
    const method = (init.method ?? 'GET').toUpperCase();
    const context = (status?: number): Context => ({
      correlationId: [randomUUID()],
      httpMethod: [method],
      ...(status !== undefined ? { appServerStatusCode: [String(status)] } : {}),
      portalId: [String(this.o.portalId)],
      requestUri: [url],
    });
    const error = (f: ProxyFailure): HubSpotFetchResult => {
      const backend = f.appServerStatus !== undefined && f.appServerStatus >= 300;
      const envelope: ProxyEnvelope = backend
        ? { status: 'error', category: 'BAD_GATEWAY', message: 'Error returned from Request Uri', context: context(f.appServerStatus), responseBody: f.responseBody, errors: [{ message: `Unacceptable HTTP status ${f.appServerStatus} calling ${url}` }] }
        : { status: 'error', category: f.category, message: f.message, context: context(f.appServerStatus) };
      return { status: backend ? 200 : f.status, ok: false, envelope, body: f.responseBody, appServerStatus: f.appServerStatus ?? null, attempts: 0 };
    };

    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return error(new ProxyFailure(400, 'VALIDATION_ERROR', 'URL is malformed'));
    }
    if (!(METHODS as readonly string[]).includes(method)) return error(new ProxyFailure(400, 'VALIDATION_ERROR', `Unsupported method ${method}`));
    if (!this.permitted.has(target.origin)) return error(new ProxyFailure(400, 'VALIDATION_ERROR', `${target.origin} is not in the app's permittedUrls.fetch`));
    const headerKeys = Object.keys(init.headers ?? {});
    if (headerKeys.length > 1) return error(new ProxyFailure(400, 'VALIDATION_ERROR', "Only 'Authorization' header is allowed"));
    if (headerKeys.some((h) => h.toLowerCase() !== 'authorization')) {
      return error(new ProxyFailure(400, 'VALIDATION_ERROR', "Invalid Request Headers provided. Only 'Authorization' header is allowed from hubspot.fetch()"));
    }
    const hasBody = WITH_BODY.has(method) && init.body !== undefined && init.body !== null;
    if (hasBody && (typeof init.body !== 'object' || Array.isArray(init.body))) return error(new ProxyFailure(400, 'VALIDATION_ERROR', 'Invalid JSON Request Body'));
    const body = hasBody ? JSON.stringify(init.body) : '';
    if (Buffer.byteLength(body) > FETCH_MAX_BYTES) return error(new ProxyFailure(400, 'VALIDATION_ERROR', `Request payload exceeds ${FETCH_MAX_BYTES} bytes`));
    const timeoutMs = Math.min(Math.max(1, init.timeout ?? FETCH_DEFAULT_TIMEOUT_MS), FETCH_MAX_TIMEOUT_MS);

    if (this.inFlight >= this.max) {
      this.stats.throttled++;
      return error(new ProxyFailure(429, 'RATE_LIMITS', `You have reached your limit of ${this.max} concurrent hubspot.fetch requests for this app and account; retry later`));
    }
    this.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
    try {
      const called = `${url}${target.search ? '&' : '?'}appId=${this.o.appId}`;
      const deadline = this.clock() + timeoutMs;
      let attempts = 0;
      for (;;) {
        attempts++;
        this.stats.attempts++;
        try {
          const answer = await this.send(method, called, body, hasBody, init.headers ?? {}, deadline);
          if (answer.status >= 300) throw new ProxyFailure(answer.status, 'BAD_GATEWAY', 'Error returned from Request Uri', answer.status, answer.json);
          return { status: answer.status, ok: true, envelope: { status: 'success', responseBody: answer.json, context: context(answer.status) }, body: answer.json, appServerStatus: answer.status, attempts };
        } catch (err) {
          const f = err instanceof ProxyFailure ? err : new ProxyFailure(500, 'INTERNAL_SERVER_ERROR', 'Network error');
          const retryable = f.category === 'INTERNAL_SERVER_ERROR' || (f.appServerStatus !== undefined && f.appServerStatus >= 500);
          if (attempts === 1 && retryable && this.clock() < deadline) {
            this.stats.retries++;
            continue;
          }
          return { ...error(f), attempts };
        }
      }
    } finally {
      this.inFlight--;
    }
  }

  private async send(method: string, called: string, body: string, hasBody: boolean, cardHeaders: Record<string, string>, deadline: number): Promise<{ status: number; json: unknown }> {
    const timestamp = this.clock();
    const headers: Record<string, string> = {
      ...cardHeaders,
      'X-HubSpot-Signature': fetchSignatureV2(this.o.clientSecret, method, called, body),
      'X-HubSpot-Signature-Version': 'v2',
      'X-HubSpot-Request-Timestamp': String(timestamp),
      'X-HubSpot-Signature-v3': fetchSignatureV3(this.o.clientSecret, method, called, body, timestamp),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    };
    const remaining = deadline - this.clock();
    if (remaining <= 0) throw new ProxyFailure(504, 'GATEWAY_TIMEOUT', 'Gateway took too long to respond');
    const signal = AbortSignal.timeout(remaining);
    let res: Response;
    try {
      res = await fetch(this.local(called), { method, headers, ...(hasBody ? { body } : {}), redirect: 'manual', signal });
    } catch (err) {
      if (signal.aborted) throw new ProxyFailure(504, 'GATEWAY_TIMEOUT', 'Gateway took too long to respond');
      throw err;
    }
    const text = await readLimited(res, signal);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      if (res.status >= 300) throw new ProxyFailure(res.status, 'BAD_GATEWAY', 'Error returned from Request Uri', res.status, text);
      throw new ProxyFailure(400, 'VALIDATION_ERROR', 'Invalid JSON Response Body');
    }
    return { status: res.status, json };
  }

  private local(called: string): string {
    const url = new URL(called);
    const mapped = this.o.localMapping?.[url.origin];
    if (!mapped) return called;
    const to = new URL(mapped);
    const base = to.pathname.replace(/\/$/, '');
    return `${to.origin}${base}${url.pathname}${url.search}`;
  }
}

async function readLimited(res: Response, signal: AbortSignal): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > FETCH_MAX_BYTES) {
        await reader.cancel();
        throw new ProxyFailure(400, 'VALIDATION_ERROR', `Response payload exceeds ${FETCH_MAX_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof ProxyFailure) throw err;
    if (signal.aborted) throw new ProxyFailure(504, 'GATEWAY_TIMEOUT', 'Gateway took too long to respond');
    throw err;
  }
  return Buffer.concat(chunks).toString('utf8');
}

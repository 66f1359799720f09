import { REQUIRED_SETTING_HELP } from '../config/settings';
/**
 * Errors of the HubSpot gateway, typed by what the caller must do, not by HTTP status:
 * - `TransientError`, `RateLimitedError`: retry later (the unit of work goes back to the queue);
 * - `RecordError`: give up on this record (a dead letter naming why);
 * - `ConfigurationError`: fix the configuration (token, scopes, base URL); retrying cannot help.
 * One base class so callers can `instanceof HubSpotError` and switch on `action`; one factory from the raw
 * answer (`errorFromResponse`), the way stripe-node builds its errors.
 */

export type ErrorAction = 'retry' | 'give-up' | 'fix-configuration';

/** HubSpot's error body (`{status, message, category, correlationId, ...}`); every field may be absent. */
export interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  subCategory?: string;
  correlationId?: string;
  context?: Record<string, string[]>;
  errors?: Array<{ message?: string; code?: string; subCategory?: string; context?: Record<string, string[]> }>;
  errorType?: string;
  policyName?: string;
}

export interface HubSpotErrorDetails {
  /** The call kind (`contacts.batch.update`), so a log line says which call failed. */
  kind?: string;
  status?: number;
  category?: string;
  correlationId?: string;
  body?: unknown;
  cause?: unknown;
}

export class HubSpotError extends Error {
  readonly action: ErrorAction = 'give-up';
  readonly kind?: string;
  readonly status?: number;
  readonly category?: string;
  /** HubSpot's id of the failed request: what its support asks for. */
  readonly correlationId?: string;
  readonly body?: unknown;

  constructor(message: string, details: HubSpotErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = new.target.name;
    if (details.kind !== undefined) this.kind = details.kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.category !== undefined) this.category = details.category;
    if (details.correlationId !== undefined) this.correlationId = details.correlationId;
    if (details.body !== undefined) this.body = details.body;
  }

  /** True when the same call may succeed later. */
  get retryable(): boolean {
    return this.action === 'retry';
  }
}

export type TransientReason = 'server' | 'timeout' | 'network';

/** 5xx, timeout or network failure that outlived the gateway's own retries: retry the unit of work later. */
export class TransientError extends HubSpotError {
  override readonly action = 'retry' as const;
  readonly reason: TransientReason;
  /**
   * The request may have reached HubSpot and been applied (a timeout or dropped connection after sending,
   * or a 5xx). Matters for creates only: a blind retry could create the record twice.
   */
  readonly maybeApplied: boolean;

  constructor(message: string, reason: TransientReason, details: HubSpotErrorDetails & { maybeApplied?: boolean } = {}) {
    super(message, details);
    this.reason = reason;
    this.maybeApplied = details.maybeApplied ?? reason !== 'network';
  }
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

/** HubSpot answered 429, or our limiter knows it would: reschedule at `retryAt`, do not sleep on it. */
export class RateLimitedError extends HubSpotError {
  override readonly action = 'retry' as const;
  /** Epoch ms at which the limit is expected to have room again. */
  readonly retryAt: number;
  readonly policy: RateLimitPolicy;

  constructor(message: string, retryAt: number, policy: RateLimitPolicy, details: HubSpotErrorDetails = {}) {
    super(message, details);
    this.retryAt = retryAt;
    this.policy = policy;
  }
}

/** 401/403 and the like: the token, its scopes or the base URL must be fixed; no retry will help. */
export class ConfigurationError extends HubSpotError {
  override readonly action = 'fix-configuration' as const;
  /** What to fix, for an admin: the variable or the scopes. */
  readonly fix: string;

  constructor(message: string, fix: string, details: HubSpotErrorDetails = {}) {
    super(message, details);
    this.fix = fix;
  }
}

/**
 * A 403 MISSING_SCOPES: the token lacks a scope the call needs. `scopes` are the ones HubSpot named; when
 * `anyOf`, any one of them would do. Retrying cannot help until an admin grants the scope, so the worker
 * dead-letters the units with these names (`uld dead-letters retry` once it is granted).
 */
export class MissingScopesError extends ConfigurationError {
  readonly scopes: readonly string[];
  readonly anyOf: boolean;

  constructor(message: string, scopes: readonly string[], anyOf: boolean, details: HubSpotErrorDetails = {}) {
    super(message, `scopes: ${scopes.join(anyOf ? ' or ' : ', ')}`, details);
    this.scopes = scopes;
    this.anyOf = anyOf;
  }
}

/** What an admin does about missing scopes: the project app (today's route) or a legacy private app. */
export function grantScopesFix(count = 2): string {
  const them = count === 1 ? 'it' : 'them';
  return `add ${them} to requiredScopes in the project's src/app/app-hsmeta.json and re-install the app (\`uld init\`, \`hs project upload\`); a legacy private app: grant ${them} on its Auth tab and update HUBSPOT_ACCESS_TOKEN if it changed`;
}

/** HubSpot refused the request for reasons of its content (400, 404, 409): give up on this record. */
export class RecordError extends HubSpotError {
  override readonly action = 'give-up' as const;
}

const DAY_MS = 86_400_000;

/** Header lookup that ignores case (the SDK lower-cases them, nock and tests may not). */
export function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** `Retry-After` as epoch ms: seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function retryAfterAt(headers: Record<string, string> | undefined, now: number): number | undefined {
  const raw = header(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return now + Math.ceil(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Which limit a 429 is about: the body's `policyName` when there is one; otherwise (a body without it, as
 * the SDK's typed clients used to hand over, or a proxy's) HubSpot's fixed messages and the daily counter.
 */
export function rateLimitPolicy(body: HubSpotErrorBody | undefined, headers: Record<string, string> | undefined): RateLimitPolicy {
  const policy = body?.policyName;
  if (policy === 'DAILY' || policy === 'SECONDLY' || policy === 'TEN_SECONDLY_ROLLING') return policy;
  const message = (body?.message ?? '').toLowerCase();
  if (message.includes('daily')) return 'DAILY';
  if (message.includes('secondly limit') && !message.includes('ten_secondly')) return 'SECONDLY';
  if (header(headers, 'x-hubspot-ratelimit-daily-remaining') === '0') return 'DAILY';
  return 'TEN_SECONDLY_ROLLING';
}

/**
 * When to try again after a 429. `Retry-After` wins when HubSpot sends one (unconfirmed that it does).
 * The daily cap resets at midnight of the account's time zone, which we do not know: waiting for midnight
 * UTC would leave a Pacific portal idle up to 16 hours after its real reset (the early try at UTC midnight
 * fails, and the next would be a day later). So the daily wait is the next midnight UTC or one hour,
 * whichever comes first: about one probing round an hour while capped (every caller waiting in the
 * process tries once when the block lifts, and the first 429 blocks them all again), and at most an hour
 * late. The
 * search limit turns after its second, the rolling limit after one whole interval, which is when every
 * call that filled it has certainly rolled out.
 */
/** How often a daily-capped gateway tries again (see retryAtFor). */
export const DAILY_PROBE_MS = 3_600_000;

export function retryAtFor(policy: RateLimitPolicy, headers: Record<string, string> | undefined, now: number, searchWindowMs = 1_000): number {
  const after = retryAfterAt(headers, now);
  if (after !== undefined) return Math.max(after, now);
  if (policy === 'DAILY') return Math.min((Math.floor(now / DAY_MS) + 1) * DAY_MS, now + DAILY_PROBE_MS);
  if (policy === 'SECONDLY') return now + searchWindowMs;
  const interval = Number(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
  return now + (Number.isFinite(interval) && interval > 0 ? interval : 10_000);
}

/** The scopes a call kind needs (`contacts.batch.update` needs `crm.objects.contacts.write`), for 403 messages. */
export function scopeFor(kind: string | undefined): string | undefined {
  if (!kind) return undefined;
  const [object, area, op] = kind.split('.');
  const write = /update|create|archive/.test(kind);
  if (object === 'associations' || kind.startsWith('associations')) return 'crm.objects.<from and to types>.read';
  if (area === 'properties' || op === 'properties' || kind.includes('propert')) return `crm.schemas.${object}.${write ? 'write' : 'read'}`;
  if (object === 'pipelines') return 'crm.objects.deals.read';
  return `crm.objects.${object}.${write ? 'write' : 'read'}`;
}

/**
 * The scopes a 403 names: `requiredGranularScopes` (current answers) or `requiredScopes` (older ones), in an
 * `errors[]` entry or at the top; `anyOf` when HubSpot says one of them is enough ("One or more of the
 * following scopes are required.").
 */
function requiredScopes(body: HubSpotErrorBody | undefined): string[] {
  const scopes = new Set<string>();
  for (const detail of body?.errors ?? []) {
    for (const [key, values] of Object.entries(detail.context ?? {})) if (/scope/i.test(key)) values.forEach((s) => scopes.add(s));
  }
  for (const [key, values] of Object.entries(body?.context ?? {})) if (/scope/i.test(key)) values.forEach((s) => scopes.add(s));
  return [...scopes];
}

function asBody(body: unknown): HubSpotErrorBody | undefined {
  if (body && typeof body === 'object') return body as HubSpotErrorBody;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as HubSpotErrorBody) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface RawResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  kind?: string;
  /** Clock for `retryAt`; Date.now by default. */
  now?: number;
}

/**
 * Kinds of call whose 404 may name a missing thing rather than a missing endpoint: updating a property that
 * does not exist, and a token the private-app lookup does not describe. Every other call the gateway makes
 * (batch reads and writes, pages, searches, association reads, property lists, pipelines) answers missing
 * records inside a 200/207 batch answer, so a 404 there means the path itself is unknown.
 */
const RECORD_404_KINDS = /\.properties\.update$|^oauth\./;

/**
 * A 404 for a path HubSpot does not serve: no HubSpot error body (a proxy's or an HTML page), or HubSpot's
 * `X-HubSpot-NotFound: true` header, or any 404 of a call that cannot 404 for a record.
 */
function endpointMissing(body: HubSpotErrorBody | undefined, headers: Record<string, string> | undefined, kind: string | undefined): boolean {
  if (kind !== undefined && RECORD_404_KINDS.test(kind)) return false;
  return !body?.category || header(headers, 'x-hubspot-notfound') === 'true' || kind !== undefined;
}

/** The typed error for a non-2xx answer. */
export function errorFromResponse({ status, body: rawBody, headers, kind, now = Date.now() }: RawResponse): HubSpotError {
  const body = asBody(rawBody);
  const details: HubSpotErrorDetails = {
    status,
    ...(kind !== undefined ? { kind } : {}),
    ...(body?.category !== undefined ? { category: body.category } : {}),
    ...((body?.correlationId ?? header(headers, 'x-hubspot-correlation-id')) !== undefined
      ? { correlationId: (body?.correlationId ?? header(headers, 'x-hubspot-correlation-id')) as string }
      : {}),
    body: rawBody,
  };
  const where = kind ? ` (${kind})` : '';
  const said = body?.message ? `: ${body.message}` : '';
  if (status === 429) {
    const policy = rateLimitPolicy(body, headers);
    const retryAt = retryAtFor(policy, headers, now);
    return new RateLimitedError(`HubSpot rate limit ${policy} reached${where}; retry at ${new Date(retryAt).toISOString()}`, retryAt, policy, details);
  }
  if (status === 401) {
    return new ConfigurationError(
      `HubSpot rejected the access token (401${body?.category ? ` ${body.category}` : ''})${where}: set HUBSPOT_ACCESS_TOKEN to ${REQUIRED_SETTING_HELP.HUBSPOT_ACCESS_TOKEN.where}`,
      'HUBSPOT_ACCESS_TOKEN',
      details,
    );
  }
  if (status === 403) {
    const scopes = requiredScopes(body);
    if (scopes.length > 0 && (body?.category === 'MISSING_SCOPES' || body?.category === undefined)) {
      const anyOf = scopes.length > 1 && (body?.errors ?? []).some((e) => /one or more/i.test(e.message ?? ''));
      const named = scopes.length === 1 ? `scope ${scopes[0]}` : anyOf ? `one of the scopes ${scopes.join(', ')}` : `the scopes ${scopes.join(', ')}`;
      return new MissingScopesError(`HubSpot refused${where}: the app lacks ${named}; ${grantScopesFix(scopes.length)}`, scopes, anyOf, details);
    }
    const needed = scopes.length > 0 ? scopes.join(', ') : scopeFor(kind);
    return new ConfigurationError(
      `HubSpot refused the call for lack of permission (403${body?.category ? ` ${body.category}` : ''})${where}: the app needs the scope${scopes.length > 1 ? 's' : ''} ${needed ?? '(see the error body)'}; ${grantScopesFix(scopes.length > 1 ? 2 : 1)}${said}`,
      `scopes: ${needed ?? 'unknown'}`,
      details,
    );
  }
  if (status >= 500 || status === 0) {
    return new TransientError(`HubSpot answered ${status}${where}${said}`, 'server', details);
  }
  if (status === 404 && endpointMissing(body, headers, kind)) {
    // The endpoint itself does not exist: the base URL (or the version) is wrong, for every record alike.
    // Giving up on the records would dead-letter good work; this is the admin's to fix.
    return new ConfigurationError(`No such HubSpot endpoint (404)${where}: check HUBSPOT_API_BASE_URL and HUBSPOT_API_VERSION`, 'HUBSPOT_API_BASE_URL', details);
  }
  return new RecordError(`HubSpot refused the request (${status}${body?.category ? ` ${body.category}` : ''})${where}${said}`, details);
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

/** A failure without an HTTP answer (node-fetch's FetchError and friends), as a TransientError. */
export function networkError(err: unknown, kind?: string): TransientError | undefined {
  const e = err as { code?: unknown; errno?: unknown; type?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errno === 'string' ? e.errno : undefined;
  if (e?.type === 'system' || (code !== undefined && NETWORK_CODES.has(code))) {
    // A refused connection never reached HubSpot; anything later may have.
    return new TransientError(`Network error talking to HubSpot${kind ? ` (${kind})` : ''}: ${String(e.message ?? code)}`, 'network', {
      ...(kind !== undefined ? { kind } : {}),
      cause: err,
      maybeApplied: code !== 'ECONNREFUSED' && code !== 'ENOTFOUND' && code !== 'EAI_AGAIN',
    });
  }
  return undefined;
}

/** Some inputs of a batch create failed: `ids` holds the new id per input (undefined where it failed). */
export class BatchCreateError extends RecordError {
  constructor(
    message: string,
    readonly ids: Array<string | undefined>,
    readonly failures: Array<{ index: number; error: string }>,
    details: HubSpotErrorDetails = {},
  ) {
    super(message, details);
  }
}

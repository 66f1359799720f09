import { HubSpotError, RateLimitedError, TransientError, errorFromResponse, networkError } from './errors';
import type { RollingLimiter } from './limiter';

/**
 * What every HubSpot call goes through: the limiters, a deadline, retries of what is worth retrying, typed
 * errors, call counting. The SDK's generic request has no timeout (api-client issue #387), never throws on
 * an error status and never retries, so all of that lives here.
 */

/**
 * What `client.apiRequest` answers: node-fetch's Response. The SDK neither throws on a 4xx/5xx nor retries
 * one (its retry decorator reacts to thrown errors only; api-client 13.5.0 `client.ts`, `HttpClient.ts`), so
 * the transport reads the status and body itself and owns every retry, limit and deadline.
 */
export interface FetchAnswer {
  status: number;
  headers: { forEach(callback: (value: string, key: string) => void): void };
  text(): Promise<string>;
}

export interface RetryPolicy {
  /** Retries after the first attempt, for 5xx, timeouts and network errors. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface TransportOptions {
  limiter: RollingLimiter;
  searchLimiter: RollingLimiter;
  timeoutMs: number;
  retry: RetryPolicy;
  now?: () => number;
  /** Randomness for jitter (tests fix it). */
  random?: () => number;
}

export interface CallOptions {
  /** Search endpoints also take a slot of the search limiter. */
  search?: boolean;
  /**
   * False for creates: a timeout or dropped connection may have created the record, so those are not
   * retried here (the caller decides, told by `TransientError.maybeApplied`).
   */
  idempotent?: boolean;
}

export interface CallResult<T> {
  data: T;
  status: number;
  headers: Record<string, string>;
}

export interface TransportStats {
  retries: number;
  timeouts: number;
  networkErrors: number;
  serverErrors: number;
  rateLimited: number;
}

class DeadlineExceeded extends Error {}

/** Batch calls, whose every 2xx answer carries a `results` array (possibly empty), by HubSpot's specs. */
const BATCH_KIND = /\.batch\.(read|update|create)$/;

export class Transport {
  private readonly counts: Record<string, number> = {};
  readonly stats: TransportStats = { retries: 0, timeouts: 0, networkErrors: 0, serverErrors: 0, rateLimited: 0 };
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: TransportOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Calls sent, by kind; every attempt counts, retries included (they count against HubSpot's limits too). */
  calls(): Record<string, number> {
    return { ...this.counts };
  }

  /**
   * Runs one HubSpot request: waits for its limiter slots, sends, enforces the deadline (reading the body
   * included), retries 5xx, timeouts and network errors with full-jitter exponential backoff, and turns
   * every non-2xx answer and failure into a typed error (`errorFromResponse`). A 429 is never slept on: it
   * blocks the limiter and is thrown for the caller to reschedule.
   */
  async call<T>(kind: string, send: () => Promise<FetchAnswer>, callOptions: CallOptions = {}): Promise<CallResult<T>> {
    const { search = false, idempotent = true } = callOptions;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.attempt(kind, send, search);
      } catch (err) {
        if (!(err instanceof TransientError)) throw err;
        const retryable = idempotent || !err.maybeApplied;
        if (!retryable || attempt >= this.options.retry.maxRetries) throw err;
        this.stats.retries += 1;
        await sleep(this.backoff(attempt));
      }
    }
  }

  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    return Math.round(this.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
  }

  private async attempt<T>(kind: string, send: () => Promise<FetchAnswer>, search: boolean): Promise<CallResult<T>> {
    const { limiter, searchLimiter, timeoutMs } = this.options;
    // Search first: a call waiting for the (tighter) search limit should not hold a general slot meanwhile.
    const releaseSearch = search ? await searchLimiter.acquire() : undefined;
    let release: ((at?: number) => void) | undefined;
    try {
      release = await limiter.acquire();
    } catch (err) {
      releaseSearch?.();
      throw err;
    }
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    let answer: Answer | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceeded()), timeoutMs);
      });
      answer = await Promise.race([read(send), deadline]);
      limiter.observe(answer.headers);
      if (answer.status >= 300) throw errorFromResponse({ status: answer.status, body: answer.body, headers: answer.headers, kind, now: this.now() });
      // A 2xx that does not say what happened (a proxy's HTML page, an empty or truncated batch answer) is
      // no verdict on the records: giving up on them would dead-letter good work, and reading "no results"
      // as "no records" would mark every id deleted. Retried like a 5xx; a create may have happened.
      if (answer.unreadable) throw new TransientError(`HubSpot answered ${answer.status} with a body that is not JSON (${kind})`, 'server', { kind, status: answer.status, body: answer.text, maybeApplied: true });
      if (BATCH_KIND.test(kind) && !Array.isArray((answer.body as { results?: unknown } | undefined)?.results)) {
        throw new TransientError(`HubSpot answered ${answer.status} to a batch call without its results (${kind})`, 'server', { kind, status: answer.status, body: answer.text, maybeApplied: true });
      }
      return { data: answer.body as T, status: answer.status, headers: answer.headers };
    } catch (err) {
      throw this.classify(err, kind, search);
    } finally {
      clearTimeout(timer);
      const at = this.now();
      release?.(at);
      releaseSearch?.(at);
    }
  }

  private classify(err: unknown, kind: string, search: boolean): HubSpotError {
    if (err instanceof RateLimitedError) {
      this.stats.rateLimited += 1;
      // The search limit blocks searches only; the rolling and daily limits block every call.
      if (err.policy === 'SECONDLY' || search) this.options.searchLimiter.block(err.retryAt, err.policy);
      if (err.policy !== 'SECONDLY') this.options.limiter.block(err.retryAt, err.policy);
      return err;
    }
    if (err instanceof TransientError) {
      this.stats.serverErrors += 1;
      return err;
    }
    if (err instanceof HubSpotError) return err;
    if (err instanceof DeadlineExceeded) {
      this.stats.timeouts += 1;
      return new TransientError(`HubSpot did not answer within ${this.options.timeoutMs} ms (${kind})`, 'timeout', { kind });
    }
    const network = networkError(err, kind);
    if (network) {
      this.stats.networkErrors += 1;
      return network;
    }
    // A bug, or a failure no HTTP status describes: not worth retrying blindly.
    return new HubSpotError(`HubSpot call ${kind} failed: ${(err as Error)?.message ?? String(err)}`, { kind, cause: err });
  }
}

/** What one answer said: status, headers (lower-cased names) and the parsed JSON body. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
  /** A 2xx whose non-empty body is not JSON. */
  unreadable: boolean;
}

async function read(send: () => Promise<FetchAnswer>): Promise<Answer> {
  const response = await send();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  const text = await response.text();
  let body: unknown;
  let unreadable = false;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // An HTML 502 from a proxy is still a 502: errorFromResponse classifies it by status.
    body = text;
    unreadable = true;
  }
  return { status: response.status, headers, body, text, unreadable };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One HubSpot request as the gateway describes it; sent through `client.apiRequest`. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  qs?: Record<string, string>;
  body?: unknown;
}

/** Sends one request of a kind through the transport (limiters, deadline, retries, typed errors). */
export type Send = <T>(kind: string, request: ApiRequest, options?: CallOptions) => Promise<CallResult<T>>;

import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { HubSpotError, RateLimitedError, TransientError, errorFromResponse, networkError } from './errors';
import type { RollingLimiter } from './limiter';

/**
 * What every HubSpot call goes through: the limiters, a deadline, retries of what is worth retrying, typed
 * errors, call counting. The SDK has no request timeout (api-client issue #387) and its retries ignore
 * Retry-After and network errors, so all of that lives here and the SDK's own retries stay off.
 */

/**
 * An agent whose sockets die after `timeoutMs` without traffic. The deadline itself is enforced in
 * `Transport.attempt` (the caller gets its error on time); this makes sure the socket of an abandoned
 * request is closed too instead of lingering until the server gives up. Setting `timeout` on the agent
 * matters: Node resets a reused keep-alive socket's timeout to the agent's.
 */
export function deadlineAgent(baseUrl: string, timeoutMs: number): http.Agent {
  const secure = new URL(baseUrl).protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, timeout: timeoutMs }) : new http.Agent({ keepAlive: true, timeout: timeoutMs });
  const create = agent.createConnection.bind(agent) as (options: object, callback?: (err: Error | null, socket: Duplex) => void) => Duplex;
  (agent as unknown as { createConnection: typeof create }).createConnection = (options, callback) => {
    const socket = create(options, callback);
    socket.on('timeout', () => socket.destroy());
    return socket;
  };
  return agent;
}

/** What one SDK call answered, seen by a call-time middleware before the SDK parses (or fails to parse) it. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
}

interface ResponseLike {
  httpStatusCode: number;
  headers: Record<string, string>;
}

/**
 * SDK call options that record the raw status and headers of the answer. The SDK throws a plain Error
 * without the status when a body does not parse (an HTML 502 from a proxy, an empty body without a
 * content type); with the probe we still know what HubSpot said. `append` keeps the SDK's own middleware
 * (user agent, http agent).
 */
export function probe(answer: Answer): { middleware: Array<{ pre<T>(ctx: T): Promise<T>; post<T extends ResponseLike>(ctx: T): Promise<T> }>; middlewareMergeStrategy: 'append' } {
  return {
    middleware: [
      {
        pre: <T>(ctx: T) => Promise.resolve(ctx),
        post: <T extends ResponseLike>(ctx: T) => {
          answer.status = ctx.httpStatusCode;
          answer.headers = ctx.headers;
          return Promise.resolve(ctx);
        },
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

export type SdkOptions = ReturnType<typeof probe>;

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
   * Runs one SDK call: waits for its limiter slots, sends, enforces the deadline, retries 5xx, timeouts and
   * network errors with full-jitter exponential backoff, and turns every failure into a typed error.
   * A 429 is never slept on: it blocks the limiter and is thrown for the caller to reschedule.
   */
  async call<T>(kind: string, send: (options: SdkOptions) => Promise<T>, callOptions: CallOptions = {}): Promise<CallResult<T>> {
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

  private async attempt<T>(kind: string, send: (options: SdkOptions) => Promise<T>, search: boolean): Promise<CallResult<T>> {
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
    const answer: Answer = {};
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceeded()), timeoutMs);
      });
      const data = await Promise.race([send(probe(answer)), deadline]);
      limiter.observe(answer.headers);
      return { data, status: answer.status ?? 200, headers: answer.headers ?? {} };
    } catch (err) {
      limiter.observe(answer.headers);
      throw this.classify(err, kind, answer, search);
    } finally {
      clearTimeout(timer);
      const at = this.now();
      release?.(at);
      releaseSearch?.(at);
    }
  }

  private classify(err: unknown, kind: string, answer: Answer, search: boolean): HubSpotError {
    if (err instanceof HubSpotError) return err;
    if (err instanceof DeadlineExceeded) {
      this.stats.timeouts += 1;
      return new TransientError(`HubSpot did not answer within ${this.options.timeoutMs} ms (${kind})`, 'timeout', { kind });
    }
    const sdk = err as { code?: unknown; body?: unknown; headers?: Record<string, string> };
    const status = typeof sdk?.code === 'number' ? sdk.code : answer.status;
    if (status !== undefined && status >= 300) {
      const error = errorFromResponse({ status, body: sdk?.body, headers: sdk?.headers ?? answer.headers ?? {}, kind, now: this.now() });
      if (error instanceof RateLimitedError) {
        this.stats.rateLimited += 1;
        // The search limit blocks searches only; the rolling and daily limits block every call.
        if (error.policy === 'SECONDLY' || search) this.options.searchLimiter.block(error.retryAt, error.policy);
        if (error.policy !== 'SECONDLY') this.options.limiter.block(error.retryAt, error.policy);
      } else if (error instanceof TransientError) this.stats.serverErrors += 1;
      return error;
    }
    const network = networkError(err, kind);
    if (network) {
      this.stats.networkErrors += 1;
      return network;
    }
    // A 2xx whose body the SDK could not read, or a bug: not worth retrying blindly.
    return new HubSpotError(`HubSpot call ${kind} failed: ${(err as Error)?.message ?? String(err)}`, { kind, ...(status !== undefined ? { status } : {}), cause: err });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

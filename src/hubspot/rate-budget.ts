import { RollingLimiter } from './limiter';

/**
 * One app's calls to one portal: the burst limiter (HUBSPOT_RATE_LIMIT_PER_10S, adjusted by HubSpot's
 * headers) and the search limiter (about 5 a second). HubSpot counts both per app and account, so every
 * gateway of a process draws from one budget: two that each believed they had the whole of it would end in
 * 429s. The gateway that creates a budget owns it and closes it; gateways made from it with
 * `withPolicy` only borrow it.
 */
export interface RateBudget {
  readonly limiter: RollingLimiter;
  readonly searchLimiter: RollingLimiter;
}

export interface RateBudgetOptions {
  /** Calls per window until HubSpot's headers say otherwise (100 per 10 s by default). */
  rateLimitPer10s?: number;
  rateLimitWindowMs?: number;
  /** Search calls per window (HubSpot: about 5 per second per account). */
  searchPerSecond?: number;
  searchWindowMs?: number;
  now?: () => number;
}

export function rateBudget(options: RateBudgetOptions): RateBudget {
  const now = options.now ?? Date.now;
  return {
    limiter: new RollingLimiter({ limit: options.rateLimitPer10s ?? 100, windowMs: options.rateLimitWindowMs ?? 10_000, name: 'hubspot', now }),
    searchLimiter: new RollingLimiter({ limit: options.searchPerSecond ?? 5, windowMs: options.searchWindowMs ?? 1_000, name: 'search', now }),
  };
}

/** Rejects the waits still queued and stops the limiters' timers. */
export function closeRateBudget(budget: RateBudget): void {
  budget.limiter.close();
  budget.searchLimiter.close();
}

import type { RateLimitPolicy } from './errors';

/**
 * HubSpot's API limits: a rolling 10-second burst window per app, a daily cap per account, and a separate
 * per-second limit on the CRM search endpoints. Figures from HubSpot's usage guidelines (shared platform
 * doc): Free/Starter 100 per 10 s and 250,000 a day; Professional 190 and 625,000; Enterprise 190 and
 * 1,000,000; the API limit add-on 250 per 10 s and 1,000,000 more a day (modelled on Professional);
 * search about 5 requests per second per account.
 */
export type Tier = 'free' | 'starter' | 'professional' | 'enterprise' | 'api-add-on';

export const TIER_LIMITS: Record<Tier, { perWindow: number; daily: number }> = {
  free: { perWindow: 100, daily: 250_000 },
  starter: { perWindow: 100, daily: 250_000 },
  professional: { perWindow: 190, daily: 625_000 },
  enterprise: { perWindow: 190, daily: 1_000_000 },
  'api-add-on': { perWindow: 250, daily: 1_625_000 },
};

export interface RateLimitOptions {
  tier?: Tier;
  /** Calls per window per app (default from the tier). */
  perWindow?: number;
  /** Length of the rolling burst window; 10,000 ms at HubSpot, shorter in tests. */
  windowMs?: number;
  /** Calls per day per account (default from the tier); the day turns at midnight UTC. */
  daily?: number;
  searchPerSecond?: number;
  searchWindowMs?: number;
  /** Switches every limit off (benchmarks of the product's own throughput). */
  enabled?: boolean;
  /** Time source; tests pass a controllable clock to roll windows without sleeping. */
  now?: () => number;
}

export type RateDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; policy: RateLimitPolicy; headers: Record<string, string>; retryAt: number };

const DAY_MS = 86_400_000;

export class RateLimiter {
  readonly perWindow: number;
  readonly windowMs: number;
  readonly daily: number;
  readonly searchPerSecond: number;
  readonly searchWindowMs: number;
  readonly enabled: boolean;
  private readonly now: () => number;
  private readonly windows = new Map<string, number[]>();
  private searchCalls: number[] = [];
  private day = -1;
  private dailyUsed = 0;

  constructor(options: RateLimitOptions = {}) {
    const tier = TIER_LIMITS[options.tier ?? 'free'];
    this.perWindow = options.perWindow ?? tier.perWindow;
    this.windowMs = options.windowMs ?? 10_000;
    this.daily = options.daily ?? tier.daily;
    this.searchPerSecond = options.searchPerSecond ?? 5;
    this.searchWindowMs = options.searchWindowMs ?? 1_000;
    this.enabled = options.enabled ?? true;
    this.now = options.now ?? Date.now;
  }

  /** Admits or refuses one call of an app; an admitted call is counted, a refused one is not. */
  admit(app: string, isSearch: boolean): RateDecision {
    const now = this.now();
    const dayIndex = Math.floor(now / DAY_MS);
    if (dayIndex !== this.day) {
      this.day = dayIndex;
      this.dailyUsed = 0;
    }
    const window = this.prune(this.windows.get(app) ?? [], now, this.windowMs);
    this.windows.set(app, window);
    this.searchCalls = this.prune(this.searchCalls, now, this.searchWindowMs);
    if (!this.enabled) return { allowed: true, headers: {} };

    if (this.dailyUsed >= this.daily) {
      return { allowed: false, policy: 'DAILY', headers: this.headers(window.length, isSearch), retryAt: (dayIndex + 1) * DAY_MS };
    }
    if (window.length >= this.perWindow) {
      return { allowed: false, policy: 'TEN_SECONDLY_ROLLING', headers: this.headers(window.length, isSearch), retryAt: (window[0] as number) + this.windowMs };
    }
    if (isSearch && this.searchCalls.length >= this.searchPerSecond) {
      return { allowed: false, policy: 'SECONDLY', headers: this.headers(window.length, isSearch), retryAt: (this.searchCalls[0] as number) + this.searchWindowMs };
    }
    window.push(now);
    this.dailyUsed += 1;
    if (isSearch) this.searchCalls.push(now);
    return { allowed: true, headers: this.headers(window.length, isSearch) };
  }

  /** Calls left in the current window of an app (what X-HubSpot-RateLimit-Remaining would say). */
  remaining(app: string): number {
    const window = this.prune(this.windows.get(app) ?? [], this.now(), this.windowMs);
    this.windows.set(app, window);
    return Math.max(0, this.perWindow - window.length);
  }

  get dailyRemaining(): number {
    return Math.max(0, this.daily - this.dailyUsed);
  }

  reset(): void {
    this.windows.clear();
    this.searchCalls = [];
    this.dailyUsed = 0;
  }

  private headers(used: number, isSearch: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Daily': String(this.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.daily - this.dailyUsed)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.windowMs),
      'X-HubSpot-RateLimit-Max': String(this.perWindow),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.perWindow - used)),
    };
    if (isSearch) {
      headers['X-HubSpot-RateLimit-Secondly'] = String(this.searchPerSecond);
      headers['X-HubSpot-RateLimit-Secondly-Remaining'] = String(Math.max(0, this.searchPerSecond - this.searchCalls.length));
    }
    return headers;
  }

  private prune(calls: number[], now: number, windowMs: number): number[] {
    let drop = 0;
    while (drop < calls.length && (calls[drop] as number) <= now - windowMs) drop += 1;
    return drop === 0 ? calls : calls.slice(drop);
  }
}

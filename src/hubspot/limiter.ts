import { RateLimitedError, header, type RateLimitPolicy } from './errors';

export interface RollingLimiterOptions {
  /** Calls per window. */
  limit: number;
  windowMs: number;
  /** Name in error messages (`hubspot`, `search`). */
  name?: string;
  now?: () => number;
}

/**
 * A rolling-window limiter shaped like HubSpot's: at most `limit` calls in any `windowMs`. A call holds
 * its slot from the moment it is sent until `windowMs` after its answer arrives: HubSpot counts a call when
 * it arrives, which is somewhere between the two, so counting from the answer never undercounts however
 * the latency varies (counting from the send would let two calls a window apart land closer than that).
 *
 * It is steered by HubSpot's answers: `X-HubSpot-RateLimit-Max`/`-Interval-Milliseconds` replace the
 * configured size when smaller/different, and a `-Remaining` lower than our own count (other instances or
 * apps share the budget) is taken as that many extra calls in the window. A 429 blocks it until `retryAt`:
 * waiting callers and new ones then get a `RateLimitedError` at once instead of sleeping, so a worker can
 * reschedule its unit of work rather than hold it.
 */
export class RollingLimiter {
  limit: number;
  windowMs: number;
  readonly name: string;
  private readonly now: () => number;
  /** End of each occupied slot; Infinity while the call is in flight. */
  private readonly slots: number[] = [];
  private readonly waiters: Array<{ resolve: (release: (answeredAt?: number) => void) => void; reject: (err: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private blocked: { until: number; policy: RateLimitPolicy } | undefined;

  constructor(options: RollingLimiterOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0)) throw new RangeError('a limiter needs limit >= 1 and windowMs > 0');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.name = options.name ?? 'hubspot';
    this.now = options.now ?? Date.now;
  }

  /**
   * Waits for a slot (in arrival order) and returns the function that releases it when the answer comes.
   * Rejects with `RateLimitedError` while a 429 block is in force.
   */
  acquire(): Promise<(answeredAt?: number) => void> {
    const blocked = this.blockedError();
    if (blocked) return Promise.reject(blocked);
    if (this.waiters.length === 0 && this.free() > 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Slots free now. */
  free(): number {
    this.prune();
    return Math.max(0, this.limit - this.slots.length);
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Adopts what HubSpot's rate-limit headers say about the window (see the class comment). */
  observe(headers: Record<string, string> | undefined): void {
    if (!headers) return;
    const max = Number(header(headers, 'x-hubspot-ratelimit-max'));
    const interval = Number(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
    const remaining = Number(header(headers, 'x-hubspot-ratelimit-remaining'));
    if (Number.isInteger(max) && max >= 1 && max < this.limit) this.limit = max;
    if (Number.isFinite(interval) && interval > 0) this.windowMs = interval;
    if (Number.isInteger(remaining) && remaining >= 0) {
      const now = this.now();
      for (let extra = this.free() - remaining; extra > 0; extra -= 1) this.slots.push(now + this.windowMs);
    }
    this.pump();
  }

  /** HubSpot said 429: nothing goes out until `until`; waiters are told so. */
  block(until: number, policy: RateLimitPolicy): void {
    if (this.blocked && this.blocked.until >= until) return;
    this.blocked = { until, policy };
    const err = this.blockedError();
    if (err) for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  /** When the next slot frees (now when one is free). */
  nextFreeAt(): number {
    const now = this.now();
    if (this.blocked && this.blocked.until > now) return this.blocked.until;
    if (this.free() > 0) return now;
    const finite = this.slots.filter((s) => Number.isFinite(s)).sort((a, b) => a - b);
    return finite[0] ?? now + this.windowMs;
  }

  /** Stops the timer and rejects waiters (at shutdown). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`${this.name} limiter closed`));
  }

  private blockedError(): RateLimitedError | undefined {
    const now = this.now();
    if (!this.blocked || this.blocked.until <= now) {
      this.blocked = undefined;
      return undefined;
    }
    return new RateLimitedError(
      `HubSpot ${this.blocked.policy} limit reached (${this.name} limiter blocked until ${new Date(this.blocked.until).toISOString()})`,
      this.blocked.until,
      this.blocked.policy,
    );
  }

  private take(): (answeredAt?: number) => void {
    this.slots.push(Infinity);
    let released = false;
    return (answeredAt?: number) => {
      if (released) return;
      released = true;
      // Every in-flight slot is Infinity, so whichever one is replaced the count stays right.
      const index = this.slots.indexOf(Infinity);
      if (index >= 0) this.slots[index] = (answeredAt ?? this.now()) + this.windowMs;
      this.pump();
    };
  }

  private prune(): void {
    const now = this.now();
    for (let i = this.slots.length - 1; i >= 0; i -= 1) if ((this.slots[i] as number) <= now) this.slots.splice(i, 1);
  }

  private pump(): void {
    const blocked = this.blockedError();
    if (blocked) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(blocked);
      return;
    }
    while (this.waiters.length > 0 && this.free() > 0) this.waiters.shift()?.resolve(this.take());
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0) return;
    const finite = this.slots.filter((s) => Number.isFinite(s));
    // With every slot in flight the next release calls pump(); no timer needed.
    if (finite.length === 0) return;
    const wait = Math.max(1, Math.min(...finite) - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, wait);
  }
}

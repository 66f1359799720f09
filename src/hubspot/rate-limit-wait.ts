import { RateLimitedError } from './errors';

export interface RateLimitWaitOptions {
  /** Give up (rethrow) when the waits would add up to more than this; 2 minutes by default. */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Calls `call`; when HubSpot answers with its burst or search limit (a 429 whose window rolls within
 * seconds), waits until the limit has room and calls again, instead of failing a job run, a backfill or a
 * hand-off that would only be started again later (a 429 was not applied, so calling again is safe even
 * for a create). The gateway already blocks its limiter until `retryAt`, so every
 * other caller waits too. The daily limit is not waited out: it lasts until midnight, and the job fails
 * with HubSpot's message (a backfill resumes from its checkpoint the next day).
 */
export async function waitingOutRateLimits<T>(call: () => Promise<T>, options: RateLimitWaitOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const budget = options.maxWaitMs ?? 120_000;
  let waited = 0;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof RateLimitedError) || err.policy === 'DAILY') throw err;
      const wait = Math.max(0, err.retryAt - now()) + 50;
      if (waited + wait > budget) throw err;
      waited += wait;
      await sleep(wait);
    }
  }
}

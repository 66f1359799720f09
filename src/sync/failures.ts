/**
 * What the worker does with an error from a batch, by what the caller must do: wait (HubSpot's rate limit
 * asked for it: defer without spending an attempt), retry later (5xx, timeouts, network: spend an attempt
 * and back off), or give up on the records (no retry can help: dead-letter with the error).
 */
export type FailurePlan = { kind: 'wait'; until: number; message: string } | { kind: 'retry'; message: string } | { kind: 'permanent'; message: string };

export function classifyFailure(err: unknown, now: number): FailurePlan {
  const e = err as { retryAt?: unknown; action?: unknown; message?: unknown; name?: unknown; scopes?: unknown };
  const message = `${typeof e?.name === 'string' ? `${e.name}: ` : ''}${typeof e?.message === 'string' ? e.message : String(err)}`;
  if (typeof e?.retryAt === 'number' && Number.isFinite(e.retryAt)) return { kind: 'wait', until: Math.max(now, e.retryAt), message };
  // A record HubSpot refuses for its content: no retry can help. Another configuration error (the token, a
  // base URL) is retried with backoff: the admin may fix it, and the attempts still bound it.
  if (e?.action === 'give-up') return { kind: 'permanent', message };
  // A missing scope (MissingScopesError) stays missing until an admin grants it and re-installs: the units
  // go to the dead letters at once, named by the scope, instead of spending every attempt on the same 403;
  // `uld dead-letters retry` puts them back once it is granted.
  if (e?.action === 'fix-configuration' && Array.isArray(e.scopes) && e.scopes.length > 0) return { kind: 'permanent', message };
  return { kind: 'retry', message };
}

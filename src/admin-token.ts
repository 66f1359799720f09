import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The ADMIN_TOKEN check, one for every route the token guards: `/metrics`, the dashboard and its JSON. One
 * helper so no route can compare the token a cheaper, leakier way.
 */

/**
 * Constant time whatever the lengths: both sides are hashed to 32 bytes first, so neither the content nor
 * the length of the token leaks through the comparison's timing (timingSafeEqual alone needs equal lengths,
 * and checking the lengths first tells a caller how long the token is).
 */
export function tokenMatches(given: string, token: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The credential of an `Authorization: Bearer <token>` header, or null when there is none of that form. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer (\S+)$/.exec(header ?? '')?.[1] ?? null;
}

/** True when the Authorization header carries exactly `token` as a bearer credential. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = bearerToken(header);
  return given !== null && tokenMatches(given, token);
}

import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';
import { bearerToken, tokenMatches } from '../admin-token';

/**
 * Who may see the dashboard: whoever holds ADMIN_TOKEN, presented as `Authorization: Bearer <token>` or
 * exchanged once at the login form for a session cookie. The cookie never carries the token itself: it
 * carries an expiry and an HMAC of it keyed by the token, so any instance with the same ADMIN_TOKEN accepts
 * it, and rotating the token ends every session.
 */

export const SESSION_COOKIE = 'uld_dashboard';
export const SESSION_MS = 12 * 3_600_000;

const signature = (token: string, expiresAt: number) => createHmac('sha256', token).update(`uld-dashboard-session:${expiresAt}`).digest('base64url');

export function sessionValue(token: string, expiresAt: number): string {
  return `${expiresAt}.${signature(token, expiresAt)}`;
}

export function sessionValid(value: string, token: string, now: number): boolean {
  const m = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return false;
  const expiresAt = Number(m[1]);
  // The signature is checked even for an expired session, so both paths take the same time.
  const signed = tokenMatches(m[2]!, signature(token, expiresAt));
  return signed && expiresAt > now;
}

/** The value of one cookie from the Cookie header; no cookie-parser: this is the only cookie we read. */
export function cookieOf(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** True when the request carries the token or a live session made with it. */
export function authorized(req: Request, token: string, now: number): boolean {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer !== null) return tokenMatches(bearer, token);
  const session = cookieOf(req, SESSION_COOKIE);
  return session !== null && sessionValid(session, token, now);
}

/**
 * HttpOnly (no script can read it), SameSite=Strict (no other site can make the browser send it), Path=/ so
 * the JSON under /api/metrics works from the same login, Secure whenever the request came over TLS or the
 * server is told its public URL is https (behind a TLS proxy).
 */
export function setSession(req: Request, res: Response, token: string, now: number, alwaysSecure = false): void {
  const flags = [`${SESSION_COOKIE}=${sessionValue(token, now + SESSION_MS)}`, 'Path=/', `Max-Age=${SESSION_MS / 1000}`, 'HttpOnly', 'SameSite=Strict'];
  if (req.secure || alwaysSecure) flags.push('Secure');
  res.append('Set-Cookie', flags.join('; '));
}

export function clearSession(req: Request, res: Response, alwaysSecure = false): void {
  const flags = [`${SESSION_COOKIE}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict'];
  if (req.secure || alwaysSecure) flags.push('Secure');
  res.append('Set-Cookie', flags.join('; '));
}

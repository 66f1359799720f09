import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { PAGE_SLUGS, SESSION_COOKIE } from '../../src/dashboard';
import { tokenMatches } from '../../src/admin-token';
import { setSession } from '../../src/dashboard/auth';
import { STYLESHEET_PATH } from '../../src/dashboard/html';
import { freePort, startService, type Service } from '../../src/server';
import { CONTACTS, DEALS, DECISIONS } from '../metrics/portal';

/**
 * Acceptance 1 of issue 8: without the admin token every dashboard and API route answers 401; the session
 * cookie is HttpOnly and SameSite; no secret of the configuration ever reaches a page, a CSV or the JSON.
 * Runs the real `uld serve` wiring (startService) so the mount in the app is what is tested.
 */

const ADMIN_TOKEN = 'dashboard-admin-token-5f3a9c1e7b';
const ACCESS_TOKEN = 'pat-na1-secret-access-token-4417';
const CLIENT_SECRET = 'client-secret-value-9d2e61';
const SECRETS = [ADMIN_TOKEN, ACCESS_TOKEN, CLIENT_SECRET];

async function serve(env: Record<string, string>): Promise<{ service: Service; url: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-dashboard-access-'));
  const port = await freePort();
  const config = loadConfig({
    HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
    HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
    WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}/webhooks/hubspot`,
    PORT: String(port),
    DATABASE_URL: `sqlite:${path.join(dir, 'uld.db')}`,
    LOG_LEVEL: 'silent',
    SERVE_WORKER: 'false',
    SERVE_SCHEDULER: 'false',
    ...env,
  });
  const service = await startService({ config, host: '127.0.0.1', logger: pino({ level: 'silent' }), roles: [] });
  return { service, url: `http://127.0.0.1:${port}`, dir };
}

describe('dashboard access', () => {
  let world: Awaited<ReturnType<typeof serve>>;
  /** Every GET route of the dashboard and its API, CSV downloads included (their names read from the JSON). */
  let routes: string[];

  beforeAll(async () => {
    world = await serve({ ADMIN_TOKEN });
    await world.service.store.upsertContacts(CONTACTS);
    await world.service.store.upsertDeals(DEALS);
    await world.service.store.recordDecisions(DECISIONS);
    routes = ['/dashboard', '/dashboard/login', STYLESHEET_PATH, '/dashboard/no-such-page', '/api/metrics', '/api/metrics/snapshot', '/dashboard/decisions?q=c1'];
    for (const slug of PAGE_SLUGS) {
      routes.push(`/dashboard/${slug}`, `/api/metrics/${slug}`);
      const res = await fetch(`${world.url}/api/metrics/${slug}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      const { tables } = (await res.json()) as { tables: Record<string, unknown> };
      expect(Object.keys(tables).length).toBeGreaterThan(0);
      for (const id of Object.keys(tables)) routes.push(`/dashboard/${slug}/${id}.csv`);
    }
  });
  afterAll(async () => {
    await world?.service.stop();
    if (world) fs.rmSync(world.dir, { recursive: true, force: true });
  });

  const get = (route: string, headers: Record<string, string> = {}) => fetch(`${world.url}${route}`, { headers, redirect: 'manual' });

  it('when a route is asked with the admin token, then it answers (so the 401s below are the guard, not a missing route)', async () => {
    for (const route of routes.filter((r) => !r.includes('no-such-page'))) {
      const res = await get(route, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect({ route, status: res.status }).toEqual({ route, status: [301, 302, 303].includes(res.status) ? res.status : 200 });
    }
  });

  it.each([
    ['no credentials', {}],
    ['a wrong bearer token of the same length', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith('x') ? 'y' : 'x'}` }],
    ['a longer bearer token', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
    ['a bearer token that is a prefix of the right one', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }],
    ['the token as a Basic credential', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }],
    ['a forged session cookie', { cookie: `${SESSION_COOKIE}=9999999999999.${'A'.repeat(43)}` }],
    ['the raw token as the cookie', { cookie: `${SESSION_COOKIE}=${ADMIN_TOKEN}` }],
  ])('when every dashboard and API route is asked with %s, then each answers 401', async (_what, headers: Record<string, string>) => {
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const res = await get(route, headers);
      const body = await res.text();
      expect({ route, status: res.status }).toEqual({ route, status: 401 });
      for (const secret of SECRETS) expect(body).not.toContain(secret);
    }
    for (const route of ['/dashboard/logout', '/dashboard/funnel']) {
      const res = await fetch(`${world.url}${route}`, { method: 'POST', headers, redirect: 'manual' });
      expect({ route, status: res.status }).toEqual({ route, status: 401 });
    }
  });

  it('when the login form gets the right token, then the session cookie is HttpOnly, SameSite=Strict, not the token, and opens the pages', async () => {
    const wrong = await fetch(`${world.url}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ token: 'not-the-token-at-all' }), redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).not.toContain('not-the-token-at-all');

    const res = await fetch(`${world.url}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ token: ADMIN_TOKEN }), redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/funnel');
    const cookie = res.headers.get('set-cookie')!;
    const attributes = cookie.split(';').map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    // Over plain HTTP the cookie cannot be Secure (the browser would drop it); over TLS it is, see below.
    expect(attributes).not.toContain('Secure');
    expect(cookie).not.toContain(ADMIN_TOKEN);
    const session = attributes[0]!;
    expect(session.startsWith(`${SESSION_COOKIE}=`)).toBe(true);

    const page = await get('/dashboard/funnel', { cookie: session });
    expect(page.status).toBe(200);
    const api = await get('/api/metrics/funnel', { cookie: session });
    expect(api.status).toBe(200);

    const out = await fetch(`${world.url}/dashboard/logout`, { method: 'POST', headers: { cookie: session }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('when the request came over TLS, or the server is told its public URL is https (a TLS proxy in front), then the session cookie is also Secure', () => {
    for (const [req, alwaysSecure] of [
      [{ secure: true }, false],
      [{ secure: false }, true],
    ] as const) {
      const headers: string[] = [];
      const res = { append: (name: string, value: string) => headers.push(`${name}: ${value}`) };
      setSession(req as Request, res as never, ADMIN_TOKEN, Date.now(), alwaysSecure);
      expect(headers).toHaveLength(1);
      expect(headers[0]).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    }
  });

  it('when the pages, the CSVs and the JSON are read with the token, then none contains ADMIN_TOKEN, HUBSPOT_ACCESS_TOKEN or HUBSPOT_CLIENT_SECRET', async () => {
    let pages = 0;
    for (const route of routes) {
      const res = await get(route, { authorization: `Bearer ${ADMIN_TOKEN}` });
      const body = await res.text();
      if (res.status === 200) pages++;
      for (const secret of SECRETS) expect({ route, leaked: body.includes(secret) }).toEqual({ route, leaked: false });
    }
    expect(pages).toBeGreaterThan(30);
  });

  it('when a page is served, then it loads nothing from another origin: a CSP allows this origin only, and no script', async () => {
    const res = await get('/dashboard/funnel', { authorization: `Bearer ${ADMIN_TOKEN}` });
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain(`href="${STYLESHEET_PATH}"`);
  });

  it('when two tokens differ, then they never match, whatever their lengths', () => {
    expect(tokenMatches(ADMIN_TOKEN, ADMIN_TOKEN)).toBe(true);
    expect(tokenMatches('', ADMIN_TOKEN)).toBe(false);
    expect(tokenMatches(`${ADMIN_TOKEN} `, ADMIN_TOKEN)).toBe(false);
  });
});

it('when ADMIN_TOKEN is not set, then the dashboard refuses every route with 503 and says why; it is never open', async () => {
  const world = await serve({});
  try {
    for (const route of ['/dashboard', '/dashboard/funnel', '/api/metrics/funnel', '/api/metrics/snapshot', '/dashboard/funnel/steps.csv']) {
      const res = await fetch(`${world.url}${route}`, { headers: { authorization: 'Bearer anything-at-all-here' } });
      expect({ route, status: res.status }).toEqual({ route, status: 503 });
      expect(await res.text()).toMatch(/ADMIN_TOKEN is not set/);
    }
    const login = await fetch(`${world.url}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ token: 'anything-at-all-here' }), redirect: 'manual' });
    expect(login.status).toBe(503);
    expect(login.headers.get('set-cookie')).toBeNull();
  } finally {
    await world.service.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  }
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fillMirror, portalMirror } from '../../bench/dashboard';
import { dashboardRouter, PAGE_SLUGS } from '../../src/dashboard';
import { HEADER_FIGURES, type PeriodHeader } from '../../src/metrics';
import { openStore, type Store } from '../../src/store';
import { assertBuilt, runUld } from '../server/child';

/**
 * The dashboard's header equals `uld report`'s for the same period, over the same store: the report is the
 * real CLI (`uld report --format json --from --to`), the dashboard the real router over HTTP, both reading the
 * same SQLite file. And every page takes the period: links carry it, the switch is on every page, a bad
 * period is a one-line 400.
 */

const TOKEN = 'period-test-admin-token-5d20a1';
/** The generated portal's `now` (bench/dashboard.ts); the dashboard's clock. */
const NOW = Date.parse('2026-11-23T12:00:00Z');
const auth = { authorization: `Bearer ${TOKEN}` };

let dir: string;
let databaseUrl: string;
let store: Store;
let server: Server;
let base: string;

beforeAll(async () => {
  assertBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-period-'));
  databaseUrl = `sqlite:${path.join(dir, 'uld.db')}`;
  store = await openStore(databaseUrl);
  await fillMirror(store, portalMirror(3000));
  const app = express();
  app.use(dashboardRouter({ store, adminToken: TOKEN, slaHours: 24, clock: () => NOW, databaseUrl, maxAgeMs: 3_600_000, contactCard: async () => null }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (route: string) => fetch(`${base}${route}`, { headers: auth, redirect: 'manual' });

/** The report's header for the period, from the CLI's JSON (its clock is the real one: the periods end before both). */
async function reportHeader(from: string, to: string): Promise<PeriodHeader> {
  const r = await runUld(['report', '--format', 'json', '--from', from, '--to', to], { DATABASE_URL: databaseUrl }, { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const json = JSON.parse(r.stdout) as { header: PeriodHeader; period: { from: string; to: string } };
  expect(json.period).toEqual({ from, to });
  return json.header;
}

/** The header rows the page shows: each figure's raw current, previous and change values. */
function headerOfHtml(html: string): Record<string, Array<number | null>> {
  const out: Record<string, Array<number | null>> = {};
  for (const m of html.matchAll(/<tr data-figure="(\w+)">(.*?)<\/tr>/g)) {
    const values = [...m[2]!.matchAll(/data-key="(current|previous|change)" data-value="([^"]*)"/g)].map((v) => (v[2] === '' ? null : Number(v[2])));
    out[m[1]!] = values;
  }
  return out;
}

describe.each([
  ['a quarter', '2026-06-01', '2026-08-31'],
  ['most of a year', '2025-12-01', '2026-11-22'],
  ['one day', '2026-10-15', '2026-10-15'],
])('the header over %s', (_name, from, to) => {
  it('on the page and in /api/metrics equals `uld report --format json` for the same period, every figure', async () => {
    const expected = await reportHeader(from, to);
    // Not a trivially empty comparison: the period has leads and closed deals.
    if (from !== to) expect([expected.period.leads > 0, expected.period.closedDeals > 0, expected.previous.leads > 0]).toEqual([true, true, true]);
    const api = (await (await get(`/api/metrics/velocity?from=${from}&to=${to}`)).json()) as { header: PeriodHeader; period: unknown };
    expect(api.period).toEqual({ from, to });
    expect(api.header).toEqual(expected);
    const page = await get(`/dashboard/funnel?from=${from}&to=${to}`);
    expect(page.status).toBe(200);
    const shown = headerOfHtml(await page.text());
    expect(Object.keys(shown)).toEqual(HEADER_FIGURES.map((f) => f.key));
    for (const f of HEADER_FIGURES) {
      const c = expected.compare[f.key];
      expect({ figure: f.key, values: shown[f.key] }).toEqual({ figure: f.key, values: [c.current, c.previous, c.change] });
    }
  }, 60_000);
});

describe('every page takes the period', () => {
  it.each(PAGE_SLUGS.map((s) => [s]))('%s: the header, the switch, and links that carry ?from=&to=', async (slug) => {
    const res = await get(`/dashboard/${slug}?from=2026-06-01&to=2026-08-31`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<table id="period-figures" data-from="2026-06-01" data-to="2026-08-31">');
    expect(html).toMatch(new RegExp(`<form class="period" id="period-switch" method="get" action="/dashboard/${slug}"`));
    expect(html).toContain('name="from" value="2026-06-01"');
    for (const days of [30, 90, 365]) expect(html).toContain(`data-days="${days}"`);
    // Every navigation link keeps the period.
    const nav = [...html.matchAll(/<nav aria-label="Pages">(.*?)<\/nav>/g)][0]![1]!;
    const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(PAGE_SLUGS.map((s) => `/dashboard/${s}?from=2026-06-01&to=2026-08-31`));
    // So does every CSV and JSON link of the page's tables.
    for (const m of html.matchAll(/<p class="csv"><a href="([^"]+)" download>.*?<a href="([^"]+)">JSON/g)) {
      expect(m[1]).toMatch(/\?from=2026-06-01&to=2026-08-31$/);
      expect(m[2]).toBe(`/api/metrics/${slug}?from=2026-06-01&to=2026-08-31`);
    }
  }, 60_000);

  it('without a period, the page shows the last 90 days ending today, and its links stay on the default', async () => {
    const html = await (await get('/dashboard/velocity')).text();
    expect(html).toContain('<table id="period-figures" data-from="2026-08-26" data-to="2026-11-23">');
    expect(html).toContain('href="/dashboard/funnel"');
    expect(html).toContain('<a href="/dashboard/velocity?from=2026-08-26&amp;to=2026-11-23" data-days="90" aria-current="true">');
  }, 60_000);

  it('the funnel counts the leads created in the period: its CSV of the period equals the JSON of the period', async () => {
    const csv = await (await get('/dashboard/funnel/stages.csv?from=2026-06-01&to=2026-08-31')).text();
    const json = (await (await get('/api/metrics/funnel?from=2026-06-01&to=2026-08-31')).json()) as { tables: { stages: Array<{ reached: number }> } };
    expect(csv.split('\r\n')[1]).toBe(`Lead,${json.tables.stages[0]!.reached}`);
    const all = (await (await get('/api/metrics/funnel?from=2020-01-01&to=2026-11-23')).json()) as { tables: { stages: Array<{ reached: number }> } };
    expect(json.tables.stages[0]!.reached).toBeLessThan(all.tables.stages[0]!.reached);
  }, 60_000);

  it('/api/metrics/snapshot is over every record without a period (the metrics job\'s figures), over the period with one', async () => {
    const mirror = await store.listMirror();
    const all = (await (await get('/api/metrics/snapshot')).json()) as { since: string | null; overall: { funnel: { leads: number } } };
    expect([all.since, all.overall.funnel.leads]).toEqual([null, mirror.contacts.filter((c) => !c.deleted).length]);
    const r = await runUld(['report', '--format', 'json', '--from', '2026-06-01', '--to', '2026-08-31'], { DATABASE_URL: databaseUrl }, { cwd: dir });
    const reported = JSON.parse(r.stdout) as { overall: unknown };
    const some = (await (await get('/api/metrics/snapshot?from=2026-06-01&to=2026-08-31')).json()) as { since: string; overall: unknown };
    expect(some.since).toBe('2026-06-01');
    // The CLI ages open deals and judges SLAs at its own clock: compare the figures that do not depend on it.
    const noClock = (o: unknown) => JSON.parse(JSON.stringify(o, (k, v: unknown) => (k === 'openAgeDays' || k === 'slaBreaches' ? undefined : v))) as unknown;
    expect(noClock(some.overall)).toEqual(noClock(reported.overall));
  }, 60_000);

  it('the landing page keeps the period it was asked with', async () => {
    const res = await get('/dashboard?from=2026-06-01&to=2026-08-31');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/funnel?from=2026-06-01&to=2026-08-31');
  });

  it.each([
    ['/dashboard/funnel?from=2026-02-30&to=2026-03-31', /^Bad period: from must be a UTC day YYYY-MM-DD, found "2026-02-30"; give e\.g\. from=2026-11-23 in the address/],
    ['/dashboard/velocity?from=2026-03-01&to=2026-02-01', /^Bad period: from \(2026-03-01\) is after to \(2026-02-01\)/],
    ['/dashboard/funnel?from=2026-01-01&from=2026-02-01', /^Bad period: from is given more than once/],
    ['/dashboard/funnel/stages.csv?to=soon', /^Bad period: to must be a UTC day/],
    ['/dashboard/contacts/123?to=soon', /^Bad period: to must be a UTC day/],
  ])('%s: a one-line 400 naming the problem and the fix', async (route, message) => {
    const res = await get(route);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(message);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  it('the JSON API answers a bad period with a 400 and the same message', async () => {
    const res = await get('/api/metrics/funnel?from=tomorrow');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_period', message: 'Bad period: from must be a UTC day YYYY-MM-DD, found "tomorrow"; give e.g. from=2026-11-23 in the address (?from=YYYY-MM-DD&to=YYYY-MM-DD).' });
  });
});

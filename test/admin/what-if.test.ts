import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STATUSES } from '../../src/definition';
import { NO_AS_OF_FACTS_NOTE } from '../../src/admin/as-of';
import type { WhatIfResult } from '../../src/admin/what-if';
import { apiPaths, createGateway, DEFAULT_API_VERSION } from '../../src/hubspot';
import { ASSOCIATION_KINDS, startSandbox, type Sandbox } from '../../src/sandbox';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { runUld } from '../server/child';
import { EXAMPLE } from '../sync/harness';

/** The paths of the API version the product uses by default (HUBSPOT_API_VERSION unset). */
const API = apiPaths(DEFAULT_API_VERSION);

/**
 * Issue 7, acceptance 4: `uld what-if` with a stricter candidate on a hand-built portal. Eleven contacts whose
 * statuses under the example definition are known by construction, deals on some of them; the mirror is
 * filled by a real `uld backfill`, and the conversion per status is checked against figures counted by hand.
 */
const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const primaryCompany = ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!;
const dealToContact = ASSOCIATION_KINDS.find((k) => k.from === 'deals' && k.to === 'contacts')!;

describe('uld what-if on a hand-built portal', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5 });
    const { portal } = sandbox;
    const now = Date.now();
    const target = portal.create('companies', { name: 'Fintech', domain: 'fintech.example', industry: 'FINANCIAL_SERVICES', numberofemployees: '400', annualrevenue: '50000000', country: 'Germany' }, USER).id;
    const small = portal.create('companies', { name: 'Corner shop', domain: 'shop.example', industry: 'RETAIL', numberofemployees: '12', annualrevenue: '900000', country: 'Brazil' }, USER).id;
    const fit = { jobtitle: 'VP Marketing', country: 'United States' };
    // Engagement: a demo request today (30), 25 page views and a visit today (10 + 5): 45. Without the views: 35.
    const hot = { ...fit, recent_conversion_event_name: 'Demo request', recent_conversion_date: String(now), hs_analytics_num_page_views: '25', hs_analytics_last_visit_timestamp: String(now) };
    const warm = { ...fit, recent_conversion_event_name: 'Demo request', recent_conversion_date: String(now), hs_analytics_num_page_views: '2', hs_analytics_last_visit_timestamp: String(now) };
    const people: Array<[string, Record<string, string>, string | null]> = [
      ['A1', hot, target],
      ['A2', hot, target],
      ['B1', warm, target],
      ['B2', warm, target],
      ['B3', warm, target],
      ['C1', fit, target],
      ['C2', fit, target],
      ['D1', { jobtitle: 'Engineer', country: 'Brazil' }, small],
      ['D2', { jobtitle: 'Engineer', country: 'Brazil' }, small],
      ['E1', { ...hot }, target],
      ['F1', { ...fit }, null],
    ];
    for (const [name, props, company] of people) {
      const email = name === 'E1' ? 'e1@gmail.com' : `${name.toLowerCase()}@${company === small ? 'shop' : 'fintech'}.example`;
      ids[name] = portal.create('contacts', { email, ...props }, USER).id;
      if (company) portal.associate('contacts', ids[name]!, 'companies', company, primaryCompany, USER);
    }
    const deal = (stage: string, contact: string) => {
      const d = portal.create('deals', { dealname: `deal of ${contact}`, dealstage: stage, pipeline: 'default', amount: '10000' }, USER).id;
      portal.associate('deals', d, 'contacts', ids[contact]!, dealToContact, USER);
    };
    deal('closedwon', 'A1');
    deal('appointmentscheduled', 'A2');
    deal('closedlost', 'B2');
    deal('qualifiedtobuy', 'C1');

    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    await ensureProductProperties(gateway);
    gateway.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-what-if-'));
    fs.writeFileSync(path.join(dir, 'stricter.yaml'), fs.readFileSync(EXAMPLE, 'utf8').replace('sales_ready: { fit: 40, engagement: 25, total: 75 }', 'sales_ready: { fit: 40, engagement: 40, total: 75 }').replace(/^version: 1$/m, 'version: 2'));
    env = { HUBSPOT_ACCESS_TOKEN: sandbox.accessToken, HUBSPOT_API_BASE_URL: sandbox.url, LEAD_DEFINITION: EXAMPLE, DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}`, LOG_LEVEL: 'silent' };
    const backfill = await runUld(['backfill', '--no-progress'], env, { cwd: dir });
    expect(backfill.stderr).toBe('');
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the candidate asks for more engagement, then the matrix moves exactly the warm leads and its totals equal the contact count', async () => {
    const updatesBefore = sandbox.calls.count(`POST ${API.batch('contacts', 'update')}`);
    const run = await runUld(['what-if', '--definition', path.join(dir, 'stricter.yaml'), '--format', 'json'], env, { cwd: dir });
    // Until a history replay has kept as-of facts, the one note says every lead is judged on today's facts.
    expect(run.stderr.replace(`${NO_AS_OF_FACTS_NOTE}\n`, '')).toBe('');
    expect(run.status).toBe(0);
    const r = JSON.parse(run.stdout) as WhatIfResult;
    // Writing nothing: no update reached the portal.
    expect(sandbox.calls.count(`POST ${API.batch('contacts', 'update')}`)).toBe(updatesBefore);

    expect(r.total).toBe(11);
    const cells = STATUSES.flatMap((from) => STATUSES.map((to) => r.matrix[from][to]));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(11);
    const nonEmpty = Object.fromEntries(STATUSES.flatMap((from) => STATUSES.filter((to) => r.matrix[from][to] > 0).map((to) => [`${from}->${to}`, r.matrix[from][to]])));
    expect(nonEmpty).toEqual({
      'sales_ready->sales_ready': 2,
      'sales_ready->marketing_qualified': 3,
      'marketing_qualified->marketing_qualified': 2,
      'nurture->nurture': 2,
      'disqualified->disqualified': 1,
      'needs_data->needs_data': 1,
    });
    expect(r.moved).toBe(3);
    expect(r.examples['sales_ready->marketing_qualified']!.map((e) => e.id).sort()).toEqual([ids.B1, ids.B2, ids.B3].sort());

    // Counted by hand: now sales_ready = A1 A2 B1 B2 B3 (deals on A1 won, A2 open, B2 lost); candidate = A1 A2.
    const now = r.conversion.current;
    const next = r.conversion.candidate;
    expect([now.sales_ready.leads, now.sales_ready.opportunity.k, now.sales_ready.won.k]).toEqual([5, 3, 1]);
    expect(now.sales_ready.opportunity.rate).toBeCloseTo(0.6, 10);
    expect([next.sales_ready.leads, next.sales_ready.opportunity.k, next.sales_ready.won.k]).toEqual([2, 2, 1]);
    expect(next.sales_ready.won.rate).toBeCloseTo(0.5, 10);
    // The three warm leads join C1 and C2 in marketing_qualified: deals on B2 and C1, none won.
    expect([next.marketing_qualified.leads, next.marketing_qualified.opportunity.k, next.marketing_qualified.won.k]).toEqual([5, 2, 0]);
    expect([now.marketing_qualified.leads, now.marketing_qualified.opportunity.k]).toEqual([2, 1]);
    expect(next.nurture.opportunity.rate).toBe(0);
    expect(next.disqualified.leads).toBe(1);
  }, 60_000);

  it('prints the matrix, the examples and the precision of sales_ready as a table', async () => {
    const run = await runUld(['what-if', '--definition', path.join(dir, 'stricter.yaml')], env, { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('11 leads evaluated, nothing written.');
    expect(run.stdout).toMatch(/^total\s+1\s+1\s+2\s+5\s+2\s+11$/m);
    expect(run.stdout).toContain(`sales_ready -> marketing_qualified (3): `);
    expect(run.stdout).toContain('sales_ready precision (lead to opportunity): 60.0% now, 100.0% with the candidate (more precise).');
  }, 60_000);

  it('refuses a candidate that does not load, naming the problem', async () => {
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'version: 1\nname: broken\nfit:\n  - { id: x, label: X, when: { property: jobtitle, operator: equalz, value: a }, points: 5 }\n');
    const run = await runUld(['what-if', '--definition', path.join(dir, 'broken.yaml')], env, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('fit[0].when.operator');
  }, 60_000);
});

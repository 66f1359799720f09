import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CalibrationResult } from '../../src/admin/calibrate';
import type { WhatIfResult } from '../../src/admin/what-if';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { createGateway } from '../../src/hubspot';
import { factsAsOf } from '../../src/replay';
import { ASSOCIATION_KINDS, startSandbox, type Sandbox } from '../../src/sandbox';
import { openStore, type AsOfFactsRow } from '../../src/store';
import type { MirrorContact, MirrorDeal } from '../../src/store/mirror-types';
import { runUld } from '../server/child';

/**
 * Issue 14, acceptance 4: a constructed leakage case. 600 leads; before any deal, every other lead viewed
 * 25 pages and the rest 2, whether it converted or not. The 200 that converted each got a deal; afterwards
 * 80 of the 100 converted leads with 2 views reached 25 (sales worked them). The rule "10 or more page
 * views" therefore matches converted and other leads alike as of conversion (lift exactly 1: 100 of 300
 * matching leads converted, 100 of 300 others), and looks predictive on today's facts (180 of 380 against
 * 20 of 220: lift 5.2). Everything is counted, nothing drawn at random.
 *
 * Real parts: the portal (its histories too) in the embedded sandbox, read through the real SDK; the mirror
 * and the as-of facts in a SQLite store, the latter taken from the portal's histories with `factsAsOf` at
 * each first deal's creation and saved with `saveAsOfFacts`, as the history replay does; `uld calibrate`
 * and `uld what-if` run as the CLI.
 */
const DAY = 86_400_000;
const LEADS = 600;
const CONVERTED = 200;
const GAINED_AFTER = 80;
const SYSTEM = { sourceType: 'ANALYTICS' as const };
const dealToContact = ASSOCIATION_KINDS.find((k) => k.from === 'deals' && k.to === 'contacts')!;

const DEFINITION = `version: leak-1
name: Leakage case
engagement:
  - { id: engaged, label: Viewed 10 or more pages, when: { property: hs_analytics_num_page_views, operator: gte, value: 10 }, points: 30 }
ladder:
  sales_ready: { total: 60 }
  marketing_qualified: { total: 30 }
`;
// The candidate reads one input the stored as-of facts do not cover.
const CANDIDATE = DEFINITION.replace('version: leak-1', 'version: leak-2').replace(
  'ladder:',
  'fit:\n  - { id: senior, label: Senior title, when: { property: jobtitle, operator: contains, value: vp, caseInsensitive: true }, points: 30 }\nladder:',
);

describe('as-of facts against leakage: uld calibrate and uld what-if', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  let bare: Record<string, string>;
  const converted: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 14, rateLimit: { enabled: false } });
    const { portal } = sandbox;
    const t0 = Date.now() - 300 * DAY;
    const contacts: MirrorContact[] = [];
    const deals: MirrorDeal[] = [];
    for (let i = 0; i < LEADS; i += 1) {
      const hadViews = i % 2 === 0;
      const id = portal.create('contacts', { email: `lead${i}@example.com`, hs_analytics_num_page_views: hadViews ? '25' : '2' }, SYSTEM, t0).id;
      contacts.push({ id, createdAt: t0, status: 'nurture', fitScore: 0, engagementScore: 0, totalScore: 0, definitionVersion: 'leak-1', qualifiedAt: null, convertedAt: null, feedback: null, feedbackAt: null, source: null, companyId: null, evaluatedAt: t0, deleted: false });
      if (i >= CONVERTED) continue;
      converted.push(id);
      const createdAt = t0 + 100 * DAY + i * 60_000;
      const deal = portal.create('deals', { dealname: `deal ${i}`, dealstage: 'appointmentscheduled', amount: '1000' }, { sourceType: 'CRM_UI', userId: 7 }, createdAt).id;
      portal.associate('deals', deal, 'contacts', id, dealToContact, { sourceType: 'CRM_UI', userId: 7 }, createdAt);
      deals.push({ id: deal, createdAt, closedAt: null, closed: false, won: false, amount: 1000, pipeline: 'default', stage: 'appointmentscheduled', stageEnteredAt: createdAt, companyId: null, contactIds: [id], statusAtCreation: null, deleted: false });
      // Sales works the lead: its page views climb after the deal exists.
      if (!hadViews && (i - 1) / 2 < GAINED_AFTER) portal.update('contacts', id, { hs_analytics_num_page_views: '25' }, SYSTEM, createdAt + 10 * DAY);
    }

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-as-of-'));
    fs.writeFileSync(path.join(dir, 'leak.yaml'), DEFINITION);
    fs.writeFileSync(path.join(dir, 'candidate.yaml'), CANDIDATE);
    const base = { HUBSPOT_ACCESS_TOKEN: sandbox.accessToken, HUBSPOT_API_BASE_URL: sandbox.url, LEAD_DEFINITION: path.join(dir, 'leak.yaml'), LOG_LEVEL: 'silent' };
    env = { ...base, DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}` };
    bare = { ...base, DATABASE_URL: `sqlite:${path.join(dir, 'bare.db')}` };

    // The mirror in both stores; the as-of facts only in the first, as the replay would keep them.
    const def = compileDefinition(loadDefinitionFile(path.join(dir, 'leak.yaml')));
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 10_000 });
    const { records } = await gateway.readHistories('contacts', converted, def.contactProperties);
    gateway.close();
    const dealOf = new Map(deals.map((d) => [d.contactIds[0]!, d.createdAt!]));
    const rows: AsOfFactsRow[] = records.map((r) => {
      const asOf = dealOf.get(r.id)!;
      const facts = factsAsOf(def, { contact: { current: r.properties, history: r.histories } }, asOf);
      if (facts === null) throw new Error(`no as-of facts for ${r.id}: its history should be complete`);
      return { contactId: r.id, asOf, ...facts };
    });
    for (const [url, asOf] of [[env.DATABASE_URL!, rows], [bare.DATABASE_URL!, []]] as const) {
      const store = await openStore(url);
      await store.upsertContacts(contacts);
      await store.upsertDeals(deals);
      await store.saveAsOfFacts([...asOf]);
      await store.close();
    }
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function calibrateJson(target: Record<string, string>, ...args: string[]) {
    const run = await runUld(['calibrate', '--format', 'json', '--min-age-days', '0', ...args], target, { cwd: dir });
    expect(run.status).toBe(0);
    return { result: JSON.parse(run.stdout) as CalibrationResult, stderr: run.stderr };
  }
  const engaged = (r: CalibrationResult) => r.criteria.find((c) => c.id === 'engaged')!;

  it('when calibrated as of conversion (the default), then the rule that matches only after conversion has lift within 10% of 1', async () => {
    const { result, stderr } = await calibrateJson(env);
    expect(stderr).toBe('');
    const c = engaged(result);
    expect([c.matched.n, c.matched.k, c.unmatched.n, c.unmatched.k]).toEqual([300, 100, 300, 100]);
    expect(Math.abs(c.lift.lift! - 1)).toBeLessThanOrEqual(0.1);
    expect(c.verdict).toBe('no evidence');
    expect(result.facts).toMatchObject({ mode: 'as-of', storedAsOf: CONVERTED, leadsAsOfConversion: CONVERTED, leadsToday: LEADS - CONVERTED });
    // The definition's one input is covered; only properties outside it are today's.
    expect(result.facts.todayOnly).not.toContain('hs_analytics_num_page_views');
  }, 60_000);

  it('when calibrated with --facts today, then the same rule has lift above 1.5', async () => {
    const { result } = await calibrateJson(env, '--facts', 'today');
    const c = engaged(result);
    expect([c.matched.n, c.matched.k, c.unmatched.n, c.unmatched.k]).toEqual([380, 180, 220, 20]);
    expect(c.lift.lift!).toBeGreaterThan(1.5);
    expect(c.verdict).toBe('predicts');
    expect(result.facts).toMatchObject({ mode: 'today', leadsAsOfConversion: 0, leadsToday: LEADS, todayOnly: [] });
  }, 60_000);

  it('when printed as a table, then it says which facts judged how many leads and that properties outside the definition are today’s', async () => {
    const run = await runUld(['calibrate', '--min-age-days', '0'], env, { cwd: dir });
    expect(run.stdout).toContain(`Facts: as of conversion (the first deal's creation) for ${CONVERTED} of ${LEADS} leads; today's for ${LEADS - CONVERTED} (no deal, or no stored as-of facts).`);
    expect(run.stdout).toMatch(/Today's values even for leads judged as of conversion: the \d+ properties outside the definition tested below\./);
    const today = await runUld(['calibrate', '--min-age-days', '0', '--facts', 'today'], env, { cwd: dir });
    expect(today.stdout).toContain("Facts: today's for every lead (--facts today)");
  }, 60_000);

  it('when what-if runs as of conversion, then the candidate’s uncovered input is named and the statuses are those as of conversion', async () => {
    const run = await runUld(['what-if', '--definition', path.join(dir, 'candidate.yaml'), '--format', 'json'], env, { cwd: dir });
    expect(run.stderr).toBe('');
    const r = JSON.parse(run.stdout) as WhatIfResult;
    expect(r.facts).toMatchObject({ mode: 'as-of', leadsAsOfConversion: CONVERTED, leadsToday: LEADS - CONVERTED, todayOnly: ['jobtitle'] });
    const mq = r.conversion.current.marketing_qualified;
    expect([mq.leads, mq.opportunity.k]).toEqual([300, 100]);
    const table = await runUld(['what-if', '--definition', path.join(dir, 'candidate.yaml')], env, { cwd: dir });
    expect(table.stdout).toContain("Today's values even for leads judged as of conversion: jobtitle (not in the stored as-of facts).");

    const today = JSON.parse((await runUld(['what-if', '--definition', path.join(dir, 'candidate.yaml'), '--format', 'json', '--facts', 'today'], env, { cwd: dir })).stdout) as WhatIfResult;
    expect([today.conversion.current.marketing_qualified.leads, today.conversion.current.marketing_qualified.opportunity.k]).toEqual([380, 180]);
  }, 60_000);

  it('when the store has no as-of facts, then one note says every lead is judged on today’s facts and how to get them', async () => {
    const { result, stderr } = await calibrateJson(bare);
    expect(stderr).toBe("note: the store has no as-of facts (no history replay has run), so every lead is judged on today's facts; `uld backfill` or `uld replay` keeps them\n");
    expect(result.facts).toMatchObject({ mode: 'as-of', storedAsOf: 0, leadsAsOfConversion: 0, leadsToday: LEADS });
    expect(engaged(result).lift.lift!).toBeGreaterThan(1.5);
  }, 60_000);

  it.each([['calibrate'], ['what-if', '--definition', 'candidate.yaml']])('when --facts names neither mode, then %s refuses in one line with exit 2', async (...args) => {
    const run = await runUld([...args, '--facts', 'yesterday'], env, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`uld ${args[0]}: --facts must be as-of or today, found "yesterday"\n`);
    expect(run.stdout).toBe('');
  });
});

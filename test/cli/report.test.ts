import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';
import { CONTACTS, DEALS, DECISIONS } from '../metrics/portal';
import { assertBuilt, runUld } from '../server/child';

/**
 * `uld report` against a SQLite mirror filled through the store API with the hand-computed portal of
 * test/metrics. The CLI's clock is the real one, so only figures that do not depend on `now` are asserted
 * (open-deal age and SLA breaches do).
 */
describe('uld report', () => {
  let dir: string;
  let url: string;

  async function uld(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const r = await runUld(['report', ...args], { DATABASE_URL: url }, { cwd: dir });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  beforeAll(async () => {
    assertBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-report-'));
    url = `sqlite:${path.join(dir, 'uld.sqlite')}`;
    const store = await openStore(url);
    await store.upsertContacts(CONTACTS);
    await store.upsertDeals(DEALS);
    await store.recordDecisions(DECISIONS);
    await store.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the table prints the waterfall, the deals and the hand-offs, the empty cohort included', async () => {
    const r = await uld();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Lead conversion report by cohort, computed \S+Z, SLA 24 h$/m);
    expect(r.stdout).toMatch(/^overall\s+8\s+6\s+5\s+3\s+3\s+1\s+75\.0%\s+83\.3%\s+60\.0%\s+100\.0%\s+33\.3%\s+37\.5%$/m);
    expect(r.stdout).toMatch(/^2025-02\s+0\s+0\s+0\s+0\s+0\s+0(\s+-){6}$/m);
    expect(r.stdout).toContain('Deals without contacts: 1');
  });

  test('json by source: the figures read back from the store equal the hand-computed ones', async () => {
    const r = await uld('--format', 'json', '--by', 'source');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as {
      by: string;
      groups: Array<{ key: string; funnel: { leads: number } }>;
      overall: { funnel: { leadToOpportunityRate: number }; deals: { winRate: number; averageDealSize: number; salesCycleDays: { mean: number; median: number }; deals: number }; handOff: { acceptanceRate: number; timeToFirstActionHours: { mean: number } } };
    };
    expect(m.by).toBe('source');
    expect(m.groups.map((g) => [g.key, g.funnel.leads])).toEqual([
      ['ORGANIC_SEARCH', 4],
      ['PAID_SEARCH', 3],
      ['(none)', 1],
    ]);
    expect(m.overall.funnel.leadToOpportunityRate).toBe(3 / 8);
    expect(m.overall.deals.deals).toBe(4);
    expect(m.overall.deals.winRate).toBeCloseTo(2 / 3, 12);
    expect(m.overall.deals.averageDealSize).toBe(15000);
    expect(m.overall.deals.salesCycleDays).toMatchObject({ median: 30 });
    expect(m.overall.deals.salesCycleDays.mean).toBeCloseTo(80 / 3, 12);
    expect(m.overall.handOff.acceptanceRate).toBe(3 / 4);
    expect(m.overall.handOff.timeToFirstActionHours.mean).toBe(12.5);
  });

  test('csv with --since: only March, by status', async () => {
    const r = await uld('--format', 'csv', '--since', '2025-03-01', '--by', 'status');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^dimension,group,reached_lead,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual([
      ['overall', 'overall', '4'],
      ['status', 'sales_ready', '1'],
    ]);
  });

  test.each([
    [['--format', 'xml'], /--format must be one of table, json, csv/],
    [['--by', 'owner'], /--by must be one of cohort, source, status/],
    [['--since', '2025-02-30'], /--since must be a date YYYY-MM-DD/],
  ])('bad arguments %j exit 2 with a message', async (args, message) => {
    const r = await uld(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

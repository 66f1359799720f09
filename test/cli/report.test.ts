import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';
import { EXPECTED_BY_MONTH, EXPECTED_BY_SOURCE, EXPECTED_OVERALL, PIPELINE_CONTACTS, PIPELINE_DEALS, PIPELINE_DECISIONS, type PipelineRow } from '../metrics/pipeline-portal';
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
    const rows = lines.slice(1).map((l) => l.split(','));
    const headerRows = ['period', 'previous_period', 'change'];
    expect(rows.filter((l) => l[0] !== 'created_month' && !headerRows.includes(l[0])).map((l) => l.slice(0, 3))).toEqual([
      ['overall', 'overall', '4'],
      ['status', 'sales_ready', '1'],
    ]);
    // The qualified-pipeline series starts at --since's month: March has d3 (8000, lead sales_ready at creation).
    const header = lines[0].split(',');
    const march = rows.find((l) => l[0] === 'created_month' && l[1] === '2025-03')!;
    expect(['pipeline_created_deals', 'qualified_pipeline_amount', 'qualified_pipeline_count_share'].map((c) => march[header.indexOf(c)])).toEqual(['1', '8000', '1']);
    expect(rows.filter((l) => l[0] === 'created_month')[0][1]).toBe('2025-03');
  });

  test('--from/--to: the header figures beside the previous period, and the body over the records created in the period (JSON)', async () => {
    const r = await uld('--format', 'json', '--from', '2025-03-01', '--to', '2025-03-31');
    expect(r.stderr).toBe('');
    const m = JSON.parse(r.stdout) as { period: unknown; since: string; overall: { funnel: { leads: number } }; header: { period: { from: string; leads: number }; previous: { from: string; to: string }; compare: Record<string, { current: number | null; previous: number | null; change: number | null }> } };
    expect([m.period, m.since, m.overall.funnel.leads]).toEqual([{ from: '2025-03-01', to: '2025-03-31' }, '2025-03-01', 4]);
    expect([m.header.period.from, m.header.period.leads, m.header.previous.from, m.header.previous.to]).toEqual(['2025-03-01', 4, '2025-01-29', '2025-02-28']);
    // Worked out in test/metrics/period.test.ts: March beside 01-29 to 02-28.
    expect(Object.keys(m.header.compare)).toEqual(['leadToOpportunityRate', 'qualifiedPipelineDeals', 'qualifiedPipelineAmount', 'averageDealSize', 'salesCycleDays', 'pipelineVelocityPerDay']);
    expect(m.header.compare.averageDealSize).toEqual({ current: 20000, previous: 10000, change: 10000 });
    expect(m.header.compare.leadToOpportunityRate).toEqual({ current: 0.25, previous: null, change: null });
  });

  test('--from/--to: the table opens with the header, the CSV ends with the period, previous-period and change rows', async () => {
    const table = await uld('--from', '2025-03-01', '--to', '2025-03-31');
    expect(table.stdout).toContain('records created 2025-03-01 to 2025-03-31');
    expect(table.stdout).toContain('Header: 2025-03-01 to 2025-03-31 (31 days) vs previous 31 days (2025-01-29 to 2025-02-28)');
    expect(table.stdout).toMatch(/^Average deal size\s+20,000\s+10,000\s+\+10,000\s+deals won in the period$/m);
    expect(table.stdout).toMatch(/^Sales-cycle length, mean days\s+30\.0\s+25\.0\s+\+5\.0\s+deals closed in the period$/m);
    const csv = await uld('--format', 'csv', '--from', '2025-03-01', '--to', '2025-03-31');
    const lines = csv.stdout.trimEnd().split('\r\n');
    const header = lines[0].split(',');
    const row = (dimension: string) => lines.map((l) => l.split(',')).find((l) => l[0] === dimension)!;
    const cells = (dimension: string, columns: string[]) => columns.map((c) => row(dimension)[header.indexOf(c)]);
    const columns = ['average_deal_size', 'sales_cycle_days_mean', 'qualified_pipeline_amount', 'lead_to_opportunity_rate', 'deals_open'];
    expect(row('period')[1]).toBe('2025-03-01..2025-03-31');
    expect(cells('period', columns)).toEqual(['20000', '30', '8000', '0.25', '1']);
    expect(cells('previous_period', columns)).toEqual(['10000', '25', '0', '', '1']);
    // The change row fills the six header figures only.
    expect(cells('change', columns)).toEqual(['10000', '5', '8000', '', '']);
  });

  test('--by account on a mirror without accounts (a definition without an `accounts` section): one line saying so, not an error', async () => {
    const r = await uld('--by', 'account');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^No accounts in the mirror: the definition has no `accounts` section, or the worker has not evaluated a company yet; the account funnel needs them\.$/m);
    expect(r.stdout).not.toMatch(/^overall/m);
    const json = JSON.parse((await uld('--by', 'account', '--format', 'json')).stdout) as { accounts: unknown; note: string };
    expect(json.accounts).toBeNull();
    expect(json.note).toMatch(/^No accounts in the mirror/);
  });

  test.each([
    [['--format', 'xml'], /--format must be one of table, json, csv/],
    [['--by', 'owner'], /--by must be one of cohort, source, status, account/],
    [['--since', '2025-02-30'], /--since must be a date YYYY-MM-DD/],
    [['--from', '2025-02-30'], /^uld report: --from must be a UTC day YYYY-MM-DD, found "2025-02-30"/],
    [['--from', '2025-03-01', '--to', '2025-02-01'], /--from \(2025-03-01\) is after --to \(2025-02-01\)/],
    [['--since', '2025-01-01', '--from', '2025-03-01'], /--since and --from\/--to both bound the records counted/],
  ])('bad arguments %j exit 2 with a message', async (args, message) => {
    const r = await uld(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

/**
 * Issue 14, acceptance 5: qualified pipeline created in `uld report --format json` equals the hand computation
 * of test/metrics/pipeline-portal.ts (the arithmetic is in its comments), by month and by source. Each deal's
 * status at creation is read from the store's audit log the way the sync engine fills it (`statusesAt` for
 * the earliest-created contact at the create date) and must equal the hand-written one.
 */
describe('uld report: qualified pipeline created on a hand-built portal', () => {
  let dir: string;
  let url: string;
  interface Figures {
    created: number;
    createdAmount: number;
    qualified: number;
    qualifiedAmount: number;
    countShare: number | null;
    amountShare: number | null;
  }
  const rowOf = (q: Figures): PipelineRow => [q.created, q.createdAmount, q.qualified, q.qualifiedAmount, q.countShare, q.amountShare];
  function expectRow(actual: PipelineRow, expected: PipelineRow): void {
    expect(actual.slice(0, 4)).toEqual(expected.slice(0, 4));
    for (const i of [4, 5]) {
      if (expected[i] === null) expect(actual[i]).toBeNull();
      else expect(actual[i]).toBeCloseTo(expected[i]!, 12);
    }
  }

  beforeAll(async () => {
    assertBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-report-qp-'));
    url = `sqlite:${path.join(dir, 'uld.sqlite')}`;
    const store = await openStore(url);
    try {
      await store.upsertContacts(PIPELINE_CONTACTS);
      await store.recordDecisions(PIPELINE_DECISIONS);
      const created = new Map(PIPELINE_CONTACTS.map((c) => [c.id, c.createdAt ?? Infinity]));
      const fromLog: Array<[string, string | null]> = [];
      for (const d of PIPELINE_DEALS) {
        const lead = [...d.contactIds].sort((a, b) => created.get(a)! - created.get(b)!)[0];
        fromLog.push([d.id, lead && d.createdAt !== null ? ((await store.statusesAt([lead], d.createdAt)).get(lead) ?? null) : null]);
      }
      expect(fromLog).toEqual(PIPELINE_DEALS.map((d) => [d.id, d.statusAtCreation]));
      await store.upsertDeals(PIPELINE_DEALS);
    } finally {
      await store.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('by month and by source, as computed by hand', async () => {
    const r = await runUld(['report', '--format', 'json', '--by', 'source'], { DATABASE_URL: url }, { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout) as { overall: { qualifiedPipeline: Figures }; groups: Array<{ key: string; qualifiedPipeline: Figures }>; qualifiedPipelineByMonth: Array<Figures & { month: string }> };
    expectRow(rowOf(m.overall.qualifiedPipeline), EXPECTED_OVERALL);
    expect(Object.fromEntries(m.groups.map((g) => [g.key, g.qualifiedPipeline.created]))).toEqual(Object.fromEntries(Object.entries(EXPECTED_BY_SOURCE).map(([k, v]) => [k, v[0]])));
    for (const g of m.groups) expectRow(rowOf(g.qualifiedPipeline), EXPECTED_BY_SOURCE[g.key]);
    // The series runs from April 2025 to the CLI's (real) current month; months after June have no deal.
    const months = m.qualifiedPipelineByMonth.map((x) => x.month);
    expect(months.slice(0, 4)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07']);
    expect(months.at(-1)).toBe(new Date().toISOString().slice(0, 7));
    for (const x of m.qualifiedPipelineByMonth) expectRow(rowOf(x), EXPECTED_BY_MONTH[x.month] ?? [0, 0, 0, 0, null, null]);
  });
});

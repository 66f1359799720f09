import {
  computeMetrics,
  groupQualifiedPipeline,
  qualifiedPipelineByMonth,
  qualifiedPipelineOf,
  qualifiedPipelineSeries,
  renderReport,
  snapshotOf,
  type GroupFigures,
  type MetricsSnapshot,
  type QualifiedPipelineFigures,
} from '../../src/metrics';
import type { MirrorDeal } from '../../src/store/mirror-types';
import { EXPECTED_BY_MONTH, EXPECTED_BY_SOURCE, EXPECTED_OVERALL, PIPELINE_CONTACTS, PIPELINE_DEALS, PIPELINE_DECISIONS, type PipelineRow } from './pipeline-portal';
import { deal } from './portal';

const rowOf = (q: QualifiedPipelineFigures): PipelineRow => [q.created, q.createdAmount, q.qualified, q.qualifiedAmount, q.countShare, q.amountShare];

function expectRow(actual: PipelineRow, expected: PipelineRow): void {
  expect(actual.slice(0, 4)).toEqual(expected.slice(0, 4));
  for (const i of [4, 5]) {
    if (expected[i] === null) expect(actual[i]).toBeNull();
    else expect(actual[i]).toBeCloseTo(expected[i]!, 12);
  }
}

const d = (id: string, statusAtCreation: MirrorDeal['statusAtCreation'], amount: number | null, createdAt: number | null = Date.UTC(2025, 0, 1)): MirrorDeal =>
  deal({ id, statusAtCreation, amount, createdAt });

describe('qualifiedPipelineOf', () => {
  test.each<[string, MirrorDeal[], PipelineRow]>([
    ['no deal: counts 0, shares unknown', [], [0, 0, 0, 0, null, null]],
    ['marketing_qualified and sales_ready count; others do not', [d('a', 'marketing_qualified', 100), d('b', 'sales_ready', 300), d('c', 'nurture', 600)], [3, 1000, 2, 400, 2 / 3, 0.4]],
    ['disqualified, needs_data and unknown status are not qualified', [d('a', 'disqualified', 10), d('b', 'needs_data', 20), d('c', null, 30)], [3, 60, 0, 0, 0, 0]],
    ['deals without amounts: counted, amount share unknown', [d('a', 'sales_ready', null), d('b', 'nurture', null)], [2, 0, 1, 0, 0.5, null]],
    ['a qualified deal without amount adds to the count only', [d('a', 'sales_ready', null), d('b', 'nurture', 50)], [2, 50, 1, 0, 0.5, 0]],
  ])('%s', (_name, deals, expected) => {
    expectRow(rowOf(qualifiedPipelineOf(deals)), expected);
  });
});

describe('qualifiedPipelineByMonth', () => {
  const jan = Date.UTC(2025, 0, 31, 23, 59);
  const mar = Date.UTC(2025, 2, 1);
  test.each<[string, MirrorDeal[], string | null, string, Array<[string, PipelineRow]>]>([
    ['no deal, no start: no month', [], null, '2025-03', []],
    ['empty months between are listed', [d('a', 'sales_ready', 10, jan), d('b', 'nurture', 30, mar)], '2025-01', '2025-03', [
      ['2025-01', [1, 10, 1, 10, 1, 1]],
      ['2025-02', [0, 0, 0, 0, null, null]],
      ['2025-03', [1, 30, 0, 0, 0, 0]],
    ]],
    ['deals without a create date come last, as (none)', [d('a', 'sales_ready', 10, null), d('b', 'nurture', 30, mar)], '2025-03', '2025-03', [
      ['2025-03', [1, 30, 0, 0, 0, 0]],
      ['(none)', [1, 10, 1, 10, 1, 1]],
    ]],
    ['a deal after the last month shows in its own month', [d('a', 'marketing_qualified', 5, mar)], '2025-01', '2025-01', [
      ['2025-01', [0, 0, 0, 0, null, null]],
      ['2025-03', [1, 5, 1, 5, 1, 1]],
    ]],
  ])('%s', (_name, deals, first, last, expected) => {
    const out = qualifiedPipelineByMonth(deals, first, last);
    expect(out.map((m) => m.month)).toEqual(expected.map(([m]) => m));
    out.forEach((m, i) => expectRow(rowOf(m), expected[i][1]));
  });
});

describe('qualified pipeline created in computeMetrics (hand-built portal of ./pipeline-portal.ts)', () => {
  const now = Date.UTC(2025, 7, 15); // 2025-08-15: July and August have no deal
  const m = computeMetrics({ contacts: PIPELINE_CONTACTS, deals: PIPELINE_DEALS, decisions: PIPELINE_DECISIONS, now, slaHours: 24 });

  test('overall', () => expectRow(rowOf(m.overall.qualifiedPipeline), EXPECTED_OVERALL));

  test('by deal-created month, April to now, empty months included', () => {
    expect(m.qualifiedPipelineByMonth.map((x) => x.month)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08']);
    for (const x of m.qualifiedPipelineByMonth) expectRow(rowOf(x), EXPECTED_BY_MONTH[x.month] ?? [0, 0, 0, 0, null, null]);
  });

  test.each(Object.entries(EXPECTED_BY_SOURCE))('by source %s', (source, expected) => {
    const g = m.bySource.find((x) => x.key === source);
    expect(g).toBeDefined();
    expectRow(rowOf(g!.qualifiedPipeline), expected);
  });

  test('sources add up to the overall figure minus the deals without contacts', () => {
    expect(m.dealsWithoutContacts).toBe(1); // q7
    expect(m.bySource.reduce((s, g) => s + g.qualifiedPipeline.created, 0)).toBe(m.overall.qualifiedPipeline.created - 1);
    expect(m.qualifiedPipelineByMonth.reduce((s, x) => s + x.qualified, 0)).toBe(m.overall.qualifiedPipeline.qualified);
  });

  test('by status at creation: qualified only in the two qualified statuses', () => {
    expect(m.byStatus.map((g) => [g.key, g.qualifiedPipeline.created, g.qualifiedPipeline.qualified])).toEqual([
      ['sales_ready', 2, 2], // q2, q10
      ['marketing_qualified', 3, 3], // q1, q5, q6
      ['nurture', 1, 0], // q3
      ['disqualified', 1, 0], // q4
      ['(none)', 2, 0], // q7, q8
    ]);
  });

  test('--since keeps deals created from then on and starts the series at its month', () => {
    const since = computeMetrics({ contacts: PIPELINE_CONTACTS, deals: PIPELINE_DEALS, decisions: PIPELINE_DECISIONS, now, slaHours: 24 }, { since: Date.UTC(2025, 4, 1) });
    expect(since.qualifiedPipelineByMonth.map((x) => x.month)).toEqual(['2025-05', '2025-06', '2025-07', '2025-08']);
    // May + June: 5 deals 11000, 3 qualified 5500.
    expectRow(rowOf(since.overall.qualifiedPipeline), [5, 11000, 3, 5500, 3 / 5, 0.5]);
  });

  describe('a snapshot stored before the figure existed still renders', () => {
    const stripped = (): MetricsSnapshot => {
      const json = JSON.parse(JSON.stringify(snapshotOf(m, now))) as Record<string, unknown>;
      delete json.qualifiedPipelineByMonth;
      for (const key of ['overall']) delete (json[key] as Record<string, unknown>).qualifiedPipeline;
      for (const key of ['byCohort', 'bySource', 'byStatus']) for (const g of json[key] as Array<Record<string, unknown>>) delete g.qualifiedPipeline;
      return json as unknown as MetricsSnapshot;
    };
    test('readers see unknown, not 0', () => {
      const old = stripped();
      expect(groupQualifiedPipeline(old.overall as GroupFigures)).toBeNull();
      expect(qualifiedPipelineSeries(old)).toBeNull();
    });
    test.each(['table', 'csv', 'json'] as const)('%s', (format) => {
      const text = renderReport(stripped(), { format, by: 'source' });
      if (format === 'table') {
        expect(text).toContain('Qualified pipeline created by deal-created month: not in this stored snapshot');
        expect(text).toMatch(/^overall(\s+-){6}$/m);
      } else if (format === 'csv') {
        const [header, overall] = text.split('\r\n');
        const i = header.split(',').indexOf('qualified_pipeline_deals');
        expect(i).toBeGreaterThan(1);
        expect(overall.split(',')[i]).toBe('');
        expect(text).not.toContain('created_month');
      } else expect(JSON.parse(text)).not.toHaveProperty('qualifiedPipelineByMonth');
    });
  });

  test('the table and CSV list the month series', () => {
    const table = renderReport(snapshotOf(m, now), { format: 'table', by: 'source' });
    expect(table).toMatch(/^2025-05\s+3\s+9000\.00\s+2\s+5000\.00\s+66\.7%\s+55\.6%$/m);
    expect(table).toMatch(/^2025-07\s+0\s+0\.00\s+0\s+0\.00\s+-\s+-$/m);
    const csv = renderReport(m, { format: 'csv', by: 'source' }).trimEnd().split('\r\n');
    const header = csv[0].split(',');
    const may = csv.find((l) => l.startsWith('created_month,2025-05,'))!.split(',');
    expect(['pipeline_created_deals', 'pipeline_created_amount', 'qualified_pipeline_deals', 'qualified_pipeline_amount', 'qualified_pipeline_count_share', 'qualified_pipeline_amount_share'].map((c) => may[header.indexOf(c)])).toEqual(['3', '9000', '2', '5000', '0.666667', '0.555556']);
    // Only the qualified-pipeline columns are filled on a month row.
    expect(may[header.indexOf('deals')]).toBe('');
  });
});

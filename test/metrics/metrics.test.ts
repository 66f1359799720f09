import { computeMetrics, monthsBetween, renderReport, slaText, snapshotOf, summarize, type Dimension, type GroupFigures, type Metrics } from '../../src/metrics';
import { CONTACTS, DEALS, DECISIONS, NOW, SLA_HOURS, at, contact, deal, decision } from './portal';

/**
 * The figures of the small portal in ./portal.ts, computed by hand (the working is in the comments; a day is
 * 24 h, durations in days unless said otherwise), against computeMetrics. Per contact, the stage entry dates:
 *
 *   contact  cohort   source   lead   mql          sr          accepted     opportunity  won
 *   c1       2025-01  ORGANIC  Jan 1  Jan 3        Jan 5       Jan 5 12:00  Jan 10       Jan 30 (d1)
 *   c2       2025-01  PAID     Jan 2  Jan 4        Jan 6       Jan 7 06:00  Jan 12 (d2)  -
 *   c3       2025-01  ORGANIC  Jan 3  Jan 5        Jan 9       - (rejected_bad_data Jan 9 06:00)
 *   c4       2025-01  (none)   Jan 20 -
 *   c5       2025-03  ORGANIC  Mar 1  Mar 2        Mar 4       - (no verdict: SLA breach)
 *   c6       2025-03  PAID     Mar 5  Mar 6 (implied by sr)  Mar 6  Mar 6 02:00  Mar 10 (d3, open)
 *   c7       2025-03  PAID     Mar 10 Mar 12       -
 *   c8       2025-03  ORGANIC  Mar 15 - (disqualified)
 *   c9 (deleted) and d5 (deleted) count nowhere; 2025-02 has no contact: the empty cohort.
 *
 *   deal  lead  status at creation  created  closed           amount  cycle
 *   d1    c1    sales_ready         Jan 10   Jan 30 won       10000   20
 *   d2    c2    sales_ready         Jan 12   Feb 11 lost       5000   30
 *   d3    c6    sales_ready         Mar 10   open (age 21)     8000   -
 *   d4    none  (none)              Feb 1    Mar 3 won        20000   30 (February 2025 has 28 days)
 */
const metrics = computeMetrics({ contacts: CONTACTS, deals: DEALS, decisions: DECISIONS, now: NOW, slaHours: SLA_HOURS });

function group(m: Metrics, dimension: Dimension | 'overall', key: string): GroupFigures {
  if (dimension === 'overall') return m.overall;
  const list = dimension === 'cohort' ? m.byCohort : dimension === 'source' ? m.bySource : m.byStatus;
  const g = list.find((x) => x.key === key);
  if (!g) throw new Error(`no ${dimension} group ${key}: ${list.map((x) => x.key).join(', ')}`);
  return g;
}

/** Null stays null (an unknown is not 0); numbers to 9 decimals. */
function expectFigure(actual: number | null, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else {
    expect(actual).not.toBeNull();
    expect(actual!).toBeCloseTo(expected, 9);
  }
}

describe('the groups', () => {
  test('cohorts run month by month from the first lead to now, the empty month included; sources and statuses by key, missing last', () => {
    expect(metrics.byCohort.map((g) => g.key)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(metrics.bySource.map((g) => g.key)).toEqual(['ORGANIC_SEARCH', 'PAID_SEARCH', '(none)']);
    expect(metrics.byStatus.map((g) => g.key)).toEqual(['sales_ready', '(none)']);
    expect(metrics.dealsWithoutContacts).toBe(1); // d4
    expect(metrics.slaBreachedContactIds).toEqual(['c5']); // c9 would be one too, but it is deleted
    expect(metrics.slaHours).toBe(24);
    expect(metrics.since).toBeNull();
  });
});

describe('the waterfall: reached per stage, stage conversion = reached B / reached A, lead-to-opportunity = got a deal / leads', () => {
  // reached: lead, mql, sr, accepted, opportunity, won; rates: lead>mql, mql>sr, sr>acc, acc>opp, opp>won.
  const rows: Array<[Dimension | 'overall', string, number[], Array<number | null>, number | null]> = [
    // 8 leads; mql c1 c2 c3 c5 c6 c7; sr c1 c2 c3 c5 c6; accepted c1 c2 c6; opportunity c1 c2 c6; won c1.
    ['overall', 'overall', [8, 6, 5, 3, 3, 1], [6 / 8, 5 / 6, 3 / 5, 3 / 3, 1 / 3], 3 / 8],
    ['cohort', '2025-01', [4, 3, 3, 2, 2, 1], [3 / 4, 3 / 3, 2 / 3, 2 / 2, 1 / 2], 2 / 4],
    // The empty cohort: counts 0, every rate null.
    ['cohort', '2025-02', [0, 0, 0, 0, 0, 0], [null, null, null, null, null], null],
    ['cohort', '2025-03', [4, 3, 2, 1, 1, 0], [3 / 4, 2 / 3, 1 / 2, 1 / 1, 0 / 1], 1 / 4],
    ['source', 'ORGANIC_SEARCH', [4, 3, 3, 1, 1, 1], [3 / 4, 3 / 3, 1 / 3, 1 / 1, 1 / 1], 1 / 4], // c1 c3 c5 c8
    ['source', 'PAID_SEARCH', [3, 3, 2, 2, 2, 0], [3 / 3, 2 / 3, 2 / 2, 2 / 2, 0 / 2], 2 / 3], // c2 c6 c7
    // c4 alone: 0 of 1 reached mql is a rate of 0; beyond that nobody reached A, so null. Its deal d5 is deleted.
    ['source', '(none)', [1, 0, 0, 0, 0, 0], [0, null, null, null, null], 0],
    // Contacts by the status at creation of their first deal: c1 (d1), c2 (d2), c6 (d3).
    ['status', 'sales_ready', [3, 3, 3, 3, 3, 1], [1, 1, 1, 1, 1 / 3], 1],
    // d4's group has no contact at all.
    ['status', '(none)', [0, 0, 0, 0, 0, 0], [null, null, null, null, null], null],
  ];
  test.each(rows)('%s %s', (dimension, key, reached, rates, leadToOpportunity) => {
    const f = group(metrics, dimension, key).funnel;
    expect(f.leads).toBe(reached[0]);
    expect(Object.values(f.reached)).toEqual(reached);
    expect(f.steps.map((s) => `${s.from}>${s.to}`)).toEqual(['lead>marketing_qualified', 'marketing_qualified>sales_ready', 'sales_ready>accepted', 'accepted>opportunity', 'opportunity>won']);
    f.steps.forEach((s, i) => expectFigure(s.rate, rates[i]));
    expectFigure(f.leadToOpportunityRate, leadToOpportunity);
  });
});

describe('stage duration: mean and median of (entered B - entered A) over records that reached B', () => {
  const h = 1 / 24;
  // [dimension, key, step (0 = lead>mql ... 4 = opp>won), records, mean, median]
  const rows: Array<[Dimension | 'overall', string, number, number, number | null, number | null]> = [
    ['overall', 'overall', 0, 6, 10 / 6, 2], // c1 2, c2 2, c3 2, c5 1, c6 1 (sr Mar 6 implies mql then), c7 2
    ['overall', 'overall', 1, 5, 2, 2], // c1 2, c2 2, c3 4, c5 2, c6 0
    ['overall', 'overall', 2, 3, (0.5 + 1.25 + 2 * h) / 3, 0.5], // c1 12 h, c2 30 h, c6 2 h
    ['overall', 'overall', 3, 3, (4.5 + 4.75 + (3 + 22 * h)) / 3, 4.5], // c1, c2, c6 (Mar 6 02:00 to Mar 10)
    ['overall', 'overall', 4, 1, 20, 20], // c1: d1 created Jan 10, won Jan 30
    ['cohort', '2025-01', 0, 3, 2, 2],
    ['cohort', '2025-01', 1, 3, 8 / 3, 2], // 2, 2, 4
    ['cohort', '2025-01', 2, 2, 0.875, 0.875], // 0.5, 1.25: an even sample's median is the mean of the middle two
    ['cohort', '2025-01', 3, 2, 4.625, 4.625],
    ['cohort', '2025-01', 4, 1, 20, 20],
    ['cohort', '2025-02', 0, 0, null, null],
    ['cohort', '2025-02', 4, 0, null, null],
    ['cohort', '2025-03', 0, 3, 4 / 3, 1], // c5 1, c6 1, c7 2
    ['cohort', '2025-03', 1, 2, 1, 1], // c5 2, c6 0
    ['cohort', '2025-03', 3, 1, 3 + 22 * h, 3 + 22 * h],
    ['cohort', '2025-03', 4, 0, null, null], // nobody won in March
  ];
  test.each(rows)('%s %s step %i', (dimension, key, step, count, mean, median) => {
    const d = group(metrics, dimension, key).funnel.steps[step].days;
    expect(d.count).toBe(count);
    expectFigure(d.mean, mean);
    expectFigure(d.median, median);
  });

  test('lead conversion time: days from created, and from first sales_ready, to the first associated deal', () => {
    const { fromCreated, fromQualified } = metrics.overall.funnel.leadConversionDays;
    // c1 Jan 1 -> Jan 10 = 9, c2 Jan 2 -> Jan 12 = 10, c6 Mar 5 -> Mar 10 = 5
    expect(fromCreated).toEqual({ count: 3, mean: 8, median: 9 });
    // c1 Jan 5 -> Jan 10 = 5, c2 Jan 6 -> Jan 12 = 6, c6 Mar 6 -> Mar 10 = 4
    expect(fromQualified).toEqual({ count: 3, mean: 5, median: 5 });
    expect(group(metrics, 'cohort', '2025-02').funnel.leadConversionDays.fromCreated).toEqual({ count: 0, mean: null, median: null });
  });
});

describe('deals: win rate, average won deal size, sales cycle (closed only), open age, pipeline velocity', () => {
  // [dimension, key, deals, open, closed, won, lost, win rate, avg won size, cycle mean, cycle median, open age mean, velocity]
  type Row = [Dimension | 'overall', string, number, number, number, number, number, number | null, number | null, number | null, number | null, number | null, number | null];
  const rows: Row[] = [
    // d1 d2 d3 d4 (d5 deleted). win rate 2 / (2 + 1); size (10000 + 20000) / 2; cycle 20, 30, 30;
    // velocity = 1 open x 15000 x 2/3 / (80/3) = 375 per day.
    ['overall', 'overall', 4, 1, 3, 2, 1, 2 / 3, 15000, 80 / 3, 30, 21, 375],
    // d1 and d2 (their leads c1, c2 are January's); no open deal, so velocity 0 x 10000 x 0.5 / 25 = 0.
    ['cohort', '2025-01', 2, 0, 2, 1, 1, 1 / 2, 10000, 25, 25, null, 0],
    // d4 was created in February but has no contact: in no cohort. The empty cohort's deal figures are null.
    ['cohort', '2025-02', 0, 0, 0, 0, 0, null, null, null, null, null, null],
    // d3 only: open, so no win rate, no size, no cycle (open deals are reported as age: Mar 10 -> Mar 31 = 21).
    ['cohort', '2025-03', 1, 1, 0, 0, 0, null, null, null, null, 21, null],
    ['source', 'ORGANIC_SEARCH', 1, 0, 1, 1, 0, 1, 10000, 20, 20, null, 0], // d1
    // d2 lost and d3 open: win rate 0, no won deal so no size and no velocity.
    ['source', 'PAID_SEARCH', 2, 1, 1, 0, 1, 0, null, 30, 30, 21, null],
    ['source', '(none)', 0, 0, 0, 0, 0, null, null, null, null, null, null], // c4's d5 is deleted
    // d1 d2 d3: 1 open x 10000 x 0.5 / 25 = 200 per day.
    ['status', 'sales_ready', 3, 1, 2, 1, 1, 1 / 2, 10000, 25, 25, 21, 200],
    ['status', '(none)', 1, 0, 1, 1, 0, 1, 20000, 30, 30, null, 0], // d4: deals without contacts count here
  ];
  test.each(rows)('%s %s', (dimension, key, deals, open, closed, won, lost, winRate, size, cycleMean, cycleMedian, openAge, velocity) => {
    const d = group(metrics, dimension, key).deals;
    expect([d.deals, d.open, d.closed, d.won, d.lost]).toEqual([deals, open, closed, won, lost]);
    expectFigure(d.winRate, winRate);
    expectFigure(d.averageDealSize, size);
    expectFigure(d.salesCycleDays.mean, cycleMean);
    expectFigure(d.salesCycleDays.median, cycleMedian);
    expectFigure(d.openAgeDays.mean, openAge);
    expectFigure(d.pipelineVelocityPerDay, velocity);
  });

  test('amounts: won and open totals', () => {
    expect(metrics.overall.deals.wonAmount).toBe(30000);
    expect(metrics.overall.deals.openAmount).toBe(8000);
    expect(metrics.overall.deals.salesCycleDays.count).toBe(3);
  });
});

describe('hand-off: acceptance = accepted / (accepted + rejected), rejection reasons, time to first action, SLA', () => {
  // [dimension, key, handed off, accepted, rejected, acceptance, bad data, awaiting, first action mean h, median h, SLA breaches, late verdicts]
  type Row = [Dimension | 'overall', string, number, number, number, number | null, number, number, number | null, number | null, number, number];
  const rows: Row[] = [
    // handed off c1 c2 c3 c5 c6; verdicts after 12 h (c1), 30 h (c2, past the 24 h SLA), 6 h (c3), 2 h (c6):
    // mean 50 / 4 = 12.5, median (6 + 12) / 2 = 9; c5 is sales_ready with no verdict 27 days on: a breach.
    ['overall', 'overall', 5, 3, 1, 3 / 4, 1, 1, 12.5, 9, 1, 1],
    ['cohort', '2025-01', 3, 2, 1, 2 / 3, 1, 0, 16, 12, 0, 1], // 12, 30, 6
    ['cohort', '2025-02', 0, 0, 0, null, 0, 0, null, null, 0, 0],
    ['cohort', '2025-03', 2, 1, 0, 1, 0, 1, 2, 2, 1, 0],
    ['source', 'ORGANIC_SEARCH', 3, 1, 1, 1 / 2, 1, 1, 9, 9, 1, 0], // c1 12 h, c3 6 h; c5 waits
    ['source', '(none)', 0, 0, 0, null, 0, 0, null, null, 0, 0],
  ];
  test.each(rows)('%s %s', (dimension, key, handedOff, accepted, rejected, acceptance, badData, awaiting, meanH, medianH, breaches, late) => {
    const h = group(metrics, dimension, key).handOff;
    expect([h.handedOff, h.accepted, h.rejected, h.rejectionReasons.rejected_bad_data, h.awaitingFeedback, h.slaBreaches, h.answeredAfterSla]).toEqual([handedOff, accepted, rejected, badData, awaiting, breaches, late]);
    expectFigure(h.acceptanceRate, acceptance);
    expectFigure(h.timeToFirstActionHours.mean, meanH);
    expectFigure(h.timeToFirstActionHours.median, medianH);
  });

  test("every reason of the definition is listed, at 0 when unused; a portal's own reason is counted too", () => {
    expect(metrics.overall.handOff.rejectionReasons).toEqual({ rejected_misrouted: 0, rejected_bad_data: 1, rejected_below_definition: 0 });
    const m = computeMetrics({ contacts: [contact({ id: 'x', createdAt: at(1, 1), feedback: 'rejected_duplicate', feedbackAt: at(1, 2) })], deals: [], decisions: [], now: NOW, slaHours: 24 });
    expect(m.overall.handOff.rejectionReasons.rejected_duplicate).toBe(1);
    expect(m.overall.handOff.acceptanceRate).toBe(0);
  });

  test('a breach needs more than SLA hours: at exactly 24 h there is none, a minute later there is', () => {
    const input = { contacts: [contact({ id: 's', createdAt: at(1, 1), status: 'sales_ready', qualifiedAt: at(1, 2) })], deals: [], decisions: [], slaHours: 24 };
    expect(computeMetrics({ ...input, now: at(1, 3) }).slaBreachedContactIds).toEqual([]);
    expect(computeMetrics({ ...input, now: at(1, 3) + 60_000 }).slaBreachedContactIds).toEqual(['s']);
  });
});

describe('edge cases', () => {
  test('an empty portal: counts 0, rates and durations null, never NaN, and no cohorts', () => {
    const m = computeMetrics({ contacts: [], deals: [], decisions: [], now: NOW, slaHours: 24 });
    expect(m.byCohort).toEqual([]);
    expect(m.overall.funnel.leads).toBe(0);
    expect(m.overall.funnel.steps.every((s) => s.rate === null && s.days.mean === null)).toBe(true);
    expect(m.overall.deals).toMatchObject({ deals: 0, winRate: null, averageDealSize: null, pipelineVelocityPerDay: null, wonAmount: 0 });
    expect(m.overall.handOff.acceptanceRate).toBeNull();
    expect(JSON.stringify(m)).not.toMatch(/NaN|Infinity/);
  });

  test('since: only records created from that day, cohorts from its month (empty months included)', () => {
    const m = computeMetrics({ contacts: CONTACTS, deals: DEALS, decisions: DECISIONS, now: NOW, slaHours: 24 }, { since: at(3, 1) });
    expect(m.since).toBe('2025-03-01');
    expect(m.byCohort.map((g) => g.key)).toEqual(['2025-03']);
    expect(m.overall.funnel.leads).toBe(4);
    expect(m.overall.deals.deals).toBe(1); // d3; d4 was created in February
    expect(m.dealsWithoutContacts).toBe(0);
    const later = computeMetrics({ contacts: CONTACTS, deals: DEALS, decisions: DECISIONS, now: at(6, 1), slaHours: 24 }, { since: at(2, 10) });
    expect(later.byCohort.map((g) => [g.key, g.funnel.leads])).toEqual([
      ['2025-02', 0],
      ['2025-03', 4],
      ['2025-04', 0],
      ['2025-05', 0],
      ['2025-06', 0],
    ]);
  });

  test('reaching a later stage implies the earlier ones; an undated stage counts as reached but gives no duration', () => {
    // Accepted by a rep with no recorded time and no decision: it reached mql, sr and accepted, with no dates.
    const m = computeMetrics({ contacts: [contact({ id: 'a', createdAt: at(1, 1), feedback: 'accepted' })], deals: [], decisions: [], now: NOW, slaHours: 24 });
    expect(m.overall.funnel.reached).toEqual({ lead: 1, marketing_qualified: 1, sales_ready: 1, accepted: 1, opportunity: 0, won: 0 });
    expect(m.overall.funnel.steps.map((s) => s.days.count)).toEqual([0, 0, 0, 0, 0]);
    // It was never handed off by the definition (no sales_ready of its own), so it is not awaiting anything.
    expect(m.overall.handOff).toMatchObject({ handedOff: 0, accepted: 1, acceptanceRate: 1, awaitingFeedback: 0 });
  });

  test('a deal belongs to the cohort and source of its earliest-created live contact; unknown contacts make it a deal without contacts', () => {
    const contacts = [contact({ id: 'old', createdAt: at(1, 5), source: 'A' }), contact({ id: 'new', createdAt: at(2, 5), source: 'B' })];
    const deals = [
      deal({ id: 'shared', createdAt: at(2, 10), contactIds: ['new', 'old'], statusAtCreation: 'marketing_qualified' }),
      deal({ id: 'orphan', createdAt: at(2, 10), contactIds: ['not-mirrored'] }),
    ];
    const m = computeMetrics({ contacts, deals, decisions: [], now: NOW, slaHours: 24 });
    expect(m.byCohort.map((g) => [g.key, g.deals.deals, g.funnel.reached.opportunity])).toEqual([
      ['2025-01', 1, 1],
      ['2025-02', 0, 1], // "new" got the deal too (it counts as converted) but the deal is January's
      ['2025-03', 0, 0],
    ]);
    expect(m.bySource.map((g) => [g.key, g.deals.deals])).toEqual([
      ['A', 1],
      ['B', 0],
    ]);
    expect(m.byStatus.map((g) => [g.key, g.deals.deals, g.funnel.leads])).toEqual([
      ['marketing_qualified', 1, 2],
      ['(none)', 1, 0],
    ]);
    expect(m.dealsWithoutContacts).toBe(1);
    expect(m.overall.deals.deals).toBe(2);
  });

  test('a contact without a created date is in the (none) cohort, after the months', () => {
    const m = computeMetrics({ contacts: [contact({ id: 'n' }), contact({ id: 'm', createdAt: at(3, 2) })], deals: [], decisions: [], now: NOW, slaHours: 24 });
    expect(m.byCohort.map((g) => [g.key, g.funnel.leads])).toEqual([
      ['2025-03', 1],
      ['(none)', 1],
    ]);
  });

  test('a sales cycle of 0 days gives no velocity (no division by zero)', () => {
    const d = deal({ id: 'z', createdAt: at(1, 1), closedAt: at(1, 1), closed: true, won: true, amount: 5 });
    const m = computeMetrics({ contacts: [], deals: [d, deal({ id: 'o', createdAt: at(1, 2) })], decisions: [], now: NOW, slaHours: 24 });
    expect(m.overall.deals.salesCycleDays.mean).toBe(0);
    expect(m.overall.deals.pipelineVelocityPerDay).toBeNull();
  });

  test('the decisions may come in any order, and the first time of each status counts', () => {
    const reversed = computeMetrics({ contacts: CONTACTS, deals: DEALS, decisions: [...DECISIONS].reverse(), now: NOW, slaHours: SLA_HOURS });
    expect(reversed).toEqual(metrics);
    expect(computeMetrics({ contacts: CONTACTS, deals: DEALS, decisions: [...DECISIONS, decision('c7', 'marketing_qualified', at(3, 30))], now: NOW, slaHours: SLA_HOURS })).toEqual(metrics);
  });

  test('the snapshot is plain JSON: it survives a round trip unchanged', () => {
    const snap = snapshotOf(metrics, NOW);
    expect(snap.computedAt).toBe('2025-03-31T00:00:00.000Z');
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(JSON.stringify(snap)).not.toMatch(/NaN|Infinity/);
  });

  test('summaries and months', () => {
    expect(summarize([])).toEqual({ count: 0, mean: null, median: null });
    expect(summarize([3, 1, 2])).toEqual({ count: 3, mean: 2, median: 2 });
    expect(summarize([4, 1, 2, 3])).toEqual({ count: 4, mean: 2.5, median: 2.5 });
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });
});

describe('the report', () => {
  const snap = snapshotOf(metrics, NOW);

  test('table: every section, the overall row first, percentages, "-" for unknown, the breaches and deals without contacts', () => {
    const out = renderReport(snap, { format: 'table' });
    expect(out).toContain('Lead conversion report by cohort, computed 2025-03-31T00:00:00.000Z, SLA 24 h');
    for (const title of ['Waterfall', 'Stage duration', 'Deals:', 'Hand-off:']) expect(out).toContain(title);
    const waterfall = out.split('\n\n')[1].split('\n');
    // header, rule, overall, then the three months
    expect(waterfall.slice(3).map((l) => l.split(/\s+/)[0])).toEqual(['overall', '2025-01', '2025-02', '2025-03']);
    expect(waterfall[3].split(/\s+/)).toEqual(['overall', '8', '6', '5', '3', '3', '1', '75.0%', '83.3%', '60.0%', '100.0%', '33.3%', '37.5%']);
    expect(waterfall[5].split(/\s+/)).toEqual(['2025-02', '0', '0', '0', '0', '0', '0', '-', '-', '-', '-', '-', '-']);
    const dealsSection = out.split('\n\n')[3].split('\n');
    expect(dealsSection[3].split(/\s+/).slice(0, 9)).toEqual(['overall', '4', '1', '2', '1', '66.7%', '15000.00', '30000.00', '8000.00']);
    expect(dealsSection[3].trim().endsWith('375.00')).toBe(true);
    expect(out).toContain('Deals without contacts: 1');
    expect(out).toContain('SLA breaches (sales_ready, no verdict after 24 h): c5.');
    expect(renderReport(snap, { format: 'table', by: 'status' })).toMatch(/^sales_ready\s+3\s+3\s+3\s+3\s+3\s+1\s/m);
  });

  test('the two acceptance figures: the waterfall\'s inferred stage and the hand-off\'s recorded verdicts never share a label', () => {
    // a: a deal, no verdict (accepted by inference only); b: an accepted verdict; c: rejected, no deal.
    const m = computeMetrics({
      contacts: [
        contact({ id: 'a', createdAt: at(1, 1), status: 'sales_ready', qualifiedAt: at(1, 2) }),
        contact({ id: 'b', createdAt: at(1, 1), status: 'sales_ready', qualifiedAt: at(1, 2), feedback: 'accepted', feedbackAt: at(1, 3) }),
        contact({ id: 'c', createdAt: at(1, 1), status: 'sales_ready', qualifiedAt: at(1, 2), feedback: 'rejected_bad_data', feedbackAt: at(1, 3) }),
      ],
      deals: [deal({ id: 'd', createdAt: at(1, 4), contactIds: ['a'] })],
      decisions: [],
      now: NOW,
      slaHours: 24,
    });
    expect([m.overall.funnel.reached.accepted, m.overall.handOff.accepted]).toEqual([2, 1]);
    const out = renderReport(m, { format: 'table' });
    const sections = out.split('\n\n');
    const headersOf = (title: string) => sections.find((s) => s.startsWith(title))!.split('\n')[1]!.split(/\s{2,}/);
    expect(headersOf('Waterfall')).toEqual(expect.arrayContaining(['acc(inf)', 'sr>acc(inf)', 'acc(inf)>opp']));
    expect(headersOf('Hand-off')).toEqual(expect.arrayContaining(['acc verdicts', 'rej verdicts']));
    // No header anywhere is a bare "accepted" (or its old short form).
    const headers = sections.filter((s) => s.split('\n')[2]?.startsWith('-')).flatMap((s) => s.split('\n')[1]!.split(/\s{2,}/));
    expect(headers.filter((h) => /^(acc|accepted)$/i.test(h.trim()))).toEqual([]);
    expect(out).toContain('Two acceptance figures: acc(inf) 2 (waterfall: contacts with an accepted verdict or a deal) and acc verdicts 1 (hand-off: uld_sales_feedback = accepted, recorded verdicts only).');
    // The JSON and CSV keys stay as they were, for scripts.
    const csvHeader = renderReport(m, { format: 'csv' }).split('\r\n')[0]!.split(',');
    expect(csvHeader).toEqual(expect.arrayContaining(['reached_accepted', 'accepted', 'rejected', 'acceptance_rate']));
  });

  test('json: the chosen grouping with nulls kept, parseable', () => {
    const parsed = JSON.parse(renderReport(snap, { format: 'json', by: 'source' })) as { by: string; computedAt: string; groups: GroupFigures[]; overall: GroupFigures; byCohort?: unknown };
    expect(parsed.by).toBe('source');
    expect(parsed.computedAt).toBe(snap.computedAt);
    expect(parsed.groups.map((g) => g.key)).toEqual(['ORGANIC_SEARCH', 'PAID_SEARCH', '(none)']);
    expect(parsed.groups[2].funnel.steps[1].rate).toBeNull();
    expect(parsed.overall).toEqual(metrics.overall);
    expect(parsed.byCohort).toBeUndefined();
  });

  test('csv: one row per group with stable snake_case headers, rates as fractions, empty cells for unknown, quoted keys', () => {
    const lines = renderReport(metrics, { format: 'csv' }).trimEnd().split('\r\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 4)).toEqual(['dimension', 'group', 'reached_lead', 'reached_marketing_qualified']);
    // overall, 3 cohorts, then the qualified-pipeline series: 3 deal-created months (January to March).
    expect(lines).toHaveLength(1 + 1 + 3 + 3);
    const row = (i: number) => Object.fromEntries(lines[i].split(',').map((v, j) => [header[j], v]));
    expect(row(1)).toMatchObject({ dimension: 'overall', group: 'overall', reached_lead: '8', rate_lead_to_marketing_qualified: '0.75', win_rate: '0.666667', pipeline_velocity_per_day: '375', sla_breaches: '1' });
    expect(row(3)).toMatchObject({ dimension: 'cohort', group: '2025-02', reached_lead: '0', rate_lead_to_marketing_qualified: '', win_rate: '', sales_cycle_days_mean: '' });
    // Qualified pipeline: d1, d2, d3 were created from a sales_ready lead, d4 (no contacts) from none.
    // Overall 4 deals 43000, 3 qualified 23000 (10000 + 5000 + 8000): 3/4, 23000/43000 = 0.534884.
    expect(row(1)).toMatchObject({ pipeline_created_deals: '4', pipeline_created_amount: '43000', qualified_pipeline_deals: '3', qualified_pipeline_amount: '23000', qualified_pipeline_count_share: '0.75', qualified_pipeline_amount_share: '0.534884' });
    // February: only d4 (20000, not qualified): share 0, not unknown.
    expect(row(6)).toMatchObject({ dimension: 'created_month', group: '2025-02', reached_lead: '', pipeline_created_deals: '1', pipeline_created_amount: '20000', qualified_pipeline_deals: '0', qualified_pipeline_count_share: '0', qualified_pipeline_amount_share: '0' });
    const odd = computeMetrics({ contacts: [contact({ id: 'q', createdAt: at(1, 1), source: 'a "quoted", source' })], deals: [], decisions: [], now: NOW, slaHours: 24 });
    expect(renderReport(odd, { format: 'csv', by: 'source' })).toContain('\r\nsource,"a ""quoted"", source",1,');
  });
});

describe('slaText', () => {
  test.each([
    [24, '24 h'],
    [1, '1 h'],
    [1.5, '1.5 h'],
    [0.25, '15 min'],
    [0.01, '36 s'],
    [4 / 3600, '4 s'],
  ])('when SLA_HOURS is %p, then the SLA reads %p', (hours, text) => {
    expect(slaText(hours)).toBe(text);
  });
});

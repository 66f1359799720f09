import { choosePeriod, computeMetrics, computeMetricsForPeriod, headerFigures, previousPeriod, type PeriodHeader } from '../../src/metrics';
import { at, CONTACTS, DEALS, DECISIONS, NOW, SLA_HOURS } from './portal';

/**
 * The period and the header figures over the hand-built portal of test/metrics/portal.ts (8 live contacts
 * January to March 2025, deals d1 to d4, a deleted contact and deal). Each expected value is worked out in the
 * row's comment.
 */

const TODAY = Date.parse('2026-12-05T10:00:00Z');

describe('choosePeriod', () => {
  it.each([
    ['nothing given: the 90 days ending today', undefined, undefined, { ok: true, period: { from: '2026-09-07', to: '2026-12-05' }, explicit: false }],
    ['empty values are not given', '', '', { ok: true, period: { from: '2026-09-07', to: '2026-12-05' }, explicit: false }],
    ['both given', '2026-01-01', '2026-01-31', { ok: true, period: { from: '2026-01-01', to: '2026-01-31' }, explicit: true }],
    ['one day', '2026-02-28', '2026-02-28', { ok: true, period: { from: '2026-02-28', to: '2026-02-28' }, explicit: true }],
    ['from alone: 90 days from it (31 + 28 + 31)', '2026-01-01', undefined, { ok: true, period: { from: '2026-01-01', to: '2026-03-31' }, explicit: true }],
    ['from alone, less than 90 days ago: up to today', '2026-11-01', undefined, { ok: true, period: { from: '2026-11-01', to: '2026-12-05' }, explicit: true }],
    ['to alone: the 90 days ending it', undefined, '2026-03-31', { ok: true, period: { from: '2026-01-01', to: '2026-03-31' }, explicit: true }],
  ])('%s', (_name, from, to, expected) => {
    expect(choosePeriod(from, to, TODAY)).toEqual(expected);
  });

  it.each([
    ['not a calendar day', '2026-02-30', '2026-03-31', /^from must be a UTC day YYYY-MM-DD, found "2026-02-30"; give e\.g\. from=2026-12-05$/],
    ['not a date at all', '2026-01-01', 'yesterday', /^to must be a UTC day YYYY-MM-DD, found "yesterday"/],
    ['from after to', '2026-03-01', '2026-02-01', /^from \(2026-03-01\) is after to \(2026-02-01\); give a from on or before the to$/],
    // The previous period must still be a date: a period starts in 1900 or later and spans at most 36,500 days.
    ['from before 1900', '1899-12-31', '1900-01-31', /^from \(1899-12-31\) is before 1900-01-01; give a from on or after it$/],
    ['longer than 36,500 days', '1900-01-01', '9999-12-31', /^1900-01-01 to 9999-12-31 is longer than 36500 days; give a shorter period$/],
  ])('%s: an error naming the problem and the fix', (_name, from, to, message) => {
    const choice = choosePeriod(from, to, TODAY);
    expect(choice.ok).toBe(false);
    if (!choice.ok) expect(choice.message).toMatch(message);
  });

  it('names the values as the caller does (flags for the CLI)', () => {
    expect(choosePeriod('x', undefined, TODAY, { from: '--from', to: '--to' })).toEqual({ ok: false, message: '--from must be a UTC day YYYY-MM-DD, found "x"; give e.g. --from=2026-12-05' });
  });
});

describe('previousPeriod', () => {
  it.each([
    ['March, 31 days', { from: '2026-03-01', to: '2026-03-31' }, { from: '2026-01-29', to: '2026-02-28' }],
    ['March of a leap year', { from: '2024-03-01', to: '2024-03-31' }, { from: '2024-01-30', to: '2024-02-29' }],
    ['one day', { from: '2026-01-01', to: '2026-01-01' }, { from: '2025-12-31', to: '2025-12-31' }],
    ['the default 90 days', { from: '2026-09-07', to: '2026-12-05' }, { from: '2026-06-09', to: '2026-09-06' }],
  ])('%s', (_name, period, expected) => {
    expect(previousPeriod(period)).toEqual(expected);
  });
});

/** The six header figures of a period and of its previous one, in HEADER_FIGURES order. */
const compared = (h: PeriodHeader) =>
  Object.fromEntries(Object.entries(h.compare).map(([k, c]) => [k, [c.current, c.previous, c.change].map((v) => (v === null ? null : Math.round(v * 1000) / 1000))]));

describe('headerFigures', () => {
  const input = { contacts: CONTACTS, deals: DEALS, now: NOW };

  it.each([
    [
      // March: leads c5..c8, one with a deal (c6: d3) = 0.25. Created: d3 (8,000, sales_ready). Closed: d4
      // (won 20,000, 30 days). Open at the end (now, 03-31, is earlier than the period's end): d3. Velocity
      // 1 x 20,000 x 1 / 30 = 666.667.
      // Previous, 01-29 to 02-28: no lead (rate unknown). Created: d4 (20,000, no status: not qualified).
      // Closed: d1 (won 10,000, 20 days) and d2 (lost, 30 days): win rate 0.5, size 10,000, cycle 25. Open on
      // 03-01: d4 (closed 03-03). Velocity 1 x 10,000 x 0.5 / 25 = 200.
      'March 2025',
      { from: '2025-03-01', to: '2025-03-31' },
      {
        leadToOpportunityRate: [0.25, null, null],
        qualifiedPipelineDeals: [1, 0, 1],
        qualifiedPipelineAmount: [8000, 0, 8000],
        averageDealSize: [20000, 10000, 10000],
        salesCycleDays: [30, 25, 5],
        pipelineVelocityPerDay: [666.667, 200, 466.667],
      },
    ],
    [
      // January: leads c1..c4 (c9 deleted), with a deal c1 and c2 (c4's d5 is deleted) = 0.5. Created: d1, d2,
      // both sales_ready at creation: 2 deals, 15,000. Closed: d1 (won 10,000, 20 days). Open on 02-01 00:00:
      // d2 (closed 02-11); d4 was created at that very instant, so not before it. Velocity 1 x 10,000 x 1 / 20.
      // Previous, December 2024: nothing at all.
      'January 2025',
      { from: '2025-01-01', to: '2025-01-31' },
      {
        leadToOpportunityRate: [0.5, null, null],
        qualifiedPipelineDeals: [2, 0, 2],
        qualifiedPipelineAmount: [15000, 0, 15000],
        averageDealSize: [10000, null, null],
        salesCycleDays: [20, null, null],
        pipelineVelocityPerDay: [500, null, null],
      },
    ],
    [
      // One day, 03-03: d4 closed at its first instant (won 20,000, 30 days); open at its end: d3 is not created
      // yet, none is open: velocity 0. Previous day 03-02: nothing closed.
      'one day',
      { from: '2025-03-03', to: '2025-03-03' },
      {
        leadToOpportunityRate: [null, null, null],
        qualifiedPipelineDeals: [0, 0, 0],
        qualifiedPipelineAmount: [0, 0, 0],
        averageDealSize: [20000, null, null],
        salesCycleDays: [30, null, null],
        pipelineVelocityPerDay: [0, null, null],
      },
    ],
  ])('%s', (_name, period, expected) => {
    expect(compared(headerFigures(input, period))).toEqual(expected);
  });

  it('counts what each figure is over, for the period and the previous one', () => {
    const h = headerFigures(input, { from: '2025-03-01', to: '2025-03-31' });
    expect(h.period).toMatchObject({ from: '2025-03-01', to: '2025-03-31', days: 31, leads: 4, leadsWithDeal: 1, closedDeals: 1, wonDeals: 1, winRate: 1, openDealsAtEnd: 1 });
    expect(h.previous).toMatchObject({ from: '2025-01-29', to: '2025-02-28', days: 31, leads: 0, leadsWithDeal: 0, closedDeals: 2, wonDeals: 1, winRate: 0.5, openDealsAtEnd: 1 });
    expect(h.previous.qualifiedPipeline).toEqual({ created: 1, createdAmount: 20000, qualified: 0, qualifiedAmount: 0, countShare: 0, amountShare: 0 });
  });

  it('judges a current period\'s open deals at now, not at the end of its last day', () => {
    // now is 03-31 00:00: a deal closed later that day is still open at now.
    const deals = DEALS.map((d) => (d.id === 'd3' ? { ...d, closed: true, won: true, closedAt: at(3, 31, 12) } : d));
    expect(headerFigures({ ...input, deals }, { from: '2025-03-01', to: '2025-03-31' }).period.openDealsAtEnd).toBe(1);
    expect(headerFigures({ ...input, deals, now: at(4, 2) }, { from: '2025-03-01', to: '2025-03-31' }).period.openDealsAtEnd).toBe(0);
  });
});

describe('computeMetricsForPeriod', () => {
  it('counts the records created in the period, with cohorts and deal months from its first month to its last', () => {
    const m = computeMetricsForPeriod({ contacts: CONTACTS, deals: DEALS, decisions: DECISIONS, now: NOW, slaHours: SLA_HOURS }, { from: '2025-01-01', to: '2025-01-31' });
    expect([m.overall.funnel.leads, m.overall.deals.deals, m.since, m.period]).toEqual([4, 2, '2025-01-01', { from: '2025-01-01', to: '2025-01-31' }]);
    expect(m.byCohort.map((g) => g.key)).toEqual(['2025-01']);
    expect(m.qualifiedPipelineByMonth.map((q) => [q.month, q.created])).toEqual([['2025-01', 2]]);
    // d4 (no contacts) was created in February: not in January's figures.
    expect(m.dealsWithoutContacts).toBe(0);
  });

  it('over a long period, lists no empty month before the first record nor after the period', () => {
    const m = computeMetricsForPeriod({ contacts: CONTACTS, deals: DEALS, decisions: DECISIONS, now: NOW, slaHours: SLA_HOURS }, { from: '2024-01-01', to: '2025-02-28' });
    // February has no lead but lies between January's and the period's end: listed, empty.
    expect(m.byCohort.map((g) => [g.key, g.funnel.leads])).toEqual([['2025-01', 4], ['2025-02', 0]]);
    expect(m.qualifiedPipelineByMonth.map((q) => [q.month, q.created])).toEqual([['2025-01', 2], ['2025-02', 1]]);
    expect(m.dealsWithoutContacts).toBe(1);
  });

  it('over every record, equals computeMetrics without a period, but for `since`', () => {
    const input = { contacts: CONTACTS, deals: DEALS, decisions: DECISIONS, now: NOW, slaHours: SLA_HOURS };
    const { period: _p, since, ...m } = computeMetricsForPeriod(input, { from: '2025-01-01', to: '2025-03-31' });
    const { since: none, ...all } = computeMetrics(input);
    expect([since, none]).toEqual(['2025-01-01', null]);
    expect(m).toEqual(all);
  });
});

import { evaluate } from '../../src/definition';
import { replayContact, statusAt, type HistoryPoint, type RecordPast } from '../../src/replay';
import { DAY, definition } from '../support/definitions';

/**
 * History replay, as tables of contacts whose pasts are written out by hand, with the instants each
 * status must change at computed here in closed form (not by the replay's own search).
 */

const T0 = Date.parse('2026-01-01T00:00:00Z');
const NOW = T0 + 120 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

const def = definition({
  fit: [
    { id: 'senior', label: 'Senior title', when: { property: 'jobtitle', operator: 'contains', value: 'vp', caseInsensitive: true }, points: 30 },
    { id: 'mid-market', label: '50+ employees', when: { property: 'company.numberofemployees', operator: 'gte', value: 50 }, points: 20 },
  ],
  engagement: [
    { id: 'demo', label: 'Requested a demo', when: { property: 'recent_conversion_event_name', operator: 'exists' }, points: 40, decay: { type: 'half_life', days: 30, from: 'recent_conversion_date' } },
    { id: 'visit', label: 'Visited in the last 7 days', when: { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 7 }, points: 25 },
  ],
  ladder: { sales_ready: { total: 65 }, marketing_qualified: { total: 50 } },
});

/** Newest first, as HubSpot serves it. */
function past(values: Record<string, Array<[at: number, value: string]>>): RecordPast {
  const history: Record<string, HistoryPoint[]> = {};
  const current: Record<string, string> = {};
  for (const [name, entries] of Object.entries(values)) {
    const sorted = entries.slice().sort((a, b) => a[0] - b[0]);
    history[name] = sorted.map(([timestamp, value]) => ({ value, timestamp, sourceType: 'CRM_UI' })).reverse();
    current[name] = sorted[sorted.length - 1]![1];
  }
  return { current, history };
}

/** The age (ms, rounded up) at which round2(points * 0.5^(age/halfLife)) first drops below `below`. */
function halfLifeCrossing(points: number, halfLifeDays: number, below: number): number {
  // round2 gives < below once the unrounded value is < below - 0.005.
  return Math.ceil(halfLifeDays * DAY * Math.log2(points / (below - 0.005)));
}

describe('replayContact: status changes at change points and at time crossings', () => {
  const demoAt = T0 + 20 * DAY;
  const contact = past({
    jobtitle: [
      [T0, 'Analyst'],
      [T0 + 10 * DAY, 'VP Sales'],
    ],
    recent_conversion_event_name: [[demoAt, 'Demo request']],
    recent_conversion_date: [[demoAt, iso(demoAt)]],
  });
  const result = replayContact(def, { contact, company: null, now: NOW });
  // 30 (VP) + 40 (demo, fresh) = 70 >= 65: sales_ready the instant the demo is recorded.
  const srToMq = demoAt + halfLifeCrossing(40, 30, 35); // 30 + demo < 65
  const mqToNurture = demoAt + halfLifeCrossing(40, 30, 20); // 30 + demo < 50

  type Row = [name: string, status: string, at: number, cause: string];
  const rows: Row[] = [
    ['when the contact is created as an analyst, then nurture from its creation', 'nurture', T0, 'first_known'],
    ['when the demo is recorded, then sales_ready at that instant', 'sales_ready', demoAt, 'facts'],
    ['when the demo decays below 35 points, then marketing_qualified, to the second', 'marketing_qualified', srToMq, 'time'],
    ['when it decays below 20 points, then nurture, to the second', 'nurture', mqToNurture, 'time'],
  ];
  it.each(rows.map((r, i) => [...r, i] as const))('%s', (_name, status, at, cause, i) => {
    const change = result.timeline[i]!;
    expect(change.status).toBe(status);
    expect(change.cause).toBe(cause);
    expect(Math.abs(change.at! - at)).toBeLessThan(1000);
  });

  it('when the timeline is read, then it has exactly those changes (a VP title alone changes nothing)', () => {
    expect(result.timeline.map((c) => c.status)).toEqual(['nurture', 'sales_ready', 'marketing_qualified', 'nurture']);
  });

  it('when the crossing is checked against the evaluator, then one millisecond before it the old status holds', () => {
    const facts = { jobtitle: 'VP Sales', recent_conversion_event_name: 'Demo request', recent_conversion_date: iso(demoAt) };
    const at = result.timeline[2]!.at!;
    expect(evaluate(def, facts, null, at - 1).status).toBe('sales_ready');
    expect(evaluate(def, facts, null, at).status).toBe('marketing_qualified');
  });

  it('when first stages are asked, then marketing_qualified is reached with sales_ready (straight to the top)', () => {
    expect(result.firstMarketingQualified).toEqual({ reachedAt: demoAt, evidence: 'history' });
    expect(result.firstSalesReady).toEqual({ reachedAt: demoAt, evidence: 'history' });
  });

  type AtRow = [name: string, at: number, status: string | null];
  const at: AtRow[] = [
    ['before the contact existed in history, then unknown', T0 - DAY, null],
    ['at creation, then nurture', T0, 'nurture'],
    ['a deal created a day after the demo, then sales_ready', demoAt + DAY, 'sales_ready'],
    ['a deal created 10 days after the demo, then marketing_qualified', demoAt + 10 * DAY, 'marketing_qualified'],
    ['today, then nurture', NOW, 'nurture'],
  ];
  it.each(at)('statusAt %s', (_name, t, status) => {
    expect(statusAt(result, t)).toBe(status);
  });

  it('when the last decision is compared with today\'s evaluation, then they agree', () => {
    const today = evaluate(def, contact.current, null, NOW);
    expect(result.timeline[result.timeline.length - 1]!.status).toBe(today.status);
  });
});

describe('replayContact: day windows and the company', () => {
  it('when a visit leaves the 7-day window, then the status drops one millisecond after visit + 7 days', () => {
    const visit = T0 + 5 * DAY + 12_345;
    const contact = past({ jobtitle: [[T0, 'VP Marketing']], hs_analytics_last_visit_timestamp: [[visit, iso(visit)]] });
    const result = replayContact(def, { contact, now: NOW });
    expect(result.timeline.map((c) => [c.status, c.at])).toEqual([
      ['nurture', T0],
      ['marketing_qualified', visit],
      ['nurture', visit + 7 * DAY + 1],
    ]);
  });

  it('when the primary company grows past 50 employees, then marketing_qualified at the company change', () => {
    const grew = T0 + 30 * DAY;
    const contact = past({ jobtitle: [[T0, 'VP Sales']] });
    const company = past({ numberofemployees: [[T0 - 100 * DAY, '20'], [grew, '60']] });
    const result = replayContact(def, { contact, company, now: NOW });
    expect(result.timeline.map((c) => [c.status, c.at])).toEqual([
      ['nurture', T0 - 100 * DAY],
      ['marketing_qualified', grew],
    ]);
    expect(result.firstMarketingQualified).toEqual({ reachedAt: grew, evidence: 'history' });
    expect(result.firstSalesReady).toBeNull();
  });
});

describe('replayContact: where history runs out (acceptance 2)', () => {
  const bound = 3;
  // Three title changes kept, all already senior: anything older than the oldest was cut by HubSpot.
  const cutTitles: Array<[number, string]> = [
    [T0 + 40 * DAY, 'VP Sales'],
    [T0 + 50 * DAY, 'VP Sales EMEA'],
    [T0 + 60 * DAY, 'VP Revenue'],
  ];
  const company = past({ numberofemployees: [[T0, '500']] });

  type Row = [name: string, titles: Array<[number, string]>, mq: unknown, start: number, truncated: boolean];
  const rows: Row[] = [
    ['when the kept history is at the bound and already meets the ladder, then reached with no dated evidence', cutTitles, { reachedAt: null, evidence: 'before_history' }, T0 + 40 * DAY, true],
    ['when the same history is shorter than the bound, then it is complete and the date is real', cutTitles.slice(0, 2), { reachedAt: T0 + 40 * DAY, evidence: 'history' }, T0, false],
  ];
  it.each(rows)('%s', (_name, titles, mq, start, truncated) => {
    const result = replayContact(def, { contact: past({ jobtitle: titles }), company, now: NOW, bound });
    expect(result.firstMarketingQualified).toEqual(mq);
    expect(result.start).toBe(start);
    expect(result.truncated).toBe(truncated);
    expect(result.firstSalesReady).toBeNull();
  });

  it('when a deal predates the kept history, then its status at creation is unknown, not invented', () => {
    const result = replayContact(def, { contact: past({ jobtitle: cutTitles }), company, now: NOW, bound });
    expect(result.timeline[0]).toMatchObject({ status: 'marketing_qualified', at: null, cause: 'before_history' });
    expect(statusAt(result, T0 + 10 * DAY)).toBeNull();
    expect(statusAt(result, T0 + 45 * DAY)).toBe('marketing_qualified');
  });

  it('when a value has no history at all but is set today, then it is undated: the start is no dated evidence', () => {
    const contact: RecordPast = { current: { jobtitle: 'VP Sales' }, history: {} };
    const result = replayContact(def, { contact, company, now: NOW });
    expect(result.truncated).toBe(true);
    expect(result.firstMarketingQualified).toEqual({ reachedAt: null, evidence: 'before_history' });
  });
});

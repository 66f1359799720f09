import { evaluate, type Decision, type Facts } from '../../src/definition';
import { loadConfig } from '../../src/config';
import { daysAgo, definition, DAY, NOW } from '../support/definitions';

/**
 * Scoring, decay, caps, precedence and the ladder, as tables of hand-computed expectations. Each row is
 * a situation a rep could meet on a record, and what the definition must then say about it.
 */

const points = (d: Decision, ref: string) => d.reasons.find((r) => r.ref === ref && (r.kind === 'fit' || r.kind === 'engagement'))?.points;
const texts = (d: Decision) => d.reasons.map((r) => r.text);

describe('decay (engagement only)', () => {
  const def = definition({
    engagement: [
      { id: 'demo', label: 'Requested a demo', when: { property: 'recent_conversion_event_name', operator: 'exists' }, points: 40, decay: { type: 'half_life', days: 30, from: 'recent_conversion_date' } },
      { id: 'visits', label: 'Visited often', when: { property: 'hs_analytics_num_page_views', operator: 'gte', value: 10 }, points: 20, decay: { type: 'linear', days: 100, from: 'hs_analytics_last_visit_timestamp' } },
    ],
  });

  type Row = [name: string, ageDays: number, halfLifePoints: number, linearPoints: number];
  const rows: Row[] = [
    ['when the activity is today, then full points', 0, 40, 20],
    ['when it is one half-life old, then half of the half-life points', 30, 20, 14],
    ['when it is two half-lives old, then a quarter', 60, 10, 8],
    ['when it is at the end of the linear window, then linear gives 0', 100, 3.97, 0],
    ['when it is past the linear window, then linear stays at 0 (never negative)', 250, 0.12, 0],
    ['when it is in the future (clock skew), then it counts as today', -5, 40, 20],
    ['when it is 15 days old, then half-life gives 40 * 0.5^0.5', 15, 28.28, 17],
  ];
  it.each(rows)('%s', (...[, ageDays, halfLifePoints, linearPoints]: Row) => {
    const contact: Facts = {
      recent_conversion_event_name: 'Demo request',
      recent_conversion_date: daysAgo(ageDays),
      hs_analytics_num_page_views: '12',
      hs_analytics_last_visit_timestamp: String(NOW - ageDays * DAY),
    };
    const d = evaluate(def, contact, null, NOW);
    expect(points(d, 'demo')).toBe(halfLifePoints);
    expect(points(d, 'visits')).toBe(linearPoints);
    expect(d.engagementScore).toBe(Math.round((halfLifePoints + linearPoints) * 100) / 100);
  });

  it('when a decayed rule matches, then its reason shows the base points, the day it is dated from and the decay', () => {
    const d = evaluate(def, { recent_conversion_event_name: 'Demo', recent_conversion_date: daysAgo(30) }, null, NOW);
    expect(texts(d)).toContain(`+20 engagement: Requested a demo (40 points on ${new Date(NOW - 30 * 86_400_000).toISOString().slice(0, 10)}, half-life 30 days)`);
  });

  it('when the same contact is evaluated minutes later, then the reasons are the same text (a date, not an age): nothing to rewrite', () => {
    const facts = { recent_conversion_event_name: 'Demo', recent_conversion_date: daysAgo(3.2) };
    const texts = (t: number) => evaluate(def, facts, null, t).reasons.map((r) => r.text);
    expect(texts(NOW + 7 * 60_000)).toEqual(texts(NOW));
  });

  it('when the decay date is empty or unreadable, then the rule counts 0 and says why', () => {
    const empty = evaluate(def, { recent_conversion_event_name: 'Demo' }, null, NOW);
    expect(points(empty, 'demo')).toBe(0);
    expect(texts(empty)).toContain('+0 engagement: Requested a demo (40 points, but recent_conversion_date is empty, so it cannot be dated)');
    const garbled = evaluate(def, { recent_conversion_event_name: 'Demo', recent_conversion_date: 'soon' }, null, NOW);
    expect(texts(garbled)).toContain('+0 engagement: Requested a demo (40 points, but recent_conversion_date "soon" is not a date, so it cannot be dated)');
  });

  it('when a fit criterion is given a decay, then the file is rejected: fit never decays', () => {
    expect(() =>
      definition({ fit: [{ id: 'f', label: 'F', when: { property: 'country', operator: 'exists' }, points: 1, decay: { type: 'linear', days: 1, from: 'createdate' } }] }),
    ).toThrow(/fit\[0\]\.decay: unknown field "decay".*fit never decays/);
  });

  it('when time passes, then fit stays and only engagement fades', () => {
    const both = definition({
      fit: [{ id: 'senior', label: 'Senior', when: { property: 'jobtitle', operator: 'contains', value: 'VP' }, points: 30 }],
      engagement: [{ id: 'form', label: 'Form', when: { property: 'num_conversion_events', operator: 'gte', value: 1 }, points: 30, decay: { type: 'half_life', days: 10, from: 'recent_conversion_date' } }],
    });
    const contact = { jobtitle: 'VP Sales', num_conversion_events: '2', recent_conversion_date: daysAgo(0) };
    const early = evaluate(both, contact, null, NOW);
    const late = evaluate(both, contact, null, NOW + 365 * DAY);
    expect([early.fitScore, early.engagementScore]).toEqual([30, 30]);
    expect(late.fitScore).toBe(30);
    expect(late.engagementScore).toBeLessThan(0.01);
  });
});

describe('caps', () => {
  const def = definition({
    fit: [
      { id: 'industry', label: 'Industry', group: 'firmo', when: { property: 'company.industry', operator: 'exists' }, points: 25 },
      { id: 'size', label: 'Size', group: 'firmo', when: { property: 'company.numberofemployees', operator: 'gte', value: 50 }, points: 25 },
      { id: 'title', label: 'Title', when: { property: 'jobtitle', operator: 'exists' }, points: 30 },
      { id: 'penalty', label: 'Penalty', when: { property: 'country', operator: 'equals', value: 'Nowhere' }, points: -100 },
    ],
    engagement: [
      { id: 'views', label: 'Views', when: { property: 'hs_analytics_num_page_views', operator: 'gte', value: 1 }, points: 15 },
      { id: 'forms', label: 'Forms', when: { property: 'num_conversion_events', operator: 'gte', value: 1 }, points: 15 },
    ],
    caps: { fit: 60, engagement: 20, groups: { firmo: 40 } },
  });

  type Row = [name: string, contact: Facts, company: Facts | null, fit: number, engagement: number, capTexts: string[]];
  const rows: Row[] = [
    ['when a group is under its cap, then its points count whole', { jobtitle: 'x' }, { industry: 'A' }, 55, 0, []],
    ['when a group exceeds its cap, then it adds the cap and says so', {}, { industry: 'A', numberofemployees: '100' }, 40, 0, ['fit group "firmo" capped at 40 (its rules added 50)']],
    [
      'when the section exceeds its cap after group caps, then the section is capped too',
      { jobtitle: 'x' },
      { industry: 'A', numberofemployees: '100' },
      60,
      0,
      ['fit group "firmo" capped at 40 (its rules added 50)', 'fit points capped at 60 (rules added 70)'],
    ],
    ['when engagement exceeds its cap, then engagement is capped', { hs_analytics_num_page_views: '3', num_conversion_events: '1' }, null, 0, 20, ['engagement points capped at 20 (rules added 30)']],
    ['when negative points outweigh the rest, then the score is 0, never negative', { jobtitle: 'x', country: 'Nowhere' }, null, 0, 0, []],
  ];
  it.each(rows)('%s', (...[, contact, company, fit, engagement, capTexts]: Row) => {
    const d = evaluate(def, contact, company, NOW);
    expect(d.fitScore).toBe(fit);
    expect(d.engagementScore).toBe(engagement);
    expect(d.totalScore).toBe(fit + engagement);
    expect(d.reasons.filter((r) => r.kind === 'cap').map((r) => r.text)).toEqual(capTexts);
  });
});

describe('precedence: disqualifiers, then required data, then the ladder', () => {
  const def = definition({
    lists: { freemail: ['gmail.com'] },
    required: [{ property: 'email', label: 'email address' }, 'company.industry'],
    disqualifiers: [
      { id: 'free-mail', reason: 'Personal email address', when: { property: 'email', operator: 'domain_in', list: 'freemail' } },
      { id: 'student', reason: 'Student', when: { property: 'jobtitle', operator: 'contains', value: 'student', caseInsensitive: true } },
    ],
    fit: [{ id: 'big', label: 'Big score', when: { property: 'jobtitle', operator: 'exists' }, points: 2000 }],
  });

  type Row = [name: string, contact: Facts, company: Facts | null, status: Decision['status'], statusText: string];
  const rows: Row[] = [
    ['when a disqualifier matches, then it overrides a sales-ready score', { email: 'a@gmail.com', jobtitle: 'CEO' }, { industry: 'X' }, 'disqualified', 'Disqualified: Personal email address'],
    [
      'when several disqualifiers match, then every one is named',
      { email: 'a@gmail.com', jobtitle: 'Student' },
      { industry: 'X' },
      'disqualified',
      'Disqualified: Personal email address; Student',
    ],
    ['when a disqualifier matches and data is missing, then disqualified wins', { email: 'a@gmail.com', jobtitle: 'CEO' }, null, 'disqualified', 'Disqualified: Personal email address'],
    ['when required data is missing, then needs_data names it, whatever the score', { jobtitle: 'CEO' }, null, 'needs_data', 'Needs data: missing email address, company.industry'],
    ['when the required data is there, then the ladder decides', { email: 'a@acme.com', jobtitle: 'CEO' }, { industry: 'X' }, 'sales_ready', 'Sales ready: total 2000 >= 1000'],
  ];
  it.each(rows)('%s', (...[, contact, company, status, statusText]: Row) => {
    const d = evaluate(def, contact, company, NOW);
    expect(d.status).toBe(status);
    expect(d.reasons[0]).toMatchObject({ kind: 'status', ref: status, text: statusText });
  });

  it('when disqualified, then the scores and every matched rule are still shown, in reading order', () => {
    const d = evaluate(def, { email: 'a@gmail.com', jobtitle: 'Student' }, null, NOW);
    expect(d.fitScore).toBe(2000);
    expect(d.reasons.map((r) => r.kind)).toEqual(['status', 'disqualifier', 'disqualifier', 'missing', 'fit']);
    expect(texts(d)).toEqual([
      'Disqualified: Personal email address; Student',
      'Disqualifier: Personal email address (email: a@gmail.com)',
      'Disqualifier: Student (jobtitle: Student)',
      'Missing required data: company.industry',
      '+2000 fit: Big score',
    ]);
  });
});

describe('the status ladder', () => {
  const def = definition({
    fit: [{ id: 'fit', label: 'Fit points', when: { property: 'fit_points', operator: 'exists' }, points: 1 }],
    ladder: { sales_ready: { fit: 40, engagement: 25, total: 75 }, marketing_qualified: { fit: 25, total: 45 } },
  });
  // Scores are set through two rules whose points are exact: fit from fit points, engagement from engagement points.
  const scored = (fit: number, engagement: number) =>
    definition({
      fit: [{ id: 'f', label: 'Fit', when: { property: 'jobtitle', operator: 'exists' }, points: fit }],
      engagement: [{ id: 'e', label: 'Engagement', when: { property: 'jobtitle', operator: 'exists' }, points: engagement }],
      ladder: { sales_ready: { fit: 40, engagement: 25, total: 75 }, marketing_qualified: { fit: 25, total: 45 } },
    });

  type Row = [fit: number, engagement: number, status: Decision['status'], statusText: string];
  const rows: Row[] = [
    [40, 35, 'sales_ready', 'Sales ready: fit 40 >= 40, engagement 35 >= 25, total 75 >= 75'],
    [39, 40, 'marketing_qualified', 'Marketing qualified: fit 39 >= 25, total 79 >= 45. Not yet sales ready: fit 39 < 40'],
    [50, 24, 'marketing_qualified', 'Marketing qualified: fit 50 >= 25, total 74 >= 45. Not yet sales ready: engagement 24 < 25, total 74 < 75'],
    [45, 25, 'marketing_qualified', 'Marketing qualified: fit 45 >= 25, total 70 >= 45. Not yet sales ready: total 70 < 75'],
    [25, 20, 'marketing_qualified', 'Marketing qualified: fit 25 >= 25, total 45 >= 45. Not yet sales ready: fit 25 < 40, engagement 20 < 25, total 45 < 75'],
    [24, 60, 'nurture', 'Nurture: not yet marketing qualified: fit 24 < 25'],
    [30, 14.5, 'nurture', 'Nurture: not yet marketing qualified: total 44.5 < 45'],
    [0, 0, 'nurture', 'Nurture: not yet marketing qualified: fit 0 < 25, total 0 < 45'],
  ];
  it.each(rows)('when fit is %d and engagement %d, then the status is %s', (...[fit, engagement, status, statusText]: Row) => {
    const d = evaluate(scored(fit, engagement), { jobtitle: 'anything' }, null, NOW);
    expect(d.status).toBe(status);
    expect(d.reasons[0]!.text).toBe(statusText);
  });

  it('when a contact has no data at all and nothing is required, then it is nurture with scores 0', () => {
    const d = evaluate(def, {}, null, NOW);
    expect(d).toMatchObject({ status: 'nurture', fitScore: 0, engagementScore: 0, totalScore: 0, definitionVersion: '7' });
  });
});

describe('environment overrides of the thresholds', () => {
  const body = {
    fit: [{ id: 'f', label: 'Fit', when: { property: 'jobtitle', operator: 'exists' }, points: 45 }],
    engagement: [{ id: 'e', label: 'Engagement', when: { property: 'jobtitle', operator: 'exists' }, points: 30 }],
    ladder: { sales_ready: { fit: 40, engagement: 25, total: 75 }, marketing_qualified: { fit: 25, total: 45 } },
  };
  const contact = { jobtitle: 'VP' };

  type Row = [name: string, env: Record<string, string>, status: Decision['status']];
  const rows: Row[] = [
    ['when nothing is overridden, then the file decides', {}, 'sales_ready'],
    ['when ULD_SALES_READY_MIN_FIT is raised above the fit score, then the lead drops to marketing_qualified', { ULD_SALES_READY_MIN_FIT: '50' }, 'marketing_qualified'],
    ['when ULD_SALES_READY_MIN_ENGAGEMENT is raised, then it drops too', { ULD_SALES_READY_MIN_ENGAGEMENT: '31' }, 'marketing_qualified'],
    ['when ULD_SALES_READY_MIN_TOTAL is raised, then it drops too', { ULD_SALES_READY_MIN_TOTAL: '76' }, 'marketing_qualified'],
    ['when marketing_qualified thresholds are raised as well, then it is nurture', { ULD_SALES_READY_MIN_TOTAL: '100', ULD_MARKETING_QUALIFIED_MIN_TOTAL: '80' }, 'nurture'],
    ['when ULD_MARKETING_QUALIFIED_MIN_FIT is raised, then that rung is missed', { ULD_SALES_READY_MIN_FIT: '46', ULD_MARKETING_QUALIFIED_MIN_FIT: '46' }, 'nurture'],
    ['when ULD_MARKETING_QUALIFIED_MIN_ENGAGEMENT adds a threshold the file lacks, then it applies', { ULD_SALES_READY_MIN_FIT: '46', ULD_MARKETING_QUALIFIED_MIN_ENGAGEMENT: '31' }, 'nurture'],
    ['when a threshold is lowered, then a lead can climb', { ULD_SALES_READY_MIN_FIT: '46', ULD_MARKETING_QUALIFIED_MIN_TOTAL: '0.5' }, 'marketing_qualified'],
  ];
  it.each(rows)('%s', (...[, env, status]: Row) => {
    const config = loadConfig(env);
    const def = definition(body, config.thresholdOverrides);
    expect(evaluate(def, contact, null, NOW).status).toBe(status);
  });

  it('when an override applies, then the version written to the record says so, and differs per override', () => {
    const plain = definition(body, loadConfig({}).thresholdOverrides);
    const a = definition(body, loadConfig({ ULD_SALES_READY_MIN_FIT: '50' }).thresholdOverrides);
    const b = definition(body, loadConfig({ ULD_SALES_READY_MIN_FIT: '51' }).thresholdOverrides);
    expect(plain.version).toBe('7');
    expect(a.version).toMatch(/^7\+env\.[0-9a-f]{6}$/);
    expect(b.version).not.toBe(a.version);
    expect(evaluate(a, contact, null, NOW).definitionVersion).toBe(a.version);
  });

  it('when an override is not a number or misspelt, then the environment is rejected naming it', () => {
    expect(() => loadConfig({ ULD_SALES_READY_MIN_FIT: 'forty' })).toThrow(/ULD_SALES_READY_MIN_FIT: expected a number, found "forty"/);
    expect(() => loadConfig({ ULD_SALES_READY_MIN_FITT: '40' })).toThrow(/ULD_SALES_READY_MIN_FITT: expected a known variable \(did you mean ULD_SALES_READY_MIN_FIT\?\)/);
  });
});

describe('null versus 0', () => {
  const def = definition({
    required: ['hs_analytics_num_page_views'],
    fit: [{ id: 'zero', label: 'No page views yet', when: { property: 'hs_analytics_num_page_views', operator: 'equals', value: 0 }, points: 5 }],
    engagement: [{ id: 'few', label: 'Fewer than 3 views', when: { property: 'hs_analytics_num_page_views', operator: 'lt', value: 3 }, points: 1 }],
  });

  type Row = [name: string, value: string | null | undefined, status: Decision['status'], fit: number, engagement: number];
  const rows: Row[] = [
    ['when the value is "0", then it is a value: required is met and 0-rules match', '0', 'nurture', 5, 1],
    ['when the value is null, then it is missing: needs_data, and no rule treats it as 0', null, 'needs_data', 0, 0],
    ['when the value is "", then it is missing as HubSpot means it', '', 'needs_data', 0, 0],
    ['when the property is absent, then it is missing', undefined, 'needs_data', 0, 0],
    ['when the value is "0.0", then it is the number 0', '0.0', 'nurture', 5, 1],
  ];
  it.each(rows)('%s', (...[, value, status, fit, engagement]: Row) => {
    const contact: Facts = value === undefined ? {} : { hs_analytics_num_page_views: value };
    const d = evaluate(def, contact, null, NOW);
    expect([d.status, d.fitScore, d.engagementScore]).toEqual([status, fit, engagement]);
  });
});

describe('HubSpot mappings', () => {
  const def = definition({
    fit: [
      { id: 'a', label: 'A', when: { property: 'a', operator: 'exists' }, points: 1 },
      { id: 'b', label: 'B', when: { property: 'b', operator: 'exists' }, points: 1 },
    ],
    ladder: { sales_ready: { fit: 2 }, marketing_qualified: { fit: 1 } },
    hubspot: {
      leadStatus: { nurture: 'NEW', sales_ready: 'OPEN' },
      lifecycleStage: { nurture: 'lead', sales_ready: 'salesqualifiedlead' },
    },
  });

  type Row = [name: string, contact: Facts, leadStatus: string | undefined, lifecycle: string | undefined];
  const rows: Row[] = [
    ['when sales_ready and the stage is earlier, then both are set and the stage moves forward', { a: 'x', b: 'x', lifecyclestage: 'lead' }, 'OPEN', 'salesqualifiedlead'],
    ['when nurture and the stage is later, then the stage is never moved back', { lifecyclestage: 'opportunity' }, 'NEW', undefined],
    ['when the stage is already the target, then nothing is written for it', { lifecyclestage: 'lead' }, 'NEW', undefined],
    ['when the stage is empty, then it is set', {}, 'NEW', 'lead'],
    ['when the status (marketing_qualified) has no mapping, then nothing is set', { a: 'x', lifecyclestage: 'subscriber' }, undefined, undefined],
  ];
  it.each(rows)('%s', (...[, contact, leadStatus, lifecycle]: Row) => {
    const d = evaluate(def, contact, null, NOW);
    expect(d.hubspot.hs_lead_status).toBe(leadStatus);
    expect(d.hubspot.lifecyclestage).toBe(lifecycle);
  });

  it('when the stage is a custom one, then it is left alone and the reason says why', () => {
    const d = evaluate(def, { lifecyclestage: '1234567' }, null, NOW);
    expect(d.hubspot.lifecyclestage).toBeUndefined();
    expect(texts(d)).toContain('lifecyclestage "1234567" is not one of HubSpot\'s default stages; not moved to lead');
  });
});

import { evaluate } from '../../src/definition';
import { companyChanges, companyFigures } from '../../src/sync/company-rollup';
import { contactWriteback } from '../../src/sync/contact-writeback';
import { dealChanges, dealFigures } from '../../src/sync/deal-figures';
import type { DealPipeline } from '../../src/hubspot/types';
import type { MirrorContact } from '../../src/store/mirror-types';
import { definition, DAY, NOW } from '../support/definitions';
import { contact as mirrorContact } from '../metrics/portal';

/**
 * The values written back, computed by hand for small cases: what a rep and a report will read.
 */

const iso = (t: number) => new Date(t).toISOString();

describe('contact write-back', () => {
  const def = definition({
    fit: [{ id: 'vp', label: 'VP', when: { property: 'jobtitle', operator: 'contains', value: 'VP' }, points: 1200 }],
    hubspot: { leadStatus: { sales_ready: 'OPEN', nurture: 'NEW' }, lifecycleStage: { sales_ready: 'salesqualifiedlead' } },
  });
  const created = NOW - 10 * DAY;

  it('when a contact is evaluated for the first time, then every uld property is written, and the hand-off happens once', () => {
    const d = evaluate(def, { jobtitle: 'VP Sales', createdate: iso(created) }, null, NOW);
    const wb = contactWriteback(d, { current: { jobtitle: 'VP Sales', createdate: iso(created) }, firstDealCreatedAt: null }, NOW);
    expect(wb.handOff).toBe(true);
    expect(wb.changes).toEqual({
      uld_status: 'sales_ready',
      uld_score: '1200',
      uld_fit_score: '1200',
      uld_engagement_score: '0',
      uld_reasons: 'Sales ready: total 1200 >= 1000\n+1200 fit: VP',
      uld_definition_version: '7',
      hs_lead_status: 'OPEN',
      lifecyclestage: 'salesqualifiedlead',
      uld_qualified_at: iso(NOW),
      uld_days_to_qualify: '10',
      uld_evaluated_at: iso(NOW),
    });
  });

  it('when the record already holds the decision, then nothing is written (not even the evaluation time)', () => {
    const current = {
      jobtitle: 'VP Sales',
      createdate: String(created),
      uld_status: 'sales_ready',
      uld_score: '1200.0',
      uld_fit_score: '1200',
      uld_engagement_score: '0',
      uld_reasons: 'Sales ready: total 1200 >= 1000\n+1200 fit: VP',
      uld_definition_version: '7',
      hs_lead_status: 'OPEN',
      lifecyclestage: 'salesqualifiedlead',
      uld_qualified_at: String(NOW - DAY),
      uld_days_to_qualify: '9',
      uld_evaluated_at: iso(NOW - DAY),
    };
    const wb = contactWriteback(evaluate(def, current, null, NOW), { current, firstDealCreatedAt: null }, NOW + DAY);
    expect(wb.changes).toEqual({});
    expect(wb.handOff).toBe(false);
  });

  it('when a deal appears, then the conversion date and days to opportunity are written, once', () => {
    const current = { jobtitle: 'Engineer', createdate: iso(created) };
    const wb = contactWriteback(evaluate(def, current, null, NOW), { current, firstDealCreatedAt: created + 2.5 * DAY }, NOW);
    expect(wb.changes).toMatchObject({ uld_status: 'nurture', uld_converted_at: iso(created + 2.5 * DAY), uld_days_to_opportunity: '2.5' });
    const later = contactWriteback(evaluate(def, current, null, NOW), { current: { ...current, uld_converted_at: iso(created + 2.5 * DAY) }, firstDealCreatedAt: created + 5 * DAY }, NOW);
    expect(later.changes.uld_converted_at).toBeUndefined();
  });

  it.each([
    ['rejected_misrouted', 'nurture', 'Nurture: sales rejected the hand-off (misrouted)'],
    ['rejected_below_definition', 'nurture', 'Nurture: sales rejected the hand-off (below definition)'],
    ['accepted', 'sales_ready', 'Sales ready: total 1200 >= 1000'],
    ['something else', 'sales_ready', 'Sales ready: total 1200 >= 1000'],
  ])('when the rep set feedback %s, then the status is %s', (feedback, status, firstLine) => {
    const current = { jobtitle: 'VP', createdate: iso(created), uld_qualified_at: iso(NOW - DAY), uld_sales_feedback: feedback };
    const wb = contactWriteback(evaluate(def, current, null, NOW), { current, firstDealCreatedAt: null }, NOW);
    expect(wb.status).toBe(status);
    expect(wb.changes.uld_reasons!.split('\n')[0]).toBe(firstLine);
    expect(wb.handOff).toBe(false);
  });

  it('when the reasons exceed what HubSpot stores, then they are cut with a note', () => {
    const many = definition({ fit: Array.from({ length: 600 }, (_, i) => ({ id: `r${i}`, label: `A rather long rule label number ${i} `.repeat(4), when: { property: 'jobtitle', operator: 'exists' }, points: 0.5 })) });
    const wb = contactWriteback(evaluate(many, { jobtitle: 'x' }, null, NOW), { current: {}, firstDealCreatedAt: null }, NOW);
    expect(wb.changes.uld_reasons!.length).toBeLessThanOrEqual(65_536);
    expect(wb.changes.uld_reasons).toMatch(/more reasons than HubSpot can store; `uld history` has them all\)$/);
  });
});

describe('deal figures', () => {
  const pipelines: DealPipeline[] = [
    {
      id: 'default',
      label: 'Sales',
      stages: [
        { id: 'appointmentscheduled', label: 'Appointment', displayOrder: 0, isClosed: false, probability: 0.2 },
        { id: 'closedwon', label: 'Won', displayOrder: 1, isClosed: true, probability: 1 },
        { id: 'closedlost', label: 'Lost', displayOrder: 2, isClosed: true, probability: 0 },
      ],
    },
  ];
  const created = NOW - 30 * DAY;

  type Row = [name: string, current: Record<string, string>, contactCreatedAt: number[], expected: Record<string, string | null>];
  const rows: Row[] = [
    [
      'when the deal is open, then it has an age and days in stage, never a cycle length',
      { createdate: iso(created), dealstage: 'appointmentscheduled', pipeline: 'default', hs_is_closed: 'false', hs_v2_date_entered_appointmentscheduled: iso(NOW - 3.7 * DAY) },
      [created - 5 * DAY],
      { uld_sales_cycle_days: null, uld_deal_age_days: '30', uld_days_in_stage: '3', uld_stage_entered_at: iso(NOW - 3.7 * DAY), uld_lead_to_deal_days: '5', uld_lead_status_at_creation: null },
    ],
    [
      'when the deal is won, then the cycle is close minus create, and the age is empty',
      { createdate: iso(created), closedate: iso(created + 21.25 * DAY), dealstage: 'closedwon', pipeline: 'default', hs_is_closed: 'true', hs_is_closed_won: 'true', hs_v2_date_entered_closedwon: iso(created + 21.25 * DAY) },
      [created - 2 * DAY, created - 10 * DAY],
      { uld_sales_cycle_days: '21.3', uld_deal_age_days: null, uld_days_in_stage: '0', uld_stage_entered_at: iso(created + 21.25 * DAY), uld_lead_to_deal_days: '10', uld_lead_status_at_creation: null },
    ],
    [
      "when HubSpot's closed flags are missing, then the stage metadata decides",
      { createdate: iso(created), closedate: iso(created + 7 * DAY), dealstage: 'closedlost', pipeline: 'default' },
      [],
      { uld_sales_cycle_days: '7', uld_deal_age_days: null, uld_days_in_stage: null, uld_stage_entered_at: null, uld_lead_to_deal_days: null, uld_lead_status_at_creation: null },
    ],
  ];
  it.each(rows)('%s', (...[, current, contactCreatedAt, expected]: Row) => {
    expect(dealFigures({ current, pipelines, contactCreatedAt, statusAtCreation: null }, NOW)).toEqual(expected);
  });

  it('when the status at creation is known, then it is written once and never rewritten', () => {
    const current = { createdate: iso(created), dealstage: 'appointmentscheduled' };
    expect(dealChanges({ current, pipelines, contactCreatedAt: [], statusAtCreation: 'sales_ready' }, NOW).uld_lead_status_at_creation).toBe('sales_ready');
    expect(dealChanges({ current: { ...current, uld_lead_status_at_creation: 'nurture' }, pipelines, contactCreatedAt: [], statusAtCreation: 'sales_ready' }, NOW).uld_lead_status_at_creation).toBeUndefined();
  });

  it('when the deal closes, then the age is cleared with an empty string', () => {
    const current = { createdate: iso(created), closedate: iso(NOW), dealstage: 'closedwon', hs_is_closed: 'true', uld_deal_age_days: '29' };
    expect(dealChanges({ current, pipelines, contactCreatedAt: [], statusAtCreation: null }, NOW)).toMatchObject({ uld_deal_age_days: '', uld_sales_cycle_days: '30' });
  });
});

describe('company roll-ups', () => {
  const contact = (over: Partial<MirrorContact>): MirrorContact => mirrorContact({ id: '1', createdAt: NOW, companyId: 'c1', evaluatedAt: NOW, ...over });

  it.each([
    ['when a company has no leads, then the rate is empty, not 0', [], { uld_leads: '0', uld_qualified_leads: '0', uld_opportunities: '0', uld_lead_to_opportunity_rate: '' }],
    [
      'when 1 of 3 leads has a deal, then the rate is 33.3 %, and deleted contacts do not count',
      [contact({ qualifiedAt: NOW, convertedAt: NOW }), contact({ qualifiedAt: NOW }), contact({}), contact({ deleted: true, convertedAt: NOW })],
      { uld_leads: '3', uld_qualified_leads: '2', uld_opportunities: '1', uld_lead_to_opportunity_rate: '33.3' },
    ],
  ])('%s', (_name, contacts, expected) => {
    expect(companyFigures(contacts)).toEqual(expected);
  });

  it('when the company already shows the figures, then nothing is written', () => {
    expect(companyChanges({ uld_leads: '1', uld_qualified_leads: '0', uld_opportunities: '1', uld_lead_to_opportunity_rate: '100.0' }, [contact({ convertedAt: NOW })])).toEqual({});
  });
});

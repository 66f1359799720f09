import { factsForJudging, factsUsed, renderFactsUsed, type FactsMode } from '../../src/admin/as-of';
import { calibrate } from '../../src/admin/calibrate';
import type { LeadOutcome } from '../../src/admin/outcomes';
import type { LeadFacts } from '../../src/admin/lead-facts';
import { whatIf } from '../../src/admin/what-if';
import type { AsOfFactsRow } from '../../src/store';
import { DAY, definition } from '../support/definitions';

/** Which facts judge each lead: hand-made leads, stored rows and outcomes; nothing from HubSpot. */

const NOW = Date.parse('2026-11-01T00:00:00Z');
const DEAL = NOW - 60 * DAY;
const won: LeadOutcome = { opportunity: true, won: true, createdAt: NOW - 200 * DAY };
const none: LeadOutcome = { opportunity: false, won: false, createdAt: NOW - 200 * DAY };

const lead = (id: string, contact: Record<string, string | null>, company: Record<string, string | null> | null = null): LeadFacts => ({ id, email: null, contact, company });
const row = (contactId: string, contact: Record<string, string | null>, company: Record<string, string | null> | null = null): AsOfFactsRow => ({ contactId, asOf: DEAL, contact, company });
const read = { contact: ['jobtitle', 'views'], company: ['numberofemployees'] };

type Row = [name: string, mode: FactsMode, today: LeadFacts, stored: AsOfFactsRow | null, outcome: LeadOutcome, expected: LeadFacts, todayOnly: string[]];
const rows: Row[] = [
  [
    'a converted lead with stored facts is judged with them, at its first deal’s creation',
    'as-of',
    lead('1', { jobtitle: 'VP', views: '40', email: 'a@x.example' }, { numberofemployees: '90' }),
    row('1', { jobtitle: 'Analyst', views: '2' }, { numberofemployees: '30' }),
    won,
    { ...lead('1', { jobtitle: 'Analyst', views: '2', email: 'a@x.example' }, { numberofemployees: '30' }), at: DEAL },
    [],
  ],
  [
    'an input the stored facts lack keeps today’s value and is named',
    'as-of',
    lead('1', { jobtitle: 'VP', views: '40' }),
    row('1', { views: '2' }),
    won,
    { ...lead('1', { jobtitle: 'VP', views: '2' }), at: DEAL },
    ['jobtitle'],
  ],
  [
    'a company associated since the replay keeps today’s values, named as such',
    'as-of',
    lead('1', { jobtitle: 'VP', views: '40' }, { numberofemployees: '90' }),
    row('1', { jobtitle: 'VP', views: '2' }, null),
    won,
    { ...lead('1', { jobtitle: 'VP', views: '2' }, { numberofemployees: '90' }), at: DEAL },
    ['company.numberofemployees'],
  ],
  [
    'a lead without a company then or now reads no company value: nothing to name',
    'as-of',
    lead('1', { jobtitle: 'VP', views: '40' }),
    row('1', { jobtitle: 'VP', views: '2' }),
    won,
    { ...lead('1', { jobtitle: 'VP', views: '2' }), at: DEAL },
    [],
  ],
  ['a lead without a deal is judged with today’s facts, now', 'as-of', lead('2', { jobtitle: 'VP', views: '40' }), null, none, lead('2', { jobtitle: 'VP', views: '40' }), []],
  [
    'a lead whose deals are gone from the mirror is judged with today’s facts, stored facts or not',
    'as-of',
    lead('3', { jobtitle: 'VP', views: '40' }),
    row('3', { views: '2' }),
    none,
    lead('3', { jobtitle: 'VP', views: '40' }),
    [],
  ],
  ['with --facts today, every lead is judged with today’s facts', 'today', lead('1', { jobtitle: 'VP', views: '40' }), row('1', { views: '2' }), won, lead('1', { jobtitle: 'VP', views: '40' }), []],
];

describe('factsForJudging', () => {
  it.each(rows)('%s', (_name, mode, today, stored, outcome, expected, todayOnly) => {
    const { leads, note } = factsForJudging([today], new Map(stored ? [[stored.contactId, stored]] : []), new Map([[today.id, outcome]]), mode, read);
    expect(leads).toEqual([expected]);
    expect(note).toEqual({ mode, storedAsOf: stored ? 1 : 0, todayOnly });
  });

  it('counts the leads judged each way', () => {
    expect(factsUsed({ mode: 'as-of', storedAsOf: 5, todayOnly: [] }, [{ at: DEAL }, {}, { at: DEAL }])).toEqual({ mode: 'as-of', storedAsOf: 5, todayOnly: [], leadsAsOfConversion: 2, leadsToday: 1 });
  });

  it('says in the table which inputs are today’s and how many properties outside the definition are', () => {
    const lines = renderFactsUsed({ mode: 'as-of', storedAsOf: 3, todayOnly: ['company.industry', 'jobtitle'], leadsAsOfConversion: 3, leadsToday: 7 }, new Set(['company.industry']));
    expect(lines).toEqual([
      "Facts: as of conversion (the first deal's creation) for 3 of 10 leads; today's for 7 (no deal, or no stored as-of facts).",
      "Today's values even for leads judged as of conversion: jobtitle (not in the stored as-of facts); the 1 property outside the definition tested below.",
    ]);
  });
});

describe('judged at conversion: day windows count from the first deal’s creation', () => {
  // Visited 70 days ago: not within 30 days of today, but within 30 days of a deal created 60 days ago.
  const def = definition({
    engagement: [{ id: 'recent-visit', label: 'Visited in the last 30 days', when: { property: 'last_visit', operator: 'within_days', days: 30 }, points: 600 }],
  });
  const visit = new Date(NOW - 70 * DAY).toISOString();
  const today = [lead('1', { last_visit: visit })];
  const stored = new Map([['1', row('1', { last_visit: visit })]]);
  const outcomes = new Map([['1', won]]);

  it.each([
    ['as-of', 'marketing_qualified', 1],
    ['today', 'nurture', 0],
  ] as const)('with --facts %s, what-if says %s and calibrate counts %i match', (mode, status, matched) => {
    const { leads, note } = factsForJudging(today, stored, outcomes, mode, { contact: def.contactProperties, company: [] });
    const r = whatIf(def, def, leads, outcomes, NOW, { facts: note });
    expect(r.matrix[status][status]).toBe(1);
    expect(r.facts.leadsAsOfConversion).toBe(mode === 'as-of' ? 1 : 0);
    const c = calibrate(def, leads, outcomes, NOW, { facts: note });
    expect(c.criteria[0]!.matched.n).toBe(matched);
    expect(c.facts).toEqual({ ...note, leadsAsOfConversion: mode === 'as-of' ? 1 : 0, leadsToday: mode === 'as-of' ? 0 : 1 });
  });
});

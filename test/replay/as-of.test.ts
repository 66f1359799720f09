import { factsAsOf, type AsOfFacts, type HistoryPoint, type RecordPast } from '../../src/replay';
import { DAY, definition } from '../support/definitions';

/**
 * As-of facts: a contact's (and its company's) inputs at one instant, as tables of pasts written by hand.
 * The answer is null whenever the facts at that instant cannot be known, never a guess.
 */

const T0 = Date.parse('2026-01-01T00:00:00Z');
const BOUND = 3;

const def = definition({
  fit: [
    { id: 'senior', label: 'Senior title', when: { property: 'jobtitle', operator: 'contains', value: 'vp', caseInsensitive: true }, points: 30 },
    { id: 'mid-market', label: '50+ employees', when: { property: 'company.numberofemployees', operator: 'gte', value: 50 }, points: 20 },
  ],
  engagement: [{ id: 'views', label: '10+ page views', when: { property: 'hs_analytics_num_page_views', operator: 'gte', value: 10 }, points: 40 }],
});

/** Newest first, as HubSpot serves it; today's value is the newest one. */
function past(values: Record<string, Array<[day: number, value: string]>>, current: Record<string, string> = {}): RecordPast {
  const history: Record<string, HistoryPoint[]> = {};
  const now: Record<string, string> = { ...current };
  for (const [name, entries] of Object.entries(values)) {
    const sorted = entries.slice().sort((a, b) => a[0] - b[0]);
    history[name] = sorted.map(([day, value]) => ({ value, timestamp: T0 + day * DAY, sourceType: 'CRM_UI' })).reverse();
    if (sorted.length > 0) now[name] = sorted[sorted.length - 1]![1];
  }
  return { current: now, history };
}

const company = past({ numberofemployees: [[0, '20'], [5, '80']] });

type Row = [name: string, input: { contact: RecordPast; company?: RecordPast | null }, day: number, expected: AsOfFacts | null];
const rows: Row[] = [
  [
    'when a value changed after the instant, then the value before the change',
    { contact: past({ jobtitle: [[0, 'Analyst'], [10, 'VP Sales']], hs_analytics_num_page_views: [[1, '3'], [12, '25']] }) },
    8,
    { contact: { hs_analytics_num_page_views: '3', jobtitle: 'Analyst' }, company: null },
  ],
  [
    'when a value was set at exactly the instant, then that value counts',
    { contact: past({ jobtitle: [[0, 'Analyst'], [10, 'VP Sales']] }) },
    10,
    { contact: { hs_analytics_num_page_views: null, jobtitle: 'VP Sales' }, company: null },
  ],
  [
    'when a complete history starts after the instant, then the property was unset (known, empty)',
    { contact: past({ jobtitle: [[0, 'Analyst']], hs_analytics_num_page_views: [[20, '25']] }) },
    8,
    { contact: { hs_analytics_num_page_views: null, jobtitle: 'Analyst' }, company: null },
  ],
  [
    'when a value was cleared before the instant, then it is empty',
    { contact: past({ jobtitle: [[0, 'VP Sales'], [4, '']] }) },
    8,
    { contact: { hs_analytics_num_page_views: null, jobtitle: null }, company: null },
  ],
  [
    'when the contact has a company, then its values at the instant too',
    { contact: past({ jobtitle: [[0, 'VP Sales']] }), company },
    3,
    { contact: { hs_analytics_num_page_views: null, jobtitle: 'VP Sales' }, company: { numberofemployees: '20' } },
  ],
  [
    'when a history holds the bound and the instant is after its oldest kept value, then it is known',
    { contact: past({ jobtitle: [[2, 'A'], [4, 'B'], [6, 'C']] }) },
    5,
    { contact: { hs_analytics_num_page_views: null, jobtitle: 'B' }, company: null },
  ],
  [
    'when a history holds the bound and the instant is before its oldest kept value, then unknown',
    { contact: past({ jobtitle: [[2, 'A'], [4, 'B'], [6, 'C']] }) },
    1,
    null,
  ],
  [
    "when the company's history is cut after the instant, then unknown",
    { contact: past({ jobtitle: [[0, 'VP Sales']] }), company: past({ numberofemployees: [[2, '20'], [4, '60'], [6, '80']] }) },
    1,
    null,
  ],
  [
    'when a value today has no history to date it, then unknown (it may have been set after the instant)',
    { contact: past({ jobtitle: [[0, 'Analyst']] }, { hs_analytics_num_page_views: '25' }) },
    8,
    null,
  ],
  [
    'when a property was never set at all, then it is known to be empty',
    { contact: past({}) },
    8,
    { contact: { hs_analytics_num_page_views: null, jobtitle: null }, company: null },
  ],
];

describe('factsAsOf', () => {
  it.each(rows)('%s', (_name, input, day, expected) => {
    expect(factsAsOf(def, { ...input, bound: BOUND }, T0 + day * DAY)).toEqual(expected);
  });

  it('when no bound is given, then HubSpot’s default applies (a three-value history is complete)', () => {
    const contact = past({ jobtitle: [[2, 'A'], [4, 'B'], [6, 'C']] });
    expect(factsAsOf(def, { contact }, T0 + DAY)).toEqual({ contact: { hs_analytics_num_page_views: null, jobtitle: null }, company: null });
  });

  it('when the facts are taken, then their keys are exactly the definition’s inputs', () => {
    const facts = factsAsOf(def, { contact: past({ jobtitle: [[0, 'VP']], firstname: [[0, 'Ada']] }), company }, T0 + 9 * DAY)!;
    expect(Object.keys(facts.contact).sort()).toEqual(def.contactProperties);
    expect(Object.keys(facts.company!).sort()).toEqual(def.companyProperties);
  });
});

import { evaluate, type Facts } from '../../src/definition';
import { daysAgo, definition, DAY, NOW } from '../support/definitions';

/**
 * Every operator, as a table: a condition, the contact (and company) it is tried on, whether it
 * matches. A match is observed the way a rep sees it: the rule's 10 points and its reason.
 */
type Case = [name: string, when: Record<string, unknown>, contact: Facts, matches: boolean, company?: Facts | null];

const cases: Case[] = [
  // equals / not_equals, by the type the definition wrote
  ['equals string', { property: 'country', operator: 'equals', value: 'Germany' }, { country: 'Germany' }, true],
  ['equals is case-sensitive by default', { property: 'country', operator: 'equals', value: 'Germany' }, { country: 'germany' }, false],
  ['equals caseInsensitive', { property: 'country', operator: 'equals', value: 'Germany', caseInsensitive: true }, { country: 'GERMANY' }, true],
  ['equals number compares numerically', { property: 'numemployees', operator: 'equals', value: 50 }, { numemployees: '50.0' }, true],
  ['equals 0 matches "0" (0 is a value)', { property: 'hs_analytics_num_page_views', operator: 'equals', value: 0 }, { hs_analytics_num_page_views: '0' }, true],
  ['equals 0 does not match an empty value (null is not 0)', { property: 'hs_analytics_num_page_views', operator: 'equals', value: 0 }, { hs_analytics_num_page_views: null }, false],
  ['equals 0 does not match ""', { property: 'hs_analytics_num_page_views', operator: 'equals', value: 0 }, { hs_analytics_num_page_views: '' }, false],
  ['equals boolean', { property: 'hs_is_unworked', operator: 'equals', value: true }, { hs_is_unworked: 'TRUE' }, true],
  ['equals boolean false', { property: 'hs_is_unworked', operator: 'equals', value: false }, { hs_is_unworked: 'true' }, false],
  ['not_equals on another value', { property: 'country', operator: 'not_equals', value: 'Germany' }, { country: 'France' }, true],
  ['not_equals on the value', { property: 'country', operator: 'not_equals', value: 'Germany' }, { country: 'Germany' }, false],
  ['not_equals never matches an empty property', { property: 'country', operator: 'not_equals', value: 'Germany' }, {}, false],
  // in / not_in
  ['in', { property: 'country', operator: 'in', values: ['France', 'Germany'] }, { country: 'Germany' }, true],
  ['in, other value', { property: 'country', operator: 'in', values: ['France', 'Germany'] }, { country: 'Spain' }, false],
  ['in is case-sensitive by default', { property: 'country', operator: 'in', values: ['France'] }, { country: 'FRANCE' }, false],
  ['in caseInsensitive', { property: 'country', operator: 'in', values: ['France'], caseInsensitive: true }, { country: 'FRANCE' }, true],
  ['in with numbers matches their text', { property: 'numemployees', operator: 'in', values: [10, 20] }, { numemployees: '20' }, true],
  ['in a named list', { property: 'country', operator: 'in', list: 'eu' }, { country: 'Italy' }, true],
  ['in, empty property', { property: 'country', operator: 'in', values: ['France'] }, { country: null }, false],
  ['not_in', { property: 'country', operator: 'not_in', values: ['France'] }, { country: 'Spain' }, true],
  ['not_in, listed value', { property: 'country', operator: 'not_in', values: ['France'] }, { country: 'France' }, false],
  ['not_in caseInsensitive', { property: 'country', operator: 'not_in', values: ['france'], caseInsensitive: true }, { country: 'FRANCE' }, false],
  ['not_in never matches an empty property', { property: 'country', operator: 'not_in', values: ['France'] }, {}, false],
  // contains / contains_any / regex
  ['contains', { property: 'jobtitle', operator: 'contains', value: 'VP' }, { jobtitle: 'SVP Sales' }, true],
  ['contains is case-sensitive by default', { property: 'jobtitle', operator: 'contains', value: 'vp' }, { jobtitle: 'SVP Sales' }, false],
  ['contains caseInsensitive', { property: 'jobtitle', operator: 'contains', value: 'vp', caseInsensitive: true }, { jobtitle: 'SVP Sales' }, true],
  ['contains_any', { property: 'jobtitle', operator: 'contains_any', values: ['Director', 'Head of'] }, { jobtitle: 'Head of Growth' }, true],
  ['contains_any, none', { property: 'jobtitle', operator: 'contains_any', values: ['Director', 'Head of'] }, { jobtitle: 'Engineer' }, false],
  ['contains_any treats values literally, not as patterns', { property: 'jobtitle', operator: 'contains_any', values: ['C.O', '(x)'] }, { jobtitle: 'CEO' }, false],
  ['contains_any caseInsensitive', { property: 'jobtitle', operator: 'contains_any', values: ['director'], caseInsensitive: true }, { jobtitle: 'DIRECTOR' }, true],
  // caseInsensitive folds as toLowerCase() does, the same for contains and contains_any, on any text: the
  // Kelvin sign (U+212A) lowers to "k", which a regex's `i` flag does not see, and "İ" lowers to two characters.
  ['contains caseInsensitive, a text that is not ASCII', { property: 'jobtitle', operator: 'contains', value: 'k', caseInsensitive: true }, { jobtitle: '\u212a' }, true],
  ['contains_any caseInsensitive, a text that is not ASCII', { property: 'jobtitle', operator: 'contains_any', values: ['K'], caseInsensitive: true }, { jobtitle: '\u212a' }, true],
  ['contains_any caseInsensitive, a needle that is not ASCII', { property: 'jobtitle', operator: 'contains_any', values: ['\u00e9', 'k'], caseInsensitive: true }, { jobtitle: 'Chef \u212a' }, true],
  ['contains_any caseInsensitive, a needle that is not ASCII, none', { property: 'jobtitle', operator: 'contains_any', values: ['\u00e9', 'x'], caseInsensitive: true }, { jobtitle: 'Chef \u212a' }, false],
  ['contains_any caseInsensitive, a needle that lowers to two characters', { property: 'jobtitle', operator: 'contains_any', values: ['\u0130'], caseInsensitive: true }, { jobtitle: 'i\u0307' }, true],
  ['contains_any case-sensitive, a text that is not ASCII', { property: 'jobtitle', operator: 'contains_any', values: ['K'] }, { jobtitle: '\u212a' }, false],
  ['regex', { property: 'email', operator: 'regex', pattern: '@acme\\.(com|io)$' }, { email: 'a@acme.io' }, true],
  ['regex no match', { property: 'email', operator: 'regex', pattern: '@acme\\.(com|io)$' }, { email: 'a@acme.org' }, false],
  ['regex flags', { property: 'email', operator: 'regex', pattern: '^A@', flags: 'i' }, { email: 'a@x.com' }, true],
  ['regex on empty', { property: 'email', operator: 'regex', pattern: '.*' }, {}, false],
  // numeric ranges
  ['between inclusive min', { property: 'numemployees', operator: 'between', min: 50, max: 500 }, { numemployees: '50' }, true],
  ['between inclusive max', { property: 'numemployees', operator: 'between', min: 50, max: 500 }, { numemployees: '500' }, true],
  ['between below', { property: 'numemployees', operator: 'between', min: 50, max: 500 }, { numemployees: '49.99' }, false],
  ['between above', { property: 'numemployees', operator: 'between', min: 50, max: 500 }, { numemployees: '501' }, false],
  ['between open-ended', { property: 'numemployees', operator: 'between', min: 50 }, { numemployees: '1000000' }, true],
  ['between 0 is a value', { property: 'numemployees', operator: 'between', min: 0, max: 0 }, { numemployees: '0' }, true],
  ['between empty', { property: 'numemployees', operator: 'between', min: 0, max: 10 }, { numemployees: null }, false],
  ['gt', { property: 'hs_analytics_num_page_views', operator: 'gt', value: 10 }, { hs_analytics_num_page_views: '11' }, true],
  ['gt boundary', { property: 'hs_analytics_num_page_views', operator: 'gt', value: 10 }, { hs_analytics_num_page_views: '10' }, false],
  ['gte boundary', { property: 'hs_analytics_num_page_views', operator: 'gte', value: 10 }, { hs_analytics_num_page_views: '10' }, true],
  ['lt', { property: 'hs_analytics_num_page_views', operator: 'lt', value: 10 }, { hs_analytics_num_page_views: '9' }, true],
  ['lt boundary', { property: 'hs_analytics_num_page_views', operator: 'lt', value: 10 }, { hs_analytics_num_page_views: '10' }, false],
  ['lte boundary', { property: 'hs_analytics_num_page_views', operator: 'lte', value: 10 }, { hs_analytics_num_page_views: '10' }, true],
  ['lt 1 matches 0', { property: 'hs_analytics_num_page_views', operator: 'lt', value: 1 }, { hs_analytics_num_page_views: '0' }, true],
  ['lt 1 does not match an empty value', { property: 'hs_analytics_num_page_views', operator: 'lt', value: 1 }, {}, false],
  ['gte on text that is not a number', { property: 'hs_analytics_num_page_views', operator: 'gte', value: 1 }, { hs_analytics_num_page_views: 'many' }, false],
  // exists / missing
  ['exists', { property: 'phone', operator: 'exists' }, { phone: '+49 30 1234' }, true],
  ['exists "0"', { property: 'phone', operator: 'exists' }, { phone: '0' }, true],
  ['exists null', { property: 'phone', operator: 'exists' }, { phone: null }, false],
  ['exists ""', { property: 'phone', operator: 'exists' }, { phone: '' }, false],
  ['missing absent', { property: 'phone', operator: 'missing' }, {}, true],
  ['missing "0"', { property: 'phone', operator: 'missing' }, { phone: '0' }, false],
  ['missing does not treat inherited names as values', { property: 'constructor', operator: 'missing' }, {}, true],
  // dates
  ['within_days inside', { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 7 }, { hs_analytics_last_visit_timestamp: daysAgo(6.9) }, true],
  ['within_days at the boundary (inclusive)', { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 7 }, { hs_analytics_last_visit_timestamp: daysAgo(7) }, true],
  ['within_days outside', { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 7 }, { hs_analytics_last_visit_timestamp: new Date(NOW - 7 * DAY - 1).toISOString() }, false],
  ['within_days epoch-ms string', { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 7 }, { hs_analytics_last_visit_timestamp: String(NOW - DAY) }, true],
  ['within_days date-only value', { property: 'recent_conversion_date', operator: 'within_days', days: 1 }, { recent_conversion_date: '2026-06-15' }, true],
  ['within_days future date counts as today', { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 7 }, { hs_analytics_last_visit_timestamp: daysAgo(-3) }, true],
  ['within_days unreadable date', { property: 'hs_analytics_last_visit_timestamp', operator: 'within_days', days: 7 }, { hs_analytics_last_visit_timestamp: 'yesterday' }, false],
  ['older_than_days outside', { property: 'createdate', operator: 'older_than_days', days: 30 }, { createdate: daysAgo(31) }, true],
  ['older_than_days at the boundary (exclusive)', { property: 'createdate', operator: 'older_than_days', days: 30 }, { createdate: daysAgo(30) }, false],
  ['older_than_days empty', { property: 'createdate', operator: 'older_than_days', days: 30 }, {}, false],
  // domains
  ['domain_in email', { property: 'email', operator: 'domain_in', values: ['gmail.com'] }, { email: 'Jane.Doe@GMAIL.com' }, true],
  ['domain_in subdomain of a listed domain', { property: 'email', operator: 'domain_in', values: ['acme.com'] }, { email: 'x@eu.acme.com' }, true],
  ['domain_in is not fooled by a suffix', { property: 'email', operator: 'domain_in', values: ['acme.com'] }, { email: 'x@notacme.com' }, false],
  ['domain_in website URL', { property: 'website', operator: 'domain_in', values: ['acme.com'] }, { website: 'https://www.acme.com/pricing' }, true],
  ['domain_in a list', { property: 'email', operator: 'domain_in', list: 'freemail' }, { email: 'x@yahoo.com' }, true],
  ['domain_in, not an address', { property: 'email', operator: 'domain_in', values: ['acme.com'] }, { email: 'not-an-email' }, false],
  ['domain_not_in', { property: 'email', operator: 'domain_not_in', list: 'freemail' }, { email: 'x@acme.com' }, true],
  ['domain_not_in listed', { property: 'email', operator: 'domain_not_in', list: 'freemail' }, { email: 'x@yahoo.com' }, false],
  ['domain_not_in empty', { property: 'email', operator: 'domain_not_in', list: 'freemail' }, {}, false],
  // company properties
  ['company property', { property: 'company.industry', operator: 'equals', value: 'RETAIL' }, {}, true, { industry: 'RETAIL' }],
  ['company property without a company', { property: 'company.industry', operator: 'missing' }, {}, true, null],
  ['company property is not read from the contact', { property: 'company.industry', operator: 'exists' }, { industry: 'RETAIL' }, false, {}],
  // combinators
  ['all', { all: [{ property: 'country', operator: 'exists' }, { property: 'jobtitle', operator: 'exists' }] }, { country: 'x', jobtitle: 'y' }, true],
  ['all, one fails', { all: [{ property: 'country', operator: 'exists' }, { property: 'jobtitle', operator: 'exists' }] }, { country: 'x' }, false],
  ['any', { any: [{ property: 'country', operator: 'exists' }, { property: 'jobtitle', operator: 'exists' }] }, { jobtitle: 'y' }, true],
  ['any, none', { any: [{ property: 'country', operator: 'exists' }, { property: 'jobtitle', operator: 'exists' }] }, {}, false],
  ['not', { not: { property: 'country', operator: 'equals', value: 'x' } }, { country: 'y' }, true],
  ['not of a match', { not: { property: 'country', operator: 'equals', value: 'x' } }, { country: 'x' }, false],
];

describe('operators', () => {
  // A rest parameter: jest reads a callback's declared arity as a request for `done`, and rows without a
  // company are one element short of it.
  it.each(cases)('%s', (...[, when, contact, matches, company]: Case) => {
    const def = definition({
      lists: { eu: ['France', 'Italy'], freemail: ['gmail.com', 'yahoo.com'] },
      fit: [{ id: 'rule', label: 'The rule', when, points: 10 }],
    });
    const decision = evaluate(def, contact, company === undefined ? {} : company, NOW);
    expect(decision.fitScore).toBe(matches ? 10 : 0);
    expect(decision.reasons.some((r) => r.text === '+10 fit: The rule')).toBe(matches);
  });
});

describe('unreadable values become reasons, not exceptions', () => {
  it.each([
    ['a number', { property: 'company.numberofemployees', operator: 'between', min: 1 }, {}, { numberofemployees: 'about 50' }, 'company.numberofemployees is "about 50", not a number: rule rule not applied'],
    ['a date', { property: 'createdate', operator: 'older_than_days', days: 1 }, { createdate: 'last Tuesday' }, {}, 'createdate is "last Tuesday", not a date: rule rule not applied'],
    ['an email', { property: 'email', operator: 'domain_in', values: ['x.com'] }, { email: 'nobody' }, {}, 'email is "nobody", not an email address or domain: rule rule not applied'],
  ] as const)('when a value is not %s, then the reason names the property, the value and the rule', (_what, when, contact, company, text) => {
    const def = definition({ fit: [{ id: 'rule', label: 'The rule', when, points: 10 }] });
    const d = evaluate(def, contact, company, NOW);
    expect(d.fitScore).toBe(0);
    expect(d.reasons.filter((r) => r.kind === 'data').map((r) => r.text)).toEqual([text]);
  });

  it('when one bad value keeps several rules from applying, then one reason names them all', () => {
    const def = definition({
      fit: [
        { id: 'small', label: 'Small', when: { property: 'company.numberofemployees', operator: 'lt', value: 50 }, points: 5 },
        { id: 'large', label: 'Large', when: { property: 'company.numberofemployees', operator: 'gte', value: 50 }, points: 10 },
      ],
    });
    const d = evaluate(def, {}, { numberofemployees: '1,200' }, NOW);
    expect(d.reasons.filter((r) => r.kind === 'data').map((r) => r.text)).toEqual([
      'company.numberofemployees is "1,200", not a number: rules small, large not applied',
    ]);
  });
});

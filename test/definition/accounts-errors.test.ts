import path from 'node:path';
import { compileDefinition, DefinitionError, parseDefinitionText, summarizeDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';

/**
 * The accounts section is validated like the rest of the file: every problem at once, at its line. A cycle
 * between account and contact rules (an account rule counting what a contact rule derives from the
 * account) is rejected naming the line of every rule in it.
 */

const LADDER = 'ladder:\n  sales_ready: { total: 80 }\n  marketing_qualified: { total: 40 }\n';
const ACCOUNT_LADDER = '  ladder:\n    qualified: { total: 60 }\n    engaged: { engagement: 10 }\n';

function problemsOf(text: string): string[] {
  try {
    parseDefinitionText(text, 'lead-definition.yaml');
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    return err.problems.map((p) => `${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`);
  }
  throw new Error('expected the definition to be rejected');
}

/** Lines of a YAML text, numbered from 1, for writing the expected line numbers by eye. */
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('a cycle between account and contact rules', () => {
  it('when an account rule counts contact engagement and a contact engagement rule reads account.score, then the line of every rule in the cycle is named', () => {
    const text = yaml(
      'version: 1', // 1
      'name: x', // 2
      'engagement:', // 3
      '  - id: busy-account', // 4
      '    label: The account is busy', // 5
      '    when: { property: account.score, operator: gte, value: 50 }', // 6
      '    points: 10', // 7
      '  - id: visits', // 8
      '    label: Visits', // 9
      '    when: { property: hs_analytics_num_page_views, operator: gte, value: 5 }', // 10
      '    points: 5', // 11
      'fit:', // 12
      '  - id: qualified-account', // 13
      '    label: At a qualified account', // 14
      '    when: { property: account.status, operator: equals, value: qualified }', // 15
      '    points: 15', // 16
      LADDER.trimEnd(), // 17-19
      'accounts:', // 20
      '  engagement:', // 21
      '    - id: engaged-group', // 22
      '      label: Three engaged contacts', // 23
      '      measure: count', // 24
      '      score: engagement', // 25
      '      min: 10', // 26
      '      window: { days: 30, from: hs_analytics_last_visit_timestamp }', // 27
      '      atLeast: 3', // 28
      '      points: 20', // 29
      '    - id: group-fit', // 30
      '      label: Fitting people', // 31
      '      measure: sum', // 32
      '      score: fit', // 33
      '      atLeast: 50', // 34
      '      points: 5', // 35
      '  coverage:', // 36
      '    - id: engaged-roles', // 37
      '      label: Engaged decision maker', // 38
      '      roles: [DECISION_MAKER]', // 39
      '      engagedOnly: true', // 40
      '      points: 10', // 41
      ACCOUNT_LADDER.trimEnd(),
    );
    expect(problemsOf(text)).toEqual([
      'line 4: engagement[0]: in a cycle: the account would re-qualify its contacts and they the account, without end: this rule reads account.score, and accounts.engagement[0] (engaged-group), accounts.coverage[0] (engaged-roles) count the contacts\' engagement score. Read the account in a disqualifier or in the other section, or count another score',
      'line 13: fit[0]: in a cycle: the account would re-qualify its contacts and they the account, without end: this rule reads account.status, and accounts.engagement[1] (group-fit), accounts.coverage[0] (engaged-roles) count the contacts\' fit score. Read the account in a disqualifier or in the other section, or count another score',
      "line 22: accounts.engagement[0]: in a cycle: the account would re-qualify its contacts and they the account, without end: this rule counts the contacts' engagement score, which engagement[0] (busy-account) derives from account.score",
      "line 30: accounts.engagement[1]: in a cycle: the account would re-qualify its contacts and they the account, without end: this rule counts the contacts' fit score, which fit[0] (qualified-account) derives from account.status",
      "line 37: accounts.coverage[0]: in a cycle: the account would re-qualify its contacts and they the account, without end: this rule counts only engaged contacts, chosen by their engagement and fit score, which fit[0] (qualified-account) derives from account.status, and engagement[0] (busy-account) derives from account.score",
    ]);
  });

  type Row = [name: string, contactRule: string, accountRule: string, cycle: boolean];
  const rows: Row[] = [
    ['when contacts read the account in fit and the account counts engagement, then there is no cycle', 'fit', 'score: engagement', false],
    ['when contacts read the account in fit and the account counts the total, then fit is in a cycle', 'fit', 'score: total', true],
    ['when contacts read the account in engagement and the account counts fit, then there is no cycle', 'engagement', 'score: fit', false],
    ['when contacts read the account only in a disqualifier, then there is no cycle: the account counts scores, not statuses', 'disqualifiers', 'score: total', false],
    ['when a contact rule reads the write-back company.uld_account_score itself, then it is the same cycle', 'engagement', 'score: engagement', true],
  ];
  it.each(rows)('%s', (_name, section, accountRule, cycle) => {
    const property = _name.includes('company.uld_account_score') ? 'company.uld_account_score' : 'account.score';
    const rule =
      section === 'disqualifiers'
        ? `disqualifiers:\n  - { id: r, reason: R, when: { property: ${property}, operator: lt, value: 1 } }\n`
        : `${section}:\n  - { id: r, label: R, points: 5, when: { property: ${property}, operator: gte, value: 1 } }\n`;
    const text = `version: 1\nname: x\n${rule}${LADDER}accounts:\n  engagement:\n    - { id: g, label: G, measure: count, ${accountRule}, atLeast: 1, points: 5 }\n${ACCOUNT_LADDER}`;
    if (cycle) expect(problemsOf(text).map((p) => p.slice(0, p.indexOf(': in a cycle')))).toEqual([`line 4: ${section}[0]`, 'line 10: accounts.engagement[0]']);
    else expect(() => parseDefinitionText(text, 'lead-definition.yaml')).not.toThrow();
  });
});

describe('a broken accounts section', () => {
  type Row = [name: string, text: string, problems: string[]];
  const base = (contact: string, accounts: string) => `version: 1\nname: x\n${contact}${LADDER}accounts:\n${accounts}${ACCOUNT_LADDER}`;
  const rows: Row[] = [
    [
      'when a contact rule reads its account but the file has no accounts section, then the fix is named',
      `version: 1\nname: x\nfit:\n  - { id: a, label: A, points: 5, when: { property: account.status, operator: equals, value: qualified } }\n${LADDER}`,
      ["line 4: fit[0].when.property: account.status reads the contact's account, but the file has no accounts section: add one, or remove this condition"],
    ],
    [
      'when account.status is compared with a status accounts do not have, then the statuses are listed',
      base('fit:\n  - { id: a, label: A, points: 5, when: { property: account.status, operator: in, values: [qualified, sales_ready] } }\n', ''),
      ['line 4: fit[0].when.values: account.status is one of disqualified, needs_data, target, engaged, qualified; found "sales_ready"'],
    ],
    [
      'when a contact rule reads another field of its account, then the two it may read are named',
      base('fit:\n  - { id: a, label: A, points: 5, when: { property: account.reasons, operator: exists } }\n', ''),
      ['line 4: fit[0].when.property: a contact rule reads only account.status or account.score of its account'],
    ],
    [
      'when an account rule reads company.industry, then it is told to read the company property itself',
      base('', '  fit:\n    - id: f\n      label: F\n      points: 5\n      when: { property: company.industry, operator: exists }\n'),
      ["line 11: accounts.fit[0].when.property: account rules read the company's own properties: write industry, not company.industry"],
    ],
    [
      'when an account rule reads what the account evaluation writes, or its own decision, then each is rejected',
      base('', '  disqualifiers:\n    - { id: d, reason: D, when: { property: uld_account_status, operator: exists } }\n    - { id: e, reason: E, when: { property: account.score, operator: gt, value: 1 } }\n'),
      [
        'line 8: accounts.disqualifiers[0].when.property: uld_account_status is written by the account evaluation itself: an account rule cannot read it',
        'line 9: accounts.disqualifiers[1].when.property: account.score is what the account rules decide: an account rule cannot read it',
      ],
    ],
    [
      'when a buying role is not one of HubSpot\'s, then the documented values are listed',
      base('', '  coverage:\n    - { id: c, label: C, points: 5, roles: [DECISIONMAKER, CHAMPION] }\n'),
      ['line 8: accounts.coverage[0].roles[0]: expected one of BLOCKER, BUDGET_HOLDER, CHAMPION, DECISION_MAKER, END_USER, EXECUTIVE_SPONSOR, INFLUENCER, LEGAL_AND_COMPLIANCE, OTHER; found "DECISIONMAKER"'],
    ],
    [
      'when a coverage rule needs more roles than it lists, then it could never match and says so',
      base('', '  coverage:\n    - { id: c, label: C, points: 5, roles: [DECISION_MAKER, CHAMPION], atLeast: 3 }\n'),
      ['line 8: accounts.coverage[0].atLeast: atLeast 3 is more than the 2 roles listed: the rule could never match'],
    ],
    [
      'when a group rule misspells a field and lacks its measure, then each is one line',
      base('', '  engagement:\n    - id: g\n      label: G\n      atleast: 3\n      points: 5\n'),
      [
        'line 8: accounts.engagement[0].measure: expected one of count, sum; found nothing',
        'line 8: accounts.engagement[0].atLeast: expected number, found nothing',
        'line 10: accounts.engagement[0].atleast: unknown field "atleast" (did you mean "atLeast"?)',
      ],
    ],
    [
      'when an account disqualifier names a list the file lacks, or a group cap names no rule\'s group, then each is named',
      base('', '  disqualifiers:\n    - { id: d, reason: D, when: { property: domain, operator: domain_in, list: excluded } }\n  caps:\n    groups: { firmographics: 10 }\n'),
      ['line 8: accounts.disqualifiers[0].when.list: unknown list "excluded" (the file defines no lists)', 'line 10: accounts.caps.groups.firmographics: no account fit rule is in group "firmographics"'],
    ],
    [
      'when an id repeats across contact and account rules, or a rung sets no threshold, then both are named',
      `version: 1\nname: x\nfit:\n  - { id: a, label: A, points: 1, when: { property: country, operator: exists } }\n${LADDER}accounts:\n  coverage:\n    - { id: a, label: C, points: 5, roles: [CHAMPION] }\n  ladder:\n    qualified: {}\n    engaged: { total: 1 }\n`,
      ['line 10: accounts.coverage[0].id: duplicate id "a" (also fit[0])', 'line 12: accounts.ladder.qualified: expected at least one of fit, engagement, coverage, total'],
    ],
  ];
  it.each(rows)('%s', (_name, text, problems) => {
    expect(problemsOf(text).sort()).toEqual([...problems].sort());
  });
});

describe('the accounts example', () => {
  it('when the accounts example is loaded, then it compiles, reads the account in a contact rule and lists what the account rules read', () => {
    const def = compileDefinition(loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.accounts.example.yaml')));
    expect(def.readsAccount).toBe(true);
    expect(def.companyProperties).toContain('uld_account_status');
    expect(def.contactProperties).not.toContain('account.status');
    expect(def.accounts!.companyProperties).toEqual(['domain', 'industry', 'lifecyclestage', 'numberofemployees']);
    expect(def.accounts!.contactProperties).toEqual(['hs_analytics_last_visit_timestamp', 'hs_buying_role']);
    const summary = summarizeDefinition(def).accounts!;
    expect(summary.engagement).toEqual([
      'engaged-group (contacts with engagement >= 10 within 30 days of hs_analytics_last_visit_timestamp: at least 3, 25 points)',
      'group-engagement-sum (engagement of contacts with engagement > 0: at least 60 in all, 10 points)',
    ]);
    expect(summary.coverage).toEqual(['decision-maker-and-champion (2 of DECISION_MAKER, CHAMPION, 20 points)', 'wider-committee (2 of BUDGET_HOLDER, EXECUTIVE_SPONSOR, END_USER, INFLUENCER, held by engaged contacts, 10 points)']);
    expect(summary.fit).toEqual({ criteria: 2, maxPoints: 40 });
  });

  it('when the demo example is compiled, then it judges accounts (the generator\'s buying group) but its contact rules read nothing of one', () => {
    const def = compileDefinition(loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.example.yaml')));
    expect(def.accounts).toBeDefined();
    expect(def.readsAccount).toBe(false);
    expect(def.run.source).not.toMatch(/uld_account/);
    expect(summarizeDefinition(def).accounts?.coverage).toEqual(['decision-maker-and-champion (2 of DECISION_MAKER, CHAMPION, 20 points)']);
  });
});

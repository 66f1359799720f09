import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { DefinitionError, parseDefinitionText } from '../../src/definition';

/**
 * A broken environment or definition file is the admin's most common first experience: every problem
 * must be reported at once, at the spot, in words that say what was expected and what was found.
 */

const ROOT = path.join(__dirname, '..', '..');
const LADDER = 'ladder:\n  sales_ready: { total: 80 }\n  marketing_qualified: { total: 40 }\n';

function problemsOf(text: string, file = 'lead-definition.yaml'): string[] {
  try {
    parseDefinitionText(text, file);
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    return err.problems.map((p) => `${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`);
  }
  throw new Error('expected the definition to be rejected');
}

describe('a broken definition file', () => {
  type Row = [name: string, text: string, problems: string[]];
  const rows: Row[] = [
    [
      'when an operator is unknown, then the error points at it and lists the operators',
      `version: 1\nname: x\nfit:\n  - id: a\n    label: A\n    points: 5\n    when: { property: country, operator: eq, value: DE }\n${LADDER}`,
      [expect.stringMatching(/^line 7: fit\[0\]\.when\.operator: expected one of equals, not_equals, in, not_in, contains, .*domain_not_in; found "eq"$/) as unknown as string],
    ],
    [
      'when a field is unknown, then it is reported with a did-you-mean, not ignored',
      `version: 1\nname: x\nfit:\n  - id: a\n    label: A\n    pionts: 5\n    when: { property: country, operator: exists }\n${LADDER}`,
      ['line 6: fit[0].pionts: unknown field "pionts" (did you mean "points"?)', 'line 4: fit[0].points: expected number, found nothing'].sort(),
    ],
    [
      'when a property name is not a HubSpot internal name, then the error says what one looks like',
      `version: 1\nname: x\nfit:\n  - id: a\n    label: A\n    points: 5\n    when: { property: Job Title, operator: exists }\n${LADDER}`,
      ['line 7: fit[0].when.property: expected a HubSpot internal property name (lowercase letters, digits, underscores, e.g. jobtitle or company.industry), found "Job Title"'],
    ],
    [
      'when an operator is given an operand it does not take, then both are named',
      `version: 1\nname: x\nfit:\n  - id: a\n    label: A\n    points: 5\n    when: { property: country, operator: exists, value: DE }\n${LADDER}`,
      ['line 7: fit[0].when.value: operator exists takes no "value" (it takes nothing else)'],
    ],
    [
      'when a list is not defined, then the known lists are named',
      `version: 1\nname: x\nlists:\n  eu: [DE, FR]\ndisqualifiers:\n  - id: d\n    reason: R\n    when: { property: country, operator: in, list: europe }\n${LADDER}`,
      ['line 8: disqualifiers[0].when.list: unknown list "europe" (lists: eu)'],
    ],
    [
      'when a regex does not compile, then the regex error is shown',
      `version: 1\nname: x\nfit:\n  - id: a\n    label: A\n    points: 5\n    when: { property: email, operator: regex, pattern: "([a-z" }\n${LADDER}`,
      [expect.stringMatching(/^line 7: fit\[0\]\.when\.pattern: not a valid regular expression: /) as unknown as string],
    ],
    [
      'when ids repeat and a rung has no threshold, then every problem is listed at once',
      `version: 1\nname: x\nfit:\n  - { id: a, label: A, points: 1, when: { property: country, operator: exists } }\nengagement:\n  - { id: a, label: B, points: 1, when: { property: country, operator: exists } }\nladder:\n  sales_ready: {}\n  marketing_qualified: { total: 1 }\n`,
      ['line 6: engagement[0].id: duplicate id "a" (also fit[0])', 'line 8: ladder.sales_ready: expected at least one of fit, engagement, total'],
    ],
    [
      'when a decay type is misspelt, then the allowed types are named',
      `version: 1\nname: x\nengagement:\n  - id: e\n    label: E\n    points: 5\n    when: { property: num_conversion_events, operator: gte, value: 1 }\n    decay: { type: halflife, days: 30, from: recent_conversion_date }\n${LADDER}`,
      ['line 8: engagement[0].decay.type: expected one of half_life, linear; found "halflife"'],
    ],
    [
      'when a lifecycle stage mapping names a stage HubSpot lacks, then the stages are listed',
      `version: 1\nname: x\n${LADDER}hubspot:\n  lifecycleStage: { sales_ready: sql }\n`,
      ['line 7: hubspot.lifecycleStage.sales_ready: expected one of subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other; found "sql"'],
    ],
    [
      'when a disqualification reason maps to something other than our three rejections, then the three are listed',
      `version: 1\nname: x\n${LADDER}hubspot:\n  leads:\n    disqualificationReasons: { NOT_A_GOOD_FIT: rejected }\n`,
      ['line 8: hubspot.leads.disqualificationReasons.NOT_A_GOOD_FIT: expected one of rejected_misrouted, rejected_bad_data, rejected_below_definition; found "rejected"'],
    ],
    [
      'when the Lead stages contradict each other, then each contradiction is one line naming the fix',
      `version: 1\nname: x\n${LADDER}hubspot:\n  leads:\n    stage: qualified-stage-id\n    rejected: [unqualified-stage-id, qualified-stage-id]\n`,
      [
        'line 8: hubspot.leads.stage: "qualified-stage-id" is a verdict stage (accepted or rejected): hand-off Leads must start in an open stage such as new-stage-id',
        'line 9: hubspot.leads.rejected: stage "qualified-stage-id" is also in accepted: a stage is one verdict',
      ],
    ],
    [
      'when hubspot.leads has a key it does not know, then it is named, not ignored',
      `version: 1\nname: x\n${LADDER}hubspot:\n  leads:\n    otherReasons: rejected_bad_data\n`,
      ['line 8: hubspot.leads.otherReasons: unknown field "otherReasons"'],
    ],
    ['when the YAML itself is broken, then the parser error has its line', `version: 1\nname: [x\n`, [expect.stringMatching(/^line \d+: not valid YAML: /) as unknown as string]],
    ['when the file is not a mapping, then that is the error', `- 1\n- 2\n`, ['expected a mapping with version, name, ladder, ...; found a list']],
  ];
  it.each(rows)('%s', (...[, text, problems]: Row) => {
    expect(problemsOf(text).sort()).toEqual(problems);
  });

  it('when a JSON file is broken, then the problems point at the spot too', () => {
    const json = JSON.stringify({ version: 1, name: 'x', fit: [{ id: 'a', label: 'A', points: 'five', when: { property: 'country', operator: 'exists' } }], ladder: { sales_ready: { total: 1 }, marketing_qualified: { total: 1 } } }, null, 2);
    expect(problemsOf(json, 'def.json')).toEqual([expect.stringMatching(/^line \d+: fit\[0\]\.points: expected number, found "five"$/)]);
    expect(problemsOf('{"version": 1,,}', 'def.json')).toEqual([expect.stringMatching(/^line 1: not valid JSON: /)]);
  });

  it('when the error is printed, then it names the file and counts the problems', () => {
    expect(() => parseDefinitionText(`version: 1\n${LADDER}`, 'defs/lead.yaml')).toThrow(/^defs\/lead\.yaml: invalid lead definition \(1 problem\):\n {2}line 1: name: expected string, found nothing$/);
  });
});

describe('a broken environment', () => {
  it('when several variables are invalid, then every one is reported with expected and found, and secrets are hidden', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', HUBSPOT_RATE_LIMIT_PER_10S: '0', DATABASE_URL: 'mysql://x', HUBSPOT_CLIENT_SECRET: 'has a space', LOG_LEVEL: 'loud', HUBSPOT_API_BASE_URL: 'ftp://x' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const byName = Object.fromEntries(error!.problems.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['DATABASE_URL', 'HUBSPOT_API_BASE_URL', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_RATE_LIMIT_PER_10S', 'LOG_LEVEL', 'PORT']);
    expect(byName.PORT).toMatchObject({ found: '"eighty"' });
    expect(byName.HUBSPOT_RATE_LIMIT_PER_10S).toMatchObject({ expected: 'an integer from 1 to 10000', found: '"0"' });
    expect(byName.HUBSPOT_CLIENT_SECRET!.found).toBe('a value of 11 characters (hidden)');
    expect(error!.message).not.toContain('has a space');
    expect(error!.message).toMatch(/^Invalid environment \(6 problems\):\n/);
  });

  it('when HANDOFF_MODE is unknown, or contradicts HANDOFF_TASK or HANDOFF_NOTE, then each is one problem naming the fix', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems.map((p) => `${p.name}: expected ${p.expected}, found ${p.found}`);
      }
    };
    expect(problems({ HANDOFF_MODE: 'leads' })).toEqual(['HANDOFF_MODE: expected task, lead or none, found "leads"']);
    expect(problems({ HANDOFF_MODE: 'lead', HANDOFF_TASK: 'true' })).toEqual(['HANDOFF_TASK: expected false or unset with HANDOFF_MODE=lead (the Lead is the hand-off; a task beside it would be a second one), found "true"']);
    expect(problems({ HANDOFF_MODE: 'none', HANDOFF_TASK: 'true', HANDOFF_NOTE: 'true' })).toHaveLength(2);
    expect(problems({ HANDOFF_MODE: 'lead', HANDOFF_NOTE: 'true' })).toEqual([]);
    expect(loadConfig({}).sync).toMatchObject({ handOffMode: 'task', handOffTask: false, handOffNote: false });
    expect(loadConfig({ HANDOFF_MODE: 'lead' }).sync.handOffMode).toBe('lead');
  });

  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.hubspot.apiBaseUrl).toBe('https://api.hubapi.com');
    expect(config.hubspot.rateLimitPer10s).toBe(100);
    expect(config.databaseUrl).toMatch(/^sqlite:\.?\/?data\//);
    expect(config.leadDefinitionPath).toBe(path.resolve('lead-definition.yaml'));
    expect(Object.isFrozen(config.hubspot)).toBe(true);
  });

  it('when a command starts with an invalid environment, then it prints every problem, exits 2 and never echoes a secret', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-env-'));
    const env = { PATH: process.env.PATH, PORT: '-1', HUBSPOT_ACCESS_TOKEN: 'pat na1 secret', ULD_SALES_READY_MIN_TOTL: '3' };
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'uld'), 'check-definition', path.join(ROOT, 'lead-definition.example.yaml')], { cwd, env, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Invalid environment (3 problems)');
    expect(run.stderr).toContain('PORT: expected');
    expect(run.stderr).toContain('HUBSPOT_ACCESS_TOKEN: expected an app access token (pat-...) with no spaces, found a value of 14 characters (hidden)');
    expect(run.stderr).toContain('ULD_SALES_READY_MIN_TOTL: expected a known variable (did you mean ULD_SALES_READY_MIN_TOTAL?)');
    expect(run.stderr).not.toContain('secret');
  });

  it('when a command is given a broken definition file, then it prints the problems and exits 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-def-'));
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, `version: 1\nname: x\nfit:\n  - { id: a, label: A, points: 1, when: { property: country, operator: bogus } }\n${LADDER}`);
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'uld'), 'check-definition', file], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/broken\.yaml: invalid lead definition \(1 problem\):\n {2}line 4: fit\[0\]\.when\.operator: expected one of equals, .*; found "bogus"/);
  });
});

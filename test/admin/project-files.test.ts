import { compileDefinition, loadDefinitionFile, parseDefinitionText } from '../../src/definition';
import { legacyWebhookSteps, PLATFORM_VERSION, projectFiles, validateProjectFiles } from '../../src/admin/project-files';
import { REQUIRED_SCOPES } from '../../src/admin/scopes';
import { subscriptionsFor } from '../../src/sync/subscriptions';
import { EXAMPLE } from '../sync/harness';

/** Issue 7, acceptance 2: the generated project files match the shared doc's shapes; the subscriptions are exactly what the definition needs. */
const LIFECYCLE = ['creation', 'deletion', 'merge', 'associationChange', 'restore'];
/** Inputs of the product itself, whatever the definition: the rep's feedback and the deal figures. */
const PRODUCT_INPUTS = { contact: ['uld_sales_feedback'], deal: ['dealstage', 'amount', 'closedate', 'pipeline'] };

type Webhooks = { config: { settings: { targetUrl: string }; subscriptions: { crmObjects: unknown[]; legacyCrmObjects: Array<{ subscriptionType: string; propertyName?: string; active: boolean }> } } };

describe.each([
  ['the example definition', compileDefinition(loadDefinitionFile(EXAMPLE))],
  [
    'a two-rule definition',
    compileDefinition(
      parseDefinitionText(
        'version: 3\nname: tiny\nfit:\n  - { id: size, label: Size, when: { property: company.numberofemployees, operator: gte, value: 50 }, points: 10 }\nengagement:\n  - { id: views, label: Views, when: { property: hs_analytics_num_page_views, operator: gte, value: 5 }, points: 5 }\nladder:\n  sales_ready: { total: 15 }\n  marketing_qualified: { total: 5 }\n',
        'tiny.yaml',
      ),
    ),
  ],
])('project files for %s', (_name, def) => {
  const files = projectFiles({ name: 'Universal Lead Definition', targetUrl: 'https://leads.example.com/webhooks/hubspot', subscriptions: subscriptionsFor(def) });

  it('validate against the shapes of the shared platform doc', () => {
    expect(validateProjectFiles(files)).toEqual([]);
    expect(files['hsproject.json']).toEqual({ name: 'Universal Lead Definition', srcDir: 'src', platformVersion: PLATFORM_VERSION });
    expect((files['src/app/app-hsmeta.json'] as { config: { auth: { requiredScopes: string[] } } }).config.auth.requiredScopes).toEqual(REQUIRED_SCOPES.map((s) => s.scope));
  });

  it("subscribe to exactly the definition's input properties plus the lifecycle events", () => {
    const subs = (files['src/app/webhooks/webhooks-hsmeta.json'] as Webhooks).config.subscriptions.legacyCrmObjects;
    const expected = [
      ...['contact', 'company', 'deal'].flatMap((o) => LIFECYCLE.map((e) => `${o}.${e}`)),
      ...[...def.contactProperties, ...PRODUCT_INPUTS.contact].map((p) => `contact.propertyChange:${p}`),
      ...def.companyProperties.map((p) => `company.propertyChange:${p}`),
      ...PRODUCT_INPUTS.deal.map((p) => `deal.propertyChange:${p}`),
    ];
    const actual = subs.map((s) => (s.propertyName ? `${s.subscriptionType}:${s.propertyName}` : s.subscriptionType));
    expect(actual.sort()).toEqual([...new Set(expected)].sort());
    // No duplicates, every one active.
    expect(new Set(actual).size).toBe(actual.length);
    expect(subs.every((s) => s.active)).toBe(true);
  });

  it('print the same list as steps for a legacy private app', () => {
    const steps = legacyWebhookSteps('https://leads.example.com/webhooks/hubspot', subscriptionsFor(def)).join('\n');
    for (const s of subscriptionsFor(def)) {
      const [object, event] = s.subscriptionType.split('.');
      expect(steps).toMatch(new RegExp(`- ${object}\\s+${event}${s.propertyName ? `\\s+${s.propertyName}$` : '$'}`, 'm'));
    }
  });
});

describe('the project file shapes refuse what HubSpot would refuse', () => {
  const good = projectFiles({ name: 'ULD', targetUrl: 'https://leads.example.com/webhooks/hubspot', subscriptions: [{ subscriptionType: 'contact.creation' }] });
  const mutate = (file: keyof typeof good, change: (o: Record<string, unknown>) => void) => {
    const copy = structuredClone(good) as Record<string, Record<string, unknown>>;
    change(copy[file]!);
    return copy;
  };
  it.each([
    ['a wrong platform version', mutate('hsproject.json', (o) => (o.platformVersion = '2023.1')), 'hsproject.json: platformVersion'],
    ['a misspelt key', mutate('hsproject.json', (o) => (o.srcdir = 'src')), 'hsproject.json: (root): Unrecognized key'],
    ['a public distribution', mutate('src/app/app-hsmeta.json', (o) => ((o.config as Record<string, unknown>).distribution = 'marketplace')), 'src/app/app-hsmeta.json: config.distribution'],
    [
      'a property change without a property',
      mutate('src/app/webhooks/webhooks-hsmeta.json', (o) => (((o.config as Webhooks['config']).subscriptions.legacyCrmObjects as unknown[]).push({ subscriptionType: 'contact.propertyChange', active: true }))),
      'legacyCrmObjects.1: propertyName is required',
    ],
    ['an inactive subscription', mutate('src/app/webhooks/webhooks-hsmeta.json', (o) => ((o.config as Webhooks['config']).subscriptions.legacyCrmObjects[0]!.active = false)), 'legacyCrmObjects.0.active'],
  ])('%s', (...[, files, message]: [string, Record<string, unknown>, string]) => {
    expect(validateProjectFiles(files).join('\n')).toContain(message);
  });
  it('a missing file', () => {
    const { ['hsproject.json']: _dropped, ...rest } = good;
    expect(validateProjectFiles(rest)).toEqual(['hsproject.json: missing']);
  });
});

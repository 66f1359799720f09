import { compileDefinition, parseDefinitionText } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import fs from 'node:fs';
import path from 'node:path';
import { backendModule } from '../../src/admin/project-card';
import { CARD_PACKAGE, CARD_TSCONFIG, INIT_PLATFORM_VERSIONS, legacyWebhookSteps, projectFiles } from '../../src/admin/project-files';
import { validateProjectFiles } from '../../src/admin/project-schemas';
import { appScopes, missingScopes, REQUIRED_SCOPES } from '../../src/admin/scopes';
import { subscriptionsFor } from '../../src/sync/subscriptions';
import { EXAMPLE } from '../sync/harness';
import { HUBSPOT_TEMPLATES } from './fixtures/hubspot-templates';

/** Issue 12: the files `uld init` wants, HubSpot's own templates passing our shapes, and what HubSpot documents as invalid refused. */
const LIFECYCLE = ['creation', 'deletion', 'merge', 'associationChange', 'restore'];
/** Inputs of the product itself, whatever the definition: the rep's feedback and the deal figures. */
const PRODUCT_INPUTS = { contact: ['uld_sales_feedback'], deal: ['dealstage', 'amount', 'closedate', 'pipeline'] };
const URL = 'https://leads.example.com/webhooks/hubspot';

type Webhooks = { config: { settings: { targetUrl: string }; subscriptions: { crmObjects: unknown[]; legacyCrmObjects: Array<{ subscriptionType: string; propertyName?: string; active: boolean }> } } };
type App = { config: { auth: { requiredScopes: string[]; optionalScopes: string[] }; permittedUrls?: { fetch: string[] }; support?: Record<string, string> } };

const options = (overrides: Partial<Parameters<typeof projectFiles>[0]> = {}): Parameters<typeof projectFiles>[0] => ({
  platformVersion: '2026.09',
  targetUrl: URL,
  subscriptions: [{ subscriptionType: 'contact.creation' }],
  ...appScopesAsOptions(false),
  ...overrides,
});
const appScopesAsOptions = (handOffTask: boolean) => {
  const s = appScopes({ handOffTask });
  return { requiredScopes: s.required, optionalScopes: s.optional };
};

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
  it.each(INIT_PLATFORM_VERSIONS)('validate on platform %s', (platformVersion) => {
    const files = projectFiles(options({ platformVersion, subscriptions: subscriptionsFor(def) }));
    expect(validateProjectFiles(files)).toEqual([]);
    expect(files['hsproject.json']).toEqual({ name: 'Universal Lead Definition', srcDir: 'src', platformVersion });
  });

  it("subscribe to exactly the definition's input properties (its accounts' too) plus the lifecycle events", () => {
    const files = projectFiles(options({ subscriptions: subscriptionsFor(def) }));
    const subs = (files['src/app/webhooks/webhooks-hsmeta.json'] as unknown as Webhooks).config.subscriptions.legacyCrmObjects;
    const expected = [
      ...['contact', 'company', 'deal'].flatMap((o) => LIFECYCLE.map((e) => `${o}.${e}`)),
      ...[...def.contactProperties, ...(def.accounts?.contactProperties ?? []), ...PRODUCT_INPUTS.contact].map((p) => `contact.propertyChange:${p}`),
      ...[...def.companyProperties, ...(def.accounts?.companyProperties ?? [])].map((p) => `company.propertyChange:${p}`),
      ...PRODUCT_INPUTS.deal.map((p) => `deal.propertyChange:${p}`),
    ];
    const actual = subs.map((s) => (s.propertyName ? `${s.subscriptionType}:${s.propertyName}` : s.subscriptionType));
    expect(actual.sort()).toEqual([...new Set(expected)].sort());
    // A definition judging accounts subscribes to buying-role changes.
    if (def.accounts) expect(actual).toContain('contact.propertyChange:hs_buying_role');
    // No duplicates, every one active.
    expect(new Set(actual).size).toBe(actual.length);
    expect(subs.every((s) => s.active)).toBe(true);
  });

  it('print the same list as steps for a legacy private app', () => {
    const steps = legacyWebhookSteps(URL, subscriptionsFor(def)).join('\n');
    for (const s of subscriptionsFor(def)) {
      const [object, event] = s.subscriptionType.split('.');
      expect(steps).toMatch(new RegExp(`- ${object}\\s+${event}${s.propertyName ? `\\s+${s.propertyName}$` : '$'}`, 'm'));
    }
  });
});

describe('the app component', () => {
  it.each([
    [false, []],
    [true, []],
  ])('with HANDOFF_TASK=%s, every scope uld uses is required, and none it does not use (no owners scope: a task takes its owner as a property)', (handOffTask, optional: string[]) => {
    const app = projectFiles(options(appScopesAsOptions(handOffTask)))['src/app/app-hsmeta.json'] as unknown as App;
    expect(app.config.auth.optionalScopes).toEqual(optional);
    expect([...app.config.auth.requiredScopes, ...optional].sort()).toEqual(REQUIRED_SCOPES.map((s) => s.scope).sort());
    // No call of uld needs `oauth` (HubSpot's templates list it for /account-info).
    expect(app.config.auth.requiredScopes).not.toContain('oauth');
    expect(app.config.auth.requiredScopes).not.toContain('crm.objects.owners.read');
    // install and doctor demand what init requires, no more.
    expect(missingScopes(app.config.auth.requiredScopes, { handOffTask })).toEqual([]);
  });

  it.each([
    ['https://leads.example.com:8443/webhooks/hubspot', ['https://leads.example.com:8443']],
    ['http://leads.example.com/webhooks/hubspot', undefined],
    ['https://localhost/webhooks/hubspot', undefined],
  ])("permits hubspot.fetch to the origin of %s only when HubSpot allows it (https, not localhost)", (targetUrl, fetch) => {
    const app = projectFiles(options({ targetUrl }))['src/app/app-hsmeta.json'] as unknown as App;
    expect(app.config.permittedUrls?.fetch).toEqual(fetch);
  });

  it('writes the support details that are set, and no support block without any', () => {
    const withSome = projectFiles(options({ support: { supportEmail: 'revops@example.com', supportUrl: undefined } }))['src/app/app-hsmeta.json'] as unknown as App;
    expect(withSome.config.support).toEqual({ supportEmail: 'revops@example.com' });
    expect((projectFiles(options())['src/app/app-hsmeta.json'] as unknown as App).config.support).toBeUndefined();
  });
});

describe('the qualification card', () => {
  const CARD_DIR = path.resolve(__dirname, '..', '..', 'card');
  const json = (file: string) => JSON.parse(fs.readFileSync(path.join(CARD_DIR, file), 'utf8')) as Record<string, unknown>;

  it("is written with the package.json, compiler options and placeholder backend the repository's card is built and tested with", () => {
    expect(CARD_PACKAGE).toEqual(json('package.json'));
    expect(CARD_TSCONFIG.compilerOptions).toEqual(json('tsconfig.json').compilerOptions);
    expect(fs.readFileSync(path.join(CARD_DIR, 'src', 'backend.ts'), 'utf8')).toBe(backendModule(null));
  });

  it('is a crm.record.tab card on contacts whose entrypoint is the entry file', () => {
    const card = projectFiles(options())['src/app/cards/qualification-card-hsmeta.json'] as { config: { location: string; objectTypes: string[]; entrypoint: string } };
    expect(card.config).toMatchObject({ location: 'crm.record.tab', objectTypes: ['contacts'], entrypoint: '/app/cards/QualificationCard.tsx' });
    expect(fs.existsSync(path.join(CARD_DIR, 'src', path.basename(card.config.entrypoint)))).toBe(true);
  });

  // HubSpot/hubspot-project-components, 2026.03/private-app-get-started-template/src/app/cards/get-started-app-card-hsmeta.json
  // (commit 98077de64017facc39cd4d1062efa5a8a13ca2cf), values as HubSpot wrote them.
  const TEMPLATE_CARD = { uid: 'get_started_app_card_private_static', type: 'card', config: { name: 'Get Started App Card', description: 'Provides detailed information about a contact.', entrypoint: '/app/cards/get-started-app-card.tsx', location: 'crm.record.tab', objectTypes: ['CONTACT'] } };
  const withCard = (card: unknown) => ({ ...projectFiles(options()), 'src/app/cards/qualification-card-hsmeta.json': card });

  it("HubSpot's template card passes our card shape", () => {
    expect(validateProjectFiles(withCard(TEMPLATE_CARD))).toEqual([]);
  });

  it.each<[string, (c: { config: Record<string, unknown> } & Record<string, unknown>) => void, string]>([
    ['a location cards do not have', (c) => (c.config.location = 'crm.record.middle'), 'config.location'],
    ['an entrypoint that is not a React file', (c) => (c.config.entrypoint = '/app/cards/card-hsmeta.json'), "config.entrypoint: the entrypoint is the card's React file"],
    ['no entrypoint', (c) => delete c.config.entrypoint, 'config.entrypoint'],
    ['no location', (c) => delete c.config.location, 'config.location'],
    ['no object types', (c) => (c.config.objectTypes = []), 'config.objectTypes'],
    ['no name', (c) => delete c.config.name, 'config.name'],
    ['the wrong type', (c) => (c.type = 'cards'), 'type'],
  ])('refuses %s', (_case, change, message) => {
    const card = structuredClone(TEMPLATE_CARD) as unknown as { config: Record<string, unknown> } & Record<string, unknown>;
    change(card);
    expect(validateProjectFiles(withCard(card)).join('\n')).toContain(`src/app/cards/qualification-card-hsmeta.json: ${message}`);
  });
});

describe("HubSpot's official templates", () => {
  it.each(HUBSPOT_TEMPLATES.map((t) => [t.source, t.files] as const))('pass our shapes: %s', (_source, files) => {
    expect(validateProjectFiles(files)).toEqual([]);
  });
});

describe('the project file shapes refuse what HubSpot documents as invalid', () => {
  const good = projectFiles(options());
  const mutate = (file: keyof typeof good, change: (o: Record<string, unknown>) => void, platformVersion = '2026.09') => {
    const copy = structuredClone(good) as Record<string, Record<string, unknown>>;
    copy['hsproject.json']!.platformVersion = platformVersion;
    change(copy[file]!);
    return copy;
  };
  const config = (o: Record<string, unknown>) => o.config as Record<string, unknown>;
  const webhooks = (o: Record<string, unknown>) => (o.config as Webhooks['config']).subscriptions;
  it.each([
    ['an unknown platform version', mutate('hsproject.json', (o) => (o.platformVersion = '2023.1')), 'hsproject.json: platformVersion'],
    ['hsproject.json without srcDir', mutate('hsproject.json', (o) => delete o.srcDir), 'hsproject.json: srcDir'],
    ['a top-level key the parser does not allow', mutate('src/app/app-hsmeta.json', (o) => (o.settings = {})), 'src/app/app-hsmeta.json: (root): Unrecognized key'],
    ['a uid with a space', mutate('src/app/app-hsmeta.json', (o) => (o.uid = 'lead app')), 'src/app/app-hsmeta.json: uid'],
    ['a uid of 65 characters', mutate('src/app/webhooks/webhooks-hsmeta.json', (o) => (o.uid = 'w'.repeat(65))), 'src/app/webhooks/webhooks-hsmeta.json: uid'],
    ['permissions before 2026.09-beta', mutate('src/app/app-hsmeta.json', (o) => (o.permissions = { requiredScopes: [] }), '2026.03'), 'permissions needs platformVersion 2026.09-beta'],
    ['isUserLevel before 2026.09-beta', mutate('src/app/app-hsmeta.json', (o) => (config(o).isUserLevel = true), '2026.03'), 'isUserLevel needs platformVersion 2026.09-beta'],
    ['static auth on a marketplace app', mutate('src/app/app-hsmeta.json', (o) => (config(o).distribution = 'marketplace')), 'config.auth.type: a marketplace app must use oauth'],
    ['an unknown distribution', mutate('src/app/app-hsmeta.json', (o) => (config(o).distribution = 'public')), 'config.distribution'],
    ['a plain-http fetch origin', mutate('src/app/app-hsmeta.json', (o) => (config(o).permittedUrls = { fetch: ['http://leads.example.com'] })), 'config.permittedUrls.fetch.0: hubspot.fetch allows https URLs only'],
    ['a property change without a property', mutate('src/app/webhooks/webhooks-hsmeta.json', (o) => webhooks(o).legacyCrmObjects.push({ subscriptionType: 'contact.propertyChange', active: true })), 'legacyCrmObjects.1: propertyName is required'],
    ['a property on a creation', mutate('src/app/webhooks/webhooks-hsmeta.json', (o) => webhooks(o).crmObjects.push({ subscriptionType: 'object.creation', objectType: 'contact', propertyName: 'email', active: true })), 'crmObjects.0: propertyName is required for, and only for'],
    ['an unknown legacy event', mutate('src/app/webhooks/webhooks-hsmeta.json', (o) => webhooks(o).legacyCrmObjects.push({ subscriptionType: 'contact.archived', active: true })), 'legacyCrmObjects.1.subscriptionType'],
  ])('%s', (...[, files, message]: [string, Record<string, unknown>, string]) => {
    expect(validateProjectFiles(files).join('\n')).toContain(message);
  });

  it('accepts the 2026.09 fields on 2026.09, and keys inside config it does not know (HubSpot decides those)', () => {
    const files = mutate('src/app/app-hsmeta.json', (o) => {
      o.permissions = { requiredScopes: ['crm.objects.contacts.read'] };
      config(o).isUserLevel = false;
      config(o).someNewHubSpotField = { enabled: true };
    });
    expect(validateProjectFiles(files)).toEqual([]);
  });

  it('a missing file', () => {
    const { ['hsproject.json']: _dropped, ...rest } = good;
    expect(validateProjectFiles(rest)).toEqual(['hsproject.json: missing']);
  });
});

describe('HANDOFF_MODE=lead in the project', () => {
  const def = compileDefinition(loadDefinitionFile(EXAMPLE));
  const leadScopes = ['crm.objects.leads.read', 'crm.objects.leads.write'];

  it('when the mode is lead, then the lead scopes are required; in any other mode they are neither required nor optional', () => {
    const lead = appScopes({ handOffTask: false, handOffLead: true });
    expect(lead.required).toEqual(expect.arrayContaining(leadScopes));
    expect(lead.optional).not.toEqual(expect.arrayContaining(leadScopes));
    for (const handOffTask of [false, true]) {
      const other = appScopes({ handOffTask, handOffLead: false });
      expect([...other.required, ...other.optional].filter((s) => s.includes('leads'))).toEqual([]);
    }
    // A token without them is missing them only in lead mode.
    const granted = REQUIRED_SCOPES.map((s) => s.scope);
    expect(missingScopes(granted, { handOffTask: false, handOffLead: true }).map((m) => m.scope)).toEqual(leadScopes);
    expect(missingScopes(granted, { handOffTask: false, handOffLead: false })).toEqual([]);
  });

  it('when the mode is lead, then the webhooks component subscribes to the Lead stage and reason in the generic format, and validates', () => {
    const lead = appScopes({ handOffTask: false, handOffLead: true });
    const files = projectFiles(options({ subscriptions: subscriptionsFor(def, { handOffMode: 'lead' }), requiredScopes: lead.required, optionalScopes: lead.optional }));
    expect(validateProjectFiles(files)).toEqual([]);
    const subs = (files['src/app/webhooks/webhooks-hsmeta.json'] as unknown as Webhooks).config.subscriptions;
    expect(subs.crmObjects).toEqual([
      { subscriptionType: 'object.propertyChange', objectType: 'lead', propertyName: 'hs_pipeline_stage', active: true },
      { subscriptionType: 'object.propertyChange', objectType: 'lead', propertyName: 'hs_lead_disqualification_reason', active: true },
    ]);
    expect(subs.legacyCrmObjects.map((s) => s.subscriptionType)).not.toContain('object.propertyChange');
    expect(legacyWebhookSteps(URL, subscriptionsFor(def, { handOffMode: 'lead' })).join('\n')).toMatch(/- lead\s+propertyChange\s+hs_pipeline_stage$/m);
    for (const mode of ['task', 'none'] as const) expect(subscriptionsFor(def, { handOffMode: mode }).filter((s) => s.objectType === 'lead')).toEqual([]);
  });
});

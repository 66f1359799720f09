import { requiredScopes } from '../../src/sandbox/http/scopes';
import { SANDBOX_DEFAULT_SCOPES, startSandbox, type Sandbox } from '../../src/sandbox';
import { rejection, sdk } from './helpers';

/**
 * Scope enforcement: the rule table (HubSpot's `security` per operation, see src/sandbox/http/scopes.ts)
 * for the legacy and the date-versioned paths, and the 403 MISSING_SCOPES answer over HTTP.
 */

const CONTACTS_READ = ['crm.objects.contacts.read'];
const CONTACTS_WRITE = ['crm.objects.contacts.write'];
const schemasRead = (t: string) => [`crm.schemas.${t}.read`, `crm.objects.${t}.read`, `crm.objects.${t}.write`];
const objectEither = (t: string) => [`crm.objects.${t}.read`, `crm.objects.${t}.write`];

/** [method, path with {v} for the version, scopes any one of which is enough]. */
const OBJECT_RULES: Array<[string, string, string[]]> = [
  ['GET', '/crm/{objects}/contacts', CONTACTS_READ],
  ['GET', '/crm/{objects}/contacts/101', CONTACTS_READ],
  ['POST', '/crm/{objects}/contacts/batch/read', CONTACTS_READ],
  ['POST', '/crm/{objects}/contacts/search', CONTACTS_READ],
  ['POST', '/crm/{objects}/contacts', CONTACTS_WRITE],
  ['PATCH', '/crm/{objects}/contacts/101', CONTACTS_WRITE],
  ['DELETE', '/crm/{objects}/contacts/101', CONTACTS_WRITE],
  ['POST', '/crm/{objects}/contacts/batch/update', CONTACTS_WRITE],
  ['POST', '/crm/{objects}/contacts/batch/create', CONTACTS_WRITE],
  ['POST', '/crm/{objects}/contacts/merge', CONTACTS_WRITE],
  // Aliases of a type (singular, type id) fall under the same scopes.
  ['POST', '/crm/{objects}/contact/batch/update', CONTACTS_WRITE],
  ['POST', '/crm/{objects}/0-2/batch/read', ['crm.objects.companies.read']],
  ['POST', '/crm/{objects}/companies/batch/update', ['crm.objects.companies.write']],
  ['POST', '/crm/{objects}/deals/search', ['crm.objects.deals.read']],
  ['POST', '/crm/{objects}/deals/batch/update', ['crm.objects.deals.write']],
  ['GET', '/crm/{objects}/0-3/7', ['crm.objects.deals.read']],
  // Tasks and notes: HubSpot's specs name the contacts scopes.
  ['POST', '/crm/{objects}/tasks/batch/create', CONTACTS_WRITE],
  ['POST', '/crm/{objects}/notes/batch/create', CONTACTS_WRITE],
  ['POST', '/crm/{objects}/tasks', CONTACTS_WRITE],
  ['GET', '/crm/{objects}/notes/5', CONTACTS_READ],
  // One record's associations: either object scope of the record's type.
  ['GET', '/crm/{objects4}/contacts/101/associations/companies', objectEither('contacts')],
  ['PUT', '/crm/{objects4}/deals/7/associations/default/contacts/101', objectEither('deals')],
  ['DELETE', '/crm/{objects4}/companies/7/associations/contacts/101', objectEither('companies')],
];

const OTHER_RULES: Array<[string, string, string[]]> = [
  ['POST', '/crm/{associations}/contacts/companies/batch/read', objectEither('contacts')],
  ['POST', '/crm/{associations}/companies/contacts/batch/read', objectEither('companies')],
  ['POST', '/crm/{associations}/deals/contacts/batch/create', objectEither('deals')],
  ['POST', '/crm/{associations}/tasks/contacts/batch/associate/default', objectEither('contacts')],
  ['GET', '/crm/{properties}/contacts', schemasRead('contacts')],
  ['GET', '/crm/{properties}/companies/uld_leads', schemasRead('companies')],
  ['GET', '/crm/{properties}/deals/groups', schemasRead('deals')],
  ['POST', '/crm/{properties}/contacts/batch/read', schemasRead('contacts')],
  ['POST', '/crm/{properties}/contacts', ['crm.schemas.contacts.write']],
  ['PATCH', '/crm/{properties}/companies/uld_leads', ['crm.schemas.companies.write']],
  ['DELETE', '/crm/{properties}/deals/uld_cycle_days', ['crm.schemas.deals.write']],
  ['POST', '/crm/{properties}/deals/groups', ['crm.schemas.deals.write']],
  ['PATCH', '/crm/{properties}/contacts/groups/uld', ['crm.schemas.contacts.write']],
  ['GET', '/crm/{pipelines}/deals', schemasRead('deals')],
  ['GET', '/crm/{pipelines}/deals/default/stages', schemasRead('deals')],
  ['GET', '/crm/{owners}', ['crm.objects.owners.read']],
  ['GET', '/crm/{owners}/17', ['crm.objects.owners.read']],
  ['GET', '/account-info/{v}/details', ['oauth']],
];

/** Legacy and date-versioned forms of each family (shared platform doc §2.1). */
const FORMS: Array<{ name: string; fill: (path: string) => string }> = [
  {
    name: 'legacy',
    fill: (p) =>
      p
        .replace('{objects}', 'v3/objects')
        .replace('{objects4}', 'v4/objects')
        .replace('{associations}', 'v4/associations')
        .replace('{properties}', 'v3/properties')
        .replace('{pipelines}', 'v3/pipelines')
        .replace('{owners}', 'v3/owners')
        .replace('{v}', 'v3'),
  },
  ...['2026-09', '2026-03'].map((v) => ({
    name: v,
    fill: (p: string) =>
      p
        .replace('{objects}', `objects/${v}`)
        .replace('{objects4}', `objects/${v}`)
        .replace('{associations}', `associations/${v}`)
        .replace('{properties}', `properties/${v}`)
        .replace('{pipelines}', `pipelines/${v}`)
        .replace('{owners}', `owners/${v}`)
        .replace('{v}', v),
  })),
];

describe('the scope rule table', () => {
  const cases = FORMS.flatMap((form) => [...OBJECT_RULES, ...OTHER_RULES].map(([method, template, scopes]) => [form.name, method, form.fill(template), scopes] as const));

  it.each(cases)('%s: %s %s needs one of %j', (_form, method, path, scopes) => {
    expect(requiredScopes(method, path)?.anyOf).toEqual(scopes);
  });

  it.each([
    ['POST', '/oauth/v2/private-apps/get/access-token-info'],
    ['GET', '/crm/v3/objects/widgets'],
    ['GET', '/crm/objects/2026-09/widgets/1'],
    ['GET', '/nothing/here'],
  ])('%s %s needs no scope (introspection, or a path the routes answer 404 to)', (method, path) => {
    expect(requiredScopes(method, path)).toBeUndefined();
  });

  it('when the sandbox serves an endpoint, then the table has a rule for it (token introspection aside)', async () => {
    const sandbox = await startSandbox({ seed: 1 });
    try {
      const unruled = sandbox.endpoints
        .map((e) => e.split(' ') as [string, string])
        .filter(([, template]) => template !== '/oauth/v2/private-apps/get/access-token-info')
        .filter(([method, template]) => requiredScopes(method, template.replace(/\{(\w*[oO]bjectType)\}/g, 'contacts').replace(/\{\w+\}/g, 'x')) === undefined);
      expect(unruled).toEqual([]);
      expect(sandbox.endpoints.length).toBeGreaterThan(30);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('scope enforcement over HTTP', () => {
  let sandbox: Sandbox;
  const other = { accessToken: 'pat-na1-other-app', appId: 3_200_002 };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, contacts: 200, otherApps: [other] });
  });
  afterAll(() => sandbox.stop());

  it('when a scope is removed from the token, then the next call needing it is a 403 MISSING_SCOPES naming it, calls not needing it go on, and restoring it heals', async () => {
    const client = sdk(sandbox);
    const deal = [...sandbox.portal.all('deals')][0]!;
    sandbox.scopes.splice(sandbox.scopes.indexOf('crm.objects.deals.write'), 1);
    try {
      const refused = await rejection(client.crm.deals.batchApi.update({ inputs: [{ id: deal.id, properties: { dealname: 'Renamed' } }] }));
      expect(refused.code).toBe(403);
      expect(refused.body).toMatchObject({
        status: 'error',
        category: 'MISSING_SCOPES',
        message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        correlationId: expect.any(String),
        errors: [{ message: 'All of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.write'] } }],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      });
      expect(refused.headers['x-hubspot-correlation-id']).toBe((refused.body as { correlationId: string }).correlationId);
      expect(sandbox.portal.get('deals', deal.id)!.properties.dealname).not.toBe('Renamed');
      // Reading deals needs the read scope only; another app's token keeps its own scopes.
      await expect(client.crm.deals.batchApi.read({ inputs: [{ id: deal.id }], properties: ['dealname'], propertiesWithHistory: [] })).resolves.toBeDefined();
      await expect(sdk(sandbox, other.accessToken).crm.deals.batchApi.update({ inputs: [{ id: deal.id, properties: { dealname: 'By the other app' } }] })).resolves.toBeDefined();
      expect(sandbox.requests.list('POST /crm/v3/objects/deals/batch/update').map((e) => e.status)).toEqual([403, 200]);
    } finally {
      sandbox.scopes.push('crm.objects.deals.write');
    }
    await expect(client.crm.deals.batchApi.update({ inputs: [{ id: deal.id, properties: { dealname: 'Renamed' } }] })).resolves.toBeDefined();
    expect(sandbox.portal.get('deals', deal.id)!.properties.dealname).toBe('Renamed');
  });

  it('when every alternative of a call is missing, then the 403 lists them all as "one or more"', async () => {
    const removed = ['crm.schemas.contacts.read', 'crm.objects.contacts.read', 'crm.objects.contacts.write'];
    for (const s of removed) sandbox.scopes.splice(sandbox.scopes.indexOf(s), 1);
    try {
      const refused = await rejection(sdk(sandbox).crm.properties.coreApi.getAll('contacts'));
      expect(refused.code).toBe(403);
      expect((refused.body as { errors: unknown[] }).errors).toEqual([{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: removed } }]);
      // With one alternative back, the call is allowed.
      sandbox.scopes.push('crm.objects.contacts.write');
      await expect(sdk(sandbox).crm.properties.coreApi.getAll('contacts')).resolves.toBeDefined();
    } finally {
      for (const s of removed) if (!sandbox.scopes.includes(s)) sandbox.scopes.push(s);
    }
    expect([...sandbox.scopes].sort()).toEqual([...SANDBOX_DEFAULT_SCOPES].sort());
  });
});

import type { Client } from '@hubspot/api-client';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { API_VERSIONS, everyTestRuns, ERROR_STATUS, conformanceProblems, rawCall, sdk, uncovered, versionAllowances, versionPaths, type ApiVersion, type ModelGroup } from './helpers';

/**
 * The contract suite over raw HTTP, once per API version (legacy v3, 2026-03, 2026-09): objects, batch,
 * search, properties, pipelines, owners and account info on each version's own paths, every answer
 * checked against the SDK's models, and each documented difference between the versions checked where
 * it applies and where it must not. Associations are in versions-associations.test.ts.
 */
let sandbox: Sandbox;
let client: Client;
const answered = new Set<string>();

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 21, contacts: 60, rateLimit: { enabled: false } });
  client = sdk(sandbox);
  sandbox.requests.onRequest((entry) => {
    if (entry.status >= 200 && entry.status < 300) answered.add(entry.endpoint);
  });
});
afterAll(() => sandbox.stop());

function expectConforms(body: unknown, group: ModelGroup, model: string, version: ApiVersion): void {
  expect(conformanceProblems(body, group, model, versionAllowances(version))).toEqual([]);
}

const MISSING_MEMBERS = /^Invalid input JSON on line 1, column 2: Cannot build \w+, some of required attributes are not set \[(.+)\]$/;

describe.each(API_VERSIONS)('objects, batch and search on %s', (version) => {
  const p = versionPaths(version);
  const onlyOn2026_09 = version === '2026-09';
  let seq = 0;
  const email = (): string => `v${version.replace('-', '')}-${(seq += 1)}@versions.example`;

  it("when a page is listed, then it has HubSpot's shape and its paging link stays on this version's path", async () => {
    const page = await rawCall(client, 'GET', `${p.objects}/contacts?limit=3&properties=email`);
    expect(page.status).toBe(200);
    expectConforms(page.body, 'contacts', 'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging', version);
    expect(page.body.paging.next.link).toContain(`${p.objects}/contacts?after=${page.body.paging.next.after}`);
    expect(sandbox.calls.count(`GET ${p.objects}/contacts`)).toBeGreaterThan(0);
  });

  it('when a contact is created, read, updated, merged and archived, then each answer conforms, unset values are null and no warnings come', async () => {
    const created = await rawCall(client, 'POST', `${p.objects}/contacts`, { properties: { email: email() }, associations: [] });
    expect(created.status).toBe(201);
    expectConforms(created.body, 'contacts', 'SimplePublicObject', version);
    // 2026-09 dropped `warnings` from SimplePublicObject; the sandbox sends none on any version.
    expect(created.body).not.toHaveProperty('warnings');

    const read = await rawCall(client, 'GET', `${p.objects}/contacts/${created.body.id}?properties=email,jobtitle`);
    expect(read.status).toBe(200);
    expect(read.body.properties.jobtitle).toBeNull();
    expectConforms(read.body, 'contacts', 'SimplePublicObjectWithAssociations', version);

    const updated = await rawCall(client, 'PATCH', `${p.objects}/contacts/${created.body.id}`, { properties: { jobtitle: 'CTO' } });
    expect(updated.status).toBe(200);
    expect(updated.body.properties.jobtitle).toBe('CTO');

    const other = await rawCall(client, 'POST', `${p.objects}/contacts`, { properties: { email: email(), lastname: 'Merged' }, associations: [] });
    const merged = await rawCall(client, 'POST', `${p.objects}/contacts/merge`, { primaryObjectId: created.body.id, objectIdToMerge: other.body.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: created.body.id, properties: { lastname: 'Merged' } });

    expect((await rawCall(client, 'DELETE', `${p.objects}/contacts/${created.body.id}`)).status).toBe(204);
    const gone = await rawCall(client, 'GET', `${p.objects}/contacts/${created.body.id}`);
    expect(gone.status).toBe(404);
    expect(conformanceProblems(gone.body, 'contacts', 'ModelError', ERROR_STATUS)).toEqual([]);
  });

  it(`when a create leaves out associations, then ${onlyOn2026_09 ? "it is a 400 naming the member, as 2026-09's spec requires it" : 'it is created'}`, async () => {
    const single = await rawCall(client, 'POST', `${p.objects}/contacts`, { properties: { email: email() } });
    const batch = await rawCall(client, 'POST', `${p.objects}/contacts/batch/create`, { inputs: [{ properties: { email: email() } }] });
    if (onlyOn2026_09) {
      for (const answer of [single, batch]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
        expect(MISSING_MEMBERS.exec(answer.body.message)?.[1]).toBe('associations');
      }
    } else {
      expect([single.status, batch.status]).toEqual([201, 201]);
    }
  });

  it.each([
    ['properties', { propertiesWithHistory: [] }],
    ['propertiesWithHistory', { properties: ['email'] }],
    ['properties, propertiesWithHistory', {}],
  ])(`when a batch read leaves out %s, then ${onlyOn2026_09 ? 'it is a 400 naming them' : 'it reads'}`, async (members, rest) => {
    const ids = [...sandbox.portal.all('contacts')].slice(0, 2).map((c) => ({ id: c.id }));
    const answer = await rawCall(client, 'POST', `${p.objects}/contacts/batch/read`, { inputs: ids, ...rest });
    if (onlyOn2026_09) {
      expect(answer.status).toBe(400);
      expect(MISSING_MEMBERS.exec(answer.body.message)?.[1]).toBe(members);
    } else {
      expect(answer.status).toBe(200);
      expect(answer.body.results).toHaveLength(2);
    }
  });

  it('when contacts are batch created, read, updated, upserted and archived, then each answers with its documented status and envelope', async () => {
    const created = await rawCall(client, 'POST', `${p.objects}/contacts/batch/create`, { inputs: [{ properties: { email: email() }, associations: [] }] });
    expect(created.status).toBe(201);
    expectConforms(created.body, 'contacts', 'BatchResponseSimplePublicObject', version);
    const id = created.body.results[0].id as string;
    const read = await rawCall(client, 'POST', `${p.objects}/contacts/batch/read`, { inputs: [{ id }], properties: ['email'], propertiesWithHistory: [] });
    expect(read.status).toBe(200);
    expectConforms(read.body, 'contacts', 'BatchResponseSimplePublicObject', version);
    const updated = await rawCall(client, 'POST', `${p.objects}/contacts/batch/update`, { inputs: [{ id, properties: { firstname: 'Batch' } }] });
    expect([updated.status, updated.body.results[0].properties.firstname]).toEqual([200, 'Batch']);
    const upserted = await rawCall(client, 'POST', `${p.objects}/contacts/batch/upsert`, { inputs: [{ id: email(), idProperty: 'email', properties: { firstname: 'Up' } }] });
    expect([upserted.status, upserted.body.results[0].new]).toEqual([200, true]);
    expectConforms(upserted.body, 'contacts', 'BatchResponseSimplePublicUpsertObject', version);
    expect((await rawCall(client, 'POST', `${p.objects}/contacts/batch/archive`, { inputs: [{ id }] })).status).toBe(204);
  });

  it(`when a batch read names a missing id, then the answer carries errors and numErrors with ${onlyOn2026_09 ? '200 (the 2026-09 spec has no 207), or 207 when told' : '207 Multi-Status'}`, async () => {
    const known = [...sandbox.portal.all('contacts')][0]?.id as string;
    const body = { inputs: [{ id: known }, { id: '1' }], properties: ['email'], propertiesWithHistory: [] };
    const answer = await rawCall(client, 'POST', `${p.objects}/contacts/batch/read`, body);
    expect(answer.status).toBe(onlyOn2026_09 ? 200 : 207);
    expect(answer.body).toMatchObject({ numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['1'] } }] });
    expectConforms(answer.body, 'contacts', 'BatchResponseSimplePublicObjectWithErrors', version);
    sandbox.behaviour.partialFailureStatus = 207;
    try {
      expect((await rawCall(client, 'POST', `${p.objects}/contacts/batch/read`, body)).status).toBe(207);
    } finally {
      sandbox.behaviour.partialFailureStatus = 200;
    }
  });

  it('when searching, then results come with total and a paging link on this path; 10 filters in a group and 25 in all pass, 26 do not', async () => {
    const filter = { propertyName: 'email', operator: 'HAS_PROPERTY' };
    const groups = (...sizes: number[]): Array<{ filters: Array<typeof filter> }> => sizes.map((n) => ({ filters: Array.from({ length: n }, () => filter) }));
    const found = await rawCall(client, 'POST', `${p.objects}/contacts/search`, { filterGroups: groups(10), properties: ['email'], limit: 2, after: '0', sorts: [] });
    expect(found.status).toBe(200);
    expectConforms(found.body, 'contacts', 'CollectionResponseWithTotalSimplePublicObjectForwardPaging', version);
    expect(found.body.paging.next.link).toContain(`${p.objects}/contacts/search?after=`);
    expect((await rawCall(client, 'POST', `${p.objects}/contacts/search`, { filterGroups: groups(5, 5, 5, 5, 5), limit: 1 })).status).toBe(200);
    expect((await rawCall(client, 'POST', `${p.objects}/contacts/search`, { filterGroups: groups(10, 10, 6), limit: 1 })).status).toBe(400);
    expect((await rawCall(client, 'POST', `${p.objects}/contacts/search`, { limit: 201 })).status).toBe(400);
  });
});

describe.each(API_VERSIONS)('properties and groups on %s', (version) => {
  const p = versionPaths(version);
  const dated = version !== 'legacy';
  const group = `uld_${version.replace('-', '_')}`;
  const name = `${group}_grade`;
  const option = (value: string, displayOrder?: number): Record<string, unknown> => ({ label: value, value, hidden: false, ...(displayOrder !== undefined ? { displayOrder } : {}) });

  it('when properties are listed and read, then they conform', async () => {
    const all = await rawCall(client, 'GET', `${p.properties}/contacts`);
    expect(all.status).toBe(200);
    expectConforms(all.body, 'properties', 'CollectionResponsePropertyNoPaging', version);
    const one = await rawCall(client, 'GET', `${p.properties}/deals/dealstage`);
    expectConforms(one.body, 'properties', 'Property', version);
  });

  it(`when options leave out displayOrder, then ${dated ? 'create and update are 400s naming it (OptionInput requires it from 2026-03)' : 'they are accepted, as v3 required only label, value and hidden'}`, async () => {
    const made = await rawCall(client, 'POST', `${p.properties}/contacts/groups`, { name: group, label: 'ULD', displayOrder: 1 });
    expect(made.status).toBe(201);
    expectConforms(made.body, 'properties', 'PropertyGroup', version);
    const input = { name, label: 'Grade', type: 'enumeration', fieldType: 'select', groupName: group };
    const without = await rawCall(client, 'POST', `${p.properties}/contacts`, { ...input, options: [option('A'), option('B', 1)] });
    if (dated) {
      expect(without.status).toBe(400);
      expect(MISSING_MEMBERS.exec(without.body.message)?.[1]).toBe('displayOrder');
      const created = await rawCall(client, 'POST', `${p.properties}/contacts`, { ...input, options: [option('A', 0), option('B', 1)] });
      expect(created.status).toBe(201);
    } else {
      expect(without.status).toBe(201);
    }
    const patchWithout = await rawCall(client, 'PATCH', `${p.properties}/contacts/${name}`, { options: [option('A'), option('C')] });
    expect(patchWithout.status).toBe(dated ? 400 : 200);
    const patched = await rawCall(client, 'PATCH', `${p.properties}/contacts/${name}`, { options: [option('A', 0), option('C', 1)] });
    expect(patched.status).toBe(200);
    expect(patched.body.options.map((o: { value: string }) => o.value)).toEqual(['A', 'C']);
    expectConforms(patched.body, 'properties', 'Property', version);
  });

  it('when a group is read, listed, updated and archived with its property, then each answers', async () => {
    // A group and property of its own (the test above makes and keeps its own): the tests run in any order.
    const own = `${group}_life`;
    const property = `${own}_grade`;
    expect((await rawCall(client, 'POST', `${p.properties}/contacts/groups`, { name: own, label: 'ULD', displayOrder: 1 })).status).toBe(201);
    expect((await rawCall(client, 'POST', `${p.properties}/contacts`, { name: property, label: 'Grade', type: 'enumeration', fieldType: 'select', groupName: own, options: [option('A', 0)] })).status).toBe(201);
    expect((await rawCall(client, 'GET', `${p.properties}/contacts/groups/${own}`)).status).toBe(200);
    const groups = await rawCall(client, 'GET', `${p.properties}/contacts/groups`);
    expectConforms(groups.body, 'properties', 'CollectionResponsePropertyGroupNoPaging', version);
    expect((await rawCall(client, 'PATCH', `${p.properties}/contacts/groups/${own}`, { label: 'ULD!' })).body.label).toBe('ULD!');
    expect((await rawCall(client, 'DELETE', `${p.properties}/contacts/${property}`)).status).toBe(204);
    expect((await rawCall(client, 'DELETE', `${p.properties}/contacts/groups/${own}`)).status).toBe(204);
  });
});

describe.each(API_VERSIONS)('pipelines, owners and account info on %s', (version) => {
  const p = versionPaths(version);

  it('when deal pipelines and stages are read, then every stage carries writePermissions (required from 2026-03 on)', async () => {
    const all = await rawCall(client, 'GET', `${p.pipelines}/deals`);
    expectConforms(all.body, 'pipelines', 'CollectionResponsePipelineNoPaging', version);
    const one = await rawCall(client, 'GET', `${p.pipelines}/deals/default`);
    expectConforms(one.body, 'pipelines', 'Pipeline', version);
    const stages = await rawCall(client, 'GET', `${p.pipelines}/deals/default/stages`);
    expect(stages.status).toBe(200);
    for (const stage of [...one.body.stages, ...stages.body.results]) expect(['CRM_PERMISSIONS_ENFORCEMENT', 'INTERNAL_ONLY', 'READ_ONLY']).toContain(stage.writePermissions);
  });

  it("when owners are listed and one is read, then the paging link stays on this version's path", async () => {
    const page = await rawCall(client, 'GET', `${p.owners}?limit=2`);
    expectConforms(page.body, 'owners', 'CollectionResponsePublicOwnerForwardPaging', version);
    expect(page.body.paging.next.link).toContain(`${p.owners}/?after=`);
    const one = await rawCall(client, 'GET', `${p.owners}/${page.body.results[0].id}`);
    expectConforms(one.body, 'owners', 'PublicOwner', version);
  });

  it('when the account details are read, then they name the portal', async () => {
    const details = await rawCall(client, 'GET', `${p.accountInfo}/details`);
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({ portalId: sandbox.portalId, accountType: 'STANDARD', utcOffsetMilliseconds: expect.any(Number), dataHostingLocation: 'na1' });
  });
});

// Coverage: once every test above has run (jest runs them in a random order), every object, property,
// pipeline, owner and account endpoint of every version answered 2xx. A check of all the tests together, so
// it runs after them; a failure fails this file. Skipped when only some tests ran (-t, .only).
afterAll(() => {
  if (!everyTestRuns()) return;
  const missing = uncovered(sandbox, answered, (endpoint) => !/\/associations(\/|$)/.test(endpoint) && !endpoint.includes('/oauth/'));
  expect(missing).toEqual([]);
  for (const version of API_VERSIONS) expect(sandbox.endpoints.filter((e) => e.includes(versionPaths(version).objects)).length).toBeGreaterThan(10);
});

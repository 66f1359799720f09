import nock from 'nock';
import { ConfigError, loadConfig } from '../../src/config';
import { API_VERSIONS, apiPaths, createGateway, pathGeneration, supportStatus, type ApiVersion } from '../../src/hubspot';

/**
 * The shapes each API version asks for and answers with, at the adapter: which path every call takes,
 * the bodies 2026-09 requires, its answers (no object type ids on association types, batch errors in a
 * 200), per-input association paging, and when each version's support ends.
 */
const BASE = 'http://hubspot.test';
const gatewayOn = (apiVersion: ApiVersion) => createGateway({ accessToken: 'pat-na1-test', baseUrl: BASE, apiVersion, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 1_000 });
const json = { 'Content-Type': 'application/json' };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
// nock patches Node's http module for the whole worker process on import: undo it, or the next test file in
// this worker sends its real requests through this file's (by then deleted) interceptor.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('paths', () => {
  it.each([
    ['2026-09', 'POST /crm/objects/2026-09/contacts/batch/read', 'POST /crm/associations/2026-09/companies/contacts/batch/read', 'GET /crm/properties/2026-09/deals', 'GET /crm/pipelines/2026-09/deals'],
    ['2026-03', 'POST /crm/objects/2026-03/contacts/batch/read', 'POST /crm/associations/2026-03/companies/contacts/batch/read', 'GET /crm/properties/2026-03/deals', 'GET /crm/pipelines/2026-03/deals'],
    ['legacy', 'POST /crm/v3/objects/contacts/batch/read', 'POST /crm/v4/associations/companies/contacts/batch/read', 'GET /crm/v3/properties/deals', 'GET /crm/v3/pipelines/deals'],
  ] as const)('on %s, then the gateway calls %s, %s, %s and %s', async (version, read, associations, properties, pipelines) => {
    const gateway = gatewayOn(version);
    const seen: string[] = [];
    const record = (method: string) =>
      function (this: unknown, uri: string) {
        seen.push(`${method} ${uri.split('?')[0]}`);
        return method === 'GET' ? { results: [] } : { status: 'COMPLETE', results: [] };
      };
    nock(BASE).post(/.*/).times(2).query(true).reply(200, record('POST'), json).get(/.*/).times(2).query(true).reply(200, record('GET'), json);
    await gateway.read('contacts', ['1'], ['email']);
    await gateway.associations('companies', 'contacts', ['2']);
    await gateway.listProperties('deals');
    await gateway.dealPipelines();
    expect(seen).toEqual([read, associations, properties, pipelines]);
    gateway.close();
  });

  it.each([
    ['/crm/v3/objects/contacts/batch/read', 'legacy'],
    ['/crm/v4/associations/contacts/companies/batch/read', 'legacy'],
    ['/account-info/v3/details', 'legacy'],
    ['/properties/v1/contacts/properties', 'legacy'],
    ['/contacts/v1/lists', 'legacy'],
    ['/crm/objects/2026-09/contacts?limit=10', 'dated'],
    ['/crm/associations/2026-03/deals/contacts/batch/read', 'dated'],
    ['/account-info/2026-09/details', 'dated'],
    ['/crm/objects/2026-09-beta/leads', 'dated'],
    ['/oauth/v2/private-apps/get/access-token-info', 'other'],
  ] as const)('when %s is classified, then it is %s', (path, generation) => {
    expect(pathGeneration(path)).toBe(generation);
  });
});

describe('request shapes', () => {
  it.each(API_VERSIONS)('on %s, a batch read sends properties and propertiesWithHistory even when empty, and a create sends associations: []', async (version) => {
    const P = apiPaths(version);
    const bodies: unknown[] = [];
    nock(BASE)
      .post(P.batch('contacts', 'read'), (body) => bodies.push(body) > 0).query({ archived: 'false' })
      .reply(200, { status: 'COMPLETE', results: [{ id: '1', properties: { email: null } }] }, json)
      .post(P.batch('notes', 'create'), (body) => bodies.push(body) > 0)
      .reply(201, { status: 'COMPLETE', results: [{ id: '9', objectWriteTraceId: '0', properties: {} }] }, json);
    const gateway = gatewayOn(version);
    const read = await gateway.read('contacts', ['1'], []);
    // 2026-09 types property values as nullable strings: null stays null.
    expect(read.records).toEqual([{ id: '1', properties: { email: null } }]);
    expect(await gateway.create('notes', [{ properties: { hs_note_body: 'x' } }])).toEqual(['9']);
    expect(bodies).toEqual([
      { inputs: [{ id: '1' }], properties: [], propertiesWithHistory: [] },
      { inputs: [{ properties: { hs_note_body: 'x' }, objectWriteTraceId: '0', associations: [] }] },
    ]);
    gateway.close();
  });

  it.each(API_VERSIONS)('on %s, property options always carry displayOrder (required from 2026-03 on)', async (version) => {
    const P = apiPaths(version);
    const bodies: unknown[] = [];
    nock(BASE)
      .post(P.properties('contacts'), (body) => bodies.push(body) > 0)
      .reply(201, {}, json)
      .patch(P.property('contacts', 'uld_status'), (body) => bodies.push(body) > 0)
      .reply(200, {}, json);
    const gateway = gatewayOn(version);
    const options = [{ label: 'Lead', value: 'lead' }, { label: 'Customer', value: 'customer', displayOrder: 7 }];
    await gateway.createProperty('contacts', { name: 'uld_status', label: 'Status', type: 'enumeration', fieldType: 'select', groupName: 'uld', options });
    await gateway.updateProperty('contacts', 'uld_status', { options });
    const sent = [
      { label: 'Lead', value: 'lead', displayOrder: 0, hidden: false },
      { label: 'Customer', value: 'customer', displayOrder: 7, hidden: false },
    ];
    expect(bodies).toEqual([expect.objectContaining({ options: sent }), { options: sent }]);
    gateway.close();
  });
});

describe('answer shapes', () => {
  it('when a 2026-09 batch update answers 200 with errors and numErrors, then the failed record is rejected and the rest written', async () => {
    nock(BASE)
      .post('/crm/objects/2026-09/contacts/batch/update')
      .reply(
        200,
        {
          status: 'COMPLETE',
          results: [{ id: '1', properties: { uld_status: 'lead' } }],
          numErrors: 1,
          errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: 'The property values provided are invalid', context: { objectWriteTraceId: ['2'] }, errors: [{ message: 'A value for uld_reason must be provided', code: 'MISSING_REQUIRED_PROPERTY', context: { propertyName: ['uld_reason'] } }] }],
        },
        json,
      );
    const gateway = gatewayOn('2026-09');
    const result = await gateway.update('contacts', [
      { id: '1', properties: { uld_status: 'lead' } },
      { id: '2', properties: { uld_reason: '' } },
    ]);
    expect(result).toEqual({ written: ['1'], missing: [], rejected: [{ id: '2', properties: ['uld_reason'], error: 'uld_reason: A value for uld_reason must be provided' }] });
    gateway.close();
  });

  it('when 2026-09 pipeline stages carry writePermissions and association types lack object type ids, then both read as before', async () => {
    nock(BASE)
      .get('/crm/pipelines/2026-09/deals')
      .reply(200, { results: [{ id: 'p', label: 'Sales', displayOrder: 0, stages: [{ id: 'won', label: 'Won', displayOrder: 1, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT', metadata: { isClosed: 'true', probability: '1.0' } }] }] }, json)
      .post('/crm/associations/2026-09/contacts/companies/batch/read')
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '1' }, to: [{ toObjectId: '5', associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' }] }] }] }, json);
    const gateway = gatewayOn('2026-09');
    expect(await gateway.dealPipelines()).toEqual([{ id: 'p', label: 'Sales', stages: [{ id: 'won', label: 'Won', displayOrder: 1, isClosed: true, probability: 1 }] }]);
    expect([...(await gateway.associations('contacts', 'companies', ['1'])).entries()]).toEqual([['1', [{ id: '5', typeIds: [1] }]]]);
    gateway.close();
  });

  it('when a 404 without HubSpot body answers an unknown version path, then a ConfigurationError names the setting to check', async () => {
    nock(BASE).post('/crm/objects/2026-09/contacts/batch/read').query(true).reply(404, '');
    const gateway = gatewayOn('2026-09');
    await expect(gateway.read('contacts', ['1'], [])).rejects.toMatchObject({ name: 'ConfigurationError', status: 404, message: expect.stringMatching(/HUBSPOT_API_VERSION/) });
    gateway.close();
  });
});

describe('association paging', () => {
  it.each(API_VERSIONS)('on %s, inputs with more pages are asked again with their own after until none is left', async (version) => {
    const path = apiPaths(version).associationsBatchRead('companies', 'contacts');
    const asked: unknown[] = [];
    const target = (id: number) => ({ toObjectId: id, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280 }] });
    nock(BASE)
      .post(path, (body) => asked.push(body) > 0)
      .reply(200, {
        status: 'COMPLETE',
        results: [
          { from: { id: '1' }, to: [target(10), target(11)], paging: { next: { after: 'a1' } } },
          { from: { id: '2' }, to: [target(20)] },
        ],
        // Company 3 has no contacts: HubSpot's per-input "none" answer.
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', message: 'No contact is associated with company 3.' }],
      }, json)
      .post(path, (body) => asked.push(body) > 0)
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '1' }, to: [target(12)], paging: { next: { after: 'a2' } } }] }, json)
      .post(path, (body) => asked.push(body) > 0)
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '1' }, to: [target(13)] }] }, json);
    const gateway = gatewayOn(version);
    const links = await gateway.associations('companies', 'contacts', ['1', '2', '3']);
    expect(links.get('1')?.map((l) => l.id)).toEqual(['10', '11', '12', '13']);
    expect(links.get('2')?.map((l) => l.id)).toEqual(['20']);
    expect(links.get('3')).toEqual([]);
    expect(asked).toEqual([{ inputs: [{ id: '1' }, { id: '2' }, { id: '3' }] }, { inputs: [{ id: '1', after: 'a1' }] }, { inputs: [{ id: '1', after: 'a2' }] }]);
    expect(gateway.calls()).toEqual({ 'associations.companies.contacts.batch.read': 3 });
    gateway.close();
  });

  it('when HubSpot hands out the same cursor twice, then the read stops with an error instead of looping', async () => {
    const again = { status: 'COMPLETE', results: [{ from: { id: '1' }, to: [{ toObjectId: 10, associationTypes: [] }], paging: { next: { after: 'same' } } }] };
    nock(BASE).post('/crm/associations/2026-09/companies/contacts/batch/read').times(3).reply(200, again, json);
    const gateway = gatewayOn('2026-09');
    await expect(gateway.associations('companies', 'contacts', ['1'])).rejects.toThrow(/repeated the association page cursor same/);
    expect(gateway.calls()['associations.companies.contacts.batch.read']).toBe(2);
    gateway.close();
  });
});

describe('HUBSPOT_API_VERSION', () => {
  it('when unset, then 2026-09; when set, then that version', () => {
    expect(loadConfig({}).hubspot.apiVersion).toBe('2026-09');
    for (const version of API_VERSIONS) expect(loadConfig({ HUBSPOT_API_VERSION: version }).hubspot.apiVersion).toBe(version);
  });

  it.each(['2025-09', 'v3', 'latest'])('when set to %s, then one line names the variable and the versions it takes', (value) => {
    let error: unknown;
    try {
      loadConfig({ HUBSPOT_API_VERSION: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n').filter((l) => l.includes('HUBSPOT_API_VERSION'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`HUBSPOT_API_VERSION: expected one of 2026-09, 2026-03, legacy, found "${value}"$`));
  });
});

describe('end of support', () => {
  it.each([
    ['legacy', '2026-09-29', 'supported'],
    ['legacy', '2026-09-30', 'ending'],
    ['legacy', '2026-12-05', 'ending'],
    ['legacy', '2027-03-30', 'ended'],
    ['2026-03', '2027-03-29', 'supported'],
    ['2026-03', '2027-03-30', 'ending'],
    ['2026-03', '2027-09-30', 'ended'],
    ['2026-09', '2026-12-05', 'supported'],
    ['2026-09', '2027-09-07', 'supported'],
    ['2026-09', '2027-09-08', 'ending'],
    ['2026-09', '2028-03-08', 'ended'],
  ] as const)('on %s at %s, then %s', (version, day, state) => {
    expect(supportStatus(version, Date.parse(`${day}T00:00:00Z`)).state).toBe(state);
  });
});

import type { Client } from '@hubspot/api-client';
import { ASSOCIATION_KINDS, startSandbox, type Sandbox } from '../../src/sandbox';
import { API_VERSIONS, everyTestRuns, V4_NUMERIC_IDS, conformanceProblems, rawCall, sdk, uncovered, versionAllowances, versionPaths, type ApiVersion, type ModelGroup } from './helpers';

/**
 * Associations once per API version (v4, 2026-03, 2026-09) over raw HTTP: per-input paging of batch
 * reads, the shape of association types, the statuses that changed, labels, one record's associations
 * (gone from 2026-09), and the 404 for paths and versions HubSpot does not have.
 */
let sandbox: Sandbox;
let client: Client;
const answered = new Set<string>();
const source = { sourceType: 'CRM_UI', sourceId: 'test' } as const;
/** A company with 1,500 contacts and one with 3. */
let big: string;
let small: string;
let bigContacts: string[];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 22, contacts: 0, rateLimit: { enabled: false } });
  client = sdk(sandbox);
  sandbox.requests.onRequest((entry) => {
    if (entry.status >= 200 && entry.status < 300) answered.add(entry.endpoint);
  });
  const { portal } = sandbox;
  const unlabeled = ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.typeId === 279);
  if (!unlabeled) throw new Error('contact_to_company_unlabeled (279) is missing');
  big = portal.create('companies', { name: 'Big Co', domain: 'big.example' }, source).id;
  small = portal.create('companies', { name: 'Small Co', domain: 'small.example' }, source).id;
  bigContacts = Array.from({ length: 1_500 }, (_, i) => portal.create('contacts', { email: `c${i}@big.example` }, source).id);
  for (const id of bigContacts) portal.associate('contacts', id, 'companies', big, unlabeled, source);
  for (let i = 0; i < 3; i += 1) portal.associate('contacts', portal.create('contacts', { email: `c${i}@small.example` }, source).id, 'companies', small, unlabeled, source);
});
afterAll(() => sandbox.stop());

function expectConforms(body: unknown, group: ModelGroup, model: string, version: ApiVersion): void {
  expect(conformanceProblems(body, group, model, [...V4_NUMERIC_IDS, ...versionAllowances(version)])).toEqual([]);
}

interface ReadResult {
  from: { id: string };
  to: Array<{ toObjectId: number; associationTypes: Array<Record<string, unknown>> }>;
  paging?: { next: { after: string } };
}

describe.each(API_VERSIONS)('associations on %s', (version) => {
  const p = versionPaths(version);
  const withTypeIds = version === '2026-03';
  const partialStatus = version === '2026-09' ? 200 : 207;

  it('when a company with 1,500 contacts is read in a batch, then it pages per input (500 a page) until every contact came, and the small one needs no paging', async () => {
    const endpoint = `POST ${p.associations}/companies/contacts/batch/read`;
    const before = sandbox.calls.count(endpoint);
    const first = await rawCall(client, 'POST', `${p.associations}/companies/contacts/batch/read`, { inputs: [{ id: big }, { id: small }] });
    expect(first.status).toBe(200);
    expectConforms(first.body, 'associations/v4', 'BatchResponsePublicAssociationMultiWithLabel', version);
    const results = first.body.results as ReadResult[];
    const bigResult = results.find((r) => r.from.id === big) as ReadResult;
    const smallResult = results.find((r) => r.from.id === small) as ReadResult;
    expect(smallResult.to).toHaveLength(3);
    expect(smallResult).not.toHaveProperty('paging');
    expect(bigResult.to).toHaveLength(500);

    const seen = bigResult.to.map((t) => String(t.toObjectId));
    let after = bigResult.paging?.next.after;
    while (after !== undefined) {
      const page = await rawCall(client, 'POST', `${p.associations}/companies/contacts/batch/read`, { inputs: [{ id: big, after }] });
      const result = page.body.results[0] as ReadResult;
      seen.push(...result.to.map((t) => String(t.toObjectId)));
      after = result.paging?.next.after;
    }
    expect(new Set(seen).size).toBe(1_500);
    expect([...seen].sort()).toEqual([...bigContacts].sort());
    // The version is part of the endpoint key; three calls were needed.
    expect(sandbox.calls.count(endpoint) - before).toBe(3);
  });

  it(`when association types are read, then they ${withTypeIds ? 'carry' : 'do not carry'} fromObjectTypeId and toObjectTypeId`, async () => {
    const read = await rawCall(client, 'POST', `${p.associations}/contacts/companies/batch/read`, { inputs: [{ id: bigContacts[0] }] });
    const labels = await rawCall(client, 'GET', `${p.associations}/contacts/companies/labels`);
    expect(labels.status).toBe(200);
    expectConforms(labels.body, 'associations/v4/schema', 'CollectionResponseAssociationSpecWithLabelNoPaging', version);
    const types = [...(read.body.results as ReadResult[])[0]!.to[0]!.associationTypes, ...(labels.body.results as Array<Record<string, unknown>>)];
    expect(types.length).toBeGreaterThan(2);
    for (const type of types) {
      if (withTypeIds) expect(type).toMatchObject({ fromObjectTypeId: '0-1', toObjectTypeId: '0-2' });
      else expect(Object.keys(type).sort()).toEqual(['category', 'label', 'typeId']);
    }
  });

  it(`when an input has no associations or a made-up cursor, then the read answers ${partialStatus} with NO_ASSOCIATIONS_FOUND, or 400`, async () => {
    const lonely = sandbox.portal.create('contacts', { email: `lonely-${version}@example.com` }, source).id;
    const answer = await rawCall(client, 'POST', `${p.associations}/contacts/companies/batch/read`, { inputs: [{ id: bigContacts[1] }, { id: lonely }] });
    expect(answer.status).toBe(partialStatus);
    expect(answer.body).toMatchObject({ numErrors: 1, errors: [{ subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', context: { fromObjectId: [lonely] } }] });
    const bad = await rawCall(client, 'POST', `${p.associations}/companies/contacts/batch/read`, { inputs: [{ id: big, after: 'not-a-cursor' }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ category: 'VALIDATION_ERROR' });
  });

  it('when associations are created, defaulted, relabelled and archived in batch, then each answers with its version\'s status', async () => {
    const deal = sandbox.portal.create('deals', { dealname: `Deal ${version}`, dealstage: 'appointmentscheduled' }, source).id;
    const contact = bigContacts[2] as string;
    const created = await rawCall(client, 'POST', `${p.associations}/deals/contacts/batch/create`, {
      inputs: [{ from: { id: deal }, to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] }],
    });
    // The 2026-09 spec lists only 200 for this create; v4 and 2026-03 answer 201.
    expect(created.status).toBe(version === '2026-09' ? 200 : 201);
    expectConforms(created.body, 'associations/v4', 'BatchResponseLabelsBetweenObjectPair', version);

    const defaulted = await rawCall(client, 'POST', `${p.associations}/contacts/companies/batch/associate/default`, { inputs: [{ from: { id: contact }, to: { id: small } }] });
    expect(defaulted.status).toBe(200);
    expectConforms(defaulted.body, 'associations/v4', 'BatchResponsePublicDefaultAssociation', version);

    // An archive answers 204 with no body in v4, 200 with a batch envelope from 2026-03 on.
    const archivedStatus = version === 'legacy' ? 204 : 200;
    await rawCall(client, 'PUT', `${p.recordAssociations}/contacts/${contact}/associations/companies/${small}`, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }]);
    const unlabelled = await rawCall(client, 'POST', `${p.associations}/contacts/companies/batch/labels/archive`, {
      inputs: [{ from: { id: contact }, to: { id: small }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] }],
    });
    expect(unlabelled.status).toBe(archivedStatus);
    expect(sandbox.portal.associations.list('contacts', contact, 'companies').find((t) => t.toId === small)?.kinds.map((k) => k.typeId)).toEqual([279]);
    const archived = await rawCall(client, 'POST', `${p.associations}/deals/contacts/batch/archive`, { inputs: [{ from: { id: deal }, to: [{ id: contact }] }] });
    expect(archived.status).toBe(archivedStatus);
    if (version === 'legacy') expect(archived.body).toBeUndefined();
    else expect(archived.body).toMatchObject({ status: 'COMPLETE', results: [], startedAt: expect.any(String), completedAt: expect.any(String) });
    expect(sandbox.portal.associations.list('deals', deal, 'contacts')).toEqual([]);
    await rawCall(client, 'DELETE', `${p.recordAssociations}/contacts/${contact}/associations/companies/${small}`);
  });

  it(`when one record's associations are written and read, then the single-pair writes answer and the read is ${version === '2026-09' ? "a 404 (not in 2026-09's spec)" : 'paged'}`, async () => {
    const contact = bigContacts[3] as string;
    const defaulted = await rawCall(client, 'PUT', `${p.recordAssociations}/contacts/${contact}/associations/default/companies/${small}`);
    expect(defaulted.status).toBe(200);
    const labelled = await rawCall(client, 'PUT', `${p.recordAssociations}/contacts/${contact}/associations/companies/${small}`, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }]);
    expect(labelled.status).toBe(201);
    expectConforms(labelled.body, 'associations/v4', 'LabelsBetweenObjectPair', version);
    const read = await rawCall(client, 'GET', `${p.recordAssociations}/companies/${big}/associations/contacts?limit=100`);
    if (version === '2026-09') {
      expect(read.status).toBe(404);
      expect(read.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', correlationId: expect.any(String) });
    } else {
      expect(read.status).toBe(200);
      expect(read.body.results).toHaveLength(100);
      expect(read.body.paging.next.after).toEqual(expect.any(String));
      expectConforms(read.body, 'associations/v4', 'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging', version);
    }
    expect((await rawCall(client, 'DELETE', `${p.recordAssociations}/contacts/${contact}/associations/companies/${small}`)).status).toBe(204);
  });
});

describe('paths and versions HubSpot does not have', () => {
  it.each([
    ['GET', '/crm/objects/2025-01/contacts', '2025-01'],
    ['GET', '/crm/objects/v5/contacts', 'v5'],
    ['GET', '/crm/v5/objects/contacts', 'v5'],
    ['POST', '/crm/associations/2026-06/contacts/companies/batch/read', '2026-06'],
    ['GET', '/crm/owners/2027-03', '2027-03'],
    ['GET', '/crm/objects/2026-09/contacts/1/associations/companies', undefined],
    ['GET', '/crm/v3/objects/contacts/1/2/3', undefined],
  ])('when %s %s is called, then it is a 404 in HubSpot\'s error body marked X-HubSpot-NotFound', async (method, path, version) => {
    const answer = await rawCall(client, method, path, method === 'POST' ? { inputs: [] } : undefined);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ status: 'error', category: 'OBJECT_NOT_FOUND', message: expect.any(String), correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(answer.headers.get('x-hubspot-notfound')).toBe('true');
    if (version !== undefined) expect(answer.body.message).toContain(`API version ${version} is not served`);
    else expect(answer.body.message).toContain(`no endpoint ${method} ${path}`);
  });
});

// Coverage: once every test above has run (jest runs them in a random order), every association endpoint of
// every version answered 2xx. A check of all the tests together, so it runs after them; a failure fails this
// file. Skipped when only some tests ran (-t, .only).
afterAll(() => {
  if (!everyTestRuns()) return;
  expect(uncovered(sandbox, answered, (endpoint) => /\/associations(\/|$)/.test(endpoint))).toEqual([]);
});

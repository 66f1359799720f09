import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as V4Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import * as v4 from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import * as contacts from '@hubspot/api-client/lib/codegen/crm/contacts';
import * as owners from '@hubspot/api-client/lib/codegen/crm/owners';
import * as pipelines from '@hubspot/api-client/lib/codegen/crm/pipelines';
import * as properties from '@hubspot/api-client/lib/codegen/crm/properties';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties';
import type { Sandbox } from '../../src/sandbox';
import { V4_NUMERIC_IDS, contractSuite, everyTestRuns, expectInstance, rejection, uncovered } from './helpers';

/**
 * The contract suite, schema half: associations v4, properties and groups, pipelines and owners, driven
 * through the real @hubspot/api-client on the legacy paths, each raw answer checked against the SDK's
 * generated model. The objects half is contract.test.ts.
 */
let sandbox: Sandbox;
let client: Client;
/** `answered`: endpoint keys called successfully (2xx) through the SDK during this suite. */
const { answered, expectConforms } = contractSuite((s, c) => {
  sandbox = s;
  client = c;
});

describe('associations v4', () => {
  it('when associations are read in batch, then results carry type ids and labels and inputs without any are 207 NO_ASSOCIATIONS_FOUND', async () => {
    const withCompany = [...sandbox.portal.all('contacts')].find((c) => sandbox.portal.associations.primaryCompany('contacts', c.id));
    const lonely = await client.crm.contacts.basicApi.create({ properties: { email: 'lonely@nowhere.example' } });
    const response = await client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: [{ id: withCompany?.id as string }, { id: lonely.id }] });
    expectConforms('POST /crm/v4/associations/contacts/companies/batch/read', 'associations/v4', 'BatchResponsePublicAssociationMultiWithLabelWithErrors', V4_NUMERIC_IDS);
    expect(sandbox.requests.last('POST /crm/v4/associations/contacts/companies/batch/read')?.status).toBe(207);
    const withErrors = expectInstance(response, v4.BatchResponsePublicAssociationMultiWithLabelWithErrors);
    const result = response.results[0] as v4.PublicAssociationMultiWithLabel;
    expect(result._from.id).toBe(withCompany?.id);
    expect(result.to[0]?.associationTypes.map((t) => [t.typeId, t.label]).sort()).toEqual([
      [1, 'Primary'],
      [279, null],
    ]);
    expect(withErrors.numErrors).toBe(1);
    expect(withErrors.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', context: { fromObjectId: [lonely.id] } });
  });

  it('when associations are created, defaulted and archived, then both directions change with the mirrored type ids', async () => {
    const [deal] = (await client.crm.deals.basicApi.getPage(1)).results;
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'assoc@acme.example' } });
    const company = (await client.crm.companies.basicApi.getPage(1)).results[0] as contacts.SimplePublicObjectWithAssociations;
    const created = await client.crm.associations.v4.batchApi.create('deals', 'contacts', {
      inputs: [{ _from: { id: deal?.id as string }, to: { id: contact.id }, types: [{ associationCategory: V4Category.HubspotDefined, associationTypeId: 3 }] }],
    });
    expectConforms('POST /crm/v4/associations/deals/contacts/batch/create', 'associations/v4', 'BatchResponseLabelsBetweenObjectPair', V4_NUMERIC_IDS);
    expect(created.results[0]).toMatchObject({ fromObjectTypeId: '0-3', toObjectTypeId: '0-1' });
    const back = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: [{ id: contact.id }] });
    expect(back.results[0]?.to[0]?.associationTypes[0]?.typeId).toBe(4);

    const defaulted = await client.crm.associations.v4.batchApi.createDefault('contacts', 'companies', { inputs: [{ _from: { id: contact.id }, to: { id: company.id } }] });
    expectConforms('POST /crm/v4/associations/contacts/companies/batch/associate/default', 'associations/v4', 'BatchResponsePublicDefaultAssociation');
    expect(defaulted.results[0]?.associationSpec.associationTypeId).toBe(279);
    const primary = await client.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', company.id, [{ associationCategory: V4Category.HubspotDefined, associationTypeId: 1 }]);
    expectConforms('PUT /crm/v4/objects/contacts/{objectId}/associations/companies/{toObjectId}', 'associations/v4', 'LabelsBetweenObjectPair', V4_NUMERIC_IDS);
    expect(primary.labels).toEqual(['Primary']);
    const fromCompany = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: company.id }] });
    const mirror = fromCompany.results[0]?.to.find((t) => String(t.toObjectId) === contact.id);
    expect(mirror?.associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual([2, 280]);

    const labels = await client.crm.associations.v4.schema.definitionsApi.getAll('contacts', 'companies');
    expectConforms('GET /crm/v4/associations/contacts/companies/labels', 'associations/v4/schema', 'CollectionResponseAssociationSpecWithLabelNoPaging');
    expect(labels.results.map((l) => [l.typeId, l.label]).sort()).toEqual([
      [1, 'Primary'],
      [279, null],
    ]);
    // Removing the Primary label keeps the unlabeled association.
    await client.crm.associations.v4.batchApi.archiveLabels('contacts', 'companies', {
      inputs: [{ _from: { id: contact.id }, to: { id: company.id }, types: [{ associationCategory: V4Category.HubspotDefined, associationTypeId: 1 }] }],
    });
    expect(sandbox.requests.last('POST /crm/v4/associations/contacts/companies/batch/labels/archive')?.status).toBe(204);
    expect(sandbox.portal.associations.list('contacts', contact.id, 'companies').find((t) => t.toId === company.id)?.kinds.map((k) => k.typeId)).toEqual([279]);

    const ofContact = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    expectConforms('GET /crm/v4/objects/contacts/{objectId}/associations/companies', 'associations/v4', 'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging', V4_NUMERIC_IDS);
    expect(ofContact.results.map((r) => String(r.toObjectId))).toEqual([company.id]);

    await client.crm.associations.v4.batchApi.archive('contacts', 'companies', { inputs: [{ _from: { id: contact.id }, to: [{ id: company.id }] }] });
    expect(sandbox.portal.associations.list('contacts', contact.id, 'companies')).toEqual([]);
    await client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', company.id);
    expectConforms('PUT /crm/v4/objects/contacts/{fromObjectId}/associations/default/companies/{toObjectId}', 'associations/v4', 'BatchResponsePublicDefaultAssociation');
    await client.crm.associations.v4.basicApi.archive('contacts', contact.id, 'companies', company.id);
    expect(sandbox.portal.associations.list('companies', company.id, 'contacts').some((t) => t.toId === contact.id)).toBe(false);
  });
});

describe('properties and groups', () => {
  it('when properties are listed, then built-ins carry HubSpot types and enumeration options', async () => {
    const all = await client.crm.properties.coreApi.getAll('contacts');
    expectConforms('GET /crm/v3/properties/contacts', 'properties', 'CollectionResponsePropertyNoPaging');
    expect(all.results[0]).toBeInstanceOf(properties.Property);
    const source = all.results.find((p) => p.name === 'hs_analytics_source');
    expect(source?.options.map((o) => o.value)).toEqual(expect.arrayContaining(['ORGANIC_SEARCH', 'PAID_SOCIAL', 'OFFLINE']));
    const stage = await client.crm.properties.coreApi.getByName('deals', 'dealstage');
    expectConforms('GET /crm/v3/properties/deals/{propertyName}', 'properties', 'Property');
    expect(stage.options.map((o) => o.value)).toContain('closedwon');
    const owner = await client.crm.properties.coreApi.getByName('contacts', 'hubspot_owner_id');
    expect(owner.options.length).toBe(sandbox.portal.listOwners().length);
  });

  it('when a group and a property are created, updated and archived, then duplicates answer 409', async () => {
    const group = await client.crm.properties.groupsApi.create('contacts', { name: 'uld', label: 'Universal Lead Definition', displayOrder: 5 });
    expectConforms('POST /crm/v3/properties/contacts/groups', 'properties', 'PropertyGroup');
    expect(group).toBeInstanceOf(properties.PropertyGroup);
    expect((await rejection(client.crm.properties.groupsApi.create('contacts', { name: 'uld', label: 'again' }))).code).toBe(409);
    await client.crm.properties.groupsApi.update('contacts', 'uld', { label: 'ULD' });
    expect((await client.crm.properties.groupsApi.getByName('contacts', 'uld')).label).toBe('ULD');
    expectConforms('GET /crm/v3/properties/contacts/groups/{groupName}', 'properties', 'PropertyGroup');
    expect((await client.crm.properties.groupsApi.getAll('contacts')).results.map((g) => g.name)).toContain('uld');
    expectConforms('GET /crm/v3/properties/contacts/groups', 'properties', 'CollectionResponsePropertyGroupNoPaging');

    const created = await client.crm.properties.coreApi.create('contacts', {
      name: 'uld_lead_grade',
      label: 'Lead grade',
      type: PropertyCreateTypeEnum.Enumeration,
      fieldType: PropertyCreateFieldTypeEnum.Select,
      groupName: 'uld',
      options: [
        { label: 'A', value: 'A', hidden: false, displayOrder: 0 },
        { label: 'B', value: 'B', hidden: false, displayOrder: 1 },
      ],
    });
    expectConforms('POST /crm/v3/properties/contacts', 'properties', 'Property');
    expect(created).toMatchObject({ name: 'uld_lead_grade', type: 'enumeration', hubspotDefined: false });
    const duplicate = await rejection(client.crm.properties.coreApi.create('contacts', { name: 'uld_lead_grade', label: 'x', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'uld' }));
    expect(duplicate.code).toBe(409);
    expect(duplicate.body).toMatchObject({ category: 'OBJECT_ALREADY_EXISTS' });

    const updated = await client.crm.properties.coreApi.update('contacts', 'uld_lead_grade', { options: [{ label: 'A', value: 'A', hidden: false }, { label: 'C', value: 'C', hidden: false }] });
    expectConforms('PATCH /crm/v3/properties/contacts/{propertyName}', 'properties', 'Property');
    expect(updated.options.map((o) => o.value)).toEqual(['A', 'C']);
    // The new property is writable, its options enforced.
    const contact = (await client.crm.contacts.basicApi.getPage(1)).results[0] as contacts.SimplePublicObjectWithAssociations;
    await client.crm.contacts.basicApi.update(contact.id, { properties: { uld_lead_grade: 'C' } });
    expect((await rejection(client.crm.contacts.basicApi.update(contact.id, { properties: { uld_lead_grade: 'B' } }))).code).toBe(400);

    await client.crm.properties.coreApi.archive('contacts', 'uld_lead_grade');
    expect((await rejection(client.crm.properties.coreApi.getByName('contacts', 'uld_lead_grade'))).code).toBe(404);
    await client.crm.properties.groupsApi.archive('contacts', 'uld');
  });
});

describe('pipelines and owners', () => {
  it('when deal pipelines are read, then the default pipeline has HubSpot stage ids and string metadata', async () => {
    const all = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expectConforms('GET /crm/v3/pipelines/deals', 'pipelines', 'CollectionResponsePipelineNoPaging');
    const pipeline = all.results[0] as pipelines.Pipeline;
    expect(pipeline).toBeInstanceOf(pipelines.Pipeline);
    expect(pipeline.id).toBe('default');
    expect(pipeline.stages.map((s) => s.id)).toEqual(['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost']);
    expect(pipeline.stages.find((s) => s.id === 'closedwon')?.metadata).toEqual({ isClosed: 'true', probability: '1.0' });
    expect(pipeline.stages.find((s) => s.id === 'closedlost')?.metadata).toEqual({ isClosed: 'true', probability: '0.0' });
    const one = await client.crm.pipelines.pipelinesApi.getById('deals', 'default');
    expectConforms('GET /crm/v3/pipelines/deals/{pipelineId}', 'pipelines', 'Pipeline');
    expect(one.stages).toHaveLength(7);
    const stages = await client.crm.pipelines.pipelineStagesApi.getAll('deals', 'default');
    expectConforms('GET /crm/v3/pipelines/deals/{pipelineId}/stages', 'pipelines', 'CollectionResponsePipelineStageNoPaging');
    expect(stages.results[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('when owners are listed, then each has a string id and a numeric user id', async () => {
    const page = await client.crm.owners.ownersApi.getPage(undefined, undefined, 3);
    expectConforms('GET /crm/v3/owners', 'owners', 'CollectionResponsePublicOwnerForwardPaging');
    expect(page.results[0]).toBeInstanceOf(owners.PublicOwner);
    expect(typeof page.results[0]?.id).toBe('string');
    expect(typeof page.results[0]?.userId).toBe('number');
    const one = await client.crm.owners.ownersApi.getById(Number(page.results[0]?.id));
    expectConforms('GET /crm/v3/owners/{ownerId}', 'owners', 'PublicOwner');
    expect(one.email).toBe(page.results[0]?.email);
  });
});

// Coverage: once every test above has run (jest runs them in a random order), every legacy association,
// property, pipeline and owner endpoint was answered successfully through the SDK. A check of all the tests
// together, so it runs after them; a failure fails this file. Skipped when only some tests ran (-t, .only).
afterAll(() => {
  if (!everyTestRuns()) return;
  const legacySchema = (endpoint: string): boolean => /^\w+ \/crm\/(v4\/|v3\/(properties|pipelines|owners))/.test(endpoint);
  expect(uncovered(sandbox, answered, legacySchema)).toEqual([]);
  expect(sandbox.endpoints.filter(legacySchema).length).toBeGreaterThan(20);
});

import type { Client } from '@hubspot/api-client';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { API_VERSIONS, rawCall, Receiver, sdk, versionPaths } from './helpers';

/**
 * The Leads object (0-136) as HubSpot documents it (developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide;
 * shared platform doc §7), on every API version: a lead needs `hs_lead_name` and an inline association to an
 * existing contact at create time, lives in a lead pipeline, is scoped by `crm.objects.leads.*`, and a rep's
 * stage move in the UI reaches a generic `object.propertyChange` subscription as `objectTypeId` 0-136.
 */
let sandbox: Sandbox;
let client: Client;
let contactId: string;
let companyId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 31, rateLimit: { enabled: false } });
  client = sdk(sandbox);
  contactId = sandbox.portal.create('contacts', { email: 'lead-contact@leads.example', firstname: 'Ada', lastname: 'Byron' }, { sourceType: 'IMPORT' }).id;
  companyId = sandbox.portal.create('companies', { name: 'Analytical Engines', domain: 'engines.example' }, { sourceType: 'IMPORT' }).id;
});
afterAll(() => sandbox.stop());

const toContact = (id: string) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 578 }] });
const toCompany = (id: string) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 580 }] });

describe.each(API_VERSIONS)('leads on %s', (version) => {
  const p = versionPaths(version);

  it('when a lead is created with its name and its contact and company inline, then it lands in the default pipeline’s first stage, associated both ways', async () => {
    const created = await rawCall(client, 'POST', `${p.objects}/leads`, { properties: { hs_lead_name: `Ada Byron (${version})` }, associations: [toContact(contactId), toCompany(companyId)] });
    expect(created.status).toBe(201);
    const read = await rawCall(client, 'GET', `${p.objects}/leads/${created.body.id}?properties=hs_lead_name,hs_pipeline,hs_pipeline_stage,hs_lead_disqualification_reason`);
    expect(read.body.properties).toMatchObject({ hs_lead_name: `Ada Byron (${version})`, hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id', hs_lead_disqualification_reason: null });

    const leadToContact = await rawCall(client, 'POST', `${p.associations}/leads/contacts/batch/read`, { inputs: [{ id: created.body.id }] });
    expect(leadToContact.body.results[0].to.map((t: { toObjectId: unknown; associationTypes: Array<{ typeId: number }> }) => [String(t.toObjectId), t.associationTypes.map((a) => a.typeId)])).toEqual([[contactId, [578]]]);
    const contactToLeads = await rawCall(client, 'POST', `${p.associations}/contacts/leads/batch/read`, { inputs: [{ id: contactId }] });
    expect(contactToLeads.body.results[0].to.map((t: { toObjectId: unknown }) => String(t.toObjectId))).toContain(created.body.id);
    expect(sandbox.portal.associations.list('leads', created.body.id, 'companies').map((a) => a.toId)).toEqual([companyId]);
  });

  it('when a lead comes without a contact association, then HubSpot’s rule refuses it whole and nothing is created', async () => {
    const before = sandbox.portal.count('leads');
    const alone = await rawCall(client, 'POST', `${p.objects}/leads`, { properties: { hs_lead_name: 'Nobody' }, associations: [toCompany(companyId)] });
    expect(alone.status).toBe(400);
    expect(alone.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(alone.body.message).toMatch(/must be associated with an existing contact/);
    const batch = await rawCall(client, 'POST', `${p.objects}/leads/batch/create`, { inputs: [{ properties: { hs_lead_name: 'Ok' }, associations: [toContact(contactId)] }, { properties: { hs_lead_name: 'Alone' }, associations: [] }] });
    expect(batch.status).toBe(400);
    expect(sandbox.portal.count('leads')).toBe(before);
  });

  it('when a lead has no hs_lead_name, or a stage outside its pipeline, then the create is a VALIDATION_ERROR naming the property', async () => {
    const unnamed = await rawCall(client, 'POST', `${p.objects}/leads`, { properties: {}, associations: [toContact(contactId)] });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.message).toContain('hs_lead_name');
    const badStage = await rawCall(client, 'POST', `${p.objects}/leads`, { properties: { hs_lead_name: 'x', hs_pipeline_stage: 'closedwon' }, associations: [toContact(contactId)] });
    expect(badStage.status).toBe(400);
    expect(badStage.body.message).toContain('closedwon is not a valid pipeline stage ID');
    const badReason = await rawCall(client, 'POST', `${p.objects}/leads`, { properties: { hs_lead_name: 'x', hs_lead_disqualification_reason: 'MOON_PHASE' }, associations: [toContact(contactId)] });
    expect(badReason.status).toBe(400);
  });

  it('when leads are batch created, read, updated and searched, then each answers as for any object', async () => {
    const created = await rawCall(client, 'POST', `${p.objects}/leads/batch/create`, {
      inputs: [0, 1].map((i) => ({ properties: { hs_lead_name: `Batch ${version} ${i}`, hs_pipeline_stage: 'attempting-stage-id' }, associations: [toContact(contactId)], objectWriteTraceId: String(i) })),
    });
    expect(created.status).toBe(201);
    const ids = created.body.results.map((r: { id: string }) => r.id);
    const updated = await rawCall(client, 'POST', `${p.objects}/leads/batch/update`, { inputs: [{ id: ids[0], properties: { hs_pipeline_stage: 'unqualified-stage-id', hs_lead_disqualification_reason: 'NOT_A_GOOD_FIT' } }] });
    expect(updated.status).toBe(200);
    const read = await rawCall(client, 'POST', `${p.objects}/leads/batch/read`, { inputs: ids.map((id: string) => ({ id })), properties: ['hs_pipeline_stage', 'hs_lead_disqualification_reason'], propertiesWithHistory: [] });
    expect(read.body.results.map((r: { properties: Record<string, string> }) => r.properties.hs_pipeline_stage).sort()).toEqual(['attempting-stage-id', 'unqualified-stage-id']);
    const found = await rawCall(client, 'POST', `${p.objects}/leads/search`, { filterGroups: [{ filters: [{ propertyName: 'hs_lead_disqualification_reason', operator: 'EQ', value: 'NOT_A_GOOD_FIT' }] }], properties: ['hs_lead_name'], limit: 100 });
    expect(found.body.results.map((r: { id: string }) => r.id)).toContain(ids[0]);
  });

  it('when the lead pipelines and properties are read, then the default pipeline has its five stages and the reason is an enumeration', async () => {
    const pipelines = await rawCall(client, 'GET', `${p.pipelines}/leads`);
    expect(pipelines.status).toBe(200);
    const [pipeline] = pipelines.body.results;
    expect(pipeline.id).toBe('lead-pipeline-id');
    expect(pipeline.stages.map((s: { id: string; label: string }) => [s.id, s.label])).toEqual([
      ['new-stage-id', 'New'],
      ['attempting-stage-id', 'Attempting'],
      ['connected-stage-id', 'Connected'],
      ['qualified-stage-id', 'Qualified'],
      ['unqualified-stage-id', 'Disqualified'],
    ]);
    expect(pipeline.stages.every((s: { writePermissions?: string }) => s.writePermissions === 'CRM_PERMISSIONS_ENFORCEMENT')).toBe(true);
    const reason = await rawCall(client, 'GET', `${p.properties}/leads/hs_lead_disqualification_reason`);
    expect(reason.body).toMatchObject({ name: 'hs_lead_disqualification_reason', type: 'enumeration' });
    expect(reason.body.options.map((o: { value: string }) => o.value)).toContain('NOT_A_GOOD_FIT');
    const stage = await rawCall(client, 'GET', `${p.properties}/leads/hs_pipeline_stage`);
    expect(stage.body.options.map((o: { value: string }) => o.value)).toContain('qualified-stage-id');
  });
});

describe('lead scopes', () => {
  it('when the token lacks crm.objects.leads.write or .read, then the call is HubSpot’s 403 naming the scope', async () => {
    const own = await startSandbox({ seed: 32, rateLimit: { enabled: false }, scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'] });
    try {
      const c = own.portal.create('contacts', { email: 'scoped@leads.example' }, { sourceType: 'IMPORT' });
      const create = await rawCall(sdk(own), 'POST', '/crm/objects/2026-09/leads', { properties: { hs_lead_name: 'x' }, associations: [toContact(c.id)] });
      expect(create.status).toBe(403);
      expect(create.body.category).toBe('MISSING_SCOPES');
      expect(create.body.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.leads.write']);
      const search = await rawCall(sdk(own), 'POST', '/crm/v3/objects/leads/search', { filterGroups: [], limit: 1 });
      expect(search.body.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.leads.read']);
      own.scopes.push('crm.objects.leads.write');
      expect((await rawCall(sdk(own), 'POST', '/crm/objects/2026-09/leads', { properties: { hs_lead_name: 'x' }, associations: [toContact(c.id)] })).status).toBe(201);
    } finally {
      await own.stop();
    }
  });
});

describe('a rep moving a lead', () => {
  it('when a rep disqualifies a lead in the UI, then a generic object.propertyChange event for 0-136 names the user as its source', async () => {
    const receiver = await new Receiver().start();
    const own = await startSandbox({
      seed: 33,
      rateLimit: { enabled: false },
      webhooks: {
        targetUrl: receiver.url,
        batchWindowMs: 20,
        subscriptions: [
          { subscriptionType: 'object.propertyChange', objectType: 'lead', propertyName: 'hs_pipeline_stage' },
          { subscriptionType: 'object.propertyChange', objectType: 'lead', propertyName: 'hs_lead_disqualification_reason' },
        ],
      },
    });
    try {
      const c = own.portal.create('contacts', { email: 'rep@leads.example' }, { sourceType: 'IMPORT' });
      const lead = await rawCall(sdk(own), 'POST', '/crm/objects/2026-09/leads', { properties: { hs_lead_name: 'Rep lead' }, associations: [toContact(c.id)] });
      expect(() => own.reps.moveLead(lead.body.id, 'closedwon', { userId: 7 })).toThrow(/not a valid pipeline stage/);
      expect(own.reps.moveLead(lead.body.id, 'unqualified-stage-id', { userId: 7, disqualificationReason: 'WRONG_CONTACT' })).toEqual(expect.arrayContaining(['hs_pipeline_stage', 'hs_lead_disqualification_reason']));
      // The create itself sets the stage: that change comes as the app's own (INTEGRATION, sourceId = app id).
      await receiver.waitFor(() => receiver.events.filter((e) => e.changeSource === 'CRM_UI').length >= 2);
      expect(receiver.events.find((e) => e.propertyValue === 'new-stage-id')).toMatchObject({ changeSource: 'INTEGRATION', sourceId: String(own.appId) });
      const stage = receiver.events.find((e) => e.propertyName === 'hs_pipeline_stage' && e.changeSource === 'CRM_UI');
      expect(stage).toMatchObject({ subscriptionType: 'object.propertyChange', objectTypeId: '0-136', objectId: Number(lead.body.id), propertyValue: 'unqualified-stage-id', changeSource: 'CRM_UI', sourceId: 'userId:7' });
      const history = own.portal.historyOf(own.portal.get('leads', lead.body.id)!, 'hs_pipeline_stage');
      expect(history.at(-1)).toMatchObject({ value: 'unqualified-stage-id', sourceType: 'CRM_UI', updatedByUserId: 7 });
    } finally {
      await own.stop();
      await receiver.stop();
    }
  });
});

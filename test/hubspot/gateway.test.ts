import { startSandbox, type Sandbox } from '../../src/sandbox';
import { API_VERSIONS, BatchCreateError, ConfigurationError, RateLimitedError, TransientError, apiPaths, createGateway, type ApiVersion, type GatewayOptions, type HubSpotGateway, type RecordUpdate } from '../../src/hubspot';

/**
 * The gateway against the sandbox portal, over the real SDK: batching at the floor, 207 and whole-batch
 * 400 isolation, 429 then recovery, 5xx retries, timeouts. Retries use tiny delays so the file stays fast.
 */
const fast: Partial<GatewayOptions> = { retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 2_000 };

function gatewayFor(sandbox: Sandbox, version: ApiVersion, options: Partial<GatewayOptions> = {}): HubSpotGateway {
  return createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, apiVersion: version, rateLimitPer10s: 100, ...fast, ...options });
}

const contactIds = (sandbox: Sandbox): string[] => [...sandbox.portal.all('contacts')].map((c) => c.id);

// Every version through the same gateway code: the paths differ, the behaviour must not.
describe.each(API_VERSIONS)('HubSpot API %s', (version) => {
  const P = apiPaths(version);

  describe('batching', () => {
    let sandbox: Sandbox;
    let gateway: HubSpotGateway;
    beforeAll(async () => {
      sandbox = await startSandbox({ seed: 11, contacts: 250, rateLimit: { enabled: false } });
    });
    afterAll(() => sandbox.stop());
    beforeEach(() => {
      sandbox.calls.reset();
      sandbox.behaviour.invalidProperties = 'auto';
      sandbox.behaviour.missingIds = 'per-input';
      gateway = gatewayFor(sandbox, version);
    });

    it('when 250 contacts are read, then it takes ceil(250/100) = 3 calls and unknown ids come back as tombstones', async () => {
      const ids = contactIds(sandbox);
      expect(ids.length).toBe(250);
      const result = await gateway.read('contacts', [...ids, '9999999999999', 'not-an-id'], ['email', 'jobtitle']);
      expect(result.records.length).toBe(250);
      expect(result.records[0]?.properties).toHaveProperty('jobtitle');
      expect(result.missing.sort()).toEqual(['9999999999999', 'not-an-id']);
      expect(gateway.calls()).toEqual({ 'contacts.batch.read': 3 });
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`)).toBe(3);
    });

    it('when read with property history, then 50 per call and history entries come as plain strings', async () => {
      const ids = contactIds(sandbox).slice(0, 120);
      const result = await gateway.read('contacts', ids, ['lifecyclestage'], ['lifecyclestage']);
      expect(result.records.length).toBe(120);
      expect(gateway.calls()['contacts.batch.read']).toBe(3);
      const withHistory = result.records.find((r) => (r.propertiesWithHistory?.lifecyclestage?.length ?? 0) > 0);
      expect(typeof withHistory?.propertiesWithHistory?.lifecyclestage?.[0]?.timestamp).toBe('string');
    });

    it('when 250 contacts are updated, then 3 calls write them all', async () => {
      const ids = contactIds(sandbox);
      const result = await gateway.update('contacts', ids.map((id) => ({ id, properties: { jobtitle: `Title ${id}` } })));
      expect(result.written.length).toBe(250);
      expect(result.missing).toEqual([]);
      expect(result.rejected).toEqual([]);
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'update')}`)).toBe(3);
      expect(sandbox.portal.get('contacts', ids[7] as string)?.properties.jobtitle).toBe(`Title ${ids[7]}`);
    });

    it('when HubSpot answers 207, then each record is handled alone: written, missing or rejected naming the property', async () => {
      sandbox.behaviour.invalidProperties = 'per-input';
      const ids = contactIds(sandbox).slice(0, 99);
      const updates: RecordUpdate[] = ids.map((id) => ({ id, properties: { jobtitle: 'Per input' } }));
      updates[3] = { id: ids[3] as string, properties: { jobtitle: 'Per input', hs_lead_status: 'NOT_A_STATUS' } };
      updates.push({ id: '9999999999999', properties: { jobtitle: 'Ghost' } });
      const result = await gateway.update('contacts', updates);
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'update')}`)).toBe(1);
      expect(result.written.length).toBe(98);
      expect(result.missing).toEqual(['9999999999999']);
      expect(result.rejected).toEqual([{ id: ids[3], properties: ['hs_lead_status'], error: expect.stringContaining('NOT_A_STATUS') }]);
    });

    it('when a whole batch fails 400 on an unknown property, then only the records carrying it are rejected and the other 99 are written in one more call', async () => {
      sandbox.behaviour.invalidProperties = 'whole-batch';
      const ids = contactIds(sandbox).slice(0, 100);
      const updates: RecordUpdate[] = ids.map((id) => ({ id, properties: { jobtitle: 'Whole batch' } }));
      updates[50] = { id: ids[50] as string, properties: { jobtitle: 'Whole batch', uld_no_such_property: 'x' } };
      const result = await gateway.update('contacts', updates);
      expect(result.written.length).toBe(99);
      expect(result.rejected).toEqual([{ id: ids[50], properties: ['uld_no_such_property'], error: expect.stringContaining('uld install') }]);
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'update')}`)).toBe(2);
      expect(sandbox.portal.get('contacts', ids[50] as string)?.properties.jobtitle).not.toBe('Whole batch');
      expect(sandbox.portal.get('contacts', ids[99] as string)?.properties.jobtitle).toBe('Whole batch');
    });

    it('when a whole batch fails 400 on a bad value of a property many records carry, then it splits until the culprit alone is rejected', async () => {
      sandbox.behaviour.invalidProperties = 'whole-batch';
      const ids = contactIds(sandbox).slice(100, 200);
      const updates = ids.map((id) => ({ id, properties: { hs_lead_status: 'OPEN' } }));
      updates[37] = { id: ids[37] as string, properties: { hs_lead_status: 'BOGUS' } };
      const result = await gateway.update('contacts', updates);
      expect(result.written.length).toBe(99);
      expect(result.rejected).toEqual([{ id: ids[37], properties: ['hs_lead_status'], error: expect.stringContaining('BOGUS') }]);
      // A bisection of 100: at most 2 calls per level, 7 levels, plus the first call.
      const calls = sandbox.calls.count(`POST ${P.batch('contacts', 'update')}`);
      expect(calls).toBeLessThanOrEqual(15);
      expect(gateway.stats().splits).toBeGreaterThan(0);
    });

    it('when a whole batch fails 400 for a missing id, then the id is a tombstone and the rest is written', async () => {
      sandbox.behaviour.missingIds = 'whole-batch';
      const ids = contactIds(sandbox).slice(0, 10);
      const result = await gateway.update('contacts', [...ids.map((id) => ({ id, properties: { jobtitle: 'Missing ids' } })), { id: '9999999999999', properties: { jobtitle: 'x' } }]);
      expect(result.missing).toEqual(['9999999999999']);
      expect(result.written.sort()).toEqual([...ids].sort());
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'update')}`)).toBe(2);
    });

    it('when associations are read for 250 contacts, then one call answers, contacts without a company map to []', async () => {
      const ids = contactIds(sandbox);
      const map = await gateway.associations('contacts', 'companies', ids);
      expect(sandbox.calls.count(`POST ${P.associationsBatchRead('contacts', 'companies')}`)).toBe(1);
      expect(map.size).toBe(250);
      const withCompany = ids.filter((id) => sandbox.portal.associations.list('contacts', id, 'companies').length > 0);
      expect(withCompany.length).toBeGreaterThan(0);
      expect(withCompany.length).toBeLessThan(250);
      const someone = withCompany[0] as string;
      expect(map.get(someone)?.[0]?.typeIds).toContain(1);
      expect(typeof map.get(someone)?.[0]?.id).toBe('string');
      expect(ids.filter((id) => (map.get(id) ?? []).length === 0).length).toBe(250 - withCompany.length);
    });

    it('when pipelines are asked twice, then HubSpot is called once and stage metadata is typed', async () => {
      const first = await gateway.dealPipelines();
      await gateway.dealPipelines();
      expect(sandbox.calls.count(`GET ${P.pipelines('deals')}`)).toBe(1);
      const won = first[0]?.stages.find((s) => s.id === 'closedwon');
      expect(won).toMatchObject({ isClosed: true, probability: 1 });
      await gateway.dealPipelines({ refresh: true });
      expect(sandbox.calls.count(`GET ${P.pipelines('deals')}`)).toBe(2);
    });

    it('when notes are created with associations, then the ids come back in input order', async () => {
      const contact = contactIds(sandbox)[0] as string;
      const ids = await gateway.create('notes', [
        { properties: { hs_note_body: 'first', hs_timestamp: new Date().toISOString() }, associations: [{ toId: contact, typeId: 202 }] },
        { properties: { hs_note_body: 'second', hs_timestamp: new Date().toISOString() } },
      ]);
      expect(ids.length).toBe(2);
      expect(sandbox.portal.get('notes', ids[0] as string)?.properties.hs_note_body).toBe('first');
      expect(sandbox.portal.get('notes', ids[1] as string)?.properties.hs_note_body).toBe('second');
    });

    it('when a page and a search are asked, then they map to plain records', async () => {
      const page = await gateway.page('contacts', ['email'], undefined, 100);
      expect(page.records.length).toBe(100);
      expect(page.after).toBeDefined();
      const found = await gateway.search('contacts', [{ propertyName: 'email', operator: 'HAS_PROPERTY' }], ['email'], { limit: 10, sort: { propertyName: 'createdate', direction: 'ASCENDING' } });
      expect(found.records.length).toBe(10);
      expect(found.total).toBeGreaterThan(10);
    });

    it('when a property group and a property are created, then a second group create answers exists', async () => {
      expect(await gateway.ensurePropertyGroup('contacts', { name: 'uld_test', label: 'ULD test' })).toBe('created');
      expect(await gateway.ensurePropertyGroup('contacts', { name: 'uld_test', label: 'ULD test' })).toBe('exists');
      await gateway.createProperty('contacts', { name: 'uld_test_status', label: 'Status', type: 'enumeration', fieldType: 'select', groupName: 'uld_test', options: [{ label: 'A', value: 'a' }] });
      await gateway.updateProperty('contacts', 'uld_test_status', { label: 'ULD status' });
      const listed = (await gateway.listProperties('contacts')).find((p) => p.name === 'uld_test_status');
      expect(listed).toMatchObject({ label: 'ULD status', type: 'enumeration', options: [expect.objectContaining({ value: 'a' })] });
    });
  });

  describe('faults', () => {
    let sandbox: Sandbox;
    beforeEach(async () => {
      sandbox = await startSandbox({ seed: 12, contacts: 20, rateLimit: { enabled: false } });
    });
    afterEach(() => sandbox.stop());

    it('when two calls answer 500, then the gateway retries with backoff and succeeds on the third', async () => {
      const gateway = gatewayFor(sandbox, version);
      sandbox.faults.script(`POST ${P.batch('contacts', 'read')}`, { kind: 'error', status: 500 }, 2);
      const result = await gateway.read('contacts', contactIds(sandbox), ['email']);
      expect(result.records.length).toBe(20);
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`)).toBe(3);
      expect(gateway.stats()).toMatchObject({ retries: 2, serverErrors: 2 });
    });

    it('when 5xx outlast the retries, then a TransientError after a bounded number of calls', async () => {
      const gateway = gatewayFor(sandbox, version);
      sandbox.faults.script(`POST ${P.batch('contacts', 'update')}`, { kind: 'error', status: 503 }, 10);
      const err = await gateway.update('contacts', [{ id: contactIds(sandbox)[0] as string, properties: { jobtitle: 'x' } }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ reason: 'server', status: 503, action: 'retry' });
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'update')}`)).toBe(4);
    });

    it('when HubSpot hangs, then the call times out and is retried; a dropped connection too', async () => {
      const gateway = gatewayFor(sandbox, version, { timeoutMs: 150 });
      sandbox.faults.script(`POST ${P.batch('contacts', 'read')}`, { kind: 'hang' }, 1);
      sandbox.faults.script(`POST ${P.batch('contacts', 'read')}`, { kind: 'disconnect' }, 1);
      const started = Date.now();
      const result = await gateway.read('contacts', contactIds(sandbox).slice(0, 5), ['email']);
      expect(result.records.length).toBe(5);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(gateway.stats()).toMatchObject({ timeouts: 1, networkErrors: 1, retries: 2 });
    });

    it('when every attempt hangs, then a TransientError of reason timeout, and a create is not retried after a timeout', async () => {
      const gateway = gatewayFor(sandbox, version, { timeoutMs: 100, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      sandbox.faults.script(`POST ${P.batch('contacts', 'read')}`, { kind: 'hang' }, 5);
      await expect(gateway.read('contacts', [contactIds(sandbox)[0] as string], [])).rejects.toMatchObject({ reason: 'timeout', name: 'TransientError' });
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`)).toBe(2);
      sandbox.faults.script(`POST ${P.batch('notes', 'create')}`, { kind: 'hang' }, 5);
      await expect(gateway.create('notes', [{ properties: { hs_note_body: 'x', hs_timestamp: new Date().toISOString() } }])).rejects.toMatchObject({ reason: 'timeout', maybeApplied: true });
      expect(sandbox.calls.count(`POST ${P.batch('notes', 'create')}`)).toBe(1);
    });

    it('when the token is wrong, then a ConfigurationError naming HUBSPOT_ACCESS_TOKEN, not retried', async () => {
      const gateway = createGateway({ accessToken: 'pat-na1-wrong', baseUrl: sandbox.url, apiVersion: version, ...fast });
      const err = await gateway.read('contacts', ['1234'], []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as ConfigurationError).message).toMatch(/HUBSPOT_ACCESS_TOKEN/);
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`)).toBe(1);
    });
  });

  describe('rate limits', () => {
    let sandbox: Sandbox;
    afterEach(() => sandbox.stop());

    it('when HubSpot answers 429, then a RateLimitedError with retryAt after the window, other callers are refused without a call, and calls pass again after it', async () => {
      sandbox = await startSandbox({ seed: 13, contacts: 5, rateLimit: { perWindow: 50, windowMs: 400 } });
      const gateway = gatewayFor(sandbox, version);
      const ids = contactIds(sandbox);
      await gateway.read('contacts', ids, []);
      // The headers of that answer resized our limiter to the sandbox's window.
      expect(gateway.limiter).toMatchObject({ limit: 50, windowMs: 400 });
      sandbox.faults.script(`POST ${P.batch('contacts', 'read')}`, { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' }, 1);
      const before = Date.now();
      const err = (await gateway.read('contacts', ids, []).catch((e: unknown) => e)) as RateLimitedError;
      expect(err).toBeInstanceOf(RateLimitedError);
      expect(err.policy).toBe('TEN_SECONDLY_ROLLING');
      expect(err.retryAt).toBeGreaterThanOrEqual(before + 400);
      expect(err.retryAt).toBeLessThan(before + 1_000);
      const calls = sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`);
      await expect(gateway.read('contacts', ids, [])).rejects.toBeInstanceOf(RateLimitedError);
      expect(sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`)).toBe(calls);
      await new Promise((r) => setTimeout(r, Math.max(0, err.retryAt - Date.now()) + 10));
      expect((await gateway.read('contacts', ids, [])).records.length).toBe(5);
      expect(gateway.stats().rateLimited).toBe(1);
    });

    it('when calls come faster than the window allows, then the limiter paces them and HubSpot never answers 429', async () => {
      sandbox = await startSandbox({ seed: 14, contacts: 5, rateLimit: { perWindow: 5, windowMs: 200 } });
      const gateway = gatewayFor(sandbox, version, { rateLimitPer10s: 5, rateLimitWindowMs: 200 });
      const id = contactIds(sandbox)[0] as string;
      const started = Date.now();
      await Promise.all(Array.from({ length: 12 }, () => gateway.read('contacts', [id], [])));
      expect(sandbox.requests.list(`POST ${P.batch('contacts', 'read')}`).filter((e) => e.status === 429)).toEqual([]);
      expect(gateway.calls()['contacts.batch.read']).toBe(12);
      // 12 calls at 5 per 200 ms need at least two more windows after the first.
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    });

    it('when searches come in a burst, then the search limiter holds them to the per-second limit', async () => {
      sandbox = await startSandbox({ seed: 15, contacts: 5, rateLimit: { searchPerSecond: 3, searchWindowMs: 200 } });
      const gateway = gatewayFor(sandbox, version, { searchPerSecond: 3, searchWindowMs: 200 });
      await Promise.all(Array.from({ length: 7 }, () => gateway.search('contacts', [], ['email'], { limit: 1 })));
      expect(sandbox.requests.list(`POST ${P.search('contacts')}`).filter((e) => e.status === 429)).toEqual([]);
      expect(gateway.calls()['contacts.search']).toBe(7);
    });
  });
});

describe('a portal validation rule on the 2026-09 paths', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 12, rateLimit: { enabled: false } });
    sandbox.validationRules.requireWhen('contacts', 'jobtitle', { property: 'hs_lead_status', values: ['OPEN'] });
  });
  afterAll(() => sandbox.stop());

  it.each(['whole-batch', 'per-input'] as const)('when one record breaks it (%s), then only that record is rejected, in HubSpot words, even when another input sends the property the rule names', async (mode) => {
    sandbox.behaviour.validationRules = mode;
    const ids = Array.from({ length: 100 }, (_, i) => sandbox.portal.create('contacts', { email: `${mode}-${i}@rule.example`, ...(i === 37 ? {} : { jobtitle: 'VP' }) }, { sourceType: 'CRM_UI' }).id);
    const updates: RecordUpdate[] = ids.map((id) => ({ id, properties: { hs_lead_status: 'OPEN' } }));
    // Sending the required property does not make input 10 the culprit, whatever the error names.
    updates[10] = { id: ids[10] as string, properties: { hs_lead_status: 'OPEN', jobtitle: 'CTO' } };
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, apiVersion: '2026-09', rateLimitPer10s: 1000, ...fast });
    try {
      const result = await gateway.update('contacts', updates);
      expect(result.written.sort()).toEqual(ids.filter((_, i) => i !== 37).sort());
      expect(result.rejected).toEqual([{ id: ids[37], properties: ['jobtitle'], error: 'jobtitle: jobtitle is required because of a conditional property rule based on [hs_lead_status]' }]);
      expect(sandbox.portal.get('contacts', ids[10] as string)?.properties.jobtitle).toBe('CTO');
    } finally {
      gateway.close();
    }
  });
});

describe('a batch create that HubSpot refuses for one input (2026-09)', () => {
  let sandbox: Sandbox;
  let contacts: string[];
  let owner: string;
  const P = apiPaths('2026-09');
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 13, contacts: 0, rateLimit: { enabled: false }, requestLog: { captureBodies: true, capacity: 10_000 } });
    owner = sandbox.portal.listOwners()[0]!.id;
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.validationRules.clear();
    sandbox.requests.clear();
    contacts = Array.from({ length: 100 }, (_, i) => sandbox.portal.create('contacts', { email: `task-${Date.now()}-${i}@create.example` }, { sourceType: 'CRM_UI' }).id);
  });

  /** One task per contact, every one with an owner, associated with its contact (task to contact: 204). */
  const tasksFor = (ids: string[]) => ids.map((id) => ({ properties: { hs_task_subject: `Follow up ${id}`, hs_timestamp: new Date().toISOString(), hubspot_owner_id: owner }, associations: [{ toId: id, typeId: 204 }] }));
  const culprit = 37;
  const failures = (err: BatchCreateError) => err.failures.map((f) => f.index);

  // Each way one input of a create can make HubSpot refuse: the answer's words for that input.
  const cases = [
    {
      why: 'a required Create Record field (task owner) that one input lacks',
      mode: 'whole-batch' as const,
      arrange: (inputs: ReturnType<typeof tasksFor>) => {
        sandbox.validationRules.requireOnCreate('tasks', 'hubspot_owner_id');
        delete (inputs[culprit]!.properties as Record<string, string>).hubspot_owner_id;
      },
      error: 'hubspot_owner_id: A value for hubspot_owner_id must be provided',
    },
    {
      why: 'a required Create Record field (task owner) that one input lacks',
      mode: 'per-input' as const,
      arrange: (inputs: ReturnType<typeof tasksFor>) => {
        sandbox.validationRules.requireOnCreate('tasks', 'hubspot_owner_id');
        delete (inputs[culprit]!.properties as Record<string, string>).hubspot_owner_id;
      },
      error: 'hubspot_owner_id: A value for hubspot_owner_id must be provided',
    },
    {
      // A whole-request 400 whatever the mode: an association is checked before any record is made.
      why: 'an association to a contact deleted meanwhile',
      mode: 'per-input' as const,
      arrange: () => {
        sandbox.portal.archive('contacts', contacts[culprit]!, { sourceType: 'CRM_UI' });
      },
      error: `Cannot associate with contacts ${'CONTACT'}: it does not exist`,
    },
  ];

  it.each(cases)('when $why ($mode), then every other task is created once and the one fails in HubSpot words', async ({ mode, arrange, error }) => {
    sandbox.behaviour.validationRules = mode;
    const inputs = tasksFor(contacts);
    arrange(inputs);
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, apiVersion: '2026-09', rateLimitPer10s: 1000, ...fast });
    try {
      const failure = await gateway.create('tasks', inputs).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(BatchCreateError);
      const { ids, failures } = failure as BatchCreateError;
      expect(failures).toEqual([{ index: culprit, error: error.replace('CONTACT', contacts[culprit]!) }]);
      // The 99 others, each created once, with its own contact; the culprit not at all.
      expect(ids.map((id) => id === undefined)).toEqual(contacts.map((_, i) => i === culprit));
      for (const [i, contact] of contacts.entries()) {
        expect(sandbox.portal.associations.list('contacts', contact, 'tasks').map((l) => l.toId)).toEqual(i === culprit ? [] : [ids[i]]);
      }
      const creates = sandbox.requests.list(`POST ${P.batch('tasks', 'create')}`);
      const created = creates.flatMap((e) => (e.status < 300 ? ((e.requestBody as { inputs: Array<{ objectWriteTraceId: string }> }).inputs ?? []).map((x) => x.objectWriteTraceId) : []));
      expect(created.filter((trace, i) => created.indexOf(trace) !== i)).toEqual([]);
      if (mode === 'per-input' && error.startsWith('hubspot')) expect(creates).toHaveLength(1);
      else expect(creates.length).toBeGreaterThan(1);
    } finally {
      gateway.close();
    }
  });

  it('when a later call of a create answers 429 after part of it was created, then the inputs not yet created fail instead of the whole being sent again', async () => {
    sandbox.behaviour.validationRules = 'whole-batch';
    sandbox.validationRules.requireOnCreate('tasks', 'hubspot_owner_id');
    const inputs = tasksFor(contacts);
    delete (inputs[culprit]!.properties as Record<string, string>).hubspot_owner_id;
    // The first task created arms a 429 for the next create call: the halving is then under way.
    let armed = false;
    const stop = sandbox.portal.onChange((change) => {
      if (armed || change.kind !== 'creation' || change.objectType !== 'tasks') return;
      armed = true;
      sandbox.faults.script(`POST ${P.batch('tasks', 'create')}`, { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' });
    });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, apiVersion: '2026-09', rateLimitPer10s: 1000, ...fast });
    try {
      const failure = (await gateway.create('tasks', inputs).catch((err: unknown) => err)) as BatchCreateError;
      expect(failure).toBeInstanceOf(BatchCreateError);
      // Halving to input 37: 100 refused (400), 0-49 refused (400), 0-24 created, 25-49 answered 429; the
      // gateway's limiter then refuses 50-99 without a call until the window passes. All 75 are failures.
      const statuses = sandbox.requests.list(`POST ${P.batch('tasks', 'create')}`).map((e) => e.status);
      expect(statuses).toEqual([400, 400, 201, 429]);
      expect(failures(failure)).toEqual(Array.from({ length: 75 }, (_, i) => 25 + i));
      expect(failure.ids.filter((id) => id !== undefined)).toHaveLength(25);
      expect(failure.failures.every((f) => f.error.includes('TEN_SECONDLY_ROLLING'))).toBe(true);
      // Each created task exists once: nothing was sent twice.
      const created = contacts.flatMap((c) => sandbox.portal.associations.list('contacts', c, 'tasks'));
      expect(created).toHaveLength(25);
    } finally {
      stop();
      sandbox.faults.clear();
      gateway.close();
    }
  });
});

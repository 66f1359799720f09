import type { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { BatchResponsePublicAssociationMultiWithLabelWithErrors } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import { BatchResponseSimplePublicObjectWithErrors } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { expectInstance, lastAnswer, rejection, sdk } from './helpers';

/**
 * HubSpot's limits as the sandbox enforces them: input caps, 207 partial results, the 10,000-result
 * search ceiling, the rolling burst window, the daily cap and the search per-second limit.
 */
const idsOf = (sandbox: Sandbox, n: number): string[] => [...sandbox.portal.all('contacts')].slice(0, n).map((c) => c.id);
const VALIDATION = { category: 'VALIDATION_ERROR', correlationId: expect.any(String), message: expect.any(String) };

describe('input caps', () => {
  let sandbox: Sandbox;
  let client: Client;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, contacts: 150, rateLimit: { enabled: false } });
    client = sdk(sandbox);
  });
  afterAll(() => sandbox.stop());

  it('when a batch read has 100 inputs, then it succeeds; with 101, then the whole call is a 400', async () => {
    const ids = idsOf(sandbox, 101);
    const ok = await client.crm.contacts.batchApi.read({ inputs: ids.slice(0, 100).map((id) => ({ id })), properties: ['email'], propertiesWithHistory: [] });
    expect(ok.results).toHaveLength(100);
    const tooMany = await rejection(client.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['email'], propertiesWithHistory: [] }));
    expect(tooMany.code).toBe(400);
    expect(tooMany.body).toMatchObject(VALIDATION);
  });

  it('when batch create, update, upsert or archive get 101 inputs, then each refuses the whole call', async () => {
    const ids = idsOf(sandbox, 101);
    const before = sandbox.portal.count('contacts');
    const calls = [
      client.crm.contacts.batchApi.create({ inputs: Array.from({ length: 101 }, (_, i) => ({ properties: { email: `cap${i}@cap.example` }, associations: [] })) }),
      client.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { firstname: 'Capped' } })) }),
      client.crm.contacts.batchApi.upsert({ inputs: Array.from({ length: 101 }, (_, i) => ({ id: `up${i}@cap.example`, idProperty: 'email', properties: {} })) }),
      client.crm.contacts.batchApi.archive({ inputs: ids.map((id) => ({ id })) }),
    ];
    for (const call of calls) expect((await rejection(call)).code).toBe(400);
    expect(sandbox.portal.count('contacts')).toBe(before);
    expect([...sandbox.portal.all('contacts')].some((c) => c.properties.firstname === 'Capped')).toBe(false);
  });

  it('when a batch read asks for property history, then 50 inputs pass and 51 get HubSpot\'s own message', async () => {
    const ids = idsOf(sandbox, 51);
    const ok = await client.crm.contacts.batchApi.read({ inputs: ids.slice(0, 50).map((id) => ({ id })), properties: [], propertiesWithHistory: ['email'] });
    expect(ok.results).toHaveLength(50);
    const err = await rejection(client.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [], propertiesWithHistory: ['email'] }));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({
      ...VALIDATION,
      message: 'The maximum number of inputs supported in a batch request for property histories is 50. Please reduce the number of items and try again',
    });
  });

  it('when a list page asks for more than 100 records (50 with history), then it is a 400', async () => {
    expect((await client.crm.contacts.basicApi.getPage(100)).results).toHaveLength(100);
    expect((await rejection(client.crm.contacts.basicApi.getPage(101))).code).toBe(400);
    expect((await client.crm.contacts.basicApi.getPage(50, undefined, undefined, ['email'])).results).toHaveLength(50);
    expect((await rejection(client.crm.contacts.basicApi.getPage(51, undefined, undefined, ['email']))).code).toBe(400);
  });

  it('when an associations batch read has 1,000 inputs, then it answers; with 1,001, then it is a 400', async () => {
    const ids = idsOf(sandbox, 100);
    const inputs = Array.from({ length: 1000 }, (_, i) => ({ id: ids[i % ids.length] as string }));
    const ok = expectInstance(await client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs }), BatchResponsePublicAssociationMultiWithLabelWithErrors);
    expect(ok.results.length + (ok.numErrors ?? 0)).toBe(1000);
    expect((await rejection(client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: [...inputs, { id: ids[0] as string }] }))).code).toBe(400);
  });

  it('when search asks for 200 results, 10 filters in a group or 25 in all, then it gets them; 201, 6 filter groups, 11 filters in a group, 26 in all or 2 sorts are 400s', async () => {
    const search = client.crm.contacts.searchApi;
    expect((await search.doSearch({ limit: 200, filterGroups: [] })).results).toHaveLength(150);
    const filter = { propertyName: 'email', operator: FilterOperatorEnum.HasProperty };
    const groups = (...sizes: number[]): Array<{ filters: Array<typeof filter> }> => sizes.map((n) => ({ filters: Array.from({ length: n }, () => filter) }));
    expect((await search.doSearch({ filterGroups: groups(10), limit: 1 })).total).toBe(150);
    expect((await search.doSearch({ filterGroups: groups(5, 5, 5, 5, 5), limit: 1 })).total).toBe(150);
    const refused = [
      search.doSearch({ limit: 201 }),
      search.doSearch({ filterGroups: groups(1, 1, 1, 1, 1, 1) }),
      search.doSearch({ filterGroups: groups(11) }),
      search.doSearch({ filterGroups: groups(10, 10, 6) }),
      search.doSearch({ sorts: ['email', 'firstname'] }),
    ];
    for (const call of refused) expect(await rejection(call)).toMatchObject({ code: 400, body: VALIDATION });
  });
});

describe('207 multi-status and whole-batch failures', () => {
  let sandbox: Sandbox;
  let client: Client;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 6, contacts: 20, rateLimit: { enabled: false }, requestLog: { captureBodies: true } });
    client = sdk(sandbox);
  });
  afterAll(() => sandbox.stop());
  afterEach(() => Object.assign(sandbox.behaviour, { invalidProperties: 'auto', missingIds: 'per-input' }));

  it('when a batch read names missing ids, then it answers 207 with the found records and one OBJECT_NOT_FOUND naming the rest', async () => {
    const [a, b] = idsOf(sandbox, 2);
    const result = expectInstance(
      await client.crm.contacts.batchApi.read({ inputs: [{ id: a as string }, { id: '999999999999' }, { id: b as string }, { id: '888' }], properties: [], propertiesWithHistory: [] }),
      BatchResponseSimplePublicObjectWithErrors,
    );
    expect(sandbox.requests.last()?.status).toBe(207);
    expect(result.results.map((r) => r.id).sort()).toEqual([a, b].sort());
    expect(result).toMatchObject({ status: 'COMPLETE', numErrors: 1 });
    expect(result.errors?.[0]).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['999999999999', '888'] } });
  });

  it('when a batch update names a missing id, then the others are written and the 207 lists it', async () => {
    const [a] = idsOf(sandbox, 1);
    const result = expectInstance(
      await client.crm.contacts.batchApi.update({ inputs: [{ id: a as string, properties: { firstname: 'Written' } }, { id: '777777777777', properties: { firstname: 'Nobody' } }] }),
      BatchResponseSimplePublicObjectWithErrors,
    );
    expect(sandbox.requests.last()?.status).toBe(207);
    expect(result.results.map((r) => r.id)).toEqual([a]);
    expect(result.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['777777777777'] } });
    expect(sandbox.portal.get('contacts', a as string)?.properties.firstname).toBe('Written');
  });

  it('when a batch update has an unknown property and no objectWriteTraceIds, then the whole batch is a 400 VALIDATION_ERROR naming it and nothing is written', async () => {
    const [a, b] = idsOf(sandbox, 2);
    const err = await rejection(
      client.crm.contacts.batchApi.update({ inputs: [{ id: a as string, properties: { firstname: 'Nope' } }, { id: b as string, properties: { lead_scoer: '10' } }] }),
    );
    expect(err.code).toBe(400);
    const body = lastAnswer(sandbox, 'POST /crm/v3/objects/contacts/batch/update') as { message: string; category: string };
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.message.startsWith('Property values were not valid: ')).toBe(true);
    const problems = JSON.parse(body.message.slice('Property values were not valid: '.length)) as Array<Record<string, unknown>>;
    expect(problems).toEqual([expect.objectContaining({ isValid: false, name: 'lead_scoer', error: 'PROPERTY_DOESNT_EXIST', message: 'Property "lead_scoer" does not exist' })]);
    expect(sandbox.portal.get('contacts', a as string)?.properties.firstname).not.toBe('Nope');
  });

  it('when every input carries an objectWriteTraceId, then invalid inputs fail alone in a 207 and the rest are written', async () => {
    const [a, b, c] = idsOf(sandbox, 3);
    const result = expectInstance(
      await client.crm.contacts.batchApi.update({
        inputs: [
          { id: a as string, objectWriteTraceId: 't-a', properties: { firstname: 'Traced' } },
          { id: b as string, objectWriteTraceId: 't-b', properties: { hs_lead_status: 'MAYBE' } },
          { id: c as string, objectWriteTraceId: 't-c', properties: { hs_analytics_num_page_views: '5' } },
        ],
      }),
      BatchResponseSimplePublicObjectWithErrors,
    );
    expect(sandbox.requests.last()?.status).toBe(207);
    expect(result.results.map((r) => [r.id, r.objectWriteTraceId])).toEqual([[a, 't-a']]);
    expect(result.numErrors).toBe(2);
    const byTrace = new Map(result.errors?.map((e) => [e.context.objectWriteTraceId?.[0], e]));
    expect(byTrace.get('t-b')?.errors[0]).toMatchObject({ code: 'INVALID_OPTION', context: { propertyName: ['hs_lead_status'] } });
    expect(byTrace.get('t-c')?.errors[0]).toMatchObject({ code: 'READ_ONLY_VALUE', context: { propertyName: ['hs_analytics_num_page_views'] } });
    expect(sandbox.portal.get('contacts', a as string)?.properties.firstname).toBe('Traced');
  });

  it('when the behaviour is switched, then per-input and whole-batch answers can be forced either way', async () => {
    const [a, b] = idsOf(sandbox, 2);
    sandbox.behaviour.invalidProperties = 'per-input';
    const partial = expectInstance(
      await client.crm.contacts.batchApi.update({ inputs: [{ id: a as string, properties: { firstname: 'Forced' } }, { id: b as string, properties: { nope: 'x' } }] }),
      BatchResponseSimplePublicObjectWithErrors,
    );
    expect(partial.results.map((r) => r.id)).toEqual([a]);
    expect(partial.errors?.[0]?.category).toBe('VALIDATION_ERROR');

    sandbox.behaviour.invalidProperties = 'whole-batch';
    expect((await rejection(client.crm.contacts.batchApi.update({ inputs: [{ id: a as string, objectWriteTraceId: 'x', properties: { nope: 'x' } }] }))).code).toBe(400);

    sandbox.behaviour.missingIds = 'whole-batch';
    const missing = await rejection(client.crm.contacts.batchApi.update({ inputs: [{ id: a as string, properties: { firstname: 'Never' } }, { id: '123', properties: {} }] }));
    expect(missing).toMatchObject({ code: 400, body: VALIDATION });
    expect(sandbox.portal.get('contacts', a as string)?.properties.firstname).toBe('Forced');
  });

  it('when a batch create repeats an existing email, then the duplicate fails alone under trace ids and the whole batch fails without', async () => {
    const existing = sandbox.portal.get('contacts', idsOf(sandbox, 1)[0] as string)?.properties.email as string;
    const traced = expectInstance(
      await client.crm.contacts.batchApi.create({
        inputs: [
          { objectWriteTraceId: '1', properties: { email: existing }, associations: [] },
          { objectWriteTraceId: '2', properties: { email: 'unique-207@x.example' }, associations: [] },
        ],
      }),
      BatchResponseSimplePublicObjectWithErrors,
    );
    expect(sandbox.requests.last()?.status).toBe(207);
    expect(traced.results.map((r) => r.properties.email)).toEqual(['unique-207@x.example']);
    expect(traced.errors?.[0]).toMatchObject({ category: 'CONFLICT', context: { objectWriteTraceId: ['1'] } });
    const whole = await rejection(client.crm.contacts.batchApi.create({ inputs: [{ properties: { email: existing }, associations: [] }] }));
    expect(whole.code).toBe(409);
  });
});

describe('the 10,000-result search ceiling', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 9, contacts: 10_050, rateLimit: { enabled: false }, requestLog: { captureBodies: true } });
  });
  afterAll(() => sandbox.stop());

  it('when paging reaches the 10,000th result, then the cursor still points on and following it is a 400', async () => {
    const search = sdk(sandbox).crm.contacts.searchApi;
    const request = { filterGroups: [{ filters: [{ propertyName: 'createdate', operator: FilterOperatorEnum.HasProperty }] }], limit: 200, properties: ['email'] };
    const last = await search.doSearch({ ...request, after: '9800' });
    expect(last.total).toBe(10_050);
    expect(last.results).toHaveLength(200);
    expect(last.paging?.next?.after).toBe('10000');
    const past = await rejection(search.doSearch({ ...request, after: last.paging?.next?.after as string }));
    expect(past.code).toBe(400);
    expect(past.body).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringContaining('10000') });
    // A page straddling the ceiling is cut at it.
    const straddle = await search.doSearch({ ...request, after: '9900' });
    expect(straddle.results).toHaveLength(100);
  });
});

describe('rate limits', () => {
  it('when the rolling window fills, then the next call is a 429 with HubSpot\'s body and headers, and calls pass again as the window rolls', async () => {
    let now = 1_000_000;
    const sandbox = await startSandbox({ rateLimit: { perWindow: 5, windowMs: 1_000, daily: 1_000, now: () => now }, requestLog: { captureBodies: true } });
    try {
      const contacts = sdk(sandbox).crm.contacts.basicApi;
      const remaining: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const info = await contacts.getPageWithHttpInfo(1);
        remaining.push(info.headers['x-hubspot-ratelimit-remaining'] as string);
        now += 100;
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);

      const limited = await rejection(contacts.getPage(1));
      expect(limited.code).toBe(429);
      expect(limited.headers).toMatchObject({
        'x-hubspot-ratelimit-max': '5',
        'x-hubspot-ratelimit-remaining': '0',
        'x-hubspot-ratelimit-interval-milliseconds': '1000',
        'x-hubspot-ratelimit-daily': '1000',
        'x-hubspot-ratelimit-daily-remaining': '995',
      });
      // The raw answer, and what the SDK hands over, are HubSpot's body and nothing else.
      const body = lastAnswer(sandbox, 'GET /crm/v3/objects/contacts') as Record<string, unknown>;
      expect(limited.body).toEqual(body);
      expect(Object.keys(body).sort()).toEqual(['correlationId', 'errorType', 'message', 'policyName', 'status']);
      expect(body).toEqual({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        policyName: 'TEN_SECONDLY_ROLLING',
      });

      // Rolling, not fixed: at t0+1000 only the first call has left the window, so exactly one more passes.
      now = 1_000_000 + 1_000;
      await contacts.getPage(1);
      expect((await rejection(contacts.getPage(1))).code).toBe(429);
      // At t0+1450 the calls of t0..t0+400 have rolled out; only the one of t0+1000 is still counted.
      now = 1_000_000 + 1_450;
      expect((await contacts.getPageWithHttpInfo(1)).headers['x-hubspot-ratelimit-remaining']).toBe('3');
      expect(sandbox.calls.count('GET /crm/v3/objects/contacts')).toBe(9);
    } finally {
      await sandbox.stop();
    }
  });

  it('when the window is short and real, then waiting the announced interval is enough to recover', async () => {
    const sandbox = await startSandbox({ rateLimit: { perWindow: 3, windowMs: 600 } });
    try {
      const contacts = sdk(sandbox).crm.contacts.basicApi;
      await Promise.all([contacts.getPage(1), contacts.getPage(1), contacts.getPage(1)]);
      const limited = await rejection(contacts.getPage(1));
      expect(limited.code).toBe(429);
      const interval = Number(limited.headers['x-hubspot-ratelimit-interval-milliseconds']);
      expect(interval).toBe(600);
      await new Promise((resolve) => setTimeout(resolve, interval));
      expect((await contacts.getPage(1)).results).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });

  it('when the daily cap is reached, then calls get the DAILY 429 until the day turns', async () => {
    let now = Date.UTC(2025, 0, 1, 23, 59);
    const sandbox = await startSandbox({ rateLimit: { daily: 3, now: () => now }, requestLog: { captureBodies: true } });
    try {
      const contacts = sdk(sandbox).crm.contacts.basicApi;
      for (let i = 0; i < 3; i += 1) await contacts.getPage(1);
      const limited = await rejection(contacts.getPage(1));
      expect(limited.code).toBe(429);
      expect(limited.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
      expect(lastAnswer(sandbox, 'GET /crm/v3/objects/contacts')).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'DAILY', message: 'You have reached your daily limit.' });
      now = Date.UTC(2025, 0, 2, 0, 0, 1);
      await contacts.getPage(1);
    } finally {
      await sandbox.stop();
    }
  });

  it('when searches exceed the per-second limit, then search gets the SECONDLY 429 while other endpoints still answer', async () => {
    let now = 5_000_000;
    const sandbox = await startSandbox({ rateLimit: { searchPerSecond: 2, now: () => now }, requestLog: { captureBodies: true } });
    try {
      const client = sdk(sandbox);
      await client.crm.contacts.searchApi.doSearch({ limit: 1 });
      const info = await client.crm.contacts.searchApi.doSearchWithHttpInfo({ limit: 1 });
      expect(info.headers).toMatchObject({ 'x-hubspot-ratelimit-secondly': '2', 'x-hubspot-ratelimit-secondly-remaining': '0' });
      expect((await rejection(client.crm.contacts.searchApi.doSearch({ limit: 1 }))).code).toBe(429);
      expect(lastAnswer(sandbox, 'POST /crm/v3/objects/contacts/search')).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT' });
      await client.crm.contacts.basicApi.getPage(1);
      now += 1_000;
      await client.crm.contacts.searchApi.doSearch({ limit: 1 });
    } finally {
      await sandbox.stop();
    }
  });

  it('when a tier is chosen, then its burst limit is announced', async () => {
    const sandbox = await startSandbox({ tier: 'professional' });
    try {
      const info = await sdk(sandbox).crm.contacts.basicApi.getPageWithHttpInfo(1);
      expect(info.headers).toMatchObject({ 'x-hubspot-ratelimit-max': '190', 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-daily': '625000' });
    } finally {
      await sandbox.stop();
    }
  });
});

import { createHash, createHmac } from 'node:crypto';
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import { DEFAULT_WEBHOOK_SETTINGS, signV1, signV3, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox';
import { Receiver, sdk, type ReceivedRequest, type ReceiverReply } from './helpers';

/**
 * Webhook delivery as HubSpot does it: signed batches of at most 100 events, at most 10 requests in
 * flight, retries on failures and slow answers, change sources that tell API writes from people.
 */
const started: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  // Sandboxes first (they hold connections to the receivers), then receivers.
  for (const s of started.splice(0).reverse()) await s.stop();
});

async function setUp(
  reply?: (request: ReceivedRequest, index: number) => ReceiverReply,
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; receiver: Receiver }> {
  const receiver = await new Receiver(reply).start();
  started.push(receiver);
  const sandbox = await startSandbox({
    seed: 21,
    rateLimit: { enabled: false },
    ...options,
    webhooks: {
      targetUrl: receiver.url,
      batchWindowMs: 20,
      timeScale: 0.00001,
      subscriptions: [
        { subscriptionType: 'contact.creation' },
        { subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle' },
        { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'jobtitle' },
      ],
      ...(options.webhooks ?? {}),
    },
  });
  started.push(sandbox);
  return { sandbox, receiver };
}

describe('signatures', () => {
  it("when HubSpot's published v1 test vector is signed, then the published signature comes out", () => {
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    expect(signV1('yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('when a batch is delivered, then its v1 and v3 headers verify against an independent computation over the raw body and the target URL', async () => {
    const { sandbox, receiver } = await setUp();
    const before = Date.now();
    await sdk(sandbox).crm.contacts.basicApi.create({ properties: { email: 'signed@example.com', jobtitle: 'CFO' } });
    await receiver.waitFor(() => receiver.events.length >= 3);
    const request = receiver.requests[0] as ReceivedRequest;
    const timestamp = request.headers['x-hubspot-request-timestamp'] as string;
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(Date.now());
    expect(request.headers['x-hubspot-signature-version']).toBe('v1');
    expect(request.headers['x-hubspot-signature']).toBe(createHash('sha256').update(sandbox.clientSecret + request.rawBody).digest('hex'));
    const expectedV3 = createHmac('sha256', sandbox.clientSecret).update(`POST${receiver.url}${request.rawBody}${timestamp}`).digest('base64');
    expect(request.headers['x-hubspot-signature-v3']).toBe(expectedV3);
    expect(signV3(sandbox.clientSecret, 'POST', receiver.url, request.rawBody, Number(timestamp))).toBe(expectedV3);
    // A different secret does not verify: the check above is not vacuous.
    expect(createHmac('sha256', 'other-secret').update(`POST${receiver.url}${request.rawBody}${timestamp}`).digest('base64')).not.toBe(expectedV3);
  });
});

describe('two apps in a migration window', () => {
  it("when the old app is installed too, then each change is delivered once per app: its own appId, eventIds and subscriptions, signed with its own secret", async () => {
    const previousApp = { accessToken: 'pat-na1-old-legacy-app', appId: 6_600_001, clientSecret: 'old-app-secret' };
    const { sandbox, receiver } = await setUp(undefined, { previousApp: { ...previousApp, subscriptions: [{ subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle' }] } });
    const created = await sdk(sandbox).crm.contacts.basicApi.create({ properties: { email: 'two-apps@example.com', jobtitle: 'CFO' } });
    // The new app's three subscriptions and the old app's one.
    await receiver.waitFor(() => receiver.events.length >= 4);
    const signedBy = (r: ReceivedRequest, secret: string) =>
      r.headers['x-hubspot-signature-v3'] === createHmac('sha256', secret).update(`POST${receiver.url}${r.rawBody}${r.headers['x-hubspot-request-timestamp'] as string}`).digest('base64');
    const byApp = (appId: number) => receiver.requests.filter((r) => r.events.every((e) => e.appId === appId));
    expect(byApp(sandbox.appId).length + byApp(previousApp.appId).length).toBe(receiver.requests.length);
    for (const r of byApp(sandbox.appId)) expect([signedBy(r, sandbox.clientSecret), signedBy(r, previousApp.clientSecret)]).toEqual([true, false]);
    for (const r of byApp(previousApp.appId)) expect([signedBy(r, sandbox.clientSecret), signedBy(r, previousApp.clientSecret)]).toEqual([false, true]);

    const ours = receiver.events.find((e) => e.appId === sandbox.appId && e.subscriptionType === 'contact.propertyChange')!;
    const theirs = receiver.events.filter((e) => e.appId === previousApp.appId);
    expect(theirs).toHaveLength(1);
    // The same change: same time, object, value and writer; a delivery of its own.
    const change = ({ occurredAt, objectId, propertyName, propertyValue, changeSource, sourceId }: Record<string, unknown>) => ({ occurredAt, objectId, propertyName, propertyValue, changeSource, sourceId });
    expect(change(theirs[0]!)).toEqual(change(ours));
    expect(theirs[0]!.objectId).toBe(Number(created.id));
    expect(theirs[0]!.eventId).not.toBe(ours.eventId);
    expect(theirs[0]!.subscriptionId).not.toBe(ours.subscriptionId);

    // A write with the old app's token names the old app as the writer, in both apps' events.
    await sdk(sandbox, previousApp.accessToken).crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'CEO' } });
    // The new app's legacy and generic subscriptions, and the old app's one.
    await receiver.waitFor(() => receiver.events.filter((e) => e.propertyValue === 'CEO').length >= 3);
    expect(new Set(receiver.events.filter((e) => e.propertyValue === 'CEO').map((e) => `${String(e.appId)}:${String(e.sourceId)}`))).toEqual(
      new Set([`${sandbox.appId}:${previousApp.appId}`, `${previousApp.appId}:${previousApp.appId}`]),
    );
    expect(sandbox.environment()).toMatchObject({ HUBSPOT_PREVIOUS_CLIENT_SECRET: previousApp.clientSecret, HUBSPOT_PREVIOUS_APP_ID: String(previousApp.appId) });
  });
});

describe('events', () => {
  it('when the app writes through the API, then events carry changeSource INTEGRATION and sourceId naming the app, in legacy and generic formats', async () => {
    const otherApp = { accessToken: 'pat-na1-other-app', appId: 7_777_001 };
    const { sandbox, receiver } = await setUp(undefined, { otherApps: [otherApp] });
    const created = await sdk(sandbox).crm.contacts.basicApi.create({ properties: { email: 'api@example.com', jobtitle: 'Founder' } });
    await receiver.waitFor(() => receiver.events.length >= 3);
    const events = receiver.events;
    const creation = events.find((e) => e.subscriptionType === 'contact.creation');
    expect(creation).toMatchObject({
      portalId: sandbox.portalId,
      appId: sandbox.appId,
      objectId: Number(created.id),
      changeFlag: 'CREATED',
      changeSource: 'INTEGRATION',
      sourceId: String(sandbox.appId),
      attemptNumber: 0,
    });
    expect(typeof creation?.eventId).toBe('number');
    expect(typeof creation?.occurredAt).toBe('number');
    const legacy = events.find((e) => e.subscriptionType === 'contact.propertyChange');
    const generic = events.find((e) => e.subscriptionType === 'object.propertyChange');
    expect(legacy).toMatchObject({ propertyName: 'jobtitle', propertyValue: 'Founder', changeSource: 'INTEGRATION', sourceId: String(sandbox.appId) });
    expect(legacy).not.toHaveProperty('objectTypeId');
    expect(generic).toMatchObject({ objectTypeId: '0-1', propertyName: 'jobtitle', propertyValue: 'Founder', changeSource: 'INTEGRATION' });
    expect(generic?.subscriptionId).not.toBe(legacy?.subscriptionId);

    // Another app's write names that app; a rep's edit in the UI names the user.
    await sdk(sandbox, otherApp.accessToken).crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'CEO' } });
    sandbox.portal.update('contacts', created.id, { jobtitle: 'Chief Executive Officer' }, { sourceType: 'CRM_UI', sourceId: 'userId:2000101', userId: 2000101 });
    await receiver.waitFor(() => receiver.events.filter((e) => e.subscriptionType === 'contact.propertyChange').length >= 3);
    const changes = receiver.events.filter((e) => e.subscriptionType === 'contact.propertyChange').map((e) => [e.propertyValue, e.changeSource, e.sourceId]);
    expect(changes).toEqual([
      ['Founder', 'INTEGRATION', String(sandbox.appId)],
      ['CEO', 'INTEGRATION', String(otherApp.appId)],
      ['Chief Executive Officer', 'CRM_UI', 'userId:2000101'],
    ]);
  });

  it('when a value is written unchanged, then no propertyChange event is sent', async () => {
    const { sandbox, receiver } = await setUp();
    const client = sdk(sandbox);
    const c = await client.crm.contacts.basicApi.create({ properties: { email: 'same@example.com', jobtitle: 'CTO' } });
    await client.crm.contacts.basicApi.update(c.id, { properties: { jobtitle: 'CTO' } });
    await client.crm.contacts.basicApi.update(c.id, { properties: { jobtitle: 'COO' } });
    await receiver.waitFor(() => receiver.events.filter((e) => e.subscriptionType === 'contact.propertyChange').length >= 2);
    await sandbox.webhooks.idle();
    expect(receiver.events.filter((e) => e.subscriptionType === 'contact.propertyChange').map((e) => e.propertyValue)).toEqual(['CTO', 'COO']);
  });

  it('when a primary company is associated, merged and deleted, then association, merge and deletion events follow HubSpot\'s shapes', async () => {
    const { sandbox, receiver } = await setUp(undefined, {
      webhooks: {
        subscriptions: [{ subscriptionType: 'contact.associationChange' }, { subscriptionType: 'contact.merge' }, { subscriptionType: 'contact.deletion' }],
      },
    });
    const client = sdk(sandbox);
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Assoc Co', domain: 'assoc.example' } });
    const a = await client.crm.contacts.basicApi.create({ properties: { email: 'a@assoc.example' } });
    const b = await client.crm.contacts.basicApi.create({ properties: { email: 'b@assoc.example' } });
    await client.crm.associations.v4.basicApi.create('contacts', a.id, 'companies', company.id, [{ associationCategory: Category.HubspotDefined, associationTypeId: 1 }]);
    await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    await client.crm.contacts.basicApi.archive(a.id);
    await receiver.waitFor(() => receiver.events.some((e) => e.subscriptionType === 'contact.deletion'));
    await sandbox.webhooks.idle();
    const association = receiver.events.filter((e) => e.subscriptionType === 'contact.associationChange');
    // A primary association also fires the unlabeled one: two events.
    expect(association.map((e) => [e.associationType, e.isPrimaryAssociation, e.fromObjectId, e.toObjectId, e.associationRemoved]).sort()).toEqual([
      ['CONTACT_TO_COMPANY', false, Number(a.id), Number(company.id), false],
      ['CONTACT_TO_COMPANY', true, Number(a.id), Number(company.id), false],
    ]);
    expect(receiver.events.find((e) => e.subscriptionType === 'contact.merge')).toMatchObject({
      objectId: Number(a.id),
      primaryObjectId: Number(a.id),
      mergedObjectIds: [Number(b.id)],
      newObjectId: Number(a.id),
      numberOfPropertiesMoved: 0,
      changeSource: 'INTEGRATION',
    });
    expect(receiver.events.find((e) => e.subscriptionType === 'contact.deletion')).toMatchObject({ objectId: Number(a.id), changeFlag: 'DELETED' });
  });

  it('when subscriptions are invalid as HubSpot defines them, then they are refused', async () => {
    const { sandbox } = await setUp();
    expect(() => sandbox.webhooks.subscribe({ subscriptionType: 'contact.propertyChange', propertyName: 'hs_lastmodifieddate' })).toThrow('cannot be subscribed');
    expect(() => sandbox.webhooks.subscribe({ subscriptionType: 'contact.propertyChange' })).toThrow('propertyName');
    expect(() => sandbox.webhooks.subscribe({ subscriptionType: 'note.creation' })).toThrow('legacy');
    expect(sandbox.webhooks.subscribe({ subscriptionType: 'object.creation', objectType: 'note' }).objectType).toBe('notes');
  });
});

describe('batching and concurrency', () => {
  it('when an import creates thousands of events, then every request carries at most 100 and all arrive once', async () => {
    const { sandbox, receiver } = await setUp(undefined, {
      webhooks: { subscriptions: [{ subscriptionType: 'contact.creation' }, { subscriptionType: 'contact.propertyChange', propertyName: 'email' }] },
    });
    sandbox.simulator.importContacts(1_050);
    await sandbox.webhooks.idle();
    const sizes = receiver.requests.map((r) => r.events.length);
    expect(Math.max(...sizes)).toBe(100);
    expect(sizes.every((n) => n >= 1 && n <= 100)).toBe(true);
    const ids = receiver.events.map((e) => e.eventId);
    expect(ids).toHaveLength(2_100);
    expect(new Set(ids).size).toBe(2_100);
    expect(receiver.events.every((e) => e.changeSource === 'IMPORT')).toBe(true);
  });

  it('when the target is slow, then no more than 10 requests are in flight and the limit is actually reached', async () => {
    const { sandbox, receiver } = await setUp(() => ({ delayMs: 150 }), {
      webhooks: { subscriptions: [{ subscriptionType: 'contact.creation' }] },
    });
    sandbox.simulator.importContacts(2_500);
    await sandbox.webhooks.idle();
    expect(receiver.requests).toHaveLength(25);
    expect(receiver.maxInFlight).toBe(10);
    expect(sandbox.webhooks.stats.maxInFlight).toBe(10);
  });

  it('when maxConcurrentRequests is lowered, then deliveries respect it', async () => {
    const { sandbox, receiver } = await setUp(() => ({ delayMs: 50 }), {
      webhooks: { maxConcurrentRequests: 2, subscriptions: [{ subscriptionType: 'contact.creation' }] },
    });
    sandbox.simulator.importContacts(600);
    await sandbox.webhooks.idle();
    expect(receiver.maxInFlight).toBe(2);
  });
});

describe('retries', () => {
  it('when the target answers 500, then the same events are retried with a growing attemptNumber until accepted', async () => {
    const { sandbox, receiver } = await setUp((_, index) => ({ status: index < 2 ? 500 : 200 }));
    await sdk(sandbox).crm.contacts.basicApi.create({ properties: { email: 'retry@example.com' } });
    await receiver.waitFor(() => receiver.requests.length >= 3);
    await sandbox.webhooks.idle();
    expect(receiver.requests).toHaveLength(3);
    const [first, second, third] = receiver.requests as [ReceivedRequest, ReceivedRequest, ReceivedRequest];
    expect(second.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(third.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(receiver.requests.map((r) => r.events[0]?.attemptNumber)).toEqual([0, 1, 2]);
    // Each attempt is signed afresh over its own body.
    for (const r of receiver.requests) {
      const ts = r.headers['x-hubspot-request-timestamp'] as string;
      expect(r.headers['x-hubspot-signature-v3']).toBe(createHmac('sha256', sandbox.clientSecret).update(`POST${receiver.url}${r.rawBody}${ts}`).digest('base64'));
    }
    expect(sandbox.webhooks.deliveries.map((d) => [d.attemptNumber, d.outcome, d.result])).toEqual([
      [0, 'failed', '500'],
      [1, 'failed', '500'],
      [2, 'delivered', '200'],
    ]);
  });

  it('when the target answers slower than the timeout, then the attempt fails and is retried', async () => {
    const { sandbox, receiver } = await setUp((_, index) => ({ delayMs: index === 0 ? 900 : 0 }), { webhooks: { timeoutMs: 300 } });
    await sdk(sandbox).crm.contacts.basicApi.create({ properties: { email: 'slow@example.com' } });
    await receiver.waitFor(() => receiver.requests.length >= 2);
    await sandbox.webhooks.idle();
    expect(sandbox.webhooks.deliveries.map((d) => [d.attemptNumber, d.outcome, d.result])).toEqual([
      [0, 'failed', 'timeout'],
      [1, 'delivered', '200'],
    ]);
    // The retry came when the timeout fired, not after the slow answer.
    expect(receiver.requests[1]?.receivedAt).toBeLessThan((receiver.requests[0]?.receivedAt as number) + 900);
  });

  it('when the target keeps failing, then a batch is tried 11 times (10 retries) and then given up', async () => {
    const { sandbox, receiver } = await setUp(() => ({ status: 503 }));
    const dead = new Promise((resolve) => sandbox.webhooks.once('dead', resolve));
    await sdk(sandbox).crm.contacts.basicApi.create({ properties: { email: 'dead@example.com' } });
    await dead;
    await sandbox.webhooks.idle();
    expect(receiver.requests.map((r) => r.events[0]?.attemptNumber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sandbox.webhooks.stats).toMatchObject({ dead: 1, delivered: 0, failedAttempts: 11 });
  });

  it('when retry delays are not scaled, then the ten retries spread over most of a day, randomised', async () => {
    const { sandbox } = await setUp();
    sandbox.webhooks.configure({ timeScale: 1 });
    const delays = Array.from({ length: 10 }, (_, attempt) => sandbox.webhooks.retryDelay(attempt));
    const total = delays.reduce((a, b) => a + b, 0);
    expect(delays.every((d, i) => i === 0 || d > (delays[i - 1] as number))).toBe(true);
    expect(total).toBeGreaterThan(12 * 3_600_000);
    expect(total).toBeLessThan(24 * 3_600_000);
    expect(delays[0]).not.toBe(DEFAULT_WEBHOOK_SETTINGS.retryBaseMs);
  });
});

describe('delivery faults', () => {
  const faulty = async (faults: NonNullable<SandboxOptions['webhooks']>['faults'], seed = 21): Promise<{ sandbox: Sandbox; receiver: Receiver }> =>
    setUp(undefined, { seed, webhooks: { faults, maxBatchSize: 10, subscriptions: [{ subscriptionType: 'contact.creation' }] } });

  it('when a drop rate is set, then that share of batches never arrives and the rest do', async () => {
    const { sandbox, receiver } = await faulty({ dropRate: 0.3 });
    sandbox.simulator.importContacts(1_000);
    await sandbox.webhooks.idle();
    const { dropped } = sandbox.webhooks.stats;
    expect(dropped).toBeGreaterThan(15);
    expect(dropped).toBeLessThan(45);
    expect(receiver.requests).toHaveLength(100 - dropped);
    expect(receiver.events).toHaveLength(1_000 - 10 * dropped);
  });

  it('when a duplicate rate is set, then some batches arrive twice with the same eventIds', async () => {
    const { sandbox, receiver } = await faulty({ duplicateRate: 0.2 });
    sandbox.simulator.importContacts(500);
    await sandbox.webhooks.idle();
    const ids = receiver.events.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(500);
    expect(ids.length - 500).toBe(10 * sandbox.webhooks.stats.duplicates);
    expect(sandbox.webhooks.stats.duplicates).toBeGreaterThan(2);
  });

  it('when a reorder rate is set, then later events overtake earlier ones', async () => {
    const { sandbox, receiver } = await faulty({ reorderRate: 0.3, reorderDelayMs: 100 });
    sandbox.simulator.importContacts(300);
    await sandbox.webhooks.idle();
    const ids = receiver.events.map((e) => e.eventId as number);
    expect(new Set(ids).size).toBe(300);
    const inversions = ids.filter((id, i) => i > 0 && id < (ids[i - 1] as number)).length;
    expect(inversions).toBeGreaterThan(0);
  });

  it('when the same seed drives the same faults, then the same batches are dropped', async () => {
    const run = async (): Promise<number[]> => {
      const { sandbox } = await faulty({ dropRate: 0.25 }, 99);
      sandbox.simulator.importContacts(200);
      await sandbox.webhooks.idle();
      return sandbox.webhooks.deliveries.filter((d) => d.outcome === 'dropped').map((d) => d.batchId);
    };
    const first = await run();
    expect(first.length).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
  });
});

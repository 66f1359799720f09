import { computeV1 } from '../../webhooks';
import { hubspotEvent, PORTAL_ID, PUBLIC_URL, SECRET, startTestApp, type TestApp } from '../server/harness';

/**
 * Acceptance 1: each bad input gets its exact status code and leaves nothing in the store. For signature
 * problems the reason is logged and counted but never told to the caller.
 */
describe('webhook receiver: bad-input matrix', () => {
  let app: TestApp;
  const MAX_BODY = 64 * 1024;

  beforeAll(async () => {
    app = await startTestApp({ portalId: PORTAL_ID, maxBodyBytes: MAX_BODY });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    app.logs.length = 0;
  });
  afterEach(async () => {
    // The heart of the matrix: whatever was refused, nothing was stored and no work was created.
    expect(await app.store.countEvents()).toBe(0);
    expect(await app.store.listWork()).toEqual([]);
  });

  const batch = (overrides: Record<string, unknown> = {}) => JSON.stringify([hubspotEvent(overrides), hubspotEvent({ objectId: 456 })]);
  const flip = (s: string) => `${s.slice(0, 5)}${s[5] === 'A' ? 'B' : 'A'}${s.slice(6)}`;

  async function expectUnauthorized(res: { status: number; body: string }, reason: string) {
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ error: 'unauthorized' });
    expect(app.logs).toContainEqual(expect.objectContaining({ reason, msg: 'webhook rejected: signature' }));
    const metrics = (await app.get('/metrics')).body;
    expect(metrics).toMatch(new RegExp(`uld_webhook_requests_rejected_total\\{reason="${reason}"\\} [1-9]`));
  }

  test('when the signature is missing, then 401', async () => {
    await expectUnauthorized(await app.post(batch()), 'missing_signature');
  });

  test('when the signature is made with the wrong secret, then 401', async () => {
    const body = batch();
    await expectUnauthorized(await app.post(body, app.signed(body, { secret: 'not-the-secret' })), 'bad_signature');
  });

  test('when the signature is tampered with, then 401', async () => {
    const body = batch();
    const headers = app.signed(body);
    headers['X-HubSpot-Signature-v3'] = flip(headers['X-HubSpot-Signature-v3']!);
    await expectUnauthorized(await app.post(body, headers), 'bad_signature');
  });

  test('when the body is tampered with after signing, then 401', async () => {
    const body = batch();
    const headers = app.signed(body);
    await expectUnauthorized(await app.post(body.replace('"objectId":123', '"objectId":124'), headers), 'bad_signature');
  });

  test('when the timestamp is stale (over 5 minutes), then 401 even though the signature matches it', async () => {
    const body = batch();
    await expectUnauthorized(await app.post(body, app.signed(body, { timestamp: Date.now() - 6 * 60_000 })), 'stale_timestamp');
  });

  test('when the timestamp is in the future beyond the skew, then 401', async () => {
    const body = batch();
    await expectUnauthorized(await app.post(body, app.signed(body, { timestamp: Date.now() + 5 * 60_000 })), 'future_timestamp');
  });

  test('when the body is re-serialized with different whitespace, then 401: the raw bytes are what is signed', async () => {
    const events = [hubspotEvent()];
    const compact = JSON.stringify(events);
    await expectUnauthorized(await app.post(JSON.stringify(events, null, 2), app.signed(compact)), 'bad_signature');
  });

  test('when the request was signed for another URL, then 401', async () => {
    const body = batch();
    await expectUnauthorized(await app.post(body, app.signed(body, { uri: 'https://attacker.example.com/webhooks/hubspot' })), 'bad_signature');
  });

  test('when only a v1 signature is sent and v1 is not enabled, then 401', async () => {
    const body = batch();
    const res = await app.post(body, { 'X-HubSpot-Signature': computeV1(SECRET, body), 'X-HubSpot-Signature-Version': 'v1' });
    await expectUnauthorized(res, 'v1_not_accepted');
  });

  test('when the body is not JSON, then 400 saying so', async () => {
    const body = '[{"eventId": 1,';
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'invalid_body', message: expect.stringMatching(/^body is not valid JSON: /) });
  });

  test('when the body is not an array, then 400 saying what was expected', async () => {
    const body = JSON.stringify(hubspotEvent());
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).message).toBe('body must be a JSON array of events, got object');
  });

  test('when an event has no objectId, then 400 naming the event and the field', async () => {
    const withoutId = hubspotEvent();
    delete withoutId.objectId;
    const body = JSON.stringify([hubspotEvent(), withoutId]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).message).toBe('invalid event: body[1].objectId is required');
  });

  test('when an association change has neither objectId nor fromObjectId, then 400 naming objectId', async () => {
    const assoc = hubspotEvent({ subscriptionType: 'deal.associationChange', associationType: 'DEAL_TO_CONTACT', toObjectId: 5, associationRemoved: false });
    delete assoc.objectId;
    const body = JSON.stringify([assoc]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).message).toBe('invalid event: body[0].objectId is required');
  });

  test('when fields of a known kind are wrong, then 400 lists each problem precisely', async () => {
    const body = JSON.stringify([
      hubspotEvent({ occurredAt: 'yesterday' }),
      hubspotEvent({ subscriptionType: 'contact.merge', mergedObjectIds: 'x' }),
      hubspotEvent({ subscriptionType: 'object.creation' }),
    ]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(400);
    const { message } = JSON.parse(res.body) as { message: string };
    expect(message).toContain('body[0].occurredAt Invalid input: expected number, received string');
    expect(message).toContain('body[1].primaryObjectId is required');
    expect(message).toContain('body[1].mergedObjectIds Invalid input: expected array, received string');
    expect(message).toContain('body[2].objectTypeId is required');
  });

  test('when the body is over the limit, then 413', async () => {
    const body = JSON.stringify(Array.from({ length: 400 }, () => hubspotEvent()));
    expect(body.length).toBeGreaterThan(MAX_BODY);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'payload_too_large', message: `body exceeds ${MAX_BODY} bytes (WEBHOOK_MAX_BODY_BYTES)` });
  });

  test('when an event comes from another portal, then 403 naming it', async () => {
    const body = JSON.stringify([hubspotEvent(), hubspotEvent({ portalId: 99999 })]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      error: 'wrong_portal',
      message: `body[1].portalId is 99999, but this receiver serves portal ${PORTAL_ID} (HUBSPOT_PORTAL_ID)`,
    });
  });
});

describe('webhook receiver: accepted input', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ portalId: PORTAL_ID, acceptV1: true });
  });
  afterEach(() => app.close());

  test('when a batch is correctly signed, then 200 only after it is stored', async () => {
    const body = JSON.stringify([hubspotEvent({ objectId: 1 }), hubspotEvent({ objectId: 2, subscriptionType: 'deal.creation' })]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: 2, stored: 2, duplicates: 0 });
    expect(await app.store.countEvents()).toBe(2);
    expect((await app.store.listWork()).map((u) => [u.objectType, u.objectId])).toEqual([
      ['contact', '1'],
      ['deal', '2'],
    ]);
    const [stored] = await app.store.listEvents({ objectId: '1' });
    expect(JSON.parse(stored!.payload)).toEqual(JSON.parse(body)[0]);
  });

  test('when the subscription type is unknown but well-formed, then 200 and it is stored as ignored', async () => {
    const body = JSON.stringify([
      hubspotEvent({ subscriptionType: 'conversation.newMessage', objectId: 9 }),
      hubspotEvent({ subscriptionType: 'contact.somethingNew' }),
      hubspotEvent({ subscriptionType: 'p_machine2.creation', objectId: 10 }),
      hubspotEvent({ subscriptionType: 'ticket.property-change', objectId: 11 }),
    ]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(200);
    expect(await app.store.countEvents({ disposition: 'ignored' })).toBe(4);
    expect(await app.store.listWork()).toEqual([]);
  });

  test('when an association change comes without objectId, as recorded deliveries do, then 200 and both ends get work', async () => {
    const assoc = hubspotEvent({ subscriptionType: 'contact.associationChange', associationType: 'CONTACT_TO_DEAL', fromObjectId: 31, toObjectId: 32, associationRemoved: false });
    delete assoc.objectId;
    delete assoc.propertyName;
    delete assoc.propertyValue;
    const body = JSON.stringify([assoc]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(200);
    expect((await app.store.listEvents()).map((e) => [e.subscriptionType, e.objectId])).toEqual([['contact.associationChange', '31']]);
    expect((await app.store.listWork()).map((u) => [u.objectType, u.objectId, u.changes])).toEqual([
      ['contact', '31', ['association_changed', 'conversion_signal']],
      ['deal', '32', ['association_changed', 'conversion_signal']],
    ]);
  });

  test('when v1 is enabled and a correct v1 signature is sent, then 200', async () => {
    const body = JSON.stringify([hubspotEvent()]);
    const res = await app.post(body, { 'X-HubSpot-Signature': computeV1(SECRET, body), 'X-HubSpot-Signature-Version': 'v1' });
    expect(res.status).toBe(200);
  });

  test('when the store is down, then 503 so HubSpot retries, and the failure is logged', async () => {
    await app.store.close();
    const body = JSON.stringify([hubspotEvent()]);
    const res = await app.post(body, app.signed(body));
    expect(res.status).toBe(503);
    expect(app.logs).toContainEqual(expect.objectContaining({ level: 'error', msg: expect.stringMatching(/store unavailable/) }));
  });

  test('when the public URL differs from the URL the request reached, then the public URL is what counts', async () => {
    // The test server is http://127.0.0.1:<port>; HubSpot signed https://uld.example.com/... (a proxy in between).
    const body = JSON.stringify([hubspotEvent()]);
    expect((await app.post(body, app.signed(body, { uri: `${app.url}/webhooks/hubspot` }))).status).toBe(401);
    expect((await app.post(body, app.signed(body, { uri: PUBLIC_URL }))).status).toBe(200);
  });
});

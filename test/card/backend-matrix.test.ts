import { CARD_ROUTES, type CardResponse } from '../../card/src/contract';
import { fetchSignatureV3 } from '../../src/sandbox';
import { cardWorld, PUBLIC_ORIGIN, type CardWorld } from './harness';

/**
 * Acceptance 2 of issue 13: the card's backend accepts only what HubSpot signed for this app and portal.
 * A correctly signed request (through the sandbox's `hubspot.fetch` proxy, signed as HubSpot signs) gets
 * the card from ONE store call and ZERO HubSpot calls; every other row is refused before anything is read
 * or written: no store call, no HubSpot call, no audit row, no queued work. Every answer is JSON.
 */

let w: CardWorld;
beforeAll(async () => {
  w = await cardWorld();
});
afterAll(async () => {
  await w.stop();
});

interface RawRequest {
  method: 'GET' | 'POST';
  /** Path and query as HubSpot would call them (appId included). */
  path: string;
  body?: string;
  secret?: string;
  timestamp?: number;
  /** Sign this URL instead of the one called. */
  signedUrl?: string;
  /** Sign this body instead of the one sent. */
  signedBody?: string;
  unsigned?: boolean;
  headers?: Record<string, string>;
}

/** A request built by hand, signed (or not) the way HubSpot signs, sent straight to the backend. */
async function raw(r: RawRequest): Promise<{ status: number; contentType: string; json: CardResponse }> {
  const body = r.body ?? '';
  const timestamp = r.timestamp ?? Date.now();
  const signature = fetchSignatureV3(r.secret ?? w.sandbox.clientSecret, r.method, r.signedUrl ?? `${PUBLIC_ORIGIN}${r.path}`, r.signedBody ?? body, timestamp);
  const res = await fetch(`http://127.0.0.1:${w.http.port}${r.path}`, {
    method: r.method,
    headers: {
      ...(r.unsigned ? {} : { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestamp) }),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...r.headers,
    },
    ...(body ? { body } : {}),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', json: (await res.json()) as CardResponse };
}

const query = (over: Record<string, string> = {}) => new URLSearchParams({ portalId: String(w.sandbox.portalId), userId: '4242', appId: String(w.sandbox.appId), ...over }).toString();

async function sideEffects(): Promise<{ store: number; hubspot: number; writes: number; work: number }> {
  const h = await w.store.history(w.contactId);
  return { store: w.counted.total(), hubspot: w.hubspotCalls(), writes: h.writes.length, work: (await w.store.listWork({ objectType: 'contact' })).length };
}

test('when the card asks through hubspot.fetch, correctly signed, then it gets its card from one store read and no HubSpot call', async () => {
  const before = await sideEffects();
  w.counted.calls.clear();
  const r = await w.proxy.fetch(w.url(CARD_ROUTES.view(w.contactId)));
  expect(r.status).toBe(200);
  expect(r.attempts).toBe(1);
  const body = r.body as CardResponse;
  if (!body.ok) throw new Error(body.error.message);
  expect(body.card).toMatchObject({ contactId: w.contactId, status: 'sales_ready', scores: { total: 85, fit: 55, engagement: 30 }, handOff: { ownerId: '101', verdict: null } });
  expect(body.card.reasons.fit).toEqual([{ text: '+30 fit: Senior title', ref: 'senior', points: 30 }]);
  expect([...w.counted.calls]).toEqual([['cardData', 1]]);
  const after = await sideEffects();
  expect(after.hubspot - before.hubspot).toBe(0);
  expect([after.writes, after.work]).toEqual([before.writes, before.work]);
});

test.each([
  ['as sent (percent-escapes kept, as the hubspot.fetch proxy signs)', false],
  ['decoded (as HubSpot signs webhooks)', true],
])("when the query carries the rep's email and the URL was signed %s, then the card is served", async (_name, decoded) => {
  const path = `${CARD_ROUTES.view(w.contactId)}?${query({ userEmail: 'rep+1@acme.example' })}`;
  expect(path).toContain('rep%2B1%40acme.example');
  const signedUrl = `${PUBLIC_ORIGIN}${decoded ? path.replace('%40', '@') : path}`;
  const res = await raw({ method: 'GET', path, signedUrl });
  expect([res.status, res.json.ok]).toEqual([200, true]);
});

type Row = [name: string, request: () => RawRequest, status: number, code: string];
const verdictPath = () => `${CARD_ROUTES.verdict(w.contactId)}?${query()}`;
const viewPath = () => `${CARD_ROUTES.view(w.contactId)}?${query()}`;
const accept = JSON.stringify({ verdict: 'accepted' });
const rows: Row[] = [
  ['a signature made with another secret', () => ({ method: 'GET', path: viewPath(), secret: 'not-the-client-secret' }), 401, 'unauthorized'],
  ['a verdict with a signature made with another secret', () => ({ method: 'POST', path: verdictPath(), body: accept, secret: 'not-the-client-secret' }), 401, 'unauthorized'],
  ['no signature at all', () => ({ method: 'GET', path: viewPath(), unsigned: true }), 401, 'unauthorized'],
  ['a signature over another URL (a path changed in transit)', () => ({ method: 'GET', path: viewPath(), signedUrl: `${PUBLIC_ORIGIN}${CARD_ROUTES.view('1')}?${query()}` }), 401, 'unauthorized'],
  ['a verdict whose body changed after signing', () => ({ method: 'POST', path: verdictPath(), body: JSON.stringify({ verdict: 'rejected_misrouted' }), signedBody: accept }), 401, 'unauthorized'],
  ['a timestamp 6 minutes old (a replay)', () => ({ method: 'POST', path: verdictPath(), body: accept, timestamp: Date.now() - 6 * 60_000 }), 401, 'unauthorized'],
  ["another app's id, signed", () => ({ method: 'GET', path: `${CARD_ROUTES.view(w.contactId)}?${query({ appId: '999' })}` }), 403, 'forbidden'],
  ['no app id, signed', () => ({ method: 'GET', path: `${CARD_ROUTES.view(w.contactId)}?portalId=${w.sandbox.portalId}` }), 403, 'forbidden'],
  ['another portal, signed', () => ({ method: 'POST', path: `${CARD_ROUTES.verdict(w.contactId)}?${query({ portalId: '1' })}`, body: accept }), 403, 'forbidden'],
  ['our portal and another, signed', () => ({ method: 'GET', path: `${viewPath()}&portalId=1` }), 403, 'forbidden'],
  ['a body over 1 MB, signed', () => ({ method: 'POST', path: verdictPath(), body: JSON.stringify({ verdict: 'accepted', pad: 'x'.repeat(1_048_576) }) }), 413, 'payload_too_large'],
];

test.each(rows)('when a request comes with %s, then it is refused and nothing is read or written', async (...[, request, status, code]: Row) => {
  const before = await sideEffects();
  const res = await raw(request());
  expect(res.status).toBe(status);
  expect(res.contentType).toMatch(/^application\/json/);
  expect(res.json).toEqual({ ok: false, error: { code, message: expect.any(String) } });
  expect(await sideEffects()).toEqual(before);
});

describe('every answer is JSON, errors included', () => {
  type JsonRow = [name: string, request: () => RawRequest, status: number, code: string];
  const jsonRows: JsonRow[] = [
    ['an unknown route inside /card', () => ({ method: 'GET', path: `/card/nothing-here?${query()}` }), 404, 'not_found'],
    ['a contact id that is not digits', () => ({ method: 'GET', path: `${CARD_ROUTES.view('abc')}?${query()}` }), 400, 'bad_request'],
    ['a contact never decided', () => ({ method: 'GET', path: `${CARD_ROUTES.view('123456789')}?${query()}` }), 404, 'not_found'],
    ['a verdict body that is not JSON', () => ({ method: 'POST', path: verdictPath(), body: '{"verdict":' }), 400, 'bad_request'],
    ['a verdict that is not one of the four', () => ({ method: 'POST', path: verdictPath(), body: JSON.stringify({ verdict: 'maybe' }) }), 400, 'bad_request'],
    ['a verdict without the user who gives it', () => ({ method: 'POST', path: `${CARD_ROUTES.verdict(w.contactId)}?${query({ userId: '' })}`, body: accept }), 400, 'bad_request'],
  ];
  test.each(jsonRows)('when %s, then the answer is CardResponse JSON and nothing is written', async (...[, request, status, code]: JsonRow) => {
    const before = await sideEffects();
    const res = await raw(request());
    expect([res.status, res.contentType.split(';')[0], res.json]).toEqual([status, 'application/json', { ok: false, error: { code, message: expect.any(String) } }]);
    const after = await sideEffects();
    expect([after.hubspot, after.writes, after.work]).toEqual([before.hubspot, before.writes, before.work]);
  });

  test('when a verdict is given on a contact never handed off, then 409, and HubSpot is not called', async () => {
    const id = w.sandbox.portal.create('contacts', { email: 'never-ready@acme.example' }, { sourceType: 'CRM_UI' }).id;
    await w.store.upsertContacts([{ ...(await w.store.getContacts([w.contactId])).get(w.contactId)!, id, status: 'nurture', qualifiedAt: null }]);
    const before = w.hubspotCalls();
    const r = await w.proxy.fetch(w.url(CARD_ROUTES.verdict(id)), { method: 'POST', body: { verdict: 'accepted' } });
    expect(r.appServerStatus).toBe(409);
    expect(r.envelope).toMatchObject({ status: 'error', category: 'BAD_GATEWAY' });
    expect(r.body).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('never handed off') } });
    expect(w.hubspotCalls()).toBe(before);
  });
});

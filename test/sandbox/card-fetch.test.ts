import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubSpotFetchProxy, fetchSignatureV2, fetchSignatureV3, FETCH_MAX_BYTES } from '../../src/sandbox';
import { verifyHubSpotSignature } from '../../webhooks/signature';

/**
 * The sandbox's `hubspot.fetch` proxy against a backend whose answers each test chooses: signing, the query,
 * bodies, limits, the one retry, the concurrency limit and the error mapping of HubSpot's dev-server proxy.
 */

const SECRET = 'proxy-secret';
const PUBLIC = 'https://backend.example.test';
let server: http.Server;
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  handler = (_req, _body, res) => json(res, 200, { ok: true });
});

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
const proxy = (over: Partial<ConstructorParameters<typeof HubSpotFetchProxy>[0]> = {}) =>
  new HubSpotFetchProxy({ clientSecret: SECRET, appId: 31, portalId: 62, permittedUrls: [PUBLIC], localMapping: { [PUBLIC]: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, ...over });

test('when the card posts a JSON object, then the backend gets it with appId appended, signed v2 and v3 over the public URL, and the product verifies it', async () => {
  const r = await proxy().fetch(`${PUBLIC}/card/x?userId=5`, { method: 'POST', body: { verdict: 'accepted' } });
  expect(r).toMatchObject({ status: 200, ok: true, body: { ok: true }, appServerStatus: 200, attempts: 1, envelope: { status: 'success', responseBody: { ok: true } } });
  const got = seen[0]!;
  expect(got.url).toBe('/card/x?userId=5&appId=31');
  expect(got.body).toBe('{"verdict":"accepted"}');
  expect(got.headers['content-type']).toBe('application/json');
  expect(got.headers['x-hubspot-signature-version']).toBe('v2');
  const ts = Number(got.headers['x-hubspot-request-timestamp']);
  expect(got.headers['x-hubspot-signature']).toBe(fetchSignatureV2(SECRET, 'POST', `${PUBLIC}/card/x?userId=5&appId=31`, got.body));
  expect(got.headers['x-hubspot-signature-v3']).toBe(fetchSignatureV3(SECRET, 'POST', `${PUBLIC}/card/x?userId=5&appId=31`, got.body, ts));
  const verified = verifyHubSpotSignature({ method: 'POST', publicUrl: `${PUBLIC}${got.url}`, rawBody: Buffer.from(got.body), headers: got.headers, clientSecret: SECRET, acceptV1: false, now: Date.now() });
  expect(verified.ok).toBe(true);
});

test('when the card GETs, then no body and no content type are sent, and the signed body is empty', async () => {
  await proxy().fetch(`${PUBLIC}/card/x`, { body: { ignored: true } });
  const got = seen[0]!;
  expect([got.method, got.url, got.body, got.headers['content-type']]).toEqual(['GET', '/card/x?appId=31', '', undefined]);
  expect(got.headers['x-hubspot-signature-v3']).toBe(fetchSignatureV3(SECRET, 'GET', `${PUBLIC}/card/x?appId=31`, '', Number(got.headers['x-hubspot-request-timestamp'])));
});

type Refusal = [name: string, url: string, init: Parameters<HubSpotFetchProxy['fetch']>[1], message: string];
const refusals: Refusal[] = [
  ['a body that is an array', `${PUBLIC}/a`, { method: 'POST', body: [1] }, 'Invalid JSON Request Body'],
  ['a body that is a string', `${PUBLIC}/a`, { method: 'POST', body: 'text' }, 'Invalid JSON Request Body'],
  ['a body over 1 MB', `${PUBLIC}/a`, { method: 'POST', body: { pad: 'x'.repeat(FETCH_MAX_BYTES) } }, `Request payload exceeds ${FETCH_MAX_BYTES} bytes`],
  ['a header other than Authorization', `${PUBLIC}/a`, { headers: { 'X-Mine': '1' } }, "Invalid Request Headers provided. Only 'Authorization' header is allowed from hubspot.fetch()"],
  ['two headers', `${PUBLIC}/a`, { headers: { Authorization: 'a', 'X-Mine': '1' } }, "Only 'Authorization' header is allowed"],
  ['an origin not in permittedUrls.fetch', 'https://elsewhere.example.test/a', {}, "https://elsewhere.example.test is not in the app's permittedUrls.fetch"],
  ['a malformed URL', 'not a url', {}, 'URL is malformed'],
];
test.each(refusals)('when the card sends %s, then the proxy refuses it with VALIDATION_ERROR and calls nothing', async (...[, url, init, message]: Refusal) => {
  const r = await proxy().fetch(url, init);
  expect(r.status).toBe(400);
  expect(r.envelope).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', message });
  expect(seen).toHaveLength(0);
});

test('when the backend answers 5xx once, then the proxy retries once and returns the second answer', async () => {
  let n = 0;
  handler = (_req, _body, res) => (n++ === 0 ? json(res, 503, { ok: false }) : json(res, 200, { ok: true, n }));
  const r = await proxy().fetch(`${PUBLIC}/a`, { method: 'POST', body: {} });
  expect(r).toMatchObject({ status: 200, ok: true, attempts: 2, body: { ok: true, n: 2 } });
  expect(seen).toHaveLength(2);
  // Each attempt is signed afresh.
  expect(seen[0]!.headers['x-hubspot-signature-v3']).toBeDefined();
});

test('when the backend answers 5xx twice, then the proxy gives up after one retry, BAD_GATEWAY with HTTP 200 and the backend body', async () => {
  handler = (_req, _body, res) => json(res, 500, { ok: false, error: { code: 'internal_error' } });
  const r = await proxy().fetch(`${PUBLIC}/a`);
  expect(seen).toHaveLength(2);
  expect(r).toMatchObject({ status: 200, ok: false, attempts: 2, appServerStatus: 500, body: { ok: false, error: { code: 'internal_error' } } });
  expect(r.envelope).toMatchObject({ status: 'error', category: 'BAD_GATEWAY', message: 'Error returned from Request Uri', context: { appServerStatusCode: ['500'] } });
});

test('when the backend answers 4xx, then no retry: BAD_GATEWAY with its status and body', async () => {
  handler = (_req, _body, res) => json(res, 409, { ok: false });
  const r = await proxy().fetch(`${PUBLIC}/a`);
  expect(seen).toHaveLength(1);
  expect(r).toMatchObject({ status: 200, ok: false, appServerStatus: 409, attempts: 1, envelope: { category: 'BAD_GATEWAY' } });
});

test('when the backend answers 2xx with something not JSON, then 400 Invalid JSON Response Body', async () => {
  handler = (_req, _body, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
  const r = await proxy().fetch(`${PUBLIC}/a`);
  expect(r).toMatchObject({ status: 400, ok: false, envelope: { category: 'VALIDATION_ERROR', message: 'Invalid JSON Response Body' } });
});

test('when the backend answers more than 1 MB, then the proxy refuses the response', async () => {
  handler = (_req, _body, res) => json(res, 200, { pad: 'x'.repeat(FETCH_MAX_BYTES) });
  const r = await proxy().fetch(`${PUBLIC}/a`);
  expect(r).toMatchObject({ status: 400, ok: false, envelope: { category: 'VALIDATION_ERROR', message: `Response payload exceeds ${FETCH_MAX_BYTES} bytes` } });
});

test('when the backend is slower than the timeout, then 504 GATEWAY_TIMEOUT, without a retry', async () => {
  handler = (_req, _body, res) => setTimeout(() => json(res, 200, {}), 500);
  const r = await proxy().fetch(`${PUBLIC}/a`, { timeout: 100 });
  expect(r).toMatchObject({ status: 504, ok: false, envelope: { category: 'GATEWAY_TIMEOUT', message: 'Gateway took too long to respond' } });
  expect(seen.length).toBeLessThanOrEqual(1);
});

test('when nothing listens, then one retry, then a network error', async () => {
  const p = proxy({ localMapping: { [PUBLIC]: 'http://127.0.0.1:1' } });
  const r = await p.fetch(`${PUBLIC}/a`);
  expect(r).toMatchObject({ status: 500, ok: false, attempts: 2, envelope: { category: 'INTERNAL_SERVER_ERROR', message: 'Network error' } });
  expect(p.stats.retries).toBe(1);
});

test('when 21 requests are in flight for one account, then the 21st is answered 429 at once and the 20 complete', async () => {
  const held: Array<() => void> = [];
  handler = (_req, _body, res) => held.push(() => json(res, 200, { ok: true }));
  const p = proxy();
  const first = Array.from({ length: 20 }, () => p.fetch(`${PUBLIC}/a`));
  while (held.length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
  const extra = await p.fetch(`${PUBLIC}/a`);
  expect(extra).toMatchObject({ status: 429, ok: false, envelope: { category: 'RATE_LIMITS' } });
  for (const release of held) release();
  expect((await Promise.all(first)).every((r) => r.ok)).toBe(true);
  expect(p.stats).toMatchObject({ throttled: 1, maxInFlight: 20 });
  // A slot freed is a slot again.
  handler = (_req, _body, res) => json(res, 200, { ok: true });
  expect((await p.fetch(`${PUBLIC}/a`)).ok).toBe(true);
});

import { createHmac } from 'node:crypto';
import { computeV1, MAX_FUTURE_SKEW_MS, MAX_SIGNATURE_AGE_MS, signedUri, verifyHubSpotSignature } from '../../webhooks';

const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const now = 1_764_000_000_000;
const uri = 'https://uld.example.com/webhooks/hubspot';
const body = Buffer.from('[{"eventId":1,"objectId":123}]');

/** The v3 formula written out independently of the code under test. */
function v3(message: string, key = secret): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64');
}

function verify(headers: Record<string, string>, overrides: Partial<Parameters<typeof verifyHubSpotSignature>[0]> = {}) {
  return verifyHubSpotSignature({ method: 'POST', publicUrl: uri, rawBody: body, headers, clientSecret: secret, acceptV1: false, now, ...overrides });
}

const v3Headers = (signature: string, timestamp = now) => ({ 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) });

describe('HubSpot signatures', () => {
  test('when a v3 signature is method + uri + body + timestamp under the client secret, then it verifies', () => {
    expect(verify(v3Headers(v3(`POST${uri}${body}${now}`)))).toEqual({ ok: true, version: 'v3', app: 'current' });
  });

  test('when the official v1 example is checked, then the documented hash comes out and verifies when v1 is on', () => {
    const example = Buffer.from(
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]',
    );
    const expected = '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de';
    expect(computeV1(secret, example)).toBe(expected);
    const headers = { 'x-hubspot-signature': expected, 'x-hubspot-signature-version': 'v1' };
    expect(verify(headers, { rawBody: example, acceptV1: true })).toEqual({ ok: true, version: 'v1', app: 'current' });
    expect(verify(headers, { rawBody: example, acceptV1: false })).toMatchObject({ ok: false, reason: 'v1_not_accepted' });
  });

  test('when the public URL carries encoded characters, then the ones HubSpot decodes are decoded before hashing', () => {
    const encoded = 'https://uld.example.com/webhooks/hubspot%3Fportal%3D1%2Cx%3Ay%40z%20w';
    expect(signedUri(encoded)).toBe('https://uld.example.com/webhooks/hubspot?portal%3D1,x:y@z%20w');
    const signature = v3(`POST${signedUri(encoded)}${body}${now}`);
    expect(verify(v3Headers(signature), { publicUrl: encoded })).toEqual({ ok: true, version: 'v3', app: 'current' });
  });

  test.each([
    ['no signature at all', 'missing_signature', {}],
    ['a v3 signature without timestamp', 'malformed_timestamp', { 'x-hubspot-signature-v3': 'abc' }],
    ['a non-numeric timestamp', 'malformed_timestamp', { 'x-hubspot-signature-v3': 'abc', 'x-hubspot-request-timestamp': '2026-01-01' }],
    ['a signature from another secret', 'bad_signature', v3Headers(v3(`POST${uri}${body}${now}`, 'other-secret'))],
    ['a signature over another URL', 'bad_signature', v3Headers(v3(`POSThttp://localhost:3000/webhooks/hubspot${body}${now}`))],
    ['a signature over another method', 'bad_signature', v3Headers(v3(`PUT${uri}${body}${now}`))],
    ['a truncated signature', 'bad_signature', v3Headers(v3(`POST${uri}${body}${now}`).slice(0, 20))],
    ['a stale timestamp', 'stale_timestamp', v3Headers(v3(`POST${uri}${body}${now - MAX_SIGNATURE_AGE_MS - 1}`), now - MAX_SIGNATURE_AGE_MS - 1)],
    ['a future timestamp', 'future_timestamp', v3Headers(v3(`POST${uri}${body}${now + MAX_FUTURE_SKEW_MS + 1}`), now + MAX_FUTURE_SKEW_MS + 1)],
  ])('when a request has %s, then it is refused as %s', (_what, reason, headers) => {
    expect(verify(headers as Record<string, string>)).toMatchObject({ ok: false, reason });
  });

  test('when a timestamp is within the window and skew, then it passes at both edges', () => {
    for (const ts of [now - MAX_SIGNATURE_AGE_MS, now + MAX_FUTURE_SKEW_MS]) {
      expect(verify(v3Headers(v3(`POST${uri}${body}${ts}`), ts))).toEqual({ ok: true, version: 'v3', app: 'current' });
    }
  });

  describe('during a migration window (HUBSPOT_PREVIOUS_CLIENT_SECRET)', () => {
    const previous = 'pppppppp-pppp-pppp-pppp-pppppppppppp';
    const third = 'tttttttt-tttt-tttt-tttt-tttttttttttt';
    const v1Headers = (key: string) => ({ 'x-hubspot-signature': computeV1(key, body), 'x-hubspot-signature-version': 'v1' });

    test.each([
      ['v3', 'the current secret', v3Headers(v3(`POST${uri}${body}${now}`, secret)), { ok: true, version: 'v3', app: 'current' }],
      ['v3', 'the previous secret', v3Headers(v3(`POST${uri}${body}${now}`, previous)), { ok: true, version: 'v3', app: 'previous' }],
      ['v3', 'a third secret', v3Headers(v3(`POST${uri}${body}${now}`, third)), { ok: false, reason: 'bad_signature' }],
      ['v1', 'the current secret', v1Headers(secret), { ok: true, version: 'v1', app: 'current' }],
      ['v1', 'the previous secret', v1Headers(previous), { ok: true, version: 'v1', app: 'previous' }],
      ['v1', 'a third secret', v1Headers(third), { ok: false, reason: 'bad_signature' }],
    ])('when a %s signature is made with %s, then the verdict is %j', (_version, _who, headers, verdict) => {
      expect(verify(headers, { previousClientSecret: previous, acceptV1: true })).toMatchObject(verdict);
    });

    test('when the previous secret signs a stale request, then it is refused like any other', () => {
      const ts = now - MAX_SIGNATURE_AGE_MS - 1;
      expect(verify(v3Headers(v3(`POST${uri}${body}${ts}`, previous), ts), { previousClientSecret: previous })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    });

    test('when no window is open, then the previous secret is just another wrong secret', () => {
      expect(verify(v3Headers(v3(`POST${uri}${body}${now}`, previous)))).toMatchObject({ ok: false, reason: 'bad_signature' });
    });
  });
});

import nock from 'nock';
import { API_VERSIONS, ConfigurationError, RateLimitedError, RollingLimiter, TransientError, apiPaths, createGateway, errorFromResponse, type ApiVersion } from '../../src/hubspot';

/**
 * What the sandbox cannot produce: a DAILY 429 through a batch endpoint (whose body the SDK strips of
 * `policyName`), Retry-After, bodies that are not HubSpot's JSON, a 403 naming scopes. Plus the limiter
 * steered by headers, on a controlled clock.
 */
const BASE = 'http://hubspot.test';
const gatewayOn = (apiVersion: ApiVersion) => createGateway({ accessToken: 'pat-na1-test', baseUrl: BASE, apiVersion, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 1_000 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
// nock patches Node's http module for the whole worker process on import: undo it, or the next test file in
// this worker sends its real requests through this file's (by then deleted) interceptor.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe.each(API_VERSIONS)('HubSpot API %s', (version) => {
  const P = apiPaths(version);
  const gateway = () => gatewayOn(version);

  describe('answers only nock can give', () => {
    it('when the daily cap is hit on a batch read, then RateLimitedError DAILY with retryAt at the next midnight UTC or in an hour, whichever is first', async () => {
      nock(BASE)
        .post(P.batch('contacts', 'read')).query(true)
        .reply(429, { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', correlationId: 'c-1', policyName: 'DAILY' }, { 'Content-Type': 'application/json', 'X-HubSpot-RateLimit-Daily-Remaining': '0' });
      const before = Date.now();
      const err = (await gateway().read('contacts', ['1'], []).catch((e: unknown) => e)) as RateLimitedError;
      const after = Date.now();
      expect(err).toBeInstanceOf(RateLimitedError);
      expect(err.policy).toBe('DAILY');
      const midnight = new Date(before);
      midnight.setUTCHours(24, 0, 0, 0);
      // HubSpot resets at midnight of the account's time zone, unknown here: probe hourly rather than wait for UTC.
      expect(err.retryAt).toBeGreaterThanOrEqual(Math.min(midnight.getTime(), before + 3_600_000));
      expect(err.retryAt).toBeLessThanOrEqual(Math.min(midnight.getTime(), after + 3_600_000));
    });

    it('when a 429 carries Retry-After, then retryAt follows it', async () => {
      nock(BASE).post(P.batch('contacts', 'update')).reply(429, { message: 'You have reached your ten_secondly_rolling limit.' }, { 'Content-Type': 'application/json', 'Retry-After': '3' });
      const before = Date.now();
      const err = (await gateway().update('contacts', [{ id: '1', properties: { a: 'b' } }]).catch((e: unknown) => e)) as RateLimitedError;
      expect(err.policy).toBe('TEN_SECONDLY_ROLLING');
      expect(err.retryAt).toBeGreaterThanOrEqual(before + 3_000);
      expect(err.retryAt).toBeLessThan(before + 4_000);
    });

    it('when a proxy answers an HTML 502 and then an empty 503 without content type, then they are retried and the status survives', async () => {
      const scope = nock(BASE)
        .post(P.batch('contacts', 'read')).query(true)
        .reply(502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' })
        .post(P.batch('contacts', 'read')).query(true)
        .reply(503, '')
        .post(P.batch('contacts', 'read')).query(true)
        .reply(503, '');
      const err = (await gateway().read('contacts', ['1'], []).catch((e: unknown) => e)) as TransientError;
      expect(err).toBeInstanceOf(TransientError);
      expect(err.status).toBe(503);
      expect(scope.isDone()).toBe(true);
    });

    it('when the token lacks a scope, then ConfigurationError names the scope HubSpot asked for', async () => {
      nock(BASE)
        .post(P.batch('deals', 'update'))
        .reply(
          403,
          {
            status: 'error',
            message: "This app hasn't been granted all required scopes to make this call.",
            correlationId: 'c-2',
            category: 'MISSING_SCOPES',
            errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.write'] } }],
          },
          { 'Content-Type': 'application/json' },
        );
      const err = (await gateway().update('deals', [{ id: '1', properties: { a: 'b' } }]).catch((e: unknown) => e)) as ConfigurationError;
      expect(err).toBeInstanceOf(ConfigurationError);
      expect(err.message).toMatch(/crm\.objects\.deals\.write/);
      expect(err.correlationId).toBe('c-2');
    });

    it('when a 207 per-input error carries only the trace id and property details, then the record is rejected naming the property', async () => {
      nock(BASE)
        .post(P.batch('contacts', 'update'))
        .reply(
          207,
          {
            status: 'COMPLETE',
            results: [{ id: '1', properties: {}, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', archived: false }],
            numErrors: 1,
            errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: 'Invalid input', context: { objectWriteTraceId: ['2'] }, errors: [{ message: 'bad', code: 'INVALID_OPTION', context: { propertyName: ['uld_status'] } }], links: {} }],
            startedAt: '2025-01-01T00:00:00Z',
            completedAt: '2025-01-01T00:00:00Z',
          },
          { 'Content-Type': 'application/json' },
        );
      const result = await gateway().update('contacts', [
        { id: '1', properties: { uld_status: 'lead' } },
        { id: '2', properties: { uld_status: 'nope' } },
      ]);
      expect(result).toEqual({ written: ['1'], missing: [], rejected: [{ id: '2', properties: ['uld_status'], error: 'uld_status: bad' }] });
    });
  });
});

describe('errorFromResponse', () => {
  it.each([
    [500, 'TransientError', 'retry'],
    [401, 'ConfigurationError', 'fix-configuration'],
    [400, 'RecordError', 'give-up'],
    [409, 'RecordError', 'give-up'],
    [429, 'RateLimitedError', 'retry'],
  ])('when HubSpot answers %i, then %s (%s)', (status, name, action) => {
    const err = errorFromResponse({ status, body: { status: 'error', message: 'm', category: 'X', correlationId: 'c' }, kind: 'contacts.batch.read' });
    expect(err.name).toBe(name);
    expect(err.action).toBe(action);
    expect(err.correlationId).toBe('c');
  });
});

describe('RollingLimiter', () => {
  it('when HubSpot says fewer calls remain than we counted, then the difference is held until the window rolls', async () => {
    let now = 1_000;
    const limiter = new RollingLimiter({ limit: 10, windowMs: 10_000, now: () => now });
    const release = await limiter.acquire();
    release();
    expect(limiter.free()).toBe(9);
    limiter.observe({ 'x-hubspot-ratelimit-remaining': '3', 'x-hubspot-ratelimit-interval-milliseconds': '1000', 'x-hubspot-ratelimit-max': '8' });
    expect(limiter).toMatchObject({ limit: 8, windowMs: 1_000 });
    expect(limiter.free()).toBe(3);
    now += 1_001;
    // Our own call was stamped with the old window (10 s); the phantom ones with HubSpot's 1 s.
    expect(limiter.free()).toBe(7);
  });

  it('when blocked by a 429, then waiting and new callers get RateLimitedError at once', async () => {
    const limiter = new RollingLimiter({ limit: 1, windowMs: 60_000 });
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.block(Date.now() + 5_000, 'TEN_SECONDLY_ROLLING');
    await expect(waiting).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limiter.acquire()).rejects.toMatchObject({ policy: 'TEN_SECONDLY_ROLLING' });
    limiter.close();
  });
});

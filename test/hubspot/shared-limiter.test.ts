import { createGateway } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';

/**
 * HubSpot counts one burst budget per app and account. Two gateways of one process (the worker and the
 * scheduler of `uld serve`, or a backfill beside them) must share it: each believing it has the whole
 * budget ends in 429s.
 */
describe('gateways of one process share the rate limit of their app', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 2, contacts: 5, rateLimit: { perWindow: 8, windowMs: 1_000 } });
  });
  afterAll(() => sandbox.stop());

  it('when two gateways of the same app call at once, then together they stay within the budget: no 429', async () => {
    const options = { accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 8, rateLimitWindowMs: 1_000, shareLimits: true };
    const worker = createGateway(options);
    const scheduler = createGateway(options);
    expect(worker.limiter).toBe(scheduler.limiter);
    sandbox.calls.reset();
    const started = Date.now();
    await Promise.all([...Array.from({ length: 10 }, () => worker.dealPipelines({ refresh: true })), ...Array.from({ length: 10 }, () => scheduler.listProperties('contacts'))]);
    expect(sandbox.requests.list().filter((r) => r.status === 429)).toEqual([]);
    // 20 calls at 8 per second: the last ones waited for the window to roll.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000 - 100);
    // Closing one leaves the other working; the limiter closes with the last user.
    worker.close();
    await expect(scheduler.listProperties('companies')).resolves.toBeInstanceOf(Array);
    scheduler.close();
  }, 20_000);

  it('when the apps differ, then so do the budgets', () => {
    const a = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, shareLimits: true });
    const b = createGateway({ accessToken: 'pat-na1-another-app', baseUrl: sandbox.url, shareLimits: true });
    const own = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    expect(own.limiter).not.toBe(a.limiter);
    own.close();
    expect(a.limiter).not.toBe(b.limiter);
    a.close();
    b.close();
  });
});

import { startSandbox, type Sandbox } from '../../src/sandbox';
import { lastAnswer, rejection, sdk } from './helpers';

/** Faults injected into API calls: random 5xx and latency from a seed, scripted failures, hangs. */
const statusOf = async (call: Promise<unknown>): Promise<number> => {
  try {
    await call;
    return 200;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
};

describe('random faults', () => {
  const run = async (seed: number): Promise<number[]> => {
    const sandbox = await startSandbox({ seed, rateLimit: { enabled: false }, faults: { errorRate: 0.3 } });
    try {
      const contacts = sdk(sandbox).crm.contacts.basicApi;
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) statuses.push(await statusOf(contacts.getPage(1)));
      return statuses;
    } finally {
      await sandbox.stop();
    }
  };

  it('when an error rate is set, then about that share of calls fail with 5xx, the same ones for the same seed', async () => {
    const first = await run(4);
    const failures = first.filter((s) => s >= 500);
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures.length).toBeLessThanOrEqual(20);
    expect(failures.every((s) => [500, 502, 503, 504].includes(s))).toBe(true);
    expect(await run(4)).toEqual(first);
    expect(await run(5)).not.toEqual(first);
  });

  it('when latency is added, then calls take at least that long; faults limited to some endpoints leave the others alone', async () => {
    const sandbox = await startSandbox({ rateLimit: { enabled: false } });
    try {
      const client = sdk(sandbox);
      sandbox.faults.set({ latencyMs: 120, errorRate: 1, endpoints: ['POST /crm/v3/objects/contacts/batch/*'] });
      const started = Date.now();
      expect(await statusOf(client.crm.contacts.batchApi.read({ inputs: [], properties: [], propertiesWithHistory: [] }))).toBeGreaterThanOrEqual(500);
      expect(Date.now() - started).toBeGreaterThanOrEqual(115);
      expect(await statusOf(client.crm.contacts.basicApi.getPage(1))).toBe(200);
      expect(sandbox.faults.injected.error).toBe(1);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('scripted faults', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ seed: 2, contacts: 5, rateLimit: { enabled: false }, requestLog: { captureBodies: true } });
  });
  afterEach(() => sandbox.stop());

  it('when the next 2 calls to an endpoint are scripted to fail, then exactly those fail with a HubSpot body and the third succeeds', async () => {
    const endpoint = 'POST /crm/v3/objects/contacts/batch/update';
    sandbox.faults.script(endpoint, { kind: 'error', status: 500 }, 2);
    const client = sdk(sandbox);
    const id = [...sandbox.portal.all('contacts')][0]?.id as string;
    const update = (): Promise<unknown> => client.crm.contacts.batchApi.update({ inputs: [{ id, properties: { firstname: 'After faults' } }] });
    expect(await statusOf(client.crm.contacts.basicApi.getPage(1))).toBe(200);
    expect(await statusOf(update())).toBe(500);
    expect(lastAnswer(sandbox, endpoint)).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR', correlationId: expect.any(String) });
    expect(await statusOf(update())).toBe(500);
    expect(sandbox.portal.get('contacts', id)?.properties.firstname).not.toBe('After faults');
    expect(await statusOf(update())).toBe(200);
    expect(sandbox.portal.get('contacts', id)?.properties.firstname).toBe('After faults');
    expect(sandbox.calls.count(endpoint)).toBe(3);
    expect(sandbox.requests.list(endpoint).map((e) => e.fault ?? null)).toEqual(['error 500', 'error 500', null]);
    expect(sandbox.faults.pending()).toEqual([]);
  });

  it('when a call is scripted to hang, then no answer comes until the sandbox stops', async () => {
    sandbox.faults.script('GET /crm/v3/objects/contacts', { kind: 'hang' });
    const call = sdk(sandbox).crm.contacts.basicApi.getPage(1);
    const outcome = await Promise.race([call.then(() => 'answered', () => 'failed'), sandbox.requests.waitFor((e) => e.fault === 'hang').then(() => 'hanging')]);
    expect(outcome).toBe('hanging');
    await sandbox.stop();
    await expect(call).rejects.toBeDefined();
  });

  it('when a call is scripted to be slow, then it answers normally after the delay', async () => {
    sandbox.faults.script('*', { kind: 'delay', ms: 250 });
    const started = Date.now();
    const page = await sdk(sandbox).crm.contacts.basicApi.getPage(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(245);
    expect(page.results).toHaveLength(2);
  });

  it('when a call is scripted to disconnect, then the SDK sees a network error, not an HTTP status', async () => {
    sandbox.faults.script('*', { kind: 'disconnect' });
    const err = await rejection(sdk(sandbox).crm.contacts.basicApi.getPage(1));
    expect(err.code as unknown).toBe('ECONNRESET');
    expect(await statusOf(sdk(sandbox).crm.contacts.basicApi.getPage(1))).toBe(200);
  });

  it('when a 429 is scripted, then the body is HubSpot\'s for that policy', async () => {
    sandbox.faults.script('*', { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' });
    const err = await rejection(sdk(sandbox).crm.contacts.basicApi.getPage(1));
    expect(err.code).toBe(429);
    expect(lastAnswer(sandbox, 'GET /crm/v3/objects/contacts')).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { backfill } from '../../jobs/backfill';
import { waitingOutRateLimits } from '../../src/hubspot/rate-limit-wait';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { apiPaths, createGateway, RateLimitedError, TransientError, DEFAULT_API_VERSION } from '../../src/hubspot';
import { startSandbox } from '../../src/sandbox';
import { openStore } from '../../src/store';
import { SyncEngine } from '../../src/sync/engine';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { EXAMPLE } from '../sync/harness';

/** The paths of the API version the product uses by default (HUBSPOT_API_VERSION unset). */
const API = apiPaths(DEFAULT_API_VERSION);

describe('waitingOutRateLimits', () => {
  const limited = (policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY', retryAt: number) => new RateLimitedError(`HubSpot ${policy}`, retryAt, policy);
  const clock = () => {
    let t = 1_000_000;
    const slept: number[] = [];
    return { now: () => t, sleep: (ms: number) => ((t += ms), slept.push(ms), Promise.resolve()), slept };
  };

  it.each([
    ['the burst limit', 'TEN_SECONDLY_ROLLING' as const],
    ['the search limit', 'SECONDLY' as const],
  ])('when %s answers 429 twice, then it waits until retryAt each time and returns the third answer', async (...[, policy]) => {
    const c = clock();
    let calls = 0;
    const result = await waitingOutRateLimits(
      async () => {
        calls++;
        if (calls < 3) throw limited(policy, c.now() + 2_000);
        return 'page';
      },
      { now: c.now, sleep: c.sleep },
    );
    expect(result).toBe('page');
    expect(c.slept).toEqual([2_050, 2_050]);
  });

  it('when the daily limit is reached, then it throws at once (it lasts until midnight)', async () => {
    const c = clock();
    await expect(waitingOutRateLimits(() => Promise.reject(limited('DAILY', c.now() + 3_600_000)), { now: c.now, sleep: c.sleep })).rejects.toThrow('HubSpot DAILY');
    expect(c.slept).toEqual([]);
  });

  it('when other errors happen, then they are not retried here', async () => {
    const err = new TransientError('HubSpot did not answer', 'timeout', { kind: 'contacts.page' });
    await expect(waitingOutRateLimits(() => Promise.reject(err))).rejects.toBe(err);
  });

  it('when the waits would exceed the budget, then the 429 is thrown', async () => {
    const c = clock();
    await expect(waitingOutRateLimits(() => Promise.reject(limited('TEN_SECONDLY_ROLLING', c.now() + 10_000)), { now: c.now, sleep: c.sleep, maxWaitMs: 25_000 })).rejects.toBeInstanceOf(RateLimitedError);
    expect(c.slept).toEqual([10_050, 10_050]);
  });
});

it('when HubSpot answers 429 to the pages of a backfill, then the backfill waits for the window and finishes', async () => {
  const sandbox = await startSandbox({ seed: 4, contacts: 600, rateLimit: { windowMs: 500 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-429-'));
  const store = await openStore(`sqlite:${path.join(dir, 'store.db')}`);
  try {
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    await ensureProductProperties(gateway);
    const engine = new SyncEngine({ gateway, store, definition: compileDefinition(loadDefinitionFile(EXAMPLE)), logger: pino({ level: 'silent' }), owner: 'test' });
    // As when another instance of the app spent the budget: the page reads of contacts meet 429s.
    sandbox.faults.script(`GET ${API.objects('contacts')}`, { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' }, 3);
    const counts = await backfill({ gateway, store, engine });
    expect(sandbox.faults.injected.rateLimit).toBe(3);
    expect(counts.records).toBeGreaterThanOrEqual(600);
    expect([...sandbox.portal.ids('contacts')].every((id) => sandbox.portal.get('contacts', id)!.properties.uld_status)).toBe(true);
    gateway.close();
  } finally {
    await store.close();
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

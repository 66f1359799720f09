import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectGraph, withGraph } from '../../src/composition';
import { loadConfig } from '../../src/config';
import { MissingSettingError } from '../../src/config/settings';
import { startSandbox, type Sandbox } from '../../src/sandbox';

const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

/**
 * The one place the parts are built (issue 16). HubSpot counts one burst budget per app and account: every
 * gateway of one process (the worker, the scheduler, the dashboard, the card's verdicts, a backfill) must
 * draw from it, or each believes it has the whole budget and the process ends in 429s.
 */
describe('the object graph', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 2, contacts: 5, rateLimit: { perWindow: 8, windowMs: 1_000 } });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-graph-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const configFor = (env: Record<string, string> = {}) =>
    loadConfig({
      DATABASE_URL: `sqlite:${path.join(dir, 'uld.db')}`,
      LEAD_DEFINITION: EXAMPLE,
      HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
      HUBSPOT_API_BASE_URL: sandbox.url,
      HUBSPOT_RATE_LIMIT_PER_10S: '8',
      ...env,
    });

  it('when the worker, the scheduler and the card ask for a gateway, then they get one budget: 20 calls at 8 a second, no 429', async () => {
    const graph = new ObjectGraph(configFor());
    try {
      const worker = graph.gateway('the worker');
      const scheduler = graph.gateway('the scheduler');
      const card = graph.gatewayWith("the card's verdicts", { timeoutMs: 5_000, retry: { maxRetries: 1 } });
      expect(scheduler).toBe(worker);
      expect(card).not.toBe(worker);
      expect(card.limiter).toBe(worker.limiter);
      expect(card.searchLimiter).toBe(worker.searchLimiter);
      // The configured budget is per 10 s; the sandbox's window is 1 s, as its headers tell the limiter.
      await worker.listProperties('contacts');
      sandbox.requests.clear();
      const started = Date.now();
      await Promise.all([...Array.from({ length: 10 }, () => worker.dealPipelines({ refresh: true })), ...Array.from({ length: 10 }, () => card.listProperties('contacts'))]);
      expect(sandbox.requests.list().filter((r) => r.status === 429)).toEqual([]);
      expect(sandbox.requests.list()).toHaveLength(20);
      // 21 calls at 8 per second: the last ones waited for the window to roll.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000 - 100);
    } finally {
      await graph.close();
    }
  }, 20_000);

  it('when two processes (two graphs) run, then each has its own budget', async () => {
    const a = new ObjectGraph(configFor());
    const b = new ObjectGraph(configFor());
    try {
      expect(a.gateway('a').limiter).not.toBe(b.gateway('b').limiter);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('when the graph closes, then what it opened is closed: waits on the budget are refused, the store is shut, nothing more is built', async () => {
    const graph = new ObjectGraph(configFor({ HUBSPOT_RATE_LIMIT_PER_10S: '1' }));
    const gateway = graph.gateway('the worker');
    const store = await graph.store();
    expect(await graph.store()).toBe(store);
    await gateway.listProperties('contacts');
    // The budget is spent for this window: the next call waits on the limiter, and the close refuses it.
    const waiting = gateway.listProperties('companies');
    await graph.close();
    await expect(waiting).rejects.toThrow(/limiter closed/);
    await expect(store.health()).resolves.toMatchObject({ reachable: false });
    expect(() => graph.gateway('the worker')).toThrow(/closed/);
    await expect(graph.close()).resolves.toBeUndefined();
  });

  it('when the definition is asked for twice, then it is compiled once; a named file is compiled on its own', async () => {
    await withGraph(configFor(), async (graph) => {
      const running = graph.definition();
      expect(graph.definition()).toBe(running);
      const named = graph.definition(EXAMPLE);
      expect(named).toBe(running);
      expect(running.contactProperties.length).toBeGreaterThan(0);
    });
  });

  it('when HUBSPOT_ACCESS_TOKEN is unset, then asking for the gateway names the variable and who needs it, and opens nothing', async () => {
    const config = configFor({ HUBSPOT_ACCESS_TOKEN: '' });
    await withGraph(config, async (graph) => {
      expect(graph.canCallHubSpot).toBe(false);
      expect(() => graph.gateway('`uld backfill`')).toThrow(MissingSettingError);
      expect(() => graph.gateway('`uld backfill`')).toThrow(/HUBSPOT_ACCESS_TOKEN is not set: `uld backfill` needs it/);
    });
    expect(fs.existsSync(path.join(dir, 'uld.db'))).toBe(false);
  });

  it('when the work throws, then withGraph still closes the graph', async () => {
    let seen: ObjectGraph | undefined;
    await expect(
      withGraph(configFor(), async (graph) => {
        seen = graph;
        await graph.store();
        throw new Error('the command failed');
      }),
    ).rejects.toThrow('the command failed');
    expect(() => seen!.definition()).toThrow(/closed/);
  });
});

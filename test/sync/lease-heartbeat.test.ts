import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { apiPaths, createGateway, DEFAULT_API_VERSION } from '../../src/hubspot';
import { startSandbox } from '../../src/sandbox';
import { openStore, type Lease, type Store } from '../../src/store';
import { SyncEngine } from '../../src/sync/engine';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { LeaseHeartbeat, LeaseLostError } from '../../src/sync/lease-heartbeat';
import { incoming } from '../store/fixtures';
import { until } from '../support/until';
import { EXAMPLE } from './harness';

/**
 * The worker's leases while it works a block (src/sync/lease-heartbeat.ts), on a real store and real time
 * with leases of a few hundred ms: a live holder keeps its units however long it works, up to the queue's
 * lease (QUEUE_LEASE_SECONDS); a holder that stops beating loses them within one lease; and a holder that
 * lost them writes nothing to HubSpot. The crash of a whole process is crash-recovery.test.ts.
 */

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lease heartbeat', () => {
  let dir: string;
  const opened: Store[] = [];
  const beats: LeaseHeartbeat[] = [];

  async function store(leaseMs: number): Promise<Store> {
    const s = await openStore(`sqlite:${path.join(dir, 'uld.db')}`, { queue: { leaseMs } });
    opened.push(s);
    await s.ingest([incoming({ objectId: '1' }), incoming({ objectId: '2' }), incoming({ objectId: '3' })]);
    return s;
  }
  function heartbeat(s: Store, leaseMs: number): LeaseHeartbeat {
    const hb = new LeaseHeartbeat(s, logger, { leaseMs });
    beats.push(hb);
    return hb;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-heartbeat-'));
  });
  afterEach(async () => {
    for (const hb of beats.splice(0)) hb.stop();
    await Promise.all(opened.splice(0).map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when a live holder works longer than several leases, then it keeps its units; once it stops beating, another claim takes them within a lease and its fence refuses', async () => {
    const s = await store(60_000);
    const hb = heartbeat(s, 500);
    const batches = await hb.claim({ objectType: 'contact', owner: 'a' }, 2, 1000);
    expect(batches.map((b) => b.units.length)).toEqual([2, 1]);
    expect(batches.every((b) => b.lease.expiresAt <= Date.now() + 500)).toBe(true);
    await sleep(2000);
    expect((await s.claim({ objectType: 'contact', owner: 'b' })).units).toEqual([]);
    await expect(hb.confirm()).resolves.toBeUndefined();

    hb.stop();
    // Within about a lease (500 ms), far from the queue's 60 s.
    let taken = 0;
    await until('another instance takes the units over', async () => (taken += (await s.claim({ objectType: 'contact', owner: 'b' })).units.length) === 3, 3000);
    await expect(hb.confirm()).rejects.toThrow(LeaseLostError);
  });

  test('when a holder beats past the queue lease (QUEUE_LEASE_SECONDS) after its first claim, then its units are let go', async () => {
    const s = await store(800);
    const hb = heartbeat(s, 200);
    const claimedAt = Date.now();
    await hb.claim({ objectType: 'contact', owner: 'a' }, 100, 1000);
    await until('another instance takes the units over', async () => (await s.claim({ objectType: 'contact', owner: 'b' })).units.length === 3, 3000);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(800);
    await expect(hb.confirm()).rejects.toThrow(LeaseLostError);
  });

  test('when nothing is claimable, then no beat runs and the fence lets writes through', async () => {
    const s = await store(60_000);
    await s.claim({ objectType: 'contact', owner: 'other' });
    const hb = heartbeat(s, 300);
    expect(await hb.claim({ objectType: 'contact', owner: 'a' }, 100, 1000)).toEqual([]);
    await expect(hb.confirm()).resolves.toBeUndefined();
  });
});

describe('lease fence in the engine', () => {
  test('when the block\'s units were taken over by another instance, then the engine writes nothing to HubSpot and does not complete them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-fence-'));
    const sandbox = await startSandbox({ seed: 16, contacts: 5, rateLimit: { perWindow: 100_000, searchPerSecond: 1000 } });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000 });
    const store = await openStore(`sqlite:${path.join(dir, 'uld.db')}`);
    try {
      await ensureProductProperties(gateway);
      const ids = sandbox.portal.ids('contacts');
      await store.ingest(ids.map((id) => incoming({ objectId: id })));
      // What a renewal answers after another instance claimed every unit of the block.
      const takenOver = new Proxy(store, {
        get(target, prop) {
          if (prop === 'renewLeases') return async (_leases: Lease[], _until: number) => [];
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const engine = new SyncEngine({ gateway, store: takenOver, definition: compileDefinition(loadDefinitionFile(EXAMPLE)), logger, owner: 'a' });
      const result = await engine.round(['contact']);
      expect(result.processed.contact).toBe(0);
      expect(sandbox.requests.list(`POST ${apiPaths(DEFAULT_API_VERSION).batch('contacts', 'update')}`)).toEqual([]);
      expect(ids.every((id) => !sandbox.portal.get('contacts', id)!.properties.uld_status)).toBe(true);
      const left = await store.listWork({ objectType: 'contact' });
      expect(left.map((u) => u.objectId).sort()).toEqual([...ids].sort());
      expect(left.every((u) => u.lastError?.startsWith('LeaseLostError: 5 of this block\'s 5 units were taken over'))).toBe(true);
    } finally {
      await store.close();
      gateway.close();
      await sandbox.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { compileDefinition } from '../src/definition';
import { loadDefinitionFile } from '../src/definition-file';
import { createGateway } from '../src/hubspot';
import { Worker } from 'node:worker_threads';
import { startSandbox } from '../src/sandbox';
import type { CardClientJob, CardClientResult } from './card-client';
import { createApp, createMetrics, listen, type RunningHttp } from '../src/server';
import { openStore, type Store } from '../src/store';
import type { CardData } from '../src/store/mirror-types';
import { Verdicts } from '../src/sync/verdicts';
import { fillMirror, portalMirror } from './dashboard';
import type { Bench } from './lib';

/**
 * Issue 13, acceptance 5: the qualification card's read through `hubspot.fetch` as HubSpot runs it (the
 * sandbox's proxy: signed v2 and v3, appId appended, at most 20 in flight per account), 20 concurrent
 * requests at a time against `uld serve`'s card backend over a SQLite mirror of 20,000 contacts.
 * `card.p99_ms` is the p99 round trip the card waits (proxy, signature check, one store read, the view,
 * JSON), target <= 50. `card.hubspot_calls_per_view` counts HubSpot calls during the views (the sandbox's
 * own counter and the backend gateway's), target 0. The floor is the same requests through the same proxy
 * and signature check answered from one contact's data held in memory: everything but the store read.
 */

const CONTACTS = 20_000;
const CONCURRENCY = 20;
const ROUNDS = 150;
const WARMUP_ROUNDS = 25;
const ORIGIN = 'https://uld.bench.example';
const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * q) - 1)]!;
const r1 = (x: number) => Math.round(x * 10) / 10;

async function serve(store: Pick<Store, 'cardData' | 'markDirty'> & Store, secret: string, appId: number, portalId: number, verdicts: Verdicts): Promise<RunningHttp> {
  const logger = pino({ level: 'silent' });
  const app = createApp({
    store,
    logger,
    metrics: createMetrics(store, logger),
    draining: () => false,
    webhooks: { clientSecret: secret, publicUrl: `${ORIGIN}/webhooks/hubspot`, acceptV1: false, maxBodyBytes: 1_048_576 },
    card: { clientSecret: secret, publicUrl: `${ORIGIN}/webhooks/hubspot`, appId, portalId, ladder: compileDefinition(loadDefinitionFile(EXAMPLE)).ladder, slaHours: 24, defaultHandOffMode: 'task', verdicts },
  });
  return listen(app, 0, '127.0.0.1');
}

/** Rounds of CONCURRENCY views at once, each a different contact, from the worker thread; round-trip ms of each. */
function views(job: Omit<CardClientJob, 'concurrency'>): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'card-client.js'), { workerData: { ...job, concurrency: CONCURRENCY } });
    worker.once('message', (r: CardClientResult) => {
      void worker.terminate();
      if (r.failures.length > 0) return reject(new Error(`${r.failures.length} card views failed, first: ${r.failures[0]}`));
      if (r.throttled > 0) return reject(new Error(`the proxy refused ${r.throttled} views: more than ${CONCURRENCY} in flight`));
      resolve(r.times);
    });
    worker.once('error', reject);
  });
}

export const cardBench: Bench = {
  name: 'card',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-bench-card-'));
    const store = await openStore(`sqlite:${path.join(dir, 'uld.db')}`);
    const sandbox = await startSandbox({ seed: 13 });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    const logger = pino({ level: 'silent' });
    const verdicts = new Verdicts({ gateway, store, logger });
    const servers: RunningHttp[] = [];
    try {
      // Only the ids are kept: the generated rows would otherwise stay in this heap, and its garbage
      // collections during the views would be the bench's own doing, not the backend's.
      const ids = await (async () => {
        const mirror = portalMirror(CONTACTS, 13);
        await fillMirror(store, mirror);
        // Views of handed-off contacts first (the cards reps open), then the others.
        return [...mirror.contacts.filter((c) => c.qualifiedAt !== null), ...mirror.contacts.filter((c) => c.qualifiedAt === null)].map((c) => c.id);
      })();

      const real = await serve(store, sandbox.clientSecret, sandbox.appId, sandbox.portalId, verdicts);
      servers.push(real);
      const job = (port: number, rounds: number, offset: number) => ({ clientSecret: sandbox.clientSecret, appId: sandbox.appId, portalId: sandbox.portalId, origin: ORIGIN, port, ids, rounds, offset });
      await views(job(real.port, WARMUP_ROUNDS, 0));
      const callsBefore = sandbox.calls.total() + Object.values(gateway.calls()).reduce((a, b) => a + b, 0);
      const times = await views(job(real.port, ROUNDS, WARMUP_ROUNDS * CONCURRENCY));
      const calls = sandbox.calls.total() + Object.values(gateway.calls()).reduce((a, b) => a + b, 0) - callsBefore;

      // The floor: the same proxy, signature check and view, from one contact's data held in memory.
      const held: CardData = await store.cardData(ids[0]!);
      const memory = new Proxy(store, { get: (t, prop, r) => (prop === 'cardData' ? async () => held : Reflect.get(t, prop, r) as unknown) });
      const floorServer = await serve(memory, sandbox.clientSecret, sandbox.appId, sandbox.portalId, verdicts);
      servers.push(floorServer);
      await views(job(floorServer.port, WARMUP_ROUNDS, 0));
      const floor = await views(job(floorServer.port, ROUNDS, WARMUP_ROUNDS * CONCURRENCY));

      // The machine's load during the views: on a shared machine the tail is mostly other processes' doing,
      // which the floor (same path without the store) shows too.
      const load = os.loadavg()[0]!.toFixed(1);
      const p99 = p(times, 0.99);
      const floorP99 = p(floor, 0.99);
      const perView = calls / times.length;
      return {
        figures: {
          'card.p99_ms': r1(p99),
          'card.p50_ms': r1(p(times, 0.5)),
          'card.hubspot_calls_per_view': perView,
          'card.views': times.length,
          'card.floor_p99_ms': r1(floorP99),
          'card.ratio_to_floor': Math.round((p99 / floorP99) * 100) / 100,
        },
        rows: [
          { measure: 'card view, p99 round trip ms (card.p99_ms)', value: p99.toFixed(1), note: `${times.length} views, ${CONCURRENCY} concurrent, through the hubspot.fetch proxy (signed, appId appended), ${CONTACTS.toLocaleString('en-US')} contacts in a SQLite mirror, load average ${load} on ${os.cpus().length} CPUs; target <= 50` },
          { measure: 'card view, p50 round trip ms', value: p(times, 0.5).toFixed(1), note: 'same views' },
          { measure: 'HubSpot calls per view (card.hubspot_calls_per_view)', value: String(perView), note: `${calls} calls counted by the sandbox and the backend's gateway during ${times.length} views; target 0` },
          { measure: 'floor: p99 ms from memory', value: floorP99.toFixed(1), note: 'same proxy, signature check, view and JSON; the store read replaced by data held in memory' },
          { measure: 'ratio: p99 / floor p99', value: `${(p99 / floorP99).toFixed(2)}x`, note: 'what the one store read costs at the tail' },
        ],
      };
    } finally {
      for (const s of servers) await s.close(100);
      gateway.close();
      await sandbox.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

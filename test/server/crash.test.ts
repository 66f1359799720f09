import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';
import { signWebhookRequest } from '../../webhooks';
import { assertBuilt, startServeChild } from './child';
import { hubspotEvent, PUBLIC_URL, SECRET } from './harness';

const EVENTS = 20_000;
const BATCH = 100;
const CONCURRENCY = 10; // HubSpot's default maxConcurrentRequests
const KILL_AFTER_ACKED_BATCHES = 60;

function post(port: number, agent: http.Agent, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/hubspot',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...signWebhookRequest({ clientSecret: SECRET, uri: PUBLIC_URL, body }) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Acceptance 4: once we answer 200 the event is ours to keep. A real `uld serve` on a SQLite file takes a
 * burst of 20,000 events (200 signed batches, 10 at a time, as HubSpot sends during an import) and is
 * SIGKILLed mid-burst. After a restart, every event that got a 200 is in the store with a unit of work.
 */
describe('crash safety', () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-crash-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('when the server is SIGKILLed mid-burst, then every acknowledged event survives with its unit of work', async () => {
    const env = {
      DATABASE_URL: `sqlite:${path.join(dir, 'uld.sqlite')}`,
      HUBSPOT_CLIENT_SECRET: SECRET,
      WEBHOOK_PUBLIC_URL: PUBLIC_URL,
      PORT: '0',
      SERVE_WORKER: 'false',
      SERVE_SCHEDULER: 'false',
    };
    const batches = Array.from({ length: EVENTS / BATCH }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => hubspotEvent({ eventId: b * BATCH + i + 1, objectId: ((b * BATCH + i) * 7919) % 3000 + 1, occurredAt: 1_764_000_000_000 + b * BATCH + i })),
    );

    let server = await startServeChild(env, dir);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const acked: number[] = [];
    let killed = false;
    let next = 0;
    const sender = async () => {
      while (next < batches.length) {
        const b = next++;
        try {
          const status = await post(server.port, agent, JSON.stringify(batches[b]));
          if (status === 200) acked.push(b);
        } catch {
          // Connection cut by the kill: no 200, so HubSpot would retry this batch.
        }
        if (!killed && acked.length >= KILL_AFTER_ACKED_BATCHES) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    agent.destroy();
    expect(await server.exited).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKED_BATCHES);
    expect(acked.length).toBeLessThan(batches.length);

    // Restart on the same file: SQLite recovers its WAL, the server comes back ready.
    server = await startServeChild(env, dir);
    const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(ready.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const store = await openStore(env.DATABASE_URL);
    try {
      const stored = new Set((await store.listEvents({ limit: EVENTS })).map((e) => e.eventId));
      const units = new Set((await store.listWork({ limit: EVENTS })).map((u) => `${u.objectType}:${u.objectId}`));
      const missingEvents: string[] = [];
      const missingUnits: string[] = [];
      for (const b of acked) {
        for (const e of batches[b]!) {
          if (!stored.has(String(e.eventId))) missingEvents.push(String(e.eventId));
          if (!units.has(`contact:${e.objectId}`)) missingUnits.push(String(e.objectId));
        }
      }
      expect(missingEvents).toEqual([]);
      expect(missingUnits).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

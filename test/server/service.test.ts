import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { startService, ServiceConfigError, type BackgroundRole, type Service } from '../../src/server';
import { schedulerRole } from '../../src/server/scheduler-role';
import { openStore } from '../../src/store';
import { hubspotEvent, PUBLIC_URL, SECRET } from './harness';
import { signWebhookRequest } from '../../webhooks';

describe('uld serve: roles and graceful shutdown', () => {
  let dir: string;
  let logs: Array<Record<string, unknown>>;
  const services: Service[] = [];

  const env = (extra: Record<string, string> = {}) =>
    loadConfig({
      DATABASE_URL: `sqlite:${path.join(dir, 'uld.sqlite')}`,
      HUBSPOT_CLIENT_SECRET: SECRET,
      WEBHOOK_PUBLIC_URL: PUBLIC_URL,
      PORT: '0',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
      ...extra,
    });
  const logger = () => createLogger('info', { write: (l: string) => void logs.push(JSON.parse(l) as Record<string, unknown>) });
  const start = async (config: ReturnType<typeof env>, roles: BackgroundRole[] = []) => {
    const service = await startService({ config, logger: logger(), host: '127.0.0.1', roles });
    services.push(service);
    return service;
  };

  /** A stand-in worker: claims a batch as this instance and never finishes it, like a worker cut off by SIGTERM. */
  function claimingWorker(events: string[]): BackgroundRole {
    return {
      name: 'worker',
      async start(ctx) {
        events.push('worker started');
        const batch = await ctx.store.claim({ objectType: 'contact', owner: ctx.instanceId });
        events.push(`claimed ${batch.units.length}`);
        return { stop: async () => void events.push('worker stopped') };
      },
    };
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-serve-'));
    logs = [];
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when webhook settings are missing, then the HTTP role refuses to start and says which', async () => {
    const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}`, PORT: '0' });
    await expect(startService({ config, logger: logger() })).rejects.toThrow(ServiceConfigError);
    await expect(startService({ config, logger: logger() })).rejects.toThrow(/HUBSPOT_CLIENT_SECRET .* and WEBHOOK_PUBLIC_URL/);
  });

  test('when roles are switched off by env, then only the enabled ones run', async () => {
    const events: string[] = [];
    const scheduler: BackgroundRole = { name: 'scheduler', start: async () => (events.push('scheduler started'), { stop: async () => void events.push('scheduler stopped') }) };
    const onlyWorker = await start(env({ SERVE_HTTP: 'false', SERVE_SCHEDULER: 'false' }), [claimingWorker(events), scheduler]);
    expect(onlyWorker.port).toBeNull();
    await onlyWorker.stop();
    expect(events).toEqual(['worker started', 'claimed 0', 'worker stopped']);
    expect(logs).toContainEqual(expect.objectContaining({ role: 'scheduler', msg: 'role switched off in this instance' }));

    events.length = 0;
    const httpOnly = await start(env({ SERVE_WORKER: 'false', SERVE_SCHEDULER: 'false' }), [claimingWorker(events), scheduler]);
    expect(httpOnly.port).toEqual(expect.any(Number));
    expect(events).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^HUBSPOT_APP_ID is not set/) }));
  });

  test('when stopped, then leases this instance still holds go back to the queue with the attempt refunded', async () => {
    const seed = await openStore(`sqlite:${path.join(dir, 'uld.sqlite')}`);
    await seed.ingest([
      { portalId: 1, subscriptionType: 'contact.creation', objectId: '5', occurredAt: 1, eventId: '1', objectType: 'contact', changeSource: null, sourceId: null, propertyName: null, attemptNumber: 0, disposition: 'work', payload: '{}', marks: [{ objectType: 'contact', objectId: '5', change: 'created', occurredAt: 1 }] },
    ]);
    await seed.close();
    const events: string[] = [];
    const service = await start(env({ SERVE_HTTP: 'false' }), [claimingWorker(events)]);
    expect(events).toContain('claimed 1');
    await service.stop();
    expect(await service.store.health()).toMatchObject({ reachable: false });
    const after = await openStore(`sqlite:${path.join(dir, 'uld.sqlite')}`);
    expect((await after.listWork()).map((u) => [u.objectId, u.leaseOwner, u.attempts])).toEqual([['5', null, 0]]);
    await after.close();
    expect(logs).toContainEqual(expect.objectContaining({ releasedLeases: 1, msg: 'stopped' }));
  });

  test('when the scheduler role starts, then its retention job prunes raw events older than the retention, their work stays, and the run is recorded', async () => {
    const DAY = 86_400_000;
    const old = await openStore(`sqlite:${path.join(dir, 'uld.sqlite')}`, { clock: () => Date.now() - 3 * DAY });
    await old.ingest([
      { portalId: 1, subscriptionType: 'contact.creation', objectId: '9', occurredAt: 1, eventId: '1', objectType: 'contact', changeSource: null, sourceId: null, propertyName: null, attemptNumber: 0, disposition: 'work', payload: '{}', marks: [{ objectType: 'contact', objectId: '9', change: 'created', occurredAt: 1 }] },
    ]);
    await old.close();
    // The real scheduler role: it reads the definition and builds a gateway (no call is made in these seconds).
    const scheduler = env({ SERVE_HTTP: 'false', SERVE_WORKER: 'false', WEBHOOK_EVENT_RETENTION_DAYS: '2', HUBSPOT_ACCESS_TOKEN: 'pat-test', LEAD_DEFINITION: path.join(__dirname, '..', '..', 'lead-definition.example.yaml') });
    const service = await start(scheduler, [schedulerRole]);
    const deadline = Date.now() + 5000;
    while (!logs.some((l) => l.msg === 'old webhook events pruned') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'old webhook events pruned', deleted: 1, retentionDays: 2 }));
    expect(await service.store.countEvents()).toBe(0);
    expect(await service.store.listWork()).toHaveLength(1);
    // A scheduled job like the others (issue 16): its run at start is recorded, for `uld jobs` and /metrics.
    const recorded = async () => (await service.store.listJobRuns({ job: 'retention' })).filter((r) => r.outcome === 'ok');
    while ((await recorded()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await recorded()).toEqual([expect.objectContaining({ job: 'retention', counts: { deleted: 1 } })]);
  });

  test('when stopping with a request in flight, then new connections are refused and the in-flight one is answered and stored', async () => {
    const service = await start(env({ SERVE_WORKER: 'false', SERVE_SCHEDULER: 'false' }));
    const body = JSON.stringify([hubspotEvent({ objectId: 77 })]);
    const arrived = once(service.http!.server, 'request');
    const req = http.request({
      host: '127.0.0.1',
      port: service.port!,
      method: 'POST',
      path: '/webhooks/hubspot',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...signWebhookRequest({ clientSecret: SECRET, uri: PUBLIC_URL, body }) },
    });
    const answered = once(req, 'response') as Promise<[http.IncomingMessage]>;
    req.write(body.slice(0, 10));
    await arrived;
    const stopping = service.stop();
    await expect(fetch(`http://127.0.0.1:${service.port}/healthz`)).rejects.toThrow();
    req.end(body.slice(10));
    const [res] = await answered;
    res.resume();
    expect(res.statusCode).toBe(200);
    // The answered connection is closed right after, not held open by keep-alive until the 5 s deadline.
    const answeredAt = Date.now();
    await stopping;
    expect(Date.now() - answeredAt).toBeLessThan(2500);
    const after = await openStore(`sqlite:${path.join(dir, 'uld.sqlite')}`);
    expect(await after.countEvents({ objectId: '77' })).toBe(1);
    await after.close();
  });
});

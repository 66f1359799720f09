import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { createGateway, type HubSpotGateway } from '../../src/hubspot';
import { startSandbox, type HubSpotFetchProxy, type Sandbox } from '../../src/sandbox';
import { createApp, createMetrics, listen, type RunningHttp } from '../../src/server';
import { openStore, type Store } from '../../src/store';
import type { DecisionRecord, MirrorContact } from '../../src/store/mirror-types';
import { Verdicts } from '../../src/sync/verdicts';
import { ensureProductProperties } from '../../src/sync/install-properties';

export const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');
/** The origin HubSpot calls (listed in permittedUrls.fetch); the proxy maps it to the local port. */
export const PUBLIC_ORIGIN = 'https://uld.example.test';

/** Counts every call of every store method: "one store read", "nothing read or written". */
export function countingStore(store: Store): { store: Store; calls: Map<string, number>; total(): number } {
  const calls = new Map<string, number>();
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}

export interface CardWorld {
  /** The handed-off contact's id, in the portal and in the mirror. */
  contactId: string;
  sandbox: Sandbox;
  store: Store;
  counted: ReturnType<typeof countingStore>;
  gateway: HubSpotGateway;
  http: RunningHttp;
  proxy: HubSpotFetchProxy;
  /** The card's URL as HubSpot is asked to call it (before `appId` is appended). */
  url(pathname: string, query?: Record<string, string>): string;
  /** HubSpot calls of both sides: the sandbox's own count and the gateway's. */
  hubspotCalls(): number;
  stop(): Promise<void>;
}

/** A sales-ready contact handed off an hour ago, as the worker would have mirrored it. */
export const handedOff = (id: string): MirrorContact => ({
  id,
  createdAt: Date.now() - 30 * 86_400_000,
  status: 'sales_ready',
  fitScore: 55,
  engagementScore: 30,
  totalScore: 85,
  definitionVersion: '1',
  qualifiedAt: Date.now() - 3_600_000,
  convertedAt: null,
  feedback: null,
  feedbackAt: null,
  source: null,
  companyId: null,
  evaluatedAt: Date.now() - 3_600_000,
  deleted: false,
  ownerId: '101',
});

export const decision = (contactId: string): DecisionRecord => ({
  contactId,
  definitionVersion: '1',
  previousStatus: 'marketing_qualified',
  status: 'sales_ready',
  fitScore: 55,
  engagementScore: 30,
  totalScore: 85,
  reasons: ['Sales ready: fit 55 >= 40, engagement 30 >= 25, total 85 >= 75', '+30 fit: Senior title'],
  reasonDetails: [
    { kind: 'status', ref: 'sales_ready', text: 'Sales ready: fit 55 >= 40, engagement 30 >= 25, total 85 >= 75' },
    { kind: 'fit', ref: 'senior', points: 30, text: '+30 fit: Senior title' },
  ],
  decidedAt: Date.now() - 3_600_000,
});

/**
 * The card's backend as `uld serve` builds it (createApp with the card's options), over a SQLite file and a
 * sandbox portal whose contact exists, reached through the sandbox's `hubspot.fetch` proxy.
 */
export async function cardWorld(): Promise<CardWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-card-'));
  const sandbox = await startSandbox({ seed: 5 });
  const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
  await ensureProductProperties(gateway);
  const contactId = sandbox.portal.create('contacts', { email: 'rep-test@acme.example' }, { sourceType: 'CRM_UI' }).id;
  const store = await openStore(`sqlite:${path.join(dir, 'uld.sqlite')}`);
  await store.upsertContacts([handedOff(contactId)]);
  await store.recordDecisions([decision(contactId)]);
  const counted = countingStore(store);
  const logger = pino({ level: 'silent' });
  const app = createApp({
    store: counted.store,
    logger,
    metrics: createMetrics(store, logger),
    draining: () => false,
    webhooks: { clientSecret: sandbox.clientSecret, publicUrl: `${PUBLIC_ORIGIN}/webhooks/hubspot`, acceptV1: false, maxBodyBytes: 1_048_576, appId: sandbox.appId, portalId: sandbox.portalId },
    card: {
      clientSecret: sandbox.clientSecret,
      publicUrl: `${PUBLIC_ORIGIN}/webhooks/hubspot`,
      appId: sandbox.appId,
      portalId: sandbox.portalId,
      ladder: compileDefinition(loadDefinitionFile(EXAMPLE)).ladder,
      slaHours: 24,
      defaultHandOffMode: 'task',
      verdicts: new Verdicts({ gateway, store: counted.store, logger }),
    },
  });
  const http = await listen(app, 0, '127.0.0.1');
  const proxy = sandbox.cardFetch({ permittedUrls: [PUBLIC_ORIGIN], localMapping: { [PUBLIC_ORIGIN]: `http://127.0.0.1:${http.port}` } });
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  sandbox.calls.reset();
  return {
    contactId,
    sandbox,
    store,
    counted,
    gateway,
    http,
    proxy,
    url: (pathname, query = { portalId: String(sandbox.portalId), userId: '4242' }) => `${PUBLIC_ORIGIN}${pathname}?${new URLSearchParams(query).toString()}`,
    hubspotCalls: () => sandbox.calls.total() + sum(gateway.calls()),
    async stop() {
      proxy.close();
      await http.close(100);
      gateway.close();
      await store.close();
      await sandbox.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

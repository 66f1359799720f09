import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { compileDefinition, evaluate, type CompiledDefinition, type Decision } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { createGateway, type GatewayOptions, type HubSpotGateway } from '../../src/hubspot';
import { startSandbox, type Portal, type Sandbox, type SandboxOptions } from '../../src/sandbox';
import { freePort, ServiceConfigError, startService, type Service } from '../../src/server';
import { openStore, type QueuePolicy, type Store } from '../../src/store';
import { SyncEngine } from '../../src/sync/engine';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { subscriptionsFor } from '../../src/sync/subscriptions';

export const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

export interface SyncWorld {
  sandbox: Sandbox;
  service: Service;
  gateway: HubSpotGateway;
  engine: SyncEngine;
  definition: CompiledDefinition;
  now: number;
  /** The store's DATABASE_URL, for `uld` commands run against it. */
  databaseUrl: string;
  /** The store the engine works on: the service's, or one over the same database with `queue` as its policy. */
  store: Store;
  /**
   * Waits until the portal has delivered every webhook, then until the queue is drained. With `timeoutMs`,
   * it also waits out units in backoff or deferred after a 429 (short queue policies in fault tests)
   * instead of giving up after 20 rounds; `engine` drains with another engine (a wrapped store, say).
   */
  settle(options?: { timeoutMs?: number; engine?: SyncEngine }): Promise<void>;
  /** What the evaluator decides on the sandbox's own state, for a contact id. */
  expected(contactId: string): Decision;
  stop(): Promise<void>;
}

/**
 * The whole pipeline on one machine: a sandbox portal delivering signed webhooks to the real receiver
 * (`startService`, SQLite file), the real gateway over the real SDK, and the sync engine draining the
 * queue. Time is frozen for the engine so that decay does not move between its run and the check.
 */
export async function syncWorld(
  options: {
    sandbox?: SandboxOptions;
    definition?: CompiledDefinition;
    debounceMs?: number;
    /** The engine's queue policy (short backoffs, few attempts); the receiver keeps the configured one. */
    queue?: Partial<QueuePolicy>;
    /** Gateway options over the defaults (a short `timeoutMs`, fast `retry`). */
    gateway?: Partial<GatewayOptions>;
    /** The engine's frozen time (Date.now() when absent): the same for two worlds, their decisions match. */
    now?: number;
    /** More settings for `uld serve` (LEAD_DEFINITION for the card's backend, say). */
    env?: Record<string, string>;
  } = {},
): Promise<SyncWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-sync-'));
  const definition = options.definition ?? compileDefinition(loadDefinitionFile(EXAMPLE));
  const logger = pino({ level: 'silent' });
  // The sandbox must know where it delivers before the service listens there, so the port is chosen free and
  // bound a moment later; another process may take it in between. That is a lost race, not a failure: again.
  const { sandbox, config, service } = await (async () => {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}/webhooks/hubspot`;
      const sandbox = await startSandbox({
        seed: 3,
        rateLimit: { perWindow: 100_000, searchPerSecond: 1000 },
        ...options.sandbox,
        webhooks: { targetUrl: publicUrl, subscriptions: subscriptionsFor(definition), ...options.sandbox?.webhooks },
      });
      const config = loadConfig({
        ...sandbox.environment(),
        WEBHOOK_PUBLIC_URL: publicUrl,
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(dir, 'uld.db')}`,
        LOG_LEVEL: 'silent',
        DEBOUNCE_MS: String(options.debounceMs ?? 0),
        SERVE_WORKER: 'false',
        SERVE_SCHEDULER: 'false',
        ...options.env,
      });
      try {
        return { sandbox, config, service: await startService({ config, host: '127.0.0.1', logger, roles: [] }) };
      } catch (err) {
        await sandbox.stop();
        if (attempt < 3 && err instanceof ServiceConfigError && /already in use/.test(err.message)) continue;
        throw err;
      }
    }
  })();
  const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000, ...options.gateway });
  await ensureProductProperties(gateway);
  const now = options.now ?? Date.now();
  const store = options.queue ? await openStore(config.databaseUrl, { queue: options.queue }) : service.store;
  const engine = new SyncEngine({ gateway, store, definition, logger, owner: 'test-worker', now: () => now, pollMs: 20 });
  return {
    sandbox,
    service,
    gateway,
    engine,
    definition,
    now,
    databaseUrl: config.databaseUrl,
    store,
    async settle(settleOptions = {}) {
      const drainer = settleOptions.engine ?? engine;
      const deadline = settleOptions.timeoutMs === undefined ? undefined : Date.now() + settleOptions.timeoutMs;
      for (let i = 0; deadline === undefined ? i < 20 : Date.now() < deadline; i++) {
        await webhooksIdle(sandbox);
        await drainer.drain();
        // The engine's own writes produce webhooks too (echoes): wait for them, and for follow-up work.
        await webhooksIdle(sandbox);
        const stats = await service.store.queueStats();
        if (stats.byObjectType.every((q) => q.pending === 0 && q.leased === 0)) return;
        // What is left waits out a backoff or a 429 window.
        if (deadline !== undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('the pipeline did not settle');
    },
    expected(contactId: string): Decision {
      const record = sandbox.portal.get('contacts', contactId)!;
      const companyId = sandbox.portal.associations.primaryCompany('contacts', contactId);
      const company = companyId ? sandbox.portal.get('companies', companyId) : undefined;
      return evaluate(definition, record.properties, company ? company.properties : null, now);
    },
    async stop() {
      await engine.stop();
      if (store !== service.store) await store.close();
      await service.stop();
      await sandbox.stop();
      gateway.close?.();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every app of the portal has delivered what it had to (two apps during a migration window). */
export async function webhooksIdle(sandbox: Sandbox): Promise<void> {
  await Promise.all([sandbox.webhooks.idle(60_000), sandbox.previousApp?.webhooks.idle(60_000)]);
}

/**
 * What each company's roll-up should say, counted from the portal itself (primary company links, deals,
 * uld_qualified_at): leads, leads with a deal, qualified leads.
 */
export function companyFactsFromPortal(portal: Portal, contactIds: Iterable<string>): Map<string, { leads: number; withDeal: number; qualified: number }> {
  const byCompany = new Map<string, { leads: number; withDeal: number; qualified: number }>();
  for (const id of contactIds) {
    const companyId = portal.associations.primaryCompany('contacts', id);
    if (!companyId) continue;
    const f = byCompany.get(companyId) ?? { leads: 0, withDeal: 0, qualified: 0 };
    f.leads++;
    if (portal.associations.list('contacts', id, 'deals').length > 0) f.withDeal++;
    if (portal.get('contacts', id)!.properties.uld_qualified_at) f.qualified++;
    byCompany.set(companyId, f);
  }
  return byCompany;
}

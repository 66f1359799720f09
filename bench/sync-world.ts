import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { compileDefinition, type CompiledDefinition } from '../src/definition';
import { loadDefinitionFile } from '../src/definition-file';
import { createGateway, type HubSpotGateway } from '../src/hubspot';
import { startSandbox, type Sandbox } from '../src/sandbox';
import { freePort, startService, type Service } from '../src/server';
import { SyncEngine } from '../src/sync/engine';
import { ensureProductProperties } from '../src/sync/install-properties';
import { subscriptionsFor } from '../src/sync/subscriptions';

/**
 * The world the sync benches run in: a generated sandbox portal (rate limit high: only call counts matter),
 * the real receiver (`startService`, SQLite file) and the engine, as `uld serve` wires them; and the
 * arithmetic of their call counts.
 */

/** The sync bench's portal: contacts and deals of the generated portal. */
export const CONTACTS = 3000;
export const DEALS = 600;
export const BATCH = 100;
export const ASSOCIATION_BATCH = 1000;
export const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

export interface World {
  sandbox: Sandbox;
  service: Service;
  gateway: HubSpotGateway;
  engine: SyncEngine;
  definition: CompiledDefinition;
  /** Until webhooks are delivered and the queue is empty (the engine's echoes included). */
  /** With `drainer`, another engine drains (a fresh one: nothing remembered from before). */
  settle(drainer?: SyncEngine): Promise<void>;
  stop(): Promise<void>;
}


/** The sandbox (rate limit high: only call counts matter), the real receiver and the engine, as `uld serve` wires them. */
export async function startWorld(options: { seed: number; debounceMs: number; pollMs?: number; definitionFile?: string; contacts?: number; deals?: number }): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-bench-sync-'));
  const definition = compileDefinition(loadDefinitionFile(options.definitionFile ?? EXAMPLE));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/webhooks/hubspot`;
  const sandbox = await startSandbox({
    seed: options.seed,
    contacts: options.contacts ?? CONTACTS,
    deals: options.deals ?? DEALS,
    rateLimit: { perWindow: 10_000_000, daily: 1_000_000_000, searchPerSecond: 1000 },
    webhooks: { targetUrl: publicUrl, subscriptions: subscriptionsFor(definition) },
  });
  const config = loadConfig({
    ...sandbox.environment(),
    WEBHOOK_PUBLIC_URL: publicUrl,
    PORT: String(port),
    DATABASE_URL: `sqlite:${path.join(dir, 'uld.db')}`,
    LOG_LEVEL: 'silent',
    DEBOUNCE_MS: String(options.debounceMs),
    SERVE_WORKER: 'false',
    SERVE_SCHEDULER: 'false',
  });
  const logger = pino({ level: 'silent' });
  const service = await startService({ config, host: '127.0.0.1', logger, roles: [] });
  const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 10_000_000 });
  await ensureProductProperties(gateway);
  const engine = new SyncEngine({ gateway, store: service.store, definition, logger, owner: 'bench-worker', ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}) });
  return {
    sandbox,
    service,
    gateway,
    engine,
    definition,
    async settle(drainer = engine) {
      for (let i = 0; i < 20; i++) {
        await sandbox.webhooks.idle(120_000);
        await drainer.drain();
        await sandbox.webhooks.idle(120_000);
        const stats = await service.store.queueStats();
        if (stats.byObjectType.every((q) => q.pending === 0 && q.leased === 0)) return;
      }
      throw new Error('the pipeline did not settle');
    },
    async stop() {
      await engine.stop();
      await service.stop();
      await sandbox.stop();
      gateway.close?.();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}


export function shuffled<T>(xs: readonly T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)] as const).filter(([, v]) => v > 0));
export const total = (counts: Record<string, number>) => Object.values(counts).reduce((n, v) => n + v, 0);
export const ceilDiv = (n: number, size: number) => Math.ceil(n / size);

export interface FloorLine {
  kind: string;
  objects: number;
  batch: number;
  calls: number;
}


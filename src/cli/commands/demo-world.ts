import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../config';
import { compileDefinition, type CompiledDefinition } from '../../definition';
import { loadDefinitionFile } from '../../definition-file';
import { startSandbox, type Sandbox } from '../../sandbox';
import { freePort, startService, type Service } from '../../server';
import { subscriptionsFor } from '../../sync/subscriptions';
import { SyncEngine } from '../../sync/engine';
import { HistoryReplay } from '../../sync/history-replay';
import type { HubSpotGateway } from '../../hubspot';
import { ObjectGraph } from '../../composition';
import { install } from '../../admin/install';
import { backfill } from '../../../jobs';
import { createLogger } from '../../logging';

/**
 * The demo up to its first figures: the sandbox portal, the install, `uld serve` and the backfill. In its own
 * module so that the test pinning the demo's report for a seed (test/cli/demo-report.test.ts) runs these very
 * steps, not a copy of them.
 */

/** Demo schedules (cron with seconds): a few runs of each job within a two-minute demo. */
export const DEMO_SCHEDULES = { RECONCILE_SCHEDULE: '*/30 * * * * *', REQUALIFY_SCHEDULE: '15 * * * * *', METRICS_SCHEDULE: '*/20 * * * * *' };

export interface DemoWorldOptions {
  contacts: number;
  seed: number;
  file: string;
  slaHours: number;
  /** Settings laid over the demo's (the report test turns the scheduler off: its clock stands still). */
  settings?: Record<string, string>;
}

export interface DemoWorld {
  def: CompiledDefinition;
  dir: string;
  port: number;
  publicUrl: string;
  /** Throw-away, valid while the demo runs: printed so the dashboard can be opened, never stored. */
  adminToken: string;
  sandbox: Sandbox;
  config: Config;
  /**
   * The parts the service runs with: the backfill goes through the same gateway as its worker and scheduler
   * (one budget for the app, as at HubSpot) and judges by the same compiled definition.
   */
  graph: ObjectGraph;
  gateway: HubSpotGateway;
  /**
   * The statuses read back as a rep would see them: the same budget, but a call counter of its own, so the
   * calls it reports are the read's alone, not the worker's running beside it.
   */
  readBack: HubSpotGateway;
}

type Say = (line: string) => void;

export async function openDemoWorld(o: DemoWorldOptions, say: Say): Promise<DemoWorld> {
  const def = compileDefinition(loadDefinitionFile(o.file));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-demo-'));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/webhooks/hubspot`;
  const adminToken = randomBytes(16).toString('hex');

  say(`Universal Lead Definition demo: "${def.name}" (version ${def.version})`);
  say(`Generating a sandbox portal with ${o.contacts.toLocaleString('en-US')} contacts (seed ${o.seed})...`);
  const sandbox = await startSandbox({ contacts: o.contacts, seed: o.seed, tier: 'professional', webhooks: { targetUrl: publicUrl, subscriptions: subscriptionsFor(def) } });
  const config = loadConfig({
    ...sandbox.environment(),
    WEBHOOK_PUBLIC_URL: publicUrl,
    PORT: String(port),
    DATABASE_URL: `sqlite:${path.join(dir, 'demo.db')}`,
    LEAD_DEFINITION: o.file,
    LOG_LEVEL: 'warn',
    // The sandbox runs at HubSpot's Professional limit; the worker's limiter is sized to it.
    HUBSPOT_RATE_LIMIT_PER_10S: '190',
    ADMIN_TOKEN: adminToken,
    SLA_HOURS: String(o.slaHours),
    ...DEMO_SCHEDULES,
    ...o.settings,
  });
  say(`  sandbox portal ${sandbox.portalId} at ${sandbox.url}`);
  const graph = new ObjectGraph(config, { definition: def });
  return { def, dir, port, publicUrl, adminToken, sandbox, config, graph, gateway: graph.gateway('the demo'), readBack: graph.gatewayWith('the demo', {}) };
}

/** `uld install`, then `uld serve`: webhook receiver, worker, scheduler (jobs on demo schedules) and dashboard. */
export async function installAndServe(w: DemoWorld, say: Say): Promise<Service> {
  say('\nInstall (as `uld install` does):');
  const installed = await install({ gateway: w.gateway, definition: w.def, targetUrl: w.publicUrl });
  const created = installed.properties.filter((l) => l.action === 'create').length;
  say(`  token of portal ${'hubId' in installed.token ? installed.token.hubId : '?'}: ${installed.missingScopes.length === 0 ? 'every required scope granted' : `MISSING ${installed.missingScopes.map((m) => m.scope).join(', ')}`}`);
  say(`  ${created} uld_* properties created on contacts, deals and companies; ${installed.subscriptions.length} webhook subscriptions (exactly what the definition reads)`);
  const service = await startService({ config: w.config, host: '127.0.0.1', graph: w.graph });
  say(`  \`uld serve\` running: webhooks at ${w.publicUrl}, store ${path.join(w.dir, 'demo.db')}`);
  return service;
}

/** `uld backfill` beside the running service; false when stopped (Ctrl-C) before it finished. */
export async function backfillDemo(w: DemoWorld, service: Service, say: Say, signal: AbortSignal): Promise<boolean> {
  const { gateway, sandbox } = w;
  say("\nBackfill (as `uld backfill` does): every contact, company and deal read, qualified and written back in batches of 100, each contact's stage dates replayed from HubSpot's property history...");
  const started = Date.now();
  const callsBefore = sandbox.calls.total();
  const replay = new HistoryReplay({ gateway });
  const engine = new SyncEngine({ gateway, store: service.store, definition: w.def, logger: createLogger('warn'), owner: `demo-backfill:${process.pid}`, past: { replay, rewrite: false } });
  let lastLine = 0;
  const counts = await backfill({
    gateway,
    store: service.store,
    engine,
    signal,
    onProgress: (p) => {
      if (Date.now() - lastLine < 1_000 && !p.done) return;
      lastLine = Date.now();
      say(`  ${p.objectType}: ${p.records} records; ${sandbox.calls.total() - callsBefore} API calls; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  });
  if (signal.aborted) {
    say(`\nStopped (Ctrl-C) during the backfill, after ${counts.records} records; cleaning up.`);
    return false;
  }
  say(`  backfill done: ${counts.records} records in ${counts.pages} pages, ${sandbox.calls.total() - callsBefore} API calls, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`  history replayed for ${replay.totals.contacts} contacts (${replay.totals.historyPoints} past values): first sales_ready dated from history for ${replay.totals.salesReadyDated}, before the kept history (no date) for ${replay.totals.salesReadyUndated}`);
  return true;
}

export async function closeDemoWorld(w: DemoWorld, service: Service | undefined): Promise<void> {
  w.sandbox.simulator.stop();
  await service?.stop();
  // Closed by the service's stop when it started; otherwise here (closing twice is harmless).
  await w.graph.close();
  await w.sandbox.stop();
  fs.rmSync(w.dir, { recursive: true, force: true });
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { compileDefinition, loadDefinitionFile, STATUSES, type LeadStatus } from '../../definition';
import { startSandbox, type Sandbox } from '../../sandbox';
import { freePort, startService } from '../../server';
import type { Store } from '../../store';
import { subscriptionsFor } from '../../sync/subscriptions';
import { ensureProductProperties } from '../../sync/install-properties';
import { createGateway } from '../../hubspot';

/**
 * `uld demo` (`npm run demo`): the product on a machine with no HubSpot account. A sandbox portal with
 * synthetic contacts, companies and deals; the uld_* properties installed; `uld serve`'s receiver and
 * worker on a throw-away SQLite store, subscribed to exactly the properties the definition reads; every
 * record qualified and written back; then an activity simulator whose changes arrive as signed webhooks
 * and are written back within seconds; and the evidence that matters: how each status converted to deals.
 *
 * What it does not do yet: run the scheduled jobs or serve the dashboard. It says so at the end rather
 * than pretending.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the product on an embedded sandbox portal: webhooks, qualification and conversion by status (no HubSpot account needed)')
    .option('--contacts <n>', 'synthetic contacts in the sandbox', '3000')
    .option('--minutes <n>', 'stop by itself after this many minutes (default: run until Ctrl-C)')
    .option('--activity <per-second>', 'simulated activities per second (page views, forms, new contacts, stage moves)', '20')
    .option('--seed <n>', 'seed of the synthetic portal', '1')
    .option('--definition <file>', 'lead definition (default: lead-definition.example.yaml)')
    .action(async (opts: { contacts: string; minutes?: string; activity: string; seed: string; definition?: string }) => {
      const contacts = positive('--contacts', opts.contacts, true);
      const activity = positive('--activity', opts.activity, false);
      const minutes = opts.minutes === undefined ? undefined : positive('--minutes', opts.minutes, false);
      const seed = positive('--seed', opts.seed, true);
      const file = opts.definition ?? path.join(__dirname, '..', '..', '..', '..', 'lead-definition.example.yaml');
      await runDemo({ contacts, activity, minutes, seed, file });
    });
}

function positive(option: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    process.stderr.write(`uld demo: ${option} expected a positive ${integer ? 'whole ' : ''}number, found "${text}"\n`);
    process.exit(2);
  }
  return n;
}

interface DemoOptions {
  contacts: number;
  activity: number;
  minutes: number | undefined;
  seed: number;
  file: string;
}


const say = (line: string) => process.stdout.write(`${line}\n`);

async function runDemo(o: DemoOptions): Promise<void> {
  const def = compileDefinition(loadDefinitionFile(o.file));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-demo-'));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/webhooks/hubspot`;

  say(`Universal Lead Definition demo: "${def.name}" (version ${def.version})`);
  say(`Generating a sandbox portal with ${o.contacts.toLocaleString('en-US')} contacts (seed ${o.seed})...`);
  const sandbox = await startSandbox({ contacts: o.contacts, seed: o.seed, tier: 'professional', webhooks: { targetUrl: publicUrl, subscriptions: subscriptionsFor(def) } });
  const config = loadConfig({
    HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
    HUBSPOT_CLIENT_SECRET: sandbox.clientSecret,
    HUBSPOT_APP_ID: String(sandbox.appId),
    HUBSPOT_PORTAL_ID: String(sandbox.portalId),
    HUBSPOT_API_BASE_URL: sandbox.url,
    WEBHOOK_PUBLIC_URL: publicUrl,
    PORT: String(port),
    DATABASE_URL: `sqlite:${path.join(dir, 'demo.db')}`,
    LEAD_DEFINITION: o.file,
    LOG_LEVEL: 'warn',
    // The sandbox runs at HubSpot's Professional limit; the worker's limiter is sized to it.
    HUBSPOT_RATE_LIMIT_PER_10S: '190',
    // Throw-away, so /metrics is not open on this machine while the demo runs.
    ADMIN_TOKEN: randomBytes(16).toString('hex'),
  });
  const service = await startService({ config, host: '127.0.0.1' });
  say(`  sandbox portal ${sandbox.portalId} at ${sandbox.url}`);
  say(`  webhook receiver at ${publicUrl} (store: ${path.join(dir, 'demo.db')})`);

  let stopped = false;
  let wake: () => void = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  try {
    const client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 190 });
    const plan = await ensureProductProperties(gateway);
    say(`  installed: ${plan.filter((l) => l.action === 'create').length} uld_* properties created on contacts, deals and companies`);

    say('\nBackfill: every contact, company and deal queued for the worker, which qualifies and writes back in batches of 100...');
    const started = Date.now();
    const callsBefore = sandbox.calls.total();
    let queued = 0;
    for (const [objectType, kind] of [['contacts', 'contact'], ['deals', 'deal'], ['companies', 'company']] as const) {
      let after: string | undefined;
      do {
        const page = await gateway.page(objectType, ['hs_object_id'], after, 100);
        queued += await service.store.markDirty(page.records.map((r) => ({ objectType: kind, objectId: r.id, change: 'property_changed' as const, occurredAt: Date.now() })));
        after = page.after;
      } while (after);
    }
    while (!stopped) {
      const stats = await service.store.queueStats();
      const waiting = stats.byObjectType.reduce((n, q) => n + q.pending + q.leased, 0);
      say(`  ${queued - waiting} of ${queued} records done; ${sandbox.calls.total() - callsBefore} API calls; ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (waiting === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1_000);
      });
    }

    say('\nWhat reps now see in HubSpot (uld_status on every contact), and how each status converted to deals:');
    const before = await readFunnel(client);
    printFunnel(before);

    say(`\nSimulating portal activity at ${o.activity} per second${o.minutes === undefined ? ' (Ctrl-C to stop)' : ` for ${o.minutes} minute(s)`}: changes arrive as signed webhooks and are written back within seconds...`);
    sandbox.simulator.start(o.activity);
    const until = o.minutes === undefined ? Infinity : Date.now() + o.minutes * 60_000;
    while (!stopped && Date.now() < until) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(5_000, Math.max(0, until - Date.now())));
      });
      await progress(sandbox, service.store);
    }
    sandbox.simulator.stop();
    // Let the deliveries in flight land, and the worker finish them, before the last count.
    await sandbox.webhooks.idle(15_000).catch(() => undefined);
    for (let i = 0; i < 30; i++) {
      const stats = await service.store.queueStats();
      if (stats.byObjectType.every((q) => q.pending + q.leased === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The worker's own writes come back as webhooks too (stored, no work): let those land as well.
    await sandbox.webhooks.idle(15_000).catch(() => undefined);
    await progress(sandbox, service.store);

    say('\nAfter the activity:');
    const after = await readFunnel(client);
    printFunnel(after);
    printMoves(before.statuses, after.statuses);
    const dead = (await service.store.queueStats()).deadLetters;
    say(`\n${sandbox.calls.total()} API calls in all; ${dead} dead letters. Inspect a contact with \`uld history <id>\` (on a store of your own).`);
    say('Not in this demo yet: the scheduled jobs (reconcile, requalify, metrics) and the dashboard.');
  } finally {
    sandbox.simulator.stop();
    await service.stop();
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function progress(sandbox: Sandbox, store: Store): Promise<void> {
  const w = sandbox.webhooks.stats;
  const stored = await store.countEvents();
  const queue = await store.queueStats();
  const depth = queue.byObjectType.reduce((n, q) => n + q.pending, 0);
  say(`  webhooks: ${w.eventsGenerated} events sent by the portal in ${w.requests} signed requests (${w.failedAttempts} failed attempts); ${stored} stored by the receiver; ${depth} units of work queued; ${sandbox.calls.total()} API calls so far`);
}

interface Qualified {
  statuses: Map<string, LeadStatus>;
  /** Contacts with at least one associated deal, per status. */
  withDeal: Map<LeadStatus, number>;
  calls: number;
}

/** Reads uld_status back from HubSpot, as a rep or a report sees it, with each contact's deals. */
async function readFunnel(client: Client): Promise<Qualified> {
  const statuses = new Map<string, LeadStatus>();
  const withDeal = new Map<LeadStatus, number>();
  let calls = 0;
  let after: string | undefined;
  do {
    const page = await client.crm.contacts.basicApi.getPage(100, after, ['uld_status'], undefined, ['deals']);
    calls++;
    for (const c of page.results) {
      const status = (c.properties.uld_status ?? null) as LeadStatus | null;
      if (status === null) continue;
      statuses.set(c.id, status);
      if ((c.associations?.deals?.results?.length ?? 0) > 0) withDeal.set(status, (withDeal.get(status) ?? 0) + 1);
    }
    after = page.paging?.next?.after;
  } while (after);
  return { statuses, withDeal, calls };
}

function printFunnel(q: Qualified): void {
  const counts = new Map<LeadStatus, number>();
  for (const s of q.statuses.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
  say(`  ${'status'.padEnd(22)}${'contacts'.padStart(9)}${'with a deal'.padStart(13)}${'conversion'.padStart(12)}`);
  for (const s of [...STATUSES].reverse()) {
    const n = counts.get(s) ?? 0;
    const d = q.withDeal.get(s) ?? 0;
    say(`  ${s.padEnd(22)}${String(n).padStart(9)}${String(d).padStart(13)}${(n === 0 ? '-' : `${((100 * d) / n).toFixed(1)}%`).padStart(12)}`);
  }
  say(`  ${q.statuses.size} contacts qualified (read back with ${q.calls} API calls)`);
}

function printMoves(before: Map<string, LeadStatus>, after: Map<string, LeadStatus>): void {
  const moves = new Map<string, number>();
  let added = 0;
  for (const [id, s] of after) {
    const was = before.get(id);
    if (was === undefined) added++;
    else if (was !== s) moves.set(`${was} -> ${s}`, (moves.get(`${was} -> ${s}`) ?? 0) + 1);
  }
  say(`  new contacts: ${added}; status changes: ${[...moves.values()].reduce((a, b) => a + b, 0)}`);
  for (const [move, n] of [...moves].sort((a, b) => b[1] - a[1]).slice(0, 8)) say(`    ${move}: ${n}`);
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { compileDefinition, evaluate, loadDefinitionFile, STATUSES, type CompiledDefinition, type LeadStatus } from '../../definition';
import { startSandbox, type Sandbox } from '../../sandbox';
import { startService } from '../../server';
import type { Store } from '../../store';
import { subscriptionsFor } from '../../sync/subscriptions';

/**
 * `uld demo` (`npm run demo`): the product on a machine with no HubSpot account. A sandbox portal with
 * synthetic contacts, companies and deals; the webhook receiver on a throw-away SQLite store, subscribed
 * to exactly the properties the example definition reads; an activity simulator changing the portal
 * while the receiver verifies and stores every event; then the portal qualified through the real HubSpot
 * SDK and the evidence that matters: how each status converted to deals.
 *
 * What it does not do yet: write statuses back (the sync engine), run the scheduled jobs, or serve the
 * dashboard. It says so at the end rather than pretending.
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
    say('\nQualifying every contact through the HubSpot API (what the sync engine will write back)...');
    const before = await qualify(client, def);
    printFunnel(before);

    say(`\nSimulating portal activity at ${o.activity} per second${o.minutes === undefined ? ' (Ctrl-C to stop)' : ` for ${o.minutes} minute(s)`}...`);
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
    // Let the deliveries in flight land before the last count.
    await sandbox.webhooks.idle(15_000).catch(() => undefined);
    await progress(sandbox, service.store);

    say('\nQualifying again after the activity:');
    const after = await qualify(client, def);
    printFunnel(after);
    printMoves(before.statuses, after.statuses);
    say('\nNot in this demo yet: writing uld_* properties back, the scheduled jobs and the dashboard.');
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
  say(`  webhooks: ${w.eventsGenerated} events sent by the portal in ${w.requests} signed requests (${w.failedAttempts} failed attempts); ${stored} stored by the receiver; ${depth} units of work queued`);
}

interface Qualified {
  statuses: Map<string, LeadStatus>;
  /** Contacts with at least one associated deal, per status. */
  withDeal: Map<LeadStatus, number>;
  calls: number;
}

async function qualify(client: Client, def: CompiledDefinition): Promise<Qualified> {
  const statuses = new Map<string, LeadStatus>();
  const withDeal = new Map<LeadStatus, number>();
  let calls = 0;
  let after: string | undefined;
  const now = Date.now();
  do {
    const page = await client.crm.contacts.basicApi.getPage(100, after, def.contactProperties, undefined, ['companies', 'deals']);
    calls++;
    const companyIds = [...new Set(page.results.map((c) => c.associations?.companies?.results?.[0]?.id).filter((id): id is string => !!id))];
    const companies = new Map<string, Record<string, string | null>>();
    if (companyIds.length > 0 && def.companyProperties.length > 0) {
      const batch = await client.crm.companies.batchApi.read({ inputs: companyIds.map((id) => ({ id })), properties: def.companyProperties, propertiesWithHistory: [] });
      calls++;
      for (const c of batch.results) companies.set(c.id, c.properties);
    }
    for (const c of page.results) {
      const companyId = c.associations?.companies?.results?.[0]?.id;
      const decision = evaluate(def, c.properties, companyId ? (companies.get(companyId) ?? null) : null, now);
      statuses.set(c.id, decision.status);
      if ((c.associations?.deals?.results?.length ?? 0) > 0) withDeal.set(decision.status, (withDeal.get(decision.status) ?? 0) + 1);
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
  say(`  ${q.statuses.size} contacts qualified with ${q.calls} API calls (${(q.calls / Math.max(1, q.statuses.size)).toFixed(3)} per contact)`);
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

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { compileDefinition, STATUSES, type LeadStatus } from '../../definition';
import { ACCOUNT_STATUSES } from '../../definition/account-types';
import { loadDefinitionFile } from '../../definition-file';
import { startSandbox, type Sandbox } from '../../sandbox';
import { freePort, startService } from '../../server';
import type { Store } from '../../store';
import { subscriptionsFor } from '../../sync/subscriptions';
import { SyncEngine } from '../../sync/engine';
import { HistoryReplay } from '../../sync/history-replay';
import type { CrmGateway } from '../../hubspot';
import { ObjectGraph } from '../../composition';
import { install } from '../../admin/install';
import { backfill, metricsJob, runJobForTick } from '../../../jobs';
import { createLogger } from '../../logging';
import { choosePeriod, headerFigures, renderReport, type MetricsSnapshot } from '../../metrics';
import type { CardResponse } from '../../../card/src/contract';
import { DemoReps, repRoundLine, type CardCall } from './demo-reps';

/**
 * `uld demo` (`npm run demo`): the product on a machine with no HubSpot account. A sandbox portal with
 * synthetic contacts, companies and deals; the uld_* properties installed; `uld serve`'s receiver and
 * worker on a throw-away SQLite store, subscribed to exactly the properties the definition reads; every
 * record qualified and written back; then an activity simulator whose changes arrive as signed webhooks
 * and are written back within seconds; and the evidence that matters: how each status converted to deals.
 *
 * The scheduled jobs run on demo schedules (seconds, not hours) so a short demo sees each of them, and the
 * dashboard is served by the same process; the end is the funnel report from the metrics job.
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
    .option('--sla-seconds <n>', "the hand-off SLA (SLA_HOURS) in seconds: short, so a short demo sees the hand-offs the reps leave alone breach it", '36')
    .action(async (opts: { contacts: string; minutes?: string; activity: string; seed: string; definition?: string; slaSeconds: string }) => {
      const contacts = positive('--contacts', opts.contacts, true);
      const activity = positive('--activity', opts.activity, false);
      const minutes = opts.minutes === undefined ? undefined : positive('--minutes', opts.minutes, false);
      const seed = positive('--seed', opts.seed, true);
      const file = opts.definition ?? path.join(__dirname, '..', '..', '..', '..', 'lead-definition.example.yaml');
      const slaSeconds = positive('--sla-seconds', opts.slaSeconds, false);
      if (slaSeconds < 3.6) {
        process.stderr.write(`uld demo: --sla-seconds must be at least 3.6 (SLA_HOURS is at least 0.001), found "${opts.slaSeconds}"\n`);
        process.exit(2);
      }
      await runDemo({ contacts, activity, minutes, seed, file, slaHours: slaSeconds / 3600 });
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
  slaHours: number;
}


const say = (line: string) => process.stdout.write(`${line}\n`);

/** Demo schedules (cron with seconds): a few runs of each job within a two-minute demo. */
const DEMO_SCHEDULES = { RECONCILE_SCHEDULE: '*/30 * * * * *', REQUALIFY_SCHEDULE: '15 * * * * *', METRICS_SCHEDULE: '*/20 * * * * *' };
/** How often the demo's reps look at their new hand-offs. */
const REP_ROUND_MS = 10_000;

async function runDemo(o: DemoOptions): Promise<void> {
  const def = compileDefinition(loadDefinitionFile(o.file));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-demo-'));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/webhooks/hubspot`;
  // Throw-away, valid while the demo runs: printed so the dashboard can be opened, never stored.
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
  });
  say(`  sandbox portal ${sandbox.portalId} at ${sandbox.url}`);

  let stopped = false;
  let wake: () => void = () => {};
  const aborted = new AbortController();
  const stop = () => {
    stopped = true;
    aborted.abort();
    wake();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, ms);
    });

  let service: Awaited<ReturnType<typeof startService>> | undefined;
  // The parts the service runs with: the backfill below goes through the same gateway as its worker and
  // scheduler (one budget for the app, as at HubSpot) and judges by the same compiled definition.
  const graph = new ObjectGraph(config, { definition: def });
  const gateway = graph.gateway('the demo');
  try {
    say('\nInstall (as `uld install` does):');
    const installed = await install({ gateway, definition: def, targetUrl: publicUrl });
    const created = installed.properties.filter((l) => l.action === 'create').length;
    say(`  token of portal ${'hubId' in installed.token ? installed.token.hubId : '?'}: ${installed.missingScopes.length === 0 ? 'every required scope granted' : `MISSING ${installed.missingScopes.map((m) => m.scope).join(', ')}`}`);
    say(`  ${created} uld_* properties created on contacts, deals and companies; ${installed.subscriptions.length} webhook subscriptions (exactly what the definition reads)`);

    // The service: webhook receiver, worker, scheduler (jobs on demo schedules) and dashboard.
    service = await startService({ config, host: '127.0.0.1', graph });
    say(`  \`uld serve\` running: webhooks at ${publicUrl}, store ${path.join(dir, 'demo.db')}`);

    say("\nBackfill (as `uld backfill` does): every contact, company and deal read, qualified and written back in batches of 100, each contact's stage dates replayed from HubSpot's property history...");
    const started = Date.now();
    const callsBefore = sandbox.calls.total();
    const logger = createLogger('warn');
    const replay = new HistoryReplay({ gateway });
    const engine = new SyncEngine({ gateway, store: service.store, definition: def, logger, owner: `demo-backfill:${process.pid}`, past: { replay, rewrite: false } });
    let lastLine = 0;
    const counts = await backfill({
      gateway,
      store: service.store,
      engine,
      signal: aborted.signal,
      onProgress: (p) => {
        if (Date.now() - lastLine < 1_000 && !p.done) return;
        lastLine = Date.now();
        say(`  ${p.objectType}: ${p.records} records; ${sandbox.calls.total() - callsBefore} API calls; ${((Date.now() - started) / 1000).toFixed(1)} s`);
      },
    });
    if (stopped) {
      say(`\nStopped (Ctrl-C) during the backfill, after ${counts.records} records; cleaning up.`);
      return;
    }
    say(`  backfill done: ${counts.records} records in ${counts.pages} pages, ${sandbox.calls.total() - callsBefore} API calls, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`  history replayed for ${replay.totals.contacts} contacts (${replay.totals.historyPoints} past values): first sales_ready dated from history for ${replay.totals.salesReadyDated}, before the kept history (no date) for ${replay.totals.salesReadyUndated}`);

    say('\nWhat reps now see in HubSpot (uld_status on every contact), and how each status converted to deals:');
    const before = await readFunnel(gateway);
    printFunnel(before);
    if (def.accounts) await printAccounts(service.store);

    say(`\nDashboard: http://127.0.0.1:${port}/dashboard  (sign in with the demo's throw-away admin token ${adminToken})`);
    say(`Jobs on demo schedules: reconcile ${DEMO_SCHEDULES.RECONCILE_SCHEDULE}, requalify ${DEMO_SCHEDULES.REQUALIFY_SCHEDULE}, metrics ${DEMO_SCHEDULES.METRICS_SCHEDULE} (cron with seconds).`);
    say(`\nSimulating portal activity at ${o.activity} per second${o.minutes === undefined ? ' (Ctrl-C to stop)' : ` for ${o.minutes} minute(s)`}: changes arrive as signed webhooks and are written back within seconds...`);
    say(`The reps work their hand-offs every ${REP_ROUND_MS / 1000} s on the qualification card, through its backend, signed as HubSpot signs hubspot.fetch calls (demo SLA: ${Math.round(o.slaHours * 3600 * 10) / 10} s):`);
    const reps = new DemoReps({ store: service.store, call: cardCaller(sandbox, new URL(publicUrl).origin), reps: sandbox.portal.listOwners().slice(0, 5).map((r) => ({ id: r.userId, email: r.email })) });
    sandbox.simulator.start(o.activity);
    const until = o.minutes === undefined ? Infinity : Date.now() + o.minutes * 60_000;
    let nextRound = Date.now();
    let example: string | undefined;
    while (!stopped && Date.now() < until) {
      if (Date.now() >= nextRound) {
        nextRound = Date.now() + REP_ROUND_MS;
        const round = await reps.round();
        example ??= round.firstOpened;
        if (round.opened + round.leftAlone > 0) say(repRoundLine(round));
      }
      await pause(Math.min(5_000, Math.max(0, Math.min(until, nextRound) - Date.now())));
      await progress(sandbox, service.store);
    }
    sandbox.simulator.stop();
    // A demo shorter than the SLA would end before any hand-off the reps left alone breached it.
    const breachAt = reps.firstBreachAt(o.slaHours * 3_600_000);
    if (!stopped && breachAt !== null && breachAt > Date.now()) {
      say(`\nWaiting ${Math.ceil((breachAt - Date.now()) / 1000)} s for the SLA of the hand-offs the reps left alone to run out...`);
      await pause(breachAt - Date.now() + 500);
    }
    say(stopped ? '\nStopping (Ctrl-C): letting deliveries in flight land...' : '\nTime is up: letting deliveries in flight land...');
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
    const after = await readFunnel(gateway);
    printFunnel(after);
    printMoves(before.statuses, after.statuses);

    // One last metrics run, so the report reflects the activity; then the report as `uld report` prints it.
    const final = await runJobForTick(service.store, logger, `demo:${process.pid}`, { name: 'metrics', schedule: DEMO_SCHEDULES.METRICS_SCHEDULE, run: () => metricsJob({ store: service!.store, now: Date.now(), slaHours: config.sync.slaHours }) }, Date.now());
    say('\nJob runs (as `uld jobs` shows them):');
    for (const r of (await service.store.listJobRuns({ limit: 50 })).reverse()) say(`  ${new Date(r.startedAt).toISOString()}  ${r.job.padEnd(10)} ${r.outcome.padEnd(7)} ${r.error ?? JSON.stringify(r.counts)}`);
    const [latest] = await service.store.listMetricSnapshots(1);
    if (final.outcome === 'ok' && latest) {
      say('\nThe funnel report (as `uld report --by source` prints it; `--by cohort` and `--by status` too), from the metrics job:');
      // The header the dashboard opens on: the last 90 days beside the 90 before, as `uld report` prints it.
      const now = Date.now();
      const choice = choosePeriod(undefined, undefined, now);
      const header = choice.ok ? headerFigures({ ...(await service.store.listMirror()), now }, choice.period) : undefined;
      process.stdout.write(renderReport(JSON.parse(latest.figures) as MetricsSnapshot, { format: 'table', by: 'source', ...(header ? { header } : {}) }));
      if (def.accounts) {
        say('\nThe account funnel (as `uld report --by account` prints it): each company once, however many of its contacts qualify:');
        process.stdout.write(renderReport(JSON.parse(latest.figures) as MetricsSnapshot, { format: 'table', by: 'account' }));
      }
    } else say(`\nThe metrics job failed: ${final.error ?? 'no figures'}`);
    say(`\nThe reps' verdicts, as the hand-off page shows them: http://127.0.0.1:${port}/dashboard/handoff`);
    if (example !== undefined) say(`A contact's qualification card, as a rep sees it in HubSpot: http://127.0.0.1:${port}/dashboard/contacts/${example}`);
    const dead = (await service.store.queueStats()).deadLetters;
    say(`\n${sandbox.calls.total()} API calls in all; ${dead} dead letters. Dashboard was at http://127.0.0.1:${port}/dashboard while the demo ran.`);
  } finally {
    sandbox.simulator.stop();
    await service?.stop();
    // Closed by the service's stop when it started; otherwise here (closing twice is harmless).
    await graph.close();
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The card's `hubspot.fetch`, as the sandbox's HubSpot runs it: the URL the card builds (its query in the
 * card's order: portalId, userId, userEmail), signed with the app's client secret, appId appended.
 */
function cardCaller(sandbox: Sandbox, origin: string): CardCall {
  const proxy = sandbox.cardFetch({ permittedUrls: [origin] });
  return async (route, init, user) => {
    const url = `${origin}${route}?portalId=${sandbox.portalId}&userId=${user.id}&userEmail=${encodeURIComponent(user.email)}`;
    const r = await proxy.fetch(url, init);
    let body = r.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body) as unknown;
      } catch {
        // Not ours: the proxy's own message below.
      }
    }
    const answer: CardResponse =
      body !== null && typeof body === 'object' && 'ok' in body ? (body as CardResponse) : { ok: false, error: { code: 'internal_error', message: r.envelope.status === 'error' ? r.envelope.message : `status ${r.status}` } };
    return { status: r.appServerStatus ?? r.status, body: answer };
  };
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

/** Reads uld_status back from HubSpot, as a rep or a report sees it, with each contact's deals (through the gateway's limiter). */
async function readFunnel(gateway: CrmGateway): Promise<Qualified> {
  const statuses = new Map<string, LeadStatus>();
  const withDeal = new Map<LeadStatus, number>();
  const before = Object.values(gateway.calls()).reduce((a, b) => a + b, 0);
  let after: string | undefined;
  do {
    const page = await gateway.page('contacts', ['uld_status'], after);
    for (const c of page.records) {
      const status = (c.properties.uld_status ?? null) as LeadStatus | null;
      if (status !== null) statuses.set(c.id, status);
    }
    after = page.after;
  } while (after);
  const deals = await gateway.associations('contacts', 'deals', [...statuses.keys()]);
  for (const [id, status] of statuses) if ((deals.get(id)?.length ?? 0) > 0) withDeal.set(status, (withDeal.get(status) ?? 0) + 1);
  return { statuses, withDeal, calls: Object.values(gateway.calls()).reduce((a, b) => a + b, 0) - before };
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

/** The accounts as HubSpot now shows them (uld_account_status on every company), from the worker's account mirror. */
async function printAccounts(store: Store): Promise<void> {
  const accounts = (await store.listAccounts()).filter((a) => !a.deleted);
  const by = new Map<string, number>();
  for (const a of accounts) by.set(a.status, (by.get(a.status) ?? 0) + 1);
  say(`\nAccounts (uld_account_status on every company, judged with its buying group): ${ACCOUNT_STATUSES.map((s) => `${by.get(s) ?? 0} ${s}`).join(', ')}`);
  const covered = accounts.filter((a) => a.rolesCovered.includes('DECISION_MAKER') && a.rolesCovered.includes('CHAMPION')).length;
  say(`  ${covered} of ${accounts.length} have a decision maker and a champion among their contacts (hs_buying_role)`);
}

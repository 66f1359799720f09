import path from 'node:path';
import type { Command } from 'commander';
import { type LeadStatus } from '../../definition';
import type { Sandbox } from '../../sandbox';
import type { Service } from '../../server';
import type { Store } from '../../store';
import { metricsJob, runJobForTick } from '../../../jobs';
import { createLogger } from '../../logging';
import type { CardResponse } from '../../../card/src/contract';
import { accountLines, funnelLines, readFunnel, reportText } from './demo-figures';
import { DemoReps, repRoundLine, type CardCall } from './demo-reps';
import { backfillDemo, closeDemoWorld, DEMO_SCHEDULES, installAndServe, openDemoWorld } from './demo-world';

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

/** How often the demo's reps look at their new hand-offs. */
const REP_ROUND_MS = 10_000;

async function runDemo(o: DemoOptions): Promise<void> {
  const world = await openDemoWorld(o, say);
  const { def, sandbox, config, port, publicUrl, adminToken, readBack } = world;

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

  let service: Service | undefined;
  try {
    service = await installAndServe(world, say);
    if (!(await backfillDemo(world, service, say, aborted.signal))) return;
    const logger = createLogger('warn');

    say('\nWhat reps now see in HubSpot (uld_status on every contact), and how each status converted to deals:');
    const before = await readFunnel(readBack);
    funnelLines(before).forEach(say);
    if (def.accounts) (await accountLines(service.store)).forEach(say);

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
    const after = await readFunnel(readBack);
    funnelLines(after).forEach(say);
    printMoves(before.statuses, after.statuses);

    // One last metrics run, so the report reflects the activity; then the report as `uld report` prints it.
    const final = await runJobForTick(service.store, logger, `demo:${process.pid}`, { name: 'metrics', schedule: DEMO_SCHEDULES.METRICS_SCHEDULE, run: () => metricsJob({ store: service!.store, now: Date.now(), slaHours: config.sync.slaHours }) }, Date.now());
    say('\nJob runs (as `uld jobs` shows them):');
    for (const r of (await service.store.listJobRuns({ limit: 50 })).reverse()) say(`  ${new Date(r.startedAt).toISOString()}  ${r.job.padEnd(10)} ${r.outcome.padEnd(7)} ${r.error ?? JSON.stringify(r.counts)}`);
    const [latest] = await service.store.listMetricSnapshots(1);
    if (final.outcome === 'ok' && latest) process.stdout.write(await reportText(service.store, def, latest.figures, Date.now()));
    else say(`\nThe metrics job failed: ${final.error ?? 'no figures'}`);
    say(`\nThe reps' verdicts, as the hand-off page shows them: http://127.0.0.1:${port}/dashboard/handoff`);
    if (example !== undefined) say(`A contact's qualification card, as a rep sees it in HubSpot: http://127.0.0.1:${port}/dashboard/contacts/${example}`);
    const dead = (await service.store.queueStats()).deadLetters;
    say(`\n${sandbox.calls.total()} API calls in all; ${dead} dead letters. Dashboard was at http://127.0.0.1:${port}/dashboard while the demo ran.`);
  } finally {
    await closeDemoWorld(world, service);
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


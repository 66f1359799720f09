import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { backfill, dryRunGateway, resetBackfill } from '../../../jobs/backfill';
import { runJobForTick, scheduledJobs } from '../../../jobs';
import { createLogger } from '../../logging';
import { openStore } from '../../store';
import { SyncEngine } from '../../sync/engine';
import { definitionForCommand } from '../definition';
import { configFromEnvironment } from '../env';
import { gatewayForCommand } from '../gateway';

/** `uld jobs` (the last runs), `uld jobs run <name>` (one run now), `uld backfill` (a whole portal). */
export function registerJobCommands(program: Command): void {
  const jobs = program.command('jobs').description('Scheduled jobs: the last runs, or run one now');
  jobs
    .command('list', { isDefault: true })
    .description('The last runs of every job: when, which instance, outcome and counts')
    .option('--limit <n>', 'at most this many runs', '20')
    .action(async (opts: { limit: string }) => {
      if (!/^[1-9]\d{0,4}$/.test(opts.limit)) return fail('jobs', `--limit must be a positive whole number, found ${JSON.stringify(opts.limit)}`);
      const config = configFromEnvironment();
      const store = await openStore(config.databaseUrl);
      try {
        const runs = await store.listJobRuns({ limit: Number(opts.limit) });
        if (runs.length === 0) process.stdout.write('no job runs recorded yet\n');
        for (const r of runs) {
          const took = r.finishedAt === null ? 'running' : `${((r.finishedAt - r.startedAt) / 1000).toFixed(1)} s`;
          process.stdout.write(`${new Date(r.startedAt).toISOString()}  ${r.job.padEnd(10)} ${r.outcome.padEnd(8)} ${took.padEnd(9)} ${r.instance}  ${r.error ?? JSON.stringify(r.counts)}\n`);
        }
      } finally {
        await store.close();
      }
    });
  jobs
    .command('run')
    .argument('<name>', 'the job: reconcile, requalify or metrics')
    .description('Run one job now, recorded like a scheduled run')
    .action(async (name: string) => {
      const config = configFromEnvironment();
      const logger = createLogger(config.logLevel);
      const gateway = gatewayForCommand(config, `jobs run ${name}`);
      const store = await openStore(config.databaseUrl);
      try {
        const all = scheduledJobs({ config, store, gateway, definition: definitionForCommand(config) });
        const job = all.find((j) => j.name === name);
        if (!job) return fail('jobs run', `unknown job "${name}"; jobs: ${all.map((j) => j.name).join(', ')}`);
        // A manual run is its own tick (now, to the millisecond), so it never collides with a scheduled one.
        const result = await runJobForTick(store, logger, `cli:${os.hostname()}:${process.pid}`, job, Date.now());
        process.stdout.write(`${name}: ${result.outcome}${result.error ? ` (${result.error})` : ''} ${JSON.stringify(result.counts ?? {})}\n`);
        if (result.outcome !== 'ok') process.exitCode = 1;
      } finally {
        await store.close();
        gateway.close();
      }
    });

  program
    .command('backfill')
    .description('Qualify and write back every contact, company and deal of the portal; resumes after a crash')
    .option('--dry-run', 'read everything, write nothing, and report what would change')
    .option('--restart', 'forget the checkpoint and start from the first page')
    .option('--no-progress', 'no progress bar (logs and CI)')
    .action((opts: BackfillCommandOptions) => runBackfillCommand(opts));
}

export interface BackfillCommandOptions {
  dryRun?: boolean;
  restart?: boolean;
  progress: boolean;
}

/** `uld backfill`, also offered at the end of `uld install`. */
export async function runBackfillCommand(opts: BackfillCommandOptions): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const real = gatewayForCommand(config, 'backfill');
  const definition = definitionForCommand(config);
  // A dry run works on a throw-away store, so neither HubSpot nor the mirror changes.
  const dir = opts.dryRun ? fs.mkdtempSync(path.join(os.tmpdir(), 'uld-dry-run-')) : null;
  const store = await openStore(dir ? `sqlite:${path.join(dir, 'dry-run.db')}` : config.databaseUrl);
  const gateway = opts.dryRun ? dryRunGateway(real) : real;
  const engine = new SyncEngine({ gateway, store, definition, logger, owner: `backfill:${os.hostname()}:${process.pid}` });
  const bar = opts.progress && process.stdout.isTTY ? new cliProgress.SingleBar({ format: '{objectType} {records} records | {rate} rec/s | {calls} API calls, {left} left in the window | ETA {eta_formatted}', etaBuffer: 20 }, cliProgress.Presets.shades_classic) : null;
  const started = Date.now();
  // The first Ctrl-C stops at the next block boundary (the checkpoint holds); a second one ends the process.
  const interrupted = new AbortController();
  const onInterrupt = () => {
    interrupted.abort();
    process.stderr.write('\nstopping at the end of this block; `uld backfill` resumes from the checkpoint (Ctrl-C again to quit now)\n');
  };
  process.once('SIGINT', onInterrupt);
  try {
    if (opts.restart) await resetBackfill(store);
    bar?.start(1, 0, { objectType: 'contacts', records: 0, rate: 0, calls: 0, left: '?' });
    const counts = await backfill({
      gateway,
      store,
      engine,
      signal: interrupted.signal,
      onProgress: (p) => {
        const calls = Object.values(gateway.calls()).reduce((a, b) => a + b, 0);
        const rate = Math.round(p.total / Math.max(0.001, (Date.now() - started) / 1000));
        const left = real.limiter.free();
        if (bar) {
          bar.setTotal(Math.max(p.total + 1000, bar.getTotal()));
          bar.update(p.total, { objectType: p.objectType, records: p.total, rate, calls, left });
        } else process.stdout.write(`${p.objectType}: ${p.records} records in ${p.pages} pages; ${rate} records/s; ${calls} API calls, ${left} left in the window${p.done ? '; done' : ''}\n`);
      },
    });
    bar?.stop();
    const calls = Object.values(gateway.calls()).reduce((a, b) => a + b, 0);
    if (counts.stopped) {
      process.stdout.write(
        opts.dryRun
          ? `backfill dry run stopped after ${counts.records} records; nothing was written\n`
          : `backfill stopped after ${counts.records} records in ${counts.pages} pages; run \`uld backfill\` to resume\n`,
      );
      process.exitCode = 130;
      return;
    }
    process.stdout.write(`backfill ${opts.dryRun ? '(dry run) ' : ''}done: ${counts.records} records in ${counts.pages} pages, ${calls} API calls, ${((Date.now() - started) / 1000).toFixed(1)} s${counts.resumed ? ' (resumed from a checkpoint)' : ''}\n`);
    if ('wouldWrite' in gateway) {
      for (const [objectType, updates] of gateway.wouldWrite) {
        // Records, not updates: with nothing written, a record looked at twice would count twice.
        const byProperty = new Map<string, Set<string>>();
        for (const u of updates) for (const p of Object.keys(u.properties)) byProperty.set(p, (byProperty.get(p) ?? new Set()).add(u.id));
        process.stdout.write(`  would write ${new Set(updates.map((u) => u.id)).size} ${objectType}: ${[...byProperty].map(([p, ids]) => `${p} ${ids.size}`).join(', ')}\n`);
      }
      process.stdout.write(`  would create ${gateway.wouldCreate} hand-off tasks and notes\n`);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    bar?.stop();
    await store.close();
    real.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fail(command: string, message: string): void {
  process.stderr.write(`uld ${command}: ${message}\n`);
  process.exitCode = 2;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { backfill, resetBackfill, type CheckpointPrefix } from '../../../jobs/backfill';
import { dryRunGateway } from '../../hubspot/dry-run';
import { createLogger } from '../../logging';
import type { Store } from '../../store';
import { SyncEngine } from '../../sync/engine';
import { HistoryReplay } from '../../sync/history-replay';
import { commandGraph, type ObjectGraph } from '../graph';

/**
 * `uld backfill` (a new install: every record, with history replay unless `--no-history`) and `uld replay`
 * (an installed portal: the same pass with the replay's dates replacing those written before).
 */
export function registerBackfillCommands(program: Command): void {
  program
    .command('backfill')
    .description("Qualify and write back every contact, company and deal of the portal, stage dates replayed from HubSpot's property history; resumes after a crash")
    .option('--dry-run', 'read everything, write nothing, and report what would change')
    .option('--restart', 'forget the checkpoint and start from the first page')
    .option('--no-history', "skip the history replay: stages reached before the install stay undated")
    .option('--no-progress', 'no progress bar (logs and CI)')
    .action((opts: BackfillCommandOptions) => runBackfillCommand(opts));

  program
    .command('replay')
    .description("Replay the current definition over HubSpot's property history for an installed portal: stage dates, uld_qualified_at, uld_days_to_qualify and each deal's uld_lead_status_at_creation rebuilt from it")
    .option('--dry-run', 'read everything, write nothing, and report what would change')
    .option('--restart', 'forget the checkpoint and start from the first page')
    .option('--no-progress', 'no progress bar (logs and CI)')
    .action((opts: Omit<BackfillCommandOptions, 'history'>) => runBackfillCommand({ ...opts, history: true }, 'replay'));
}

export interface BackfillCommandOptions {
  dryRun?: boolean;
  restart?: boolean;
  /** Commander's `--no-history`: false skips the replay. */
  history?: boolean;
  progress: boolean;
}

/** `uld backfill` and `uld replay`. */
export function runBackfillCommand(opts: BackfillCommandOptions, mode: CheckpointPrefix = 'backfill'): Promise<void> {
  return commandGraph((graph) => backfillWith(graph, opts, mode));
}

/** The backfill (or replay) with a command's graph: its own, or `uld install`'s when run right after it. */
export async function backfillWith(graph: ObjectGraph, opts: BackfillCommandOptions, mode: CheckpointPrefix = 'backfill'): Promise<void> {
  const { config } = graph;
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const real = graph.gateway(`\`uld ${mode}\``);
  const definition = graph.definition();
  // A dry run works on a throw-away store (the graph closes it; the folder goes below), so neither HubSpot
  // nor the mirror changes.
  const dir = opts.dryRun ? fs.mkdtempSync(path.join(os.tmpdir(), 'uld-dry-run-')) : null;
  const gateway = opts.dryRun ? dryRunGateway(real) : real;
  const replay = opts.history === false ? null : new HistoryReplay({ gateway });
  const bar = opts.progress && process.stdout.isTTY ? new cliProgress.SingleBar({ format: '{objectType} {records} records | {rate} rec/s | {calls} API calls, {left} left in the window | ETA {eta_formatted}', etaBuffer: 20 }, cliProgress.Presets.shades_classic) : null;
  const started = Date.now();
  // The first Ctrl-C stops at the next block boundary (the checkpoint holds); a second one ends the process.
  const interrupted = new AbortController();
  const onInterrupt = () => {
    interrupted.abort();
    process.stderr.write(`\nstopping at the end of this block; \`uld ${mode}\` resumes from the checkpoint (Ctrl-C again to quit now)\n`);
  };
  process.once('SIGINT', onInterrupt);
  let dryRunStore: Store | null = null;
  try {
    if (dir) dryRunStore = await graph.storeAt(`sqlite:${path.join(dir, 'dry-run.db')}`);
    const store = dryRunStore ?? (await graph.store());
    const engine = new SyncEngine({ gateway, store, definition, logger, owner: `${mode}:${os.hostname()}:${process.pid}`, past: { replay, rewrite: mode === 'replay' } });
    if (opts.restart) await resetBackfill(store, mode);
    bar?.start(1, 0, { objectType: 'contacts', records: 0, rate: 0, calls: 0, left: '?' });
    const counts = await backfill({
      gateway,
      store,
      engine,
      checkpoints: mode,
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
          ? `${mode} dry run stopped after ${counts.records} records; nothing was written\n`
          : `${mode} stopped after ${counts.records} records in ${counts.pages} pages; run \`uld ${mode}\` to resume\n`,
      );
      process.exitCode = 130;
      return;
    }
    process.stdout.write(`${mode} ${opts.dryRun ? '(dry run) ' : ''}done: ${counts.records} records in ${counts.pages} pages, ${calls} API calls, ${((Date.now() - started) / 1000).toFixed(1)} s${counts.resumed ? ' (resumed from a checkpoint)' : ''}\n`);
    if (replay) {
      const t = replay.totals;
      process.stdout.write(
        `  history replayed for ${t.contacts} contacts (${t.historyPoints} history points, ${t.evaluations} evaluations): first sales_ready dated for ${t.salesReadyDated}, reached before the kept history (no date) for ${t.salesReadyUndated}; company facts are today's primary company's (HubSpot keeps no association history)\n`,
      );
    } else process.stdout.write('  no history replay (--no-history): stages reached before now are counted, undated\n');
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
    if (dir) {
      // The throw-away store is closed before its folder goes (the graph's own close of it is then a no-op).
      await dryRunStore?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

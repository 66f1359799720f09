import os from 'node:os';
import type { Command } from 'commander';
import { runJobForTick, scheduledJobs } from '../../../jobs';
import { createLogger } from '../../logging';
import { commandGraph } from '../graph';

/** `uld jobs` (the last runs), `uld jobs run <name>` (one run now). */
export function registerJobCommands(program: Command): void {
  const jobs = program.command('jobs').description('Scheduled jobs: the last runs, or run one now');
  jobs
    .command('list', { isDefault: true })
    .description('The last runs of every job: when, which instance, outcome and counts')
    .option('--limit <n>', 'at most this many runs', '20')
    .action(async (opts: { limit: string }) => {
      if (!/^[1-9]\d{0,4}$/.test(opts.limit)) return fail('jobs', `--limit must be a positive whole number, found ${JSON.stringify(opts.limit)}`);
      await commandGraph(async (graph) => {
        const store = await graph.store();
        const runs = await store.listJobRuns({ limit: Number(opts.limit) });
        if (runs.length === 0) process.stdout.write('no job runs recorded yet\n');
        for (const r of runs) {
          const took = r.finishedAt === null ? 'running' : `${((r.finishedAt - r.startedAt) / 1000).toFixed(1)} s`;
          process.stdout.write(`${new Date(r.startedAt).toISOString()}  ${r.job.padEnd(10)} ${r.outcome.padEnd(8)} ${took.padEnd(9)} ${r.instance}  ${r.error ?? JSON.stringify(r.counts)}\n`);
        }
      });
    });
  jobs
    .command('run')
    .argument('<name>', 'the job: reconcile, requalify, metrics or retention')
    .description('Run one job now, recorded like a scheduled run')
    .action(async (name: string) => {
      await commandGraph(async (graph) => {
        const { config } = graph;
        const logger = createLogger(config.logLevel);
        const gateway = graph.gateway(`\`uld jobs run ${name}\``);
        const store = await graph.store();
        const all = scheduledJobs({ config, store, gateway, definition: graph.definition(), logger });
        const job = all.find((j) => j.name === name);
        if (!job) return fail('jobs run', `unknown job "${name}"; jobs: ${all.map((j) => j.name).join(', ')}`);
        // A manual run is its own tick (now, to the millisecond), so it never collides with a scheduled one.
        const result = await runJobForTick(store, logger, `cli:${os.hostname()}:${process.pid}`, job, Date.now());
        process.stdout.write(`${name}: ${result.outcome}${result.error ? ` (${result.error})` : ''} ${JSON.stringify(result.counts ?? {})}\n`);
        if (result.outcome !== 'ok') process.exitCode = 1;
      });
    });

}

function fail(command: string, message: string): void {
  process.stderr.write(`uld ${command}: ${message}\n`);
  process.exitCode = 2;
}

import type { Command } from 'commander';
import { choosePeriod, computeMetrics, computeMetricsForPeriod, headerFigures, parseDay, renderReport, snapshotOf, type Dimension, type ReportFormat } from '../../metrics';
import { commandGraph } from '../graph';

const FORMATS: readonly ReportFormat[] = ['table', 'json', 'csv'];
const DIMENSIONS: readonly Dimension[] = ['cohort', 'source', 'status', 'account'];

/**
 * `uld report`: the conversion and velocity figures from the local mirror (never the portal), by created-month
 * cohort, source or status at hand-off (or the account funnel, `--by account`), as a table, JSON or CSV. The formulas are in docs/metrics.md.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Conversion and velocity figures from the mirror, by cohort, source or status at hand-off, or the account funnel')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--since <date>', 'only contacts and deals created on or after this UTC day (YYYY-MM-DD)')
    .option('--from <day>', 'the period\'s first UTC day (YYYY-MM-DD): header figures for it, and only records created in it')
    .option('--to <day>', 'the period\'s last UTC day (YYYY-MM-DD), included; today by default')
    .option('--by <dimension>', 'cohort, source, status or account (the account funnel)', 'cohort')
    .action(async (opts: { format: string; since?: string; from?: string; to?: string; by: string }) => {
      const fail = (message: string) => {
        process.stderr.write(`uld report: ${message}\n`);
        process.exitCode = 2;
      };
      if (!FORMATS.includes(opts.format as ReportFormat)) return fail(`--format must be one of ${FORMATS.join(', ')}, found ${JSON.stringify(opts.format)}`);
      if (!DIMENSIONS.includes(opts.by as Dimension)) return fail(`--by must be one of ${DIMENSIONS.join(', ')}, found ${JSON.stringify(opts.by)}`);
      const since = opts.since === undefined ? undefined : parseDay(opts.since);
      if (since === null) return fail(`--since must be a date YYYY-MM-DD, found ${JSON.stringify(opts.since)}`);
      const now = Date.now();
      const choice = choosePeriod(opts.from, opts.to, now, { from: '--from', to: '--to' });
      if (!choice.ok) return fail(choice.message);
      if (since !== undefined && choice.explicit) return fail('--since and --from/--to both bound the records counted: give --since alone, or --from (and --to) alone');

      await commandGraph(async (graph) => {
        const { config } = graph;
        const store = await graph.store();
        // Every record is read, --since or not: the header needs them (the previous period, deals closed in the
        // period but created before), and so does the account funnel (an account created since --since is
        // judged on all its contacts and deals). computeMetrics applies --since itself.
        const [mirror, accounts] = await Promise.all([store.listMirror(), store.listAccounts()]);
        const input = { ...mirror, accounts, now, slaHours: config.sync.slaHours };
        // With --from/--to the body counts the records created in the period; without, every record (or --since's).
        const period = choice.explicit ? { period: choice.period } : {};
        const metrics = choice.explicit ? computeMetricsForPeriod(input, choice.period) : computeMetrics(input, since === undefined ? {} : { since });
        const header = headerFigures({ ...mirror, now }, choice.period);
        process.stdout.write(renderReport({ ...snapshotOf(metrics, now), ...period }, { format: opts.format as ReportFormat, by: opts.by as Dimension, header }));
      });
    });
}

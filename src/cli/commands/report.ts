import type { Command } from 'commander';
import { computeMetrics, renderReport, snapshotOf, type Dimension, type ReportFormat } from '../../metrics';
import { openStore } from '../../store';
import { configFromEnvironment } from '../env';

const FORMATS: readonly ReportFormat[] = ['table', 'json', 'csv'];
const DIMENSIONS: readonly Dimension[] = ['cohort', 'source', 'status'];

/** 'YYYY-MM-DD' as the start of that UTC day, or null when it is not a real calendar date. */
function parseDay(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const ms = Date.parse(`${s}T00:00:00.000Z`);
  // Date.parse rolls 2025-02-30 over to March; a date that does not read back is not a date.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s ? null : ms;
}

/**
 * `uld report`: the conversion and velocity figures from the local mirror (never the portal), by created-month
 * cohort, source or status at hand-off, as a table, JSON or CSV. The formulas are in docs/metrics.md.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Conversion and velocity figures from the mirror, by cohort, source or status at hand-off')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--since <date>', 'only contacts and deals created on or after this UTC day (YYYY-MM-DD)')
    .option('--by <dimension>', 'cohort, source or status', 'cohort')
    .action(async (opts: { format: string; since?: string; by: string }) => {
      const fail = (message: string) => {
        process.stderr.write(`uld report: ${message}\n`);
        process.exitCode = 2;
      };
      if (!FORMATS.includes(opts.format as ReportFormat)) return fail(`--format must be one of ${FORMATS.join(', ')}, found ${JSON.stringify(opts.format)}`);
      if (!DIMENSIONS.includes(opts.by as Dimension)) return fail(`--by must be one of ${DIMENSIONS.join(', ')}, found ${JSON.stringify(opts.by)}`);
      const since = opts.since === undefined ? undefined : parseDay(opts.since);
      if (since === null) return fail(`--since must be a date YYYY-MM-DD, found ${JSON.stringify(opts.since)}`);

      const config = configFromEnvironment();
      const store = await openStore(config.databaseUrl);
      try {
        const mirror = await store.listMirror(since === undefined ? {} : { since });
        const now = Date.now();
        const metrics = computeMetrics({ ...mirror, now, slaHours: config.sync.slaHours }, since === undefined ? {} : { since });
        process.stdout.write(renderReport(snapshotOf(metrics, now), { format: opts.format as ReportFormat, by: opts.by as Dimension }));
      } finally {
        await store.close();
      }
    });
}

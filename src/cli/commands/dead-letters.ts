import type { Command } from 'commander';
import type { DeadLetter, Store } from '../../store';
import { commandGraph } from '../graph';

/** The store with QUEUE_MAX_ATTEMPTS, as the worker runs it (a retried letter gets that many attempts again). */
function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  return commandGraph(async (graph) => fn(await graph.store()));
}

function parseIds(ids: string[], all: boolean | undefined): number[] | 'all' {
  if (all && ids.length > 0) throw new Error('give ids or --all, not both');
  if (all) return 'all';
  if (ids.length === 0) throw new Error('give the ids of the dead letters (see `uld dead-letters list`), or --all');
  return ids.map((s) => {
    if (!/^\d+$/.test(s)) throw new Error(`not a dead-letter id: ${JSON.stringify(s)}`);
    return Number(s);
  });
}

function row(d: DeadLetter): string {
  const when = new Date(d.failedAt).toISOString();
  const changes = [...d.changes, ...d.properties.map((p) => `prop:${p}`)].join(',');
  return `${String(d.id).padEnd(6)} ${d.objectType.padEnd(8)} ${d.objectId.padEnd(14)} ${String(d.attempts).padEnd(8)} ${when}  ${changes}\n       error: ${d.lastError}`;
}

function fail(err: unknown): void {
  process.stderr.write(`uld dead-letters: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}

export function registerDeadLetterCommands(program: Command): void {
  const cmd = program.command('dead-letters').description('Units of work that exhausted their attempts: list, retry or drop them');
  cmd
    .command('list')
    .description('List dead letters with their last error')
    .option('--type <objectType>', 'only contact, company or deal')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON lines instead of a table')
    .action(async (opts: { type?: string; limit: string; json?: boolean }) => {
      try {
        // Checked here: NaN would reach the SQL as a limit and fail with a driver message.
        if (!/^[1-9]\d{0,6}$/.test(opts.limit)) throw new Error(`--limit must be a positive whole number, got ${JSON.stringify(opts.limit)}`);
        const letters = await withStore((s) => s.listDeadLetters({ objectType: opts.type, limit: Number(opts.limit) }));
        if (opts.json) {
          for (const d of letters) process.stdout.write(`${JSON.stringify(d)}\n`);
          return;
        }
        if (letters.length === 0) return void process.stdout.write('no dead letters\n');
        process.stdout.write(`${'id'.padEnd(6)} ${'type'.padEnd(8)} ${'object'.padEnd(14)} ${'attempts'.padEnd(8)} failed at                 changes\n`);
        for (const d of letters) process.stdout.write(`${row(d)}\n`);
      } catch (err) {
        fail(err);
      }
    });
  cmd
    .command('retry')
    .description('Put dead letters back in the queue with fresh attempts')
    .argument('[ids...]', 'dead-letter ids')
    .option('--all', 'every dead letter')
    .action(async (ids: string[], opts: { all?: boolean }) => {
      try {
        const which = parseIds(ids, opts.all);
        const n = await withStore((s) => s.retryDeadLetters(which));
        process.stdout.write(`requeued ${n} dead letter${n === 1 ? '' : 's'}\n`);
      } catch (err) {
        fail(err);
      }
    });
  cmd
    .command('drop')
    .description('Delete dead letters for good')
    .argument('[ids...]', 'dead-letter ids')
    .option('--all', 'every dead letter')
    .action(async (ids: string[], opts: { all?: boolean }) => {
      try {
        const which = parseIds(ids, opts.all);
        const n = await withStore((s) => s.dropDeadLetters(which));
        process.stdout.write(`dropped ${n} dead letter${n === 1 ? '' : 's'}\n`);
      } catch (err) {
        fail(err);
      }
    });
}

import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { install, renderInstall } from '../../admin/install';
import { scopeFeatures } from '../../admin/scopes';
import { commandGraph } from '../graph';
import { backfillWith } from './backfill';

/**
 * `uld install`: scopes, the uld property group and properties, the webhook subscriptions for a legacy private
 * app, then the offer to backfill. The project app's files are `uld init`'s (they come before the token).
 * Exit 1 when a required scope is missing; exit 2 without HUBSPOT_ACCESS_TOKEN.
 */
export function registerInstallCommand(program: Command): void {
  program
    .command('install')
    .description('Check the token and its scopes, create or update the uld_* properties, then offer the backfill (the HubSpot project files come first, from `uld init`)')
    .option('--backfill', 'run the backfill right after installing, without asking')
    .option('--no-backfill', 'do not offer the backfill')
    .action(async (opts: { backfill?: boolean }) => {
      // The backfill it may run afterwards goes through the same gateway: one rate budget.
      await commandGraph(async (graph) => {
        const { config } = graph;
        const gateway = graph.gateway('`uld install`');
        const definition = graph.definition();
        const report = await install({ gateway, definition, features: scopeFeatures(config.sync), ...(config.webhookPublicUrl ? { targetUrl: config.webhookPublicUrl } : {}) });
        process.stdout.write(renderInstall(report));
        if (report.missingScopes.length > 0) {
          process.exitCode = 1;
          return;
        }
        // Explicit --backfill runs it; a person at a terminal is asked; scripts and CI are told the command.
        let run = opts.backfill === true;
        if (opts.backfill === undefined && process.stdin.isTTY && process.stdout.isTTY) {
          const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
          const answer = await rl.question('Run the backfill now (qualify and write back every record of the portal)? [y/N] ');
          rl.close();
          run = /^y(es)?$/i.test(answer.trim());
        }
        if (run) await backfillWith(graph, { progress: true });
        else if (opts.backfill !== false) process.stdout.write('Next: `uld backfill` qualifies and writes back every record of the portal (resumable; `--dry-run` first to preview).\n');
      });
    });
}

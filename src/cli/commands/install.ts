import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { install, renderInstall } from '../../admin/install';
import { createGateway, gatewayOptionsFromConfig } from '../../hubspot';
import { definitionForCommand } from '../definition';
import { configFromEnvironment } from '../env';
import { runBackfillCommand } from './jobs';

/**
 * `uld install`: scopes, the uld property group and properties, the HubSpot project files and the webhook
 * subscriptions, then the offer to backfill. Exit 1 when a required scope is missing.
 */
export function registerInstallCommand(program: Command): void {
  program
    .command('install')
    .description('Check the token and its scopes, create or update the uld_* properties, write the HubSpot project files, then offer the backfill')
    .option('--project-dir <dir>', 'folder for the HubSpot project files (hsproject.json, src/app/...)', 'hubspot-project')
    .option('--no-project', 'do not write project files (a legacy private app: follow the printed Webhooks tab steps)')
    .option('--name <name>', 'project and app name in HubSpot', 'Universal Lead Definition')
    .option('--backfill', 'run the backfill right after installing, without asking')
    .option('--no-backfill', 'do not offer the backfill')
    .action(async (opts: { projectDir: string; project: boolean; name: string; backfill?: boolean }) => {
      const config = configFromEnvironment();
      const definition = definitionForCommand(config);
      const gateway = createGateway(gatewayOptionsFromConfig(config));
      const projectDir = opts.project ? path.resolve(opts.projectDir) : undefined;
      try {
        const report = await install({ gateway, definition, ...(config.webhookPublicUrl ? { targetUrl: config.webhookPublicUrl } : {}), ...(projectDir ? { projectDir } : {}), projectName: opts.name });
        process.stdout.write(renderInstall(report, projectDir));
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
        if (run) await runBackfillCommand({ progress: true });
        else if (opts.backfill !== false) process.stdout.write('Next: `uld backfill` qualifies and writes back every record of the portal (resumable; `--dry-run` first to preview).\n');
      } finally {
        gateway.close();
      }
    });
}

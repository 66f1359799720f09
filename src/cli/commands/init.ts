import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { initProject, ProjectFileError, renderInit } from '../../admin/project-init';
import { DEFAULT_PLATFORM_VERSION, INIT_PLATFORM_VERSIONS, type InitPlatformVersion } from '../../admin/project-files';
import { appScopes, scopeFeatures } from '../../admin/scopes';
import { requireSettings, type Config } from '../../config';
import { subscriptionsFor } from '../../sync/subscriptions';
import { commandGraph } from '../graph';

/**
 * `uld init`: the HubSpot project for `hs project upload`, written without a token or the network, so a new
 * install can start with it (the token exists only once the uploaded app is installed). Run again, it updates
 * what it owns and says what changed; an admin's own edits stay (docs/admin.md, "uld init").
 */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('Write or update the HubSpot project (hsproject.json, the app and webhooks components, the qualification card) for `hs project upload`; needs no token')
    .option('--dir <dir>', 'the project folder', 'hubspot-project')
    .option('--platform-version <version>', `HubSpot developer platform version: ${INIT_PLATFORM_VERSIONS.join(' or ')} (the fallback when an upload refuses the newer one); later runs keep the one named (default: the one named on an earlier run, else ${DEFAULT_PLATFORM_VERSION})`)
    .action(async (opts: { dir: string; platformVersion?: string }) => {
      if (opts.platformVersion !== undefined && !(INIT_PLATFORM_VERSIONS as readonly string[]).includes(opts.platformVersion)) {
        process.stderr.write(`uld init: --platform-version must be ${INIT_PLATFORM_VERSIONS.join(' or ')} (HubSpot's current developer platform and its documented fallback), found ${JSON.stringify(opts.platformVersion)}\n`);
        process.exitCode = 2;
        return;
      }
      await commandGraph((graph) => {
        const { config } = graph;
        requireSettings(config, ['WEBHOOK_PUBLIC_URL'], '`uld init` (it is the target URL of the webhooks component)');
        const { definitionFile, note } = definitionFileForInit(config);
        if (note) process.stdout.write(`note: ${note}\n`);
        const definition = graph.definition(definitionFile);
        const scopes = appScopes(scopeFeatures(config.sync));
        const dir = path.resolve(opts.dir);
        try {
          const report = initProject({
            dir,
            platformVersion: opts.platformVersion as InitPlatformVersion | undefined,
            targetUrl: config.webhookPublicUrl!,
            subscriptions: subscriptionsFor(definition, { handOffMode: config.sync.handOffMode }),
            requiredScopes: scopes.required,
            optionalScopes: scopes.optional,
            support: config.projectApp,
          });
          process.stdout.write(renderInit(report));
        } catch (err) {
          if (!(err instanceof ProjectFileError)) throw err;
          process.stderr.write(`uld init: ${err.message}\n`);
          process.exitCode = 2;
        }
      });
    });
}

/**
 * On a fresh clone there is no lead-definition.yaml yet: the subscriptions then come from the example the
 * repository ships, and the admin is told to run init again once the real definition is in place.
 */
function definitionFileForInit(config: Config): { definitionFile?: string; note?: string } {
  if (process.env.LEAD_DEFINITION || fs.existsSync(config.leadDefinitionPath)) return {};
  const example = path.resolve('lead-definition.example.yaml');
  if (!fs.existsSync(example)) return {};
  return { definitionFile: example, note: `no ${path.relative(process.cwd(), config.leadDefinitionPath)} yet: the webhook subscriptions follow lead-definition.example.yaml; copy and edit it, then run \`uld init\` again` };
}

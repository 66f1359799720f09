import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { renderConfigurationDoc, renderEnvExample } from '../../config/docs';
import { configFromEnvironment } from '../env';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('Inspect and document the configuration');
  config
    .command('check')
    .description('Validate the environment (and .env) and print the effective settings, secrets hidden')
    .action(() => {
      const cfg = configFromEnvironment();
      const shown = JSON.stringify(
        cfg,
        (key, value) => (['accessToken', 'clientSecret', 'adminToken'].includes(key) && value ? '(set, hidden)' : value),
        2,
      );
      process.stdout.write(`Configuration is valid.\n${shown}\n`);
    });
  config
    .command('docs')
    .description('Print docs/configuration.md and .env.example as generated from the schema')
    .option('--write', 'write docs/configuration.md and .env.example instead of printing')
    .action((opts: { write?: boolean }) => {
      if (opts.write) {
        fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
        fs.writeFileSync(path.join(ROOT, 'docs', 'configuration.md'), renderConfigurationDoc());
        fs.writeFileSync(path.join(ROOT, '.env.example'), renderEnvExample());
        process.stdout.write('wrote docs/configuration.md and .env.example\n');
      } else {
        process.stdout.write(`${renderConfigurationDoc()}\n${renderEnvExample()}`);
      }
    });
}

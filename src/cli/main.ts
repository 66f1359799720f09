import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { MissingSettingError } from '../config/settings';
import { DefinitionError } from '../definition';
import { ConfigurationError, HubSpotError } from '../hubspot/errors';
import { StoreUnavailableError } from '../store';

/**
 * The `uld` command line. Each subcommand lives in its own module under ./commands and is listed in
 * ./commands/index.ts, so an issue adds a command without touching this file.
 */
export function buildProgram(): Command {
  const program = new Command('uld')
    .description('Universal Lead Definition for HubSpot: one lead definition, applied to every lead, measured by conversion.')
    .version(require('../../../package.json').version as string)
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    // A definition file with mistakes: every problem, each on its own line with its position, exit 2.
    if (err instanceof DefinitionError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    // A setting the command needs, or one HubSpot or the database refuses (a rejected token, a missing scope,
    // a wrong base URL or version, an unreachable DATABASE_URL), is the admin's to fix: one line, exit 2.
    if (err instanceof MissingSettingError || err instanceof StoreUnavailableError || err instanceof ConfigurationError) {
      process.stderr.write(`uld: ${err.message.split('\n').join('\nuld: ')}\n`);
      process.exitCode = 2;
      return;
    }
    // Any other answer of HubSpot's (an outage that outlasted the retries, a rate limit, a refused record)
    // is said as HubSpot said it; a stack trace would tell an admin nothing more.
    if (err instanceof HubSpotError) {
      process.stderr.write(`uld: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}

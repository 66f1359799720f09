import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { MissingSettingError } from '../config/settings';

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
    // A setting the command needs is the admin's to fix: one line per variable, never a stack trace.
    if (err instanceof MissingSettingError) {
      process.stderr.write(`uld: ${err.message.split('\n').join('\nuld: ')}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

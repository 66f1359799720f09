import type { Command } from 'commander';
import { registerConfigCommands } from './config';

/** Every subcommand of `uld`, one registration function each. */
export const COMMANDS: Array<(program: Command) => void> = [registerConfigCommands];

import type { Command } from 'commander';
import { registerConfigCommands } from './config';
import { registerSandboxCommand } from './sandbox';
import { registerDefinitionCommands } from './definition';
import { registerServeCommand } from './serve';
import { registerDeadLetterCommands } from './dead-letters';
import { registerDemoCommand } from './demo';
import { registerHistoryCommand } from './history';
import { registerJobCommands } from './jobs';
import { registerBackfillCommands } from './backfill';
import { registerReportCommand } from './report';
import { registerInstallCommand } from './install';
import { registerInitCommand } from './init';
import { registerDoctorCommand } from './doctor';
import { registerAnalysisCommands } from './analysis';

/** Every subcommand of `uld`, one registration function each. */
export const COMMANDS: Array<(program: Command) => void> = [registerConfigCommands, registerDefinitionCommands, registerServeCommand, registerDeadLetterCommands, registerSandboxCommand, registerDemoCommand, registerHistoryCommand, registerReportCommand, registerJobCommands, registerBackfillCommands, registerInitCommand, registerInstallCommand, registerDoctorCommand, registerAnalysisCommands];

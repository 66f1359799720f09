import { compileDefinition, DefinitionError, type CompiledDefinition } from '../definition';
import { loadDefinitionFile } from '../definition-file';
import type { Config } from '../config';

/**
 * Loads and compiles the definition a command works with: the file named on the command line, else
 * LEAD_DEFINITION, with the environment's threshold overrides applied. A broken file prints every problem
 * and exits with status 2, like a broken environment.
 */
export function definitionForCommand(config: Config, file?: string): CompiledDefinition {
  try {
    return compileDefinition(loadDefinitionFile(file ?? config.leadDefinitionPath), { overrides: config.thresholdOverrides });
  } catch (err) {
    if (err instanceof DefinitionError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

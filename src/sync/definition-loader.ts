import type { Config } from '../config';
import { compileDefinition, type CompiledDefinition } from '../definition';
import { loadDefinitionFile } from '../definition-file';

/** The definition the worker runs: LEAD_DEFINITION with the environment's threshold overrides. Throws DefinitionError. */
export function definitionOrThrow(config: Config): CompiledDefinition {
  return compileDefinition(loadDefinitionFile(config.leadDefinitionPath), { overrides: config.thresholdOverrides });
}

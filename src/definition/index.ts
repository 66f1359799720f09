/**
 * The lead definition: a reviewed file, validated, compiled once, evaluated purely for every contact.
 * Nothing in this folder touches HTTP, the store, HubSpot's client or a clock: `now` is a parameter.
 */
export * from './types';
export { OPERATORS, LIFECYCLE_STAGES, LEAD_STATUS_VALUES, type ParsedDefinition, type Operator } from './schema';
export { parseDefinitionText, DefinitionError, type DefinitionProblem } from './load';
export { compileDefinition, type CompiledDefinition, type CompileOptions } from './compile';
export { evaluate, renderReasons, forwardLifecycleStage } from './evaluate';
export { summarizeDefinition, type DefinitionSummary, type AccountsSummary } from './summary';
export * from './account-types';
export { evaluateAccount, accountFacts, buyingRolesOf, ACCOUNT_STATUS_LABEL } from './account-evaluate';
export type { CompiledAccounts, CompiledGroupRule, CompiledCoverageRule } from './account-compile';

import type { EnvVarSpec } from './env-spec';
import { decimal } from './parsers';

/** The ladder thresholds an admin can override from the environment: the contact ladder's and the account ladder's. */

/** The canonical statuses whose thresholds can be overridden from the environment. */
export const THRESHOLD_OVERRIDES = [
  ['sales_ready', 'SALES_READY'],
  ['marketing_qualified', 'MARKETING_QUALIFIED'],
] as const;
export const THRESHOLD_DIMENSIONS = [
  ['fit', 'FIT'],
  ['engagement', 'ENGAGEMENT'],
  ['total', 'TOTAL'],
] as const;

export const thresholdSpecs: EnvVarSpec[] = THRESHOLD_OVERRIDES.flatMap(([status, statusEnv]) =>
  THRESHOLD_DIMENSIONS.map(([dim, dimEnv]) => ({
    name: `ULD_${statusEnv}_MIN_${dimEnv}`,
    schema: decimal(-100000, 100000),
    expected: 'a number',
    description: `Overrides the definition's minimum ${dim} score for \`${status}\` (ladder.${status}.${dim}).`,
    group: 'Lead definition overrides',
    example: undefined,
  })),
);

/** The account ladder's rungs whose thresholds can be overridden, and their dimensions (coverage is the accounts' own). */
export const ACCOUNT_THRESHOLD_OVERRIDES = [
  ['qualified', 'ACCOUNT_QUALIFIED'],
  ['engaged', 'ACCOUNT_ENGAGED'],
] as const;
export const ACCOUNT_THRESHOLD_DIMENSIONS = [...THRESHOLD_DIMENSIONS.slice(0, 2), ['coverage', 'COVERAGE'], THRESHOLD_DIMENSIONS[2]] as const;

export const accountThresholdSpecs: EnvVarSpec[] = ACCOUNT_THRESHOLD_OVERRIDES.flatMap(([status, statusEnv]) =>
  ACCOUNT_THRESHOLD_DIMENSIONS.map(([dim, dimEnv]) => ({
    name: `ULD_${statusEnv}_MIN_${dimEnv}`,
    schema: decimal(-100000, 100000),
    expected: 'a number',
    description: `Overrides the definition's minimum account ${dim} score for \`${status}\` (accounts.ladder.${status}.${dim}); ignored without an \`accounts\` section.`,
    group: 'Lead definition overrides',
    example: undefined,
  })),
);

import type { z } from 'zod';

/**
 * Every environment variable the product reads, in one table. The table is the single source for
 * validation, for `.env.example` and for `docs/configuration.md` (a test fails when either drifts).
 */
export interface EnvVarSpec {
  name: string;
  /** Parses the raw string; failing means the variable is invalid. */
  schema: z.ZodType<unknown>;
  /** Human words for what a valid value looks like, used in error messages and docs. */
  expected: string;
  description: string;
  /** The default as written in docs; undefined means "not set". */
  defaultText?: string;
  /** An example for `.env.example`; secrets get a placeholder. */
  example?: string;
  /** Secrets are never echoed back, not even in error messages. */
  secret?: boolean;
  group: string;
}

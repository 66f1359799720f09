import { z } from 'zod';

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

const nonBlank = z.string().trim().min(1);
const noWhitespace = z.string().regex(/^\S+$/);
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
});
const databaseUrl = z.string().refine((s) => /^(postgres|postgresql):\/\/\S+$/.test(s) || /^sqlite:\S+$/.test(s));

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

const thresholdSpecs: EnvVarSpec[] = THRESHOLD_OVERRIDES.flatMap(([status, statusEnv]) =>
  THRESHOLD_DIMENSIONS.map(([dim, dimEnv]) => ({
    name: `ULD_${statusEnv}_MIN_${dimEnv}`,
    schema: decimal(-100000, 100000),
    expected: 'a number',
    description: `Overrides the definition's minimum ${dim} score for \`${status}\` (ladder.${status}.${dim}).`,
    group: 'Lead definition overrides',
    example: undefined,
  })),
);

export const ENV_SPECS: EnvVarSpec[] = [
  {
    name: 'HUBSPOT_ACCESS_TOKEN',
    schema: noWhitespace,
    expected: 'a private-app access token (pat-...) with no spaces',
    description: 'Private app access token, sent as `Authorization: Bearer`. Needed by every command that calls HubSpot.',
    example: 'pat-na1-00000000-0000-0000-0000-000000000000',
    secret: true,
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_CLIENT_SECRET',
    schema: noWhitespace,
    expected: 'the app client secret with no spaces',
    description: 'App client secret: verifies webhook signatures (v3, and v1 when enabled).',
    example: '00000000-0000-0000-0000-000000000000',
    secret: true,
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_APP_ID',
    schema: integer(1, Number.MAX_SAFE_INTEGER),
    expected: 'a positive integer',
    description: "The app's id: events whose sourceId names this app are our own writes and create no work.",
    example: '1234567',
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_PORTAL_ID',
    schema: integer(1, Number.MAX_SAFE_INTEGER),
    expected: 'a positive integer',
    description: 'When set, webhook events from any other portal are rejected.',
    example: '62515',
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_API_BASE_URL',
    schema: httpUrl,
    expected: 'an http(s) URL',
    description: "Base URL of the HubSpot API. Point it at a sandbox portal (`uld sandbox`) to run without HubSpot.",
    defaultText: 'https://api.hubapi.com',
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_RATE_LIMIT_PER_10S',
    schema: integer(1, 10000),
    expected: 'an integer from 1 to 10000',
    description: "Calls per rolling 10 seconds this app may make (HubSpot: 100 Free/Starter, 190 Professional/Enterprise, 250 with the API add-on).",
    defaultText: '100',
    group: 'HubSpot',
  },
  {
    name: 'WEBHOOK_PUBLIC_URL',
    schema: httpUrl,
    expected: 'an http(s) URL',
    description: 'The exact public URL HubSpot posts webhooks to; v3 signatures are computed over it (behind a proxy the request URL differs).',
    example: 'https://uld.example.com/webhooks/hubspot',
    group: 'Webhooks',
  },
  {
    name: 'PORT',
    schema: integer(0, 65535),
    expected: 'an integer from 0 to 65535',
    description: 'HTTP port of `uld serve` (0 picks a free port).',
    defaultText: '3000',
    group: 'Server',
  },
  {
    name: 'ADMIN_TOKEN',
    schema: z.string().min(16).regex(/^\S+$/),
    expected: 'at least 16 characters with no spaces',
    description: 'Bearer token for the dashboard, the admin API and `/metrics`.',
    example: 'change-me-to-a-long-random-string',
    secret: true,
    group: 'Server',
  },
  {
    name: 'DATABASE_URL',
    schema: databaseUrl,
    expected: 'sqlite:<path> or postgres://user@host:port/db',
    description: 'The store. SQLite (one instance) or Postgres (several instances share the work).',
    defaultText: 'sqlite:./data/uld.sqlite',
    group: 'Store',
  },
  {
    name: 'LEAD_DEFINITION',
    schema: nonBlank,
    expected: 'a path to a YAML or JSON file',
    description: 'The lead definition file (see docs/lead-definition.md).',
    defaultText: './lead-definition.yaml',
    group: 'Lead definition',
  },
  ...thresholdSpecs,
  {
    name: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    description: 'Minimum level of the JSON logs.',
    defaultText: 'info',
    group: 'Server',
  },
];

import { z } from 'zod';
import { cronExpression, databaseUrl, decimal, flag, httpUrl, integer, listenHost, nonBlank, noWhitespace, timeZone } from './parsers';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../hubspot/api-version';

/** HANDOFF_MODE: what a first sales_ready creates in HubSpot for sales to work (see its description). */
export const HANDOFF_MODES = ['task', 'lead', 'none'] as const;
export type HandOffMode = (typeof HANDOFF_MODES)[number];

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

/** The account ladder's rungs whose thresholds can be overridden, and their dimensions (coverage is the accounts' own). */
export const ACCOUNT_THRESHOLD_OVERRIDES = [
  ['qualified', 'ACCOUNT_QUALIFIED'],
  ['engaged', 'ACCOUNT_ENGAGED'],
] as const;
export const ACCOUNT_THRESHOLD_DIMENSIONS = [...THRESHOLD_DIMENSIONS.slice(0, 2), ['coverage', 'COVERAGE'], THRESHOLD_DIMENSIONS[2]] as const;

const accountThresholdSpecs: EnvVarSpec[] = ACCOUNT_THRESHOLD_OVERRIDES.flatMap(([status, statusEnv]) =>
  ACCOUNT_THRESHOLD_DIMENSIONS.map(([dim, dimEnv]) => ({
    name: `ULD_${statusEnv}_MIN_${dimEnv}`,
    schema: decimal(-100000, 100000),
    expected: 'a number',
    description: `Overrides the definition's minimum account ${dim} score for \`${status}\` (accounts.ladder.${status}.${dim}); ignored without an \`accounts\` section.`,
    group: 'Lead definition overrides',
    example: undefined,
  })),
);

export const ENV_SPECS: EnvVarSpec[] = [
  {
    name: 'HUBSPOT_ACCESS_TOKEN',
    schema: noWhitespace,
    expected: 'an app access token (pat-...) with no spaces',
    description: "The project app's static access token (its Auth tab; a legacy private app's token works too), sent as `Authorization: Bearer`. Needed by every command that calls HubSpot.",
    example: 'pat-na1-00000000-0000-0000-0000-000000000000',
    secret: true,
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_CLIENT_SECRET',
    schema: noWhitespace,
    expected: 'the app client secret with no spaces',
    description: "The app's client secret (the same Auth tab): verifies webhook signatures (v3, and v1 when enabled) and the card's `hubspot.fetch` requests (v3).",
    example: '00000000-0000-0000-0000-000000000000',
    secret: true,
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_APP_ID',
    schema: integer(1, Number.MAX_SAFE_INTEGER),
    expected: 'a positive integer',
    description: "The app's id: events whose sourceId names this app are our own writes and create no work. The card's backend serves only requests whose signed `appId` is this one (without it, its routes answer 503).",
    example: '1234567',
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_PREVIOUS_CLIENT_SECRET',
    schema: noWhitespace,
    expected: 'the old app client secret with no spaces',
    description:
      "Migration window only: the client secret of the old legacy private app while it and the project app both send webhooks. Requests signed with it are accepted too. Set together with HUBSPOT_PREVIOUS_APP_ID; unset both once the old app is deleted.",
    secret: true,
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_PREVIOUS_APP_ID',
    schema: integer(1, Number.MAX_SAFE_INTEGER),
    expected: 'a positive integer',
    description:
      "Migration window only: the old legacy private app's id. Its writes count as our own (no work from their echoes), and a change both apps deliver is worked once. Set together with HUBSPOT_PREVIOUS_CLIENT_SECRET.",
    group: 'HubSpot',
  },
  {
    name: 'HUBSPOT_PORTAL_ID',
    schema: integer(1, Number.MAX_SAFE_INTEGER),
    expected: 'a positive integer',
    description: "When set, webhook events from any other portal are rejected. The card's backend serves only requests whose signed `portalId` is this one (without it, its routes answer 503).",
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
    name: 'HUBSPOT_API_VERSION',
    schema: z.enum(API_VERSIONS),
    expected: `one of ${API_VERSIONS.join(', ')}`,
    description:
      "HubSpot API version every call uses: `2026-09` (date-versioned, the current one), `2026-03` (date-versioned, the previous one) or `legacy` (/crm/v3 and /crm/v4, unsupported from 2027-03-30 for v4). `uld doctor` warns six months before HubSpot's end of support for it.",
    defaultText: DEFAULT_API_VERSION,
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
  // Support details of the project app (`uld init` writes the ones set into app-hsmeta.json's config.support).
  {
    name: 'APP_SUPPORT_EMAIL',
    schema: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/),
    expected: 'an email address',
    description: "Support email shown for the project app in HubSpot; `uld init` writes it as the app's `support.supportEmail`.",
    example: 'revops@example.com',
    group: 'Project app',
  },
  {
    name: 'APP_SUPPORT_URL',
    schema: httpUrl,
    expected: 'an http(s) URL',
    description: "Support page of the project app; `uld init` writes it as `support.supportUrl`.",
    group: 'Project app',
  },
  {
    name: 'APP_DOCUMENTATION_URL',
    schema: httpUrl,
    expected: 'an http(s) URL',
    description: "Documentation of the project app (e.g. your copy of docs/admin.md); `uld init` writes it as `support.documentationUrl`.",
    group: 'Project app',
  },
  {
    name: 'APP_SUPPORT_PHONE',
    schema: z.string().regex(/^\+?[0-9 ()-]{5,}$/),
    expected: 'a phone number, e.g. +18005555555',
    description: "Support phone of the project app; `uld init` writes it as `support.supportPhone`.",
    group: 'Project app',
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
    name: 'HOST',
    schema: listenHost,
    expected: 'an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0) or a hostname of this machine (e.g. localhost), with no port; unset it to listen on every interface',
    description:
      'Interface `uld serve` listens on. Unset: every interface (IPv6 too where the machine has it). `127.0.0.1` keeps it on loopback, for a deployment behind a reverse proxy on the same machine.',
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
  ...accountThresholdSpecs,
  {
    name: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    description: 'Minimum level of the JSON logs.',
    defaultText: 'info',
    group: 'Server',
  },
  {
    name: 'WEBHOOK_ACCEPT_V1',
    schema: flag,
    expected: 'true or false',
    description: 'Also accept requests signed only with the v1 signature (no timestamp, so no replay window). Leave off unless your app sends no v3 signature.',
    defaultText: 'false',
    group: 'Webhooks',
  },
  {
    name: 'WEBHOOK_MAX_BODY_BYTES',
    schema: integer(1024, 50 * 1024 * 1024),
    expected: 'an integer from 1024 to 52428800',
    description: 'Largest webhook body accepted; larger ones get 413. HubSpot sends at most 100 events (tens of kilobytes).',
    defaultText: '1048576',
    group: 'Webhooks',
  },
  {
    name: 'WEBHOOK_EVENT_RETENTION_DAYS',
    schema: integer(2, 3650),
    expected: 'an integer from 2 to 3650',
    description: 'Days the raw webhook events are kept for audit and replay. At least 2: deduplication of HubSpot retries (up to 24 hours) relies on them.',
    defaultText: '30',
    group: 'Webhooks',
  },
  {
    name: 'QUEUE_LEASE_SECONDS',
    schema: integer(5, 3600),
    expected: 'an integer from 5 to 3600',
    description: "How long a worker holds a claimed batch; a crashed worker's batch is claimable again after it.",
    defaultText: '120',
    group: 'Work queue',
  },
  {
    name: 'QUEUE_MAX_ATTEMPTS',
    schema: integer(1, 100),
    expected: 'an integer from 1 to 100',
    description: 'Claims a unit of work may use before it moves to the dead letters (`uld dead-letters`).',
    defaultText: '8',
    group: 'Work queue',
  },
  {
    name: 'QUEUE_BACKOFF_SECONDS',
    schema: integer(1, 3600),
    expected: 'an integer from 1 to 3600',
    description: 'Delay before the first retry of a failed unit; it doubles per attempt (jittered), up to one hour.',
    defaultText: '10',
    group: 'Work queue',
  },
  {
    name: 'SERVE_HTTP',
    schema: flag,
    expected: 'true or false',
    description: '`uld serve` runs the HTTP server (webhooks, health, metrics) in this process.',
    defaultText: 'true',
    group: 'Server',
  },
  {
    name: 'SERVE_WORKER',
    schema: flag,
    expected: 'true or false',
    description: '`uld serve` runs the sync worker (claims units of work) in this process.',
    defaultText: 'true',
    group: 'Server',
  },
  {
    name: 'SERVE_SCHEDULER',
    schema: flag,
    expected: 'true or false',
    description: '`uld serve` runs the scheduled jobs (and event retention) in this process.',
    defaultText: 'true',
    group: 'Server',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_SECONDS',
    schema: integer(1, 300),
    expected: 'an integer from 1 to 300',
    description: 'On SIGTERM, how long in-flight requests and batches may take to finish before connections are cut.',
    defaultText: '10',
    group: 'Server',
  },
  {
    name: 'DEBOUNCE_MS',
    schema: integer(0, 600_000),
    expected: 'an integer from 0 to 600000 (milliseconds)',
    description: 'How long the worker waits after the first event on a record before working on it, so a burst (an import, a form with ten fields) coalesces into one read and one write.',
    defaultText: '2000',
    group: 'Sync',
  },
  {
    name: 'HANDOFF_MODE',
    schema: z.enum(HANDOFF_MODES),
    expected: 'task, lead or none',
    description:
      "What a contact's first sales_ready hands to sales. `task`: today's hand-off, a task (HANDOFF_TASK) and a note with the reasons (HANDOFF_NOTE), each as those say. `lead`: one Lead (Sales Hub Professional or Enterprise, leads set up) associated with the contact and its company, in the pipeline stage the lead definition's `hubspot.leads` names, with the reasons in a note on the contact; the Lead's Qualified and Disqualified stages come back as sales feedback. Asks for crm.objects.leads.read and .write; HANDOFF_TASK must then be false. `none`: nothing is created in HubSpot (HANDOFF_TASK and HANDOFF_NOTE must be false). Every mode records the hand-off (owner, SLA clock) in the store.",
    defaultText: 'task',
    group: 'Sync',
  },
  {
    name: 'HANDOFF_TASK',
    schema: flag,
    expected: 'true or false',
    description: "With HANDOFF_MODE=task: when a contact first becomes sales_ready, create a HubSpot task for its owner, due within SLA_HOURS.",
    defaultText: 'false',
    group: 'Sync',
  },
  {
    name: 'HANDOFF_NOTE',
    schema: flag,
    expected: 'true or false',
    description: "With HANDOFF_MODE=task: when a contact first becomes sales_ready, add a note with the reasons to its timeline (HANDOFF_MODE=lead always adds it: it is how the Lead carries the reasons).",
    defaultText: 'false',
    group: 'Sync',
  },
  {
    name: 'HANDOFF_OWNER_IDS',
    schema: z.string().regex(/^\s*\d+(\s*,\s*\d+)*\s*$/).transform((s) => s.split(',').map((x) => x.trim())),
    expected: 'comma-separated HubSpot owner ids, e.g. 101,102,103',
    description: 'Round-robin owners for hand-off tasks and Leads of contacts that have no owner (hubspot_owner_id).',
    group: 'Sync',
  },
  {
    name: 'SLA_HOURS',
    schema: decimal(0.001, 24 * 90),
    expected: 'a number of hours from 0.001 to 2160, e.g. 24 or 0.25',
    description: 'Hours sales has to act on a sales_ready lead: the hand-off task is due then, and the requalify job flags a breach after it. Fractions are allowed for speed-to-lead SLAs (0.25 = 15 minutes).',
    defaultText: '24',
    group: 'Sync',
  },
  {
    name: 'RECONCILE_SCHEDULE',
    schema: cronExpression,
    expected: 'a cron expression (5 fields, or 6 with seconds)',
    description: 'When `reconcile` runs: searches records modified since its checkpoint and queues what the webhooks missed.',
    defaultText: '*/10 * * * *',
    group: 'Scheduled jobs',
  },
  {
    name: 'REQUALIFY_SCHEDULE',
    schema: cronExpression,
    expected: 'a cron expression (5 fields, or 6 with seconds)',
    description: 'When `requalify` runs: re-evaluates contacts whose decision can change with time alone (decay, "within N days") and flags SLA breaches.',
    defaultText: '0 3 * * *',
    group: 'Scheduled jobs',
  },
  {
    name: 'METRICS_SCHEDULE',
    schema: cronExpression,
    expected: 'a cron expression (5 fields, or 6 with seconds)',
    description: 'When `metrics` runs: computes the funnel, conversion and velocity figures from the mirror and keeps a snapshot for trends.',
    defaultText: '0 * * * *',
    group: 'Scheduled jobs',
  },
  {
    name: 'JOBS_TIMEZONE',
    schema: timeZone,
    expected: 'an IANA time zone such as UTC or Europe/Berlin',
    description: 'The time zone the job schedules are read in.',
    defaultText: 'UTC',
    group: 'Scheduled jobs',
  },
  {
    name: 'RECONCILE_OVERLAP_MINUTES',
    schema: integer(0, 24 * 60),
    expected: 'an integer from 0 to 1440',
    description: "How far before its checkpoint `reconcile` searches again: HubSpot's search is eventually consistent, so the newest changes may show up late.",
    defaultText: '5',
    group: 'Scheduled jobs',
  },
];

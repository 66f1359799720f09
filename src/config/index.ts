import path from 'node:path';
import { ACCOUNT_THRESHOLD_DIMENSIONS, ACCOUNT_THRESHOLD_OVERRIDES, ENV_SPECS, THRESHOLD_DIMENSIONS, THRESHOLD_OVERRIDES, type EnvVarSpec, type HandOffMode } from './schema';
import type { ThresholdOverrides } from '../definition/types';
import { didYouMean } from '../text/did-you-mean';
import type { Config } from './types';

export { didYouMean };

export { ENV_SPECS, HANDOFF_MODES, type HandOffMode } from './schema';
export { MissingSettingError, requireSettings, missingSettingMessage, REQUIRED_SETTING_HELP, type RequiredSetting } from './settings';

// The Config type lives in ./types, which ./settings reads too: neither needs this file, the loader.
export type { Config, LogLevel } from './types';

export interface ConfigProblem {
  name: string;
  expected: string;
  /** What was found, already made safe to print (secrets are described, never shown). */
  found: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    // One problem is one line; several are a count, then one line each.
    super(
      problems.length === 1
        ? `Invalid environment: ${problems[0]!.name}: expected ${problems[0]!.expected}, found ${problems[0]!.found}`
        : `Invalid environment (${problems.length} problems):\n` + problems.map((p) => `  ${p.name}: expected ${p.expected}, found ${p.found}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function describeFound(spec: EnvVarSpec | undefined, raw: string): string {
  if (spec?.secret) return `a value of ${raw.length} characters (hidden)`;
  return JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
}


/**
 * Validates the whole environment at once and reports every problem together, so an admin fixes the
 * `.env` in one pass instead of one restart per mistake. Empty strings count as "not set", the way
 * dotenv writes `NAME=` lines.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values = new Map<string, unknown>();
  const problems: ConfigProblem[] = [];
  for (const spec of ENV_SPECS) {
    const raw = env[spec.name];
    const text = raw === undefined || raw.trim() === '' ? spec.defaultText : raw;
    if (text === undefined) continue;
    const parsed = spec.schema.safeParse(text);
    if (parsed.success) values.set(spec.name, parsed.data);
    else problems.push({ name: spec.name, expected: spec.expected, found: describeFound(spec, text) });
  }
  // Our own prefix is a namespace we own: a misspelt override would otherwise be silently ignored.
  const known = new Set(ENV_SPECS.map((s) => s.name));
  for (const name of Object.keys(env)) {
    if (name.startsWith('ULD_') && !known.has(name) && !name.startsWith('ULD_TEST_') && name !== 'ULD_REQUIRE_POSTGRES') {
      const hint = didYouMean(name, known);
      problems.push({
        name,
        expected: hint ? `a known variable (did you mean ${hint}?)` : 'a known ULD_ variable (see docs/configuration.md)',
        found: 'an unknown variable',
      });
    }
  }
  problems.push(...previousAppProblems(env, values));
  problems.push(...handOffProblems(values));
  if (problems.length > 0) throw new ConfigError(problems);

  const get = <T>(name: string) => values.get(name) as T;
  const thresholdOverrides: ThresholdOverrides = {};
  for (const [status, statusEnv] of THRESHOLD_OVERRIDES) {
    for (const [dim, dimEnv] of THRESHOLD_DIMENSIONS) {
      const v = get<number | undefined>(`ULD_${statusEnv}_MIN_${dimEnv}`);
      if (v !== undefined) (thresholdOverrides[status] ??= {})[dim] = v;
    }
  }
  for (const [status, statusEnv] of ACCOUNT_THRESHOLD_OVERRIDES) {
    for (const [dim, dimEnv] of ACCOUNT_THRESHOLD_DIMENSIONS) {
      const v = get<number | undefined>(`ULD_${statusEnv}_MIN_${dimEnv}`);
      if (v !== undefined) ((thresholdOverrides.accounts ??= {})[status] ??= {})[dim] = v;
    }
  }
  const config: Config = {
    hubspot: {
      accessToken: get('HUBSPOT_ACCESS_TOKEN'),
      clientSecret: get('HUBSPOT_CLIENT_SECRET'),
      appId: get('HUBSPOT_APP_ID'),
      ...(values.has('HUBSPOT_PREVIOUS_APP_ID') ? { previousApp: { clientSecret: get<string>('HUBSPOT_PREVIOUS_CLIENT_SECRET'), appId: get<number>('HUBSPOT_PREVIOUS_APP_ID') } } : {}),
      portalId: get('HUBSPOT_PORTAL_ID'),
      apiBaseUrl: get<string>('HUBSPOT_API_BASE_URL').replace(/\/+$/, ''),
      apiVersion: get('HUBSPOT_API_VERSION'),
      rateLimitPer10s: get('HUBSPOT_RATE_LIMIT_PER_10S'),
    },
    webhookPublicUrl: get('WEBHOOK_PUBLIC_URL'),
    projectApp: { supportEmail: get('APP_SUPPORT_EMAIL'), supportUrl: get('APP_SUPPORT_URL'), documentationUrl: get('APP_DOCUMENTATION_URL'), supportPhone: get('APP_SUPPORT_PHONE') },
    port: get('PORT'),
    host: get('HOST'),
    adminToken: get('ADMIN_TOKEN'),
    databaseUrl: get('DATABASE_URL'),
    leadDefinitionPath: path.resolve(get<string>('LEAD_DEFINITION')),
    thresholdOverrides,
    logLevel: get('LOG_LEVEL'),
    webhooks: {
      acceptV1: get('WEBHOOK_ACCEPT_V1'),
      maxBodyBytes: get('WEBHOOK_MAX_BODY_BYTES'),
      eventRetentionDays: get('WEBHOOK_EVENT_RETENTION_DAYS'),
    },
    queue: {
      leaseMs: get<number>('QUEUE_LEASE_SECONDS') * 1000,
      maxAttempts: get('QUEUE_MAX_ATTEMPTS'),
      backoffBaseMs: get<number>('QUEUE_BACKOFF_SECONDS') * 1000,
    },
    serve: {
      http: get('SERVE_HTTP'),
      worker: get('SERVE_WORKER'),
      scheduler: get('SERVE_SCHEDULER'),
      shutdownTimeoutMs: get<number>('SHUTDOWN_TIMEOUT_SECONDS') * 1000,
    },
    sync: {
      debounceMs: get('DEBOUNCE_MS'),
      handOffMode: get('HANDOFF_MODE'),
      handOffTask: get('HANDOFF_TASK'),
      handOffNote: get('HANDOFF_NOTE'),
      handOffOwnerIds: get<string[] | undefined>('HANDOFF_OWNER_IDS') ?? [],
      slaHours: get('SLA_HOURS'),
    },
    jobs: {
      reconcileSchedule: get<string>('RECONCILE_SCHEDULE').trim(),
      requalifySchedule: get<string>('REQUALIFY_SCHEDULE').trim(),
      metricsSchedule: get<string>('METRICS_SCHEDULE').trim(),
      timezone: get('JOBS_TIMEZONE'),
      reconcileOverlapMs: get<number>('RECONCILE_OVERLAP_MINUTES') * 60_000,
    },
  };
  return deepFreeze(config);
}

/**
 * HANDOFF_TASK and HANDOFF_NOTE belong to the task hand-off: a task beside a Lead would hand the same contact
 * off twice, and `none` promises nothing is created in HubSpot.
 */
function handOffProblems(values: Map<string, unknown>): ConfigProblem[] {
  const mode = values.get('HANDOFF_MODE') as HandOffMode | undefined;
  const problems: ConfigProblem[] = [];
  if ((mode === 'lead' || mode === 'none') && values.get('HANDOFF_TASK') === true) {
    problems.push({ name: 'HANDOFF_TASK', expected: `false or unset with HANDOFF_MODE=${mode} (${mode === 'lead' ? 'the Lead is the hand-off; a task beside it would be a second one' : 'none creates nothing in HubSpot'})`, found: '"true"' });
  }
  if (mode === 'none' && values.get('HANDOFF_NOTE') === true) {
    problems.push({ name: 'HANDOFF_NOTE', expected: 'false or unset with HANDOFF_MODE=none (none creates nothing in HubSpot)', found: '"true"' });
  }
  return problems;
}

/**
 * The migration window's two settings describe one app: a secret without its id would accept the old
 * app's webhooks but work its echoes as changes, an id without its secret would refuse every one of them.
 * Values equal to the current app's are a copy-paste slip that leaves the old app unrecognised.
 */
function previousAppProblems(env: NodeJS.ProcessEnv, values: Map<string, unknown>): ConfigProblem[] {
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  const secret = 'HUBSPOT_PREVIOUS_CLIENT_SECRET';
  const id = 'HUBSPOT_PREVIOUS_APP_ID';
  const problems: ConfigProblem[] = [];
  if (isSet(secret) !== isSet(id)) {
    const [missing, present] = isSet(secret) ? [id, secret] : [secret, id];
    problems.push({
      name: missing,
      expected: `to be set together with ${present} (both are the old legacy app's, from its Auth tab, during a migration window; or unset both)`,
      found: 'not set',
    });
    return problems;
  }
  if (values.has(id) && values.get(id) === values.get('HUBSPOT_APP_ID')) {
    problems.push({ name: id, expected: "the old legacy app's id, different from HUBSPOT_APP_ID (the project app's)", found: `${String(values.get(id))}, the same as HUBSPOT_APP_ID` });
  }
  if (values.has(secret) && values.get(secret) === values.get('HUBSPOT_CLIENT_SECRET')) {
    problems.push({ name: secret, expected: "the old legacy app's client secret, different from HUBSPOT_CLIENT_SECRET (the project app's)", found: 'the same value as HUBSPOT_CLIENT_SECRET (hidden)' });
  }
  return problems;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Names of variables whose values must never appear in logs or pages. */
export const SECRET_NAMES: readonly string[] = ENV_SPECS.filter((s) => s.secret).map((s) => s.name);

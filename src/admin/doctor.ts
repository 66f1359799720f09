import { didYouMean, REQUIRED_SETTING_HELP, type Config, type RequiredSetting } from '../config';
import type { CompiledDefinition } from '../definition';
import { supportAdvice } from '../hubspot/api-version';
import { redactDatabaseUrl, type Store } from '../store';
import { ensureProductProperties } from '../sync/install-properties';
import { signWebhookRequest } from '../../webhooks';
import { MissingScopesError, grantScopesFix } from '../hubspot';
import { describeToken, type AdminGateway } from './install';
import type { CheckLine, CheckOutcome } from './check-line';
import { migrationWindowChecks } from './migration-window';
import { appScopes, missingScopes, scopeFeatures } from './scopes';

/**
 * `uld doctor`: every check an admin would otherwise do by hand, in dependency order. Each line passes or
 * says what to do; a check whose ground failed (no store, no token) is skipped and says why.
 */

export interface DoctorInputs {
  /** The configuration, or every problem with it. */
  config: Config | { error: string };
  /** The compiled definition, or why it did not load. */
  definition: CompiledDefinition | { error: string } | undefined;
  /** Opens the store without migrating (the doctor never changes anything). */
  openStore: (databaseUrl: string) => Promise<Store>;
  /** Absent when there is no token. */
  gateway: AdminGateway | undefined;
  /** For the webhook round-trip; the global fetch by default. */
  fetch?: typeof fetch;
  now?: number;
  /** A queue item older than this is worth a warning (the worker is not keeping up, or not running). */
  staleQueueMs?: number;
}

/** The password of a database URL is not for printing. */
export const redactUrl = redactDatabaseUrl;

/** A job run this long in "running" was abandoned (the longest job, a large requalify, takes minutes). */
const STUCK_RUN_MS = 60 * 60_000;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function runDoctor(inputs: DoctorInputs): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const add: Add = (check, outcome, detail, fix, setting) => lines.push({ check, outcome, detail, ...(fix ? { fix } : {}), ...(setting ? { setting } : {}) });
  const now = inputs.now ?? Date.now();

  if ('error' in inputs.config) {
    add('configuration', 'fail', inputs.config.error, 'fix the variables named above in .env or the environment (see docs/configuration.md)', 'environment');
    for (const c of ['api version', 'definition', 'store', 'hubspot', 'scopes', 'properties', 'definition properties', 'webhook endpoint', 'queue', 'jobs']) add(c, 'skip', 'skipped: the configuration is invalid');
    return lines;
  }
  const config = inputs.config;
  add('configuration', 'pass', 'environment valid');
  const version = supportAdvice(config.hubspot.apiVersion, now);
  add('api version', version.outcome, version.detail, version.fix);

  const def = inputs.definition && !('error' in inputs.definition) ? inputs.definition : undefined;
  if (def) add('definition', 'pass', `"${def.name}" version ${def.version} (${config.leadDefinitionPath})`);
  else add('definition', 'fail', inputs.definition && 'error' in inputs.definition ? inputs.definition.error : 'no definition loaded', `fix ${config.leadDefinitionPath} (\`uld check-definition\` shows every problem)`);

  // Store and migrations.
  let store: Store | undefined;
  // Why the queue and job checks cannot run; a store whose tables are not there yet has no queue to read.
  let storeSkip = 'skipped: the store is unreachable';
  try {
    store = await inputs.openStore(config.databaseUrl);
    const health = await store.health();
    if (!health.reachable) throw new Error(health.error ?? 'not reachable');
    if (health.pendingMigrations > 0) {
      add('store', 'fail', `${redactUrl(config.databaseUrl)}: ${health.pendingMigrations} migrations not applied`, 'start `uld serve` once: it migrates the store at start-up');
      await store.close();
      store = undefined;
      storeSkip = 'skipped: the store is not migrated';
    } else add('store', 'pass', `${redactUrl(config.databaseUrl)} reachable, migrations applied`);
  } catch (err) {
    add('store', 'fail', `cannot use the store at ${redactUrl(config.databaseUrl)}: ${errorText(err)}`, 'check DATABASE_URL and that the database server is running and reachable from here');
    await store?.close().catch(() => undefined);
    store = undefined;
  }

  try {
    await hubspotChecks(inputs.gateway, config, def, add);
    await webhookCheck(config, inputs.fetch ?? fetch, add);
    const gateway = inputs.gateway;
    lines.push(...(await migrationWindowChecks(config, { fetch: inputs.fetch ?? fetch, ...(gateway ? { tokenInfo: () => gateway.tokenInfo() } : {}) })));
    if (store) await storeChecks(store, now, inputs.staleQueueMs ?? 15 * 60_000, add);
    else for (const c of ['queue', 'jobs']) add(c, 'skip', storeSkip);
  } finally {
    await store?.close();
  }
  return lines;
}

type Add = (check: string, outcome: CheckOutcome, detail: string, fix?: string, setting?: string) => void;

/** A check failed because a variable is not set: what it is for, and where its value comes from. */
function addMissingSetting(add: Add, check: string, name: RequiredSetting): void {
  const help = REQUIRED_SETTING_HELP[name];
  add(check, 'fail', `${name} is not set (${help.purpose})`, `set it in .env to ${help.where}`, name);
}

async function hubspotChecks(gateway: AdminGateway | undefined, config: Config, def: CompiledDefinition | undefined, add: Add): Promise<void> {
  const later = ['scopes', 'properties', 'definition properties'];
  if (!gateway) {
    addMissingSetting(add, 'hubspot', 'HUBSPOT_ACCESS_TOKEN');
    for (const c of later) add(c, 'skip', 'skipped: no HubSpot token');
    return;
  }
  let scopes: string[] | undefined;
  try {
    const info = await describeToken(gateway);
    if ('undescribed' in info) {
      // Reachability and the token are then shown by the property check below, which makes real calls.
      add('hubspot', 'warn', `${config.hubspot.apiBaseUrl} answers, but its private-app token lookup does not describe this token (${info.undescribed})`, 'nothing to do if the property check passes: scopes are then named by the first call that lacks one');
      add('scopes', 'warn', 'not checked: the token lookup does not describe this token', "compare the app's requiredScopes (uld init) with the scopes shown on its Auth tab");
    } else {
      scopes = info.scopes;
      if (config.hubspot.portalId !== undefined && info.hubId !== null && info.hubId !== String(config.hubspot.portalId)) {
        add('hubspot', 'fail', `the token belongs to portal ${info.hubId}, but HUBSPOT_PORTAL_ID is ${config.hubspot.portalId}`, 'use the token of the portal this instance serves, or correct HUBSPOT_PORTAL_ID (webhooks from other portals are refused)');
      } else add('hubspot', 'pass', `${config.hubspot.apiBaseUrl} answers; token of portal ${info.hubId ?? '?'}, app ${info.appId ?? '?'}`);
    }
  } catch (err) {
    add('hubspot', 'fail', `${config.hubspot.apiBaseUrl}: ${errorText(err)}`, 'check HUBSPOT_ACCESS_TOKEN and HUBSPOT_API_BASE_URL, and that this machine can reach HubSpot');
    for (const c of later) add(c, 'skip', 'skipped: HubSpot is unreachable or refused the token');
    return;
  }

  if (scopes !== undefined) {
    const missing = missingScopes(scopes, scopeFeatures(config.sync));
    if (missing.length === 0) add('scopes', 'pass', `all ${appScopes(scopeFeatures(config.sync)).required.length} required scopes granted`);
    else add('scopes', 'fail', `missing ${missing.map((m) => `${m.scope} (to ${m.why})`).join(', ')}`, grantScopesFix(missing.length));
  }

  try {
    const plan = await ensureProductProperties(gateway, { dryRun: true });
    const absent = plan.filter((p) => p.action === 'create');
    const differ = plan.filter((p) => p.action === 'update');
    if (absent.length + differ.length === 0) add('properties', 'pass', `all ${plan.length} uld_* properties present and matching`);
    else
      add(
        'properties',
        'fail',
        [absent.length > 0 ? `missing ${absent.map((p) => `${p.objectType}.${p.name}`).join(', ')}` : '', differ.length > 0 ? `different ${differ.map((p) => `${p.objectType}.${p.name} (${(p.differences ?? []).join(', ')})`).join(', ')}` : '']
          .filter(Boolean)
          .join('; '),
        'run `uld install` (it creates what is missing and updates what differs; it never deletes)',
      );
  } catch (err) {
    add('properties', 'fail', `cannot list properties: ${errorText(err)}`, err instanceof MissingScopesError ? grantScopesFix(err.scopes.length) : 'grant crm.schemas.*.read scopes to the app');
  }

  if (!def) {
    add('definition properties', 'skip', 'skipped: the definition did not load');
    return;
  }
  try {
    const problems: string[] = [];
    // With accounts, what the account rules read too: the company's own inputs and each contact's
    // (hs_buying_role, the group rules' window dates).
    const contactsRead = [...new Set([...def.contactProperties, ...(def.accounts?.contactProperties ?? [])])];
    const companiesRead = [...new Set([...def.companyProperties, ...(def.accounts?.companyProperties ?? [])])];
    for (const [objectType, wanted, prefix] of [
      ['contacts', contactsRead, ''],
      ['companies', companiesRead, 'company.'],
    ] as const) {
      if (wanted.length === 0) continue;
      const have = new Set((await gateway.listProperties(objectType)).map((p) => p.name));
      for (const name of wanted) {
        if (have.has(name)) continue;
        const hint = didYouMean(name, have);
        problems.push(`${prefix}${name} does not exist in the portal's ${objectType}${hint ? ` (did you mean ${prefix}${hint}?)` : ''}`);
      }
    }
    const total = contactsRead.length + companiesRead.length;
    if (problems.length === 0) add('definition properties', 'pass', `all ${total} properties the definition reads exist in the portal`);
    else add('definition properties', 'fail', problems.join('; '), `correct ${config.leadDefinitionPath}, or create the properties in HubSpot: a rule on a property that does not exist never matches`);
  } catch (err) {
    add('definition properties', 'fail', `cannot list properties: ${errorText(err)}`, err instanceof MissingScopesError ? grantScopesFix(err.scopes.length) : 'grant crm.schemas.contacts.read and crm.schemas.companies.read');
  }
  if (config.sync.handOffMode === 'lead') await leadPipelineCheck(gateway, def, add);
}

/**
 * HANDOFF_MODE=lead: the pipeline and stages the definition's `hubspot.leads` names exist in the portal's lead
 * pipelines (portals rename stages and add their own with numeric ids). A wrong id would refuse every hand-off
 * Lead, or never see a verdict.
 */
async function leadPipelineCheck(gateway: AdminGateway, def: CompiledDefinition, add: Add): Promise<void> {
  const s = def.leadHandOff;
  try {
    const pipelines = await gateway.leadPipelines();
    const pipeline = pipelines.find((p) => p.id === s.pipeline);
    if (!pipeline) {
      add('lead pipeline', 'fail', `hubspot.leads.pipeline "${s.pipeline}" is not a lead pipeline of the portal (it has ${pipelines.map((p) => `${p.id} "${p.label}"`).join(', ') || 'none: are leads set up?'})`, 'correct hubspot.leads.pipeline in the lead definition');
      return;
    }
    const ids = new Set(pipeline.stages.map((st) => st.id));
    const unknown = [s.stage, ...s.accepted, ...s.rejected].filter((id) => !ids.has(id));
    if (unknown.length > 0) add('lead pipeline', 'fail', `stage${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} not in lead pipeline ${pipeline.id} (its stages: ${pipeline.stages.map((st) => `${st.id} "${st.label}"`).join(', ')})`, 'correct hubspot.leads in the lead definition');
    else add('lead pipeline', 'pass', `hand-off Leads start in "${pipeline.stages.find((st) => st.id === s.stage)?.label}" of "${pipeline.label}"; verdicts from ${s.accepted.length + s.rejected.length} stages`);
  } catch (err) {
    add('lead pipeline', 'fail', `cannot read the lead pipelines: ${errorText(err)}`, err instanceof MissingScopesError ? grantScopesFix(err.scopes.length) : 'check that leads are set up in the portal (Sales Hub Professional or Enterprise)');
  }
}

/**
 * Signs an empty batch with HUBSPOT_CLIENT_SECRET for WEBHOOK_PUBLIC_URL and posts it there: a 200 proves the
 * URL reaches a receiver that shares our secret and public URL (an empty batch stores nothing).
 */
async function webhookCheck(config: Config, doFetch: typeof fetch, add: Add): Promise<void> {
  const url = config.webhookPublicUrl;
  if (!url) return addMissingSetting(add, 'webhook endpoint', 'WEBHOOK_PUBLIC_URL');
  const secret = config.hubspot.clientSecret;
  if (!secret) return addMissingSetting(add, 'webhook endpoint', 'HUBSPOT_CLIENT_SECRET');
  const body = '[]';
  try {
    const response = await doFetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signWebhookRequest({ clientSecret: secret, uri: url, body }) }, body, signal: AbortSignal.timeout(5_000) });
    if (response.status === 200) add('webhook endpoint', 'pass', `${url} accepted a request signed with HUBSPOT_CLIENT_SECRET`);
    else if (response.status === 401)
      add('webhook endpoint', 'fail', `${url} refused a request signed with HUBSPOT_CLIENT_SECRET (401)`, 'the server runs with another secret or another WEBHOOK_PUBLIC_URL: give both the same values as HubSpot (the secret is on the Auth tab)');
    else add('webhook endpoint', 'fail', `${url} answered ${response.status} to a signed empty batch`, 'is WEBHOOK_PUBLIC_URL the path of POST /webhooks/hubspot on `uld serve`?');
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    add('webhook endpoint', 'fail', `${url} did not answer: ${cause ?? errorText(err)}`, 'start `uld serve`, and make WEBHOOK_PUBLIC_URL reach it (HubSpot must reach it too)');
  }
}

async function storeChecks(store: Store, now: number, staleMs: number, add: Add): Promise<void> {
  const stats = await store.queueStats();
  const pending = stats.byObjectType.reduce((n, q) => n + q.pending + q.leased, 0);
  const oldest = Math.min(...stats.byObjectType.map((q) => q.oldestCreatedAt ?? Infinity));
  const age = Number.isFinite(oldest) ? now - oldest : 0;
  const depth = `${pending} units of work queued${Number.isFinite(oldest) ? `, the oldest ${Math.round(age / 1000)} s old` : ''}; ${stats.deadLetters} dead letters`;
  if (stats.deadLetters > 0) add('queue', 'warn', depth, '`uld dead-letters list` shows why each failed; `uld dead-letters retry` after fixing the cause');
  else if (age > staleMs) add('queue', 'warn', depth, 'the worker is behind or not running: check `uld serve` (SERVE_WORKER) and its logs');
  else add('queue', 'pass', depth);

  const runs = await store.listJobRuns({ limit: 200 });
  const last = new Map<string, (typeof runs)[number]>();
  for (const r of runs) if (!last.has(r.job) || last.get(r.job)!.startedAt < r.startedAt) last.set(r.job, r);
  const failed = [...last.values()].filter((r) => r.outcome === 'failed');
  // A run still "running" long after it started was left by an instance that died mid-run.
  const stuck = [...last.values()].filter((r) => r.outcome === 'running' && now - r.startedAt > STUCK_RUN_MS);
  const summary = ['reconcile', 'requalify', 'metrics'].map((j) => (last.has(j) ? `${j} ${last.get(j)!.outcome} ${new Date(last.get(j)!.startedAt).toISOString()}` : `${j} never`)).join('; ');
  if (failed.length > 0) add('jobs', 'fail', summary, failed.map((r) => `${r.job} failed: ${r.error ?? 'no error recorded'}; run it again with \`uld jobs run ${r.job}\``).join('; '));
  else if (stuck.length > 0) add('jobs', 'warn', summary, stuck.map((r) => `${r.job} has been "running" since ${new Date(r.startedAt).toISOString()} on ${r.instance}: that instance probably died mid-run; the next tick runs it again, or \`uld jobs run ${r.job}\``).join('; '));
  else if (last.size === 0) add('jobs', 'warn', 'no job has run yet', '`uld serve` runs the scheduler; or run one now with `uld jobs run reconcile`');
  else add('jobs', 'pass', summary);
}

export function renderDoctor(lines: CheckLine[]): string {
  const mark: Record<CheckOutcome, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };
  const out = lines.map((l) => `${mark[l.outcome]}  ${l.check.padEnd(22)}${l.detail}${l.fix ? `\n      -> ${l.fix}` : ''}`);
  const failed = lines.filter((l) => l.outcome === 'fail').length;
  out.push(failed === 0 ? '\nAll checks passed.' : `\n${failed} check${failed === 1 ? '' : 's'} failed.`);
  return `${out.join('\n')}\n`;
}

import { randomUUID } from 'node:crypto';
import { Portal } from './crm/portal';
import { SalesReps } from './reps';
import type { ValidationRules } from './crm/validation-rules';
import { HubSpotFetchProxy, type HubSpotFetchProxyOptions } from './card-fetch';
import { ApiFaults, type ApiFaultSettings } from './faults';
import { generatePortal, loadGeneratedPortal, type GeneratedPortal, type PortalMetadata } from './generator/generate';
import { registerAccountInfoRoutes } from './http/routes/account-info';
import { registerAssociationRoutes } from './http/routes/associations';
import { registerBatchRoutes } from './http/routes/batch';
import { registerObjectRoutes } from './http/routes/objects';
import { registerOwnerRoutes } from './http/routes/owners';
import { registerRecordAssociationRoutes } from './http/routes/record-associations';
import { registerTokenInfoRoutes } from './http/routes/token-info';
import { registerPipelineRoutes } from './http/routes/pipelines';
import { registerPropertyRoutes } from './http/routes/properties';
import { registerSearchRoutes } from './http/routes/search';
import { DEFAULT_BEHAVIOUR, Router, type SandboxBehaviour } from './http/router';
import { ApiServer } from './http/server';
import { CallCounters, RequestLog } from './observability';
import { RateLimiter, type RateLimitOptions, type Tier } from './rate-limiter';
import { ActivitySimulator, type SimulatorOptions } from './simulator';
import { WebhookDispatcher, type WebhookFaults, type WebhookSettings } from './webhooks/dispatcher';
import type { WebhookSubscriptionInput } from './webhooks/subscriptions';

/**
 * What an app created for this product would be granted (the scopes of HubSpot's CRM objects, schemas and
 * owners APIs, and `oauth`, which account info needs and every project app carries), plus one unrelated
 * scope a real token often carries.
 */
export const SANDBOX_DEFAULT_SCOPES: readonly string[] = [
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'crm.objects.leads.read',
  'crm.objects.leads.write',
  'crm.objects.owners.read',
  'oauth',
  'crm.lists.read',
];

export interface SandboxOptions {
  /** Interface to listen on; 127.0.0.1 by default (the sandbox is for this machine). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Seed of everything random: generated data, faults, webhook ids and delays, the simulator. */
  seed?: number | string;
  /** Synthetic records to generate at start (none by default: an empty portal). */
  contacts?: number;
  companies?: number;
  deals?: number;
  /** A portal generated beforehand (`generatePortal`), loaded instead of generating one. */
  generated?: GeneratedPortal;
  /** The private app's token (`pat-na1-<uuid>` made up when absent), client secret, ids. */
  accessToken?: string;
  clientSecret?: string;
  appId?: number;
  portalId?: number;
  /** Other apps installed in the portal: their writes come back as webhooks naming them. */
  otherApps?: Array<{ accessToken: string; appId: number }>;
  /**
   * The old legacy private app during a migration window: installed beside the app above, its token writes
   * as it (sourceId = its id), and it delivers every change to its own subscriptions (the app's when
   * absent) with its own eventIds and subscription ids, signed with its own secret, to the same target.
   */
  previousApp?: { accessToken: string; appId: number; clientSecret: string; subscriptions?: WebhookSubscriptionInput[] };
  /** Scopes granted to the private app's token (`SANDBOX_DEFAULT_SCOPES` when absent): reported by token introspection, enforced on every call. */
  scopes?: readonly string[];
  tier?: Tier;
  rateLimit?: RateLimitOptions;
  behaviour?: Partial<SandboxBehaviour>;
  faults?: ApiFaultSettings;
  webhooks?: Partial<WebhookSettings> & { subscriptions?: WebhookSubscriptionInput[]; faults?: WebhookFaults };
  simulator?: SimulatorOptions & { autoStart?: boolean };
  requestLog?: { capacity?: number; captureBodies?: boolean };
  /** Time source of the portal (record timestamps, history, events). */
  clock?: () => number;
}

export interface Sandbox {
  /** Base URL for the SDK: `new Client({ accessToken, basePath: url })`. */
  url: string;
  accessToken: string;
  /** Same as `accessToken`. */
  token: string;
  /** Scopes the token carries, enforced on every call; mutable, so a test can revoke one. */
  scopes: string[];
  clientSecret: string;
  appId: number;
  portalId: number;
  /** Direct access to the portal's state (what a rep would see), for assertions and set-up. */
  portal: Portal;
  /** HubSpot quirks that can be switched (batch validation style, search lag). Mutable. */
  behaviour: SandboxBehaviour;
  /**
   * The portal's validation rules (conditional required properties, required Create Record fields), which
   * the 2026-09 write paths enforce: `requireWhen`, `requireOnCreate`, `clear`, `list`. The same object as
   * `portal.validationRules`; `behaviour.validationRules` chooses how a batch answers a broken rule.
   */
  validationRules: ValidationRules;
  calls: CallCounters;
  requests: RequestLog;
  faults: ApiFaults;
  rateLimiter: RateLimiter;
  webhooks: WebhookDispatcher;
  simulator: ActivitySimulator;
  /** Sales reps acting in HubSpot's UI: `reps.moveLead(leadId, stageId, { userId, disqualificationReason })`. */
  reps: SalesReps;
  /**
   * Every endpoint served, as `METHOD /template` (`GET /crm/v3/objects/{objectType}/{objectId}`,
   * `GET /crm/objects/2026-09/{objectType}/{objectId}`): each operation under every API version that has it.
   */
  endpoints: readonly string[];
  /** Metadata of the generated data (signals, funnel, shares), when data was generated or loaded. */
  generated?: PortalMetadata;
  /**
   * The settings that point the product at this portal, as environment variables: HUBSPOT_API_BASE_URL,
   * HUBSPOT_ACCESS_TOKEN, HUBSPOT_CLIENT_SECRET, HUBSPOT_APP_ID, HUBSPOT_PORTAL_ID.
   */
  environment(): Record<'HUBSPOT_API_BASE_URL' | 'HUBSPOT_ACCESS_TOKEN' | 'HUBSPOT_CLIENT_SECRET' | 'HUBSPOT_APP_ID' | 'HUBSPOT_PORTAL_ID', string> &
    Partial<Record<'HUBSPOT_PREVIOUS_CLIENT_SECRET' | 'HUBSPOT_PREVIOUS_APP_ID', string>>;
  /**
   * `hubspot.fetch` as the app's card in this portal would call its backend: signed with this app's client
   * secret, `appId` appended, HubSpot's limits (src/sandbox/card-fetch.ts). One proxy is one account's
   * concurrency budget: share it between the "reps" of a test or the demo.
   */
  cardFetch(options: Pick<HubSpotFetchProxyOptions, 'permittedUrls' | 'localMapping' | 'maxConcurrent'>): HubSpotFetchProxy;
  /** The old app of a migration window (`previousApp`), with its own webhook deliveries. */
  previousApp?: { accessToken: string; appId: number; clientSecret: string; webhooks: WebhookDispatcher };
  /** Stops the simulator and webhook deliveries and closes the server (hanging requests included). */
  stop(): Promise<void>;
}

/**
 * Starts a sandbox HubSpot portal: an HTTP server that the real `@hubspot/api-client` talks to, a portal
 * (optionally filled with synthetic data), webhook delivery to a target URL, fault injection, an activity
 * simulator and observability. Always `stop()` it.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? Date.now;
  const appId = options.appId ?? 3_100_001;
  const portalId = options.portalId ?? 48_100_001;
  const accessToken = options.accessToken ?? `pat-na1-${randomUUID()}`;
  const clientSecret = options.clientSecret ?? randomUUID();

  const portal = new Portal(portalId, clock);
  let generated: GeneratedPortal | undefined = options.generated;
  if (!generated && (options.contacts ?? 0) > 0) {
    generated = generatePortal({
      seed,
      contacts: options.contacts as number,
      ...(options.companies !== undefined ? { companies: options.companies } : {}),
      ...(options.deals !== undefined ? { deals: options.deals } : {}),
      now: clock(),
    });
  }
  if (generated) loadGeneratedPortal(portal, generated);
  else portal.setOwners(generatePortal({ seed, contacts: 0, now: clock() }).owners);

  const behaviour: SandboxBehaviour = { ...DEFAULT_BEHAVIOUR, ...(options.behaviour ?? {}) };
  const calls = new CallCounters();
  const requests = new RequestLog(options.requestLog?.capacity, options.requestLog?.captureBodies ?? false);
  const faults = new ApiFaults(seed);
  if (options.faults) faults.set(options.faults);
  const rateLimiter = new RateLimiter({ ...(options.tier ? { tier: options.tier } : {}), ...(options.rateLimit ?? {}) });

  const { subscriptions = [], faults: webhookFaults, ...webhookSettings } = options.webhooks ?? {};
  const webhooks = new WebhookDispatcher({ portalId, appId, clientSecret }, webhookSettings, seed);
  for (const subscription of subscriptions) webhooks.subscribe(subscription);
  if (webhookFaults) webhooks.setFaults(webhookFaults);
  portal.onChange((change) => webhooks.handleChange(change));
  let previousApp: Sandbox['previousApp'];
  if (options.previousApp) {
    const { subscriptions: own = subscriptions, ...app } = options.previousApp;
    // Seeded apart from the first app, so its eventIds and subscription ids are its own as in HubSpot.
    const previousWebhooks = new WebhookDispatcher({ portalId, appId: app.appId, clientSecret: app.clientSecret }, webhookSettings, `${seed}:app:${app.appId}`);
    for (const subscription of own) previousWebhooks.subscribe(subscription);
    if (webhookFaults) previousWebhooks.setFaults(webhookFaults);
    portal.onChange((change) => previousWebhooks.handleChange(change));
    previousApp = { ...app, webhooks: previousWebhooks };
  }

  const { autoStart = false, ...simulatorOptions } = options.simulator ?? {};
  const simulator = new ActivitySimulator(portal, { seed, ...simulatorOptions });

  const router = new Router();
  const env = { portal, behaviour };
  registerSearchRoutes(router, env);
  registerBatchRoutes(router, env);
  registerObjectRoutes(router, env);
  registerPropertyRoutes(router, env);
  registerPipelineRoutes(router, env);
  registerAssociationRoutes(router, env);
  registerRecordAssociationRoutes(router, env);
  registerOwnerRoutes(router, env);
  registerAccountInfoRoutes(router, env);

  const tokens = new Map<string, number>([
    [accessToken, appId],
    ...[...(options.otherApps ?? []), ...(previousApp ? [previousApp] : [])].map((a) => [a.accessToken, a.appId] as [string, number]),
  ]);
  const scopes = [...(options.scopes ?? SANDBOX_DEFAULT_SCOPES)];
  // Other apps are not ours to configure: they carry every default scope.
  const scopesOf = (token: string): readonly string[] => (token === accessToken ? scopes : SANDBOX_DEFAULT_SCOPES);
  registerTokenInfoRoutes(router, {
    portalId,
    lookup: (token) => {
      const app = tokens.get(token);
      if (token === accessToken && !behaviour.describesAppToken) return undefined;
      return app === undefined ? undefined : { appId: app, scopes: scopesOf(token) };
    },
  });
  const server = new ApiServer({ router, rateLimiter, faults, log: requests, counters: calls, authenticate: (token) => tokens.get(token), grantedScopes: scopesOf });
  const url = await server.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  if (autoStart) simulator.start();

  let stopped: Promise<void> | undefined;
  return {
    url,
    accessToken,
    token: accessToken,
    scopes,
    clientSecret,
    appId,
    portalId,
    portal,
    behaviour,
    validationRules: portal.validationRules,
    calls,
    requests,
    faults,
    rateLimiter,
    webhooks,
    simulator,
    reps: new SalesReps(portal),
    endpoints: router.endpoints(),
    ...(generated ? { generated: generated.metadata } : {}),
    ...(previousApp ? { previousApp } : {}),
    cardFetch(o) {
      return new HubSpotFetchProxy({ ...o, clientSecret, appId, portalId, clock });
    },
    environment() {
      return {
        HUBSPOT_API_BASE_URL: url,
        HUBSPOT_ACCESS_TOKEN: accessToken,
        HUBSPOT_CLIENT_SECRET: clientSecret,
        HUBSPOT_APP_ID: String(appId),
        HUBSPOT_PORTAL_ID: String(portalId),
        ...(previousApp ? { HUBSPOT_PREVIOUS_CLIENT_SECRET: previousApp.clientSecret, HUBSPOT_PREVIOUS_APP_ID: String(previousApp.appId) } : {}),
      };
    },
    stop() {
      stopped ??= (async () => {
        simulator.stop();
        webhooks.stop();
        previousApp?.webhooks.stop();
        await server.close();
      })();
      return stopped;
    },
  };
}

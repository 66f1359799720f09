/**
 * The sandbox portal: a fake HubSpot that the real `@hubspot/api-client` talks to, for running, testing,
 * demoing and benchmarking the product without a HubSpot account. See docs/sandbox.md.
 */
export { startSandbox, SANDBOX_DEFAULT_SCOPES, type Sandbox, type SandboxOptions } from './sandbox';
export { generatePortal, loadGeneratedPortal, DEFAULT_GENERATOR_NOW, type GeneratePortalOptions, type GeneratedPortal, type PortalMetadata } from './generator/generate';
export { PORTAL_SIGNALS, TARGET_PROFILE, propertiesWithRole, type PropertySignal, type SignalRole } from './generator/signals';
export { FREE_MAIL_DOMAIN_SET, COMPETITORS } from './generator/vocabulary';
export { ActivitySimulator, type ActivityKind, type SimulatedActivity, type SimulatorOptions } from './simulator';
export { Portal, type ChangeSource, type CrmRecord, type HistoryEntry, type Owner, type PortalChange, type RecordSeed, type WriteSource } from './crm/portal';
export type { ObjectType } from './crm/object-types';
export { ValidationRules, evaluateRules, type ConditionalRequirement, type RuleViolation, type ValidationRuleSet } from './crm/validation-rules';
export { ASSOCIATION_KINDS, associationKind, type AssociationKind } from './crm/associations';
export { DEFAULT_DEAL_STAGES, DEFAULT_LEAD_PIPELINE } from './crm/pipelines';
export { LEAD_DISQUALIFICATION_REASONS } from './crm/property-catalog';
export { SalesReps } from './reps';
export { SEARCH_LIMITS } from './crm/search';
export { ApiFaults, type ApiFault, type ApiFaultSettings } from './faults';
export { RateLimiter, TIER_LIMITS, type RateLimitOptions, type Tier } from './rate-limiter';
export { CallCounters, RequestLog, type RequestLogEntry } from './observability';
export { DEFAULT_BEHAVIOUR, type ApiVersion, type SandboxBehaviour } from './http/router';
export { API_VERSIONS, VERSION_SHAPES, type VersionShape } from './http/versions';
export { BATCH_LIMIT } from './http/routes/batch';
export { LIST_LIMIT, HISTORY_LIMIT } from './http/routes/objects';
export { PROPERTY_HISTORY_BOUND } from './http/serialize';
export { ASSOCIATION_READ_LIMIT } from './http/routes/associations';
export {
  WebhookDispatcher,
  DEFAULT_WEBHOOK_SETTINGS,
  type DeliveryRecord,
  type WebhookFaults,
  type WebhookSettings,
  type WebhookStats,
} from './webhooks/dispatcher';
export type { WebhookSubscription, WebhookSubscriptionInput } from './webhooks/subscriptions';
export { signV1, signV3, signatureHeaders } from './webhooks/signing';
export { rateLimitBody, type HubSpotErrorBody } from './errors';
export {
  HubSpotFetchProxy,
  fetchSignatureV2,
  fetchSignatureV3,
  FETCH_MAX_BYTES,
  FETCH_MAX_CONCURRENT,
  FETCH_DEFAULT_TIMEOUT_MS,
  type HubSpotFetchInit,
  type HubSpotFetchProxyOptions,
  type HubSpotFetchResult,
  type HubSpotFetchStats,
  type ProxyEnvelope,
} from './card-fetch';

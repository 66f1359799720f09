/**
 * The HubSpot gateway: the only code that calls HubSpot. See docs/hubspot-gateway.md.
 */
export * from './types';
export {
  createGateway,
  gatewayOptionsFromConfig,
  HubSpotGateway,
  BATCH_SIZE,
  HISTORY_BATCH_SIZE,
  ASSOCIATION_BATCH_SIZE,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type GatewayOptions,
  type CallPolicy,
  type GatewayStats,
} from './gateway';
export { rateBudget, type RateBudget } from './rate-budget';
export {
  HubSpotError,
  TransientError,
  RateLimitedError,
  ConfigurationError,
  MissingScopesError,
  grantScopesFix,
  RecordError,
  BatchCreateError,
  errorFromResponse,
  type ErrorAction,
  type HubSpotErrorBody,
  type RateLimitPolicy,
  type TransientReason,
} from './errors';
export { RollingLimiter, type RollingLimiterOptions } from './limiter';
export {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  SUPPORT_WINDOWS,
  apiPaths,
  isApiVersion,
  pathGeneration,
  supportStatus,
  type ApiPaths,
  type ApiVersion,
} from './api-version';

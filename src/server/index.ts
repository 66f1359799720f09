export { startService, ServiceConfigError, type Service, type ServiceOptions } from './service';
export { createApp, type AppOptions } from './app';
export { createMetrics, type Metrics } from './metrics';
export { freePort, listen, type RunningHttp } from './http';
export { BACKGROUND_ROLES, type BackgroundRole, type RoleContext, type RunningRole } from './roles';

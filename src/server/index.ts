export { startService, ServiceConfigError, type Service, type ServiceOptions } from './service';
export { createApp, type AppOptions } from './app';
export { createMetrics, type Metrics } from './metrics';
export { freePort, listen, type RunningHttp } from './http';
export { BACKGROUND_ROLES } from './roles';
export type { BackgroundRole, RoleContext, RunningRole } from './role-types';

import type { Config } from '../config';
import type { BackgroundRole } from './role-types';
import { workerRole } from './worker-role';
import { schedulerRole } from './scheduler-role';

/** The roles `uld serve` can run beside the HTTP server (role-types.ts says what a role is). */
export const BACKGROUND_ROLES: BackgroundRole[] = [workerRole, schedulerRole];

export function roleEnabled(role: BackgroundRole['name'], config: Config): boolean {
  return role === 'worker' ? config.serve.worker : config.serve.scheduler;
}

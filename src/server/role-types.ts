import type { Logger } from 'pino';
import type { ObjectGraph } from '../composition';
import type { Config } from '../config';
import type { Store } from '../store';
import type { Metrics } from './metrics';

/** What a background role gets from `uld serve`: the configuration, the process's parts, logs and metrics. */
export interface RoleContext {
  config: Config;
  /** The gateway and definition, shared with the other roles (one rate budget, one set of rules). */
  graph: ObjectGraph;
  /** The graph's store, already open. */
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** This process's identity; lease owner for the queue, so its leases can be released on shutdown. */
  instanceId: string;
}

export interface RunningRole {
  /** Finish what is in hand (a claimed batch, a running job) and stop; release what was not finished. */
  stop(): Promise<void>;
}

/**
 * A role `uld serve` can run beside (or instead of) the HTTP server. The hook points for the worker
 * (issue 5, switched by SERVE_WORKER) and the scheduler (issue 6, SERVE_SCHEDULER): each adds one entry
 * to BACKGROUND_ROLES.
 */
export interface BackgroundRole {
  name: 'worker' | 'scheduler';
  start(ctx: RoleContext): Promise<RunningRole>;
}

import type { Logger } from 'pino';
import type { Config } from '../src/config';
import type { CrmGateway } from '../src/hubspot/types';
import type { Store } from '../src/store/types';
import type { CompiledDefinition } from '../src/definition';
import { LeadHandOffs } from '../src/sync/lead-hand-off';
import { reconcile } from './reconcile';
import { requalify } from './requalify';
import { metricsJob } from './metrics';
import { retentionJob } from './retention';
import type { Job } from './scheduler';

export { Scheduler, runJobForTick, type Job, type RunResult } from './scheduler';
export { reconcile, SEARCH_RESULT_CAP } from './reconcile';
export { requalify } from './requalify';
export { metricsJob } from './metrics';
export { backfill, resetBackfill } from './backfill';
export { pruneWebhookEvents, retentionJob, RETENTION_SCHEDULE } from './retention';

/** Every scheduled job, with its schedule from the configuration. */
export function scheduledJobs(ctx: { config: Config; store: Store; gateway: CrmGateway; definition: CompiledDefinition; logger: Logger; now?: () => number }): Job[] {
  const now = ctx.now ?? Date.now;
  const settings = ctx.definition.leadHandOff;
  const leads =
    ctx.config.sync.handOffMode === 'lead'
      ? { handOffs: new LeadHandOffs({ gateway: ctx.gateway, store: ctx.store, settings: () => settings }), verdictStages: [...settings.accepted, ...settings.rejected] }
      : undefined;
  return [
    {
      name: 'reconcile',
      schedule: ctx.config.jobs.reconcileSchedule,
      run: () => reconcile({ gateway: ctx.gateway, store: ctx.store, now: now(), overlapMs: ctx.config.jobs.reconcileOverlapMs, ...(leads ? { leads } : {}) }),
    },
    {
      name: 'requalify',
      schedule: ctx.config.jobs.requalifySchedule,
      run: () => requalify({ gateway: ctx.gateway, store: ctx.store, definition: ctx.definition, now: now(), slaHours: ctx.config.sync.slaHours }),
    },
    {
      name: 'metrics',
      schedule: ctx.config.jobs.metricsSchedule,
      run: () => metricsJob({ store: ctx.store, now: now(), slaHours: ctx.config.sync.slaHours, databaseUrl: ctx.config.databaseUrl }),
    },
    retentionJob(ctx.store, ctx.config.webhooks.eventRetentionDays, ctx.logger),
  ];
}

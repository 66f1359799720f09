import { Scheduler, scheduledJobs } from '../../jobs';
import type { BackgroundRole } from './role-types';

/** The scheduler role of `uld serve` (SERVE_SCHEDULER): the scheduled jobs (event retention among them), once per tick across instances. */
export const schedulerRole: BackgroundRole = {
  name: 'scheduler',
  async start(ctx) {
    const gateway = ctx.graph.gateway('the scheduler (SERVE_SCHEDULER)');
    const scheduler = new Scheduler({ store: ctx.store, logger: ctx.logger, instanceId: ctx.instanceId, timezone: ctx.config.jobs.timezone, jobs: scheduledJobs({ config: ctx.config, store: ctx.store, gateway, definition: ctx.graph.definition(), logger: ctx.logger }) });
    scheduler.start();
    return {
      stop: async () => {
        await scheduler.stop();
      },
    };
  },
};

import { Scheduler, scheduledJobs } from '../../jobs';
import { createGateway, gatewayOptionsFromConfig } from '../hubspot';
import type { BackgroundRole } from './role-types';
import { definitionOrThrow } from '../sync/definition-loader';

/** The scheduler role of `uld serve` (SERVE_SCHEDULER): the scheduled jobs (event retention among them), once per tick across instances. */
export const schedulerRole: BackgroundRole = {
  name: 'scheduler',
  async start(ctx) {
    const gateway = createGateway(gatewayOptionsFromConfig(ctx.config));
    const scheduler = new Scheduler({ store: ctx.store, logger: ctx.logger, instanceId: ctx.instanceId, timezone: ctx.config.jobs.timezone, jobs: scheduledJobs({ config: ctx.config, store: ctx.store, gateway, definition: definitionOrThrow(ctx.config), logger: ctx.logger }) });
    scheduler.start();
    return {
      stop: async () => {
        await scheduler.stop();
        gateway.close();
      },
    };
  },
};

import type { Command } from 'commander';
import { createLogger } from '../../logging';
import { ServiceConfigError, startService } from '../../server';
import { requireSettings, type RequiredSetting } from '../../config';
import { configFromEnvironment } from '../env';
import { ObjectGraph } from '../graph';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the webhook receiver, the worker and the scheduler (each switchable: SERVE_HTTP, SERVE_WORKER, SERVE_SCHEDULER)')
    .action(async () => {
      const config = configFromEnvironment();
      // Each role asks only for what it uses: the receiver verifies signatures, the worker and scheduler call HubSpot.
      const needs: RequiredSetting[] = [
        ...(config.serve.http ? (['HUBSPOT_CLIENT_SECRET', 'WEBHOOK_PUBLIC_URL'] as const) : []),
        ...(config.serve.worker || config.serve.scheduler ? (['HUBSPOT_ACCESS_TOKEN'] as const) : []),
      ];
      requireSettings(config, needs, '`uld serve`');
      const logger = createLogger(config.logLevel);
      let service;
      try {
        service = await startService({ config, logger, graph: new ObjectGraph(config) });
      } catch (err) {
        if (err instanceof ServiceConfigError) {
          process.stderr.write(`uld serve: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        logger.fatal({ err }, 'could not start');
        process.exitCode = 1;
        return;
      }
      const shutdown = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'signal received');
        // A second signal means "now": the operator gave up waiting for a graceful stop.
        process.once(signal, () => process.exit(1));
        service.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.fatal({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    });
}

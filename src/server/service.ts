import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createLogger } from '../logging';
import type { Store } from '../store';
import { emailLookup } from '../dashboard';
import { ObjectGraph } from '../composition';
import { createApp } from './app';
import { Verdicts } from '../sync/verdicts';
import type { LadderStatus, Thresholds } from '../definition/types';
import { listen, type RunningHttp } from './http';
import { createMetrics, type Metrics } from './metrics';
import { BACKGROUND_ROLES, roleEnabled } from './roles';
import type { BackgroundRole, RunningRole } from './role-types';
import { stopFigureWorkers } from '../figures-worker';

export interface ServiceOptions {
  config: Config;
  logger?: Logger;
  /** Interface to listen on, over HOST; all by default. Tests use 127.0.0.1. */
  host?: string;
  /** The roles this build has (defaults to BACKGROUND_ROLES); tests pass their own. */
  roles?: BackgroundRole[];
  /**
   * The gateway, definition and store to run with, when the caller built them (the demo backfills through the
   * same gateway, so one rate budget). Otherwise the service builds its own from `config`. Either way
   * `stop` closes it.
   */
  graph?: ObjectGraph;
}

export interface Service {
  instanceId: string;
  /** The HTTP port, or null when SERVE_HTTP is off. */
  port: number | null;
  http: RunningHttp | null;
  store: Store;
  metrics: Metrics;
  /** Graceful stop: stop accepting, finish in-flight work, release leases, close the store. Idempotent. */
  stop(): Promise<void>;
}

export class ServiceConfigError extends Error {
  override name = 'ServiceConfigError';
}

function requireForHttp(config: Config): { clientSecret: string; publicUrl: string } {
  const missing = [
    config.hubspot.clientSecret ? null : 'HUBSPOT_CLIENT_SECRET (verifies webhook signatures)',
    config.webhookPublicUrl ? null : 'WEBHOOK_PUBLIC_URL (the URL HubSpot signs)',
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) {
    throw new ServiceConfigError(`the HTTP server needs ${missing.join(' and ')}; set them, or SERVE_HTTP=false for an instance without webhooks`);
  }
  return { clientSecret: config.hubspot.clientSecret!, publicUrl: config.webhookPublicUrl! };
}

/**
 * Listens where HOST and PORT say. An address this machine does not have, or a name that does not resolve, is
 * the admin's to fix: it becomes a one-line ServiceConfigError (exit 2), not a stack trace.
 */
async function listenOn(app: Parameters<typeof listen>[0], config: Config, host = config.host): Promise<RunningHttp> {
  try {
    return await listen(app, config.port, host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (host !== undefined && (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
      throw new ServiceConfigError(`HOST ${host} is not an address of this machine (${code}); set HOST to one of its addresses, e.g. 127.0.0.1, or unset it to listen on every interface`);
    }
    if (code === 'EADDRINUSE') {
      throw new ServiceConfigError(`PORT ${config.port} is already in use${host === undefined ? '' : ` on ${host}`}; stop what listens there or set PORT to a free port`);
    }
    throw err;
  }
}

/**
 * `uld serve`: one process running the roles its configuration switches on: the HTTP server (webhooks,
 * health, metrics), the worker and the scheduler, all over one store.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const instanceId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const webhookSecrets = config.serve.http ? requireForHttp(config) : null;

  const graph = options.graph ?? new ObjectGraph(config);
  let store: Store;
  try {
    store = await graph.store();
  } catch (err) {
    await graph.close();
    throw err;
  }
  logger.info({ dialect: store.dialect, instanceId }, 'store open, migrations applied');
  const metrics = createMetrics(store, logger);
  let draining = false;
  let http: RunningHttp | null = null;
  const running: Array<{ name: string; role: RunningRole }> = [];

  try {
    if (webhookSecrets) {
      if (config.adminToken === undefined) logger.warn('ADMIN_TOKEN is not set: /metrics is open to anyone who can reach this port');
      // Without it our writes to HubSpot's own properties come back as work, and the worker writes again: a loop.
      if (config.hubspot.appId === undefined) {
        logger.warn('HUBSPOT_APP_ID is not set: echoes of this app\'s writes are recognised only when they change a uld_* property');
      }
      if (config.hubspot.previousApp) {
        logger.info(
          { previousAppId: config.hubspot.previousApp.appId },
          'migration window open: webhooks signed by the previous app are accepted and its writes are ours; unset HUBSPOT_PREVIOUS_CLIENT_SECRET and HUBSPOT_PREVIOUS_APP_ID once it is deleted',
        );
      }
      // The dashboard's search by email asks HubSpot (the mirror keeps no email), through the process's one
      // gateway; without HUBSPOT_ACCESS_TOKEN there is none, and the decisions page says only record ids can
      // be searched.
      if (!graph.canCallHubSpot) logger.info('HUBSPOT_ACCESS_TOKEN is not set: the dashboard searches decisions by record id only, not by email');
      // The card's backend reads the ladder of the definition the worker runs (overrides included) and writes
      // verdicts through short attempts (HubSpot gives a card request 15 s in all) on the process's budget.
      let ladder: Record<LadderStatus, Thresholds> | string;
      try {
        ladder = graph.definition().ladder;
      } catch (err) {
        ladder = `the lead definition could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); fix LEAD_DEFINITION and restart`;
        logger.warn({ err }, 'card backend: no lead definition, card routes answer 503');
      }
      const verdictGateway = graph.canCallHubSpot ? graph.gatewayWith('the card\'s verdicts', { timeoutMs: 5_000, retry: { maxRetries: 1 } }) : null;
      const app = createApp({
        store,
        logger,
        metrics,
        adminToken: config.adminToken,
        draining: () => draining,
        webhooks: {
          clientSecret: webhookSecrets.clientSecret,
          publicUrl: webhookSecrets.publicUrl,
          acceptV1: config.webhooks.acceptV1,
          portalId: config.hubspot.portalId,
          appId: config.hubspot.appId,
          ...(config.hubspot.previousApp ? { previousApp: config.hubspot.previousApp } : {}),
          maxBodyBytes: config.webhooks.maxBodyBytes,
          // New units wait DEBOUNCE_MS before the worker may claim them, so a burst coalesces into one read and one write.
          availableAfterMs: config.sync.debounceMs,
        },
        // SLA_HOURS as the metrics job uses it, so the breaches shown are the job's; DATABASE_URL so the
        // figures are computed in a worker thread with its own connection, off this event loop.
        dashboard: {
          slaHours: config.sync.slaHours,
          databaseUrl: config.databaseUrl,
          // HubSpot calls the public URL; an https one means TLS ends in front of us: cookies must be Secure.
          secureCookies: config.webhookPublicUrl?.startsWith('https://') === true,
          ...(graph.canCallHubSpot ? { findContactIdsByEmail: emailLookup(graph.gateway('the dashboard\'s search by e-mail')) } : {}),
        },
        card: {
          clientSecret: config.hubspot.clientSecret,
          publicUrl: config.webhookPublicUrl,
          appId: config.hubspot.appId,
          portalId: config.hubspot.portalId,
          ladder,
          slaHours: config.sync.slaHours,
          // Contacts handed off before the hand_offs table existed: what the configuration created then.
          defaultHandOffMode: config.sync.handOffMode === 'task' ? (config.sync.handOffTask ? 'task' : 'none') : config.sync.handOffMode,
          handOffOf: (data) => data.handOff ?? null,
          verdicts: verdictGateway
            ? new Verdicts({ gateway: verdictGateway, store, logger: logger.child({ component: 'verdicts' }) })
            : 'verdicts need HUBSPOT_ACCESS_TOKEN (they are written to HubSpot); set it and restart',
        },
      });
      http = await listenOn(app, config, options.host);
      logger.info({ host: http.host, port: http.port }, 'listening');
    }
    for (const role of options.roles ?? BACKGROUND_ROLES) {
      if (!roleEnabled(role.name, config)) {
        logger.info({ role: role.name }, 'role switched off in this instance');
        continue;
      }
      running.push({ name: role.name, role: await role.start({ config, graph, store, logger: logger.child({ role: role.name }), metrics, instanceId }) });
      logger.info({ role: role.name }, 'role started');
    }
  } catch (err) {
    await Promise.allSettled(running.map((r) => r.role.stop()));
    await http?.close(0);
    await graph.close();
    throw err;
  }

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      draining = true;
      logger.info({ timeoutMs: config.serve.shutdownTimeoutMs }, 'shutting down: no new connections, finishing in-flight work');
      await Promise.allSettled([
        http?.close(config.serve.shutdownTimeoutMs),
        ...running.reverse().map(({ name, role }) =>
          role.stop().catch((err: unknown) => logger.error({ err, role: name }, 'role did not stop cleanly')),
        ),
      ]);
      // A dashboard refresh still reading the mirror in a worker thread would keep the process alive for
      // nothing (the roles above already waited for their own jobs).
      await stopFigureWorkers();
      // Whatever a role still held goes back to the queue now, not after its lease runs out.
      const released = await store.releaseLeases({ owner: instanceId }).catch((err: unknown) => {
        logger.error({ err }, 'could not release leases; they will expire');
        return 0;
      });
      // The gateway's limiter timers would otherwise outlive the service; the store closes last.
      await graph.close();
      logger.info({ releasedLeases: released }, 'stopped');
    })());

  return { instanceId, port: http?.port ?? null, http, store, metrics, stop };
}

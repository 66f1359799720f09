import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { webhookRouter, type ReceiverOptions } from '../../webhooks';
import { dashboardRouter, type DashboardOptions } from '../dashboard';
import type { Store } from '../store';
import type { Metrics } from './metrics';
import { buildCardView } from '../card';
import { bearerMatches } from '../admin-token';
import { CARD_PATH, cardRouter, type CardRouterOptions } from './card-routes';

export interface AppOptions {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  webhooks: Omit<ReceiverOptions, 'store' | 'logger' | 'metrics'>;
  /** ADMIN_TOKEN: when set, /metrics requires `Authorization: Bearer <token>`. */
  adminToken?: string;
  /** True once shutdown began: readiness fails so a load balancer stops sending, connections close. */
  draining: () => boolean;
  /** The dashboard's settings beyond the store and ADMIN_TOKEN; SLA_HOURS defaults to its configured default, 24. */
  dashboard?: Partial<Omit<DashboardOptions, 'store' | 'adminToken' | 'logger'>>;
  /** The qualification card's backend (/card/...); without it those routes answer 503 in JSON. */
  card?: Omit<CardRouterOptions, 'store' | 'logger'>;
}

const CARD_NOT_CONFIGURED = 'the card backend is not configured in this server';

/** The HTTP app: webhooks in, health and metrics out. No listening here, so tests mount it on port 0. */
export function createApp(options: AppOptions): Express {
  const { store, logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const timing: RequestHandler = (req, res, next) => {
    const end = metrics.requestDuration.startTimer({ method: req.method });
    // Keep-alive connections would hold a draining server open: ask the client to close after this answer.
    if (options.draining()) res.setHeader('Connection', 'close');
    res.on('finish', () => {
      // Route templates, not raw paths: an unknown path must not create a label per URL a scanner tries.
      end({ route: (req.route?.path as string | undefined) ?? 'unmatched', status_code: String(res.statusCode) });
    });
    next();
  };
  app.use(timing);

  app.use(webhookRouter({ ...options.webhooks, store, logger, metrics: metrics.receiver }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    if (options.draining()) return void res.status(503).json({ ready: false, reason: 'shutting down' });
    const health = await store.health();
    if (!health.reachable) return void res.status(503).json({ ready: false, reason: 'store unreachable' });
    if (health.pendingMigrations > 0) return void res.status(503).json({ ready: false, reason: `${health.pendingMigrations} store migrations pending` });
    res.json({ ready: true });
  });

  app.get('/metrics', async (req, res) => {
    if (options.adminToken !== undefined && !bearerMatches(req.headers.authorization, options.adminToken)) {
      return void res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized' });
    }
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // The dashboard and its JSON (/dashboard, /api/metrics): closed unless ADMIN_TOKEN is set.
  // Its contact card page shows the card's own view, read the way the card backend reads it (one store call).
  const card = options.card;
  const contactCard =
    card && typeof card.ladder !== 'string'
      ? async (contactId: string) => {
          const data = await store.cardData(contactId);
          const now = (card.now ?? Date.now)();
          return buildCardView({ contactId, data, ladder: card.ladder as Exclude<typeof card.ladder, string>, slaHours: card.slaHours, now, defaultHandOffMode: card.defaultHandOffMode, handOff: card.handOffOf?.(data) ?? null });
        }
      : undefined;
  app.use(dashboardRouter({ slaHours: 24, ...(contactCard ? { contactCard } : {}), ...options.dashboard, store, adminToken: options.adminToken, logger }));

  // The card's backend: only requests HubSpot signed for this app and portal; every answer JSON.
  app.use(
    CARD_PATH,
    cardRouter({
      ...(options.card ?? { ladder: CARD_NOT_CONFIGURED, verdicts: CARD_NOT_CONFIGURED, slaHours: 24, defaultHandOffMode: 'none' }),
      store,
      logger,
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const errors: ErrorRequestHandler = (err, req, res, _next) => {
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal_error' });
  };
  app.use(errors);
  return app;
}

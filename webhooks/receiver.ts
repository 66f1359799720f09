import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { EventLog, IngestResult } from '../src/store';
import { toIncomingEvent } from './classify';
import { parseEventBatch } from './events';
import { verifyHubSpotSignature, type SigningApp } from './signature';

export const WEBHOOK_PATH = '/webhooks/hubspot';

/** Why a delivery was refused; the metric's `reason` label. */
export type RejectionReason =
  | 'missing_signature'
  | 'v1_not_accepted'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature'
  | 'too_large'
  | 'invalid_body'
  | 'wrong_portal'
  | 'store_unavailable';

export interface ReceiverMetrics {
  rejected(reason: RejectionReason): void;
  received(events: number): void;
  accepted(result: IngestResult): void;
}

export interface ReceiverOptions {
  store: Pick<EventLog, 'ingest'>;
  clientSecret: string;
  /** WEBHOOK_PUBLIC_URL: the URL HubSpot signs, whatever URL the request reached us by. */
  publicUrl: string;
  acceptV1: boolean;
  /** HUBSPOT_PORTAL_ID: when set, events of any other portal are refused. */
  portalId?: number;
  /** HUBSPOT_APP_ID: our own writes come back as events and must not create work. */
  appId?: number;
  /**
   * HUBSPOT_PREVIOUS_CLIENT_SECRET and HUBSPOT_PREVIOUS_APP_ID, during a migration window: the old legacy
   * app still delivers every change too, signed with its own secret; its signatures verify, its writes
   * are ours, and the change it delivers a second time is stored once (the change key).
   */
  previousApp?: { clientSecret: string; appId: number };
  maxBodyBytes: number;
  /** Debounce for new units of work (issue 5 sets it from DEBOUNCE_MS). */
  availableAfterMs?: number;
  logger: Logger;
  metrics?: ReceiverMetrics;
  now?: () => number;
}

/**
 * POST /webhooks/hubspot. Answers, in order of checking:
 *  413 body over the limit; 401 signature problems (the reason is logged and counted, never told to the
 *  caller); 400 malformed bodies, with a precise message; 403 events of another portal; 503 when the
 *  store cannot take them (HubSpot retries); 200 only once every event is durably stored.
 */
export function webhookRouter(options: ReceiverOptions): express.Router {
  const { logger, metrics } = options;
  const now = options.now ?? Date.now;
  const router = express.Router();
  const appIds = [options.appId, options.previousApp?.appId].filter((id): id is number => id !== undefined);
  const checkAppId = appIdChecker(options, logger);

  const reject = (res: Response, status: number, reason: RejectionReason, body: Record<string, string>) => {
    metrics?.rejected(reason);
    res.status(status).json(body);
  };

  router.post(
    WEBHOOK_PATH,
    // Raw bytes, whatever the content type: the signature covers the body exactly as sent.
    express.raw({ type: () => true, limit: options.maxBodyBytes }),
    async (req: Request, res: Response) => {
      const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verdict = verifyHubSpotSignature({
        method: req.method,
        publicUrl: options.publicUrl,
        rawBody,
        headers: req.headers,
        clientSecret: options.clientSecret,
        ...(options.previousApp ? { previousClientSecret: options.previousApp.clientSecret } : {}),
        acceptV1: options.acceptV1,
        now: now(),
      });
      if (!verdict.ok) {
        logger.warn({ reason: verdict.reason, detail: verdict.detail, remoteAddress: req.socket.remoteAddress }, 'webhook rejected: signature');
        return reject(res, 401, verdict.reason, { error: 'unauthorized' });
      }
      const parsed = parseEventBatch(rawBody);
      if (!parsed.ok) {
        logger.warn({ reason: 'invalid_body', detail: parsed.message }, 'webhook rejected: invalid body');
        return reject(res, 400, 'invalid_body', { error: 'invalid_body', message: parsed.message });
      }
      if (options.portalId !== undefined) {
        const i = parsed.events.findIndex((e) => e.portalId !== options.portalId);
        if (i >= 0) {
          const message = `body[${i}].portalId is ${parsed.events[i]!.portalId}, but this receiver serves portal ${options.portalId} (HUBSPOT_PORTAL_ID)`;
          logger.warn({ reason: 'wrong_portal', detail: message }, 'webhook rejected: wrong portal');
          return reject(res, 403, 'wrong_portal', { error: 'wrong_portal', message });
        }
      }
      metrics?.received(parsed.events.length);
      checkAppId(verdict.app, parsed.events);
      const events = parsed.events.map((e) => toIncomingEvent(e, { appIds, migrationWindow: options.previousApp !== undefined }));
      let result: IngestResult;
      try {
        result = await options.store.ingest(events, { availableAfterMs: options.availableAfterMs });
      } catch (err) {
        logger.error({ err, events: events.length }, 'webhook not stored: store unavailable; HubSpot will retry');
        return reject(res, 503, 'store_unavailable', { error: 'store_unavailable' });
      }
      metrics?.accepted(result);
      logger.debug({ ...result, signature: verdict.version, signedBy: verdict.app }, 'webhook stored');
      res.status(200).json({ received: events.length, stored: result.stored, duplicates: result.duplicates });
    },
  );

  // Body-parser's errors (too large, aborted, bad encoding) for this route only.
  const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
    const e = err as { type?: string; status?: number; limit?: number; length?: number };
    if (e.type === 'entity.too.large') {
      logger.warn({ reason: 'too_large', length: e.length, limit: e.limit }, 'webhook rejected: body too large');
      return reject(res, 413, 'too_large', { error: 'payload_too_large', message: `body exceeds ${options.maxBodyBytes} bytes (WEBHOOK_MAX_BODY_BYTES)` });
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      logger.warn({ reason: 'invalid_body', detail: (err as Error).message }, 'webhook rejected: unreadable body');
      return reject(res, e.status, 'invalid_body', { error: 'invalid_body', message: (err as Error).message });
    }
    next(err);
  };
  router.use(WEBHOOK_PATH, bodyErrors);
  return router;
}

/**
 * A delivery signed with one app's secret carries that app's id in every event. When the id differs from
 * the one configured for that secret, the configured id is wrong, and echoes of that app's writes would be
 * worked as changes: said once per app id in the log. Not refused: the signature already proves the
 * sender, and a refusal would make HubSpot retry the events for a day and then drop them.
 */
function appIdChecker(options: ReceiverOptions, logger: Logger): (app: SigningApp, events: Array<{ raw: unknown }>) => void {
  const warned = new Set<string>();
  return (app, events) => {
    const [expected, idName, secretName] =
      app === 'current' ? [options.appId, 'HUBSPOT_APP_ID', 'HUBSPOT_CLIENT_SECRET'] : [options.previousApp?.appId, 'HUBSPOT_PREVIOUS_APP_ID', 'HUBSPOT_PREVIOUS_CLIENT_SECRET'];
    if (expected === undefined || warned.size >= 10) return;
    for (const e of events) {
      const appId = (e.raw as { appId?: unknown }).appId;
      if (appId === undefined || String(appId) === String(expected) || warned.has(`${app}:${String(appId)}`)) continue;
      warned.add(`${app}:${String(appId)}`);
      logger.warn(
        { appId, expected, signedBy: app },
        `events signed with ${secretName} come from app ${String(appId)}, but ${idName} is ${expected}: echoes of that app's writes are not recognised; set ${idName}=${String(appId)}`,
      );
    }
  };
}

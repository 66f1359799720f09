import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { CardErrorCode, CardResponse, CardVerdict } from '../../card/src/contract';
import { buildCardView, type HandOffRecord } from '../card';
import type { LadderStatus, Thresholds } from '../definition/types';
import type { Store } from '../store';
import type { CardData } from '../store/mirror-types';
import { SALES_FEEDBACK } from '../sync/properties';
import type { VerdictSink } from '../sync/verdict-sink';
import { VerdictError } from '../sync/verdicts';
import { cardAuthSettings, checkCardRequest, single } from './card-auth';

/** Where the card's routes live (card/src/contract.ts CARD_ROUTES). */
export const CARD_PATH = '/card';
/** HubSpot's limit for a `hubspot.fetch` request and response (shared doc §5.4). */
export const CARD_MAX_BODY_BYTES = 1_048_576;

export interface CardRouterOptions {
  store: Pick<Store, 'cardData' | 'markDirty'>;
  logger: Logger;
  clientSecret?: string;
  /** WEBHOOK_PUBLIC_URL: its origin is what HubSpot calls and signs. */
  publicUrl?: string;
  appId?: number;
  portalId?: number;
  /** The compiled definition's ladder (overrides included), or why there is none (answers 503). */
  ladder: Record<LadderStatus, Thresholds> | string;
  slaHours: number;
  /** What the hand-off created, for contacts without a recorded hand-off: `task` (HANDOFF_TASK) or `none`. */
  defaultHandOffMode: 'task' | 'lead' | 'none';
  /** Where verdicts go, or why there is nowhere (no HUBSPOT_ACCESS_TOKEN: answers 503). */
  verdicts: VerdictSink | string;
  /** The recorded hand-off of a contact, when the hand_offs table has one (wired by the Leads hand-off). */
  handOffOf?: (data: CardData) => HandOffRecord | null;
  now?: () => number;
}

const STATUS: Record<CardErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal_error: 500,
};

function answer(res: Response, status: number, body: CardResponse): void {
  // A rep's card must never show another moment's answer from a cache between HubSpot and us.
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

function fail(res: Response, code: CardErrorCode, message: string): void {
  answer(res, STATUS[code], { ok: false, error: { code, message } });
}

const CONTACT_ID = /^[1-9]\d{0,19}$/;

/**
 * The card's backend on `uld serve` (docs/card.md, "Backend"): GET the card, POST a verdict, POST a
 * re-evaluation. Every answer is JSON (`CardResponse`), errors included: HubSpot's proxy turns a non-JSON
 * answer into its own "Invalid JSON Response Body". Order of checks: 413 (body over 1 MB, refused before
 * more is read), 503 (settings missing: closed, not open), 401 (signature), 403 (app, portal), then the route.
 * Nothing is read from the store or HubSpot before a request passes all of them.
 */
export function cardRouter(options: CardRouterOptions): express.Router {
  const { logger, store } = options;
  const now = options.now ?? Date.now;
  const settings = cardAuthSettings(options);
  const router = express.Router();

  router.use(express.raw({ type: () => true, limit: CARD_MAX_BODY_BYTES }));
  router.use((req, res, next) => {
    if (typeof settings === 'string') {
      logger.error(settings);
      return fail(res, 'unavailable', `${settings}; see docs/card.md`);
    }
    const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const auth = checkCardRequest(settings, { method: req.method, originalUrl: req.originalUrl, headers: req.headers, rawBody }, now());
    if (!auth.ok) {
      logger.warn({ reason: auth.reason, detail: auth.detail, path: req.path }, 'card request refused');
      // The reason stays in our log: a caller probing the signature learns nothing from the answer.
      return auth.status === 401
        ? fail(res, 'unauthorized', 'the request is not signed by HubSpot for this app (or its timestamp is more than 5 minutes old)')
        : fail(res, 'forbidden', auth.reason === 'wrong_app' ? "the request names another app than this backend's" : 'the request names another portal than this backend serves');
    }
    res.locals.query = auth.query;
    res.locals.rawBody = rawBody;
    next();
  });

  const ladderOr503 = (res: Response) => {
    if (typeof options.ladder === 'string') {
      fail(res, 'unavailable', options.ladder);
      return null;
    }
    return options.ladder;
  };
  const contactIdOr400 = (req: Request, res: Response) => {
    const id = String(req.params.contactId ?? '');
    if (CONTACT_ID.test(id)) return id;
    fail(res, 'bad_request', `a contact's record id is digits, found ${JSON.stringify(id.slice(0, 40))}`);
    return null;
  };
  const card = (contactId: string, data: CardData, ladder: Record<LadderStatus, Thresholds>) =>
    buildCardView({ contactId, data, ladder, slaHours: options.slaHours, now: now(), defaultHandOffMode: options.defaultHandOffMode, handOff: options.handOffOf?.(data) ?? null });

  // The read: ONE store call, no HubSpot call.
  router.get('/contacts/:contactId', async (req, res) => {
    const ladder = ladderOr503(res);
    const contactId = ladder && contactIdOr400(req, res);
    if (!ladder || !contactId) return;
    const view = card(contactId, await store.cardData(contactId), ladder);
    if (!view) return fail(res, 'not_found', `no decision recorded for contact ${contactId} yet: it is qualified at its next change, or by \`uld backfill\``);
    answer(res, 200, { ok: true, card: view });
  });

  router.post('/contacts/:contactId/verdict', async (req, res) => {
    const ladder = ladderOr503(res);
    const contactId = ladder && contactIdOr400(req, res);
    if (!ladder || !contactId) return;
    const userId = single(res.locals.query as URLSearchParams, 'userId');
    if (typeof userId !== 'string' || !/^\d{1,20}$/.test(userId)) {
      return fail(res, 'bad_request', 'a verdict needs the HubSpot user who gives it: the userId query parameter (digits), as the card sends it');
    }
    const verdict = verdictOf(res.locals.rawBody as Buffer);
    if (typeof verdict !== 'string' || !(SALES_FEEDBACK as readonly string[]).includes(verdict)) {
      return fail(res, 'bad_request', `the body must be a JSON object {"verdict": one of ${SALES_FEEDBACK.join(', ')}}${verdict === undefined ? '' : `, found ${JSON.stringify(String(verdict)).slice(0, 60)}`}`);
    }
    if (typeof options.verdicts === 'string') return fail(res, 'unavailable', options.verdicts);
    let changed: boolean;
    try {
      ({ changed } = await options.verdicts.giveVerdict({ contactId, verdict: verdict as CardVerdict, actor: `user:${userId}`, at: now() }));
    } catch (err) {
      if (!(err instanceof VerdictError)) throw err;
      const code: CardErrorCode = err.code === 'refused' ? 'internal_error' : err.code;
      return fail(res, code, err.message);
    }
    const view = card(contactId, await store.cardData(contactId), ladder);
    if (!view) return fail(res, 'not_found', `contact ${contactId} is no longer in the mirror`);
    answer(res, 200, { ok: true, card: view, changed });
  });

  router.post('/contacts/:contactId/re-evaluate', async (req, res) => {
    const ladder = ladderOr503(res);
    const contactId = ladder && contactIdOr400(req, res);
    if (!ladder || !contactId) return;
    const data = await store.cardData(contactId);
    if (!data.contact && !data.decision) return fail(res, 'not_found', `no decision recorded for contact ${contactId} yet: nothing to re-evaluate`);
    // Coalesces into the contact's queued unit if there is one: pressing twice queues once.
    await store.markDirty([{ objectType: 'contact', objectId: contactId, change: 'property_changed', occurredAt: now() }]);
    const view = card(contactId, { ...data, pending: true }, ladder)!;
    answer(res, 200, { ok: true, card: view, queued: true });
  });

  router.use((req, res) => fail(res, 'not_found', `no card route ${req.method} ${req.baseUrl}${req.path}`));

  const errors: ErrorRequestHandler = (err, req, res, _next) => {
    if (res.headersSent) return;
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return fail(res, 'payload_too_large', `the body exceeds ${CARD_MAX_BODY_BYTES} bytes (hubspot.fetch's limit)`);
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return fail(res, 'bad_request', `the request could not be read: ${(err as Error).message}`);
    const storeDown = /store|database|ECONNREFUSED|SQLITE_BUSY|connection/i.test(String((err as Error)?.message ?? ''));
    logger.error({ err, method: req.method, path: req.path }, 'card request failed');
    return storeDown ? fail(res, 'unavailable', 'the store could not be reached; try again') : fail(res, 'internal_error', 'the card request failed; the server log has the details');
  };
  router.use(errors);
  return router;
}

/** The `verdict` of a JSON object body; undefined when the body is no JSON object. */
function verdictOf(raw: Buffer): unknown {
  try {
    const body = JSON.parse(raw.toString('utf8')) as unknown;
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { verdict?: unknown }).verdict : undefined;
  } catch {
    return undefined;
  }
}

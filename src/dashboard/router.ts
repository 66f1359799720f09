import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { Store } from '../store';
import { tokenMatches } from '../admin-token';
import { authorized, clearSession, setSession } from './auth';
import type { CardView } from '../../card/src/contract';
import { contactCardHtml } from './contact-card';
import { FigureSource } from './figures';
import { LOGIN_STYLE_CSP, STYLESHEET, STYLESHEET_PATH, layoutHtml, loginHtml, pageHtml } from './html';
import { periodQuery } from './period-html';
import { choosePeriod, dayOf } from '../metrics';
import type { PageContext } from './page-context';
import { PAGE_SLUGS, buildPage, findTable, type PageSlug } from './pages';
import { tableCsv, tableRecords } from './table';

export interface DashboardOptions {
  store: Store;
  /** ADMIN_TOKEN. Without it the dashboard answers 503 on every route: it is never open. */
  adminToken: string | undefined;
  /** SLA_HOURS, as the metrics job uses it, so the breaches shown are the job's. */
  slaHours: number;
  logger?: Logger;
  /** How old the figures may be before a view starts a background refresh; 60 s by default. */
  maxAgeMs?: number;
  /**
   * DATABASE_URL, so the figures are computed in a worker thread over its own connection, off the event
   * loop the webhook receiver shares. Without it they are computed in this thread (still never in a request).
   */
  databaseUrl?: string;
  /** Epoch ms; tests freeze it to the metrics job's `now`. */
  clock?: () => number;
  /** Given the router's figure source (the benchmark and tests watch its refreshes). */
  onFigureSource?: (source: FigureSource) => void;
  /** Resolves an email to HubSpot contact ids, for the decisions search; without it only ids are searched. */
  findContactIdsByEmail?: (email: string) => Promise<string[]>;
  /**
   * Always mark the session cookie Secure. Behind a TLS-terminating proxy the request reaches us as plain
   * http (and the app trusts no proxy headers), so `uld serve` sets this when WEBHOOK_PUBLIC_URL is https.
   */
  secureCookies?: boolean;
  /**
   * The qualification card of one contact, from the store only (the card backend's view): null when no
   * decision is recorded for it. Without it /dashboard/contacts/<id> answers 404.
   */
  contactCard?: (contactId: string) => Promise<CardView | null>;
}

const PREFIXES = ['/dashboard', '/api/metrics'];

/**
 * No script at all, styles and images from this origin only (the login page's one inline style by its
 * hash), forms post only here, never framed: a page that tried to load from a CDN would be blocked.
 */
const CSP = `default-src 'none'; style-src 'self' ${LOGIN_STYLE_CSP}; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

const isApi = (req: Request) => req.path === '/api/metrics' || req.path.startsWith('/api/metrics/');

/**
 * The dashboard: HTML pages under /dashboard, the same figures as JSON under /api/metrics, a CSV for every
 * table. Every route, the stylesheet included, needs the admin token; an unauthenticated browser gets the
 * login form with status 401.
 */
export function dashboardRouter(options: DashboardOptions): Router {
  const router = Router();
  const clock = options.clock ?? Date.now;
  const figures = new FigureSource({
    store: options.store,
    slaHours: options.slaHours,
    maxAgeMs: options.maxAgeMs ?? 60_000,
    clock,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  options.onFigureSource?.(figures);
  const token = options.adminToken;

  router.use(PREFIXES, (_req, res, next) => {
    res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' });
    next();
  });

  if (token === undefined) {
    router.use(PREFIXES, (_req, res) => {
      res.status(503).type('text/plain').send('The dashboard is disabled: ADMIN_TOKEN is not set. Set ADMIN_TOKEN (at least 16 characters) and restart to use it.\n');
    });
    return router;
  }

  const refuse = (req: Request, res: Response, message: string) => {
    if (isApi(req)) return void res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', message });
    res.status(401).set('WWW-Authenticate', 'Bearer').type('html').send(loginHtml(message));
  };

  // Small bodies only: the form carries one token.
  router.post('/dashboard/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const given = typeof (req.body as { token?: unknown } | undefined)?.token === 'string' ? (req.body as { token: string }).token : '';
    if (!tokenMatches(given, token)) {
      options.logger?.warn({ ip: req.ip }, 'dashboard sign-in with a wrong token');
      return refuse(req, res, 'That token is not the admin token. Try again.');
    }
    setSession(req, res, token, clock(), options.secureCookies === true);
    res.redirect(303, '/dashboard/funnel');
  });

  const guard: RequestHandler = (req, res, next) => {
    if (authorized(req, token, clock())) return next();
    refuse(req, res, 'Sign in with the admin token (ADMIN_TOKEN) to see the dashboard.');
  };
  router.use(PREFIXES, guard);

  router.post('/dashboard/logout', (req, res) => {
    clearSession(req, res, options.secureCookies === true);
    res.redirect(303, '/dashboard');
  });
  router.get(['/dashboard', '/dashboard/login'], (req, res) => {
    // The landing page keeps the period it was asked with (checked there, like on every page).
    const kept = new URLSearchParams(['from', 'to'].flatMap((k): Array<[string, string]> => (typeof req.query[k] === 'string' ? [[k, req.query[k] as string]] : []))).toString();
    res.redirect(303, `/dashboard/funnel${kept ? `?${kept}` : ''}`);
  });
  router.get(STYLESHEET_PATH, (_req, res) => {
    res.type('text/css').set('Cache-Control', 'private, max-age=86400').send(STYLESHEET);
  });

  /** The request's page context, or the one-line reason its period (`?from=&to=`) is not one. */
  const context = (req: Request): PageContext | { error: string } => {
    const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    const repeated = ['from', 'to'].find((k) => req.query[k] !== undefined && typeof req.query[k] !== 'string');
    if (repeated) return { error: `Bad period: ${repeated} is given more than once; give one ${repeated}=YYYY-MM-DD in the address.` };
    const now = clock();
    const choice = choosePeriod(query.from, query.to, now);
    if (!choice.ok) return { error: `Bad period: ${choice.message} in the address (?from=YYYY-MM-DD&to=YYYY-MM-DD).` };
    return {
      figures,
      store: options.store,
      query,
      period: choice.period,
      explicit: choice.explicit,
      today: dayOf(now),
      ...(options.findContactIdsByEmail ? { findContactIdsByEmail: options.findContactIdsByEmail } : {}),
    };
  };
  /** A bad period is the reader's to fix: one line, status 400, never a stack trace. */
  const badPeriod = (req: Request, res: Response, error: string) => {
    if (isApi(req)) return void res.status(400).json({ error: 'bad_period', message: error });
    res.status(400).type('text/plain').send(`${error}\n`);
  };
  const slugOf = (req: Request): PageSlug | null => {
    const page = req.params.page;
    return typeof page === 'string' && (PAGE_SLUGS as readonly string[]).includes(page) ? (page as PageSlug) : null;
  };
  /** Server time of the page, for the benchmark and for anyone looking at a slow dashboard. */
  const timed = (res: Response, start: bigint) => res.set('Server-Timing', `render;dur=${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)}`);
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => void fn(req, res).catch(next);

  // Before /dashboard/:page/:file, which would otherwise take it for a CSV download.
  router.get(
    '/dashboard/contacts/:contactId',
    wrap(async (req, res) => {
      const start = process.hrtime.bigint();
      const id = String(req.params.contactId);
      if (!/^\d{1,20}$/.test(id)) return void res.status(404).type('text/plain').send('A contact card needs the contact record id (digits).\n');
      const ctx = context(req);
      if ('error' in ctx) return badPeriod(req, res, ctx.error);
      const period = { ...ctx.period, explicit: ctx.explicit, today: ctx.today };
      const view = options.contactCard ? await options.contactCard(id) : null;
      if (view === null) {
        const html = layoutHtml(`Contact ${id}`, 'decisions', `<h1>Contact ${id}</h1><p id="card-missing">No decision recorded for contact ${id} (not yet synced, or another store). <a href="/dashboard/decisions${periodQuery(period)}">Recent decisions</a></p>`, period, `/dashboard/contacts/${id}`);
        return void timed(res.status(404), start).type('html').send(html);
      }
      timed(res, start).type('html').send(layoutHtml(`Contact ${id}`, 'decisions', contactCardHtml(view), period, `/dashboard/contacts/${id}`));
    }),
  );
  router.get(
    '/dashboard/:page',
    wrap(async (req, res) => {
      const start = process.hrtime.bigint();
      const slug = slugOf(req);
      if (slug === null) return void res.status(404).type('text/plain').send('No such dashboard page.\n');
      const ctx = context(req);
      if ('error' in ctx) return badPeriod(req, res, ctx.error);
      const html = pageHtml(await buildPage(slug, ctx));
      timed(res, start).type('html').send(html);
    }),
  );
  router.get(
    '/dashboard/:page/:file',
    wrap(async (req, res) => {
      const slug = slugOf(req);
      const file = String(req.params.file);
      if (slug === null || !file.endsWith('.csv')) return void res.status(404).type('text/plain').send('No such table.\n');
      const ctx = context(req);
      if ('error' in ctx) return badPeriod(req, res, ctx.error);
      const table = findTable(await buildPage(slug, ctx), file.slice(0, -4));
      if (!table) return void res.status(404).type('text/plain').send('No such table.\n');
      res.type('text/csv; charset=utf-8').attachment(`${slug}-${table.id}.csv`).send(tableCsv(table));
    }),
  );

  router.get('/api/metrics', (_req, res) => {
    res.json({ pages: PAGE_SLUGS.map((slug) => `/api/metrics/${slug}`), snapshot: '/api/metrics/snapshot' });
  });
  // The metrics job's figures exactly as it would store them now (every record, every group and every field),
  // for other tools; with ?from=&to=, those of the records created in that period.
  router.get(
    '/api/metrics/snapshot',
    wrap(async (req, res) => {
      const ctx = context(req);
      if ('error' in ctx) return badPeriod(req, res, ctx.error);
      res.json((await figures.snapshot(ctx.explicit ? ctx.period : null, ctx.explicit)).snapshot);
    }),
  );
  router.get(
    '/api/metrics/:page',
    wrap(async (req, res) => {
      const slug = slugOf(req);
      if (slug === null) return void res.status(404).json({ error: 'not_found' });
      const ctx = context(req);
      if ('error' in ctx) return badPeriod(req, res, ctx.error);
      const page = await buildPage(slug, ctx);
      res.json({
        page: page.slug,
        title: page.title,
        computedAt: page.computedAt,
        ...(page.figuresFrom ? { figuresFrom: page.figuresFrom } : {}),
        period: { from: ctx.period.from, to: ctx.period.to },
        header: page.header ?? null,
        tables: Object.fromEntries(page.tables.map((t) => [t.id, tableRecords(t)])),
      });
    }),
  );
  router.use(PREFIXES, (_req, res) => {
    res.status(404).type('text/plain').send('No such dashboard route.\n');
  });
  return router;
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { HubSpotHttpError, errorBody, missingScopes, rateLimitBody, unauthorized, type HubSpotErrorBody } from '../errors';
import type { ApiFaults } from '../faults';
import type { CallCounters, RequestLog } from '../observability';
import type { RateLimiter } from '../rate-limiter';
import type { RouteMatch, Router } from './router';
import { lackingScopes, requiredScopes } from './scopes';
import { unknownPathMessage } from './versions';

/** Request bodies above this are refused (HubSpot refuses oversized payloads too). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ApiServerDeps {
  router: Router;
  rateLimiter: RateLimiter;
  faults: ApiFaults;
  log: RequestLog;
  counters: CallCounters;
  /** The app id a bearer token belongs to, or undefined for an unknown token. */
  authenticate: (token: string) => number | undefined;
  /** The scopes a known token carries now (they can change while the sandbox runs). */
  grantedScopes: (token: string) => readonly string[];
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  fault?: string;
}

/**
 * The HTTP face of the sandbox: parses requests, checks the bearer token and its scopes, applies rate limits and
 * injected faults, runs the route, and records every call. Holds on to hanging and delayed requests so
 * `stop()` can end them instead of leaving sockets and timers behind.
 */
export class ApiServer {
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private stopping = false;
  private baseUrl = '';

  constructor(private readonly deps: ApiServerDeps) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // A bug in a route must still answer like HubSpot would (500), never crash the sandbox.
        if (!res.headersSent) this.write(res, { status: 500, body: errorBody('INTERNAL_ERROR', `internal error: ${(err as Error).message}`) });
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
    for (const res of this.hanging) res.socket?.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const matched = this.deps.router.match(method, url.pathname);
    const endpoint = matched && 'route' in matched ? matched.endpoint : 'UNMATCHED';
    let appId: number | undefined;
    let requestBody: unknown;

    const answer = await (async (): Promise<Answer | 'hang' | 'disconnect'> => {
      if (raw === undefined) return { status: 413, body: errorBody('VALIDATION_ERROR', `Request body larger than ${MAX_BODY_BYTES} bytes`) };
      // HubSpot marks a 404 for a path it does not serve with `X-HubSpot-NotFound: true` (seen in answers quoted in
      // HGData/mk-node-hubspot#150). Its body there is not always JSON (hubspot-api-nodejs#413 got HTML); the
      // sandbox keeps HubSpot's JSON error body so every 404 parses the same way.
      if (!matched) return { status: 404, body: errorBody('OBJECT_NOT_FOUND', unknownPathMessage(method, url.pathname)), headers: { 'X-HubSpot-NotFound': 'true' } };
      if (!('route' in matched)) return { status: 405, body: errorBody('VALIDATION_ERROR', `${method} is not allowed on ${url.pathname}; allowed: ${matched.allowed.join(', ')}`) };
      this.deps.counters.increment(endpoint);
      const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
      appId = token === undefined ? undefined : this.deps.authenticate(token);
      if (appId === undefined) return { status: 401, body: unauthorized().body };
      // Checked on every call against the token's scopes as they are now, so a scope revoked while the
      // product runs fails its next call, as at HubSpot.
      const lacking = lackingScopes(requiredScopes(method, url.pathname), this.deps.grantedScopes(token as string));
      if (lacking.length > 0) return { status: 403, body: missingScopes(lacking).body };

      const decision = this.deps.rateLimiter.admit(String(appId), matched.route.search);
      if (!decision.allowed) return { status: 429, body: rateLimitBody(decision.policy), headers: decision.headers, fault: undefined };

      const fault = this.deps.faults.decide(endpoint);
      if (fault.latencyMs > 0 && !(await this.wait(fault.latencyMs))) return 'disconnect';
      switch (fault.fault?.kind) {
        case 'hang':
          return 'hang';
        case 'disconnect':
          return 'disconnect';
        case 'error':
          return { status: fault.fault.status, body: errorBody(categoryOf(fault.fault.status), 'internal error'), headers: decision.headers, fault: `error ${fault.fault.status}` };
        case 'rateLimit':
          return { status: 429, body: rateLimitBody(fault.fault.policy), headers: decision.headers, fault: `rateLimit ${fault.fault.policy}` };
        case 'delay':
          if (!(await this.wait(fault.fault.ms))) return 'disconnect';
          break;
        default:
          break;
      }
      try {
        requestBody = raw.length === 0 ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        return { status: 400, body: errorBody('VALIDATION_ERROR', 'Invalid input JSON: the request body is not valid JSON') };
      }
      const result = await this.run(matched, url, requestBody, appId);
      return { ...result, headers: { ...decision.headers, ...(result.headers ?? {}) }, ...(fault.fault?.kind === 'delay' ? { fault: `delay ${fault.fault.ms}` } : {}) };
    })();

    if (answer === 'hang') {
      // Held until the client gives up (socket close) or the sandbox stops.
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      this.record(method, url, endpoint, 0, started, at, appId, 'hang', requestBody, undefined);
      return;
    }
    if (answer === 'disconnect') {
      req.socket.destroy();
      this.record(method, url, endpoint, 0, started, at, appId, 'disconnect', requestBody, undefined);
      return;
    }
    const text = this.write(res, answer);
    this.record(method, url, endpoint, answer.status, started, at, appId, answer.fault, requestBody, text);
  }

  private async run(matched: RouteMatch, url: URL, body: unknown, appId: number): Promise<Answer> {
    try {
      const result = await matched.route.handler({
        method: matched.route.method,
        apiVersion: matched.route.apiVersion,
        params: matched.params,
        query: url.searchParams,
        body,
        appId,
        source: { sourceType: 'INTEGRATION', sourceId: String(appId) },
        baseUrl: this.baseUrl,
      });
      return { status: result.status, body: result.body };
    } catch (err) {
      if (err instanceof HubSpotHttpError) return { status: err.httpStatus, body: err.body };
      throw err;
    }
  }

  private write(res: http.ServerResponse, answer: Answer): string {
    const text = answer.body === undefined || answer.status === 204 ? '' : JSON.stringify(answer.body);
    const correlationId = (answer.body as HubSpotErrorBody | undefined)?.correlationId;
    res.writeHead(answer.status, {
      ...(text !== '' ? { 'Content-Type': 'application/json;charset=utf-8' } : {}),
      ...(correlationId ? { 'x-hubspot-correlation-id': correlationId } : {}),
      ...(answer.headers ?? {}),
    });
    res.end(text);
    return text;
  }

  private record(method: string, url: URL, endpoint: string, status: number, started: number, at: number, appId: number | undefined, fault: string | undefined, requestBody: unknown, text: string | undefined): void {
    const capture = this.deps.log.captureBodies;
    this.deps.log.add({
      at,
      method,
      path: url.pathname,
      query: url.search,
      endpoint,
      status,
      durationMs: performance.now() - started,
      ...(appId !== undefined ? { appId } : {}),
      ...(fault !== undefined ? { fault } : {}),
      ...(capture ? { requestBody, ...(text !== undefined ? { responseText: text } : {}) } : {}),
    });
  }

  /** Sleeps unless the sandbox stops first; false when it stopped. */
  private wait(ms: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve(!this.stopping);
        }, ms),
        resolve: () => resolve(false),
      };
      this.timers.add(entry);
    });
  }
}

function categoryOf(status: number): 'INTERNAL_ERROR' | 'BAD_GATEWAY' | 'SERVICE_UNAVAILABLE' | 'GATEWAY_TIMEOUT' | 'VALIDATION_ERROR' {
  if (status === 502) return 'BAD_GATEWAY';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  if (status === 504) return 'GATEWAY_TIMEOUT';
  return status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR';
}

/** Reads the whole body as UTF-8; undefined when it is too large. */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

import type { Portal, WriteSource } from '../crm/portal';

/**
 * The API versions the sandbox serves: the legacy `/crm/v3`, `/crm/v4` (and `/account-info/v3`) paths,
 * and HubSpot's date-versioned releases (`/crm/objects/2026-09/...`). What differs between them lives in
 * `versions.ts`.
 */
export type ApiVersion = 'legacy' | '2026-03' | '2026-09';

/**
 * A minimal router over HubSpot-style path templates (`/crm/v3/objects/{objectType}/{objectId}`). The
 * matched template also names the endpoint for call counters and faults: object-type parameters keep the
 * value as called (`POST /crm/v3/objects/contacts/batch/update`), other parameters stay placeholders. The
 * version is a literal part of every template, so it shows in the key (`POST /crm/objects/2026-09/contacts/batch/read`).
 */
export interface RouteContext {
  method: string;
  /** The API version of the path called: one handler serves every version, this selects the shape. */
  apiVersion: ApiVersion;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  appId: number;
  /** The write source of this caller: INTEGRATION, sourceId = the app id. */
  source: WriteSource;
  /** Base URL of the sandbox, for `paging.next.link`. */
  baseUrl: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

export interface Route {
  method: string;
  template: string;
  /** Search calls fall under HubSpot's separate per-second search limit. */
  search: boolean;
  apiVersion: ApiVersion;
  handler: RouteHandler;
  regex: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  endpoint: string;
}

/** Parameters whose called value is part of the endpoint key. */
const KEEP_VALUE = new Set(['objectType', 'fromObjectType', 'toObjectType']);

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: RouteHandler, { search = false, apiVersion = 'legacy' as ApiVersion } = {}): void {
    const names: string[] = [];
    // Templates hold only letters, digits, '/', '-' and {params}: nothing else needs escaping.
    const source = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, template, search, apiVersion, handler, regex: new RegExp(`^${source}$`), names });
  }

  /** Every served endpoint as `METHOD /template`, in registration order. */
  endpoints(): string[] {
    return this.routes.map((r) => `${r.method} ${r.template}`);
  }

  /** The route for a request, or `{ allowed }` when the path exists under other methods only. */
  match(method: string, path: string): RouteMatch | { allowed: string[] } | undefined {
    const clean = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(clean);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(m[index + 1] as string);
      });
      const endpoint = `${method} ${route.template.replace(/\{(\w+)\}/g, (whole, name: string) => (KEEP_VALUE.has(name) ? (params[name] as string) : whole))}`;
      return { route, params, endpoint };
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

/** What route modules need from the sandbox. */
export interface RouteEnv {
  portal: Portal;
  behaviour: SandboxBehaviour;
}

/**
 * Choices where HubSpot behaves in more than one way. Mutable at run time (`sandbox.behaviour`).
 */
export interface SandboxBehaviour {
  /**
   * How a batch write with an invalid property value answers. `whole-batch`: a 400 VALIDATION_ERROR for
   * the entire batch, nothing written (HubSpot's common behaviour). `per-input`: a 207 with one error per
   * failing input, the others written. `auto` (default): per-input only when every input carries an
   * `objectWriteTraceId`, which is how HubSpot's docs say multi-status responses are enabled.
   */
  invalidProperties: 'auto' | 'whole-batch' | 'per-input';
  /**
   * How a 2026-09 batch write that breaks one of the portal's validation rules answers (`sandbox.validationRules`).
   * HubSpot does not say whether one bad input fails the batch or only its record (the write-validation
   * changelog documents the single-write 400 only; platform doc §2.3), so both: `whole-batch`, a 400
   * VALIDATION_ERROR naming the properties but not the record, nothing written; `per-input`, the input's
   * error in the answer's `errors[]` (with its `objectWriteTraceId`), the others written; `auto` (default):
   * per-input when every input carries an `objectWriteTraceId`, as for `invalidProperties`.
   */
  validationRules: 'auto' | 'whole-batch' | 'per-input';
  /** How a batch update naming a missing id answers: a 207 per-input error (default) or a whole-batch 400. */
  missingIds: 'per-input' | 'whole-batch';
  /** Search sees writes only after this delay (HubSpot's index is eventually consistent). 0 by default. */
  searchLagMs: number;
  /**
   * The status of a 2026-09 batch answer that carries errors. HubSpot's 2026-09 specs document only
   * 200/201 with `errors`/`numErrors` in the body; whether 207 still comes is unconfirmed. 200 (default):
   * as the spec says; 207: as the legacy and 2026-03 APIs answer. Legacy and 2026-03 always answer 207.
   */
  partialFailureStatus: 200 | 207;
  /**
   * Associated records per input and page of an association batch read (`paging.next.after` when more
   * exist). HubSpot does not document it; 500 is the page of v4's one-record read (its `limit` maximum).
   */
  associationPageSize: number;
  /**
   * Whether the private-app token lookup (`/oauth/v2/private-apps/get/access-token-info`) describes the app's
   * token. HubSpot documents that lookup for private apps; that it answers for a 2026.x project app's static
   * token is unconfirmed (shared platform doc §3). false: it answers 404 for the app's token, as for any token
   * it does not know, while every other call accepts the token.
   */
  describesAppToken: boolean;
}

export const DEFAULT_BEHAVIOUR: SandboxBehaviour = { invalidProperties: 'auto', validationRules: 'auto', missingIds: 'per-input', searchLagMs: 0, partialFailureStatus: 200, associationPageSize: 500, describesAppToken: true };

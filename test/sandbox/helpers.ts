import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { startSandbox, type Sandbox } from '../../src/sandbox';

/** A real SDK client pointed at a sandbox. No retries: they would hide what the sandbox answered. */
export function sdk(sandbox: Sandbox, accessToken = sandbox.accessToken): Client {
  return new Client({ accessToken, basePath: sandbox.url });
}

/**
 * Asserts the SDK deserialized an answer into a given model class and narrows to it (batch calls type
 * their result as a union of the 200 and the 207 models; a 207 must come back as the `...WithErrors` one).
 */
export function expectInstance<T>(value: unknown, model: new () => T): T {
  expect(value).toBeInstanceOf(model);
  return value as T;
}

/** The error an SDK call rejects with (ApiException carries `code`, `body`, `headers`). */
export async function rejection(promise: Promise<unknown>): Promise<{ code: number; body: unknown; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; body: unknown; headers: Record<string, string> };
  }
  throw new Error('expected the call to fail');
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  events: Array<Record<string, unknown>>;
  receivedAt: number;
}

export type ReceiverReply = { status?: number; delayMs?: number };

/**
 * A webhook target: records every request with its raw body, answers 200 unless a handler says
 * otherwise, and tracks how many requests were in flight at once.
 */
export class Receiver extends EventEmitter {
  readonly requests: ReceivedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  url = '';
  private readonly server: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly reply: (request: ReceivedRequest, index: number) => ReceiverReply = () => ({})) {
    super();
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const request: ReceivedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          rawBody,
          events: JSON.parse(rawBody) as Array<Record<string, unknown>>,
          receivedAt: Date.now(),
        };
        const index = this.requests.length;
        this.requests.push(request);
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const { status = 200, delayMs = 0 } = this.reply(request, index);
        const answer = (): void => {
          this.inFlight -= 1;
          if (!res.destroyed) res.writeHead(status).end();
          this.emit('request', request);
        };
        if (delayMs > 0) {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            answer();
          }, delayMs);
          this.timers.add(timer);
        } else answer();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hubspot/webhooks?source=sandbox`;
    return this;
  }

  get events(): Array<Record<string, unknown>> {
    return this.requests.flatMap((r) => r.events);
  }

  /** Resolves when the predicate holds, re-checked after every answered request. */
  waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('request', check);
        reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${this.requests.length} requests)`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.off('request', check);
        resolve();
      };
      this.on('request', check);
    });
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Conformance of raw JSON answers to the SDK's generated models.
//
// The SDK's models come from HubSpot's OpenAPI specs. A raw answer conforms when every key it has is an
// attribute of the model (a misspelt or invented field would be dropped silently by the SDK), every value
// has the attribute's type (Dates as ISO-8601 with milliseconds, enums within their values), and every
// attribute the model declares as required (no `?` in the .d.ts) is present.
// ---------------------------------------------------------------------------------------------------

type AttributeMap = Array<{ name: string; baseName: string; type: string }>;
type ModelClass = { getAttributeTypeMap(): AttributeMap };

export type ModelGroup = 'contacts' | 'companies' | 'deals' | 'objects/notes' | 'objects/tasks' | 'associations/v4' | 'associations/v4/schema' | 'properties' | 'pipelines' | 'owners';

const SDK_ROOT = path.dirname(require.resolve('@hubspot/api-client/package.json'));

function modelsOf(group: ModelGroup): Record<string, unknown> {
  return require(path.join(SDK_ROOT, 'lib', 'codegen', 'crm', group, 'models', 'all.js')) as Record<string, unknown>;
}

const requiredCache = new Map<string, Set<string>>();
function requiredAttributes(group: ModelGroup, model: string): Set<string> {
  const key = `${group}/${model}`;
  let required = requiredCache.get(key);
  if (!required) {
    const dts = fs.readFileSync(path.join(SDK_ROOT, 'lib', 'codegen', 'crm', group, 'models', `${model}.d.ts`), 'utf8');
    required = new Set([...dts.matchAll(/^\s+'(\w+)': /gm)].map((m) => m[1] as string));
    requiredCache.set(key, required);
  }
  return required;
}

/** A known, documented departure from the SDK's model (HubSpot's real answers differ from its spec). */
export interface Allowance {
  /** JSON path with `[]` for array items, e.g. `$.results[].to[].toObjectId`. */
  path: string;
  type: 'number' | 'string';
  reason: string;
}

export function conformanceProblems(raw: unknown, group: ModelGroup, type: string, allowances: Allowance[] = []): string[] {
  const models = modelsOf(group);
  const problems: string[] = [];
  const check = (value: unknown, t: string, at: string): void => {
    if (value === undefined || value === null) return;
    const allowed = allowances.find((a) => a.path === at);
    if (allowed && typeof value === allowed.type) return;
    if (t.endsWith(' | null')) return check(value, t.slice(0, -' | null'.length), at);
    if (t.startsWith('Array<')) {
      if (!Array.isArray(value)) return void problems.push(`${at}: expected an array`);
      value.forEach((item) => check(item, t.slice('Array<'.length, -1), `${at}[]`));
      return;
    }
    if (t.startsWith('{ [key: string]: ')) {
      if (typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${at}: expected an object map`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) check(v, t.slice('{ [key: string]: '.length, -'; }'.length), `${at}.${k}`);
      return;
    }
    switch (t) {
      case 'string':
      case 'number':
      case 'boolean':
        if (typeof value !== t) problems.push(`${at}: expected ${t}, got ${typeof value} (${JSON.stringify(value)})`);
        return;
      case 'any':
        return;
      case 'Date':
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) problems.push(`${at}: expected an ISO-8601 date-time, got ${JSON.stringify(value)}`);
        return;
      default:
        break;
    }
    const model = models[t];
    if (model && typeof (model as Partial<ModelClass>).getAttributeTypeMap === 'function') {
      if (typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${at}: expected a ${t} object`);
      const attributes = (model as ModelClass).getAttributeTypeMap();
      const known = new Map(attributes.map((a) => [a.baseName, a]));
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const attribute = known.get(k);
        if (!attribute) {
          if (!allowances.some((a) => a.path === `${at}.${k}` && typeof v === a.type)) problems.push(`${at}.${k}: not an attribute of ${t}`);
        }
        else check(v, attribute.type, `${at}.${k}`);
      }
      for (const name of requiredAttributes(group, t)) {
        const attribute = attributes.find((a) => a.name === name);
        if (attribute && (value as Record<string, unknown>)[attribute.baseName] === undefined) problems.push(`${at}.${attribute.baseName}: required by ${t}, missing`);
      }
      return;
    }
    if (model && typeof model === 'object') {
      if (!Object.values(model as Record<string, unknown>).includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not a value of ${t}`);
      return;
    }
    problems.push(`${at}: unknown SDK type ${t}`);
  };
  check(raw, type, '$');
  return problems;
}

/** The raw JSON the sandbox last answered on an endpoint (needs `requestLog.captureBodies`). */
export function lastAnswer(sandbox: Sandbox, endpoint: string): unknown {
  const entry = sandbox.requests.last(endpoint);
  if (!entry) throw new Error(`no request to ${endpoint} was logged`);
  return sandbox.requests.responseJson(entry);
}

/** The v4 associations API sends object ids as JSON numbers where the SDK's spec says string. */
export const V4_NUMERIC_IDS: Allowance[] = [
  { path: '$.results[].to[].toObjectId', type: 'number', reason: 'HubSpot v4 answers carry toObjectId as a number' },
  { path: '$.results[].toObjectId', type: 'number', reason: 'HubSpot v4 answers carry toObjectId as a number' },
  { path: '$.results[].fromObjectId', type: 'number', reason: 'HubSpot v4 answers carry fromObjectId as a number' },
  { path: '$.toObjectId', type: 'number', reason: 'HubSpot v4 answers carry toObjectId as a number' },
  { path: '$.fromObjectId', type: 'number', reason: 'HubSpot v4 answers carry fromObjectId as a number' },
];

/** HubSpot's error bodies carry `"status": "error"`, which the SDK's ModelError does not declare. */
export const ERROR_STATUS: Allowance[] = [{ path: '$.status', type: 'string', reason: 'HubSpot error bodies include status: "error"' }];

// ---------------------------------------------------------------------------------------------------
// Raw HTTP per API version, for the versioned contract suites. The paths are written out here from
// HubSpot's specs rather than taken from the sandbox, so a sandbox serving a wrong path fails.
// ---------------------------------------------------------------------------------------------------

export type ApiVersion = 'legacy' | '2026-03' | '2026-09';
export const API_VERSIONS: readonly ApiVersion[] = ['legacy', '2026-03', '2026-09'];

export interface VersionPaths {
  objects: string;
  /** One record's associations and single-pair writes. */
  recordAssociations: string;
  /** Association batch calls and labels. */
  associations: string;
  properties: string;
  pipelines: string;
  owners: string;
  accountInfo: string;
}

export function versionPaths(version: ApiVersion): VersionPaths {
  if (version === 'legacy') {
    return {
      objects: '/crm/v3/objects',
      recordAssociations: '/crm/v4/objects',
      associations: '/crm/v4/associations',
      properties: '/crm/v3/properties',
      pipelines: '/crm/v3/pipelines',
      owners: '/crm/v3/owners',
      accountInfo: '/account-info/v3',
    };
  }
  return {
    objects: `/crm/objects/${version}`,
    recordAssociations: `/crm/objects/${version}`,
    associations: `/crm/associations/${version}`,
    properties: `/crm/properties/${version}`,
    pipelines: `/crm/pipelines/${version}`,
    owners: `/crm/owners/${version}`,
    accountInfo: `/account-info/${version}`,
  };
}

export interface RawAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON under test, checked field by field
  body: any;
  headers: { get(name: string): string | null };
}

/**
 * One call over the SDK's generic request (`client.apiRequest`, which neither throws nor retries): the
 * status, the parsed JSON body (undefined when empty) and the headers.
 */
export async function rawCall(client: Client, method: string, path: string, body?: unknown): Promise<RawAnswer> {
  const res = await client.apiRequest({ method, path, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
}

/** Endpoint templates of the sandbox (filtered) that no key in `answered` matches. */
export function uncovered(sandbox: Sandbox, answered: ReadonlySet<string>, include: (endpoint: string) => boolean): string[] {
  const typeParams = /\\\{(objectType|fromObjectType|toObjectType)\\\}/g;
  return sandbox.endpoints.filter(include).filter((endpoint) => {
    const pattern = new RegExp(`^${endpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(typeParams, '[^/]+')}$`);
    return ![...answered].some((key) => pattern.test(key));
  });
}

/** The date-versioned answers add fields the SDK's legacy models do not declare. */
export function versionAllowances(version: ApiVersion): Allowance[] {
  if (version !== '2026-03') return [];
  // 2026-03's AssociationSpecWithLabel keeps fromObjectTypeId/toObjectTypeId (v4 SDK model lacks them).
  return ['$.results[].to[].associationTypes[]', '$.results[].associationTypes[]', '$.results[]'].flatMap((at) => [
    { path: `${at}.fromObjectTypeId`, type: 'string' as const, reason: '2026-03 association types carry object type ids' },
    { path: `${at}.toObjectTypeId`, type: 'string' as const, reason: '2026-03 association types carry object type ids' },
  ]);
}

/**
 * The set-up both halves of the SDK contract suite share: one seeded sandbox with 300 contacts and captured
 * bodies, the SDK on it, the endpoint keys answered 2xx during the suite, and a check of an endpoint's last
 * raw answer against the SDK's generated model. `use` receives the sandbox and the client before the tests.
 */
export function contractSuite(use: (sandbox: Sandbox, client: Client) => void): {
  answered: Set<string>;
  expectConforms(endpoint: string, group: ModelGroup, type: string, allowances?: Allowance[]): void;
} {
  let sandbox: Sandbox | undefined;
  const answered = new Set<string>();
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 11, contacts: 300, rateLimit: { enabled: false }, requestLog: { captureBodies: true } });
    sandbox.requests.onRequest((entry) => {
      if (entry.status >= 200 && entry.status < 300) answered.add(entry.endpoint);
    });
    use(sandbox, sdk(sandbox));
  });
  afterAll(() => sandbox?.stop());
  return {
    answered,
    expectConforms(endpoint, group, type, allowances = []) {
      expect(conformanceProblems(lastAnswer(sandbox as Sandbox, endpoint), group, type, allowances)).toEqual([]);
    },
  };
}

/**
 * Whether this run of the file runs all of its tests: false under `-t` or a `.only`. Read from jest-circus's
 * state on the test file's global (the runner's instance; importing jest-circus here would load another).
 */
export function everyTestRuns(): boolean {
  const symbol = Object.getOwnPropertySymbols(globalThis).find((s) => s.description === 'JEST_STATE_SYMBOL');
  const state = symbol ? (globalThis as unknown as Record<symbol, { testNamePattern?: RegExp | null; hasFocusedTests?: boolean }>)[symbol] : undefined;
  return !state?.testNamePattern && !state?.hasFocusedTests;
}

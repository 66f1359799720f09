import { createHash } from 'node:crypto';
import { Client } from '@hubspot/api-client';
import type { Config } from '../config';
import { BatchCreateError, HubSpotError, RecordError, type HubSpotErrorBody } from './errors';
import { RollingLimiter } from './limiter';
import { Transport, deadlineAgent, type RetryPolicy, type TransportStats } from './transport';
import type {
  AssociatedRecord,
  BatchReadResult,
  CallCounts,
  CrmGateway,
  CrmObjectType,
  CrmRecord,
  DealPipeline,
  PropertyDefinition,
  RecordCreate,
  RecordUpdate,
  SearchFilter,
  SearchPage,
  TokenInfo,
  WriteResult,
} from './types';

/** HubSpot's batch sizes (shared platform doc, "API limits"). */
export const BATCH_SIZE = 100;
export const HISTORY_BATCH_SIZE = 50;
export const ASSOCIATION_BATCH_SIZE = 1000;
export const PAGE_LIMIT = 100;
export const SEARCH_PAGE_LIMIT = 200;

export interface GatewayOptions {
  accessToken: string;
  /** `HUBSPOT_API_BASE_URL`: https://api.hubapi.com, or a sandbox. */
  baseUrl: string;
  /** `HUBSPOT_RATE_LIMIT_PER_10S`; HubSpot's headers may lower it (and set the real interval). */
  rateLimitPer10s?: number;
  /** Length of the rolling window until HubSpot's headers say otherwise (10 s). */
  rateLimitWindowMs?: number;
  /** Search calls per second (HubSpot: about 5 per account). */
  searchPerSecond?: number;
  searchWindowMs?: number;
  /** Deadline of one HTTP attempt. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Share limiters between gateways of one process (same app, same budget). */
  limiter?: RollingLimiter;
  searchLimiter?: RollingLimiter;
  now?: () => number;
  random?: () => number;
  /**
   * Draw from the process-wide limiters of this app and portal (see `createGateway`). On for every gateway
   * built from the configuration; off by default so a test's gateway starts with a budget of its own.
   */
  shareLimits?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 4_000 };

/** Gateway options from the validated configuration. */
export function gatewayOptionsFromConfig(config: Config, extra: Partial<GatewayOptions> = {}): GatewayOptions {
  if (!config.hubspot.accessToken) throw new Error('HUBSPOT_ACCESS_TOKEN is not set: the gateway needs the private app token');
  return { accessToken: config.hubspot.accessToken, baseUrl: config.hubspot.apiBaseUrl, rateLimitPer10s: config.hubspot.rateLimitPer10s, shareLimits: true, ...extra };
}

/**
 * Limiters shared by every gateway of this process that calls the same portal as the same app: HubSpot
 * counts one burst budget per app and account, so the worker, the scheduler, a backfill and the dashboard
 * in one process must draw from one limiter, not each believe it has the whole budget (which ends in 429s).
 * Counted, so the limiters close with the last gateway that uses them.
 */
function limitersFor(options: GatewayOptions): { limiter: RollingLimiter; searchLimiter: RollingLimiter } {
  const now = options.now ?? Date.now;
  return {
    limiter: new RollingLimiter({ limit: options.rateLimitPer10s ?? 100, windowMs: options.rateLimitWindowMs ?? 10_000, name: 'hubspot', now }),
    searchLimiter: new RollingLimiter({ limit: options.searchPerSecond ?? 5, windowMs: options.searchWindowMs ?? 1_000, name: 'search', now }),
  };
}

const sharedLimiters = new Map<string, { limiter: RollingLimiter; searchLimiter: RollingLimiter; users: number }>();

export function createGateway(options: GatewayOptions): HubSpotGateway {
  // Injected limiters or clocks are the caller's own business: nothing to share.
  if (!options.shareLimits || options.limiter || options.searchLimiter || options.now) return new HubSpotGateway(options);
  const key = [options.baseUrl.replace(/\/+$/, ''), createHash('sha256').update(options.accessToken).digest('hex'), options.rateLimitPer10s ?? 100, options.rateLimitWindowMs ?? 10_000, options.searchPerSecond ?? 5, options.searchWindowMs ?? 1_000].join('|');
  let shared = sharedLimiters.get(key);
  if (!shared) {
    shared = { ...limitersFor(options), users: 0 };
    sharedLimiters.set(key, shared);
  }
  const entry = shared;
  entry.users += 1;
  return new HubSpotGateway({ ...options, limiter: entry.limiter, searchLimiter: entry.searchLimiter }, () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    sharedLimiters.delete(key);
    entry.limiter.close();
    entry.searchLimiter.close();
  });
}

/** One invalid property value as HubSpot lists it in "Property values were not valid: [...]". */
interface PropertyProblem {
  name: string;
  error?: string;
  message?: string;
}

/** Errors that make a property unwritable for every record, not just for one value. */
const PROPERTY_LEVEL = new Set(['PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);

/**
 * A portal validation rule that a 2026-09 write broke (developers.hubspot.com/changelog/crm-api-write-validation-enforcement;
 * platform doc §2.3). The property it names is the one the rule requires, judged on the record's state
 * after the write: usually one we did not send, and when we did, sending it does not make an input the
 * culprit. So it never tells which input of a whole-batch 400 broke the rule.
 */
const RULE_CODES = new Set(['MISSING_CONDITIONAL_REQUIRED_PROPERTY', 'MISSING_REQUIRED_PROPERTY']);

const NUMERIC_ID = /^\d+$/;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function iso(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' ? value : undefined;
}

/** Plain record from the SDK's model (Dates become ISO strings; nothing of the SDK leaks out). */
function toRecord(raw: unknown, asked: string[]): CrmRecord {
  const o = raw as {
    id: string;
    properties?: Record<string, string | null>;
    propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: unknown; sourceType?: string; sourceId?: string }>>;
    createdAt?: unknown;
    updatedAt?: unknown;
    archived?: boolean;
  };
  const properties: Record<string, string | null> = {};
  for (const name of asked) properties[name] = null;
  for (const [name, value] of Object.entries(o.properties ?? {})) properties[name] = value ?? null;
  const record: CrmRecord = { id: String(o.id), properties };
  if (o.propertiesWithHistory && Object.keys(o.propertiesWithHistory).length > 0) {
    record.propertiesWithHistory = {};
    for (const [name, entries] of Object.entries(o.propertiesWithHistory)) {
      record.propertiesWithHistory[name] = entries.map((e) => ({
        value: e.value,
        timestamp: iso(e.timestamp) ?? String(e.timestamp),
        ...(e.sourceType !== undefined ? { sourceType: e.sourceType } : {}),
        ...(e.sourceId !== undefined ? { sourceId: e.sourceId } : {}),
      }));
    }
  }
  const createdAt = iso(o.createdAt);
  const updatedAt = iso(o.updatedAt);
  if (createdAt) record.createdAt = createdAt;
  if (updatedAt) record.updatedAt = updatedAt;
  if (o.archived !== undefined) record.archived = o.archived;
  return record;
}

type BatchError = { category?: string; subCategory?: unknown; message?: string; context?: Record<string, string[]>; errors?: Array<{ message?: string; code?: string; context?: Record<string, string[]> }> };

function errorsOf(data: unknown): BatchError[] {
  const errors = (data as { errors?: BatchError[] } | undefined)?.errors;
  return Array.isArray(errors) ? errors : [];
}

/** The problems listed in a VALIDATION_ERROR's message (and, in per-input errors, in `errors[].context`). */
export function propertyProblems(error: { message?: string; errors?: BatchError['errors'] } | undefined): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  const message = error?.message ?? '';
  const start = message.indexOf('[');
  if (/Property values were not valid/i.test(message) && start >= 0) {
    try {
      const list = JSON.parse(message.slice(start)) as Array<{ name?: unknown; error?: unknown; message?: unknown }>;
      for (const p of Array.isArray(list) ? list : []) {
        if (typeof p?.name === 'string') problems.push({ name: p.name, ...(typeof p.error === 'string' ? { error: p.error } : {}), ...(typeof p.message === 'string' ? { message: p.message } : {}) });
      }
    } catch {
      // Not the JSON list HubSpot usually embeds; the details below may still name the properties.
    }
  }
  for (const detail of error?.errors ?? []) {
    for (const name of detail.context?.propertyName ?? []) {
      if (!problems.some((p) => p.name === name)) problems.push({ name, ...(detail.code ? { error: detail.code } : {}), ...(detail.message ? { message: detail.message } : {}) });
    }
  }
  return problems;
}

/** Ids a "could not get some objects" error names (batch read 207, or a whole-batch update 400). */
function missingIdsOf(error: BatchError | HubSpotErrorBody | undefined): string[] {
  if (!error) return [];
  const ids = error.context?.ids ?? [];
  const notFound = error.category === 'OBJECT_NOT_FOUND' || /could not get some|not exist|not found/i.test(error.message ?? '');
  return notFound ? ids.map(String) : [];
}

export interface GatewayStats extends TransportStats {
  /** Whole-batch 400s answered by isolating the culprits. */
  isolations: number;
  /** Extra calls made by splitting a batch to find a culprit. */
  splits: number;
}

/**
 * The HubSpot gateway over `@hubspot/api-client` 13.x. See docs/hubspot-gateway.md.
 */
export class HubSpotGateway implements CrmGateway {
  readonly client: Client;
  readonly limiter: RollingLimiter;
  readonly searchLimiter: RollingLimiter;
  private readonly transport: Transport;
  private pipelines: Promise<DealPipeline[]> | undefined;
  private isolations = 0;
  private splits = 0;

  private readonly accessToken: string;
  private closed = false;

  /** `release` is given for limiters shared through `createGateway`: close hands them back instead. */
  constructor(options: GatewayOptions, private readonly release?: () => void) {
    this.accessToken = options.accessToken;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = new Client({
      accessToken: options.accessToken,
      basePath: options.baseUrl.replace(/\/+$/, ''),
      // Our own retries (Transport) respect limits and deadlines; the SDK's would sleep blindly.
      numberOfApiCallRetries: 0,
      httpAgent: deadlineAgent(options.baseUrl, timeoutMs),
    });
    // The SDK keeps its decorators in a process-wide singleton and applies them when an API object is
    // first touched: build ours now, before another Client (with retries on) could change them.
    void this.client.crm.objects.batchApi;
    void this.client.crm.objects.basicApi;
    void this.client.crm.objects.searchApi;
    void this.client.crm.associations.v4.batchApi;
    void this.client.crm.pipelines.pipelinesApi;
    void this.client.crm.properties.coreApi;
    void this.client.crm.properties.groupsApi;
    const now = options.now ?? Date.now;
    const own = options.limiter && options.searchLimiter ? undefined : limitersFor(options);
    this.limiter = options.limiter ?? own!.limiter;
    this.searchLimiter = options.searchLimiter ?? own!.searchLimiter;
    this.transport = new Transport({
      limiter: this.limiter,
      searchLimiter: this.searchLimiter,
      timeoutMs,
      retry: { ...DEFAULT_RETRY, ...(options.retry ?? {}) },
      now,
      ...(options.random ? { random: options.random } : {}),
    });
  }

  calls(): CallCounts {
    return this.transport.calls();
  }

  stats(): GatewayStats {
    return { ...this.transport.stats, isolations: this.isolations, splits: this.splits };
  }

  /** Stops the limiters' timers (pending waits are rejected); shared limiters only with their last user. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.release) return this.release();
    this.limiter.close();
    this.searchLimiter.close();
  }

  async read(objectType: CrmObjectType, ids: string[], properties: string[], propertiesWithHistory: string[] = []): Promise<BatchReadResult> {
    const unique = [...new Set(ids)];
    // A non-numeric id cannot exist at HubSpot; asking would only risk a 400 for the whole batch.
    const missing = new Set(unique.filter((id) => !NUMERIC_ID.test(id)));
    const wanted = unique.filter((id) => !missing.has(id));
    const size = propertiesWithHistory.length > 0 ? HISTORY_BATCH_SIZE : BATCH_SIZE;
    const records: CrmRecord[] = [];
    for (const chunk of chunks(wanted, size)) {
      const { data } = await this.transport.call(`${objectType}.batch.read`, (o) =>
        this.client.crm.objects.batchApi.read(objectType, { inputs: chunk.map((id) => ({ id })), properties, propertiesWithHistory }, false, o),
      );
      const returned = new Set<string>();
      for (const raw of data.results ?? []) {
        const record = toRecord(raw, properties);
        returned.add(record.id);
        records.push(record);
      }
      for (const error of errorsOf(data)) for (const id of missingIdsOf(error)) missing.add(id);
      // A merged-away id answers with the surviving record under its own id: the asked id is a tombstone.
      for (const id of chunk) if (!returned.has(id)) missing.add(id);
    }
    return { records, missing: [...missing] };
  }

  async associations(from: CrmObjectType, to: CrmObjectType, ids: string[]): Promise<Map<string, AssociatedRecord[]>> {
    const result = new Map<string, AssociatedRecord[]>();
    const unique = [...new Set(ids)];
    for (const id of unique) result.set(id, []);
    for (const chunk of chunks(unique.filter((id) => NUMERIC_ID.test(id)), ASSOCIATION_BATCH_SIZE)) {
      // 207 with NO_ASSOCIATIONS_FOUND for inputs without any: that is the answer "none", already [] above.
      const { data } = await this.transport.call(`associations.${from}.${to}.batch.read`, (o) =>
        this.client.crm.associations.v4.batchApi.getPage(from, to, { inputs: chunk.map((id) => ({ id })) }, o),
      );
      for (const row of data.results ?? []) {
        const fromId = String(row._from?.id ?? (row as unknown as { from?: { id?: unknown } }).from?.id);
        const list = result.get(fromId) ?? [];
        for (const target of row.to ?? []) {
          // v4 answers carry toObjectId as a JSON number though the SDK types it as a string.
          list.push({ id: String(target.toObjectId), typeIds: (target.associationTypes ?? []).map((t) => Number(t.typeId)) });
        }
        result.set(fromId, list);
      }
    }
    return result;
  }

  async update(objectType: CrmObjectType, updates: RecordUpdate[]): Promise<WriteResult> {
    const result: WriteResult = { written: [], missing: [], rejected: [] };
    // HubSpot refuses a batch naming an id twice; the later update of an id wins, as it would sequentially.
    const merged = new Map<string, Record<string, string>>();
    for (const u of updates) merged.set(u.id, { ...(merged.get(u.id) ?? {}), ...u.properties });
    const inputs: RecordUpdate[] = [];
    for (const [id, properties] of merged) {
      if (!NUMERIC_ID.test(id)) result.missing.push(id);
      else inputs.push({ id, properties });
    }
    for (const chunk of chunks(inputs, BATCH_SIZE)) await this.writeBatch(objectType, chunk, result);
    return result;
  }

  /**
   * One batch update, with every failure isolated to its record. Inputs carry `objectWriteTraceId` (the
   * record id), which is how HubSpot turns on per-input errors (207); when it still fails the whole batch
   * (400 VALIDATION_ERROR naming properties, or missing ids), the named culprits are set aside and the rest
   * is sent again; when the culprit cannot be told from the message, the batch is split in halves.
   * A record with any invalid property is rejected whole: writing the rest of a decision (a status without
   * its reasons) would leave the record contradicting itself.
   */
  private async writeBatch(objectType: CrmObjectType, inputs: RecordUpdate[], result: WriteResult): Promise<void> {
    if (inputs.length === 0) return;
    let data;
    try {
      ({ data } = await this.transport.call(`${objectType}.batch.update`, (o) =>
        this.client.crm.objects.batchApi.update(objectType, { inputs: inputs.map((u) => ({ id: u.id, properties: u.properties, objectWriteTraceId: u.id })) }, o),
      ));
    } catch (err) {
      if (!(err instanceof RecordError) || err.status !== 400) throw err;
      this.isolations += 1;
      await this.isolate(objectType, inputs, result, err);
      return;
    }
    const accounted = new Set<string>();
    for (const raw of data.results ?? []) {
      result.written.push(String(raw.id));
      accounted.add(String(raw.id));
    }
    const unattributed: string[] = [];
    for (const error of errorsOf(data)) {
      const missing = missingIdsOf(error);
      if (missing.length > 0) {
        for (const id of missing) {
          if (accounted.has(id)) continue;
          accounted.add(id);
          result.missing.push(id);
        }
        continue;
      }
      const ids = error.context?.objectWriteTraceId ?? error.context?.ids ?? error.context?.id ?? [];
      const problems = propertyProblems(error);
      const owned = ids.filter((id) => merged(inputs, id) && !accounted.has(id));
      if (owned.length === 0) {
        unattributed.push(error.message ?? error.category ?? 'unknown error');
        continue;
      }
      for (const id of owned) {
        accounted.add(id);
        result.rejected.push({ id, error: describe(error.message, problems), properties: problems.map((p) => p.name) });
      }
    }
    for (const input of inputs) {
      if (accounted.has(input.id)) continue;
      result.rejected.push({ id: input.id, error: unattributed.length > 0 ? unattributed.join('; ') : 'HubSpot returned no result for this input', properties: [] });
    }
  }

  private async isolate(objectType: CrmObjectType, inputs: RecordUpdate[], result: WriteResult, err: RecordError): Promise<void> {
    const body = (err.body ?? {}) as HubSpotErrorBody;
    const missingIds = new Set(missingIdsOf(body).filter((id) => merged(inputs, id)));
    if (missingIds.size > 0) {
      result.missing.push(...missingIds);
      return this.writeBatch(objectType, inputs.filter((u) => !missingIds.has(u.id)), result);
    }
    const named = propertyProblems(body);
    const problems = named.filter((p) => p.error === undefined || !RULE_CODES.has(p.error));
    const culprits: Array<{ input: RecordUpdate; problems: PropertyProblem[] }> = [];
    const suspects: RecordUpdate[] = [];
    const clean: RecordUpdate[] = [];
    for (const input of inputs) {
      const own = problems.filter((p) => p.name in input.properties);
      if (own.length === 0) clean.push(input);
      else if (own.some((p) => p.error !== undefined && PROPERTY_LEVEL.has(p.error))) culprits.push({ input, problems: own });
      else suspects.push(input);
    }
    // A value problem shared by several inputs names the property, not the record: only one may be wrong.
    if (suspects.length === 1) {
      const only = suspects.pop() as RecordUpdate;
      culprits.push({ input: only, problems: problems.filter((p) => p.name in only.properties) });
    }
    for (const c of culprits) result.rejected.push({ id: c.input.id, error: describe(body.message, c.problems), properties: c.problems.map((p) => p.name) });
    if (culprits.length === 0 && suspects.length === 0) {
      // Nothing named that we sent (or only broken rules): the culprit cannot be told from the message.
      if (inputs.length === 1) {
        // HubSpot's own words about the rule (its `errors[]`), not only the top-level "values are invalid".
        result.rejected.push({ id: (inputs[0] as RecordUpdate).id, error: named.length > 0 ? describe(body.message, named) : err.message, properties: named.map((p) => p.name) });
        return;
      }
      return this.split(objectType, inputs, result);
    }
    await this.writeBatch(objectType, clean, result);
    if (suspects.length > 0) await this.split(objectType, suspects, result);
  }

  private async split(objectType: CrmObjectType, inputs: RecordUpdate[], result: WriteResult): Promise<void> {
    const half = Math.ceil(inputs.length / 2);
    this.splits += 1;
    await this.writeBatch(objectType, inputs.slice(0, half), result);
    await this.writeBatch(objectType, inputs.slice(half), result);
  }

  async create(objectType: CrmObjectType, inputs: RecordCreate[]): Promise<string[]> {
    const ids: Array<string | undefined> = [];
    const failures: Array<{ index: number; error: string }> = [];
    for (const [chunkIndex, chunk] of chunks(inputs, BATCH_SIZE).entries()) {
      const offset = chunkIndex * BATCH_SIZE;
      const { data } = await this.transport.call(
        `${objectType}.batch.create`,
        (o) =>
          this.client.crm.objects.batchApi.create(
            objectType,
            {
              inputs: chunk.map((input, i) => ({
                properties: input.properties,
                objectWriteTraceId: String(offset + i),
                associations: (input.associations ?? []).map((a) => ({
                  to: { id: a.toId },
                  types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: a.typeId }],
                })),
              })),
            },
            o,
          ),
        // A create that timed out may have happened: retrying it here could make the record twice.
        { idempotent: false },
      );
      const results = data.results ?? [];
      results.forEach((raw, i) => {
        const trace = raw.objectWriteTraceId;
        const index = trace !== undefined && /^\d+$/.test(trace) ? Number(trace) : offset + i;
        ids[index] = String(raw.id);
      });
      for (const error of errorsOf(data)) {
        for (const trace of error.context?.objectWriteTraceId ?? []) failures.push({ index: Number(trace), error: error.message ?? 'create failed' });
      }
      for (let i = offset; i < offset + chunk.length; i += 1) {
        if (ids[i] === undefined && !failures.some((f) => f.index === i)) failures.push({ index: i, error: errorsOf(data)[0]?.message ?? 'HubSpot returned no result for this input' });
      }
    }
    if (failures.length > 0) {
      throw new BatchCreateError(`${failures.length} of ${inputs.length} ${objectType} could not be created: ${failures[0]?.error}`, ids, failures, { kind: `${objectType}.batch.create` });
    }
    return ids as string[];
  }

  async page(objectType: CrmObjectType, properties: string[], after?: string, limit = PAGE_LIMIT): Promise<{ records: CrmRecord[]; after?: string }> {
    const { data } = await this.transport.call(`${objectType}.page`, (o) =>
      this.client.crm.objects.basicApi.getPage(objectType, Math.min(Math.max(1, limit), PAGE_LIMIT), after, properties, undefined, undefined, false, o),
    );
    const next = data.paging?.next?.after;
    return { records: (data.results ?? []).map((r) => toRecord(r, properties)), ...(next ? { after: next } : {}) };
  }

  async search(
    objectType: CrmObjectType,
    filters: SearchFilter[],
    properties: string[],
    options: { after?: string; limit?: number; sort?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' } } = {},
  ): Promise<SearchPage> {
    const request = {
      filterGroups: filters.length > 0 ? [{ filters: filters.map((f) => ({ ...f, operator: f.operator as never })) }] : [],
      properties,
      limit: Math.min(Math.max(1, options.limit ?? PAGE_LIMIT), SEARCH_PAGE_LIMIT),
      ...(options.after !== undefined ? { after: options.after } : {}),
      // HubSpot takes sort objects; the SDK types `sorts` as strings but sends what it is given.
      ...(options.sort ? { sorts: [options.sort as unknown as string] } : {}),
    };
    const { data } = await this.transport.call(`${objectType}.search`, (o) => this.client.crm.objects.searchApi.doSearch(objectType, request, o), { search: true });
    const next = data.paging?.next?.after;
    return { records: (data.results ?? []).map((r) => toRecord(r, properties)), total: data.total ?? 0, ...(next ? { after: next } : {}) };
  }

  dealPipelines(options: { refresh?: boolean } = {}): Promise<DealPipeline[]> {
    if (options.refresh || !this.pipelines) {
      const loading = this.loadPipelines();
      this.pipelines = loading;
      // A failed load is not cached: the next caller tries again.
      loading.catch(() => {
        if (this.pipelines === loading) this.pipelines = undefined;
      });
    }
    return this.pipelines;
  }

  private async loadPipelines(): Promise<DealPipeline[]> {
    const { data } = await this.transport.call('pipelines.deals.read', (o) => this.client.crm.pipelines.pipelinesApi.getAll('deals', o));
    return (data.results ?? []).map((p) => ({
      id: p.id,
      label: p.label,
      stages: (p.stages ?? [])
        .map((s) => {
          // Stage metadata values are strings at HubSpot ({"isClosed":"true","probability":"1.0"}).
          const metadata = (s.metadata ?? {}) as Record<string, unknown>;
          const probability = metadata.probability === undefined || metadata.probability === null || metadata.probability === '' ? null : Number(metadata.probability);
          return {
            id: s.id,
            label: s.label,
            displayOrder: s.displayOrder,
            isClosed: String(metadata.isClosed) === 'true',
            probability: probability === null || Number.isNaN(probability) ? null : probability,
          };
        })
        .sort((a, b) => a.displayOrder - b.displayOrder),
    }));
  }

  /**
   * What the token is: its app, account and granted scopes, from HubSpot's private-app token introspection
   * (`POST /oauth/v2/private-apps/get/access-token-info`, HubSpot's private apps guide). The SDK has no model
   * for it, so this goes through `apiRequest`, which answers a fetch Response and does not throw on errors.
   */
  async tokenInfo(): Promise<TokenInfo> {
    const { data } = await this.transport.call('oauth.token-info.read', async () => {
      const response = await this.client.apiRequest({ method: 'POST', path: '/oauth/v2/private-apps/get/access-token-info', body: { tokenKey: this.accessToken } });
      const text = await response.text();
      let body: unknown;
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        headers[key] = value;
      });
      // Shaped like the SDK's own errors, so the transport classifies it the same way (401, 403, 429, 5xx).
      if (response.status >= 300) throw Object.assign(new Error(`HTTP ${response.status}`), { code: response.status, body, headers });
      return body;
    });
    const o = (data ?? {}) as { hubId?: unknown; appId?: unknown; userId?: unknown; scopes?: unknown };
    if (!Array.isArray(o.scopes)) throw new HubSpotError('HubSpot token introspection answered without a scopes list', { kind: 'oauth.token-info.read' });
    return {
      hubId: o.hubId === undefined ? null : String(o.hubId),
      appId: o.appId === undefined ? null : String(o.appId),
      scopes: (o.scopes as unknown[]).map(String).sort(),
    };
  }

  async listProperties(objectType: CrmObjectType): Promise<PropertyDefinition[]> {
    const { data } = await this.transport.call(`${objectType}.properties.read`, (o) => this.client.crm.properties.coreApi.getAll(objectType, false, undefined, o));
    return (data.results ?? []).map((p) => ({
      name: p.name,
      label: p.label,
      type: p.type as PropertyDefinition['type'],
      fieldType: p.fieldType,
      groupName: p.groupName,
      ...(p.description ? { description: p.description } : {}),
      ...(p.options && p.options.length > 0
        ? { options: p.options.map((opt) => ({ label: opt.label, value: opt.value, ...(opt.displayOrder !== undefined ? { displayOrder: opt.displayOrder } : {}), hidden: opt.hidden })) }
        : {}),
    }));
  }

  async createProperty(objectType: CrmObjectType, property: PropertyDefinition): Promise<void> {
    const body = {
      name: property.name,
      label: property.label,
      type: property.type as never,
      fieldType: property.fieldType as never,
      groupName: property.groupName,
      ...(property.description !== undefined ? { description: property.description } : {}),
      ...(property.options ? { options: property.options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false })) } : {}),
    };
    // HubSpot refuses a second property of the same name (409), so a retry can never create it twice.
    await this.transport.call(`${objectType}.properties.create`, (o) => this.client.crm.properties.coreApi.create(objectType, body, o));
  }

  async updateProperty(objectType: CrmObjectType, name: string, changes: Partial<Omit<PropertyDefinition, 'name' | 'type'>>): Promise<void> {
    const body = {
      ...(changes.label !== undefined ? { label: changes.label } : {}),
      ...(changes.groupName !== undefined ? { groupName: changes.groupName } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.fieldType !== undefined ? { fieldType: changes.fieldType as never } : {}),
      ...(changes.options ? { options: changes.options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false })) } : {}),
    };
    await this.transport.call(`${objectType}.properties.update`, (o) => this.client.crm.properties.coreApi.update(objectType, name, body, o));
  }

  async ensurePropertyGroup(objectType: CrmObjectType, group: { name: string; label: string; displayOrder?: number }): Promise<'created' | 'exists'> {
    try {
      await this.transport.call(`${objectType}.properties.groups.create`, (o) =>
        this.client.crm.properties.groupsApi.create(objectType, { name: group.name, label: group.label, ...(group.displayOrder !== undefined ? { displayOrder: group.displayOrder } : {}) }, o),
      );
      return 'created';
    } catch (err) {
      // One call instead of list-then-create; a duplicate answers 409.
      if (err instanceof RecordError && err.status === 409) return 'exists';
      throw err;
    }
  }
}

function merged(inputs: RecordUpdate[], id: string): boolean {
  return inputs.some((u) => u.id === id);
}

function describe(message: string | undefined, problems: PropertyProblem[]): string {
  if (problems.length === 0) return message ?? 'rejected by HubSpot';
  return problems.map((p) => `${p.name}: ${p.message ?? p.error ?? 'invalid value'}${p.error === 'PROPERTY_DOESNT_EXIST' && p.name.startsWith('uld_') ? ' (run `uld install`)' : ''}`).join('; ');
}

import { Client } from '@hubspot/api-client';
import type { Config } from '../config';
import { MissingSettingError, missingSettingMessage } from '../config/settings';
import { AdminCalls } from './admin-calls';
import { DEFAULT_API_VERSION, apiPaths, associationRow, batchErrors, batchReadBody, pipelineStage, type ApiPaths, type ApiVersion } from './api-version';
import { BATCH_SIZE, BatchWriter, missingIdsOf, type BatchError } from './batch-write';
import { HubSpotError } from './errors';
import type { RollingLimiter } from './limiter';
import { closeRateBudget, rateBudget, type RateBudget } from './rate-budget';
import { chunks, NUMERIC_ID, toHistoryRecord, toRecord } from './records';
import { Transport, type ApiRequest, type CallOptions, type CallResult, type RetryPolicy, type TransportStats } from './transport';
import type {
  AssociatedRecord,
  BatchReadResult,
  CallCounts,
  CrmGateway,
  CrmObjectType,
  CrmRecord,
  DealPipeline,
  HistoryReadResult,
  LeadPipeline,
  PropertyDefinition,
  RecordCreate,
  RecordUpdate,
  SearchFilter,
  SearchPage,
  TokenInfo,
  WriteResult,
} from './types';

export { BATCH_SIZE } from './batch-write';
/** HubSpot's batch sizes (shared platform doc, "API limits"). */
export const HISTORY_BATCH_SIZE = 50;
export const ASSOCIATION_BATCH_SIZE = 1000;
export const PAGE_LIMIT = 100;
export const SEARCH_PAGE_LIMIT = 200;

export interface GatewayOptions {
  accessToken: string;
  /** `HUBSPOT_API_BASE_URL`: https://api.hubapi.com, or a sandbox. */
  baseUrl: string;
  /** `HUBSPOT_API_VERSION`: whose paths and shapes every call uses (`2026-09` by default). */
  apiVersion?: ApiVersion;
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
  /**
   * The rate budget to draw from, when another gateway of this process already holds it (see
   * `HubSpotGateway.withPolicy`): HubSpot counts one burst budget per app and account, so every gateway of
   * one process must share it. Not given, the gateway has a budget of its own and closes it with itself.
   */
  budget?: RateBudget;
  now?: () => number;
  random?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 4_000 };

/** Gateway options from the validated configuration. */
export function gatewayOptionsFromConfig(config: Config, extra: Partial<GatewayOptions> = {}): GatewayOptions {
  if (!config.hubspot.accessToken) throw new MissingSettingError(['HUBSPOT_ACCESS_TOKEN'], missingSettingMessage('HUBSPOT_ACCESS_TOKEN', 'the HubSpot gateway'));
  return { accessToken: config.hubspot.accessToken, baseUrl: config.hubspot.apiBaseUrl, apiVersion: config.hubspot.apiVersion, rateLimitPer10s: config.hubspot.rateLimitPer10s, ...extra };
}

/** A gateway over HubSpot with its own rate budget. `uld serve` and the commands build theirs in src/composition. */
export function createGateway(options: GatewayOptions): HubSpotGateway {
  return new HubSpotGateway(options);
}

/** Which attempts a gateway makes: a card request or a doctor wants short ones, without changing the budget. */
export interface CallPolicy {
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface GatewayStats extends TransportStats {
  /** Whole-batch 400s answered by isolating the culprits. */
  isolations: number;
  /** Extra calls made by splitting a batch to find a culprit. */
  splits: number;
}

/**
 * The HubSpot gateway over `@hubspot/api-client` 13.x. Every call goes through the SDK's generic
 * `apiRequest` with the paths and shapes of the configured API version (`api-version.ts`): the SDK's typed
 * clients know only the legacy /crm/v3 and /crm/v4 paths, and one code path for every version keeps call
 * counts, limits and isolation the same whichever is chosen. See docs/hubspot-gateway.md.
 */
export class HubSpotGateway implements CrmGateway {
  readonly client: Client;
  readonly limiter: RollingLimiter;
  readonly searchLimiter: RollingLimiter;
  readonly apiVersion: ApiVersion;
  private readonly paths: ApiPaths;
  private readonly transport: Transport;
  private readonly writer: BatchWriter;
  private readonly admin: AdminCalls;
  private pipelines: Promise<DealPipeline[]> | undefined;
  private closed = false;

  private readonly budget: RateBudget;
  /** A gateway made with a borrowed budget (`withPolicy`) leaves it open when it closes. */
  private readonly ownsBudget: boolean;

  constructor(private readonly options: GatewayOptions) {
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.paths = apiPaths(this.apiVersion);
    // Each Client sets the SDK's process-wide decorators, which apiRequest goes through too: no SDK retries
    // (they would retry thrown network errors blindly); the transport owns retries.
    this.client = new Client({ accessToken: options.accessToken, basePath: options.baseUrl.replace(/\/+$/, ''), numberOfApiCallRetries: 0 });
    const now = options.now ?? Date.now;
    this.ownsBudget = options.budget === undefined;
    this.budget = options.budget ?? rateBudget(options);
    this.limiter = this.budget.limiter;
    this.searchLimiter = this.budget.searchLimiter;
    this.transport = new Transport({
      limiter: this.limiter,
      searchLimiter: this.searchLimiter,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retry: { ...DEFAULT_RETRY, ...(options.retry ?? {}) },
      now,
      ...(options.random ? { random: options.random } : {}),
    });
    const send = this.send.bind(this) as <T>(kind: string, request: ApiRequest, callOptions?: CallOptions) => Promise<CallResult<T>>;
    this.writer = new BatchWriter(send, this.paths);
    this.admin = new AdminCalls(send, this.paths, options.accessToken);
  }

  /** One request through the transport. apiRequest answers a fetch Response and never throws on a status. */
  private send<T>(kind: string, request: ApiRequest, callOptions?: CallOptions): Promise<CallResult<T>> {
    return this.transport.call<T>(
      kind,
      () => this.client.apiRequest({ method: request.method, path: request.path, ...(request.qs ? { qs: request.qs } : {}), ...(request.body !== undefined ? { body: request.body } : {}) }),
      callOptions,
    );
  }

  calls(): CallCounts {
    return this.transport.calls();
  }

  stats(): GatewayStats {
    return { ...this.transport.stats, isolations: this.writer.isolations, splits: this.writer.splits };
  }

  /**
   * The same app and portal with other attempts (deadline, retries), drawing from this gateway's budget:
   * the card's verdicts want short attempts, not a budget of their own. Close it before this one.
   */
  withPolicy(policy: CallPolicy): HubSpotGateway {
    return new HubSpotGateway({ ...this.options, ...policy, budget: this.budget });
  }

  /** Stops the limiters' timers (pending waits are rejected) when the budget is this gateway's own. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsBudget) closeRateBudget(this.budget);
  }

  async read(objectType: CrmObjectType, ids: string[], properties: string[], propertiesWithHistory: string[] = []): Promise<BatchReadResult> {
    const unique = [...new Set(ids)];
    // A non-numeric id cannot exist at HubSpot; asking would only risk a 400 for the whole batch.
    const missing = new Set(unique.filter((id) => !NUMERIC_ID.test(id)));
    const wanted = unique.filter((id) => !missing.has(id));
    const size = propertiesWithHistory.length > 0 ? HISTORY_BATCH_SIZE : BATCH_SIZE;
    const records: CrmRecord[] = [];
    for (const chunk of chunks(wanted, size)) {
      const { data } = await this.send<{ results?: unknown[] }>(`${objectType}.batch.read`, {
        method: 'POST',
        path: this.paths.batch(objectType, 'read'),
        qs: { archived: 'false' },
        body: batchReadBody(chunk, properties, propertiesWithHistory),
      });
      const returned = new Set<string>();
      for (const raw of data?.results ?? []) {
        const record = toRecord(raw, properties);
        returned.add(record.id);
        records.push(record);
      }
      for (const error of batchErrors<BatchError>(data)) for (const id of missingIdsOf(error)) missing.add(id);
      // A merged-away id answers with the surviving record under its own id: the asked id is a tombstone.
      for (const id of chunk) if (!returned.has(id)) missing.add(id);
    }
    return { records, missing: [...missing] };
  }

  /**
   * Histories of `properties` for `ids`: the batch read above with `propertiesWithHistory`, so 50 ids per
   * call. HubSpot refuses more: "The maximum number of inputs supported in a batch request for property
   * histories is 50" (the 400 seen by integrations, e.g. PipedreamHQ/pipedream#8462); the 2026-09 spec
   * does not state it, so the cap is kept on every version.
   */
  async readHistories(objectType: CrmObjectType, ids: string[], properties: string[]): Promise<HistoryReadResult> {
    if (properties.length === 0) throw new TypeError('readHistories: name at least one property');
    const { records, missing } = await this.read(objectType, ids, properties, properties);
    return { records: records.map((r) => toHistoryRecord(r, properties)), missing };
  }

  /**
   * Every associated record of each id, following HubSpot's per-input paging: an input whose result
   * carries `paging.next.after` is asked again with that `after` (`inputs: [{id, after}]`) until no result
   * does. Inputs of the next round are packed 1,000 per call like the first. Inputs without associations
   * answer NO_ASSOCIATIONS_FOUND in `errors` (207 in v4): that is the answer "none", already [] here.
   */
  async associations(from: CrmObjectType, to: CrmObjectType, ids: string[]): Promise<Map<string, AssociatedRecord[]>> {
    const kind = `associations.${from}.${to}.batch.read`;
    const result = new Map<string, AssociatedRecord[]>();
    const unique = [...new Set(ids)];
    for (const id of unique) result.set(id, []);
    const cursors = new Map<string, Set<string>>();
    let pending: Array<{ id: string; after?: string }> = unique.filter((id) => NUMERIC_ID.test(id)).map((id) => ({ id }));
    while (pending.length > 0) {
      const next: Array<{ id: string; after: string }> = [];
      for (const chunk of chunks(pending, ASSOCIATION_BATCH_SIZE)) {
        const { data } = await this.send<{ results?: unknown[] }>(kind, { method: 'POST', path: this.paths.associationsBatchRead(from, to), body: { inputs: chunk } });
        for (const raw of data?.results ?? []) {
          const row = associationRow(raw);
          const list = result.get(row.fromId) ?? [];
          for (const target of row.targets) list.push(target);
          result.set(row.fromId, list);
          if (row.after === undefined) continue;
          // A cursor answered twice would page forever: HubSpot broke its paging, say so instead of looping.
          const seen = cursors.get(row.fromId) ?? new Set<string>();
          if (seen.has(row.after)) throw new HubSpotError(`HubSpot repeated the association page cursor ${row.after} for ${from} ${row.fromId} (${kind})`, { kind });
          seen.add(row.after);
          cursors.set(row.fromId, seen);
          next.push({ id: row.fromId, after: row.after });
        }
      }
      pending = next;
    }
    return result;
  }

  update(objectType: CrmObjectType, updates: RecordUpdate[]): Promise<WriteResult> {
    return this.writer.update(objectType, updates);
  }

  create(objectType: CrmObjectType, inputs: RecordCreate[]): Promise<string[]> {
    return this.writer.create(objectType, inputs);
  }

  async page(objectType: CrmObjectType, properties: string[], after?: string, limit = PAGE_LIMIT): Promise<{ records: CrmRecord[]; after?: string }> {
    const qs: Record<string, string> = { limit: String(Math.min(Math.max(1, limit), PAGE_LIMIT)), archived: 'false' };
    if (after !== undefined) qs.after = after;
    if (properties.length > 0) qs.properties = properties.join(',');
    const { data } = await this.send<{ results?: unknown[]; paging?: { next?: { after?: string } } }>(`${objectType}.page`, { method: 'GET', path: this.paths.objects(objectType), qs });
    const next = data?.paging?.next?.after;
    return { records: (data?.results ?? []).map((r) => toRecord(r, properties)), ...(next ? { after: next } : {}) };
  }

  async search(
    objectType: CrmObjectType,
    filters: SearchFilter[],
    properties: string[],
    options: { after?: string; limit?: number; sort?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' } } = {},
  ): Promise<SearchPage> {
    const request = {
      filterGroups: filters.length > 0 ? [{ filters }] : [],
      properties,
      limit: Math.min(Math.max(1, options.limit ?? PAGE_LIMIT), SEARCH_PAGE_LIMIT),
      ...(options.after !== undefined ? { after: options.after } : {}),
      ...(options.sort ? { sorts: [options.sort] } : {}),
    };
    const { data } = await this.send<{ results?: unknown[]; total?: number; paging?: { next?: { after?: string } } }>(
      `${objectType}.search`,
      { method: 'POST', path: this.paths.search(objectType), body: request },
      { search: true },
    );
    const next = data?.paging?.next?.after;
    return { records: (data?.results ?? []).map((r) => toRecord(r, properties)), total: data?.total ?? 0, ...(next ? { after: next } : {}) };
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
    const { data } = await this.send<{ results?: Array<{ id: unknown; label: unknown; stages?: unknown[] }> }>('pipelines.deals.read', { method: 'GET', path: this.paths.pipelines('deals') });
    return (data?.results ?? []).map((p) => ({
      id: String(p.id),
      label: String(p.label),
      stages: (p.stages ?? []).map(pipelineStage).sort((a, b) => a.displayOrder - b.displayOrder),
    }));
  }

  async leadPipelines(): Promise<LeadPipeline[]> {
    const { data } = await this.send<{ results?: Array<{ id: unknown; label: unknown; stages?: unknown[] }> }>('pipelines.leads.read', { method: 'GET', path: this.paths.pipelines('leads') });
    return (data?.results ?? []).map((p) => ({
      id: String(p.id),
      label: String(p.label),
      stages: (p.stages ?? []).map(pipelineStage).sort((a, b) => a.displayOrder - b.displayOrder).map((s) => ({ id: s.id, label: s.label })),
    }));
  }

  tokenInfo(): Promise<TokenInfo> {
    return this.admin.tokenInfo();
  }

  listProperties(objectType: CrmObjectType): Promise<PropertyDefinition[]> {
    return this.admin.listProperties(objectType);
  }

  createProperty(objectType: CrmObjectType, property: PropertyDefinition): Promise<void> {
    return this.admin.createProperty(objectType, property);
  }

  updateProperty(objectType: CrmObjectType, name: string, changes: Partial<Omit<PropertyDefinition, 'name' | 'type'>>): Promise<void> {
    return this.admin.updateProperty(objectType, name, changes);
  }

  ensurePropertyGroup(objectType: CrmObjectType, group: { name: string; label: string; displayOrder?: number }): Promise<'created' | 'exists'> {
    return this.admin.ensurePropertyGroup(objectType, group);
  }
}

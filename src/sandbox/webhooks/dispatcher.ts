import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { PortalChange } from '../crm/portal';
import { Random } from '../random';
import { signatureHeaders } from './signing';
import { MAX_SUBSCRIPTIONS, eventFor, parseSubscription, type EventBody, type WebhookSubscription, type WebhookSubscriptionInput } from './subscriptions';

/**
 * Delivers webhook events the way HubSpot does (HubSpot webhooks docs; shared platform doc): POSTs of a
 * JSON array of up to 100 events, signed with v1 and v3, at most `maxConcurrentRequests` (10) in flight,
 * a request slower than 5 seconds counts as failed, and a failed request (connection error, timeout, any
 * 4xx or 5xx) is retried up to 10 times with growing, randomised delays ("spread out over the next 24
 * hours"). At least once: duplicates and reordering can be injected on purpose.
 */
export interface WebhookSettings {
  /** Where batches are POSTed; without one, events are counted but not delivered. */
  targetUrl?: string;
  maxConcurrentRequests: number;
  /** A delivery slower than this fails (and is retried). HubSpot: 5,000 ms. */
  timeoutMs: number;
  maxRetries: number;
  /** Events per request, at most 100. */
  maxBatchSize: number;
  /** How long events gather before a batch leaves (a full batch leaves at once). */
  batchWindowMs: number;
  /** First retry delay; each further retry waits `retryFactor` times longer, randomised by +-`retryJitter`. */
  retryBaseMs: number;
  retryFactor: number;
  retryJitter: number;
  /** Multiplies every retry delay: 0.0001 turns the 24-hour schedule into milliseconds for tests. */
  timeScale: number;
}

export interface WebhookFaults {
  /** Share of batches lost for good (never sent, never retried). */
  dropRate?: number;
  /** Share of delivered batches sent a second time, identical (same eventIds). */
  duplicateRate?: number;
  /** Share of batches shuffled and held back `reorderDelayMs`, so later batches overtake them. */
  reorderRate?: number;
  reorderDelayMs?: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  maxConcurrentRequests: 10,
  timeoutMs: 5_000,
  maxRetries: 10,
  maxBatchSize: 100,
  batchWindowMs: 100,
  // 1 min doubling: the tenth retry comes about 17 hours after the first failure (HubSpot: "over the next 24 hours").
  retryBaseMs: 60_000,
  retryFactor: 2,
  retryJitter: 0.2,
  timeScale: 1,
};

const MAX_DELIVERY_RECORDS = 100_000;

export type DeliveryOutcome = 'delivered' | 'failed' | 'dead' | 'dropped';

export interface DeliveryRecord {
  batchId: number;
  attemptNumber: number;
  eventCount: number;
  eventIds: number[];
  outcome: DeliveryOutcome;
  /** HTTP status, or the failure (`timeout`, `connection error: ...`). */
  result: string;
  startedAt: number;
  durationMs: number;
  duplicate: boolean;
}

interface Batch {
  id: number;
  events: Array<EventBody & { eventId: number }>;
  attempt: number;
  duplicate: boolean;
}

export interface WebhookStats {
  eventsGenerated: number;
  eventsUndeliverable: number;
  requests: number;
  delivered: number;
  failedAttempts: number;
  retriesScheduled: number;
  dead: number;
  dropped: number;
  duplicates: number;
  maxInFlight: number;
}

/**
 * Events: `attempt` (DeliveryRecord, after every request), `delivered`, `failed` (an attempt that will be
 * retried or has died), `dead` (retries exhausted), `dropped` (fault), `idle`.
 */
export class WebhookDispatcher extends EventEmitter {
  readonly settings: WebhookSettings;
  readonly deliveries: DeliveryRecord[] = [];
  readonly stats: WebhookStats = {
    eventsGenerated: 0,
    eventsUndeliverable: 0,
    requests: 0,
    delivered: 0,
    failedAttempts: 0,
    retriesScheduled: 0,
    dead: 0,
    dropped: 0,
    duplicates: 0,
    maxInFlight: 0,
  };
  private readonly subs = new Map<number, WebhookSubscription>();
  private nextSubscriptionId: number;
  private nextEventId: number;
  private nextBatchId = 1;
  private pending: Array<EventBody & { eventId: number }> = [];
  private readonly ready: Batch[] = [];
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private windowTimer: NodeJS.Timeout | undefined;
  private readonly requests = new Set<http.ClientRequest>();
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  private faultSettings: WebhookFaults = {};
  private random: Random;
  private stopped = false;

  constructor(
    private readonly app: { portalId: number; appId: number; clientSecret: string },
    settings: Partial<WebhookSettings> = {},
    seed: number | string = 1,
  ) {
    super();
    this.settings = { ...DEFAULT_WEBHOOK_SETTINGS, ...settings };
    this.validateSettings();
    this.random = new Random(`${seed}:webhooks`);
    // HubSpot's ids are large numbers; start from seeded values so runs are reproducible.
    this.nextSubscriptionId = 1_000_000 + this.random.int(0, 999_999);
    this.nextEventId = 100_000_000 + this.random.int(0, 99_999_999);
  }

  /** Changes settings at run time (target URL, concurrency, timeouts, time scale). */
  configure(settings: Partial<WebhookSettings>): void {
    Object.assign(this.settings, settings);
    this.validateSettings();
  }

  setFaults(faults: WebhookFaults): void {
    for (const rate of [faults.dropRate, faults.duplicateRate, faults.reorderRate]) {
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError('webhook fault rates are shares from 0 to 1');
    }
    this.faultSettings = { ...faults };
  }

  subscribe(input: WebhookSubscriptionInput): WebhookSubscription {
    if (this.subs.size >= MAX_SUBSCRIPTIONS) throw new Error(`An app can have at most ${MAX_SUBSCRIPTIONS} webhook subscriptions`);
    const sub = parseSubscription(input, this.nextSubscriptionId);
    this.nextSubscriptionId += 1;
    this.subs.set(sub.id, sub);
    return sub;
  }

  unsubscribe(id: number): boolean {
    return this.subs.delete(id);
  }

  subscriptions(): WebhookSubscription[] {
    return [...this.subs.values()].map((s) => ({ ...s }));
  }

  /** Turns one portal change into events for every matching subscription. */
  handleChange(change: PortalChange): void {
    if (this.stopped || this.subs.size === 0) return;
    for (const sub of this.subs.values()) {
      const body = eventFor(sub, change, this.app);
      if (!body) continue;
      this.stats.eventsGenerated += 1;
      if (!this.settings.targetUrl) {
        this.stats.eventsUndeliverable += 1;
        continue;
      }
      this.pending.push({ eventId: this.nextEventId, ...body });
      this.nextEventId += 1;
    }
    this.schedulePump();
  }

  /** Events waiting for a batch, batches waiting for a slot or a retry, and requests in flight. */
  get backlog(): { pendingEvents: number; readyBatches: number; scheduled: number; inFlight: number } {
    return { pendingEvents: this.pending.length, readyBatches: this.ready.length, scheduled: this.timers.size, inFlight: this.inFlight };
  }

  /** Resolves once nothing is waiting, scheduled or in flight (every batch delivered, dead or dropped). */
  idle(timeoutMs = 30_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('idle', done);
        reject(new Error(`webhooks not idle after ${timeoutMs} ms: ${JSON.stringify(this.backlog)}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.once('idle', done);
    });
  }

  /** Stops delivering: timers cleared, requests aborted, connections closed. */
  stop(): void {
    this.stopped = true;
    if (this.windowTimer) clearTimeout(this.windowTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const req of this.requests) req.destroy();
    this.requests.clear();
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.pending = [];
    this.ready.length = 0;
  }

  private validateSettings(): void {
    const s = this.settings;
    if (!(s.maxBatchSize >= 1 && s.maxBatchSize <= 100)) throw new RangeError('maxBatchSize must be from 1 to 100 (HubSpot sends at most 100 events per request)');
    if (!(s.maxConcurrentRequests >= 1)) throw new RangeError('maxConcurrentRequests must be at least 1');
    if (!(s.timeoutMs > 0) || !(s.timeScale > 0)) throw new RangeError('timeoutMs and timeScale must be positive');
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.ready.length === 0 && this.inFlight === 0 && this.timers.size === 0 && this.windowTimer === undefined;
  }

  private checkIdle(): void {
    if (this.isIdle()) this.emit('idle');
  }

  private schedulePump(): void {
    if (this.pending.length >= this.settings.maxBatchSize) {
      this.pump();
      return;
    }
    if (this.pending.length > 0 && this.windowTimer === undefined) {
      this.windowTimer = setTimeout(() => {
        this.windowTimer = undefined;
        this.pump();
      }, this.settings.batchWindowMs);
    }
  }

  /** Starts requests while slots are free: retries first, then new batches cut from pending events. */
  private pump(): void {
    if (this.stopped) return;
    while (this.inFlight < this.settings.maxConcurrentRequests) {
      let batch = this.ready.shift();
      if (!batch) {
        if (this.pending.length === 0) break;
        batch = { id: this.nextBatchId, events: this.pending.splice(0, this.settings.maxBatchSize), attempt: 0, duplicate: false };
        this.nextBatchId += 1;
        if (this.applyFirstAttemptFaults(batch)) continue;
      }
      void this.send(batch);
    }
    this.checkIdle();
  }

  /** Drop and reorder faults, decided once per batch. True when the batch left the normal path. */
  private applyFirstAttemptFaults(batch: Batch): boolean {
    const { dropRate = 0, reorderRate = 0, reorderDelayMs = 250 } = this.faultSettings;
    if (dropRate > 0 && this.random.chance(dropRate)) {
      this.stats.dropped += 1;
      const record = this.record(batch, 'dropped', 'dropped by fault injection', Date.now(), 0);
      this.emit('dropped', record);
      return true;
    }
    if (reorderRate > 0 && this.random.chance(reorderRate)) {
      this.random.shuffle(batch.events);
      this.later(reorderDelayMs, () => this.ready.push(batch));
      return true;
    }
    return false;
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
      this.pump();
    }, ms);
    this.timers.add(timer);
  }

  private async send(batch: Batch): Promise<void> {
    this.inFlight += 1;
    this.stats.requests += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
    const startedAt = Date.now();
    const t0 = performance.now();
    const result = await this.post(batch);
    this.inFlight -= 1;
    if (this.stopped) return;
    const ok = /^2\d\d$/.test(result);
    if (ok) {
      this.stats.delivered += 1;
      const record = this.record(batch, 'delivered', result, startedAt, performance.now() - t0);
      this.emit('delivered', record);
      const { duplicateRate = 0 } = this.faultSettings;
      if (!batch.duplicate && duplicateRate > 0 && this.random.chance(duplicateRate)) {
        this.stats.duplicates += 1;
        this.ready.push({ ...batch, duplicate: true });
      }
    } else {
      this.stats.failedAttempts += 1;
      const retry = !batch.duplicate && batch.attempt < this.settings.maxRetries;
      const record = this.record(batch, retry ? 'failed' : 'dead', result, startedAt, performance.now() - t0);
      this.emit('failed', record);
      if (retry) {
        this.stats.retriesScheduled += 1;
        this.later(this.retryDelay(batch.attempt), () => this.ready.push({ ...batch, attempt: batch.attempt + 1 }));
      } else if (!batch.duplicate) {
        this.stats.dead += 1;
        this.emit('dead', record);
      }
    }
    this.pump();
  }

  /** Delay before retry number `attempt + 1`: exponential, randomised so failures do not retry in lockstep. */
  retryDelay(attempt: number): number {
    const { retryBaseMs, retryFactor, retryJitter, timeScale } = this.settings;
    const jitter = 1 + (this.random.next() * 2 - 1) * retryJitter;
    return retryBaseMs * retryFactor ** attempt * jitter * timeScale;
  }

  /** One signed POST; resolves with the status code or the failure, never rejects. */
  private post(batch: Batch): Promise<string> {
    const target = this.settings.targetUrl;
    if (!target) return Promise.resolve('connection error: no target URL');
    const body = JSON.stringify(batch.events.map((e) => ({ ...e, attemptNumber: batch.attempt })));
    const url = new URL(target);
    const transport = url.protocol === 'https:' ? https : http;
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon-executor',
      ...signatureHeaders(this.app.clientSecret, target, body, Date.now()),
    };
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.requests.delete(req);
        resolve(result);
      };
      const req = transport.request(url, { method: 'POST', headers, agent: url.protocol === 'https:' ? this.agents.https : this.agents.http }, (res) => {
        res.resume();
        res.on('end', () => finish(String(res.statusCode ?? 0)));
        res.on('error', (err) => finish(`connection error: ${err.message}`));
      });
      // HubSpot counts a response slower than the timeout as a failure, whatever comes later.
      const timer = setTimeout(() => {
        finish('timeout');
        req.destroy();
      }, this.settings.timeoutMs);
      req.on('error', (err) => finish(`connection error: ${err.message}`));
      this.requests.add(req);
      req.end(body);
    });
  }

  private record(batch: Batch, outcome: DeliveryOutcome, result: string, startedAt: number, durationMs: number): DeliveryRecord {
    const record: DeliveryRecord = {
      batchId: batch.id,
      attemptNumber: batch.attempt,
      eventCount: batch.events.length,
      eventIds: batch.events.map((e) => e.eventId),
      outcome,
      result,
      startedAt,
      durationMs,
      duplicate: batch.duplicate,
    };
    this.deliveries.push(record);
    // Bounded, so a long benchmark does not grow without end: the oldest records go first.
    if (this.deliveries.length > MAX_DELIVERY_RECORDS) this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERY_RECORDS);
    this.emit('attempt', record);
    return record;
  }
}

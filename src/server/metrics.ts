import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import type { ReceiverMetrics } from '../../webhooks';
import type { Store } from '../store';

export interface Metrics {
  registry: Registry;
  receiver: ReceiverMetrics;
  requestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/**
 * The Prometheus metrics of one process. A registry per app (not prom-client's global one), so tests can
 * run several apps side by side and later issues add their metrics to the same registry.
 * Queue figures are read from the store at scrape time: they are the queue's truth, not this process's.
 */
export function createMetrics(store: Pick<Store, 'queueStats' | 'now'> & Partial<Pick<Store, 'listJobRuns'>>, logger: Logger): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const received = new Counter({
    name: 'uld_webhook_events_received_total',
    help: 'Webhook events in deliveries that passed signature and body checks.',
    registers: [registry],
  });
  const accepted = new Counter({
    name: 'uld_webhook_events_accepted_total',
    help: 'Webhook events durably stored, by what became of them (work, own_write, ignored) or duplicate.',
    labelNames: ['disposition'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'uld_webhook_requests_rejected_total',
    help: 'Webhook deliveries refused, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'uld_http_request_duration_seconds',
    help: 'HTTP request latency, by route and status. HubSpot gives a webhook delivery 5 seconds.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // One stats query per scrape, shared by the three queue gauges below.
  let pendingStats: Promise<Awaited<ReturnType<Store['queueStats']>> | null> | null = null;
  const stats = () => {
    pendingStats ??= store
      .queueStats()
      .catch((err: unknown) => {
        logger.warn({ err }, 'queue metrics unavailable: store unreachable');
        return null;
      })
      .finally(() => setImmediate(() => (pendingStats = null)));
    return pendingStats;
  };
  new Gauge({
    name: 'uld_queue_depth',
    help: 'Units of work in the queue, by object type and state (pending includes those in backoff).',
    labelNames: ['object_type', 'state'] as const,
    registers: [registry],
    async collect() {
      const s = await stats();
      this.reset();
      for (const d of s?.byObjectType ?? []) {
        this.set({ object_type: d.objectType, state: 'pending' }, d.pending);
        this.set({ object_type: d.objectType, state: 'leased' }, d.leased);
      }
    },
  });
  new Gauge({
    name: 'uld_queue_oldest_age_seconds',
    help: 'Age of the oldest unit of work, by object type: how far behind the worker is.',
    labelNames: ['object_type'] as const,
    registers: [registry],
    async collect() {
      const s = await stats();
      this.reset();
      for (const d of s?.byObjectType ?? []) {
        if (d.oldestCreatedAt !== null) this.set({ object_type: d.objectType }, Math.max(0, (store.now() - d.oldestCreatedAt) / 1000));
      }
    },
  });
  new Gauge({
    name: 'uld_dead_letters',
    help: 'Units of work that exhausted their attempts (see `uld dead-letters list`).',
    registers: [registry],
    async collect() {
      const s = await stats();
      if (s) this.set(s.deadLetters);
    },
  });

  // The last finished run of each scheduled job, from the store: visible from any instance, whichever ran it.
  const lastRuns = async () => {
    if (!store.listJobRuns) return [];
    try {
      const runs = await store.listJobRuns({ limit: 200 });
      const last = new Map<string, (typeof runs)[number]>();
      for (const r of runs) if (r.finishedAt !== null && !last.has(r.job)) last.set(r.job, r);
      return [...last.values()];
    } catch (err) {
      logger.warn({ err }, 'job runs unavailable for /metrics');
      return [];
    }
  };
  new Gauge({
    name: 'uld_job_last_run_timestamp_seconds',
    help: 'When each scheduled job last finished (see `uld jobs`), by outcome of that run.',
    labelNames: ['job', 'outcome'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await lastRuns()) this.set({ job: r.job, outcome: r.outcome }, r.finishedAt! / 1000);
    },
  });
  new Gauge({
    name: 'uld_job_last_run_duration_seconds',
    help: 'How long the last finished run of each scheduled job took.',
    labelNames: ['job'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await lastRuns()) this.set({ job: r.job }, (r.finishedAt! - r.startedAt) / 1000);
    },
  });

  return {
    registry,
    requestDuration,
    receiver: {
      received: (n) => received.inc(n),
      rejected: (reason) => rejected.inc({ reason }),
      accepted: (r) => {
        if (r.work) accepted.inc({ disposition: 'work' }, r.work);
        if (r.ownWrites) accepted.inc({ disposition: 'own_write' }, r.ownWrites);
        if (r.ignored) accepted.inc({ disposition: 'ignored' }, r.ignored);
        if (r.duplicates) accepted.inc({ disposition: 'duplicate' }, r.duplicates);
      },
    },
  };
}

import type { Logger } from 'pino';
import { STATUSES, type LeadStatus } from '../definition/types';
import { runFigureTask, type ComputeMode } from '../figures-worker';
import type { MetricsSnapshot } from '../metrics';
import type { Store } from '../store';
import type { DashboardFigures } from './derive';

export { CYCLE_BUCKETS, readFigures, type DashboardFigures, type DefinitionVersions } from './derive';

export interface FigureSourceOptions {
  store: Store;
  slaHours: number;
  /** Figures older than this are recomputed in the background; the page in hand is still served at once. */
  maxAgeMs: number;
  clock?: () => number;
  /**
   * DATABASE_URL: the worker thread opens its own connection with it. Without it (or for an in-memory
   * SQLite database, which another thread cannot open) the figures are computed in this thread.
   */
  databaseUrl?: string;
  logger?: Logger;
}

/** The metrics figures a page shows, and where they came from (every page says when they were computed). */
export interface ServedSnapshot {
  snapshot: MetricsSnapshot;
  /** `computed`: by the dashboard from the mirror; `stored`: the metrics job's latest snapshot, right after a start. */
  origin: 'computed' | 'stored';
}

/** A failed refresh is retried at the next view after this long, not at every view. */
const RETRY_AFTER_FAILURE_MS = 10_000;

/**
 * The figures, served from memory and never computed in the request path: reading and computing a
 * 100,000-contact mirror takes seconds. When the figures in hand are `maxAgeMs` old, a view starts a
 * refresh in the background (a worker thread, see src/figures-worker) and is answered with what is in hand;
 * concurrent views share one refresh. Right after a start, before the first refresh has finished, the
 * metrics job's latest stored snapshot stands in for the metrics figures. A request waits only when nothing
 * exists yet (a new install before the first metrics job run, or the views the stored snapshot does not
 * keep, such as the cycle distribution): once per process, and the wait is in the worker, off the event loop.
 */
export class FigureSource {
  private latest: { at: number; figures: DashboardFigures } | null = null;
  private pending: Promise<DashboardFigures> | null = null;
  private failedAt: number | null = null;
  /** The metrics job's latest snapshot, read once (undefined: not read yet; null: none usable). */
  private stored: Promise<MetricsSnapshot | null> | undefined;
  /** Status of each lead just before the current version: the past does not change, so it is kept per cutoff. */
  private statusesThen: { cutoff: number; byId: Map<string, LeadStatus | null> } | null = null;
  private readonly clock: () => number;
  /** How the last refresh ran and how long it took (wall time), for logs, tests and the benchmark. */
  lastRefresh: { mode: ComputeMode; ms: number; at: number } | null = null;

  constructor(private readonly options: FigureSourceOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** True while a refresh is running. */
  get refreshing(): boolean {
    return this.pending !== null;
  }

  /**
   * Every figure (the metrics snapshot and the dashboard's own views), all from one mirror read: the latest
   * in memory, refreshed in the background when stale. Waits only for the very first computation.
   */
  async current(): Promise<DashboardFigures> {
    if (this.latest === null) return this.pending ?? this.refresh();
    this.refreshIfStale();
    return this.latest.figures;
  }

  /**
   * The metrics figures alone (funnel, velocity, hand-off, the JSON snapshot): as `current()`, except that
   * before the first computation has finished the metrics job's latest stored snapshot is served.
   */
  async snapshot(): Promise<ServedSnapshot> {
    // Started before the stored snapshot is read, so the two overlap; after a failure, not at every view.
    this.refreshIfStale();
    if (this.latest !== null) return { snapshot: this.latest.figures.snapshot, origin: 'computed' };
    const stored = await this.storedSnapshot();
    if (stored !== null) return { snapshot: stored, origin: 'stored' };
    return { snapshot: (await (this.pending ?? this.refresh())).snapshot, origin: 'computed' };
  }

  /** Waits for the refresh in flight, if any (tests, the benchmark, a graceful stop). Never rejects. */
  async settled(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }

  /** Marks the figures stale: the next view starts a refresh (tests, and after a definition release). */
  invalidate(): void {
    if (this.latest !== null) this.latest = { ...this.latest, at: -Infinity };
    this.failedAt = null;
  }

  private refreshIfStale(): void {
    const now = this.clock();
    // No figures at all counts as stale.
    if (this.pending !== null || (this.latest !== null && now - this.latest.at < this.options.maxAgeMs)) return;
    if (this.failedAt !== null && now - this.failedAt < Math.min(RETRY_AFTER_FAILURE_MS, this.options.maxAgeMs || RETRY_AFTER_FAILURE_MS)) return;
    // Nobody waits for a background refresh: its failure is logged here, and the figures in hand stay.
    this.refresh().catch(() => undefined);
  }

  private refresh(): Promise<DashboardFigures> {
    const now = this.clock();
    const started = performance.now();
    const { store, databaseUrl, slaHours } = this.options;
    const run = runFigureTask({ kind: 'dashboard', now, slaHours }, { store, ...(databaseUrl === undefined ? {} : { databaseUrl }) })
      .then(({ result, mode }) => {
        const ms = performance.now() - started;
        this.latest = { at: now, figures: result };
        this.failedAt = null;
        this.lastRefresh = { mode, ms, at: now };
        this.options.logger?.info({ mode, ms: Math.round(ms), computedAt: result.snapshot.computedAt }, 'dashboard figures refreshed');
        return result;
      })
      .catch((err: unknown) => {
        this.failedAt = this.clock();
        this.options.logger?.error({ err }, 'dashboard figures could not be refreshed; serving the previous ones');
        throw err;
      })
      .finally(() => {
        this.pending = null;
      });
    this.pending = run;
    return run;
  }

  /** The metrics job's latest snapshot, when it was computed with the same settings (SLA hours, no --since). */
  private storedSnapshot(): Promise<MetricsSnapshot | null> {
    this.stored ??= this.options.store.listMetricSnapshots(1).then(
      ([row]) => {
        if (!row) return null;
        const snapshot = JSON.parse(row.figures) as MetricsSnapshot;
        return snapshot.slaHours === this.options.slaHours && snapshot.since === null ? snapshot : null;
      },
      (err: unknown) => {
        this.options.logger?.warn({ err }, 'could not read the latest metrics snapshot');
        return null;
      },
    );
    return this.stored;
  }

  /**
   * Live contacts by the status they had just before the current definition version's first decision, from
   * the audit log (`statusesAt`); a lead with no decision before then counts under no status.
   */
  async statusBeforeVersion(figures: DashboardFigures): Promise<Record<LeadStatus, number> | null> {
    const cutoff = figures.versions.currentSince;
    if (cutoff === null) return null;
    if (this.statusesThen === null || this.statusesThen.cutoff !== cutoff) this.statusesThen = { cutoff, byId: new Map() };
    const known = this.statusesThen.byId;
    const missing = figures.contactsBeforeVersion.filter((id) => !known.has(id));
    if (missing.length > 0) {
      const found = await this.options.store.statusesAt(missing, cutoff - 1);
      for (const id of missing) known.set(id, found.get(id) ?? null);
    }
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;
    for (const id of figures.contactsBeforeVersion) {
      const status = known.get(id);
      if (status) counts[status]++;
    }
    return counts;
  }
}

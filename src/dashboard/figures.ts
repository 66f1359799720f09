import type { Logger } from 'pino';
import { STATUSES, type LeadStatus } from '../definition/types';
import { runFigureTask, type ComputeMode } from '../figures-worker';
import { DEFAULT_PERIOD_DAYS, lastDays, type MetricsSnapshot, type Period, type PeriodHeader } from '../metrics';
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
  /** The period asked for (null: every record); a stored snapshot counts every record (see `origin`). */
  period: Period | null;
  snapshot: MetricsSnapshot;
  /**
   * `computed`: by the dashboard from the mirror, for the period; `stored`: the metrics job's latest snapshot
   * (every record, no period), right after a start, while the default period's figures are computed.
   */
  origin: 'computed' | 'stored';
  /** The header figures of the period; null while only the stored snapshot is in hand. */
  header: PeriodHeader | null;
}

/** A failed refresh is retried at the next view after this long, not at every view. */
const RETRY_AFTER_FAILURE_MS = 10_000;

/** Periods whose figures are kept: the default one, and the few a reader switches between. */
export const MAX_PERIODS = 8;

/** One period's figures: in hand, being refreshed, or failed. */
interface PeriodEntry {
  /** null: every record, no period (the metrics job's figures). */
  period: Period | null;
  latest: { at: number; figures: DashboardFigures } | null;
  pending: Promise<DashboardFigures> | null;
  failedAt: number | null;
}

const keyOf = (p: Period | null) => (p === null ? 'all' : `${p.from}..${p.to}`);

/**
 * The figures, per period, served from memory and never computed in the request path: reading and computing
 * a 100,000-contact mirror takes seconds. When a period's figures in hand are `maxAgeMs` old, a view starts
 * a refresh in the background (a worker thread, see src/figures-worker) and is answered with what is in hand;
 * concurrent views of a period share one refresh. The figures of the last MAX_PERIODS periods viewed are
 * kept. Right after a start, before the default period's first refresh has finished, the metrics job's
 * latest stored snapshot stands in for its metrics figures (labelled as counting every record). A request
 * waits only when nothing exists yet for its period (a period not viewed before, or the views the stored
 * snapshot does not keep, such as the header and the cycle distribution): the wait is in the worker, off
 * the event loop.
 */
export class FigureSource {
  private readonly entries = new Map<string, PeriodEntry>();
  /** The metrics job's latest snapshot, read once (undefined: not read yet; null: none usable). */
  private stored: Promise<MetricsSnapshot | null> | undefined;
  /** Status of each lead just before the current version: the past does not change, so it is kept per cutoff. */
  private statusesThen: { cutoff: number; byId: Map<string, LeadStatus | null> } | null = null;
  private readonly clock: () => number;
  /** How the last refresh ran and how long it took (wall time), for logs, tests and the benchmark. */
  lastRefresh: { mode: ComputeMode; ms: number; at: number; period: Period | null } | null = null;

  constructor(private readonly options: FigureSourceOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The period of a page asked for without one: the last 90 days, today (UTC, by the clock) included. */
  defaultPeriod(): Period {
    return lastDays(DEFAULT_PERIOD_DAYS, this.clock());
  }

  /** True while a refresh of any period is running. */
  get refreshing(): boolean {
    return [...this.entries.values()].some((e) => e.pending !== null);
  }

  /**
   * Every figure of the period (the metrics snapshot, the header and the dashboard's own views), all from one
   * mirror read: the latest in memory, refreshed in the background when stale. Waits only for the period's
   * very first computation.
   */
  async current(period: Period | null = this.defaultPeriod()): Promise<DashboardFigures> {
    const entry = this.entryOf(period);
    if (entry.latest === null) return entry.pending ?? this.refresh(entry);
    this.refreshIfStale(entry);
    return entry.latest.figures;
  }

  /**
   * The metrics figures alone (funnel, velocity, hand-off, the JSON snapshot) and the header: as `current()`,
   * except that the default period (`explicit` false) and every record (null), before their first computation
   * has finished, are answered with the metrics job's latest stored snapshot and no header.
   */
  async snapshot(period: Period | null = this.defaultPeriod(), explicit = false): Promise<ServedSnapshot> {
    const entry = this.entryOf(period);
    // Started before the stored snapshot is read, so the two overlap; after a failure, not at every view.
    this.refreshIfStale(entry);
    const served = (f: DashboardFigures): ServedSnapshot => ({ period, snapshot: f.snapshot, origin: 'computed', header: f.header });
    if (entry.latest !== null) return served(entry.latest.figures);
    if (!explicit) {
      const stored = await this.storedSnapshot();
      if (stored !== null) return { period, snapshot: stored, origin: 'stored', header: null };
    }
    return served(await (entry.pending ?? this.refresh(entry)));
  }

  /** Waits for the refreshes in flight, if any (tests, the benchmark, a graceful stop). Never rejects. */
  async settled(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.pending?.catch(() => undefined)));
  }

  /** Marks every period's figures stale: the next view starts a refresh (tests, and after a definition release). */
  invalidate(): void {
    for (const e of this.entries.values()) {
      if (e.latest !== null) e.latest = { ...e.latest, at: -Infinity };
      e.failedAt = null;
    }
  }

  /** The period's entry, made the most recently used; the least recently used idle ones beyond MAX_PERIODS go. */
  private entryOf(period: Period | null): PeriodEntry {
    const key = keyOf(period);
    const entry = this.entries.get(key) ?? { period, latest: null, pending: null, failedAt: null };
    this.entries.delete(key);
    this.entries.set(key, entry);
    for (const [k, e] of this.entries) {
      if (this.entries.size <= MAX_PERIODS) break;
      if (e !== entry && e.pending === null) this.entries.delete(k);
    }
    return entry;
  }

  private refreshIfStale(entry: PeriodEntry): void {
    const now = this.clock();
    // No figures at all counts as stale.
    if (entry.pending !== null || (entry.latest !== null && now - entry.latest.at < this.options.maxAgeMs)) return;
    if (entry.failedAt !== null && now - entry.failedAt < Math.min(RETRY_AFTER_FAILURE_MS, this.options.maxAgeMs || RETRY_AFTER_FAILURE_MS)) return;
    // Nobody waits for a background refresh: its failure is logged here, and the figures in hand stay.
    this.refresh(entry).catch(() => undefined);
  }

  private refresh(entry: PeriodEntry): Promise<DashboardFigures> {
    const now = this.clock();
    const started = performance.now();
    const { store, databaseUrl, slaHours } = this.options;
    const { period } = entry;
    const run = runFigureTask({ kind: 'dashboard', now, slaHours, period }, { store, ...(databaseUrl === undefined ? {} : { databaseUrl }) })
      .then(({ result, mode }) => {
        const figures = result as DashboardFigures;
        const ms = performance.now() - started;
        entry.latest = { at: now, figures };
        entry.failedAt = null;
        this.lastRefresh = { mode, ms, at: now, period };
        this.options.logger?.info({ mode, ms: Math.round(ms), computedAt: figures.snapshot.computedAt, period }, 'dashboard figures refreshed');
        return figures;
      })
      .catch((err: unknown) => {
        entry.failedAt = this.clock();
        this.options.logger?.error({ err, period }, 'dashboard figures could not be refreshed; serving the previous ones');
        throw err;
      })
      .finally(() => {
        entry.pending = null;
      });
    entry.pending = run;
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

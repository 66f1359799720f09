import type { Facts } from '../definition';

/**
 * A property's past as HubSpot serves it in `propertiesWithHistory`: newest first, each value with the
 * instant it was set (epoch ms here) and who set it. An empty value is a clear.
 */
export interface HistoryPoint {
  value: string | null;
  timestamp: number;
  sourceType?: string;
  sourceId?: string;
}
export type Histories = Readonly<Record<string, readonly HistoryPoint[]>>;

/**
 * HubSpot keeps a bounded number of past values per property: a history that holds the bound may have
 * lost older values, so before its oldest entry the property's value is unknown (not empty). The bound is
 * not stated in HubSpot's API reference (searched: docs, issues, pages; no figure found), so it is a
 * parameter; the sandbox serves the same constant (src/sandbox PROPERTY_HISTORY_BOUND).
 */
export const DEFAULT_HISTORY_BOUND = 20;

/** One record's inputs: today's facts and the history of every property the definition reads. */
export interface RecordPast {
  current: Facts;
  history: Histories;
}

/** Per property, its values oldest first; `knownFrom` is when its value stops being unknown. */
interface Track {
  name: string;
  times: number[];
  values: Array<string | null>;
  knownFrom: number;
  /** No history at all: today's value, undated, is used at every instant. */
  undated: boolean;
  current: string | null;
}

/**
 * The facts of one record at any instant, built from its histories. A property without history entries
 * keeps today's value throughout (HubSpot answers an empty history for a property never set, and the
 * value, if any, cannot be dated). A property whose history is shorter than the bound is complete: before
 * its first entry it was unset. A property whose history reaches the bound is known from its oldest entry.
 */
export class FactsTimeline {
  private readonly tracks: Track[];
  /** The first instant at which every property's value is known. */
  readonly knownFrom: number;
  /** Whether some property's history may have lost values older than `knownFrom`, or a value is undated. */
  readonly truncated: boolean;
  /** Properties with a value today and no history: when they got it cannot be told. */
  readonly undated: readonly string[];

  constructor(properties: readonly string[], past: RecordPast, bound: number) {
    this.tracks = [];
    let knownFrom = -Infinity;
    let truncated = false;
    const undated: string[] = [];
    for (const name of properties) {
      const entries = past.history[name] ?? [];
      const current = textOrNull(past.current[name]);
      // HubSpot serves newest first; sort defensively (equal timestamps keep HubSpot's order reversed).
      const ordered = entries.slice().reverse();
      ordered.sort((a, b) => a.timestamp - b.timestamp);
      const track: Track = { name, times: ordered.map((e) => e.timestamp), values: ordered.map((e) => textOrNull(e.value)), knownFrom: -Infinity, undated: ordered.length === 0, current };
      // A value set today with no history cannot be dated: the earliest facts are then not dated evidence.
      if (track.undated && current !== null) {
        truncated = true;
        undated.push(name);
      }
      if (entries.length >= bound && ordered.length > 0) {
        track.knownFrom = ordered[0]!.timestamp;
        truncated = true;
        if (track.knownFrom > knownFrom) knownFrom = track.knownFrom;
      }
      this.tracks.push(track);
    }
    this.knownFrom = knownFrom;
    this.truncated = truncated;
    this.undated = undated;
  }

  /** Every instant some value changed, ascending, without repeats. */
  changeTimes(): number[] {
    const all = new Set<number>();
    for (const t of this.tracks) for (const time of t.times) all.add(time);
    return [...all].sort((a, b) => a - b);
  }

  /** The record's facts at `at` (values set at exactly `at` included). */
  at(at: number): Record<string, string | null> {
    const facts: Record<string, string | null> = {};
    for (const t of this.tracks) {
      if (t.undated) {
        facts[t.name] = t.current;
        continue;
      }
      const i = lastAtOrBefore(t.times, at);
      facts[t.name] = i < 0 ? null : t.values[i]!;
    }
    return facts;
  }
}

function textOrNull(v: string | null | undefined): string | null {
  return v === undefined || v === null || v === '' ? null : v;
}

/** Index of the last time <= at, or -1. */
function lastAtOrBefore(times: readonly number[], at: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

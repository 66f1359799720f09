/**
 * What tests and benchmarks look at: a bounded log of API requests and per-endpoint call counters.
 * Endpoint keys are `METHOD /path` with the object type as called and ids as placeholders, e.g.
 * `POST /crm/v3/objects/contacts/batch/update` or `GET /crm/v3/objects/contacts/{objectId}`.
 */
export interface RequestLogEntry {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: string;
  /** Call-counter key; `UNMATCHED` for paths the sandbox does not serve. */
  endpoint: string;
  status: number;
  durationMs: number;
  /** App id of the caller when the token was valid. */
  appId?: number;
  /** The injected fault, when one decided the answer. */
  fault?: string;
  /** Parsed request body and raw response text, kept only with `captureBodies`. */
  requestBody?: unknown;
  responseText?: string;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<(entry: RequestLogEntry) => void>();

  constructor(
    private readonly capacity = 10_000,
    readonly captureBodies = false,
  ) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    this.seq += 1;
    const full = { seq: this.seq, ...entry };
    this.entries.push(full);
    // Trim in chunks: a bounded log that never shifts one element per request.
    if (this.entries.length > this.capacity * 1.25) this.entries = this.entries.slice(-this.capacity);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** Entries, oldest first, optionally for one endpoint key. */
  list(endpoint?: string): RequestLogEntry[] {
    const recent = this.entries.slice(-this.capacity);
    return endpoint ? recent.filter((e) => e.endpoint === endpoint) : recent;
  }

  last(endpoint?: string): RequestLogEntry | undefined {
    for (let i = this.entries.length - 1; i >= 0; i -= 1) {
      const entry = this.entries[i] as RequestLogEntry;
      if (!endpoint || entry.endpoint === endpoint) return entry;
    }
    return undefined;
  }

  /** Parsed response body of an entry (needs `captureBodies`). */
  responseJson(entry: RequestLogEntry): unknown {
    if (entry.responseText === undefined) throw new Error('response bodies are not captured: start the sandbox with requestLog.captureBodies');
    return entry.responseText === '' ? undefined : (JSON.parse(entry.responseText) as unknown);
  }

  onRequest(listener: (entry: RequestLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first logged request (from now on) that satisfies the predicate. */
  waitFor(predicate: (entry: RequestLogEntry) => boolean, timeoutMs = 10_000): Promise<RequestLogEntry> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onRequest((entry) => {
        if (!predicate(entry)) return;
        clearTimeout(timer);
        off();
        resolve(entry);
      });
    });
  }

  clear(): void {
    this.entries = [];
  }
}

export class CallCounters {
  private readonly counts = new Map<string, number>();

  increment(endpoint: string): void {
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
  }

  /** Calls made to one endpoint key since the last reset. */
  count(endpoint: string): number {
    return this.counts.get(endpoint) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  all(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }
}

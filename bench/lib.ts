/** One benchmark: it measures the product against a baseline in the same run and returns named figures. */
export interface BenchResult {
  /** Public figures, e.g. `evaluator.evals_per_sec`. Names are an interface: never rename one. */
  figures: Record<string, number>;
  /** Rows for the printed table: what was measured, for the product and for the baseline. */
  rows: Array<{ measure: string; value: string; note?: string }>;
}

export interface Bench {
  /** Short name, used to pick benches: `npm run bench -- evaluator`. */
  name: string;
  run(): Promise<BenchResult>;
}

/** Wall-clock helper: runs fn repeatedly for at least minMs and returns operations per second. */
export function opsPerSecond(fn: () => number, minMs = 1000): number {
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    ops += fn();
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (ops * 1000) / elapsedMs;
}

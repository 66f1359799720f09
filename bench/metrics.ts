import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Bench } from './lib';
import { writePortal } from './metrics-portal';

const CONTACTS = 1_000_000;
const DEALS = 200_000;

interface ChildRun {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  sampledRssMb: number;
  counts: Record<string, number>;
}

/** One run in a fresh Node process (bench/metrics-job-child.ts), so the peak RSS is the run's own. */
async function runChild(file: string, mode: 'streamed' | 'in-memory'): Promise<ChildRun> {
  const script = path.join(__dirname, 'metrics-job-child.js');
  const { stdout } = await promisify(execFile)(process.execPath, [script, file, mode], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildRun;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The metrics job at enterprise scale: 1,000,000 contacts, 200,000 deals and their audit log (about 2.3
 * decisions a contact) in a SQLite store, the job run as `uld serve` runs it (worker thread, the store
 * streamed through the metrics fold) in a fresh process. Loading the store is not measured. The baseline,
 * in its own fresh process on the same store, is the read before: the whole mirror and the audit log's
 * firsts in memory (listMirror), then computeMetrics over the arrays.
 */
export const metricsBench: Bench = {
  name: 'metrics',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-bench-metrics-'));
    const file = path.join(dir, 'uld.db');
    try {
      const loadStart = performance.now();
      const written = await writePortal(file, { contacts: CONTACTS, deals: DEALS });
      const loadMs = performance.now() - loadStart;
      const streamed = await runChild(file, 'streamed');
      const inMemory = await runChild(file, 'in-memory');
      if (streamed.counts.contacts !== CONTACTS || streamed.counts.deals !== DEALS) throw new Error(`the job read ${JSON.stringify(streamed.counts)}, not the portal written`);
      const peak = Math.max(streamed.maxRssMb, streamed.sampledRssMb);
      const basePeak = Math.max(inMemory.maxRssMb, inMemory.sampledRssMb);
      return {
        figures: {
          'metrics.job_ms_1m': Math.round(streamed.ms),
          'metrics.job_peak_rss_mb_1m': Math.round(peak),
          'metrics.job_cpu_ms_1m': Math.round(streamed.cpuMs),
          'metrics.in_memory_ms_1m': Math.round(inMemory.ms),
          'metrics.in_memory_peak_rss_mb_1m': Math.round(basePeak),
        },
        rows: [
          { measure: 'metrics job, wall ms (metrics.job_ms_1m)', value: streamed.ms.toFixed(0), note: `${CONTACTS.toLocaleString('en-US')} contacts, ${DEALS.toLocaleString('en-US')} deals, ${written.decisions.toLocaleString('en-US')} decisions in SQLite; fresh process, worker thread; target <= 10,000` },
          { measure: 'metrics job, peak RSS MB (metrics.job_peak_rss_mb_1m)', value: peak.toFixed(0), note: `getrusage max ${streamed.maxRssMb.toFixed(0)}, sampled every 20 ms ${streamed.sampledRssMb.toFixed(0)}; the whole process; target <= 500` },
          { measure: 'metrics job, CPU ms', value: streamed.cpuMs.toFixed(0), note: 'user + system, both threads: the wall time on a machine to itself' },
          { measure: 'baseline: whole mirror in memory, wall ms', value: inMemory.ms.toFixed(0), note: 'listMirror + computeMetrics over the arrays, fresh process, same store' },
          { measure: 'baseline: whole mirror in memory, peak RSS MB', value: basePeak.toFixed(0), note: 'same run' },
          { measure: 'ratio: baseline / job, wall and RSS', value: `${r1(inMemory.ms / streamed.ms)}x / ${r1(basePeak / peak)}x`, note: 'same store' },
          { measure: 'store load, ms (not in the figures)', value: loadMs.toFixed(0), note: 'prepared inserts in one transaction' },
        ],
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

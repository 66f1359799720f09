import { metricsJob } from '../jobs/metrics';
import { computeMetrics, snapshotOf } from '../src/metrics';
import { openStore } from '../src/store';
import { PORTAL_NOW } from './metrics-portal';

/**
 * One metrics run in a fresh process, so its RSS is its own: `streamed`, the metrics job as the product runs
 * it (worker thread, streamed store read); `in-memory`, the way it was before (listMirror, then
 * computeMetrics over the arrays). Prints one JSON line: wall ms, peak RSS (getrusage's max, and the
 * highest of process.memoryUsage().rss sampled every 20 ms), and the run's counts.
 */
async function main(): Promise<void> {
  const [file, mode] = process.argv.slice(2);
  const databaseUrl = `sqlite:${file}`;
  const store = await openStore(databaseUrl, { migrate: false });
  let sampled = process.memoryUsage().rss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);
  const start = performance.now();
  let counts: Record<string, number>;
  if (mode === 'in-memory') {
    const mirror = await store.listMirror();
    const metrics = computeMetrics({ ...mirror, now: PORTAL_NOW, slaHours: 24 });
    JSON.stringify(snapshotOf(metrics, PORTAL_NOW));
    counts = { contacts: mirror.contacts.length, deals: mirror.deals.length, cohorts: metrics.byCohort.length, slaBreaches: metrics.slaBreachedContactIds.length };
  } else {
    counts = await metricsJob({ store, now: PORTAL_NOW, slaHours: 24, databaseUrl });
  }
  const ms = performance.now() - start;
  clearInterval(sampler);
  sampled = Math.max(sampled, process.memoryUsage().rss);
  const cpuMs = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  await store.close();
  process.stdout.write(`${JSON.stringify({ ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, sampledRssMb: sampled / 2 ** 20, counts })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

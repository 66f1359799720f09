import { PER_WINDOW, RSS_SAMPLE_MS, WINDOW_MS, callsByKind, describePeak, limitNote, measureBackfill, peakRssOf, round } from './backfill-process';
import type { Bench } from './lib';

/**
 * `uld backfill --no-history` of a portal with 100,000 contacts, 20,000 companies and 20,000 deals at
 * HubSpot's Professional limit (190 calls per rolling 10 s), against the floor: the fewest calls that
 * carry every record at 100 per call (1,000 for associations), divided by the calls per second the limit
 * allows. Also the backfill process's peak RSS and the 429s seen. The run itself: ./backfill-process.ts.
 */
export const backfillBench: Bench = {
  name: 'backfill',
  async run() {
    const run = await measureBackfill(false);
    const { out, floor } = run;
    const floorCalls = floor.reduce((s, l) => s + l.calls, 0);
    const callsPerSecond = (PER_WINDOW * 1000) / WINDOW_MS;
    const floorSeconds = floorCalls / callsPerSecond;
    const wallSeconds = out.wallMs / 1000;
    const ratioToFloor = round(wallSeconds / floorSeconds, 3);
    const callRatio = round(run.calls / floorCalls, 3);
    const peakRssMb = peakRssOf(out);
    return {
      figures: {
        'backfill.ratio_to_floor': ratioToFloor,
        'backfill.peak_rss_mb': peakRssMb,
        'backfill.http_429': run.http429,
        'backfill.wall_seconds': round(wallSeconds, 1),
        'backfill.floor_seconds': round(floorSeconds, 1),
        'backfill.calls': run.calls,
        'backfill.floor_calls': floorCalls,
        'backfill.call_ratio_to_floor': callRatio,
      },
      rows: [
        { measure: `wall time: ${run.contactCount}`, value: `${wallSeconds.toFixed(1)} s`, note: `${limitNote()}; ${out.counts.records} records in ${out.counts.pages} pages` },
        {
          measure: 'floor: ceil(objects / batch) per call kind, / calls per second',
          value: `${floorCalls} calls / ${round(callsPerSecond, 2)} per s = ${floorSeconds.toFixed(1)} s`,
          note: floor.map((l) => `${l.kind}: ${l.objects}/${l.batch} -> ${l.calls}`).join('; '),
        },
        { measure: 'wall / floor', value: ratioToFloor.toFixed(3), note: 'target <= 1.15' },
        { measure: 'calls made / floor calls', value: `${run.calls} / ${floorCalls} = ${callRatio.toFixed(3)}`, note: callsByKind(out) },
        { measure: 'peak RSS of the backfill process', value: `${peakRssMb} MB`, note: `sampled every ${RSS_SAMPLE_MS} ms (${Math.round(out.peakRssMb)} MB) and the kernel's maxRSS (${Math.round(out.maxRssMb)} MB); at the peak sample: ${describePeak(out.atPeak)}; the sandbox runs in another process; SQLite store ${Math.round(out.storeMb)} MB on disk; target < 300 MB` },
        { measure: '429s', value: String(run.http429), note: `sandbox answered ${run.sandbox429}, gateway saw ${out.rateLimited}; gateway retries ${out.retries}; calls counted by the gateway ${run.gatewayCalls}, by the sandbox ${run.sandboxCalls}` },
      ],
    };
  },
};

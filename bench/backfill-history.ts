import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { HISTORY_BATCH, PER_WINDOW, RSS_SAMPLE_MS, WINDOW_MS, callsByKind, describePeak, floorLine, limitNote, measureBackfill, peakRssOf, round } from './backfill-process';
import type { Bench } from './lib';
import type { ReplayThroughput } from './replay';

/**
 * The replay core's throughput in a process of its own: measured in this one, right after the backfill, it
 * shared a heap still holding the 100,000-contact sandbox portal, and the garbage collector's work on that
 * heap, not the replay, set the figure (256,000 evaluations/s one run, 515,000 another; 650,000 alone).
 */
function measureReplayAlone(): ReplayThroughput {
  return JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'replay.js')], { encoding: 'utf8' })) as ReplayThroughput;
}

/**
 * `uld backfill` with history replay (its default) of the same portal as the `backfill` bench, every
 * contact carrying about 20 dated values across the example definition's inputs (its own and its primary
 * company's). Its calls against a floor that adds to the `backfill` bench's floor the history reads at 50
 * records per call: every contact once, every primary company once. Also the backfill process's peak RSS,
 * and the replay core's throughput (./replay.ts: evaluations per second over a generated portal).
 */
export const backfillHistoryBench: Bench = {
  name: 'backfill-history',
  async run() {
    const run = await measureBackfill(true);
    const { out } = run;
    const reads = (type: string) => out.historyReads[type] ?? { calls: 0, records: 0, distinct: 0 };
    if (reads('contacts').calls === 0) throw new Error('the backfill read no contact history: history replay did not run');
    const floor = [...run.floor, floorLine('contacts.history.read', run.n.contacts, HISTORY_BATCH), floorLine('companies.history.read', run.primaryCompanies, HISTORY_BATCH)];
    const floorCalls = floor.reduce((s, l) => s + l.calls, 0);
    const ratio = round(run.calls / floorCalls, 3);
    const callsPerSecond = (PER_WINDOW * 1000) / WINDOW_MS;
    const wallSeconds = out.wallMs / 1000;
    const floorSeconds = floorCalls / callsPerSecond;
    const peakRssMb = peakRssOf(out);
    const replay = measureReplayAlone();
    const readNote = (type: string, floorRecords: number) => {
      const r = reads(type);
      return `${type}: ${r.calls} calls for ${r.records} records (${r.distinct} distinct; floor ${floorRecords} once each, ${Math.ceil(floorRecords / HISTORY_BATCH)} calls)`;
    };
    return {
      figures: {
        'backfill.history_ratio_to_floor': ratio,
        'backfill.history_peak_rss_mb': peakRssMb,
        'backfill.replay_evals_per_sec': replay.evalsPerSec,
        'backfill.history_calls': run.calls,
        'backfill.history_floor_calls': floorCalls,
        'backfill.history_wall_seconds': round(wallSeconds, 1),
        'backfill.history_floor_seconds': round(floorSeconds, 1),
        'backfill.history_http_429': run.http429,
        'backfill.history_points_per_contact': run.pointsPerContact.withCompany,
        'backfill.replay_contacts_per_sec': replay.contactsPerSec,
      },
      rows: [
        {
          measure: `wall time with history replay: ${run.contactCount}`,
          value: `${wallSeconds.toFixed(1)} s`,
          note: `${limitNote()}; floor time ${floorSeconds.toFixed(1)} s; ${out.counts.records} records in ${out.counts.pages} pages; ${run.qualifiedAt} contacts carry uld_qualified_at`,
        },
        {
          measure: 'history points per contact (as served, at most 20 per property)',
          value: `${run.pointsPerContact.withCompany}`,
          note: `${run.pointsPerContact.contact} on the contact's inputs, the rest on its primary company's`,
        },
        {
          measure: 'floor: the backfill floor + history reads at 50 per call',
          value: `${floorCalls} calls`,
          note: floor.map((l) => `${l.kind}: ${l.objects}/${l.batch} -> ${l.calls}`).join('; '),
        },
        { measure: 'calls made / floor calls', value: `${run.calls} / ${floorCalls} = ${ratio.toFixed(3)}`, note: `target <= 1.15; ${callsByKind(out)}` },
        { measure: 'history reads', value: `${reads('contacts').calls + reads('companies').calls} calls`, note: `${readNote('contacts', run.n.contacts)}; ${readNote('companies', run.primaryCompanies)}; counted under <type>.batch.read above` },
        { measure: 'peak RSS of the backfill process', value: `${peakRssMb} MB`, note: `sampled every ${RSS_SAMPLE_MS} ms (${Math.round(out.peakRssMb)} MB) and the kernel's maxRSS (${Math.round(out.maxRssMb)} MB); at the peak sample: ${describePeak(out.atPeak)}; target <= 300 MB` },
        {
          measure: 'replayed in the backfill',
          value: `${out.replay?.contacts ?? 0} contacts`,
          note: `${out.replay?.evaluations ?? 0} evaluations, ${out.replay?.historyPoints ?? 0} contact history points read; first sales_ready dated ${out.replay?.salesReadyDated ?? 0}, undated (before the kept history) ${out.replay?.salesReadyUndated ?? 0}`,
        },
        { measure: 'replay evaluations per second', value: `${replay.evalsPerSec}`, note: `the replay core over ${replay.contacts} generated contacts (${replay.pointsPerContact} history points, ${round(replay.evaluations / replay.contacts, 1)} evaluations each): ${replay.contactsPerSec} contacts/s` },
        { measure: '429s', value: String(run.http429), note: `sandbox answered ${run.sandbox429}, gateway saw ${out.rateLimited}; gateway retries ${out.retries}; calls counted by the gateway ${run.gatewayCalls}, by the sandbox ${run.sandboxCalls}` },
      ],
    };
  },
};

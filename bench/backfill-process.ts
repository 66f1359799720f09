import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { backfill } from '../jobs/backfill';
import { compileDefinition, loadDefinitionFile } from '../src/definition';
import { createGateway } from '../src/hubspot';
import { startSandbox, type PortalChange } from '../src/sandbox';
import { openStore } from '../src/store';
import { SyncEngine } from '../src/sync/engine';
import { ensureProductProperties } from '../src/sync/install-properties';
import type { Bench } from './lib';

/**
 * Issue 6, acceptance 6: `uld backfill` of a portal with 100,000 contacts, 20,000 companies and 20,000
 * deals at HubSpot's Professional limit (190 calls per rolling 10 s), against the floor: the fewest calls
 * that carry every record at 100 per call (1,000 for associations), divided by the calls per second the
 * limit allows. Also the backfill process's peak RSS and the 429s seen.
 *
 * The sandbox portal (about 400 MB for 100,000 contacts with their history) runs in this process; the
 * backfill runs in a child process of its own, as `uld backfill` does, so its peak RSS is the product's
 * alone. The child is this file (`--child`): the gateway, a SQLite store in a temp dir, the sync engine and
 * `backfill()`, with the same limit on the gateway as on the sandbox.
 *
 * BENCH_BACKFILL_CONTACTS (default 100,000; companies and deals a fifth each) makes smaller trials;
 * BENCH_BACKFILL_WINDOW_MS (default 10,000) shortens the window with the same 190 calls in it, which
 * multiplies the rate and divides the floor time alike: the ratio keeps its meaning, but the machine's
 * own speed then weighs 10,000 / window times more.
 */

const CONTACTS = Number(process.env.BENCH_BACKFILL_CONTACTS ?? 100_000);
const COMPANIES = Math.round(CONTACTS / 5);
/** The generator aims at a deal count and lands under it (conversion chances saturate): asked so that about a fifth of the contacts get one. */
const DEALS_ASKED = Math.round((CONTACTS / 5) * 1.32);
/** HubSpot Professional: 190 calls per rolling 10 s. */
const PER_WINDOW = 190;
const WINDOW_MS = Number(process.env.BENCH_BACKFILL_WINDOW_MS ?? 10_000);
const SEED = 61;
const BATCH = 100;
const ASSOCIATION_BATCH = 1000;
const RSS_SAMPLE_MS = 100;
const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

interface ChildInput {
  url: string;
  accessToken: string;
  perWindow: number;
  windowMs: number;
}

/** What the backfill process's memory was made of at its peak sample, in MB. */
interface MemoryAtPeak {
  rss: number;
  /** V8's heap as committed (what it takes from the OS), and the part of it that was in use. */
  heapTotal: number;
  heapUsed: number;
  /** What JS objects hold outside V8's heap, and the part of it in ArrayBuffers and Buffers (HTTP bodies). */
  external: number;
  arrayBuffers: number;
  /** The RSS that maps files (Node's binary and libraries: code) and the anonymous rest (every heap). */
  file: number;
  anonymous: number;
}

interface ChildOutput {
  wallMs: number;
  peakRssMb: number;
  atPeak: MemoryAtPeak;
  maxRssMb: number;
  calls: Record<string, number>;
  rateLimited: number;
  retries: number;
  counts: Record<string, number>;
  /** Size of the SQLite files (database and WAL) at the end. */
  storeMb: number;
}

/** The backfill process: what `uld backfill` does, measured. */
async function child(input: ChildInput): Promise<ChildOutput> {
  let peakRss = 0;
  let atPeak: MemoryAtPeak | undefined;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss <= peakRss) return;
    peakRss = m.rss;
    // Read only at a new peak: the split of the RSS between mapped files and anonymous memory.
    const rollup = readRollup();
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    atPeak = { rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), file: mb(rollup.file), anonymous: mb(rollup.anonymous) };
  };
  sample();
  const sampler = setInterval(sample, RSS_SAMPLE_MS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-bench-backfill-'));
  const store = await openStore(`sqlite:${path.join(dir, 'uld.db')}`);
  const gateway = createGateway({ accessToken: input.accessToken, baseUrl: input.url, rateLimitPer10s: input.perWindow, rateLimitWindowMs: input.windowMs });
  const definition = compileDefinition(loadDefinitionFile(EXAMPLE));
  const engine = new SyncEngine({ gateway, store, definition, logger: pino({ level: 'silent' }), owner: 'bench-backfill' });
  try {
    let blocks = 0;
    const start = performance.now();
    const counts = await backfill({
      gateway,
      store,
      engine,
      onProgress: (p) => {
        if (++blocks % (Number(process.env.BENCH_BACKFILL_PROGRESS_EVERY) || 20) === 0 || p.done) {
          const m = process.memoryUsage();
          process.send?.({ progress: `${p.objectType}: ${p.records} records, ${Object.values(gateway.calls()).reduce((a, b) => a + b, 0)} calls, ${((performance.now() - start) / 1000).toFixed(0)} s, RSS ${Math.round(m.rss / 2 ** 20)} MB (heap ${Math.round(m.heapUsed / 2 ** 20)} of ${Math.round(m.heapTotal / 2 ** 20)} MB, external ${Math.round(m.external / 2 ** 20)} MB)` });
        }
      },
    });
    const wallMs = performance.now() - start;
    clearInterval(sampler);
    sample();
    const stats = gateway.stats();
    const storeBytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    return {
      wallMs,
      peakRssMb: peakRss / 2 ** 20,
      atPeak: atPeak!,
      // Linux reports kilobytes.
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      calls: { ...gateway.calls() },
      rateLimited: stats.rateLimited,
      retries: stats.retries,
      counts,
      storeMb: storeBytes / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
    await store.close();
    gateway.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Linux's split of the process's RSS (smaps_rollup); zeros where there is no /proc. */
function readRollup(): { file: number; anonymous: number } {
  try {
    const text = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { file: kb('Rss') - kb('Anonymous'), anonymous: kb('Anonymous') };
  } catch {
    return { file: 0, anonymous: 0 };
  }
}

function runChild(input: ChildInput): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--child', JSON.stringify(input)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let output: ChildOutput | undefined;
    let failure: string | undefined;
    proc.on('message', (m: { progress?: string; result?: ChildOutput; error?: string }) => {
      if (m.progress) process.stdout.write(`  backfill ${m.progress}\n`);
      if (m.result) output = m.result;
      if (m.error) failure = m.error;
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (output) resolve(output);
      else reject(new Error(`the backfill process exited with ${code}${failure ? `: ${failure}` : ''}`));
    });
  });
}

/** The peak's parts: V8's heap, the Buffers outside it, code mapped from files, and the native rest (SQLite, the allocator, Node). */
function describePeak(p: MemoryAtPeak): string {
  const native = p.anonymous - p.heapTotal - p.arrayBuffers;
  return `V8 heap ${p.heapTotal} MB committed (${p.heapUsed} in use), Buffers ${p.arrayBuffers} MB, mapped files ${p.file} MB, other native ${native} MB`;
}

const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)] as const).filter(([, v]) => v > 0));
const total = (counts: Record<string, number>) => Object.values(counts).reduce((n, v) => n + v, 0);
const ceilDiv = (n: number, size: number) => Math.ceil(n / size);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export const backfillBench: Bench = {
  name: 'backfill',
  async run() {
    const sandbox = await startSandbox({
      seed: SEED,
      contacts: CONTACTS,
      companies: COMPANIES,
      deals: DEALS_ASKED,
      tier: 'professional',
      rateLimit: { perWindow: PER_WINDOW, windowMs: WINDOW_MS },
    });
    try {
      const { portal } = sandbox;
      const n = { contacts: [...portal.ids('contacts')].length, companies: [...portal.ids('companies')].length, deals: [...portal.ids('deals')].length };
      // The install's property calls are not the backfill's: made first, then the sandbox's window is emptied.
      const installer = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: PER_WINDOW, rateLimitWindowMs: WINDOW_MS });
      await ensureProductProperties(installer);
      installer.close();
      sandbox.rateLimiter.reset();

      // What the backfill writes, record by record: the objects the update floor counts.
      const written = { contacts: new Set<string>(), companies: new Set<string>(), deals: new Set<string>() };
      const unsubscribe = portal.onChange((c: PortalChange) => {
        if (c.kind === 'propertyChange' && c.source.sourceType === 'INTEGRATION' && c.objectType in written) written[c.objectType as keyof typeof written].add(c.objectId);
      });
      let sandbox429 = 0;
      const offRequests = sandbox.requests.onRequest((e) => {
        if (e.status === 429) sandbox429++;
      });
      const before = { ...sandbox.calls.all() };
      const out = await runChild({ url: sandbox.url, accessToken: sandbox.accessToken, perWindow: PER_WINDOW, windowMs: WINDOW_MS });
      unsubscribe();
      offRequests();
      const sandboxCalls = total(diff(sandbox.calls.all(), before));
      const engineTotal = total(out.calls);
      if (engineTotal !== sandboxCalls) throw new Error(`the gateway counted ${engineTotal} calls, the sandbox ${sandboxCalls}`);
      const unqualified = [...portal.ids('contacts')].filter((id) => !portal.get('contacts', id)!.properties.uld_status).length;
      if (unqualified > 0) throw new Error(`${unqualified} contacts have no uld_status after the backfill`);

      // The floor: every record paged once at 100 per call, every association list read at 1,000 per
      // call, every record that changed written once at 100 per call, and the pipelines once.
      const line = (kind: string, objects: number, batch: number) => ({ kind, objects, batch, calls: ceilDiv(objects, batch) });
      const floor = [
        line('contacts.page', n.contacts, BATCH),
        line('companies.page', n.companies, BATCH),
        line('deals.page', n.deals, BATCH),
        line('pipelines.deals.read', 1, 1),
        line('associations.contacts.companies.batch.read', n.contacts, ASSOCIATION_BATCH),
        line('associations.contacts.deals.batch.read', n.contacts, ASSOCIATION_BATCH),
        line('associations.deals.contacts.batch.read', n.deals, ASSOCIATION_BATCH),
        line('associations.deals.companies.batch.read', n.deals, ASSOCIATION_BATCH),
        line('contacts.batch.update', written.contacts.size, BATCH),
        line('companies.batch.update', written.companies.size, BATCH),
        line('deals.batch.update', written.deals.size, BATCH),
      ].filter((l) => l.objects > 0);
      const floorCalls = floor.reduce((s, l) => s + l.calls, 0);
      const callsPerSecond = (PER_WINDOW * 1000) / WINDOW_MS;
      const floorSeconds = floorCalls / callsPerSecond;
      const wallSeconds = out.wallMs / 1000;
      const ratioToFloor = round(wallSeconds / floorSeconds, 3);
      const callRatio = round(engineTotal / floorCalls, 3);
      const peakRssMb = Math.round(Math.max(out.peakRssMb, out.maxRssMb));
      const http429 = Math.max(sandbox429, out.rateLimited);
      const kinds = Object.entries(out.calls).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
      const scaled = WINDOW_MS !== 10_000;
      const limitNote = scaled
        ? `${PER_WINDOW} calls per ${WINDOW_MS / 1000} s window (Professional's 190 per 10 s with the window scaled by ${WINDOW_MS / 10_000}: rate and floor time scale alike, the ratio is wall / (floor calls / the scaled rate))`
        : `${PER_WINDOW} calls per rolling 10 s (HubSpot Professional), on the sandbox and the gateway`;
      return {
        figures: {
          'backfill.ratio_to_floor': ratioToFloor,
          'backfill.peak_rss_mb': peakRssMb,
          'backfill.http_429': http429,
          'backfill.wall_seconds': round(wallSeconds, 1),
          'backfill.floor_seconds': round(floorSeconds, 1),
          'backfill.calls': engineTotal,
          'backfill.floor_calls': floorCalls,
          'backfill.call_ratio_to_floor': callRatio,
        },
        rows: [
          {
            measure: `wall time: ${n.contacts.toLocaleString('en-US')} contacts, ${n.companies.toLocaleString('en-US')} companies, ${n.deals.toLocaleString('en-US')} deals`,
            value: `${wallSeconds.toFixed(1)} s`,
            note: `${limitNote}; ${out.counts.records} records in ${out.counts.pages} pages`,
          },
          {
            measure: 'floor: ceil(objects / batch) per call kind, / calls per second',
            value: `${floorCalls} calls / ${round(callsPerSecond, 2)} per s = ${floorSeconds.toFixed(1)} s`,
            note: floor.map((l) => `${l.kind}: ${l.objects}/${l.batch} -> ${l.calls}`).join('; '),
          },
          { measure: 'wall / floor', value: ratioToFloor.toFixed(3), note: 'target <= 1.15' },
          { measure: 'calls made / floor calls', value: `${engineTotal} / ${floorCalls} = ${callRatio.toFixed(3)}`, note: kinds },
          { measure: 'peak RSS of the backfill process', value: `${peakRssMb} MB`, note: `sampled every ${RSS_SAMPLE_MS} ms (${Math.round(out.peakRssMb)} MB) and the kernel's maxRSS (${Math.round(out.maxRssMb)} MB); at the peak sample: ${describePeak(out.atPeak)}; the sandbox runs in another process; SQLite store ${Math.round(out.storeMb)} MB on disk; target < 300 MB` },
          { measure: '429s', value: String(http429), note: `sandbox answered ${sandbox429}, gateway saw ${out.rateLimited}; gateway retries ${out.retries}` },
        ],
      };
    } finally {
      await sandbox.stop();
    }
  },
};

if (require.main === module && process.argv[2] === '--child') {
  const reply = (message: { result?: ChildOutput; error?: string }, code: number) => process.send?.(message, () => process.exit(code));
  child(JSON.parse(process.argv[3] ?? '{}') as ChildInput).then(
    (result) => reply({ result }, 0),
    (err: unknown) => reply({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 1),
  );
}

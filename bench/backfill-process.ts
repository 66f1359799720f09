import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { backfill } from '../jobs/backfill';
import { compileDefinition } from '../src/definition';
import { loadDefinitionFile } from '../src/definition-file';
import { createGateway } from '../src/hubspot';
import type { CrmObjectType } from '../src/hubspot/types';
import { PROPERTY_HISTORY_BOUND, startSandbox, type PortalChange } from '../src/sandbox';
import { openStore } from '../src/store';
import { SyncEngine } from '../src/sync/engine';
import { HistoryReplay } from '../src/sync/history-replay';
import { ensureProductProperties } from '../src/sync/install-properties';

/**
 * One measured `uld backfill` for the backfill benches (./backfill.ts without history replay,
 * ./backfill-history.ts with it): a portal of 100,000 contacts, 20,000 companies and 20,000 deals at
 * HubSpot's Professional limit (190 calls per rolling 10 s), the calls it took by kind, the records it
 * wrote, its wall time and its peak RSS.
 *
 * The sandbox portal (about 500 MB for 100,000 contacts with their history) runs in this process; the
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
export const PER_WINDOW = 190;
export const WINDOW_MS = Number(process.env.BENCH_BACKFILL_WINDOW_MS ?? 10_000);
const SEED = 61;
export const BATCH = 100;
const ASSOCIATION_BATCH = 1000;
export const RSS_SAMPLE_MS = 100;
const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

interface ChildInput {
  url: string;
  accessToken: string;
  perWindow: number;
  windowMs: number;
  /** Replay the definition over the contacts' and their companies' property history. */
  history: boolean;
}

/** What the backfill process's memory was made of at its peak sample, in MB. */
export interface MemoryAtPeak {
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

/** History reads of one object type: calls (50 records each at most), records asked, distinct records asked. */
export interface HistoryReads {
  calls: number;
  records: number;
  distinct: number;
}

interface ChildOutput {
  wallMs: number;
  peakRssMb: number;
  atPeak: MemoryAtPeak;
  maxRssMb: number;
  calls: Record<string, number>;
  /** By object type; the gateway counts them under `<type>.batch.read` with every other batch read. */
  historyReads: Record<string, HistoryReads>;
  /** The replay's own count: contacts replayed, evaluations, history points read (null without history). */
  replay: HistoryReplay['totals'] | null;
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
  const historyReads = countHistoryReads(gateway);
  const definition = compileDefinition(loadDefinitionFile(EXAMPLE));
  // As `uld backfill` builds it: with the history replay by default, without it for `--no-history`.
  const replay = input.history ? new HistoryReplay({ gateway }) : null;
  const engine = new SyncEngine({ gateway, store, definition, logger: pino({ level: 'silent' }), owner: 'bench-backfill', past: { replay, rewrite: false } });
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
      historyReads: historyReads(),
      replay: replay ? { ...replay.totals } : null,
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

/**
 * Counts the gateway's history reads by object type, as they go through (the gateway counts a history read
 * as `<type>.batch.read`, like a plain batch read). Calls are counted as the gateway sends them: the
 * distinct ids asked, 50 per call. The distinct records show a record read more than once.
 */
function countHistoryReads(gateway: ReturnType<typeof createGateway>): () => Record<string, HistoryReads> {
  const reads = new Map<string, { calls: number; records: number; seen: Set<string> }>();
  const readHistories = gateway.readHistories.bind(gateway);
  gateway.readHistories = (objectType: CrmObjectType, ids: string[], properties: string[]) => {
    const r = reads.get(objectType) ?? { calls: 0, records: 0, seen: new Set<string>() };
    reads.set(objectType, r);
    const distinct = new Set(ids);
    r.calls += Math.ceil(distinct.size / HISTORY_BATCH);
    r.records += distinct.size;
    for (const id of distinct) r.seen.add(id);
    return readHistories(objectType, ids, properties);
  };
  return () => Object.fromEntries([...reads].map(([type, r]) => [type, { calls: r.calls, records: r.records, distinct: r.seen.size }]));
}

/** HubSpot's batch read with `propertiesWithHistory`: 50 records per call. */
export const HISTORY_BATCH = 50;

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
export function describePeak(p: MemoryAtPeak): string {
  const native = p.anonymous - p.heapTotal - p.arrayBuffers;
  return `V8 heap ${p.heapTotal} MB committed (${p.heapUsed} in use), Buffers ${p.arrayBuffers} MB, mapped files ${p.file} MB, other native ${native} MB`;
}

const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)] as const).filter(([, v]) => v > 0));
export const total = (counts: Record<string, number>) => Object.values(counts).reduce((n, v) => n + v, 0);
export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** One kind of call of the floor: `objects` carried `batch` per call. */
export interface FloorLine {
  kind: string;
  objects: number;
  batch: number;
  calls: number;
}

export const floorLine = (kind: string, objects: number, batch: number): FloorLine => ({ kind, objects, batch, calls: Math.ceil(objects / batch) });

export interface BackfillRun {
  /** Records in the portal. */
  n: { contacts: number; companies: number; deals: number };
  /** Companies that are some contact's primary company: the company histories a replay needs. */
  primaryCompanies: number;
  out: ChildOutput;
  /** Calls made: the larger of the gateway's count and the sandbox's (they differ by a resent request). */
  calls: number;
  gatewayCalls: number;
  sandboxCalls: number;
  http429: number;
  sandbox429: number;
  /**
   * The floor without history: every record paged once at 100 per call, every association list read at
   * 1,000 per call, every record that changed written once at 100 per call, and the pipelines once.
   */
  floor: FloorLine[];
  /** Contacts that carry `uld_qualified_at` after the backfill (written from the replay). */
  qualifiedAt: number;
  /** Mean history points a replay reads per contact, as the sandbox serves them: its inputs' and with its primary company's. */
  pointsPerContact: { contact: number; withCompany: number };
  contactCount: string;
}

/** Builds the portal, runs the backfill in its own process, checks it finished, and counts its calls. */
export async function measureBackfill(history: boolean): Promise<BackfillRun> {
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
    const contactIds = portal.ids('contacts');
    const n = { contacts: contactIds.length, companies: portal.ids('companies').length, deals: portal.ids('deals').length };
    const primary = new Set<string>();
    const definition = compileDefinition(loadDefinitionFile(EXAMPLE));
    const served = (type: 'contacts' | 'companies', id: string, properties: readonly string[]) => {
      const record = portal.get(type, id)!;
      return properties.reduce((sum, p) => sum + Math.min(PROPERTY_HISTORY_BOUND, portal.historyOf(record, p).length), 0);
    };
    let contactPoints = 0;
    let companyPoints = 0;
    for (const id of contactIds) {
      const company = portal.associations.primaryCompany('contacts', id);
      if (company !== undefined) primary.add(company);
      contactPoints += served('contacts', id, definition.contactProperties);
      if (company !== undefined) companyPoints += served('companies', company, definition.companyProperties);
    }
    const perContact = (points: number) => round(points / Math.max(1, contactIds.length), 1);
    const pointsPerContact = { contact: perContact(contactPoints), withCompany: perContact(contactPoints + companyPoints) };
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
    const out = await runChild({ url: sandbox.url, accessToken: sandbox.accessToken, perWindow: PER_WINDOW, windowMs: WINDOW_MS, history });
    unsubscribe();
    offRequests();
    // The gateway counts what it sent, the sandbox what it answered: a request lost on a reused connection
    // and sent again counts once more on the gateway's side. The larger count is the run's.
    const sandboxCalls = total(diff(sandbox.calls.all(), before));
    const gatewayCalls = total(out.calls);
    const calls = Math.max(gatewayCalls, sandboxCalls);
    const unqualified = contactIds.filter((id) => !portal.get('contacts', id)!.properties.uld_status).length;
    if (unqualified > 0) throw new Error(`${unqualified} contacts have no uld_status after the backfill`);
    const qualifiedAt = contactIds.filter((id) => portal.get('contacts', id)!.properties.uld_qualified_at !== undefined).length;

    const floor = [
      floorLine('contacts.page', n.contacts, BATCH),
      floorLine('companies.page', n.companies, BATCH),
      floorLine('deals.page', n.deals, BATCH),
      floorLine('pipelines.deals.read', 1, 1),
      floorLine('associations.contacts.companies.batch.read', n.contacts, ASSOCIATION_BATCH),
      floorLine('associations.contacts.deals.batch.read', n.contacts, ASSOCIATION_BATCH),
      floorLine('associations.deals.contacts.batch.read', n.deals, ASSOCIATION_BATCH),
      floorLine('associations.deals.companies.batch.read', n.deals, ASSOCIATION_BATCH),
      floorLine('contacts.batch.update', written.contacts.size, BATCH),
      floorLine('companies.batch.update', written.companies.size, BATCH),
      floorLine('deals.batch.update', written.deals.size, BATCH),
    ].filter((l) => l.objects > 0);
    const contactCount = `${n.contacts.toLocaleString('en-US')} contacts, ${n.companies.toLocaleString('en-US')} companies, ${n.deals.toLocaleString('en-US')} deals`;
    return { n, primaryCompanies: primary.size, pointsPerContact, out, calls, gatewayCalls, sandboxCalls, http429: Math.max(sandbox429, out.rateLimited), sandbox429, floor, qualifiedAt, contactCount };
  } finally {
    await sandbox.stop();
  }
}

/** The peak RSS of the backfill process: the higher of the sampled peak and the kernel's maxRSS. */
export const peakRssOf = (out: ChildOutput): number => Math.round(Math.max(out.peakRssMb, out.maxRssMb));

/** The calls made, by kind, for the table. */
export const callsByKind = (out: ChildOutput): string =>
  Object.entries(out.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The rate limit, as the table's notes state it. */
export function limitNote(): string {
  return WINDOW_MS !== 10_000
    ? `${PER_WINDOW} calls per ${WINDOW_MS / 1000} s window (Professional's 190 per 10 s with the window scaled by ${WINDOW_MS / 10_000}: rate and floor time scale alike, the ratio is wall / (floor calls / the scaled rate))`
    : `${PER_WINDOW} calls per rolling 10 s (HubSpot Professional), on the sandbox and the gateway`;
}

if (require.main === module && process.argv[2] === '--child') {
  const reply = (message: { result?: ChildOutput; error?: string }, code: number) => process.send?.(message, () => process.exit(code));
  child(JSON.parse(process.argv[3] ?? '{}') as ChildInput).then(
    (result) => reply({ result }, 0),
    (err: unknown) => reply({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 1),
  );
}

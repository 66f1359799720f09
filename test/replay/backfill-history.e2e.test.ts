import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileDefinition, evaluate, STATUSES, type LeadStatus } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { createGateway } from '../../src/hubspot';
import { PROPERTY_HISTORY_BOUND, startSandbox, type Sandbox } from '../../src/sandbox';
import { associationKind, type CrmRecord, type WriteSource } from '../../src/sandbox';
import { openStore, type Store } from '../../src/store';
import { computeMetrics } from '../../src/metrics';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { runUld, sandboxEnv } from '../server/child';

/**
 * Acceptance 1 and 2 of the history replay, end to end: a generated portal (histories the test reads from the
 * sandbox's own records), `uld backfill` (the command, history replay its default) through the real SDK, then every contact's first
 * marketing_qualified and sales_ready compared with a replay written here another way (a scan by the hour,
 * refined by the second, instead of the product's bisection), and every stage duration of
 * `uld report --format json` with the durations those dates give. Two contacts are made by hand: one whose
 * kept history starts after it already met the ladder (reached, no date, no duration sample), one whose
 * history is complete.
 */

const EXAMPLE = path.join(__dirname, '../../lead-definition.example.yaml');
const def = compileDefinition(loadDefinitionFile(EXAMPLE));
const DAY = 86_400_000;
const HOUR = 3_600_000;
const RANK = new Map<LeadStatus, number>(STATUSES.map((s, i) => [s, i]));
const rungs = ['marketing_qualified', 'sales_ready'] as const;
type Rung = (typeof rungs)[number];
/** A rung's first time: dated, reached before the kept history (`undated`), or never (null). */
type First = number | 'undated' | null;

describe('backfill with history replay', () => {
  let sandbox: Sandbox;
  let store: Store;
  let dir: string;
  let runStarted = 0;
  let runEnded = 0;
  let cut: { contact: string; company: string };

  beforeAll(async () => {
    sandbox = await startSandbox({ contacts: 150, deals: 40, seed: 140, rateLimit: { perWindow: 100_000 } });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000 });
    await ensureProductProperties(gateway);
    cut = makeCutContact(sandbox);
    gateway.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-replay-'));
    const env = sandboxEnv(sandbox, dir, EXAMPLE);
    // `uld backfill` as an admin runs it: history replay is the default.
    runStarted = Date.now();
    const run = await runUld(['backfill', '--no-progress'], env, { cwd: dir, timeoutMs: 120_000 });
    runEnded = Date.now();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/history replayed for 151 contacts/);
    store = await openStore(env.DATABASE_URL);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await sandbox?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Every live contact's firsts, by the test's own replay of the sandbox's full histories (computed once). */
  let firsts: Map<string, Record<Rung, First>> | null = null;
  const expected = () => {
    if (firsts) return firsts;
    firsts = new Map();
    for (const id of sandbox.portal.ids('contacts')) firsts.set(id, independentFirsts(sandbox, id, runStarted));
    return firsts;
  };

  it("when the backfill has replayed, then each contact's first marketing_qualified and sales_ready equal an independent replay, to the second", async () => {
    const want = expected();
    const mismatches: string[] = [];
    let dated = 0;
    for (const [id, firsts] of want) {
      const got = await productFirsts(store, id);
      for (const rung of rungs) {
        const a = got[rung];
        const b = firsts[rung];
        if (typeof a === 'number' && typeof b === 'number') {
          dated += 1;
          if (Math.abs(a - b) >= 1000) mismatches.push(`${id} ${rung}: product ${new Date(a).toISOString()}, test ${new Date(b).toISOString()}`);
        } else if (a !== b) mismatches.push(`${id} ${rung}: product ${String(a)}, test ${String(b)}`);
      }
      // uld_qualified_at is the first sales_ready, as replayed; empty when it has no date.
      const written = sandbox.portal.get('contacts', id)!.properties.uld_qualified_at;
      const sr = firsts.sales_ready;
      const writtenAt = written ? Date.parse(written) : null;
      if (typeof sr === 'number' ? writtenAt === null || Math.abs(writtenAt - sr) >= 1000 : writtenAt !== null) mismatches.push(`${id} uld_qualified_at ${written} vs ${String(sr)}`);
    }
    expect(mismatches).toEqual([]);
    // The portal exercises the replay: many dated firsts, some crossings in time (decay), none at the install.
    expect(dated).toBeGreaterThan(50);
  });

  it('when a contact met the ladder before its kept history began, then it counts as reached with no date and no duration sample', async () => {
    const want = expected().get(cut.contact)!;
    expect(want.marketing_qualified).toBe('undated');
    expect(await productFirsts(store, cut.contact)).toMatchObject({ marketing_qualified: 'undated' });
    const decisions = (await store.history(cut.contact, 1000)).decisions;
    expect(decisions.some((d) => d.origin === 'before_history')).toBe(true);
    expect(decisions.find((d) => d.origin === 'before_history')!.reasons.join('\n')).toMatch(/before the kept history began/);
    // Its figures alone (the metrics' pure function over its rows of the mirror): reached marketing_qualified,
    // and no sample of lead -> marketing_qualified, since the date is unknown.
    const mirror = await store.listMirror();
    const alone = computeMetrics({ contacts: mirror.contacts.filter((c) => c.id === cut.contact), deals: [], decisions: mirror.decisions.filter((d) => d.contactId === cut.contact), now: Date.now(), slaHours: 24 });
    expect(alone.overall.funnel.reached.marketing_qualified).toBe(1);
    expect(alone.overall.funnel.steps[0]!.days.count).toBe(0);
    expect((await store.getContacts([cut.contact])).get(cut.contact)!.qualifiedAt).toBeNull();
  });

  it('when the report is read, then every stage duration is the one the replayed dates give, and none starts or ends at the install', async () => {
    const want = expected();
    const report = await reportJson(dir);
    const steps = expectedSteps(sandbox, want);
    for (const [i, step] of report.overall.funnel.steps.entries()) {
      const days = steps[i]!;
      expect({ step: `${step.from}->${step.to}`, count: step.days.count }).toEqual({ step: `${step.from}->${step.to}`, count: days.length });
      if (days.length > 0) expect(step.days.mean).toBeCloseTo(days.reduce((s, d) => s + d, 0) / days.length, 6);
    }
    // The dates behind those durations: none inside the backfill's run.
    const inRun = [...want.values()].flatMap((f) => rungs.map((r) => f[r])).filter((t): t is number => typeof t === 'number' && t >= runStarted && t <= runEnded);
    expect(inRun).toEqual([]);
  });

  it('when a contact converted, then the facts it had at its first deal are kept for what-if and calibrate', async () => {
    const kept = await store.listAsOfFacts();
    const wrong: string[] = [];
    let converted = 0;
    for (const id of sandbox.portal.ids('contacts')) {
      const deals = linked(sandbox, 'contacts', id, 'deals').map((l) => sandbox.portal.get('deals', l.toId)!);
      if (deals.length === 0) {
        if (kept.has(id)) wrong.push(`${id}: facts kept without a deal`);
        continue;
      }
      converted += 1;
      const asOf = Math.min(...deals.map((d) => d.createdAt));
      const past = pastOf(sandbox, id, runStarted);
      const row = kept.get(id);
      if (asOf < past.start) {
        if (row) wrong.push(`${id}: facts kept from before the kept history`);
        continue;
      }
      const want = Object.fromEntries([...past.contact].map(([p, t]) => [p, valueAt(t, asOf)]));
      if (!row || row.asOf !== asOf || JSON.stringify(row.contact) !== JSON.stringify(want)) wrong.push(`${id}: ${JSON.stringify(row)} vs ${JSON.stringify(want)}`);
    }
    expect(wrong).toEqual([]);
    expect(converted).toBeGreaterThan(10);
  });

  it("when deals were created before the install, then each deal's uld_lead_status_at_creation is the replayed status then", () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const dealId of sandbox.portal.ids('deals')) {
      const deal = sandbox.portal.get('deals', dealId)!;
      const contacts = linked(sandbox, 'deals', dealId, 'contacts').map((l) => l.toId);
      const earliest = contacts.map((id) => sandbox.portal.get('contacts', id)!).sort((a, b) => a.createdAt - b.createdAt)[0];
      if (!earliest) continue;
      const status = independentStatusAt(sandbox, earliest.id, deal.createdAt);
      const written = deal.properties.uld_lead_status_at_creation || null;
      checked += 1;
      if (written !== status) mismatches.push(`${dealId}: written ${written}, replayed ${status}`);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});

// ---- the test's own replay ---------------------------------------------------------------------

interface Track {
  times: number[];
  values: Array<string | null>;
  /** Before this, the value is unknown (the history may have been cut at HubSpot's bound). */
  knownFrom: number;
  undated: boolean;
  current: string | null;
}

/** A property as the product can see it: HubSpot's newest PROPERTY_HISTORY_BOUND values. */
function trackOf(record: CrmRecord, name: string, sandbox: Sandbox): Track {
  const full = sandbox.portal.historyOf(record, name);
  const kept = full.slice(-PROPERTY_HISTORY_BOUND);
  const current = record.properties[name] || null;
  return {
    times: kept.map((e) => e.timestamp),
    values: kept.map((e) => e.value || null),
    // A history as long as the bound may be cut: its oldest kept entry is where the value becomes known.
    knownFrom: kept.length >= PROPERTY_HISTORY_BOUND ? kept[0]!.timestamp : -Infinity,
    undated: kept.length === 0,
    current,
  };
}

function valueAt(t: Track, at: number): string | null {
  if (t.undated) return t.current;
  let v: string | null = null;
  for (let i = 0; i < t.times.length && t.times[i]! <= at; i++) v = t.values[i]!;
  return v;
}

interface Past {
  contact: Map<string, Track>;
  company: Map<string, Track> | null;
  start: number;
  truncated: boolean;
  changes: number[];
}

function pastOf(sandbox: Sandbox, contactId: string, now: number): Past {
  const record = sandbox.portal.get('contacts', contactId)!;
  // The engine's rule: the primary company link (type 1), else the first company.
  const links = linked(sandbox, 'contacts', contactId, 'companies');
  const companyId = (links.find((l) => l.kinds.some((k) => k.typeId === 1)) ?? links[0])?.toId;
  const company = companyId ? sandbox.portal.get('companies', companyId)! : null;
  const contact = new Map(def.contactProperties.map((p) => [p, trackOf(record, p, sandbox)]));
  const companyTracks = company ? new Map(def.companyProperties.map((p) => [p, trackOf(company, p, sandbox)])) : null;
  const all = [...contact.values(), ...(companyTracks?.values() ?? [])];
  const truncated = all.some((t) => t.knownFrom > -Infinity || (t.undated && t.current !== null));
  const knownFrom = Math.max(...all.map((t) => t.knownFrom));
  const changes = [...new Set(all.flatMap((t) => t.times))].filter((t) => t <= now).sort((a, b) => a - b);
  const start = Number.isFinite(knownFrom) ? Math.min(knownFrom, now) : (changes[0] ?? now);
  return { contact, company: companyTracks, start, truncated, changes: changes.filter((t) => t > start) };
}

function statusOf(past: Past, at: number): LeadStatus {
  const facts = Object.fromEntries([...past.contact].map(([p, t]) => [p, valueAt(t, at)]));
  const companyFacts = past.company ? Object.fromEntries([...past.company].map(([p, t]) => [p, valueAt(t, at)])) : null;
  return evaluate(def, facts, companyFacts, at).status;
}

/**
 * First instant each rung is met: at every change point exactly, and between them a scan by the day,
 * refined by the hour and then by the second where a rung is first met.
 */
function independentFirsts(sandbox: Sandbox, contactId: string, now: number): Record<Rung, First> {
  const past = pastOf(sandbox, contactId, now);
  const out: Record<Rung, First> = { marketing_qualified: null, sales_ready: null };
  const meets = (rung: Rung, s: LeadStatus) => RANK.get(s)! >= RANK.get(rung)!;
  const open = () => out.marketing_qualified === null || out.sales_ready === null;
  const newRung = (s: LeadStatus) => rungs.some((r) => out[r] === null && meets(r, s));
  const note = (at: number, s: LeadStatus) => {
    for (const rung of rungs) if (out[rung] === null && meets(rung, s)) out[rung] = at === past.start && past.truncated ? 'undated' : at;
  };
  /** The first instant in (from, to] stepping by `step`, where a rung not yet met is met; null if none. */
  const scan = (from: number, to: number, step: number): number | null => {
    for (let t = from + step; ; t += step) {
      const at = Math.min(t, to);
      if (newRung(statusOf(past, at))) return at;
      if (at >= to) return null;
    }
  };
  const points = [past.start, ...past.changes];
  for (let i = 0; i < points.length && open(); i++) {
    const a = points[i]!;
    const b = i + 1 < points.length ? points[i + 1]! - 1 : now;
    note(a, statusOf(past, a));
    let from = a;
    while (open() && from < b) {
      const day = scan(from, b, DAY);
      if (day === null) break;
      const hour = scan(Math.max(from, day - DAY), day, HOUR)!;
      const second = scan(Math.max(from, hour - HOUR), hour, 1000)!;
      note(second, statusOf(past, second));
      from = second;
    }
  }
  return out;
}

function independentStatusAt(sandbox: Sandbox, contactId: string, at: number): LeadStatus | null {
  const past = pastOf(sandbox, contactId, Date.now());
  return at < past.start ? null : statusOf(past, at);
}

// ---- what the product recorded --------------------------------------------------------------------

async function productFirsts(store: Store, contactId: string): Promise<Record<Rung, First>> {
  const decisions = (await store.history(contactId, 10_000)).decisions.filter((d) => d.origin === 'replayed' || d.origin === 'before_history').reverse();
  const out: Record<Rung, First> = { marketing_qualified: null, sales_ready: null };
  for (const d of decisions) {
    for (const rung of rungs) if (out[rung] === null && RANK.get(d.status)! >= RANK.get(rung)!) out[rung] = d.origin === 'before_history' ? 'undated' : d.decidedAt;
  }
  return out;
}

interface ReportJson {
  overall: { funnel: { reached: Record<string, number>; steps: Array<{ from: string; to: string; days: { count: number; mean: number | null } }> } };
}

/** `uld report --format json` as a user runs it, on the backfill's store. */
async function reportJson(dir: string): Promise<ReportJson> {
  const run = await runUld(['report', '--format', 'json'], { DATABASE_URL: `sqlite:${path.join(dir, 'uld.db')}`, LOG_LEVEL: 'silent' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as ReportJson;
}

/** The waterfall's step durations from the test's own dates, as docs/metrics.md defines them. */
function expectedSteps(sandbox: Sandbox, firsts: Map<string, Record<Rung, First>>): number[][] {
  const stages = ['lead', 'marketing_qualified', 'sales_ready', 'accepted', 'opportunity', 'won'] as const;
  const steps: number[][] = stages.slice(1).map(() => []);
  for (const [id, f] of firsts) {
    const contact = sandbox.portal.get('contacts', id)!;
    const deals = linked(sandbox, 'contacts', id, 'deals').map((l) => sandbox.portal.get('deals', l.toId)).filter((d): d is CrmRecord => d !== undefined);
    const won = deals.filter((d) => d.properties.hs_is_closed_won === 'true');
    const at = (x: First) => (typeof x === 'number' ? x : null);
    const reachedOwn = [true, f.marketing_qualified !== null, f.sales_ready !== null, false, deals.length > 0, won.length > 0];
    const own = [contact.createdAt, at(f.marketing_qualified), at(f.sales_ready), null, deals.length > 0 ? Math.min(...deals.map((d) => d.createdAt)) : null, won.length > 0 ? Math.min(...won.map((d) => Date.parse(d.properties.closedate!))) : null];
    const entered: Array<number | null> = [];
    const reached: boolean[] = [];
    let later: number | null = null;
    let laterReached = false;
    for (let i = stages.length - 1; i >= 0; i--) {
      laterReached ||= reachedOwn[i]!;
      const o = own[i];
      if (o !== null && o !== undefined && (later === null || o < later)) later = o;
      entered[i] = later;
      reached[i] = laterReached;
    }
    for (let i = 1; i < stages.length; i++) {
      const a = entered[i - 1];
      const b = entered[i];
      if (reached[i] && a !== null && a !== undefined && b !== null && b !== undefined) steps[i - 1]!.push((b - a) / DAY);
    }
  }
  return steps;
}

function linked(sandbox: Sandbox, from: 'contacts' | 'deals', id: string, to: 'contacts' | 'companies' | 'deals') {
  return sandbox.portal.associations.list(from, id, to).filter((l) => sandbox.portal.get(to, l.toId) !== undefined);
}

// ---- the hand-made contact -------------------------------------------------------------------------

/**
 * A senior buyer at a mid-market software company in the United States: marketing_qualified on fit alone
 * from creation. Its job title is then re-entered 25 times, so HubSpot keeps only the last 20 values: the
 * kept history starts after the contact met the ladder.
 */
function makeCutContact(sandbox: Sandbox): { contact: string; company: string } {
  const source: WriteSource = { sourceType: 'CRM_UI' };
  const t0 = Date.now() - 200 * DAY;
  const company = sandbox.portal.create('companies', { name: 'Cutoff Software', domain: 'cutoff-software.example', industry: 'COMPUTER_SOFTWARE', numberofemployees: '400', country: 'United States' }, source, t0);
  const contact = sandbox.portal.create('contacts', { email: 'vp@cutoff-software.example', firstname: 'Vera', lastname: 'Past', jobtitle: 'VP Sales', country: 'United States' }, source, t0 + HOUR);
  sandbox.portal.associate('contacts', contact.id, 'companies', company.id, associationKind('contacts', 'companies', 1)!, source, t0 + HOUR);
  for (let i = 0; i < 25; i++) sandbox.portal.update('contacts', contact.id, { jobtitle: i % 2 === 0 ? 'VP of Sales' : 'VP Sales' }, source, t0 + (i + 2) * DAY);
  return { contact: contact.id, company: company.id };
}

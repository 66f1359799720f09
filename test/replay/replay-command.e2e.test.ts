import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { createGateway } from '../../src/hubspot';
import { replayContact, statusAt } from '../../src/replay';
import { startSandbox, type Sandbox, type WriteSource } from '../../src/sandbox';
import { openStore } from '../../src/store';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { runUld, sandboxEnv } from '../server/child';

/**
 * `uld backfill --no-history`, then `uld replay` on that installed portal, as a user runs them: without
 * history nothing is dated at the install; the replay then dates the stages, replaces dates an older version
 * wrote (the install day) and each deal's status at creation, and a second replay doubles nothing.
 */

const EXAMPLE = path.join(__dirname, '../../lead-definition.example.yaml');
const def = compileDefinition(loadDefinitionFile(EXAMPLE));
const UI: WriteSource = { sourceType: 'CRM_UI' };

describe('uld backfill --no-history, then uld replay', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  // A portal and a store per test (200 contacts: generated in well under a second): each test runs the steps
  // of the story before its own (the backfill, the first replay) itself, whatever ran before it.
  beforeEach(async () => {
    sandbox = await startSandbox({ contacts: 200, deals: 50, seed: 141, rateLimit: { perWindow: 100_000 } });
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000 });
    await ensureProductProperties(gateway);
    gateway.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-replay-cmd-'));
    env = sandboxEnv(sandbox, dir, EXAMPLE);
  }, 60_000);
  afterEach(async () => {
    await sandbox?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const contacts = () => sandbox.portal.ids('contacts').map((id) => sandbox.portal.get('contacts', id)!);
  const replayed = (id: string) => {
    const record = sandbox.portal.get('contacts', id)!;
    const history = (r: typeof record, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, sandbox.portal.historyOf(r, n).slice(-20).reverse()]));
    const companyId = sandbox.portal.associations.primaryCompany('contacts', id);
    const company = companyId ? sandbox.portal.get('companies', companyId)! : null;
    return replayContact(def, {
      contact: { current: record.properties, history: history(record, def.contactProperties) },
      company: company ? { current: company.properties, history: history(company, def.companyProperties) } : null,
      now: Date.now(),
    });
  };

  /** `uld backfill --no-history`: the install without history. */
  const backfill = () => runUld(['backfill', '--no-history', '--no-progress'], env, { cwd: dir });
  /** `uld replay` after it. */
  const replay = () => runUld(['replay', '--no-progress'], env, { cwd: dir });

  it('when the backfill runs without history, then no stage is dated at the install: no uld_qualified_at, first looks only', async () => {
    const run = await backfill();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/no history replay \(--no-history\)/);
    const salesReady = contacts().filter((c) => c.properties.uld_status === 'sales_ready');
    expect(salesReady.length).toBeGreaterThan(0);
    expect(salesReady.filter((c) => c.properties.uld_qualified_at)).toEqual([]);
    const store = await openStore(env.DATABASE_URL!);
    try {
      const { decisions } = await store.listMirror();
      expect(new Set(decisions.map((d) => d.origin))).toEqual(new Set(['first_look']));
    } finally {
      await store.close();
    }
  }, 120_000);

  it("when uld replay runs on the installed portal, then the replay's dates replace the install day's and each deal's status at creation is the replayed one", async () => {
    expect((await backfill()).status).toBe(0);
    // What an older version left behind: a first sales_ready dated the install day, a status at creation guessed.
    const target = contacts().find((c) => c.properties.uld_status === 'sales_ready' && replayed(c.id).firstSalesReady?.evidence === 'history')!;
    expect(target).toBeDefined();
    const installDay = new Date().toISOString();
    sandbox.portal.update('contacts', target.id, { uld_qualified_at: installDay, uld_days_to_qualify: '227' }, UI);
    const deal = sandbox.portal.ids('deals').map((id) => sandbox.portal.get('deals', id)!).find((d) => sandbox.portal.associations.list('deals', d.id, 'contacts').length > 0)!;
    sandbox.portal.update('deals', deal.id, { uld_lead_status_at_creation: 'sales_ready' }, UI);

    const run = await replay();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/history replayed for 200 contacts/);

    const first = replayed(target.id).firstSalesReady!;
    const written = sandbox.portal.get('contacts', target.id)!.properties;
    expect(Date.parse(written.uld_qualified_at!)).toBe(first.reachedAt);
    expect(Number(written.uld_days_to_qualify)).toBeCloseTo((first.reachedAt! - target.createdAt) / 86_400_000, 1);
    // Every contact: the replay's dated first sales_ready, or nothing.
    const wrong = contacts().filter((c) => {
      const f = replayed(c.id).firstSalesReady;
      const at = c.properties.uld_qualified_at ? Date.parse(c.properties.uld_qualified_at) : null;
      return (f?.reachedAt ?? null) !== at;
    });
    expect(wrong.map((c) => c.id)).toEqual([]);
    // Each deal: the earliest contact's replayed status at the deal's creation, or empty when unknown.
    const dealsWrong = sandbox.portal.ids('deals').flatMap((id) => {
      const d = sandbox.portal.get('deals', id)!;
      const linked = sandbox.portal.associations.list('deals', id, 'contacts').map((l) => sandbox.portal.get('contacts', l.toId)).filter((c) => c !== undefined);
      const earliest = linked.sort((a, b) => a.createdAt - b.createdAt)[0];
      if (!earliest) return [];
      const want = statusAt(replayed(earliest.id), d.createdAt);
      return (d.properties.uld_lead_status_at_creation || null) === want ? [] : [`${id}: ${d.properties.uld_lead_status_at_creation} vs ${want}`];
    });
    expect(dealsWrong).toEqual([]);
  }, 120_000);

  it('when uld replay runs again from the start, then the replayed decisions are replaced, not doubled, and the replayed dates stand', async () => {
    expect((await backfill()).status).toBe(0);
    expect((await replay()).status).toBe(0);
    const store = await openStore(env.DATABASE_URL!);
    const count = async () => (await Promise.all(contacts().map(async (c) => (await store.history(c.id, 10_000)).decisions.filter((d) => d.origin === 'replayed' || d.origin === 'before_history').length))).reduce((a, b) => a + b, 0);
    try {
      const before = await count();
      expect(before).toBeGreaterThan(200);
      const deals = () => new Map(sandbox.portal.ids('deals').map((id) => [id, sandbox.portal.get('deals', id)!.properties.uld_lead_status_at_creation]));
      const dealsBefore = deals();
      const snap = new Map(contacts().map((c) => [c.id, { ...c.properties }]));
      const run = await runUld(['replay', '--restart', '--no-progress'], env, { cwd: dir });

      expect(run.status).toBe(0);
      expect(await count()).toBe(before);
      // The replayed dates stand (scores move with decay from one second to the next, so other writes may).
      const moved = contacts().filter((c) => ['uld_qualified_at', 'uld_days_to_qualify'].some((k) => snap.get(c.id)![k] !== c.properties[k]));
      expect(moved.map((c) => c.id)).toEqual([]);
      expect(deals()).toEqual(dealsBefore);
    } finally {
      await store.close();
    }
  }, 120_000);
});

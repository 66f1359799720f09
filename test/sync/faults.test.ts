import type { ClaimRequest, Failure, Lease, Store } from '../../src/store';
import { contactWriteback } from '../../src/sync/contact-writeback';
import type { SyncEngine } from '../../src/sync/engine';
import { companyFactsFromPortal, syncWorld, type SyncWorld } from './harness';
import { apiPaths, DEFAULT_API_VERSION } from '../../src/hubspot';

/** The paths of the API version the product uses by default (HUBSPOT_API_VERSION unset). */
const API = apiPaths(DEFAULT_API_VERSION);

/**
 * Faults, end to end on the sandbox: the real receiver, gateway, queue and engine against a portal that
 * answers 10% of calls with a 5xx, lets 5% hang past the gateway's deadline, has its rate window filled by
 * someone else again and again (429 storms), and answers batch writes with 207 partial failures. Every
 * record must still end up as the evaluator says, a record HubSpot will never take must end in the dead
 * letters with an error a person can act on, and nothing may be tried more often than the queue allows.
 */

const DAY = 86_400_000;
const CONTACTS = 200;
const DEALS = 40;
const MAX_ATTEMPTS = 5;
const GATEWAY_RETRIES = 1;
const RATE_WINDOW_MS = 200;
const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const BATCH_READ_DEALS = `POST ${API.batch('deals', 'read')}`;

/**
 * The engine's store, watched (not replaced): every claim is checked against what the unit went through.
 * A unit's attempts at a claim must be one more than the failures it had since it last started fresh:
 * a deferral after a 429 is given back, a failure is spent.
 */
class WatchedStore {
  readonly store: Store;
  private readonly failuresSince = new Map<number, number>();
  readonly claimsOf = new Map<string, number>();
  readonly deferralsOf = new Map<string, number>();
  readonly violations: string[] = [];
  maxAttemptsSeen = 0;
  claims = 0;
  /** Claims that returned work, by object type: one batch each. */
  readonly batches = new Map<string, number>();
  deferred = 0;
  retried = 0;
  deadLettered = 0;
  private readonly keyOf = new Map<number, string>();

  constructor(inner: Store) {
    this.store = new Proxy(inner, {
      get: (target, prop, receiver) => {
        if (prop === 'claim') return (req: ClaimRequest) => this.claim(target, req);
        if (prop === 'fail') return (lease: Lease, failures: Failure[]) => this.fail(target, lease, failures);
        if (prop === 'defer') return (lease: Lease, ids: number[], until: number) => this.defer(target, lease, ids, until);
        if (prop === 'complete') return (lease: Lease, ids: number[]) => this.complete(target, lease, ids);
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Dead letters retried: those units start over with fresh attempts. */
  freshStart(): void {
    this.failuresSince.clear();
  }

  private async claim(target: Store, req: ClaimRequest) {
    const batch = await target.claim(req);
    if (batch.units.length > 0) this.batches.set(req.objectType, (this.batches.get(req.objectType) ?? 0) + 1);
    for (const u of batch.units) {
      const key = `${u.objectType}:${u.objectId}`;
      this.keyOf.set(u.id, key);
      this.claims += 1;
      this.claimsOf.set(key, (this.claimsOf.get(key) ?? 0) + 1);
      this.maxAttemptsSeen = Math.max(this.maxAttemptsSeen, u.attempts);
      const expected = (this.failuresSince.get(u.id) ?? 0) + 1;
      if (u.attempts !== expected) this.violations.push(`${key} claimed with attempts ${u.attempts}, expected ${expected}`);
      if (u.attempts > MAX_ATTEMPTS) this.violations.push(`${key} claimed on attempt ${u.attempts} of ${MAX_ATTEMPTS}`);
    }
    return batch;
  }

  private async fail(target: Store, lease: Lease, failures: Failure[]) {
    const r = await target.fail(lease, failures);
    for (const id of r.retrying) this.failuresSince.set(id, (this.failuresSince.get(id) ?? 0) + 1);
    for (const id of r.deadLettered) this.failuresSince.delete(id);
    this.retried += r.retrying.length;
    this.deadLettered += r.deadLettered.length;
    return r;
  }

  private async defer(target: Store, lease: Lease, ids: number[], until: number) {
    const r = await target.defer(lease, ids, until);
    this.deferred += r.length;
    for (const id of r) {
      const key = this.keyOf.get(id) ?? String(id);
      this.deferralsOf.set(key, (this.deferralsOf.get(key) ?? 0) + 1);
    }
    return r;
  }

  private async complete(target: Store, lease: Lease, ids: number[]) {
    const r = await target.complete(lease, ids);
    // Done, but new events arrived meanwhile: back in the queue with attempts reset.
    for (const id of [...r.completed, ...r.requeued]) this.failuresSince.delete(id);
    return r;
  }
}

/** The portal's live records (its id list still holds archived ones). */
function live(world: SyncWorld, type: 'contacts' | 'deals'): string[] {
  return world.sandbox.portal.ids(type).filter((id) => world.sandbox.portal.get(type, id) !== undefined);
}

function touchEveryRecord(world: SyncWorld): void {
  const { portal } = world.sandbox;
  for (const id of live(world, 'contacts')) {
    const views = Number(portal.get('contacts', id)!.properties.hs_analytics_num_page_views ?? 0);
    portal.update('contacts', id, { hs_analytics_num_page_views: String(views + 1) }, USER);
  }
  for (const id of live(world, 'deals')) {
    const amount = Number(portal.get('deals', id)!.properties.amount ?? 0);
    portal.update('deals', id, { amount: String(amount + 1) }, USER);
  }
}

/** What a rep sees on each live contact, against the evaluator run on the portal's own state. */
function expectContactsConverged(world: SyncWorld, except: ReadonlySet<string> = new Set()): number {
  const { portal } = world.sandbox;
  let checked = 0;
  for (const id of live(world, 'contacts')) {
    if (except.has(id)) continue;
    const props = portal.get('contacts', id)!.properties;
    const want = world.expected(id);
    const wb = contactWriteback(want, { current: {}, firstDealCreatedAt: null }, world.now);
    expect({ id, status: props.uld_status, score: Number(props.uld_score), reasons: props.uld_reasons, version: props.uld_definition_version, leadStatus: props.hs_lead_status }).toEqual({
      id,
      status: wb.status,
      score: want.totalScore,
      reasons: wb.changes.uld_reasons,
      version: want.definitionVersion,
      leadStatus: want.hubspot.hs_lead_status ?? props.hs_lead_status,
    });
    checked++;
  }
  return checked;
}

/** Deal figures and company roll-ups, computed here from the portal's raw values (as engine.e2e does). */
function expectDealsAndCompaniesConverged(world: SyncWorld): void {
  const { portal } = world.sandbox;
  for (const id of live(world, 'deals')) {
    const d = portal.get('deals', id)!.properties;
    const created = Date.parse(d.createdate!);
    if (d.hs_is_closed === 'true') expect({ id, cycle: Number(d.uld_sales_cycle_days) }).toEqual({ id, cycle: Math.round(((Date.parse(d.closedate!) - created) / DAY) * 10) / 10 });
    else expect({ id, age: Number(d.uld_deal_age_days) }).toEqual({ id, age: Math.floor((world.now - created) / DAY) });
  }
  const byCompany = companyFactsFromPortal(portal, live(world, 'contacts'));
  expect(byCompany.size).toBeGreaterThan(5);
  for (const [companyId, f] of byCompany) {
    const c = portal.get('companies', companyId)!.properties;
    expect({ companyId, leads: c.uld_leads, opportunities: c.uld_opportunities, qualified: c.uld_qualified_leads }).toEqual({
      companyId,
      leads: String(f.leads),
      opportunities: String(f.withDeal),
      qualified: String(f.qualified),
    });
  }
}

async function expectQueueEmpty(world: SyncWorld): Promise<void> {
  const stats = await world.store.queueStats();
  expect(stats.byObjectType.filter((q) => q.pending > 0 || q.leased > 0)).toEqual([]);
}

describe('the sync engine under injected faults', () => {
  let world: SyncWorld;
  let watched: WatchedStore;
  let engine: SyncEngine;
  let storm: NodeJS.Timeout | undefined;
  /** Contacts this test archived. */
  let archived: string[];

  /** Someone else (another instance of the app) fills the rate window, again and again. */
  function startStorms(everyMs: number): void {
    const app = String(world.sandbox.appId);
    storm = setInterval(() => {
      while (world.sandbox.rateLimiter.remaining(app) > 0) world.sandbox.rateLimiter.admit(app, false);
    }, everyMs);
  }
  function stopStorms(): void {
    if (storm) clearInterval(storm);
    storm = undefined;
  }
  const randomFaults = { errorRate: 0.1, errorStatuses: [500, 502, 503, 504], hangRate: 0.05 };

  // A portal, a store and a watch of their own for each test (200 contacts: under a second): what one test
  // archived, poisoned or dead-lettered is never what another counts, whatever order they run in.
  beforeEach(async () => {
    world = await syncWorld({
      sandbox: { seed: 11, contacts: CONTACTS, deals: DEALS, rateLimit: { perWindow: 40, windowMs: RATE_WINDOW_MS, searchPerSecond: 1000 } },
      queue: { maxAttempts: MAX_ATTEMPTS, backoffBaseMs: 20, backoffMaxMs: 200 },
      gateway: { timeoutMs: 300, retry: { maxRetries: GATEWAY_RETRIES, baseDelayMs: 10, maxDelayMs: 40 } },
    });
    watched = new WatchedStore(world.store);
    engine = world.engine.with({ store: watched.store });
    archived = [];
  }, 60_000);
  afterEach(async () => {
    stopStorms();
    await world?.stop();
  });

  /** The portal once every record changed and was worked without a fault: what a test on a synced portal starts from. */
  async function synced(): Promise<void> {
    touchEveryRecord(world);
    await world.settle({ engine, timeoutMs: 20_000 });
    expect(watched.violations).toEqual([]);
    await expectQueueEmpty(world);
  }

  it('when 5xx, timeouts and 429 storms hit every call, then every record still converges and no 429 spends an attempt', async () => {
    const { sandbox, gateway } = world;
    touchEveryRecord(world);
    // Deleted while their events are on the way: batch reads answer 207 with these ids missing.
    for (const id of live(world, 'contacts').slice(10, 13)) {
      sandbox.portal.archive('contacts', id, USER);
      archived.push(id);
    }
    sandbox.faults.set(randomFaults);
    startStorms(600);
    // On top of the random ones, so that the queue surely sees each kind: HubSpot's own 429s on contact
    // reads, whatever the counters say; a contact write that fails with 500 however often the gateway
    // retries it; an association read that times out each time it is tried.
    sandbox.faults.script(`POST ${API.batch('contacts', 'read')}`, { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' }, 3);
    sandbox.faults.script(`POST ${API.batch('contacts', 'update')}`, { kind: 'error', status: 500 }, 1 + GATEWAY_RETRIES);
    sandbox.faults.script(`POST ${API.associationsBatchRead('contacts', 'companies')}`, { kind: 'hang' }, 1 + GATEWAY_RETRIES);
    await world.settle({ engine, timeoutMs: 20_000 });
    stopStorms();

    expect(sandbox.faults.pending()).toEqual([]);
    const stats = gateway.stats();
    if (process.env.ULD_FAULTS_DEBUG) console.log(JSON.stringify({ stats, injected: sandbox.faults.injected, calls: gateway.calls(), claims: watched.claims, batches: Object.fromEntries(watched.batches), deferred: watched.deferred, retried: watched.retried, maxClaims: Math.max(...watched.claimsOf.values()), maxDeferrals: Math.max(...watched.deferralsOf.values()) }));
    expect(sandbox.faults.injected.error).toBeGreaterThan(0);
    expect(sandbox.faults.injected.hang).toBeGreaterThan(0);
    expect(stats.timeouts).toBeGreaterThan(0);
    expect(stats.serverErrors).toBeGreaterThan(0);
    expect(stats.rateLimited).toBeGreaterThan(0);
    // The faults reached the queue: batches were deferred (429) and failed with backoff (5xx, timeouts).
    expect(watched.deferred).toBeGreaterThan(0);
    expect(watched.retried).toBeGreaterThan(0);

    expect(expectContactsConverged(world)).toBe(CONTACTS - archived.length);
    expectDealsAndCompaniesConverged(world);
    // Never seen alive, so never mirrored: nothing to mark, and no work left for them.
    const mirrored = await world.store.getContacts(archived);
    expect(archived.filter((id) => mirrored.get(id)?.deleted === false)).toEqual([]);

    expect(watched.violations).toEqual([]);
    expect(watched.maxAttemptsSeen).toBeLessThanOrEqual(MAX_ATTEMPTS);
    expect(await world.store.listDeadLetters()).toEqual([]);
    await expectQueueEmpty(world);
  }, 30_000);

  it('when HubSpot answers 429 for one contact again and again, then it is deferred each time without spending an attempt', async () => {
    const { sandbox } = world;
    const id = live(world, 'contacts')[0]!;
    const times = MAX_ATTEMPTS + 2;
    const before = watched.deferralsOf.get(`contact:${id}`) ?? 0;
    sandbox.faults.script(`POST ${API.batch('contacts', 'read')}`, { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' }, times);
    await world.store.markDirty([{ objectType: 'contact', objectId: id, change: 'property_changed', occurredAt: world.now }]);
    await world.settle({ engine, timeoutMs: 20_000 });
    // More 429s than it has attempts, yet it was worked, not dead-lettered. Each 429 deferred it; the
    // gateway's own cool-down after a 429 may defer it once more without asking HubSpot (a loaded machine
    // claims again before the window ends), which spends no attempt either.
    expect((watched.deferralsOf.get(`contact:${id}`) ?? 0) - before).toBeGreaterThanOrEqual(times);
    expect(sandbox.faults.pending()).toEqual([]);
    expect(watched.violations).toEqual([]);
    expect(await world.store.listDeadLetters()).toEqual([]);
    await expectQueueEmpty(world);
  }, 30_000);

  it('when HubSpot rejects one contact\'s write for good (207), then it ends in the dead letters naming the property, and the rest converges', async () => {
    const { sandbox } = world;
    const { portal } = sandbox;
    await synced();
    // Disqualified contacts map to hs_lead_status UNQUALIFIED. A person resets two of them to NEW, and an
    // admin removes the UNQUALIFIED option: writing them back is now invalid, and only for these two.
    const disqualified = live(world, 'contacts').filter((id) => portal.get('contacts', id)!.properties.uld_status === 'disqualified');
    expect(disqualified.length).toBeGreaterThan(2);
    const poisoned = disqualified.slice(0, 2);
    for (const id of poisoned) portal.update('contacts', id, { hs_lead_status: 'NEW' }, USER);
    const options = portal.schema.get('contacts', 'hs_lead_status')!.options.slice();
    portal.schema.update('contacts', 'hs_lead_status', { options: options.filter((o) => o.value !== 'UNQUALIFIED') });
    const before = new Map(poisoned.map((id) => [id, { ...portal.get('contacts', id)!.properties }]));

    touchEveryRecord(world);
    // Two more deleted, known to the mirror this time: their tombstones must land there.
    const gone = live(world, 'contacts').filter((id) => !poisoned.includes(id)).slice(20, 22);
    for (const id of gone) {
      portal.archive('contacts', id, USER);
      archived.push(id);
    }
    sandbox.faults.set(randomFaults);
    // 2026-09 leaves open whether a partial failure answers 207 or 200 with errors (the gateway reads both;
    // test/hubspot/api-version.test.ts has the 200): here HubSpot answers 207, so the log shows it.
    sandbox.behaviour.partialFailureStatus = 207;
    startStorms(600);
    await world.settle({ engine, timeoutMs: 20_000 });
    stopStorms();

    // HubSpot answered the poisoned batch with a 207: the rest of it was written.
    expect(sandbox.requests.list(`POST ${API.batch('contacts', 'update')}`).filter((r) => r.status === 207).length).toBeGreaterThan(0);
    const dead = await world.store.listDeadLetters();
    expect(dead.map((d) => `${d.objectType}:${d.objectId}`).sort()).toEqual(poisoned.map((id) => `contact:${id}`).sort());
    for (const d of dead) {
      expect(d.lastError).toContain('HubSpot rejected the write of hs_lead_status');
      expect(d.lastError).toContain('UNQUALIFIED was not one of the allowed options');
      expect(d.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
    }
    // A record with an invalid property is rejected whole: nothing of it was written.
    for (const id of poisoned) {
      const now = portal.get('contacts', id)!.properties;
      expect({ id, status: now.uld_status, score: now.uld_score, leadStatus: now.hs_lead_status }).toEqual({ id, status: before.get(id)!.uld_status, score: before.get(id)!.uld_score, leadStatus: 'NEW' });
    }
    expect(expectContactsConverged(world, new Set(poisoned))).toBe(CONTACTS - archived.length - poisoned.length);
    expectDealsAndCompaniesConverged(world);
    const mirrored = await world.store.getContacts(gone);
    expect(gone.map((id) => mirrored.get(id)?.deleted)).toEqual([true, true]);
    expect(watched.violations).toEqual([]);
    await expectQueueEmpty(world);

    // The admin puts the option back and retries the dead letters (`uld dead-letters retry`): the two converge too.
    portal.schema.update('contacts', 'hs_lead_status', { options });
    watched.freshStart();
    expect(await world.store.retryDeadLetters('all')).toBe(poisoned.length);
    await world.settle({ engine, timeoutMs: 20_000 });
    stopStorms();
    expect(await world.store.listDeadLetters()).toEqual([]);
    expect(expectContactsConverged(world)).toBe(CONTACTS - archived.length);
    await expectQueueEmpty(world);
  }, 60_000);

  it('when a call fails every time, then the units stop after their attempts and wait in the dead letters, and retrying them converges', async () => {
    const { sandbox, gateway } = world;
    await synced();
    sandbox.faults.set(randomFaults);
    // Every deal batch read answers 503, however often it is asked.
    sandbox.faults.script(BATCH_READ_DEALS, { kind: 'error', status: 503 }, 10_000);
    const deals = live(world, 'deals');
    const callsBefore = sandbox.calls.count(BATCH_READ_DEALS);
    const batchesBefore = watched.batches.get('deal') ?? 0;
    const claimsBefore = new Map(deals.map((id) => [id, watched.claimsOf.get(`deal:${id}`) ?? 0]));
    await world.store.markDirty(deals.map((id) => ({ objectType: 'deal', objectId: id, change: 'property_changed' as const, occurredAt: world.now })));
    await world.settle({ engine, timeoutMs: 20_000 });

    const dead = await world.store.listDeadLetters({ objectType: 'deal' });
    expect(dead.map((d) => d.objectId).sort()).toEqual([...deals].sort());
    for (const d of dead) {
      expect(d.attempts).toBe(MAX_ATTEMPTS);
      expect(d.lastError).toContain('HubSpot answered 503 (deals.batch.read)');
    }
    // Bounded: each deal was claimed exactly its attempts, each claim cost at most 1 + the gateway's
    // retries calls, then nothing more (most of the scripted failures are left unused).
    expect(deals.map((id) => (watched.claimsOf.get(`deal:${id}`) ?? 0) - claimsBefore.get(id)!)).toEqual(deals.map(() => MAX_ATTEMPTS));
    const calls = sandbox.calls.count(BATCH_READ_DEALS) - callsBefore;
    const batches = (watched.batches.get('deal') ?? 0) - batchesBefore;
    expect(calls).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
    expect(calls).toBeLessThanOrEqual(batches * (1 + GATEWAY_RETRIES));
    expect(sandbox.faults.pending()[0]!.remaining).toBe(10_000 - calls);
    await expectQueueEmpty(world);
    expect(watched.violations).toEqual([]);
    expect(gateway.stats().serverErrors).toBeGreaterThan(0);

    // HubSpot recovers; an operator retries the dead letters (`uld dead-letters retry`): they converge.
    sandbox.faults.clear();
    sandbox.faults.set(randomFaults);
    for (const id of deals) {
      const amount = Number(sandbox.portal.get('deals', id)!.properties.amount ?? 0);
      sandbox.portal.update('deals', id, { amount: String(amount + 1) }, USER);
    }
    await sandbox.webhooks.idle(60_000);
    watched.freshStart();
    expect(await world.store.retryDeadLetters('all')).toBe(deals.length);
    await world.settle({ engine, timeoutMs: 20_000 });
    expect(await world.store.listDeadLetters()).toEqual([]);
    expectDealsAndCompaniesConverged(world);
    expect(watched.violations).toEqual([]);
    await expectQueueEmpty(world);
  }, 60_000);
});

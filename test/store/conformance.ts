import { openStore, retryDelayMs, type OpenStoreOptions, type Store } from '../../src/store';
import { incoming, manualClock } from './fixtures';

/** A fresh, empty database of one backend; `open` may be called several times for several instances. */
export interface FreshDatabase {
  url: string;
  options: OpenStoreOptions;
  dispose(): Promise<void>;
}

/**
 * The store conformance suite: the same behaviour, asserted the same way, on every backend. A backend that
 * passes it can stand behind the receiver and the worker.
 */
export function describeStoreConformance(backend: string, fresh: () => Promise<FreshDatabase>): void {
  describe(`store conformance: ${backend}`, () => {
    let database: FreshDatabase;
    const opened: Store[] = [];
    const clock = manualClock();

    async function open(extra: OpenStoreOptions = {}): Promise<Store> {
      const store = await openStore(database.url, { ...database.options, clock: clock.now, ...extra });
      opened.push(store);
      return store;
    }

    beforeEach(async () => {
      database = await fresh();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await database.dispose();
    });

    test('when two instances start at once, then both migrate the same schema and are ready', async () => {
      const [a, b] = await Promise.all([open(), open()]);
      expect(await a.health()).toEqual({ reachable: true, pendingMigrations: 0 });
      expect(await b.health()).toEqual({ reachable: true, pendingMigrations: 0 });
      expect(a.dialect).toBe(backend);
    });

    test('when a batch is ingested, then every event is stored and each object gets one coalesced unit', async () => {
      const store = await open();
      const result = await store.ingest([
        incoming({ objectId: '1', propertyName: 'jobtitle', occurredAt: 2000 }),
        incoming({ objectId: '1', propertyName: 'country', occurredAt: 1000 }),
        incoming({ objectId: '1', propertyName: 'jobtitle', occurredAt: 3000 }),
        incoming({ objectId: '2', objectType: 'deal', propertyName: 'dealstage', occurredAt: 1500 }),
      ]);
      expect(result).toEqual({ stored: 4, duplicates: 0, work: 4, ownWrites: 0, ignored: 0, unitsTouched: 2 });
      expect(await store.countEvents()).toBe(4);
      const [contact] = await store.listWork({ objectType: 'contact' });
      expect(contact).toMatchObject({
        objectId: '1',
        changes: ['property_changed'],
        properties: ['country', 'jobtitle'],
        firstOccurredAt: 1000,
        lastOccurredAt: 3000,
        eventCount: 3,
        attempts: 0,
      });
      expect(await store.listWork({ objectType: 'deal' })).toHaveLength(1);
    });

    test('when later batches touch a waiting unit, then they coalesce into it: changes, properties and times merge', async () => {
      const store = await open();
      await store.ingest([incoming({ objectId: '7', propertyName: 'email', occurredAt: 5000 })]);
      await store.ingest([
        incoming({ objectId: '7', propertyName: 'country', occurredAt: 4000 }),
        incoming({ objectId: '7', propertyName: null, occurredAt: 6000, subscriptionType: 'contact.deletion', marks: [{ objectType: 'contact', objectId: '7', change: 'deleted', occurredAt: 6000 }] }),
        incoming({
          objectId: '7',
          propertyName: null,
          occurredAt: 7000,
          subscriptionType: 'contact.merge',
          marks: [{ objectType: 'contact', objectId: '7', change: 'merged_away', mergedInto: '8', occurredAt: 7000 }],
        }),
      ]);
      const units = await store.listWork();
      expect(units).toHaveLength(1);
      expect(units[0]).toMatchObject({
        changes: ['property_changed', 'deleted', 'merged_away'],
        properties: ['country', 'email'],
        mergedInto: '8',
        firstOccurredAt: 4000,
        lastOccurredAt: 7000,
        eventCount: 4,
      });
    });

    test('when the same batch is delivered 10 times, then events are stored once and one unit per object exists', async () => {
      const store = await open();
      const batch = [incoming({ objectId: '1' }), incoming({ objectId: '2' }), incoming({ objectId: '2', propertyName: 'country' })];
      const first = await store.ingest(batch);
      expect(first.stored).toBe(3);
      for (let i = 0; i < 9; i++) expect(await store.ingest(batch)).toMatchObject({ stored: 0, duplicates: 3, unitsTouched: 0 });
      expect(await store.countEvents()).toBe(3);
      const units = await store.listWork();
      expect(units.map((u) => [u.objectId, u.eventCount])).toEqual([
        ['1', 1],
        ['2', 2],
      ]);
    });

    test('when a duplicate arrives after its unit was completed, then no new work is created', async () => {
      const store = await open();
      const event = incoming({ objectId: '5' });
      await store.ingest([event]);
      const batch = await store.claim({ objectType: 'contact', owner: 'w1' });
      await store.complete(batch.lease, batch.units.map((u) => u.id));
      expect(await store.ingest([event])).toMatchObject({ stored: 0, duplicates: 1 });
      expect(await store.listWork()).toEqual([]);
    });

    test('when eventIds repeat across objects or times, then each is a distinct event (eventId alone is not the key)', async () => {
      const store = await open();
      const result = await store.ingest([
        incoming({ eventId: '42', objectId: '1' }),
        incoming({ eventId: '42', objectId: '2' }),
        incoming({ eventId: '42', objectId: '1', occurredAt: 1_700_000_000_001 }),
        incoming({ eventId: '42', objectId: '1', portalId: 99 }),
        incoming({ eventId: '42', objectId: '1', subscriptionType: 'contact.creation' }),
      ]);
      expect(result.stored).toBe(5);
    });

    test('when one change comes twice under different eventIds (two apps), then the change key stores and works it once', async () => {
      const store = await open();
      const first = await store.ingest([incoming({ eventId: '1', objectId: '7', changeKey: 'contact.propertyChange:k1' })]);
      // The second app's delivery: its own eventId, same change; in a later batch and again within one batch.
      const second = await store.ingest([
        incoming({ eventId: '2', objectId: '7', changeKey: 'contact.propertyChange:k1' }),
        incoming({ eventId: '3', objectId: '8', changeKey: 'contact.propertyChange:k2' }),
        incoming({ eventId: '4', objectId: '8', changeKey: 'contact.propertyChange:k2' }),
      ]);
      expect(first).toMatchObject({ stored: 1, duplicates: 0 });
      expect(second).toMatchObject({ stored: 1, duplicates: 2, work: 1 });
      expect((await store.listEvents()).map((e) => [e.eventId, e.changeKey])).toEqual([
        ['1', 'contact.propertyChange:k1'],
        ['3', 'contact.propertyChange:k2'],
      ]);
      expect((await store.listWork()).map((u) => [u.objectId, u.eventCount])).toEqual([
        ['7', 1],
        ['8', 1],
      ]);
    });

    test('when change keys differ, or match at another time, or are absent, then every event is its own', async () => {
      const store = await open();
      const result = await store.ingest([
        incoming({ objectId: '7', changeKey: 'a' }),
        incoming({ objectId: '7', changeKey: 'b' }),
        incoming({ objectId: '7', changeKey: 'a', occurredAt: 1_700_000_000_001 }),
        incoming({ objectId: '7', changeKey: null }),
        incoming({ objectId: '7', changeKey: null }),
        incoming({ objectId: '7' }),
      ]);
      expect(result).toMatchObject({ stored: 6, duplicates: 0 });
    });

    test('when events are own writes or ignored, then they are recorded but create no work', async () => {
      const store = await open();
      const result = await store.ingest([
        incoming({ objectId: '1', disposition: 'own_write', propertyName: 'uld_status' }),
        incoming({ objectId: '2', disposition: 'ignored', subscriptionType: 'ticket.creation', objectType: 'ticket' }),
      ]);
      expect(result).toEqual({ stored: 2, duplicates: 0, work: 0, ownWrites: 1, ignored: 1, unitsTouched: 0 });
      expect(await store.countEvents({ disposition: 'own_write' })).toBe(1);
      expect(await store.listWork()).toEqual([]);
    });

    test('when part of an ingest fails, then nothing of it is stored', async () => {
      const store = await open();
      const bad = incoming({ objectId: '2', marks: [{ objectType: null as unknown as string, objectId: '2', change: 'created', occurredAt: 1 }] });
      // Compared by message: the driver's errors come from a native module, not from Jest's realm.
      const outcome = await store.ingest([incoming({ objectId: '1' }), bad]).then(
        (result) => ({ resolved: result }),
        (err: unknown) => ({ rejected: String((err as { message?: unknown }).message ?? err) }),
      );
      expect(outcome).toEqual({ rejected: expect.stringMatching(/null/i) });
      expect(await store.countEvents()).toBe(0);
      expect(await store.listWork()).toEqual([]);
    });

    test('when a worker claims, then it gets up to the limit of one object type, attempts counted, leased to it', async () => {
      const store = await open();
      await store.ingest([...Array.from({ length: 120 }, (_, i) => incoming({ objectId: String(i + 1) })), incoming({ objectType: 'deal', objectId: '9' })]);
      const batch = await store.claim({ objectType: 'contact', owner: 'w1', leaseMs: 30_000 });
      expect(batch.units).toHaveLength(100);
      expect(batch.lease).toEqual({ token: expect.any(String), owner: 'w1', expiresAt: clock.now() + 30_000 });
      expect(batch.units.every((u) => u.objectType === 'contact' && u.attempts === 1 && u.leaseOwner === 'w1')).toBe(true);
      const rest = await store.claim({ objectType: 'contact', owner: 'w2', limit: 500 });
      expect(rest.units).toHaveLength(20);
      expect(new Set([...batch.units, ...rest.units].map((u) => u.id)).size).toBe(120);
      expect((await store.claim({ objectType: 'contact', owner: 'w3' })).units).toEqual([]);
      expect((await store.claim({ objectType: 'deal', owner: 'w3' })).units).toHaveLength(1);
    });

    test('when two instances claim concurrently, then their batches are disjoint', async () => {
      const [a, b] = await Promise.all([open(), open()]);
      await a.ingest(Array.from({ length: 300 }, (_, i) => incoming({ objectId: String(i + 1) })));
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claim({ objectType: 'contact', owner: `w${i}`, limit: 50 })),
      );
      const ids = claims.flatMap((c) => c.units.map((u) => u.id));
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
    });

    test('when a lease expires, then another worker can claim the unit and the stale worker loses it', async () => {
      const store = await open({ queue: { leaseMs: 10_000 } });
      await store.ingest([incoming({ objectId: '1' })]);
      const first = await store.claim({ objectType: 'contact', owner: 'crashed' });
      clock.advance(9_999);
      expect((await store.claim({ objectType: 'contact', owner: 'w2' })).units).toEqual([]);
      clock.advance(1);
      const second = await store.claim({ objectType: 'contact', owner: 'w2' });
      expect(second.units.map((u) => [u.objectId, u.attempts])).toEqual([['1', 2]]);
      expect(await store.complete(first.lease, [first.units[0]!.id])).toEqual({ completed: [], requeued: [], lost: [first.units[0]!.id] });
      expect(await store.complete(second.lease, [second.units[0]!.id])).toEqual({ completed: [second.units[0]!.id], requeued: [], lost: [] });
      expect(await store.listWork()).toEqual([]);
    });

    test('when events arrive for a leased unit, then completing it requeues the unit instead of losing them', async () => {
      const store = await open();
      await store.ingest([incoming({ objectId: '1', propertyName: 'email' })]);
      const batch = await store.claim({ objectType: 'contact', owner: 'w1' });
      await store.ingest([incoming({ objectId: '1', propertyName: 'country' })]);
      expect((await store.claim({ objectType: 'contact', owner: 'w2' })).units).toEqual([]);
      const id = batch.units[0]!.id;
      expect(await store.complete(batch.lease, [id])).toEqual({ completed: [], requeued: [id], lost: [] });
      const again = await store.claim({ objectType: 'contact', owner: 'w2' });
      expect(again.units).toHaveLength(1);
      expect(again.units[0]).toMatchObject({ attempts: 1, properties: ['country', 'email'], eventCount: 2 });
    });

    test('when a unit fails, then it waits out a growing backoff and keeps the error', async () => {
      const store = await open({ queue: { backoffBaseMs: 1000, maxAttempts: 5 } });
      await store.ingest([incoming({ objectId: '1' })]);
      let batch = await store.claim({ objectType: 'contact', owner: 'w1' });
      const id = batch.units[0]!.id;
      expect(await store.fail(batch.lease, [{ id, error: 'HubSpot 502' }])).toEqual({ retrying: [id], deadLettered: [], lost: [] });
      const [waiting] = await store.listWork();
      expect(waiting!.lastError).toBe('HubSpot 502');
      expect(waiting!.leaseOwner).toBeNull();
      expect(waiting!.availableAt - clock.now()).toBeGreaterThanOrEqual(500);
      expect(waiting!.availableAt - clock.now()).toBeLessThanOrEqual(1000);
      expect((await store.claim({ objectType: 'contact', owner: 'w1' })).units).toEqual([]);
      clock.advance(waiting!.availableAt - clock.now());
      batch = await store.claim({ objectType: 'contact', owner: 'w1' });
      expect(batch.units.map((u) => u.attempts)).toEqual([2]);
      await store.fail(batch.lease, [{ id, error: 'HubSpot 502 again' }]);
      const [second] = await store.listWork();
      expect(second!.availableAt - clock.now()).toBeGreaterThanOrEqual(1000);
      expect(second!.availableAt - clock.now()).toBeLessThanOrEqual(2000);
    });

    test('when a batch fails together, then its units wait out the same backoff and come back as one batch', async () => {
      const store = await open({ queue: { backoffBaseMs: 1000, maxAttempts: 5 } });
      await store.ingest(['1', '2', '3', '4', '5'].map((objectId) => incoming({ objectId })));
      const batch = await store.claim({ objectType: 'contact', owner: 'w1' });
      expect(batch.units).toHaveLength(5);
      const result = await store.fail(batch.lease, batch.units.map((u) => ({ id: u.id, error: 'HubSpot 502' })));
      expect(result.retrying.sort()).toEqual(batch.units.map((u) => u.id).sort());
      const waiting = await store.listWork();
      expect(new Set(waiting.map((w) => w.availableAt)).size).toBe(1);
      clock.advance(waiting[0]!.availableAt - clock.now());
      expect((await store.claim({ objectType: 'contact', owner: 'w1' })).units).toHaveLength(5);
    });

    test('when a unit fails on its last attempt, then it moves to the dead letters with the last error', async () => {
      const store = await open({ queue: { backoffBaseMs: 1, maxAttempts: 3 } });
      await store.ingest([incoming({ objectId: '1', propertyName: 'email' })]);
      for (let attempt = 1; attempt <= 3; attempt++) {
        clock.advance(10);
        const batch = await store.claim({ objectType: 'contact', owner: 'w1' });
        expect(batch.units.map((u) => u.attempts)).toEqual([attempt]);
        const result = await store.fail(batch.lease, [{ id: batch.units[0]!.id, error: `boom ${attempt}` }]);
        expect(result.deadLettered).toHaveLength(attempt === 3 ? 1 : 0);
      }
      expect(await store.listWork()).toEqual([]);
      const [dead] = await store.listDeadLetters();
      expect(dead).toMatchObject({ objectType: 'contact', objectId: '1', attempts: 3, lastError: 'boom 3', properties: ['email'], changes: ['property_changed'] });
      expect((await store.queueStats()).deadLetters).toBe(1);
    });

    test('when a failure is permanent, then the unit is dead-lettered at once', async () => {
      const store = await open();
      await store.ingest([incoming({ objectId: '1' }), incoming({ objectId: '2' })]);
      const batch = await store.claim({ objectType: 'contact', owner: 'w1' });
      const [a, b] = batch.units;
      const result = await store.fail(batch.lease, [
        { id: a!.id, error: 'Property values were not valid: uld_score', permanent: true },
        { id: b!.id, error: 'timeout' },
      ]);
      expect(result).toEqual({ retrying: [b!.id], deadLettered: [a!.id], lost: [] });
      expect((await store.listDeadLetters()).map((d) => d.lastError)).toEqual(['Property values were not valid: uld_score']);
    });

    test('when a worker keeps dying, then the unit is dead-lettered once its attempts are spent', async () => {
      const store = await open({ queue: { maxAttempts: 2, leaseMs: 1000 } });
      await store.ingest([incoming({ objectId: '1' })]);
      await store.claim({ objectType: 'contact', owner: 'dies' });
      clock.advance(1000);
      expect((await store.claim({ objectType: 'contact', owner: 'dies' })).units).toHaveLength(1);
      clock.advance(1000);
      expect((await store.claim({ objectType: 'contact', owner: 'w' })).units).toEqual([]);
      const [dead] = await store.listDeadLetters();
      expect(dead!.lastError).toMatch(/lease expired on attempt 2 of 2/);
      expect(await store.listWork()).toEqual([]);
    });

    test('when the attempt limit is lowered below what a waiting unit has spent, then it is dead-lettered, not stranded', async () => {
      const before = await open({ queue: { backoffBaseMs: 1, maxAttempts: 8 } });
      await before.ingest([incoming({ objectId: '1' })]);
      for (let i = 0; i < 3; i++) {
        clock.advance(10);
        const batch = await before.claim({ objectType: 'contact', owner: 'w' });
        await before.fail(batch.lease, [{ id: batch.units[0]!.id, error: `boom ${i + 1}` }]);
      }
      const after = await open({ queue: { maxAttempts: 2 } });
      clock.advance(10);
      expect((await after.claim({ objectType: 'contact', owner: 'w' })).units).toEqual([]);
      expect(await after.listWork()).toEqual([]);
      const [dead] = await after.listDeadLetters();
      expect(dead).toMatchObject({ objectId: '1', attempts: 3, lastError: 'attempts spent (3 of 2); last error: boom 3' });
    });

    test('when a dead letter is retried onto a unit that has been failing since, then the unit gets fresh attempts and no backoff', async () => {
      const store = await open({ queue: { backoffBaseMs: 60_000, maxAttempts: 3 } });
      await store.ingest([incoming({ objectId: '1', propertyName: 'email' })]);
      let batch = await store.claim({ objectType: 'contact', owner: 'w' });
      await store.fail(batch.lease, [{ id: batch.units[0]!.id, error: 'bad', permanent: true }]);
      await store.ingest([incoming({ objectId: '1', propertyName: 'country' })]);
      batch = await store.claim({ objectType: 'contact', owner: 'w' });
      await store.fail(batch.lease, [{ id: batch.units[0]!.id, error: 'HubSpot 502' }]);
      expect((await store.listWork())[0]).toMatchObject({ attempts: 1, lastError: 'HubSpot 502' });
      expect(await store.retryDeadLetters('all')).toBe(1);
      expect((await store.listWork())[0]).toMatchObject({ attempts: 0, lastError: null, availableAt: clock.now(), properties: ['country', 'email'] });
      expect((await store.claim({ objectType: 'contact', owner: 'w' })).units.map((u) => u.attempts)).toEqual([1]);
    });

    test('when dead letters are retried, then they return with fresh attempts, merged with newer events; dropped ones are gone', async () => {
      const store = await open({ queue: { maxAttempts: 1 } });
      await store.ingest([incoming({ objectId: '1', propertyName: 'email' }), incoming({ objectId: '2' }), incoming({ objectId: '3' })]);
      const batch = await store.claim({ objectType: 'contact', owner: 'w' });
      await store.fail(batch.lease, batch.units.map((u) => ({ id: u.id, error: 'bad' })));
      expect(await store.listDeadLetters()).toHaveLength(3);
      await store.ingest([incoming({ objectId: '1', propertyName: 'country' })]);
      const [d1, d2, d3] = await store.listDeadLetters();
      expect(await store.retryDeadLetters([d1!.id])).toBe(1);
      const units = await store.listWork();
      expect(units).toHaveLength(1);
      expect(units[0]).toMatchObject({ objectId: '1', attempts: 0, properties: ['country', 'email'], eventCount: 2 });
      expect(await store.dropDeadLetters([d2!.id])).toBe(1);
      expect((await store.listDeadLetters()).map((d) => d.id)).toEqual([d3!.id]);
      expect(await store.retryDeadLetters('all')).toBe(1);
      expect(await store.listDeadLetters()).toEqual([]);
      expect((await store.listWork()).map((u) => u.objectId)).toEqual(['1', '3']);
    });

    test('when a unit is deferred, then it waits until the given time without spending an attempt', async () => {
      const store = await open();
      await store.ingest([incoming({ objectId: '1' })]);
      const batch = await store.claim({ objectType: 'contact', owner: 'w' });
      expect(await store.defer(batch.lease, [batch.units[0]!.id], clock.now() + 10_000)).toEqual([batch.units[0]!.id]);
      expect((await store.claim({ objectType: 'contact', owner: 'w' })).units).toEqual([]);
      clock.advance(10_000);
      expect((await store.claim({ objectType: 'contact', owner: 'w' })).units.map((u) => u.attempts)).toEqual([1]);
    });

    test('when a holder heartbeats, then its units outlive the first expiry; once another claim took a unit, the renewal leaves it out', async () => {
      const store = await open({ queue: { leaseMs: 1000 } });
      await store.ingest([incoming({ objectId: '1' }), incoming({ objectId: '2' }), incoming({ objectId: '3' })]);
      const first = await store.claim({ objectType: 'contact', owner: 'w', limit: 2 });
      const second = await store.claim({ objectType: 'contact', owner: 'w', limit: 1 });
      const ids = [...first.units, ...second.units].map((u) => u.id).sort((a, b) => a - b);
      clock.advance(900);
      expect((await store.renewLeases([first.lease, second.lease], clock.now() + 1000)).sort((a, b) => a - b)).toEqual(ids);
      clock.advance(900);
      // Past the first expiry, before the renewed one: nobody else may claim them.
      expect((await store.claim({ objectType: 'contact', owner: 'x' })).units).toEqual([]);
      expect((await store.listWork()).every((u) => u.leaseExpiresAt === clock.now() + 100)).toBe(true);
      // A renewal never shortens a lease.
      expect((await store.renewLeases([first.lease], clock.now() + 10)).sort((a, b) => a - b)).toEqual(first.units.map((u) => u.id).sort((a, b) => a - b));
      expect((await store.listWork()).every((u) => u.leaseExpiresAt === clock.now() + 100)).toBe(true);
      clock.advance(200);
      // Expired: the holder stopped heartbeating. Another instance takes the units over...
      const taken = await store.claim({ objectType: 'contact', owner: 'x', limit: 2 });
      expect(taken.units.map((u) => u.id)).toEqual(first.units.map((u) => u.id));
      expect(taken.units.map((u) => u.attempts)).toEqual([2, 2]);
      // ...and the old holder's renewal answers only the unit nobody took, still its own (its token is on it).
      expect(await store.renewLeases([first.lease, second.lease], clock.now() + 1000)).toEqual(second.units.map((u) => u.id));
      expect(await store.renewLeases([], clock.now() + 1000)).toEqual([]);
      // The old holder's completion of a unit taken over is refused by its token, as before.
      expect((await store.complete(first.lease, [first.units[0]!.id])).lost).toEqual([first.units[0]!.id]);
    });

    test('when a renewal comes with a time already past, then nothing is extended and an expired unit is not reported held', async () => {
      const store = await open({ queue: { leaseMs: 1000 } });
      await store.ingest([incoming({ objectId: '1' })]);
      const batch = await store.claim({ objectType: 'contact', owner: 'w' });
      clock.advance(1500);
      expect(await store.renewLeases([batch.lease], clock.now() - 1)).toEqual([]);
      expect((await store.claim({ objectType: 'contact', owner: 'x' })).units.map((u) => u.objectId)).toEqual(['1']);
    });

    test('when an instance shuts down, then its leases are released at once with the attempt refunded', async () => {
      const [a, b] = await Promise.all([open(), open()]);
      await a.ingest([incoming({ objectId: '1' }), incoming({ objectId: '2' })]);
      await a.claim({ objectType: 'contact', owner: 'instance-a', limit: 1 });
      await b.claim({ objectType: 'contact', owner: 'instance-b', limit: 1 });
      expect(await a.releaseLeases({ owner: 'instance-a' })).toBe(1);
      const again = await b.claim({ objectType: 'contact', owner: 'instance-b' });
      expect(again.units.map((u) => u.attempts)).toEqual([1]);
    });

    test('when stats are read, then depth, leases, oldest unit and dead letters are reported per object type', async () => {
      const store = await open();
      await store.ingest([incoming({ objectId: '1' }), incoming({ objectId: '2' })]);
      clock.advance(5000);
      await store.ingest([incoming({ objectType: 'deal', objectId: '3' })]);
      await store.claim({ objectType: 'contact', owner: 'w', limit: 1 });
      const stats = await store.queueStats();
      expect(stats).toEqual({
        byObjectType: [
          { objectType: 'contact', pending: 1, leased: 1, oldestCreatedAt: clock.now() - 5000 },
          { objectType: 'deal', pending: 1, leased: 0, oldestCreatedAt: clock.now() },
        ],
        deadLetters: 0,
      });
    });

    test('when new units are ingested with a debounce, then they become claimable only after it', async () => {
      const store = await open();
      await store.ingest([incoming({ objectId: '1' })], { availableAfterMs: 2000 });
      expect((await store.claim({ objectType: 'contact', owner: 'w' })).units).toEqual([]);
      clock.advance(2000);
      expect((await store.claim({ objectType: 'contact', owner: 'w' })).units).toHaveLength(1);
    });

    test('when retention runs, then only events received before the cutoff are deleted; their work stays', async () => {
      const store = await open();
      await store.ingest([incoming({ objectId: '1' }), incoming({ objectId: '2' })]);
      const cutoff = clock.now() + 1;
      clock.advance(10);
      await store.ingest([incoming({ objectId: '3' })]);
      expect(await store.pruneEvents(cutoff)).toBe(2);
      expect((await store.listEvents()).map((e) => e.objectId)).toEqual(['3']);
      expect(await store.listWork()).toHaveLength(3);
    });

    test('when the store is closed, then health says so', async () => {
      const store = await open();
      await store.close();
      expect(await store.health()).toMatchObject({ reachable: false });
    });

    test('retry delays double per attempt and stay within the cap', () => {
      const policy = { leaseMs: 1, maxAttempts: 10, backoffBaseMs: 1000, backoffMaxMs: 5000 };
      expect([1, 2, 3, 4].map((a) => retryDelayMs(a, policy, () => 1))).toEqual([1000, 2000, 4000, 5000]);
      expect(retryDelayMs(3, policy, () => 0)).toBe(2000);
    });
  });
}

import { openStore, type HandOffRecord, type Store } from '../../src/store';
import type { FreshDatabase } from './conformance';

/**
 * The hand-off log, asserted the same way on every backend: a hand-off is claimed once, whoever asks and
 * however often (retried batches, replayed webhooks, two workers), and a Lead finds its contact.
 */
export function describeHandOffConformance(backend: string, fresh: () => Promise<FreshDatabase>): void {
  describe(`hand-off conformance: ${backend}`, () => {
    let database: FreshDatabase;
    let store: Store;
    let other: Store;
    beforeEach(async () => {
      database = await fresh();
      store = await openStore(database.url, database.options);
      other = await openStore(database.url, database.options);
    });
    afterEach(async () => {
      await Promise.all([store.close(), other.close()]);
      await database.dispose();
    });

    const row = (contactId: string, over: Partial<HandOffRecord> = {}): HandOffRecord => ({
      contactId,
      mode: 'lead',
      ownerId: '9001',
      objectId: null,
      handedOffAt: 1_700_000_000_000,
      dueAt: 1_700_086_400_000,
      attemptedAt: 1_700_000_000_000,
      ...over,
    });

    test('when a hand-off is claimed twice, then only the first claim gets it and the row keeps the first values', async () => {
      expect(await store.claimHandOffs([row('100000000001'), row('100000000002', { mode: 'task', ownerId: null })])).toEqual(expect.arrayContaining(['100000000001', '100000000002']));
      expect(await store.claimHandOffs([row('100000000001', { ownerId: '7', handedOffAt: 1 }), row('100000000003')])).toEqual(['100000000003']);
      const got = await store.handOffs(['100000000001', '100000000002', '100000000009']);
      expect([...got.keys()].sort()).toEqual(['100000000001', '100000000002']);
      expect(got.get('100000000001')).toEqual(row('100000000001'));
      expect(got.get('100000000002')).toMatchObject({ mode: 'task', ownerId: null, objectId: null });
    });

    test('when two workers claim the same contacts at once, then each contact is claimed by exactly one', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => String(100000000100 + i));
      const [a, b] = await Promise.all([store.claimHandOffs(ids.map((id) => row(id))), other.claimHandOffs([...ids].reverse().map((id) => row(id)))]);
      expect([...a, ...b].sort()).toEqual(ids);
    });

    test('when the Lead is recorded, then its contact is found by the lead id and it is no longer pending', async () => {
      await store.claimHandOffs([row('100000000001'), row('100000000002', { attemptedAt: 1_700_000_500_000 }), row('100000000003', { mode: 'task' })]);
      expect((await store.pendingHandOffs('lead', 1_700_001_000_000)).map((h) => h.contactId)).toEqual(['100000000001', '100000000002']);
      await store.setHandOffObject('100000000001', '60000000001');
      expect(await store.handOffByObject('60000000001')).toEqual(row('100000000001', { objectId: '60000000001' }));
      expect(await store.handOffByObject('60000000999')).toBeNull();
      expect((await store.pendingHandOffs('lead', 1_700_001_000_000)).map((h) => h.contactId)).toEqual(['100000000002']);
      // A pending hand-off attempted again settles again before the next look.
      await store.markHandOffAttempt(['100000000002'], 1_700_002_000_000);
      expect(await store.pendingHandOffs('lead', 1_700_001_000_000)).toEqual([]);
      expect((await store.pendingHandOffs('lead', 1_700_003_000_000, 10)).map((h) => h.attemptedAt)).toEqual([1_700_002_000_000]);
    });
  });
}

import { reconcile, SEARCH_RESULT_CAP } from '../../jobs';
import { contactWriteback } from '../../src/sync/contact-writeback';
import { syncWorld, type SyncWorld } from '../sync/harness';

/**
 * `reconcile` closes the gap webhooks leave: HubSpot drops a delivery for good after a day of retries.
 */

const USER = { sourceType: 'CRM_UI' as const, userId: 7 };

function wrongContacts(world: SyncWorld, ids: readonly string[]): string[] {
  return ids.filter((id) => {
    const props = world.sandbox.portal.get('contacts', id)!.properties;
    const want = contactWriteback(world.expected(id), { current: {}, firstDealCreatedAt: null }, world.now);
    return props.uld_status !== want.status || props.uld_reasons !== want.changes.uld_reasons;
  });
}

describe('reconcile', () => {
  it('when 10% of webhook deliveries are lost for good, then one reconcile makes every record right', async () => {
    const world = await syncWorld({ sandbox: { contacts: 1500, deals: 200, webhooks: { faults: { dropRate: 0.1 } } } });
    try {
      const { portal } = world.sandbox;
      const ids = [...portal.ids('contacts')];
      // A first reconcile from the beginning of time is what an install's first run does; start after it.
      await world.store.setCheckpoint('reconcile:contacts', String(world.now - 1000));
      await world.store.setCheckpoint('reconcile:companies', String(world.now - 1000));
      await world.store.setCheckpoint('reconcile:deals', String(world.now - 1000));
      for (const id of ids) portal.update('contacts', id, { hs_analytics_num_page_views: String(Number(portal.get('contacts', id)!.properties.hs_analytics_num_page_views ?? 0) + 12) }, USER);
      await world.settle();
      expect(world.sandbox.webhooks.stats.dropped).toBeGreaterThan(0);
      const missed = wrongContacts(world, ids);
      // The dropped batches left records unqualified: the test would prove nothing otherwise.
      expect(missed.length).toBeGreaterThan(0);

      const counts = await reconcile({ gateway: world.gateway, store: world.store, now: Date.now() + 1000, overlapMs: 5 * 60_000 });
      expect(counts.found).toBeGreaterThanOrEqual(ids.length);
      await world.settle();
      expect(wrongContacts(world, ids)).toEqual([]);
    } finally {
      await world.stop();
    }
  }, 120_000);

  it('when a window holds more than 10,000 changed records, then it is split and every record is queued exactly once', async () => {
    // Search at full speed: this test is about coverage, the limiter has tests of its own.
    const world = await syncWorld({ sandbox: { contacts: 12_500, companies: 100, deals: 0 }, gateway: { searchPerSecond: 1000 } });
    try {
      const found = new Set<string>();
      const original = world.store.markDirty.bind(world.store);
      let marks = 0;
      world.store.markDirty = async (m, availableAt) => {
        for (const x of m) if (x.objectType === 'contact') found.add(x.objectId);
        marks += m.filter((x) => x.objectType === 'contact').length;
        return original(m, availableAt);
      };
      const counts = await reconcile({ gateway: world.gateway, store: world.store, now: Date.now() + 1000, overlapMs: 0, firstRunFromMs: 0 });
      world.store.markDirty = original;
      expect(world.sandbox.portal.count('contacts')).toBeGreaterThan(SEARCH_RESULT_CAP);
      expect(found.size).toBe(world.sandbox.portal.count('contacts'));
      // Every contact once: the halves of a split window do not overlap.
      expect(marks).toBe(found.size);
      expect(counts.windows).toBeGreaterThan(3);
      // The checkpoint moved to the end of the range, so the next run starts there.
      expect(Number(await world.store.getCheckpoint('reconcile:contacts'))).toBeGreaterThan(world.now);
    } finally {
      await world.stop();
    }
  }, 120_000);
});

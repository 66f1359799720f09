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

  it('when the records changed in the window were last changed by our own write-back, then reconcile does not queue them again', async () => {
    const world = await syncWorld({ sandbox: { contacts: 300, companies: 30, deals: 0 } });
    try {
      const { portal } = world.sandbox;
      const ids = [...portal.ids('contacts')];
      await world.store.markDirty(ids.map((objectId) => ({ objectType: 'contact', objectId, change: 'property_changed' as const, occurredAt: world.now })));
      await world.settle();
      // Every contact was written back by us, so every one was modified within the window.
      expect(ids.every((id) => portal.get('contacts', id)!.properties.uld_status)).toBe(true);
      // Then a rep changes ten contacts, and those webhooks are lost.
      world.sandbox.webhooks.setFaults({ dropRate: 1 });
      const changed = ids.slice(0, 10);
      for (const id of changed) portal.update('contacts', id, { jobtitle: 'VP Sales' }, USER);
      await world.sandbox.webhooks.idle();
      for (const t of ['contacts', 'companies', 'deals']) await world.store.setCheckpoint(`reconcile:${t}`, String(world.now - 1000));
      const queued = new Set<string>();
      const original = world.store.markDirty.bind(world.store);
      world.store.markDirty = async (m, availableAt) => {
        for (const x of m) if (x.objectType === 'contact') queued.add(x.objectId);
        return original(m, availableAt);
      };
      const counts = await reconcile({ gateway: world.gateway, store: world.store, now: Date.now() + 1000, overlapMs: 5 * 60_000 });
      world.store.markDirty = original;
      expect(counts.found).toBeGreaterThanOrEqual(ids.length);
      expect([...queued].sort()).toEqual([...changed].sort());
      expect(counts.ownWrites).toBeGreaterThanOrEqual(ids.length - changed.length);
      await world.settle();
      for (const id of changed) expect(portal.get('contacts', id)!.properties.uld_reasons).toContain(world.expected(id).reasons[0]!.text);
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

import { createGateway, type HubSpotGateway } from '../../src/hubspot';
import { contactWriteback } from '../../src/sync/contact-writeback';
import { syncWorld, webhooksIdle, type SyncWorld } from './harness';

/**
 * Acceptance 6 end to end: the sandbox portal has the new project app and the old legacy app installed,
 * and both deliver every change to the real receiver (`uld serve`'s HTTP role, opened with
 * HUBSPOT_PREVIOUS_*), each with its own eventIds, signed with its own secret. Every change is worked
 * once, and the echoes of writes by either app create no work.
 */

const CONTACTS = 120;
const OLD_APP = { accessToken: 'pat-na1-00000000-0000-0000-0000-00000000old1', appId: 1_700_042, clientSecret: 'old-legacy-app-secret' };
const REP = { sourceType: 'CRM_UI' as const, sourceId: 'userId:7', userId: 7 };

describe('a migration window on a sandbox portal: two apps, one receiver', () => {
  let world: SyncWorld;
  let oldAppGateway: HubSpotGateway;
  beforeAll(async () => {
    world = await syncWorld({ sandbox: { contacts: CONTACTS, deals: 20, previousApp: OLD_APP } });
    oldAppGateway = createGateway({ accessToken: OLD_APP.accessToken, baseUrl: world.sandbox.url, rateLimitPer10s: 100_000 });
  }, 120_000);
  afterAll(async () => {
    oldAppGateway?.close?.();
    await world?.stop();
  });

  const deliveries = (w: SyncWorld) => [w.sandbox.webhooks, w.sandbox.previousApp!.webhooks];

  it('when a rep changes every contact, then both apps deliver each change, it is stored and worked once, and every record is right', async () => {
    const { portal } = world.sandbox;
    const contacts = [...portal.ids('contacts')];
    // Counted from here: the other test's writes may have come first (the tests run in any order).
    const [current, previous] = deliveries(world);
    const generatedBefore = { current: current!.stats.eventsGenerated, previous: previous!.stats.eventsGenerated };
    const deliveriesBefore = { current: current!.deliveries.length, previous: previous!.deliveries.length };
    const storedBefore = await world.store.countEvents();
    const lastIdBefore = Math.max(0, ...(await world.store.listEvents({ limit: 100_000 })).map((e) => e.id));
    const sinceHere = async (filter: Parameters<SyncWorld['store']['listEvents']>[0] = {}) => (await world.store.listEvents({ ...filter, limit: 100_000 })).filter((e) => e.id > lastIdBefore);
    const generated = () => current!.stats.eventsGenerated - generatedBefore.current;
    for (const id of contacts) {
      const views = Number(portal.get('contacts', id)!.properties.hs_analytics_num_page_views ?? 0);
      portal.update('contacts', id, { hs_analytics_num_page_views: String(views + 1) }, REP);
    }
    await webhooksIdle(world.sandbox);

    // Both apps delivered every change, each signed with its own secret, and the receiver took them all.
    expect(previous!.stats.eventsGenerated - generatedBefore.previous).toBe(generated());
    expect(generated()).toBeGreaterThanOrEqual(CONTACTS);
    for (const [app, before] of [[current!, deliveriesBefore.current], [previous!, deliveriesBefore.previous]] as const) {
      expect(new Set(app.deliveries.slice(before).map((d) => d.result))).toEqual(new Set(['200']));
    }
    const currentIds = new Set(current!.deliveries.flatMap((d) => d.eventIds));
    expect(previous!.deliveries.flatMap((d) => d.eventIds).filter((id) => currentIds.has(id))).toEqual([]);

    // One stored event per change, whichever app's copy came first; one event in each contact's unit.
    const events = await sinceHere();
    expect(events).toHaveLength(generated());
    const appsStored = new Set(events.map((e) => (JSON.parse(e.payload) as { appId: number }).appId));
    expect([...appsStored].every((id) => id === world.sandbox.appId || id === OLD_APP.appId)).toBe(true);
    const units = await world.store.listWork();
    expect(units.filter((u) => u.objectType === 'contact').map((u) => u.eventCount)).toEqual(contacts.map(() => 1));

    await world.settle();
    for (const id of contacts) {
      const want = world.expected(id);
      const wb = contactWriteback(want, { current: {}, firstDealCreatedAt: null }, world.now);
      expect({ id, status: portal.get('contacts', id)!.properties.uld_status }).toEqual({ id, status: wb.status });
    }
    // The engine's write-back to subscribed properties came back from both apps, naming the new app as the
    // writer: ours, one stored copy per change, no work.
    const ownWrites = await sinceHere({ disposition: 'own_write' });
    expect(ownWrites.length).toBeGreaterThan(0);
    expect(new Set(ownWrites.map((e) => e.sourceId))).toEqual(new Set([String(world.sandbox.appId)]));
    expect(previous!.stats.eventsGenerated - generatedBefore.previous).toBe(generated());
    expect((await world.store.countEvents()) - storedBefore).toBe(generated());
    expect(await world.store.listWork()).toEqual([]);
  }, 120_000);

  it("when an instance still running with the old app's token writes, then the echoes from both apps create no work", async () => {
    const { portal } = world.sandbox;
    const ids = [...portal.ids('contacts')].slice(0, 10);
    const before = await world.store.countEvents({ disposition: 'own_write' });
    const result = await oldAppGateway.update('contacts', ids.map((id) => ({ id, properties: { jobtitle: `Head of Migration ${id}` } })));
    expect({ written: result.written.length, rejected: result.rejected }).toEqual({ written: ids.length, rejected: [] });
    // HubSpot names the writer: the old app's id, whichever app delivers the event.
    expect(portal.get('contacts', ids[0]!)!.properties.jobtitle).toBe(`Head of Migration ${ids[0]}`);
    await webhooksIdle(world.sandbox);

    const echoes = (await world.store.listEvents({ disposition: 'own_write', limit: 100_000 })).filter((e) => e.sourceId === String(OLD_APP.appId));
    expect(echoes.map((e) => e.objectId).sort()).toEqual([...ids].sort());
    expect(await world.store.countEvents({ disposition: 'own_write' })).toBe(before + ids.length);
    expect(await world.store.listWork()).toEqual([]);
  }, 60_000);
});

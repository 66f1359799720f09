import { requalify } from '../../jobs';
import { syncWorld } from '../sync/harness';

/**
 * `requalify`: decisions that move with the clock alone, and hand-offs nobody answered.
 */

const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const DAY = 86_400_000;

it('when time passes, then engagement that decayed is written back, and a sales-ready lead without feedback past the SLA is flagged once', async () => {
  const world = await syncWorld({ sandbox: { contacts: 1000, deals: 100 } });
  try {
    const { portal } = world.sandbox;
    const ids = [...portal.ids('contacts')];
    for (const id of ids) portal.update('contacts', id, { hs_analytics_num_page_views: String(Number(portal.get('contacts', id)!.properties.hs_analytics_num_page_views ?? 0) + 1) }, USER);
    await world.settle();
    const salesReady = ids.filter((id) => portal.get('contacts', id)!.properties.uld_status === 'sales_ready');
    // The portal is built so that a few percent are sales ready: the SLA check has something to find.
    expect(salesReady.length).toBeGreaterThan(0);
    const engagedBefore = new Map(ids.map((id) => [id, Number(portal.get('contacts', id)!.properties.uld_engagement_score)]));

    // Thirty days later, by the engine's and the job's clock.
    const later = world.now + 30 * DAY;
    const counts = await requalify({ gateway: world.gateway, store: world.store, definition: world.definition, now: later, slaHours: 24 });
    expect(counts.queued).toBe(ids.length);
    expect(counts.slaBreaches).toBe(salesReady.length);
    await world.engine.with({ now: () => later }).drain();

    const decayed = ids.filter((id) => Number(portal.get('contacts', id)!.properties.uld_engagement_score) < engagedBefore.get(id)!);
    expect(decayed.length).toBeGreaterThan(0);
    for (const id of salesReady) expect(portal.get('contacts', id)!.properties.uld_sla_breached).toBe('true');
    const flaggedOthers = ids.filter((id) => !salesReady.includes(id) && portal.get('contacts', id)!.properties.uld_sla_breached === 'true');
    expect(flaggedOthers).toEqual([]);

    // A second night: the flags are already there, nothing is written again.
    const again = await requalify({ gateway: world.gateway, store: world.store, definition: world.definition, now: later + 60_000, slaHours: 24 });
    expect(again.newlyFlagged).toBe(0);
  } finally {
    await world.stop();
  }
}, 120_000);

import { ActivitySimulator, Portal, generatePortal, loadGeneratedPortal, type PortalChange } from '../../src/sandbox';

/** The activity simulator keeps a portal changing, with the change sources a real portal reports. */
const NOW = Date.UTC(2025, 5, 1);

function seededPortal(): Portal {
  const portal = new Portal(1, () => NOW);
  loadGeneratedPortal(portal, generatePortal({ seed: 12, contacts: 500, now: NOW }));
  return portal;
}

describe('activity simulator', () => {
  it('when stepped with the same seed, then the same activities happen to the same records', () => {
    const run = (): Array<[string, string, string]> => new ActivitySimulator(seededPortal(), { seed: 5 }).step(200).map((a) => [a.kind, a.objectId, a.changeSource]);
    const first = run();
    expect(first.length).toBeGreaterThan(180);
    expect(run()).toEqual(first);
    expect(new Set(first.map(([kind]) => kind))).toEqual(new Set(['pageView', 'emailEngagement', 'formSubmission', 'newContact', 'stageMove']));
  });

  it('when activities happen, then the portal changes with ANALYTICS, FORM, EMAIL and CRM_UI sources and deals move forward', () => {
    const portal = seededPortal();
    const changes: PortalChange[] = [];
    portal.onChange((c) => changes.push(c));
    const contactsBefore = portal.count('contacts');
    const simulator = new ActivitySimulator(portal, { seed: 9 });
    simulator.step(300);
    const sources = new Set(changes.filter((c) => c.kind === 'propertyChange').map((c) => (c.kind === 'propertyChange' ? `${c.propertyName}:${c.source.sourceType}` : '')));
    expect(sources).toContain('hs_analytics_num_page_views:ANALYTICS');
    expect(sources).toContain('num_conversion_events:FORM');
    expect(sources).toContain('hs_email_last_open_date:EMAIL');
    expect(sources).toContain('dealstage:CRM_UI');
    expect(portal.count('contacts')).toBe(contactsBefore + simulator.counts.newContact);
    const moved = changes.find((c) => c.kind === 'propertyChange' && c.propertyName === 'dealstage');
    const deal = portal.get('deals', moved?.kind === 'propertyChange' ? moved.objectId : '');
    expect(deal?.properties[`hs_v2_date_entered_${deal.properties.dealstage}`]).toBe(new Date(NOW).toISOString());
    expect(moved?.source.sourceId).toMatch(/^userId:\d+$/);
  });

  it('when started at a rate, then that many activities happen per second until stopped', () => {
    jest.useFakeTimers();
    try {
      const simulator = new ActivitySimulator(seededPortal(), { seed: 3, tickMs: 100 });
      let seen = 0;
      simulator.onActivity(() => {
        seen += 1;
      });
      simulator.start(50);
      expect(simulator.running).toBe(true);
      jest.advanceTimersByTime(1_000);
      expect(seen).toBeGreaterThanOrEqual(45);
      expect(seen).toBeLessThanOrEqual(50);
      simulator.stop();
      const atStop = seen;
      jest.advanceTimersByTime(2_000);
      expect(seen).toBe(atStop);
      expect(simulator.running).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('when contacts are imported, then each is created with change source IMPORT', () => {
    const portal = seededPortal();
    const creations: PortalChange[] = [];
    portal.onChange((c) => {
      if (c.kind === 'creation') creations.push(c);
    });
    const ids = new ActivitySimulator(portal, { seed: 1 }).importContacts(250);
    expect(ids).toHaveLength(250);
    expect(creations.every((c) => c.source.sourceType === 'IMPORT')).toBe(true);
    expect(new Set(ids.map((id) => portal.get('contacts', id)?.properties.email)).size).toBe(250);
  });
});

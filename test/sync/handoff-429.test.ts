import { ASSOCIATION_KINDS } from '../../src/sandbox';
import { syncWorld, type SyncWorld } from './harness';
import { apiPaths, DEFAULT_API_VERSION } from '../../src/hubspot';

/** The paths of the API version the product uses by default (HUBSPOT_API_VERSION unset). */
const API = apiPaths(DEFAULT_API_VERSION);

/**
 * A 429 on the hand-off's task or note create created nothing: the engine waits for the window and sends
 * it again, so the hand-off still happens, once. (Other failures stay at most once: a timeout may have
 * created the task.)
 */
const USER = { sourceType: 'CRM_UI' as const, userId: 7 };

describe('hand-off under HubSpot rate limits', () => {
  let world: SyncWorld;
  let contactId: string;
  beforeAll(async () => {
    world = await syncWorld({ sandbox: { contacts: 0, rateLimit: { windowMs: 500 } } });
    const { portal } = world.sandbox;
    const company = portal.create('companies', { name: 'Fintech 429', domain: 'fintech-429.example', industry: 'FINANCIAL_SERVICES', numberofemployees: '400', annualrevenue: '50000000', country: 'Germany' }, USER);
    const contact = portal.create(
      'contacts',
      {
        email: 'vp@fintech-429.example',
        jobtitle: 'VP Marketing',
        country: 'Germany',
        recent_conversion_event_name: 'Demo request',
        num_conversion_events: '4',
        hs_analytics_num_page_views: '25',
        recent_conversion_date: new Date(world.now - 86_400_000).toISOString(),
        hs_analytics_last_visit_timestamp: String(world.now - 3_600_000),
      },
      USER,
    );
    portal.associate('contacts', contact.id, 'companies', company.id, ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!, USER);
    contactId = contact.id;
  }, 60_000);
  afterAll(() => world?.stop());

  it('when the task and the note creates meet a 429, then both are created once after the window rolls', async () => {
    const owners = world.sandbox.portal.listOwners().map((o) => o.id);
    const engine = world.engine.with({ handOff: { task: true, note: true, ownerIds: owners.slice(0, 1), slaHours: 24 } });
    world.sandbox.faults.script(`POST ${API.batch('tasks', 'create')}`, { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' }, 1);
    world.sandbox.faults.script(`POST ${API.batch('notes', 'create')}`, { kind: 'rateLimit', policy: 'TEN_SECONDLY_ROLLING' }, 2);
    await world.sandbox.webhooks.idle();
    await engine.drain();
    const { portal } = world.sandbox;
    expect(world.sandbox.faults.injected.rateLimit).toBe(3);
    expect(portal.get('contacts', contactId)!.properties.uld_status).toBe('sales_ready');
    expect(portal.associations.list('contacts', contactId, 'tasks')).toHaveLength(1);
    expect(portal.associations.list('contacts', contactId, 'notes')).toHaveLength(1);
    const h = await world.service.store.history(contactId);
    expect(h.writes.filter((w) => w.outcome === 'rejected')).toEqual([]);
  }, 60_000);
});

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ASSOCIATION_KINDS } from '../../src/sandbox';
import { syncWorld, type SyncWorld } from './harness';

/**
 * The hand-off as a rep lives it: a lead becomes sales_ready, a task lands on the owner's list due within
 * the SLA and a note with the reasons on the timeline, once; the rep's feedback is recorded and a
 * rejection sends the lead back to nurture; `uld history` shows every decision and write.
 */

const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const SALES_READY = {
  email: 'vp@fintech-handoff.example',
  jobtitle: 'VP Marketing',
  country: 'Germany',
  recent_conversion_event_name: 'Demo request',
  num_conversion_events: '4',
  hs_analytics_num_page_views: '25',
};

describe('hand-off, feedback and history', () => {
  let world: SyncWorld;
  let companyId: string;
  beforeAll(async () => {
    world = await syncWorld({ sandbox: { contacts: 0 } });
    companyId = world.sandbox.portal.create('companies', { name: 'Fintech Handoff', domain: 'fintech-handoff.example', industry: 'FINANCIAL_SERVICES', numberofemployees: '400', annualrevenue: '50000000', country: 'Germany' }, USER).id;
  }, 60_000);
  afterAll(() => world?.stop());

  // Each test has its own contact (and its own engine, so the round-robin starts at the list's first): what
  // one test does to its lead is never what another reads, whatever order they run in.
  /** A contact the definition makes sales_ready, at the company, without an owner; its webhooks delivered. */
  async function salesReadyContact(email: string): Promise<string> {
    const { portal } = world.sandbox;
    const contact = portal.create('contacts', { ...SALES_READY, email, recent_conversion_date: new Date(world.now - 86_400_000).toISOString(), hs_analytics_last_visit_timestamp: String(world.now - 3_600_000), hubspot_owner_id: '' }, USER);
    portal.associate('contacts', contact.id, 'companies', companyId, ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!, USER);
    await world.sandbox.webhooks.idle();
    return contact.id;
  }
  const owners = () => world.sandbox.portal.listOwners().map((o) => o.id);
  const handOffEngine = () => world.engine.with({ handOff: { task: true, note: true, ownerIds: owners().slice(0, 2), slaHours: 24 } });

  /** The first test's story without its checks: qualified and handed off, then seen again (another event). */
  async function handedOff(contactId: string): Promise<void> {
    const engine = handOffEngine();
    await engine.drain();
    world.sandbox.portal.update('contacts', contactId, { hs_analytics_num_page_views: '26' }, USER);
    await world.sandbox.webhooks.idle();
    await engine.drain();
  }
  /** The rep's rejection, worked. */
  async function rejected(contactId: string): Promise<void> {
    world.sandbox.portal.update('contacts', contactId, { uld_sales_feedback: 'rejected_bad_data' }, USER);
    await world.settle();
  }

  it('when a contact first becomes sales_ready, then one task due within the SLA and one note with the reasons are created, once', async () => {
    const contactId = await salesReadyContact('vp@fintech-handoff.example');
    const engine = handOffEngine();
    await engine.drain();
    const { portal } = world.sandbox;
    expect(portal.get('contacts', contactId)!.properties.uld_status).toBe('sales_ready');
    const tasks = portal.associations.list('contacts', contactId, 'tasks').map((l) => portal.get('tasks', l.toId)!);
    const notes = portal.associations.list('contacts', contactId, 'notes').map((l) => portal.get('notes', l.toId)!);
    expect(tasks).toHaveLength(1);
    expect(notes).toHaveLength(1);
    expect(Date.parse(tasks[0]!.properties.hs_timestamp!)).toBe(world.now + 24 * 3_600_000);
    // No owner on the contact: the round-robin list gives the first one.
    expect(tasks[0]!.properties.hubspot_owner_id).toBe(owners()[0]);
    expect(notes[0]!.properties.hs_note_body).toContain('Sales ready: fit');

    // Seen again (another event): no second hand-off.
    portal.update('contacts', contactId, { hs_analytics_num_page_views: '26' }, USER);
    await world.sandbox.webhooks.idle();
    await engine.drain();
    expect(portal.associations.list('contacts', contactId, 'tasks')).toHaveLength(1);
    expect(portal.associations.list('contacts', contactId, 'notes')).toHaveLength(1);
  }, 60_000);

  it("when the rep rejects the lead, then its status goes back to nurture with the rep's reason, and the feedback is in the mirror", async () => {
    const contactId = await salesReadyContact('vp-rejected@fintech-handoff.example');
    await handedOff(contactId);
    const { portal } = world.sandbox;
    portal.update('contacts', contactId, { uld_sales_feedback: 'rejected_bad_data' }, USER);
    await world.settle();
    const props = portal.get('contacts', contactId)!.properties;
    expect(props.uld_status).toBe('nurture');
    expect(props.uld_reasons!.split('\n')[0]).toBe('Nurture: sales rejected the hand-off (bad data)');
    // First qualification stays a fact.
    expect(props.uld_qualified_at).toBeDefined();
    const mirror = (await world.service.store.getContacts([contactId])).get(contactId)!;
    expect(mirror).toMatchObject({ status: 'nurture', feedback: 'rejected_bad_data' });
    expect(mirror.qualifiedAt).toBe(world.now);
  }, 60_000);

  it('when `uld history` is asked about the contact, then it lists every decision with its reasons and every write', async () => {
    const contactId = await salesReadyContact('vp-history@fintech-handoff.example');
    await handedOff(contactId);
    await rejected(contactId);
    const h = await world.service.store.history(contactId);
    // Newest first; the second look changed nothing, so it is no decision of its own.
    expect(h.decisions.map((d) => `${d.previousStatus ?? '-'} -> ${d.status}`)).toEqual(['sales_ready -> nurture', '- -> sales_ready']);
    expect(h.decisions[0]!.reasons[0]).toBe('Nurture: sales rejected the hand-off (bad data)');
    expect(h.writes.every((w) => w.outcome === 'written')).toBe(true);
    expect(h.writes.at(-1)!.properties).toHaveProperty('uld_status', 'sales_ready');

    const run = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'uld'), 'history', contactId], {
      env: { PATH: process.env.PATH, DATABASE_URL: world.databaseUrl },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`contact ${contactId}: nurture`);
    expect(run.stdout).toContain('sales_ready -> nurture');
    expect(run.stdout).toContain('Nurture: sales rejected the hand-off (bad data)');
    expect(run.stdout).toMatch(/written by uld:sync: .*uld_status/);
  }, 60_000);

  it('when HubSpot refuses the hand-off task (an owner id it does not know), then the status is still written and the error is on the record, not a dead letter', async () => {
    const { portal } = world.sandbox;
    const c = portal.create('contacts', { ...SALES_READY, email: 'vp2@fintech-handoff.example', recent_conversion_date: new Date(world.now - 86_400_000).toISOString(), hs_analytics_last_visit_timestamp: String(world.now - 3_600_000) }, USER);
    portal.associate('contacts', c.id, 'companies', companyId, ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!, USER);
    await world.sandbox.webhooks.idle();
    await world.engine.with({ handOff: { task: true, note: false, ownerIds: ['999999'], slaHours: 24 } }).drain();
    expect(portal.get('contacts', c.id)!.properties.uld_status).toBe('sales_ready');
    expect(portal.associations.list('contacts', c.id, 'tasks')).toHaveLength(0);
    expect(await world.service.store.listDeadLetters()).toEqual([]);
    const h = await world.service.store.history(c.id);
    expect(h.writes.find((w) => w.outcome === 'rejected')?.error).toMatch(/^hand-off not created: .*999999 was not one of the allowed options/);
  }, 60_000);
});

/**
 * A portal validation rule on hand-off creates (2026-09 enforces the Create Record form's required fields
 * on API creates): the tasks require an owner, and one sales-ready contact of the batch has none (no owner
 * of its own, no round-robin list). In both of the sandbox's batch modes every other contact gets its task
 * and note, and the one gets its note, with the task's failure recorded on it in HubSpot's words.
 */
describe.each(['whole-batch', 'per-input'] as const)('hand-offs when a validation rule refuses one task of the batch (%s)', (mode) => {
  let world: SyncWorld;
  afterAll(() => world?.stop());

  it('then every other contact gets its task and note, and the one its note and the rule on its record', async () => {
    world = await syncWorld({ sandbox: { contacts: 0, behaviour: { validationRules: mode }, requestLog: { capacity: 10_000 } } });
    const { portal } = world.sandbox;
    const owner = portal.listOwners()[0]!.id;
    world.sandbox.validationRules.requireOnCreate('tasks', 'hubspot_owner_id');
    const company = portal.create('companies', { name: 'Rule Handoff', domain: 'rule-handoff.example', industry: 'FINANCIAL_SERVICES', numberofemployees: '400', annualrevenue: '50000000', country: 'Germany' }, USER);
    const primary = ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const c = portal.create('contacts', { ...SALES_READY, email: `lead${i}@rule-handoff.example`, recent_conversion_date: new Date(world.now - 86_400_000).toISOString(), hs_analytics_last_visit_timestamp: String(world.now - 3_600_000), hubspot_owner_id: i === 7 ? '' : owner }, USER);
      portal.associate('contacts', c.id, 'companies', company.id, primary, USER);
      ids.push(c.id);
    }
    const bad = ids[7]!;
    await world.sandbox.webhooks.idle();
    await world.engine.with({ handOff: { task: true, note: true, ownerIds: [], slaHours: 24 } }).drain();

    const creates = world.sandbox.requests.list('POST /crm/objects/2026-09/tasks/batch/create');
    // One batch for all of them, then (whole-batch) the halving that finds the one.
    expect(creates[0]!.status === 400).toBe(mode === 'whole-batch');
    for (const id of ids) {
      expect({ id, status: portal.get('contacts', id)!.properties.uld_status }).toEqual({ id, status: 'sales_ready' });
      expect({ id, tasks: portal.associations.list('contacts', id, 'tasks').length, notes: portal.associations.list('contacts', id, 'notes').length }).toEqual({ id, tasks: id === bad ? 0 : 1, notes: 1 });
      const rejected = (await world.service.store.history(id)).writes.filter((w) => w.outcome === 'rejected').map((w) => w.error);
      expect({ id, rejected }).toEqual({ id, rejected: id === bad ? ['hand-off not created: task: hubspot_owner_id: A value for hubspot_owner_id must be provided'] : [] });
    }
    expect(await world.service.store.listDeadLetters()).toEqual([]);
  }, 60_000);
});

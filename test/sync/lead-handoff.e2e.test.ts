import pino from 'pino';
import { reconcile } from '../../jobs';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { ASSOCIATION_KINDS, type Portal } from '../../src/sandbox';
import type { SyncEngine } from '../../src/sync/engine';
import type { HandOffOptions } from '../../src/sync/hand-off';
import { LeadHandOffs } from '../../src/sync/lead-hand-off';
import { subscriptionsFor } from '../../src/sync/subscriptions';
import { Verdicts } from '../../src/sync/verdicts';
import { EXAMPLE, syncWorld, type SyncWorld } from './harness';

/**
 * Acceptance 4 of issue 13, end to end on the sandbox with the real SDK: in HANDOFF_MODE=lead a contact
 * becoming sales_ready creates exactly one Lead (with retried work, replayed webhooks, a 5xx and a lost answer
 * on the create, and reconcile runs), a rep moving it to Disqualified with a reason records the rejection the
 * definition maps that reason to, and to Qualified, acceptance. The webhooks are the sandbox's, signed, to
 * the real receiver; the verdicts go through the VerdictSink (the Verdicts service the card's backend uses too).
 */

const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const REP = 4242;
const SALES_READY = {
  jobtitle: 'VP Marketing',
  country: 'Germany',
  recent_conversion_event_name: 'Demo request',
  num_conversion_events: '4',
  hs_analytics_num_page_views: '25',
};
const definition = compileDefinition(loadDefinitionFile(EXAMPLE));
const LEAD_MODE: HandOffOptions = { mode: 'lead', task: false, note: false, ownerIds: [], slaHours: 24 };

interface LeadWorld {
  world: SyncWorld;
  engine: SyncEngine;
  portal: Portal;
  companyId: string;
  ownerIds: string[];
  /** A contact that the definition makes sales_ready, at the company, with the owner given ('' for none). */
  salesReady(email: string, extra?: Record<string, string>): string;
  leadsOf(contactId: string): string[];
  reconcileLater(minutes?: number): ReturnType<typeof reconcile>;
  settle(): Promise<void>;
  /** A new engine over the same portal and store, as after a restart: the round-robin starts at its first owner. */
  restart(): void;
}

async function leadWorld(options: { gatewayTimeoutMs?: number; handOff?: Partial<HandOffOptions> } = {}): Promise<LeadWorld> {
  const world = await syncWorld({
    sandbox: { contacts: 0, tier: 'professional', webhooks: { subscriptions: subscriptionsFor(definition, { handOffMode: 'lead' }) } },
    definition,
    ...(options.gatewayTimeoutMs ? { gateway: { timeoutMs: options.gatewayTimeoutMs, retry: { baseDelayMs: 5, maxDelayMs: 20 } } } : {}),
  });
  const { portal } = world.sandbox;
  const ownerIds = portal.listOwners().map((o) => o.id);
  const handOff = { ...LEAD_MODE, ownerIds: ownerIds.slice(1, 3), ...options.handOff };
  const newEngine = () => world.engine.with({ handOff, verdicts: new Verdicts({ gateway: world.gateway, store: world.store, logger: pino({ level: 'silent' }) }) });
  let engine = newEngine();
  const company = portal.create('companies', { name: 'Fintech Leads', domain: 'fintech-leads.example', industry: 'FINANCIAL_SERVICES', numberofemployees: '400', annualrevenue: '50000000', country: 'Germany' }, USER);
  const primary = ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!;
  const leads = new LeadHandOffs({ gateway: world.gateway, store: world.store, settings: () => definition.leadHandOff });
  const verdictStages = [...definition.leadHandOff.accepted, ...definition.leadHandOff.rejected];
  return {
    world,
    get engine() {
      return engine;
    },
    portal,
    companyId: company.id,
    ownerIds,
    salesReady(email, extra = {}) {
      const c = portal.create('contacts', { ...SALES_READY, email, recent_conversion_date: new Date(world.now - 86_400_000).toISOString(), hs_analytics_last_visit_timestamp: String(world.now - 3_600_000), ...extra }, USER);
      portal.associate('contacts', c.id, 'companies', company.id, primary, USER);
      return c.id;
    },
    leadsOf(contactId) {
      return portal.associations.list('contacts', contactId, 'leads').map((l) => l.toId);
    },
    // The reconcile job as the scheduler runs it, some minutes on: unclear creates have settled by then.
    reconcileLater(minutes = 2) {
      return reconcile({ gateway: world.gateway, store: world.store, now: Date.now() + minutes * 60_000, overlapMs: 5 * 60_000, leads: { handOffs: leads, verdictStages } });
    },
    settle: () => world.settle({ engine }),
    restart() {
      engine = newEngine();
    },
  };
}

describe('lead hand-off: exactly one Lead', () => {
  let w: LeadWorld;
  beforeAll(async () => {
    w = await leadWorld();
  }, 60_000);
  afterAll(() => w?.world.stop());
  // Each test makes its own contacts; a fresh engine makes the round-robin start at the list's first owner
  // whichever test handed a contact without an owner off before, and faults never outlive their test.
  beforeEach(() => w.restart());
  afterEach(() => {
    w.world.sandbox.webhooks.setFaults({});
    w.world.sandbox.faults.clear();
  });

  it('when a contact first becomes sales_ready, then one Lead is created for its owner in the configured stage, with its contact, its company and the reasons', async () => {
    const owner = w.ownerIds[0]!;
    const contactId = w.salesReady('ada@fintech-leads.example', { firstname: 'Ada', lastname: 'Byron', hubspot_owner_id: owner });
    await w.settle();
    const { portal } = w;
    expect(portal.get('contacts', contactId)!.properties.uld_status).toBe('sales_ready');
    const leads = w.leadsOf(contactId);
    expect(leads).toHaveLength(1);
    const lead = portal.get('leads', leads[0]!)!;
    expect(lead.properties).toMatchObject({ hs_lead_name: 'Ada Byron', hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id', hubspot_owner_id: owner });
    expect(portal.associations.list('leads', lead.id, 'contacts')).toEqual([{ toId: contactId, kinds: [expect.objectContaining({ typeId: 578 })] }]);
    expect(portal.associations.list('leads', lead.id, 'companies')).toEqual([{ toId: w.companyId, kinds: [expect.objectContaining({ typeId: 580 })] }]);
    // The reasons travel in a note on the contact, which the Lead's record shows with its contact's activity.
    const notes = portal.associations.list('contacts', contactId, 'notes').map((l) => portal.get('notes', l.toId)!.properties.hs_note_body);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Sales ready: fit');
    // No task in lead mode.
    expect(portal.associations.list('contacts', contactId, 'tasks')).toHaveLength(0);
    const handOff = (await w.world.store.handOffs([contactId])).get(contactId);
    expect(handOff).toEqual({ contactId, mode: 'lead', ownerId: owner, objectId: lead.id, handedOffAt: w.world.now, dueAt: w.world.now + 24 * 3_600_000, attemptedAt: w.world.now });
    expect(await w.world.store.handOffByObject(lead.id)).toMatchObject({ contactId });
  }, 60_000);

  it('when the webhooks are delivered twice, the contact is worked again and uld_qualified_at is cleared by hand, then there is still one Lead', async () => {
    const { portal } = w;
    w.world.sandbox.webhooks.setFaults({ duplicateRate: 1 });
    const contactId = w.salesReady('grace@fintech-leads.example', { firstname: 'Grace', lastname: 'Hopper' });
    await w.settle();
    expect(w.world.sandbox.webhooks.stats.duplicates).toBeGreaterThan(0);
    expect(w.leadsOf(contactId)).toHaveLength(1);
    // No owner on the contact: the round-robin list's first.
    expect(portal.get('leads', w.leadsOf(contactId)[0]!)!.properties.hubspot_owner_id).toBe(w.ownerIds[1]);

    // Worked again (a retried unit, a replayed event), and even with the first-sales_ready fact erased so the
    // engine sees a first hand-off again: the claim in the store holds.
    await w.world.store.markDirty([{ objectType: 'contact', objectId: contactId, change: 'property_changed', property: 'jobtitle', occurredAt: Date.now() }]);
    portal.update('contacts', contactId, { uld_qualified_at: '' }, USER);
    await w.settle();
    expect(portal.get('contacts', contactId)!.properties.uld_qualified_at).toBeDefined();
    expect(w.leadsOf(contactId)).toHaveLength(1);
    const counts = await w.reconcileLater();
    expect(counts.leadHandOffsCreated).toBe(0);
    await w.settle();
    expect(w.leadsOf(contactId)).toHaveLength(1);
    w.world.sandbox.webhooks.setFaults({ duplicateRate: 0 });
  }, 60_000);

  it('when the Lead create answers 500, then nothing is made at first and the reconcile job creates the one Lead, once', async () => {
    w.world.sandbox.faults.script('POST /crm/objects/2026-09/leads/batch/create', { kind: 'error', status: 500 }, 1);
    const contactId = w.salesReady('edsger@fintech-leads.example', { firstname: 'Edsger', lastname: 'Dijkstra' });
    await w.settle();
    expect(w.portal.get('contacts', contactId)!.properties.uld_status).toBe('sales_ready');
    expect(w.leadsOf(contactId)).toHaveLength(0);
    expect((await w.world.store.handOffs([contactId])).get(contactId)).toMatchObject({ mode: 'lead', objectId: null });
    expect((await w.world.store.history(contactId)).writes.find((x) => x.outcome === 'rejected')?.error).toMatch(/^hand-off not created: lead: .*left pending/);
    // Too early: an unclear create is left to settle first.
    expect((await w.reconcileLater(0)).leadHandOffsCreated).toBe(0);
    const first = await w.reconcileLater();
    expect(first).toMatchObject({ leadHandOffsFound: 0, leadHandOffsCreated: 1 });
    const leads = w.leadsOf(contactId);
    expect(leads).toHaveLength(1);
    expect(w.portal.get('leads', leads[0]!)!.properties.hs_lead_name).toBe('Edsger Dijkstra');
    expect((await w.world.store.handOffs([contactId])).get(contactId)!.objectId).toBe(leads[0]);
    expect((await w.reconcileLater(4)).leadHandOffsCreated).toBe(0);
    expect(w.leadsOf(contactId)).toHaveLength(1);
  }, 60_000);
});

describe('lead hand-off when the create’s answer is lost', () => {
  it('when HubSpot makes the Lead but the answer times out, then reconcile finds that Lead instead of creating a second', async () => {
    const w = await leadWorld({ gatewayTimeoutMs: 800 });
    try {
      w.world.sandbox.faults.script('POST /crm/objects/2026-09/leads/batch/create', { kind: 'delay', ms: 1500 }, 1);
      const contactId = w.salesReady('barbara@fintech-leads.example', { firstname: 'Barbara', lastname: 'Liskov' });
      await w.settle();
      expect((await w.world.store.handOffs([contactId])).get(contactId)).toMatchObject({ objectId: null });
      // The slow answer lands: HubSpot made the Lead all the same.
      const deadline = Date.now() + 5_000;
      while (w.leadsOf(contactId).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(w.leadsOf(contactId)).toHaveLength(1);
      const counts = await w.reconcileLater();
      expect(counts).toMatchObject({ leadHandOffsFound: 1, leadHandOffsCreated: 0 });
      expect(w.leadsOf(contactId)).toHaveLength(1);
      expect((await w.world.store.handOffs([contactId])).get(contactId)!.objectId).toBe(w.leadsOf(contactId)[0]);
      // One create was sent: the gateway never resends a create whose answer was lost.
      expect(w.world.sandbox.calls.count('POST /crm/objects/2026-09/leads/batch/create')).toBe(1);
    } finally {
      await w.world.stop();
    }
  }, 60_000);
});

describe('verdicts from the Lead', () => {
  let w: LeadWorld;
  beforeAll(async () => {
    w = await leadWorld();
  }, 60_000);
  afterAll(() => w?.world.stop());
  // Each test hands off its own contacts; webhook faults never outlive the test that set them.
  afterEach(() => w.world.sandbox.webhooks.setFaults({}));

  async function handedOff(email: string): Promise<{ contactId: string; leadId: string }> {
    const contactId = w.salesReady(email);
    await w.settle();
    const [leadId] = w.leadsOf(contactId);
    expect(leadId).toBeDefined();
    return { contactId, leadId: leadId! };
  }
  const feedbackWrites = async (contactId: string) => (await w.world.store.history(contactId)).writes.filter((x) => 'uld_sales_feedback' in x.properties && x.outcome === 'written');

  it('when a rep disqualifies the Lead as the wrong contact, then the mapped rejection is recorded, once, and the contact goes back to nurture', async () => {
    const { contactId, leadId } = await handedOff('wrong@fintech-leads.example');
    w.world.sandbox.webhooks.setFaults({ duplicateRate: 1 });
    w.world.sandbox.reps.moveLead(leadId, 'unqualified-stage-id', { userId: REP, disqualificationReason: 'WRONG_CONTACT' });
    await w.settle();
    w.world.sandbox.webhooks.setFaults({ duplicateRate: 0 });
    const props = w.portal.get('contacts', contactId)!.properties;
    expect(props.uld_sales_feedback).toBe('rejected_misrouted');
    expect(props.uld_status).toBe('nurture');
    expect(props.uld_reasons!.split('\n')[0]).toBe('Nurture: sales rejected the hand-off (misrouted)');
    // Replayed events and the reconcile's look at the same Lead record nothing new.
    await w.reconcileLater();
    await w.settle();
    expect(await feedbackWrites(contactId)).toHaveLength(1);
    expect((await w.world.store.getContacts([contactId])).get(contactId)).toMatchObject({ feedback: 'rejected_misrouted', status: 'nurture' });
  }, 60_000);

  it('when the reason is not in the table, or none is given, then the definition’s otherReason is the rejection', async () => {
    const a = await handedOff('timing@fintech-leads.example');
    const b = await handedOff('noreason@fintech-leads.example');
    const c = await handedOff('baddata@fintech-leads.example');
    w.world.sandbox.reps.moveLead(a.leadId, 'unqualified-stage-id', { userId: REP, disqualificationReason: 'BAD_TIMING' });
    w.world.sandbox.reps.moveLead(b.leadId, 'unqualified-stage-id', { userId: REP });
    w.world.sandbox.reps.moveLead(c.leadId, 'unqualified-stage-id', { userId: REP, disqualificationReason: 'INVALID_CONTACT_INFO' });
    await w.settle();
    expect(w.portal.get('contacts', a.contactId)!.properties.uld_sales_feedback).toBe('rejected_below_definition');
    expect(w.portal.get('contacts', b.contactId)!.properties.uld_sales_feedback).toBe('rejected_below_definition');
    expect(w.portal.get('contacts', c.contactId)!.properties.uld_sales_feedback).toBe('rejected_bad_data');
  }, 60_000);

  it('when a rep qualifies the Lead, then acceptance is recorded and the contact stays sales_ready; a stale Disqualified event does not flip it', async () => {
    const { contactId, leadId } = await handedOff('yes@fintech-leads.example');
    // Disqualified, then Qualified a moment later: both events arrive, the Lead is read as it is now.
    w.world.sandbox.reps.moveLead(leadId, 'unqualified-stage-id', { userId: REP, disqualificationReason: 'NOT_A_GOOD_FIT' });
    w.world.sandbox.reps.moveLead(leadId, 'qualified-stage-id', { userId: REP });
    await w.settle();
    const props = w.portal.get('contacts', contactId)!.properties;
    expect(props.uld_sales_feedback).toBe('accepted');
    expect(props.uld_status).toBe('sales_ready');
    expect((await feedbackWrites(contactId)).map((x) => x.properties.uld_sales_feedback)).toEqual(['accepted']);
    expect(Date.parse(props.uld_feedback_at!)).toBeGreaterThan(0);
  }, 60_000);

  it('when the stage change’s webhook is lost for good, then the reconcile job finds the Lead and records the verdict', async () => {
    const { contactId, leadId } = await handedOff('lost@fintech-leads.example');
    w.world.sandbox.webhooks.setFaults({ dropRate: 1 });
    w.world.sandbox.reps.moveLead(leadId, 'qualified-stage-id', { userId: REP });
    await w.settle();
    w.world.sandbox.webhooks.setFaults({ dropRate: 0 });
    expect(w.portal.get('contacts', contactId)!.properties.uld_sales_feedback).toBeUndefined();
    const counts = await w.reconcileLater();
    expect(counts.queued).toBeGreaterThan(0);
    await w.settle();
    expect(w.portal.get('contacts', contactId)!.properties.uld_sales_feedback).toBe('accepted');
  }, 60_000);

  it('when a Lead that is not a hand-off of ours is qualified, then no contact gets a verdict', async () => {
    const other = w.portal.create('contacts', { email: 'not-ours@fintech-leads.example' }, USER);
    const lead = w.portal.create('leads', { hs_lead_name: 'Made by a rep', hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id' }, USER);
    w.portal.associate('leads', lead.id, 'contacts', other.id, ASSOCIATION_KINDS.find((k) => k.from === 'leads' && k.to === 'contacts')!, USER);
    w.world.sandbox.reps.moveLead(lead.id, 'qualified-stage-id', { userId: REP });
    await w.settle();
    expect(w.portal.get('contacts', other.id)!.properties.uld_sales_feedback).toBeUndefined();
  }, 60_000);
});

describe('HANDOFF_MODE=none and task', () => {
  it('when the mode is none, then nothing is created in HubSpot and the hand-off is still recorded with its SLA clock', async () => {
    const w = await leadWorld({ handOff: { mode: 'none' } });
    try {
      const contactId = w.salesReady('none@fintech-leads.example');
      await w.settle();
      expect(w.portal.get('contacts', contactId)!.properties.uld_status).toBe('sales_ready');
      expect(w.leadsOf(contactId)).toHaveLength(0);
      expect(w.portal.associations.list('contacts', contactId, 'tasks')).toHaveLength(0);
      expect(w.portal.associations.list('contacts', contactId, 'notes')).toHaveLength(0);
      expect(w.world.sandbox.calls.count('POST /crm/objects/2026-09/leads/batch/create') + w.world.sandbox.calls.count('POST /crm/objects/2026-09/tasks/batch/create')).toBe(0);
      expect((await w.world.store.handOffs([contactId])).get(contactId)).toMatchObject({ mode: 'none', objectId: null, dueAt: w.world.now + 24 * 3_600_000 });
    } finally {
      await w.world.stop();
    }
  }, 60_000);

  it('when the mode is task, then the task is the hand-off and its id is recorded; no Lead is made', async () => {
    const w = await leadWorld({ handOff: { mode: 'task', task: true, note: true } });
    try {
      const contactId = w.salesReady('task@fintech-leads.example');
      await w.settle();
      const tasks = w.portal.associations.list('contacts', contactId, 'tasks').map((l) => l.toId);
      expect(tasks).toHaveLength(1);
      expect(w.leadsOf(contactId)).toHaveLength(0);
      expect((await w.world.store.handOffs([contactId])).get(contactId)).toMatchObject({ mode: 'task', objectId: tasks[0] });
    } finally {
      await w.world.stop();
    }
  }, 60_000);
});

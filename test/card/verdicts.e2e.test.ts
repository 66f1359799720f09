import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CARD_ROUTES, type CardResponse } from '../../card/src/contract';
import { computeMetrics } from '../../src/metrics';
import { ASSOCIATION_KINDS, type HubSpotFetchProxy } from '../../src/sandbox';
import { EXAMPLE, syncWorld, type SyncWorld } from '../sync/harness';

/**
 * Acceptance 3 of issue 13, end to end: the sandbox portal, the real SDK, `uld serve` (startService, with
 * the card's backend wired as in production) and the sandbox's `hubspot.fetch` proxy playing the card. A
 * rep's Accept and Reject end as `uld_sales_feedback` in the portal, a verdict in the metrics and in
 * `uld history` with the user id; the same request twice changes nothing the second time.
 */

const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const SALES_READY = { jobtitle: 'VP Marketing', country: 'Germany', recent_conversion_event_name: 'Demo request', num_conversion_events: '4', hs_analytics_num_page_views: '25' };

describe('verdicts through the card backend', () => {
  let world: SyncWorld;
  let proxy: HubSpotFetchProxy;
  let origin: string;
  /**
   * Sales-ready contacts, each read or changed by one test only, so that no test sees another's verdict
   * whatever order they run in: two to view, one to accept, one to reject, one to re-evaluate.
   */
  const ids: string[] = [];
  const contactFor = () => ({ viewed: ids.slice(0, 2), accepted: ids[2]!, rejected: ids[3]!, reEvaluated: ids[4]! });

  const url = (pathname: string, userId: string) => `${origin}${pathname}?${new URLSearchParams({ portalId: String(world.sandbox.portalId), userId }).toString()}`;
  const verdict = (contactId: string, v: string, userId: string) => proxy.fetch(url(CARD_ROUTES.verdict(contactId), userId), { method: 'POST', body: { verdict: v } });
  const feedbackWrites = async (contactId: string) => (await world.store.history(contactId)).writes.filter((w) => w.properties.uld_sales_feedback !== undefined);
  const metrics = async () => computeMetrics({ ...(await world.store.listMirror()), now: Date.now(), slaHours: 24 }).overall.handOff;

  beforeAll(async () => {
    world = await syncWorld({ sandbox: { contacts: 0 }, env: { LEAD_DEFINITION: EXAMPLE } });
    const { portal } = world.sandbox;
    for (const n of [1, 2, 3, 4, 5]) {
      const company = portal.create('companies', { name: `Fintech ${n}`, domain: `fintech-card-${n}.example`, industry: 'FINANCIAL_SERVICES', numberofemployees: '400', annualrevenue: '50000000', country: 'Germany' }, USER);
      const contact = portal.create(
        'contacts',
        { ...SALES_READY, email: `vp${n}@fintech-card-${n}.example`, recent_conversion_date: new Date(world.now - 86_400_000).toISOString(), hs_analytics_last_visit_timestamp: String(world.now - 3_600_000), hubspot_owner_id: portal.listOwners()[0]!.id },
        USER,
      );
      portal.associate('contacts', contact.id, 'companies', company.id, ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!, USER);
      ids.push(contact.id);
    }
    await world.settle();
    origin = `http://127.0.0.1:${world.service.port!}`;
    proxy = world.sandbox.cardFetch({ permittedUrls: [origin] });
  }, 60_000);
  afterAll(async () => {
    proxy?.close();
    await world?.stop();
  });

  it('when both contacts are qualified, then each is sales ready with a hand-off, its owner on the card', async () => {
    for (const id of contactFor().viewed) {
      const r = await proxy.fetch(url(CARD_ROUTES.view(id), '101'));
      const body = r.body as CardResponse;
      if (!body.ok) throw new Error(body.error.message);
      expect(body.card.status).toBe('sales_ready');
      expect(body.card.handOff).toMatchObject({ ownerId: world.sandbox.portal.listOwners()[0]!.id, verdict: null });
      expect(body.card.actions).toEqual({ accept: true, reject: true, reEvaluate: true });
    }
  });

  it('when a rep accepts through the card, then HubSpot has the verdict, the metrics count it, and `uld history` names the user; the same request again changes nothing', async () => {
    const a = contactFor().accepted;
    const before = await metrics();
    const calls = world.sandbox.calls.total();
    const first = await verdict(a, 'accepted', '101');
    expect(first.body).toMatchObject({ ok: true, changed: true, card: { handOff: { verdict: 'accepted', verdictBy: 'user:101', hoursLeft: null } } });
    const props = world.sandbox.portal.get('contacts', a)!.properties;
    expect(props.uld_sales_feedback).toBe('accepted');
    expect(Date.parse(props.uld_feedback_at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(world.sandbox.calls.total() - calls).toBe(1);
    const after = await metrics();
    expect(after.accepted - before.accepted).toBe(1);
    expect(await feedbackWrites(a)).toMatchObject([{ actor: 'user:101', outcome: 'written', properties: { uld_sales_feedback: 'accepted' } }]);

    // HubSpot's automatic retry, or a double click: the same request again.
    const again = await verdict(a, 'accepted', '101');
    expect(again.body).toMatchObject({ ok: true, changed: false });
    expect(world.sandbox.calls.total() - calls).toBe(1);
    expect(await feedbackWrites(a)).toHaveLength(1);
    expect((await metrics()).accepted).toBe(after.accepted);

    const run = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'uld'), 'history', a], { env: { PATH: process.env.PATH, DATABASE_URL: world.databaseUrl, WEBHOOK_PUBLIC_URL: `${origin}/webhooks/hubspot` }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/sales feedback\s+accepted at \S+ \(by user:101\)/);
    expect(run.stdout).toMatch(/written by user:101: uld_sales_feedback, uld_feedback_at \(verdict accepted\)/);
    expect(run.stdout).toContain(`card              http://127.0.0.1:${world.service.port!}/dashboard/contacts/${a}`);
  }, 60_000);

  it('when a rep rejects (bad data), then HubSpot has it, the worker sends the contact to nurture, the metrics count the reason; twice is once', async () => {
    const b = contactFor().rejected;
    const before = await metrics();
    const r = await verdict(b, 'rejected_bad_data', '102');
    expect(r.body).toMatchObject({ ok: true, changed: true, card: { handOff: { verdict: 'rejected_bad_data', verdictBy: 'user:102' }, reEvaluationPending: true } });
    expect(world.sandbox.portal.get('contacts', b)!.properties.uld_sales_feedback).toBe('rejected_bad_data');
    const after = await metrics();
    expect(after.rejected - before.rejected).toBe(1);
    expect(after.rejectionReasons.rejected_bad_data! - before.rejectionReasons.rejected_bad_data!).toBe(1);

    await world.settle();
    expect(world.sandbox.portal.get('contacts', b)!.properties.uld_status).toBe('nurture');
    const card = (await proxy.fetch(url(CARD_ROUTES.view(b), '102'))).body as CardResponse;
    if (!card.ok) throw new Error(card.error.message);
    expect([card.card.status, card.card.reEvaluationPending]).toEqual(['nurture', false]);
    expect(card.card.reasons.status[0]).toEqual({ text: 'Nurture: sales rejected the hand-off (bad data)', ref: 'uld_sales_feedback' });

    const calls = world.sandbox.calls.total();
    expect((await verdict(b, 'rejected_bad_data', '102')).body).toMatchObject({ ok: true, changed: false });
    expect(world.sandbox.calls.total()).toBe(calls);
    expect(await feedbackWrites(b)).toHaveLength(1);
  }, 60_000);

  it('when a rep asks for a re-evaluation twice, then it is queued once and the card says it is pending', async () => {
    const a = contactFor().reEvaluated;
    const calls = world.sandbox.calls.total();
    for (let i = 0; i < 2; i++) {
      const r = await proxy.fetch(url(CARD_ROUTES.reEvaluate(a), '101'), { method: 'POST', body: {} });
      expect(r.body).toMatchObject({ ok: true, queued: true, card: { reEvaluationPending: true } });
    }
    expect(await world.store.listWork({ objectType: 'contact', objectId: a })).toHaveLength(1);
    expect(world.sandbox.calls.total()).toBe(calls);
    await world.settle();
    expect((await proxy.fetch(url(CARD_ROUTES.view(a), '101'))).body).toMatchObject({ ok: true, card: { reEvaluationPending: false, status: 'sales_ready' } });
  }, 60_000);
});

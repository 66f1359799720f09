import { openStore, type Store } from '../../src/store';
import type { MirrorAccount, MirrorContact, MirrorDeal } from '../../src/store/mirror-types';
import type { FreshDatabase } from './conformance';

/**
 * The sync engine's mirror and audit log, asserted the same way on every backend: what the worker, the
 * metrics and `uld history` rely on.
 */
export function describeMirrorConformance(backend: string, fresh: () => Promise<FreshDatabase>): void {
  describe(`mirror conformance: ${backend}`, () => {
    let database: FreshDatabase;
    let store: Store;
    beforeEach(async () => {
      database = await fresh();
      store = await openStore(database.url, database.options);
    });
    afterEach(async () => {
      await store.close();
      await database.dispose();
    });

    const contact = (over: Partial<MirrorContact> = {}): MirrorContact => ({
      id: '100000000001',
      createdAt: 1_700_000_000_000,
      status: 'nurture',
      fitScore: 12.5,
      engagementScore: 3.25,
      totalScore: 15.75,
      definitionVersion: '1',
      qualifiedAt: null,
      convertedAt: null,
      feedback: null,
      feedbackAt: null,
      source: 'ORGANIC_SEARCH',
      companyId: '20000000001',
      evaluatedAt: 1_700_000_100_000,
      deleted: false,
      ownerId: null,
      accountFacts: null,
      ...over,
    });
    const deal = (over: Partial<MirrorDeal> = {}): MirrorDeal => ({
      id: '30000000001',
      createdAt: 1_700_000_200_000,
      closedAt: null,
      closed: false,
      won: false,
      amount: 12000.5,
      pipeline: 'default',
      stage: 'appointmentscheduled',
      stageEnteredAt: 1_700_000_200_000,
      companyId: '20000000001',
      contactIds: ['100000000001', '100000000002'],
      statusAtCreation: null,
      deleted: false,
      ...over,
    });

    test('when a contact is written twice, then it reads back as written, and facts about the past are never lost', async () => {
      await store.upsertContacts([contact({ qualifiedAt: 1_700_000_050_000 })]);
      await store.upsertContacts([contact({ status: 'sales_ready', qualifiedAt: null, convertedAt: 1_700_000_300_000 })]);
      const got = (await store.getContacts(['100000000001', 'nope'])).get('100000000001');
      expect(got).toEqual(contact({ status: 'sales_ready', qualifiedAt: 1_700_000_050_000, convertedAt: 1_700_000_300_000 }));
      expect((await store.getContacts(['nope'])).size).toBe(0);
    });

    test("when contacts belong to companies, then a company's contacts are found, and deleted ones drop out", async () => {
      await store.upsertContacts([contact(), contact({ id: '2', companyId: '20000000001' }), contact({ id: '3', companyId: 'other' })]);
      expect((await store.contactsOfCompanies(['20000000001'])).map((c) => c.id).sort()).toEqual(['100000000001', '2']);
      await store.markDeleted('contact', ['2']);
      expect((await store.contactsOfCompanies(['20000000001'])).map((c) => c.id)).toEqual(['100000000001']);
      expect((await store.getContacts(['2'])).get('2')!.deleted).toBe(true);
      await store.markDeleted('company', ['20000000001']);
      expect(await store.contactsOfCompanies(['20000000001'])).toEqual([]);
    });

    test('when deals are written, then they read back, are found by their contacts, and keep the first status at creation', async () => {
      await store.upsertDeals([deal({ statusAtCreation: 'sales_ready' })]);
      await store.upsertDeals([deal({ contactIds: ['100000000002'], statusAtCreation: 'nurture', closed: true, won: true, closedAt: 1_700_000_900_000 })]);
      const got = (await store.getDeals(['30000000001'])).get('30000000001');
      expect(got).toEqual(deal({ contactIds: ['100000000002'], statusAtCreation: 'sales_ready', closed: true, won: true, closedAt: 1_700_000_900_000 }));
      expect((await store.dealsOfContacts(['100000000002'])).map((d) => d.id)).toEqual(['30000000001']);
      // The contact list was replaced, not appended to.
      expect(await store.dealsOfContacts(['100000000001'])).toEqual([]);
    });

    test('when decisions and writes are recorded, then history lists them newest first and statusesAt answers for a time', async () => {
      const base = { contactId: '100000000001', definitionVersion: '1', fitScore: 1, engagementScore: 2, totalScore: 3, reasons: ['Nurture: not yet', '+1 fit: A'] };
      await store.recordDecisions([{ ...base, previousStatus: null, status: 'nurture', decidedAt: 1000 }]);
      await store.recordDecisions([{ ...base, previousStatus: 'nurture', status: 'sales_ready', decidedAt: 2000 }]);
      await store.recordWrites([{ objectType: 'contacts', objectId: '100000000001', properties: { uld_status: 'sales_ready' }, outcome: 'written', writtenAt: 2000 }]);
      await store.recordWrites([{ objectType: 'contacts', objectId: '100000000001', properties: { uld_status: 'x' }, outcome: 'rejected', error: 'INVALID_OPTION', writtenAt: 2500 }]);
      const h = await store.history('100000000001');
      expect(h.decisions.map((d) => [d.status, d.decidedAt, d.reasons])).toEqual([
        ['sales_ready', 2000, base.reasons],
        ['nurture', 1000, base.reasons],
      ]);
      expect(h.writes.map((w) => [w.outcome, w.error ?? null, w.properties])).toEqual([
        ['rejected', 'INVALID_OPTION', { uld_status: 'x' }],
        ['written', null, { uld_status: 'sales_ready' }],
      ]);
      expect([...(await store.statusesAt(['100000000001', 'unknown'], 1500))]).toEqual([['100000000001', 'nurture']]);
      expect((await store.statusesAt(['100000000001'], 999)).size).toBe(0);
      expect((await store.statusesAt(['100000000001'], 5000)).get('100000000001')).toBe('sales_ready');
    });

    test('when definitionVersions is asked, then each version of the audit log has its first and last decision and its count', async () => {
      const d = (contactId: string, definitionVersion: string, decidedAt: number) => ({ contactId, definitionVersion, previousStatus: null, status: 'nurture' as const, fitScore: 0, engagementScore: 0, totalScore: 0, reasons: [], decidedAt });
      await store.recordDecisions([d('800000000001', 'v1', 100), d('800000000002', 'v1', 300), d('800000000001', 'v2', 500), d('800000000002', 'v2', 700), d('800000000003', 'v2', 600)]);
      expect(await store.definitionVersions()).toEqual([
        { version: 'v1', firstAt: 100, lastAt: 300, decisions: 2 },
        { version: 'v2', firstAt: 500, lastAt: 700, decisions: 3 },
      ]);
    });

    test('when lastWrittenAt is asked, then it answers the latest successful write of each record of that type', async () => {
      const w = (objectType: string, objectId: string, writtenAt: number, outcome: 'written' | 'rejected' = 'written') => ({ objectType, objectId, properties: { uld_status: 'nurture' }, outcome, writtenAt, ...(outcome === 'rejected' ? { error: 'x' } : {}) });
      await store.recordWrites([w('contacts', '700000000001', 1000), w('contacts', '700000000001', 3000), w('contacts', '700000000002', 2000), w('contacts', '700000000002', 9000, 'rejected'), w('deals', '700000000003', 5000)]);
      const found = await store.lastWrittenAt('contacts', ['700000000001', '700000000002', '700000000003', 'unknown']);
      expect([...found].sort()).toEqual([
        ['700000000001', 3000],
        ['700000000002', 2000],
      ]);
      expect([...(await store.lastWrittenAt('deals', ['700000000003']))]).toEqual([['700000000003', 5000]]);
      // Reconcile's view: a rejected write is the last time we worked the record too.
      expect([...(await store.lastWrittenAt('contacts', ['700000000001', '700000000002'], { includeRejected: true }))].sort()).toEqual([
        ['700000000001', 3000],
        ['700000000002', 9000],
      ]);
    });

    test('when statusesAt is asked for many contacts, then each gets its latest decision at the time, the later record winning a tie', async () => {
      const ids = Array.from({ length: 1_203 }, (_, i) => String(300_000_000_000 + i));
      const at = (i: number) => 10_000 + (i % 7);
      const decision = (contactId: string, status: 'nurture' | 'marketing_qualified' | 'sales_ready', decidedAt: number) => ({ contactId, definitionVersion: '1', previousStatus: null, status, fitScore: 0, engagementScore: 0, totalScore: 0, reasons: [], decidedAt });
      await store.recordDecisions(ids.map((id, i) => decision(id, 'nurture', at(i))));
      // Every third contact gets a second decision at the same millisecond: the one recorded later counts.
      await store.recordDecisions(ids.filter((_, i) => i % 3 === 0).map((id) => decision(id, 'marketing_qualified', at(ids.indexOf(id)))));
      // And a later one, after the time asked about: it does not count.
      await store.recordDecisions(ids.map((id) => decision(id, 'sales_ready', 20_000)));
      const found = await store.statusesAt([...ids, ids[0]!, 'unknown'], 15_000);
      expect(found.size).toBe(ids.length);
      ids.forEach((id, i) => expect(found.get(id)).toBe(i % 3 === 0 ? 'marketing_qualified' : 'nurture'));
      expect((await store.statusesAt(ids.slice(0, 10), 9_999)).size).toBe(0);
    });

    test('when the worker marks follow-up work, then units are created and coalesced like events, claimable at once', async () => {
      const n = await store.markDirty([
        { objectType: 'company', objectId: '7', change: 'association_changed', occurredAt: 10 },
        { objectType: 'company', objectId: '7', change: 'conversion_signal', occurredAt: 20 },
        { objectType: 'contact', objectId: '8', change: 'property_changed', property: 'jobtitle', occurredAt: 30 },
      ]);
      expect(n).toBe(2);
      const batch = await store.claim({ objectType: 'company', owner: 'w' });
      expect(batch.units.map((u) => [u.objectId, u.changes])).toEqual([['7', ['association_changed', 'conversion_signal']]]);
      expect((await store.listWork({ objectType: 'contact' }))[0]).toMatchObject({ objectId: '8', properties: ['jobtitle'] });
    });

    test('when the metrics list the mirror, then every contact and deal comes back, with each first decision per status, and since filters by creation', async () => {
      await store.upsertContacts([contact({ id: '1', createdAt: 1000 }), contact({ id: '2', createdAt: 5000, deleted: true }), contact({ id: '3', createdAt: null })]);
      await store.upsertDeals([deal({ id: 'd1', createdAt: 6000, contactIds: ['2'] }), deal({ id: 'd2', createdAt: 500, contactIds: [] })]);
      const base = { definitionVersion: '1', fitScore: 1, engagementScore: 2, totalScore: 3, reasons: ['why'] };
      await store.recordDecisions([
        { ...base, contactId: '1', previousStatus: null, status: 'nurture', decidedAt: 1100 },
        { ...base, contactId: '1', previousStatus: 'nurture', status: 'marketing_qualified', decidedAt: 1200 },
        // Re-evaluations at the same status add rows to the log but not to the firsts.
        { ...base, contactId: '1', previousStatus: 'marketing_qualified', status: 'marketing_qualified', decidedAt: 1300 },
        { ...base, contactId: '2', previousStatus: null, status: 'sales_ready', decidedAt: 5100 },
      ]);
      const all = await store.listMirror();
      // Without decisions: the same contacts and deals, no audit-log read.
      const lean = await store.listMirror({ decisions: false });
      expect(lean.decisions).toEqual([]);
      expect(lean.contacts).toEqual(all.contacts);
      expect(lean.deals).toEqual(all.deals);
      expect(all.contacts.map((c) => [c.id, c.createdAt, c.deleted])).toEqual([
        ['1', 1000, false],
        ['2', 5000, true],
        ['3', null, false],
      ]);
      expect(all.deals.map((d) => [d.id, d.contactIds])).toEqual([
        ['d1', ['2']],
        ['d2', []],
      ]);
      expect(all.decisions.map((d) => [d.contactId, d.status, d.decidedAt])).toEqual([
        ['1', 'nurture', 1100],
        ['1', 'marketing_qualified', 1200],
        ['2', 'sales_ready', 5100],
      ]);
      expect(all.decisions[0]).toEqual({ ...base, contactId: '1', previousStatus: null, status: 'nurture', decidedAt: 1100, origin: 'live' });

      const since = await store.listMirror({ since: 5000 });
      expect(since.contacts.map((c) => c.id)).toEqual(['2']);
      expect(since.deals.map((d) => d.id)).toEqual(['d1']);
      expect(since.decisions.map((d) => [d.contactId, d.status])).toEqual([['2', 'sales_ready']]);
    });

    test('when the metrics stream the mirror, then contacts come a page at a time in id order, each with its first decision per status and origin, and deals at once; since and until filter by creation', async () => {
      await store.upsertContacts([
        contact({ id: '1', createdAt: 1000, status: 'marketing_qualified', source: 'DIRECT_TRAFFIC' }),
        contact({ id: '2', createdAt: 5000, deleted: true }),
        contact({ id: '3', createdAt: null, feedback: 'accepted', feedbackAt: 7000, qualifiedAt: 6500, convertedAt: 8000 }),
        contact({ id: '4', createdAt: 9000 }),
        contact({ id: '5', createdAt: 2000, evaluatedAt: 4242, definitionVersion: '2' }),
      ]);
      await store.upsertDeals([deal({ id: 'd2', createdAt: 6000, contactIds: ['2'] }), deal({ id: 'd1', createdAt: 500, contactIds: [], deleted: true }), deal({ id: 'd3', createdAt: 9500, contactIds: ['4', '1'] })]);
      const base = { definitionVersion: '1', fitScore: 1, engagementScore: 2, totalScore: 3, reasons: ['why'] };
      await store.recordDecisions([
        { ...base, contactId: '1', previousStatus: null, status: 'nurture', decidedAt: 1100 },
        { ...base, contactId: '1', previousStatus: 'nurture', status: 'marketing_qualified', decidedAt: 1300 },
        // An earlier one recorded later, and a re-evaluation: the first is the earliest, once per origin.
        { ...base, contactId: '1', previousStatus: 'nurture', status: 'marketing_qualified', decidedAt: 1200 },
        { ...base, contactId: '1', previousStatus: 'marketing_qualified', status: 'marketing_qualified', decidedAt: 1400 },
        { ...base, contactId: '1', previousStatus: null, status: 'marketing_qualified', decidedAt: 900, origin: 'before_history' },
        { ...base, contactId: '2', previousStatus: null, status: 'sales_ready', decidedAt: 5100, origin: 'first_look' },
        { ...base, contactId: '5', previousStatus: null, status: 'nurture', decidedAt: 2100, origin: 'replayed' },
        { ...base, contactId: '5', previousStatus: null, status: 'nurture', decidedAt: 2050, origin: 'replayed' },
      ]);
      const pages = async (options?: { since?: number; until?: number; pageSize?: number }) => {
        const out: Array<Array<[string, unknown[]]>> = [];
        for await (const page of store.contactsWithFirsts(options)) {
          out.push(page.map(({ contact: c, firsts }) => [c.id, [...firsts].sort((a, b) => a.decidedAt - b.decidedAt).map((f) => [f.status, f.origin, f.decidedAt])]));
        }
        return out;
      };
      expect(await pages({ pageSize: 2 })).toEqual([
        [
          ['1', [['marketing_qualified', 'before_history', 900], ['nurture', 'live', 1100], ['marketing_qualified', 'live', 1200]]],
          ['2', [['sales_ready', 'first_look', 5100]]],
        ],
        [
          ['3', []],
          ['4', []],
        ],
        [['5', [['nurture', 'replayed', 2050]]]],
      ]);
      // One page when it holds them all; the contact's fields as the figures read them.
      const all: Array<{ contact: unknown }> = [];
      for await (const page of store.contactsWithFirsts()) all.push(...page);
      expect(all.map((c) => c.contact)).toEqual(
        (await store.listMirror({ decisions: false })).contacts.map((c) => ({
          id: c.id,
          createdAt: c.createdAt,
          status: c.status,
          qualifiedAt: c.qualifiedAt,
          convertedAt: c.convertedAt,
          feedback: c.feedback,
          feedbackAt: c.feedbackAt,
          source: c.source,
          deleted: c.deleted,
          evaluatedAt: c.evaluatedAt,
          definitionVersion: c.definitionVersion,
        })),
      );
      expect(all[2]).toMatchObject({ contact: { id: '3', createdAt: null, feedback: 'accepted', feedbackAt: 7000, qualifiedAt: 6500, convertedAt: 8000, deleted: false } });
      expect(all[4]).toMatchObject({ contact: { id: '5', evaluatedAt: 4242, definitionVersion: '2' } });
      // A window by creation, across pages: contacts created in [2000, 9000); a contact without a date is in none.
      expect((await pages({ since: 2000, until: 9000, pageSize: 1 })).map((p) => p.map(([id]) => id))).toEqual([['2'], ['5']]);
      expect((await pages({ since: 2000, until: 9000 }))[1]).toBeUndefined();

      // The deals as the figures read them: every field but pipeline, stage and company.
      expect(await store.listDeals()).toEqual((await store.listMirror({ decisions: false })).deals.map(({ pipeline: _p, stage: _s, stageEnteredAt: _e, companyId: _c, ...d }) => d));
      expect((await store.listDeals()).map((d) => [d.id, d.deleted, d.contactIds])).toEqual([
        ['d1', true, []],
        ['d2', false, ['2']],
        ['d3', false, ['4', '1']],
      ]);
      expect((await store.listDeals({ since: 600, until: 9500 })).map((d) => d.id)).toEqual(['d2']);
    });

    test("when a contact is replayed, then its replayed rows replace the last replay's, its first look stops dating, and the firsts come per origin", async () => {
      await store.upsertContacts([contact({ id: '1', createdAt: 1000 }), contact({ id: '2', createdAt: 1000 })]);
      const base = { definitionVersion: '1', fitScore: 1, engagementScore: 2, totalScore: 3, reasons: ['why'] };
      await store.recordDecisions([
        // The product's first sight of contact 1 (an older install), then a change it saw happen.
        { ...base, contactId: '1', previousStatus: null, status: 'marketing_qualified', decidedAt: 9000 },
        { ...base, contactId: '1', previousStatus: 'marketing_qualified', status: 'sales_ready', decidedAt: 9500 },
        { ...base, contactId: '2', previousStatus: null, status: 'nurture', decidedAt: 9000 },
      ]);
      const replayed = (at: number, status: 'nurture' | 'marketing_qualified', origin: 'replayed' | 'before_history') => ({ ...base, contactId: '1', previousStatus: null, status, decidedAt: at, origin });
      await store.replaceReplayedDecisions(['1'], [replayed(2000, 'nurture', 'before_history'), replayed(3000, 'marketing_qualified', 'replayed')], 10_000);
      // Replayed again (say, a resumed backfill): the earlier replay's rows go, not doubled.
      await store.replaceReplayedDecisions(['1'], [replayed(2500, 'nurture', 'before_history'), replayed(4000, 'marketing_qualified', 'replayed')], 10_000);
      const log = (await store.history('1')).decisions.map((d) => [d.status, d.decidedAt, d.origin]);
      expect(log).toEqual([
        ['sales_ready', 9500, 'live'],
        ['marketing_qualified', 9000, 'first_look'],
        ['marketing_qualified', 4000, 'replayed'],
        ['nurture', 2500, 'before_history'],
      ]);
      // Contact 2 was not replayed: its first decision stays live.
      expect((await store.history('2')).decisions.map((d) => d.origin)).toEqual(['live']);
      const firsts = (await store.listMirror()).decisions.filter((d) => d.contactId === '1').map((d) => [d.status, d.origin, d.decidedAt]);
      expect(firsts).toEqual([
        ['nurture', 'before_history', 2500],
        ['marketing_qualified', 'replayed', 4000],
        ['marketing_qualified', 'first_look', 9000],
        ['sales_ready', 'live', 9500],
      ]);
      // The status at an instant reads every origin: before the replay knew anything, nothing.
      expect((await store.statusesAt(['1'], 2400)).get('1')).toBeUndefined();
      expect((await store.statusesAt(['1'], 4500)).get('1')).toBe('marketing_qualified');
    });

    test("when a contact keeps what its account's rules read, then it reads back as kept", async () => {
      const facts = { label: 'Ada Lovelace', facts: { hs_buying_role: 'DECISION_MAKER;CHAMPION', hs_analytics_last_visit_timestamp: null } };
      await store.upsertContacts([contact({ accountFacts: facts })]);
      expect((await store.getContacts(['100000000001'])).get('100000000001')!.accountFacts).toEqual(facts);
      expect((await store.contactsOfCompanies(['20000000001']))[0]!.accountFacts).toEqual(facts);
    });

    test('when accounts are written, then they read back, keep the first time each stage was reached, and a deleted company flags its account', async () => {
      const account = (over: Partial<MirrorAccount> = {}): MirrorAccount => ({
        id: '20000000001',
        createdAt: 1_600_000_000_000,
        status: 'engaged',
        score: 45.5,
        fitScore: 20,
        engagementScore: 25.5,
        coverageScore: 0,
        engagedContacts: 3,
        rolesCovered: ['DECISION_MAKER', 'CHAMPION'],
        definitionVersion: 'v1',
        targetAt: 1_700_000_000_000,
        engagedAt: 1_700_000_100_000,
        qualifiedAt: null,
        evaluatedAt: 1_700_000_100_000,
        deleted: false,
        ...over,
      });
      await store.upsertAccounts([account(), account({ id: '20000000002', status: 'target', engagedAt: null, rolesCovered: [] })]);
      expect((await store.getAccounts(['20000000001', 'nope'])).get('20000000001')).toEqual(account());
      // A later evaluation: down to target, then qualified; the first dates stay.
      await store.upsertAccounts([account({ status: 'qualified', targetAt: 1_800_000_000_000, engagedAt: 1_800_000_000_000, qualifiedAt: 1_800_000_000_000, evaluatedAt: 1_800_000_000_000 })]);
      expect((await store.getAccounts(['20000000001'])).get('20000000001')).toEqual(account({ status: 'qualified', qualifiedAt: 1_800_000_000_000, evaluatedAt: 1_800_000_000_000 }));
      await store.markDeleted('company', ['20000000002']);
      const all = await store.listAccounts();
      expect(all.map((a) => [a.id, a.deleted])).toEqual([
        ['20000000001', false],
        ['20000000002', true],
      ]);
    });

    test('when more ids are asked for than one statement can bind, then all are read', async () => {
      const many = Array.from({ length: 1200 }, (_, i) => contact({ id: String(i + 1) }));
      await store.upsertContacts(many);
      expect((await store.getContacts(many.map((c) => c.id))).size).toBe(1200);
    });
  });
}

import { openStore, type Store } from '../../src/store';
import type { DecisionRecord, MirrorContact } from '../../src/store/mirror-types';
import type { FreshDatabase } from './conformance';

/**
 * What the qualification card reads and its verdicts write (migration 0006), asserted the same way on every
 * backend: structured reasons (old rows as kind-less texts), the actor of writes, the contact's owner, the
 * card's one-call read, and the verdict's one-transaction write.
 */
export function describeCardConformance(backend: string, fresh: () => Promise<FreshDatabase>): void {
  describe(`card conformance: ${backend}`, () => {
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

    const ID = '500000000001';
    const contact = (over: Partial<MirrorContact> = {}): MirrorContact => ({
      id: ID,
      createdAt: 1_000,
      status: 'sales_ready',
      fitScore: 40,
      engagementScore: 30.5,
      totalScore: 70.5,
      definitionVersion: '3',
      qualifiedAt: 5_000,
      convertedAt: null,
      feedback: null,
      feedbackAt: null,
      source: null,
      companyId: null,
      evaluatedAt: 6_000,
      deleted: false,
      ownerId: '77',
      accountFacts: null,
      ...over,
    });
    const decision = (over: Partial<DecisionRecord>): DecisionRecord => ({
      contactId: ID,
      definitionVersion: '3',
      previousStatus: null,
      status: 'nurture',
      fitScore: 10,
      engagementScore: 0,
      totalScore: 10,
      reasons: ['Nurture: not yet marketing qualified: fit 10 < 20'],
      decidedAt: 1_000,
      ...over,
    });

    test('when a contact is mirrored with an owner, then the owner reads back, and a later write without one clears it', async () => {
      await store.upsertContacts([contact()]);
      expect((await store.getContacts([ID])).get(ID)!.ownerId).toBe('77');
      await store.upsertContacts([contact({ ownerId: null })]);
      expect((await store.getContacts([ID])).get(ID)!.ownerId).toBeNull();
    });

    test('when decisions are recorded with and without structured reasons, then the first read back structured and the second as kind-less texts', async () => {
      const details = [
        { kind: 'status' as const, ref: 'sales_ready', text: 'Sales ready: fit 40 >= 30' },
        { kind: 'fit' as const, ref: 'industry', points: 40, text: '+40 fit: Target industry' },
      ];
      await store.recordDecisions([decision({ status: 'sales_ready', reasons: details.map((d) => d.text), reasonDetails: details, decidedAt: 2_000 })]);
      await store.recordDecisions([decision({ decidedAt: 1_000 })]);
      const h = await store.history(ID);
      expect(h.decisions.map((d) => d.reasonDetails)).toEqual([details, [{ kind: null, ref: null, text: 'Nurture: not yet marketing qualified: fit 10 < 20' }]]);
    });

    test('when writes are recorded with an actor, then history shows who caused each, null for a write without one', async () => {
      await store.recordWrites([{ objectType: 'contacts', objectId: ID, properties: { uld_status: 'nurture' }, outcome: 'written', writtenAt: 1_000 }]);
      await store.recordWrites([{ objectType: 'contacts', objectId: ID, properties: { uld_status: 'sales_ready' }, outcome: 'written', writtenAt: 2_000, actor: 'uld:sync' }]);
      expect((await store.history(ID)).writes.map((w) => w.actor)).toEqual(['uld:sync', null]);
    });

    test('when the card reads a contact, then one call gives the contact, the latest decision structured, status changes newest first, the verdict write and queued work', async () => {
      await store.upsertContacts([contact()]);
      await store.recordDecisions([
        decision({ decidedAt: 1_000 }),
        // Same status, other reasons: not a status change, not history.
        decision({ previousStatus: 'nurture', status: 'nurture', decidedAt: 2_000 }),
        decision({ previousStatus: 'nurture', status: 'marketing_qualified', decidedAt: 3_000 }),
        decision({ previousStatus: 'marketing_qualified', status: 'sales_ready', decidedAt: 5_000, reasons: ['Sales ready: fit 40 >= 30'], reasonDetails: [{ kind: 'status', ref: 'sales_ready', text: 'Sales ready: fit 40 >= 30' }] }),
      ]);
      const empty = await store.cardData(ID);
      expect(empty.lastVerdictWrite).toBeNull();
      expect(empty.pending).toBe(false);
      await store.recordWrites([
        { objectType: 'contacts', objectId: ID, properties: { uld_sales_feedback: 'rejected_bad_data', uld_feedback_at: '1970-01-01T00:00:07.000Z' }, outcome: 'written', writtenAt: 7_000, actor: 'user:9' },
        { objectType: 'contacts', objectId: ID, properties: { uld_status: 'nurture' }, outcome: 'written', writtenAt: 8_000, actor: 'uld:sync' },
        // Another contact's verdict is not this one's.
        { objectType: 'contacts', objectId: '500000000002', properties: { uld_sales_feedback: 'accepted' }, outcome: 'written', writtenAt: 9_000, actor: 'user:1' },
      ]);
      await store.markDirty([{ objectType: 'contact', objectId: ID, change: 'property_changed', occurredAt: 8_500 }]);
      const data = await store.cardData(ID, { historyLimit: 2 });
      expect(data.contact).toEqual(contact());
      expect(data.decision).toMatchObject({ status: 'sales_ready', decidedAt: 5_000, reasonDetails: [{ kind: 'status', ref: 'sales_ready', text: 'Sales ready: fit 40 >= 30' }] });
      expect(data.statusHistory.map((d) => [d.previousStatus, d.status, d.decidedAt])).toEqual([
        ['marketing_qualified', 'sales_ready', 5_000],
        ['nurture', 'marketing_qualified', 3_000],
      ]);
      expect((await store.cardData(ID)).statusHistory.map((d) => d.decidedAt)).toEqual([5_000, 3_000, 1_000]);
      expect(data.lastVerdictWrite).toEqual({ actor: 'user:9', verdict: 'rejected_bad_data', writtenAt: 7_000 });
      expect(data.pending).toBe(true);
      expect(await store.cardData('500000000009')).toEqual({ contact: null, decision: null, statusHistory: [], lastVerdictWrite: null, pending: false, handOff: null });
      // The recorded hand-off (hand_offs, migration 0007) comes with the rest, in the same call.
      const handOff = { contactId: '500000000009', mode: 'lead' as const, ownerId: '77', objectId: '60000000001', handedOffAt: 1_000, dueAt: 86_401_000, attemptedAt: 1_000 };
      await store.claimHandOffs([handOff]);
      expect((await store.cardData('500000000009')).handOff).toEqual(handOff);
    });

    test('when a verdict is recorded twice, then the mirror, one audit row and a queued re-evaluation come of the first, and nothing of the second', async () => {
      await store.upsertContacts([contact()]);
      const v = { contactId: ID, verdict: 'accepted', at: 9_000, actor: 'user:42', properties: { uld_sales_feedback: 'accepted', uld_feedback_at: '1970-01-01T00:00:09.000Z' }, writtenAt: 9_001 };
      expect(await store.recordVerdict(v)).toEqual({ changed: true });
      expect(await store.recordVerdict({ ...v, at: 9_500, writtenAt: 9_501 })).toEqual({ changed: false });
      const c = (await store.getContacts([ID])).get(ID)!;
      expect([c.feedback, c.feedbackAt]).toEqual(['accepted', 9_000]);
      const writes = (await store.history(ID)).writes;
      expect(writes.map((w) => [w.actor, w.properties, w.writtenAt])).toEqual([['user:42', v.properties, 9_001]]);
      expect((await store.listWork({ objectType: 'contact', objectId: ID })).map((u) => u.properties)).toEqual([['uld_sales_feedback']]);
      // Another verdict changes it again.
      expect(await store.recordVerdict({ ...v, verdict: 'rejected_misrouted', at: 10_000 })).toEqual({ changed: true });
      expect((await store.getContacts([ID])).get(ID)!.feedback).toBe('rejected_misrouted');
      // A contact the mirror does not have records nothing.
      expect(await store.recordVerdict({ ...v, contactId: '500000000009' })).toEqual({ changed: false });
      expect((await store.history('500000000009')).writes).toEqual([]);
    });
  });
}

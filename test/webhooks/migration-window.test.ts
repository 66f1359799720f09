import { APP_ID, PREVIOUS_APP_ID, PREVIOUS_SECRET, SECRET, hubspotEvent, startTestApp, type TestApp } from '../server/harness';

/**
 * Acceptance 6 at the receiver: while the old legacy app and the new project app are both installed, each
 * delivers every change, with its own eventId and subscription, signed with its own secret. Either
 * signature is accepted, one change is stored and worked once, two changes never collapse into one, and
 * the echo of a write by either app is ours.
 */

type Event = Record<string, unknown>;

/** The same event as delivered by one app: its own eventId (hubspotEvent numbers them), subscription and appId. */
const byNewApp = (e: Event): Event => hubspotEvent({ ...e, appId: APP_ID, subscriptionId: 1001 });
const byOldApp = (e: Event): Event => hubspotEvent({ ...e, appId: PREVIOUS_APP_ID, subscriptionId: 2002, attemptNumber: 1 });

const AT = 1_764_000_000_000;
const contactToCompany = { fromObjectId: 1, toObjectId: 7, associationRemoved: false, isPrimaryAssociation: true };
const legacyAssoc = { subscriptionType: 'contact.associationChange', objectId: 1, associationType: 'CONTACT_TO_COMPANY', ...contactToCompany };
const genericAssoc = { subscriptionType: 'object.associationChange', objectTypeId: '0-1', objectId: 1, fromObjectTypeId: '0-1', toObjectTypeId: '0-2', associationTypeId: 1, ...contactToCompany };

describe('a migration window: two apps deliver the same portal', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ migrationWindow: true });
  });
  afterEach(() => app.close());

  /** Posts each event as its own delivery, the first signed by the new app, the second by the old one. */
  async function deliver(fromNew: Event, fromOld: Event): Promise<Array<{ stored: number; duplicates: number }>> {
    const answers = [];
    for (const [event, secret] of [[fromNew, SECRET], [fromOld, PREVIOUS_SECRET]] as const) {
      const body = JSON.stringify([event]);
      const res = await app.post(body, app.signed(body, { secret }));
      expect(res.status).toBe(200);
      answers.push(JSON.parse(res.body) as { stored: number; duplicates: number });
    }
    return answers;
  }

  /** Events that made work, and how many events each unit of work holds (a merge or an association has several units). */
  const worked = async () => ({ events: await app.store.countEvents({ disposition: 'work' }), perUnit: [...new Set((await app.store.listWork()).map((u) => u.eventCount))] });

  test.each<[string, Event, Event]>([
    ['a property change', { objectId: 1, propertyName: 'jobtitle', propertyValue: 'CTO', occurredAt: AT }, { objectId: 1, propertyName: 'jobtitle', propertyValue: 'CTO', occurredAt: AT }],
    ['a creation, legacy format from one app and generic from the other', { subscriptionType: 'contact.creation', objectId: 2, occurredAt: AT }, { subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 2, occurredAt: AT }],
    ['a deletion', { subscriptionType: 'deal.deletion', objectId: 3, occurredAt: AT }, { subscriptionType: 'deal.deletion', objectId: 3, occurredAt: AT }],
    ['a privacy deletion', { subscriptionType: 'contact.privacyDeletion', objectId: 4, occurredAt: AT }, { subscriptionType: 'contact.privacyDeletion', objectId: 4, occurredAt: AT }],
    ['a restore', { subscriptionType: 'company.restore', objectId: 5, occurredAt: AT }, { subscriptionType: 'company.restore', objectId: 5, occurredAt: AT }],
    [
      'a merge, merged ids listed in another order',
      { subscriptionType: 'contact.merge', objectId: 10, primaryObjectId: 10, mergedObjectIds: [11, 12], newObjectId: 20, occurredAt: AT },
      { subscriptionType: 'contact.merge', objectId: 10, primaryObjectId: 10, mergedObjectIds: [12, 11], newObjectId: 20, occurredAt: AT },
    ],
    ['an association change, legacy format from one app and generic from the other', { ...legacyAssoc, occurredAt: AT }, { ...genericAssoc, occurredAt: AT }],
  ])('when both apps deliver %s, then it is stored and worked once', async (_what, change, sameChange) => {
    const [first, second] = await deliver(byNewApp(change), byOldApp(sameChange));
    expect(first).toMatchObject({ stored: 1, duplicates: 0 });
    expect(second).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await app.store.countEvents()).toBe(1);
    expect(await worked()).toEqual({ events: 1, perUnit: [1] });
  });

  test.each<[string, Event, Event]>([
    ['the same property set to two values in one millisecond', { objectId: 1, propertyName: 'jobtitle', propertyValue: 'CTO' }, { objectId: 1, propertyName: 'jobtitle', propertyValue: 'CEO' }],
    ['the same value set again later', { objectId: 1, propertyValue: 'CTO', occurredAt: AT }, { objectId: 1, propertyValue: 'CTO', occurredAt: AT + 1 }],
    ['two properties changed in one millisecond', { objectId: 1, propertyName: 'jobtitle' }, { objectId: 1, propertyName: 'country' }],
    ['the same change on two records', { objectId: 1 }, { objectId: 2 }],
    ['the same value written by two people', { objectId: 1, sourceId: 'userId:1' }, { objectId: 1, sourceId: 'userId:2' }],
    ['an association added and removed in one millisecond', { ...legacyAssoc }, { ...legacyAssoc, associationRemoved: true }],
    ["HubSpot's primary and non-primary events of one association", { ...legacyAssoc }, { ...legacyAssoc, isPrimaryAssociation: false }],
    ['a creation and a restore of one record', { subscriptionType: 'contact.creation', objectId: 2 }, { subscriptionType: 'contact.restore', objectId: 2 }],
    [
      'two merges into one record',
      { subscriptionType: 'contact.merge', objectId: 10, primaryObjectId: 10, mergedObjectIds: [11] },
      { subscriptionType: 'contact.merge', objectId: 10, primaryObjectId: 10, mergedObjectIds: [12] },
    ],
  ])('when the apps deliver %s, then both are stored and worked', async (_what, one, other) => {
    const answers = await deliver(byNewApp(one), byOldApp(other));
    expect(answers.map((a) => a.stored)).toEqual([1, 1]);
    expect(await app.store.countEvents()).toBe(2);
    expect((await worked()).events).toBe(2);
  });

  test.each([
    ['the new app', APP_ID],
    ['the old app', PREVIOUS_APP_ID],
  ])('when a write by %s comes back from both apps, then it is recorded once as our own and creates no work', async (_writer, writer) => {
    const echo = { objectId: 1, propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'INTEGRATION', sourceId: String(writer) };
    const answers = await deliver(byNewApp(echo), byOldApp(echo));
    expect(answers.map((a) => a.stored)).toEqual([1, 0]);
    expect(await app.store.countEvents({ disposition: 'own_write' })).toBe(1);
    expect(await app.store.listWork()).toEqual([]);
  });

  test("when the old app's events carry an id other than HUBSPOT_PREVIOUS_APP_ID, then they are stored and the log names the fix", async () => {
    const body = JSON.stringify([hubspotEvent({ appId: 424242 })]);
    expect((await app.post(body, app.signed(body, { secret: PREVIOUS_SECRET }))).status).toBe(200);
    expect(app.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/HUBSPOT_PREVIOUS_APP_ID is 555001.*set HUBSPOT_PREVIOUS_APP_ID=424242$/) }));
  });
});

describe('outside a migration window', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(() => app.close());

  test("when the old app's secret signs a delivery, then it is refused", async () => {
    const body = JSON.stringify([byOldApp({})]);
    expect((await app.post(body, app.signed(body, { secret: PREVIOUS_SECRET }))).status).toBe(401);
    expect(await app.store.countEvents()).toBe(0);
  });

  test("when the old app's writes come back, then they are someone else's changes: work", async () => {
    const body = JSON.stringify([byNewApp({ objectId: 1, propertyName: 'lifecyclestage', changeSource: 'INTEGRATION', sourceId: String(PREVIOUS_APP_ID) })]);
    expect((await app.post(body, app.signed(body))).status).toBe(200);
    expect((await app.store.listWork()).map((u) => u.objectId)).toEqual(['1']);
  });
});

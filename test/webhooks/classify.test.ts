import { isOwnSource, parseEventBatch, planWork, toIncomingEvent, type WebhookEvent } from '../../webhooks';
import { APP_ID, hubspotEvent } from '../server/harness';

function parse(...events: Array<Record<string, unknown>>): WebhookEvent[] {
  const result = parseEventBatch(Buffer.from(JSON.stringify(events)));
  if (!result.ok) throw new Error(result.message);
  return result.events;
}

const plan = (overrides: Record<string, unknown>) => planWork(parse(hubspotEvent(overrides))[0]!, { appIds: [APP_ID] });
const marks = (overrides: Record<string, unknown>) => plan(overrides).marks.map((m) => [m.objectType, m.objectId, m.change, m.property ?? m.mergedInto ?? null]);

describe('what an event means for the queue', () => {
  test('when a contact is created, deleted, privacy-deleted or restored, then its unit says so', () => {
    expect(marks({ subscriptionType: 'contact.creation', objectId: 1 })).toEqual([['contact', '1', 'created', null]]);
    expect(marks({ subscriptionType: 'deal.deletion', objectId: 2 })).toEqual([['deal', '2', 'deleted', null]]);
    expect(marks({ subscriptionType: 'contact.privacyDeletion', objectId: 3 })).toEqual([
      ['contact', '3', 'deleted', null],
      ['contact', '3', 'privacy_deleted', null],
    ]);
    expect(marks({ subscriptionType: 'company.restore', objectId: 4 })).toEqual([['company', '4', 'restored', null]]);
  });

  test.each([
    // [what, event overrides, disposition, marks]
    ['a rep moves a hand-off Lead', { subscriptionType: 'object.propertyChange', objectTypeId: '0-136', objectId: 60, propertyName: 'hs_pipeline_stage', propertyValue: 'qualified-stage-id' }, 'work', [['lead', '60', 'property_changed', 'hs_pipeline_stage']]],
    ['a rep picks a disqualification reason', { subscriptionType: 'object.propertyChange', objectTypeId: '0-136', objectId: 61, propertyName: 'hs_lead_disqualification_reason', propertyValue: 'NOT_A_GOOD_FIT' }, 'work', [['lead', '61', 'property_changed', 'hs_lead_disqualification_reason']]],
    ['our own create sets the stage', { subscriptionType: 'object.propertyChange', objectTypeId: '0-136', objectId: 62, propertyName: 'hs_pipeline_stage', changeSource: 'INTEGRATION', sourceId: String(APP_ID) }, 'own_write', []],
    ['another Lead property changes', { subscriptionType: 'object.propertyChange', objectTypeId: '0-136', objectId: 63, propertyName: 'hs_lead_label' }, 'ignored', []],
    ['a Lead is created', { subscriptionType: 'object.creation', objectTypeId: '0-136', objectId: 64, propertyName: undefined }, 'ignored', []],
  ])('when %s, then the event is %s', (_what, overrides, disposition, expected) => {
    expect(plan(overrides).disposition).toBe(disposition);
    expect(marks(overrides)).toEqual(expected);
  });

  test('when a property changes, then the unit names the property', () => {
    expect(marks({ objectId: 5, propertyName: 'lifecyclestage' })).toEqual([['contact', '5', 'property_changed', 'lifecyclestage']]);
  });

  test('when contacts merge, then the survivor is re-read and each merged id is marked gone into it', () => {
    expect(marks({ subscriptionType: 'contact.merge', objectId: 10, primaryObjectId: 10, mergedObjectIds: [11, 12] })).toEqual([
      ['contact', '10', 'merged', null],
      ['contact', '11', 'merged_away', '10'],
      ['contact', '12', 'merged_away', '10'],
    ]);
  });

  test('when a merge creates a new record id, then the primary is gone too and the new id survives', () => {
    expect(marks({ subscriptionType: 'contact.merge', objectId: 10, primaryObjectId: 10, mergedObjectIds: [11], newObjectId: 20 })).toEqual([
      ['contact', '20', 'merged', null],
      ['contact', '10', 'merged_away', '20'],
      ['contact', '11', 'merged_away', '20'],
    ]);
  });

  test('when a merge comes without objectId, then the event is about its primary and the marks are the same', () => {
    const event = hubspotEvent({ subscriptionType: 'contact.merge', primaryObjectId: 10, mergedObjectIds: [11] });
    delete event.objectId;
    const [parsed] = parse(event);
    expect(parsed!.objectId).toBe('10');
    expect(planWork(parsed!, { appIds: [APP_ID] }).marks.map((m) => [m.objectId, m.change])).toEqual([
      ['10', 'merged'],
      ['11', 'merged_away'],
    ]);
  });

  test('when a deal is associated with a contact, then both ends get a conversion signal', () => {
    const assoc = { subscriptionType: 'contact.associationChange', objectId: 1, associationType: 'CONTACT_TO_DEAL', fromObjectId: 1, toObjectId: 9, associationRemoved: false };
    expect(marks(assoc)).toEqual([
      ['contact', '1', 'association_changed', null],
      ['deal', '9', 'association_changed', null],
      ['contact', '1', 'conversion_signal', null],
      ['deal', '9', 'conversion_signal', null],
    ]);
    expect(marks({ ...assoc, associationRemoved: true }).map((m) => m[2])).toEqual(['association_changed', 'association_changed']);
  });

  test('when a contact joins a company, then both are recomputed; associations we do not use are ignored', () => {
    expect(marks({ subscriptionType: 'company.associationChange', objectId: 7, associationType: 'COMPANY_TO_CONTACT', fromObjectId: 7, toObjectId: 1, associationRemoved: false })).toEqual([
      ['company', '7', 'association_changed', null],
      ['contact', '1', 'association_changed', null],
    ]);
    expect(plan({ subscriptionType: 'contact.associationChange', associationType: 'CONTACT_TO_TICKET', fromObjectId: 1, toObjectId: 2, associationRemoved: false }).disposition).toBe('ignored');
  });

  test('when the generic object.* format is used, then objectTypeId decides the object type', () => {
    expect(marks({ subscriptionType: 'object.creation', objectTypeId: '0-3', objectId: 8 })).toEqual([['deal', '8', 'created', null]]);
    expect(
      marks({ subscriptionType: 'object.associationChange', objectTypeId: '0-1', objectId: 1, fromObjectTypeId: '0-1', toObjectTypeId: '0-3', fromObjectId: 1, toObjectId: 8, associationRemoved: false }),
    ).toContainEqual(['deal', '8', 'conversion_signal', null]);
    expect(plan({ subscriptionType: 'object.creation', objectTypeId: '0-5', objectId: 8 })).toMatchObject({ objectType: '0-5', disposition: 'ignored', marks: [] });
  });

  test('when HubSpot echoes our own write, then it is recorded as own_write and creates no work', () => {
    expect(plan({ changeSource: 'INTEGRATION', sourceId: String(APP_ID), propertyName: 'lifecyclestage' })).toMatchObject({ disposition: 'own_write', marks: [] });
    expect(plan({ propertyName: 'uld_status', sourceId: 'userId:1' })).toMatchObject({ disposition: 'own_write', marks: [] });
    expect(plan({ propertyName: 'uld_sales_feedback', sourceId: 'userId:1' })).toMatchObject({ disposition: 'work' });
    expect(plan({ changeSource: 'INTEGRATION', sourceId: '123456', propertyName: 'lifecyclestage' })).toMatchObject({ disposition: 'work' });
  });

  test('when a migration window is open, then worked and own events get a change key; ignored ones and every event outside a window do not', () => {
    const key = (overrides: Record<string, unknown>, migrationWindow: boolean) => toIncomingEvent(parse(hubspotEvent(overrides))[0]!, { appIds: [APP_ID], migrationWindow }).changeKey;
    expect(key({ objectId: 1 }, true)).toMatch(/^contact\.propertyChange:[\w-]{22}$/);
    expect(key({ objectId: 1, changeSource: 'INTEGRATION', sourceId: String(APP_ID) }, true)).toMatch(/^contact\.propertyChange:/);
    expect(key({ subscriptionType: 'ticket.creation', objectId: 1 }, true)).toBeNull();
    expect(key({ objectId: 1 }, false)).toBeNull();
  });

  test('when sourceId is a user or another app, then it is not ours', () => {
    expect(isOwnSource(`appId:${APP_ID}`, [APP_ID])).toBe(true);
    expect(isOwnSource(`userId:${APP_ID}`, [APP_ID])).toBe(false);
    expect(isOwnSource(`${APP_ID}1`, [APP_ID])).toBe(false);
    expect(isOwnSource(String(APP_ID), [])).toBe(false);
    expect(isOwnSource(null, [APP_ID])).toBe(false);
  });

  test('when ids come as numbers or digit strings, then they are kept as exact decimal strings', () => {
    const [a, b] = parse(hubspotEvent({ objectId: 123456789012 }), hubspotEvent({ objectId: '98765432109876543' }));
    expect([a!.objectId, b!.objectId]).toEqual(['123456789012', '98765432109876543']);
    const unsafe = parseEventBatch(Buffer.from(`[${JSON.stringify(hubspotEvent()).replace('"objectId":123', '"objectId":9007199254740993')}]`));
    expect(unsafe).toMatchObject({ ok: false, message: expect.stringContaining('body[0].objectId must be a non-negative integer id') });
  });
});

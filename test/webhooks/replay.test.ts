import { APP_ID, hubspotEvent, startTestApp, type TestApp } from '../server/harness';

/** Acceptance 2: HubSpot's retries and duplicates coalesce; our own writes coming back create nothing. */
describe('webhook replay and echoes', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(() => app.close());

  test('when the same batch is delivered 10 times, then there is one unit of work per object and each event is stored once', async () => {
    const events = [
      hubspotEvent({ objectId: 1, propertyName: 'jobtitle', occurredAt: 1_764_000_000_000 }),
      hubspotEvent({ objectId: 1, propertyName: 'country', occurredAt: 1_764_000_000_500 }),
      hubspotEvent({ objectId: 2, subscriptionType: 'contact.creation', occurredAt: 1_764_000_000_100 }),
      hubspotEvent({ objectId: 3, subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', occurredAt: 1_764_000_000_200 }),
    ];
    for (let attempt = 0; attempt < 10; attempt++) {
      // A retry is a new request: new attemptNumber, new timestamp, new signature; the events are the same.
      const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt })));
      const res = await app.post(body, app.signed(body));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ received: 4, stored: attempt === 0 ? 4 : 0, duplicates: attempt === 0 ? 0 : 4 });
    }
    expect(await app.store.countEvents()).toBe(4);
    const units = await app.store.listWork();
    expect(units.map((u) => [u.objectType, u.objectId, u.eventCount])).toEqual([
      ['contact', '1', 2],
      ['contact', '2', 1],
      ['deal', '3', 1],
    ]);
    expect(units[0]).toMatchObject({ properties: ['country', 'jobtitle'], firstOccurredAt: 1_764_000_000_000, lastOccurredAt: 1_764_000_000_500 });
    const metrics = (await app.get('/metrics')).body;
    expect(metrics).toContain('uld_webhook_events_accepted_total{disposition="duplicate"} 36');
    expect(metrics).toContain('uld_queue_depth{object_type="contact",state="pending"} 2');
  });

  test('when HubSpot echoes our own writes, then they are recorded and create no unit of work', async () => {
    const echoes = [
      hubspotEvent({ objectId: 1, propertyName: 'lifecyclestage', changeSource: 'INTEGRATION', sourceId: String(APP_ID) }),
      hubspotEvent({ objectId: 1, propertyName: 'uld_status', changeSource: 'API', sourceId: 'userId:5' }),
      hubspotEvent({ objectId: 2, propertyName: 'uld_score' }),
    ];
    const body = JSON.stringify(echoes);
    expect((await app.post(body, app.signed(body))).status).toBe(200);
    expect(await app.store.countEvents({ disposition: 'own_write' })).toBe(3);
    expect(await app.store.listWork()).toEqual([]);
  });

  test('when a rep writes uld_sales_feedback, then it is work even though the property is ours', async () => {
    const body = JSON.stringify([hubspotEvent({ objectId: 4, propertyName: 'uld_sales_feedback', propertyValue: 'rejected_bad_data' })]);
    expect((await app.post(body, app.signed(body))).status).toBe(200);
    expect((await app.store.listWork()).map((u) => [u.objectId, u.properties])).toEqual([['4', ['uld_sales_feedback']]]);
  });
});

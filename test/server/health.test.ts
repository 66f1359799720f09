import { hubspotEvent, startTestApp, type TestApp } from './harness';

describe('health, readiness and metrics', () => {
  let app: TestApp;
  let draining = false;
  const TOKEN = 'admin-token-0123456789';

  beforeEach(async () => {
    draining = false;
    app = await startTestApp({ adminToken: TOKEN, draining: () => draining });
  });
  afterEach(() => app.close());

  test('when the store is reachable and migrated, then /healthz and /readyz answer 200', async () => {
    expect(await app.get('/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(await app.get('/readyz')).toEqual({ status: 200, body: '{"ready":true}' });
  });

  test('when the store is gone, then /readyz is 503 but /healthz (the process) is still 200', async () => {
    await app.store.close();
    expect(await app.get('/readyz')).toEqual({ status: 503, body: '{"ready":false,"reason":"store unreachable"}' });
    expect((await app.get('/healthz')).status).toBe(200);
  });

  test('when shutting down, then /readyz is 503 so traffic moves elsewhere', async () => {
    draining = true;
    expect(await app.get('/readyz')).toEqual({ status: 503, body: '{"ready":false,"reason":"shutting down"}' });
  });

  test('when ADMIN_TOKEN is set, then /metrics needs it', async () => {
    expect((await app.get('/metrics')).status).toBe(401);
    expect((await app.get('/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await app.get('/metrics', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  test('when events flow, then /metrics reports received, accepted, rejected, queue depth, age, dead letters and latency', async () => {
    const body = JSON.stringify([hubspotEvent({ objectId: 1 }), hubspotEvent({ objectId: 2, subscriptionType: 'ticket.creation' })]);
    expect((await app.post(body, app.signed(body))).status).toBe(200);
    expect((await app.post(body)).status).toBe(401);
    const { body: text } = await app.get('/metrics', { authorization: `Bearer ${TOKEN}` });
    for (const line of [
      'uld_webhook_events_received_total 2',
      'uld_webhook_events_accepted_total{disposition="work"} 1',
      'uld_webhook_events_accepted_total{disposition="ignored"} 1',
      'uld_webhook_requests_rejected_total{reason="missing_signature"} 1',
      'uld_queue_depth{object_type="contact",state="pending"} 1',
      'uld_queue_depth{object_type="contact",state="leased"} 0',
      'uld_dead_letters 0',
      'uld_http_request_duration_seconds_count{method="POST",route="/webhooks/hubspot",status_code="200"} 1',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/uld_queue_oldest_age_seconds\{object_type="contact"\} \d/);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  test('when a path is unknown, then 404 and its latency is labelled "unmatched", not by path', async () => {
    expect((await app.get('/wp-admin')).status).toBe(404);
    const { body: text } = await app.get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(text).toContain('route="unmatched",status_code="404"');
    expect(text).not.toContain('wp-admin');
  });
});

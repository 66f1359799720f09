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

  // A wrong token of the token's own length is the case a length check cannot refuse early.
  const sameLength = `${TOKEN.slice(0, -1)}${TOKEN.endsWith('9') ? '8' : '9'}`;
  test.each([
    ['the token', { authorization: `Bearer ${TOKEN}` }, 200],
    ['a wrong token of the same length', { authorization: `Bearer ${sameLength}` }, 401],
    ['a wrong token, shorter', { authorization: 'Bearer wrong-token' }, 401],
    ['a wrong token, longer', { authorization: `Bearer ${TOKEN}0` }, 401],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 401],
    ['no Authorization header', {}, 401],
    ['an empty bearer credential', { authorization: 'Bearer ' }, 401],
    ['the token as a Basic credential', { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` }, 401],
  ])('when ADMIN_TOKEN is set and /metrics is asked with %s, then it answers %i', async (_what, headers: Record<string, string>, status) => {
    expect(sameLength).toHaveLength(TOKEN.length);
    expect(sameLength).not.toBe(TOKEN);
    const res = await app.get('/metrics', headers);
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body).toMatch(/^# HELP /m);
    else expect(res.body).toBe('{"error":"unauthorized"}');
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

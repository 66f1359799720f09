import pino from 'pino';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CARD_ROUTES } from '../../card/src/contract';
import { fetchSignatureV3 } from '../../src/sandbox';
import { createApp, createMetrics, listen } from '../../src/server';
import { openStore } from '../../src/store';

/** Without HUBSPOT_APP_ID or HUBSPOT_PORTAL_ID the card's backend is closed, not open: 503 in JSON, naming them. */
test('when the app or portal id is not configured, then every card route answers 503 JSON naming the settings, even correctly signed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-card-'));
  const store = await openStore(`sqlite:${path.join(dir, 'uld.sqlite')}`);
  const logger = pino({ level: 'silent' });
  const secret = 'card-secret';
  const app = createApp({
    store,
    logger,
    metrics: createMetrics(store, logger),
    draining: () => false,
    webhooks: { clientSecret: secret, publicUrl: 'https://uld.example.test/webhooks/hubspot', acceptV1: false, maxBodyBytes: 1024 },
    card: { clientSecret: secret, publicUrl: 'https://uld.example.test/webhooks/hubspot', ladder: { sales_ready: { total: 1 }, marketing_qualified: { total: 0 } }, slaHours: 24, defaultHandOffMode: 'task', verdicts: 'none' },
  });
  const http = await listen(app, 0, '127.0.0.1');
  try {
    const pathname = `${CARD_ROUTES.view('1')}?appId=1&portalId=2`;
    const ts = Date.now();
    const res = await fetch(`http://127.0.0.1:${http.port}${pathname}`, {
      headers: { 'X-HubSpot-Signature-v3': fetchSignatureV3(secret, 'GET', `https://uld.example.test${pathname}`, '', ts), 'X-HubSpot-Request-Timestamp': String(ts) },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toContain('HUBSPOT_APP_ID');
    expect(body.error.message).toContain('HUBSPOT_PORTAL_ID');
  } finally {
    await http.close(100);
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

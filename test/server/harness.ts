import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signWebhookRequest } from '../../webhooks';
import { createLogger } from '../../src/logging';
import { createApp, createMetrics, listen, type Metrics, type RunningHttp } from '../../src/server';
import { openStore, type Store } from '../../src/store';

export const SECRET = 'test-client-secret-0000';
export const PUBLIC_URL = 'https://uld.example.com/webhooks/hubspot';
export const APP_ID = 777001;
export const PORTAL_ID = 62515;
/** The old legacy app of a migration window (HUBSPOT_PREVIOUS_*), for tests that open one. */
export const PREVIOUS_SECRET = 'test-previous-secret-1111';
export const PREVIOUS_APP_ID = 555001;

export interface TestApp {
  url: string;
  store: Store;
  metrics: Metrics;
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  post(body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** Signs like HubSpot for PUBLIC_URL (or another uri) at `timestamp` (default now). */
  signed(body: string, options?: { secret?: string; uri?: string; timestamp?: number }): Record<string, string>;
  get(pathname: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  portalId?: number;
  acceptV1?: boolean;
  maxBodyBytes?: number;
  adminToken?: string;
  draining?: () => boolean;
  /** Opens a migration window with the old app PREVIOUS_APP_ID / PREVIOUS_SECRET. */
  migrationWindow?: boolean;
}

/** The real app on 127.0.0.1:0 over a fresh SQLite file, logs captured. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-app-'));
  const store = await openStore(`sqlite:${path.join(dir, 'uld.sqlite')}`);
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const metrics = createMetrics(store, logger);
  const app = createApp({
    store,
    logger,
    metrics,
    adminToken: options.adminToken,
    draining: options.draining ?? (() => false),
    webhooks: {
      clientSecret: SECRET,
      publicUrl: PUBLIC_URL,
      acceptV1: options.acceptV1 ?? false,
      portalId: options.portalId,
      appId: APP_ID,
      ...(options.migrationWindow ? { previousApp: { appId: PREVIOUS_APP_ID, clientSecret: PREVIOUS_SECRET } } : {}),
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    },
  });
  const http: RunningHttp = await listen(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${http.port}`;
  const send = async (method: string, pathname: string, body?: string | Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${pathname}`, { method, headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: await res.text() };
  };
  return {
    url,
    store,
    metrics,
    logs,
    post: (body, headers) => send('POST', '/webhooks/hubspot', body, headers),
    get: (pathname, headers) => send('GET', pathname, undefined, headers),
    signed: (body, o = {}) => signWebhookRequest({ clientSecret: o.secret ?? SECRET, uri: o.uri ?? PUBLIC_URL, body, timestamp: o.timestamp }),
    async close() {
      await http.close(1000);
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let nextEventId = 1000;

/** A HubSpot webhook event, legacy format, as HubSpot sends it. */
export function hubspotEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: nextEventId++,
    subscriptionId: 12345,
    portalId: PORTAL_ID,
    appId: APP_ID,
    occurredAt: 1_764_000_000_000,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 123,
    propertyName: 'jobtitle',
    propertyValue: 'VP Marketing',
    changeSource: 'CRM_UI',
    sourceId: 'userId:45678',
    ...overrides,
  };
}

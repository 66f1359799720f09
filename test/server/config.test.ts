import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { renderConfigurationDoc, renderEnvExample } from '../../src/config/docs';

describe('serve, webhook and queue settings', () => {
  test('when nothing is set, then every role runs and the queue and webhook defaults apply', () => {
    const config = loadConfig({});
    expect(config.serve).toEqual({ http: true, worker: true, scheduler: true, shutdownTimeoutMs: 10_000 });
    expect(config.webhooks).toEqual({ acceptV1: false, maxBodyBytes: 1_048_576, eventRetentionDays: 30 });
    expect(config.queue).toEqual({ leaseMs: 120_000, maxAttempts: 8, backoffBaseMs: 10_000 });
  });

  test('when roles are switched by env, then yes/no, 1/0 and true/false are understood', () => {
    const config = loadConfig({ SERVE_HTTP: 'no', SERVE_WORKER: '0', SERVE_SCHEDULER: 'TRUE', WEBHOOK_ACCEPT_V1: 'yes', QUEUE_LEASE_SECONDS: '30' });
    expect(config.serve).toMatchObject({ http: false, worker: false, scheduler: true });
    expect(config.webhooks.acceptV1).toBe(true);
    expect(config.queue.leaseMs).toBe(30_000);
  });

  test('when values are invalid, then each is reported: retention under 2 days would break deduplication', () => {
    expect(() => loadConfig({ SERVE_WORKER: 'maybe', WEBHOOK_EVENT_RETENTION_DAYS: '1', QUEUE_MAX_ATTEMPTS: '0' })).toThrow(ConfigError);
    try {
      loadConfig({ SERVE_WORKER: 'maybe', WEBHOOK_EVENT_RETENTION_DAYS: '1', QUEUE_MAX_ATTEMPTS: '0' });
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.name)).toEqual(['WEBHOOK_EVENT_RETENTION_DAYS', 'QUEUE_MAX_ATTEMPTS', 'SERVE_WORKER']);
    }
  });

  test('the committed docs/configuration.md and .env.example list these settings as generated', () => {
    const root = path.join(__dirname, '..', '..');
    expect(fs.readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8')).toBe(renderConfigurationDoc());
    expect(fs.readFileSync(path.join(root, '.env.example'), 'utf8')).toBe(renderEnvExample());
  });
});

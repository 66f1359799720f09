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

  test.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['0.0.0.0', '0.0.0.0'],
    ['localhost', 'localhost'],
    ['uld-1.internal.example.', 'uld-1.internal.example.'],
    [' 10.0.0.5 ', '10.0.0.5'],
  ])('when HOST is %j, then `uld serve` listens on %j', (raw, host) => {
    expect(loadConfig({ HOST: raw }).host).toBe(host);
  });

  test.each(['[::1]', 'localhost:3000', 'https://uld.example.com', '-bad.example', 'under_score'])('when HOST is %j, then it is refused as not an address', (raw) => {
    expect(() => loadConfig({ HOST: raw })).toThrow(`Invalid environment: HOST: expected an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0) or a hostname of this machine (e.g. localhost), with no port; unset it to listen on every interface, found ${JSON.stringify(raw)}`);
  });

  test('when HOST is not set, then no host is configured: every interface, as before', () => {
    expect(loadConfig({}).host).toBeUndefined();
  });

  test('the committed docs/configuration.md and .env.example list these settings as generated', () => {
    const root = path.join(__dirname, '..', '..');
    expect(fs.readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8')).toBe(renderConfigurationDoc());
    expect(fs.readFileSync(path.join(root, '.env.example'), 'utf8')).toBe(renderEnvExample());
  });
});

describe('the migration window settings (HUBSPOT_PREVIOUS_*)', () => {
  const current = { HUBSPOT_CLIENT_SECRET: 'new-secret', HUBSPOT_APP_ID: '2000' };

  /** The one problem reported, as the CLI prints it: "NAME: expected ..., found ...". */
  function problem(env: Record<string, string>): string {
    try {
      loadConfig(env);
    } catch (err) {
      const problems = (err as ConfigError).problems;
      expect(problems).toHaveLength(1);
      return `${problems[0]!.name}: expected ${problems[0]!.expected}, found ${problems[0]!.found}`;
    }
    throw new Error('the configuration was accepted');
  }

  test('when both are set, then the old app is configured beside the new one', () => {
    const config = loadConfig({ ...current, HUBSPOT_PREVIOUS_CLIENT_SECRET: 'old-secret', HUBSPOT_PREVIOUS_APP_ID: '1000' });
    expect(config.hubspot).toMatchObject({ clientSecret: 'new-secret', appId: 2000, previousApp: { clientSecret: 'old-secret', appId: 1000 } });
  });

  test('when neither is set (or both are blank), then there is no window', () => {
    expect(loadConfig(current).hubspot.previousApp).toBeUndefined();
    expect(loadConfig({ ...current, HUBSPOT_PREVIOUS_CLIENT_SECRET: ' ', HUBSPOT_PREVIOUS_APP_ID: '' }).hubspot.previousApp).toBeUndefined();
  });

  test.each([
    ['only the secret', { HUBSPOT_PREVIOUS_CLIENT_SECRET: 'old-secret' }, /^HUBSPOT_PREVIOUS_APP_ID: expected to be set together with HUBSPOT_PREVIOUS_CLIENT_SECRET .*, found not set$/],
    ['only the id', { HUBSPOT_PREVIOUS_APP_ID: '1000' }, /^HUBSPOT_PREVIOUS_CLIENT_SECRET: expected to be set together with HUBSPOT_PREVIOUS_APP_ID .*, found not set$/],
    ['the current app id again', { HUBSPOT_PREVIOUS_CLIENT_SECRET: 'old-secret', HUBSPOT_PREVIOUS_APP_ID: '2000' }, /^HUBSPOT_PREVIOUS_APP_ID: expected .*different from HUBSPOT_APP_ID.*found 2000, the same as HUBSPOT_APP_ID$/],
    ['the current secret again', { HUBSPOT_PREVIOUS_CLIENT_SECRET: 'new-secret', HUBSPOT_PREVIOUS_APP_ID: '1000' }, /^HUBSPOT_PREVIOUS_CLIENT_SECRET: expected .*different from HUBSPOT_CLIENT_SECRET.*\(hidden\)$/],
    ['an id that is not a number', { HUBSPOT_PREVIOUS_CLIENT_SECRET: 'old-secret', HUBSPOT_PREVIOUS_APP_ID: 'abc' }, /^HUBSPOT_PREVIOUS_APP_ID: expected a positive integer, found "abc"$/],
  ])('when %s is set, then one line names the problem and the fix', (_what, env, line) => {
    const text = problem({ ...current, ...env });
    expect(text).toMatch(line);
    expect(text).not.toContain('\n');
    expect(text).not.toContain('new-secret');
    expect(text).not.toContain('old-secret');
  });
});

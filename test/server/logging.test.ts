import { createLogger } from '../../src/logging';
import { loadConfig } from '../../src/config';

describe('structured logs', () => {
  test('when secrets reach a log line, then they are redacted and the rest is JSON', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
    const config = loadConfig({
      HUBSPOT_CLIENT_SECRET: 'client-secret-value',
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-secret-token',
      ADMIN_TOKEN: 'admin-secret-value-123',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://uld:db-password-value@db.internal:5432/uld',
    });
    logger.info({ config, req: { headers: { authorization: 'Bearer admin-secret-value-123', 'x-hubspot-signature-v3': 'sig==' } } }, 'hello');
    logger.info({ clientSecret: 'client-secret-value', headers: { authorization: 'Bearer x' } }, 'again');
    const text = lines.join('');
    for (const secret of ['client-secret-value', 'pat-na1-secret-token', 'admin-secret-value-123', 'sig==', 'Bearer x', 'db-password-value']) expect(text).not.toContain(secret);
    // The database URL stays readable without its credentials.
    expect(text).toContain('postgres://[redacted]@db.internal:5432/uld');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', msg: 'hello', service: 'uld' });
    expect(JSON.stringify(first)).toContain('[redacted]');
  });

  test('when the level is warn, then info lines are not written', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (l: string) => void lines.push(l) });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
  });
});

import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log line: credentials in headers and in configuration
 * objects. Webhook signatures are not secrets, but a logged valid signature could be replayed within its
 * five minutes.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'headers.authorization',
  'headers["x-hubspot-signature"]',
  'headers["x-hubspot-signature-v3"]',
  'authorization',
  'clientSecret',
  'accessToken',
  'adminToken',
  '*.clientSecret',
  '*.accessToken',
  '*.adminToken',
  'hubspot.clientSecret',
  'hubspot.accessToken',
  'config.hubspot.clientSecret',
  'config.hubspot.accessToken',
  'config.adminToken',
  // A Postgres URL carries its password.
  'databaseUrl',
  '*.databaseUrl',
  'config.databaseUrl',
];

/** A database URL keeps what an operator needs to read (which database) and loses its credentials. */
function censor(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] === 'databaseUrl' && typeof value === 'string') return value.replace(/\/\/[^@/]*@/, '//[redacted]@');
  return '[redacted]';
}

/**
 * JSON logs, one object per line, with secrets redacted. `destination` is for tests (capture what was
 * logged); by default stdout.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'uld', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

import dotenv from 'dotenv';
import { ConfigError, loadConfig, type Config } from '../config';

/**
 * Loads `.env` (never overriding the real environment) and validates it. An invalid environment
 * prints every problem and exits with status 2; commands never run on a half-valid configuration.
 */
export function configFromEnvironment(): Config {
  dotenv.config({ quiet: true });
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

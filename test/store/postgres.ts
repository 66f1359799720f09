import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Whether the Postgres suites run, decided once at collection time:
 *  - ULD_TEST_POSTGRES_URL unset: skipped, and the test list says why (a failing test if ULD_REQUIRE_POSTGRES=1);
 *  - set and reachable: run;
 *  - set, unreachable, ULD_REQUIRE_POSTGRES=1 (CI): a failing test, never a silent skip;
 *  - set, unreachable, not required: skipped with the reason.
 */
export type PostgresAvailability = { run: true; url: string } | { run: false; reason: string; mustFail: boolean };

export function postgresAvailability(): PostgresAvailability {
  const url = process.env.ULD_TEST_POSTGRES_URL;
  const required = process.env.ULD_REQUIRE_POSTGRES === '1';
  // A CI job that requires Postgres but lost the URL (a renamed secret, a typo) must fail, not skip.
  if (!url) return { run: false, reason: 'ULD_TEST_POSTGRES_URL is not set', mustFail: required };
  // Jest collects tests synchronously, so the probe runs in a child process with a bounded wait.
  const probe = spawnSync(
    process.execPath,
    ['-e', `const c=new (require('pg').Client)({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),e=>{console.error(e.message);process.exit(1)})`, url],
    { cwd: __dirname, encoding: 'utf8', timeout: 10_000 },
  );
  if (probe.status === 0) return { run: true, url };
  const reason = `Postgres at ${url.replace(/\/\/[^@]*@/, '//***@')} is unreachable: ${(probe.stderr || probe.error?.message || 'no answer').trim()}`;
  return { run: false, reason, mustFail: required };
}

/** Registers the suite, or a loud failure, or a visible skip. */
export function describePostgres(name: string, availability: PostgresAvailability, body: (url: string) => void): void {
  if (availability.run) {
    describe(name, () => body(availability.url));
  } else if (availability.mustFail) {
    test(`${name}: Postgres is required (ULD_REQUIRE_POSTGRES=1)`, () => {
      throw new Error(availability.reason);
    });
  } else {
    // Jest only counts a skipped file; say why in the output too.
    console.warn(`${name}: SKIPPED because ${availability.reason}`);
    test.skip(`${name}: SKIPPED because ${availability.reason}`, () => {});
  }
}

/** A schema of its own per test, so parallel files and concurrent runs never see each other's rows. */
export function uniqueSchema(): string {
  return `uld_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

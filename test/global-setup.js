'use strict';
// Says once, at the top of the run, which store suites will run. The Postgres suite runs when
// ULD_TEST_POSTGRES_URL is set (.ci/run sets it); when ULD_REQUIRE_POSTGRES=1 and the server cannot be
// reached, the suite itself fails loudly instead of skipping.
module.exports = async () => {
  if (!process.env.ULD_TEST_POSTGRES_URL && process.env.ULD_REQUIRE_POSTGRES === '1') {
    process.stdout.write('\nPostgres suite: REQUIRED (ULD_REQUIRE_POSTGRES=1) but ULD_TEST_POSTGRES_URL is not set: it will fail\n');
  } else if (!process.env.ULD_TEST_POSTGRES_URL) {
    process.stdout.write('\nPostgres suite: SKIPPED (set ULD_TEST_POSTGRES_URL=postgres://... to run it; .ci/run does)\n');
  } else {
    process.stdout.write(`\nPostgres suite: running against ${process.env.ULD_TEST_POSTGRES_URL.replace(/\/\/[^@]*@/, '//***@')}\n`);
  }
};

import fs from 'node:fs';
import path from 'node:path';
import { metricsJob, runJobForTick } from '../../jobs';
import { accountLines, funnelLines, readFunnel, reportText } from '../../src/cli/commands/demo-figures';
import { backfillDemo, closeDemoWorld, DEMO_SCHEDULES, installAndServe, openDemoWorld } from '../../src/cli/commands/demo-world';
import { createLogger } from '../../src/logging';
import type { Service } from '../../src/server';

/**
 * Issue 16, acceptance 6: the demo's report is the same for the same seed, so a refactor cannot change it
 * unnoticed. The demo's own steps (demo-world.ts, demo-figures.ts: sandbox portal, install, `uld serve`,
 * backfill through the real SDK, the statuses read back, the accounts, the metrics job's report) on seed 1,
 * compared with test/cli/fixtures/demo-report-seed-1.txt, which this test wrote. After an intended change of
 * the figures, rewrite it with `ULD_UPDATE_GOLDEN=1 npx jest test/cli/demo-report.test.ts` and say why in the
 * commit.
 *
 * What is left out, and why:
 * - The activity after the backfill: how many changes the simulator makes depends on the wall clock.
 * - The clock: the portal is generated around "now" and the report counts months and 90-day periods from it,
 *   so Date stands still at FIXED_NOW for the whole run (timers stay real). The demo's scheduled jobs are off:
 *   their cron would fire on a clock that does not move. 600 contacts keep the backfill under the sandbox's
 *   190 calls per 10 s, whose window would not roll on a clock that stands still either.
 * - Lines with ports, temporary paths, timings and API call counts of the backfill, and the history replay's
 *   totals: `uld serve`'s worker shares the backfill's units, so which engine replays whom varies from run to
 *   run (the decisions and dates do not).
 */
const FIXED_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const GOLDEN = path.join(__dirname, 'fixtures', 'demo-report-seed-1.txt');
const EXAMPLE = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

afterEach(() => jest.useRealTimers());

it('when the demo runs on seed 1, then its statuses, accounts and funnel report are the pinned ones', async () => {
  jest.useFakeTimers({
    now: FIXED_NOW,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
  const lines: string[] = [];
  const say = (line: string) => lines.push(line);
  const world = await openDemoWorld({ contacts: 600, seed: 1, file: EXAMPLE, slaHours: 36 / 3600, settings: { SERVE_SCHEDULER: 'false' } }, say);
  let service: Service | undefined;
  try {
    service = await installAndServe(world, say);
    expect(await backfillDemo(world, service, say, new AbortController().signal)).toBe(true);
    funnelLines(await readFunnel(world.readBack)).forEach(say);
    if (world.def.accounts) (await accountLines(service.store)).forEach(say);
    // The demo's closing metrics run, as it makes it.
    const store = service.store;
    const run = await runJobForTick(store, createLogger('warn'), 'demo-report-test', { name: 'metrics', schedule: DEMO_SCHEDULES.METRICS_SCHEDULE, run: () => metricsJob({ store, now: Date.now(), slaHours: world.config.sync.slaHours }) }, Date.now());
    expect(run.outcome).toBe('ok');
    const [latest] = await store.listMetricSnapshots(1);
    say(await reportText(store, world.def, latest!.figures, Date.now()));
  } finally {
    await closeDemoWorld(world, service);
  }
  // The clock stood still throughout, so every figure was computed at FIXED_NOW.
  expect(Date.now()).toBe(FIXED_NOW);

  const report = normalised(lines.join('\n'));
  if (process.env.ULD_UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, report);
  const pinned = fs.readFileSync(GOLDEN, 'utf8');
  // Line by line first, so a failure names the first line that moved rather than printing two long texts.
  const got = report.split('\n');
  const want = pinned.split('\n');
  const first = got.findIndex((line, i) => line !== want[i]);
  expect({ line: first + 1, got: got[first], pinned: want[first] }).toEqual({ line: 0, got: undefined, pinned: undefined });
  expect(got.length).toBe(want.length);
}, 120_000);

function normalised(text: string): string {
  return (
    text
      .split('\n')
      .filter((line) => !/^ {2}(companies|deals|contacts): \d+ records; /.test(line) && !/^ {2}(backfill done:|history replayed for) /.test(line))
      .join('\n')
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
      .replace(/store \S+demo\.db/g, 'store <tmp>/demo.db') + '\n'
  );
}

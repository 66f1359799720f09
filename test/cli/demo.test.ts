import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The fresh-machine promise: `npm run demo -- --minutes N` runs the whole system and ends by itself. */
it('when the demo runs with --minutes, then it ends by itself and prints the qualification and webhook figures', () => {
  const run = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'uld'), 'demo', '--contacts', '400', '--minutes', '0.05', '--activity', '40', '--sla-seconds', '4'], {
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/400 contacts qualified \(read back with \d+ API calls\)/);
  // Installed and backfilled: every contact read, none dead-lettered.
  expect(run.stdout).toContain('every required scope granted');
  expect(run.stdout).toMatch(/backfill done: \d+ records in \d+ pages/);
  expect(run.stdout).toMatch(/ 0 dead letters\./);
  // The jobs ran (at least the closing metrics run) and the report came from the metrics job.
  expect(run.stdout).toMatch(/^ {2}\S+ {2}metrics {4}ok /m);
  expect(run.stdout).toContain('The funnel report (as `uld report --by source` prints it');
  expect(run.stdout).toMatch(/^Waterfall: contacts that reached each stage/m);
  expect(run.stdout).toMatch(/^Dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard/m);
  const sent = /(\d+) events sent by the portal in \d+ signed requests \(0 failed attempts\); (\d+) stored by the receiver/.exec(run.stdout.trim().split('\n').filter((l) => l.includes('events sent')).pop() ?? '');
  expect(sent).not.toBeNull();
  // Every event the portal sent was acknowledged and stored.
  expect(Number(sent![1])).toBeGreaterThan(0);
  expect(Number(sent![2])).toBe(Number(sent![1]));
  expect(run.stdout).toContain('After the activity:');
  // The reps worked the hand-offs through the card's backend: verdicts of every kind, and some left alone.
  const reps = [...run.stdout.matchAll(/reps opened (\d+) cards: (\d+) accepted, (\d+) rejected \(misrouted (\d+), bad data (\d+), below definition (\d+)\), (\d+) left to run past the SLA$/gm)];
  const sum = (i: number) => reps.reduce((n, m) => n + Number(m[i]), 0);
  expect(reps.length).toBeGreaterThan(0);
  expect([sum(2), sum(4), sum(5), sum(6), sum(7)].every((n) => n > 0)).toBe(true);
  expect(run.stdout).not.toContain('verdicts refused');
  // The report, from the metrics job, shows the same verdicts and the breaches.
  const handOff = /^overall +(\d+) +(\d+) +(\d+) +\S+ +(\d+) +(\d+) +(\d+) +(\d+) +\S+ +\S+ +\d+ +(\d+) +\d+$/m.exec(run.stdout.slice(run.stdout.indexOf('Hand-off: acceptance')));
  expect(handOff).not.toBeNull();
  const [, , accepted, rejected, misrouted, badData, below, , breaches] = handOff!.map(Number);
  expect([accepted, rejected, misrouted, badData, below]).toEqual([sum(2), sum(3), sum(4), sum(5), sum(6)]);
  expect(breaches).toBeGreaterThan(0);
  expect(run.stdout).toMatch(/^A contact's qualification card, as a rep sees it in HubSpot: http:\/\/127\.0\.0\.1:\d+\/dashboard\/contacts\/\d+$/m);
}, 90_000);

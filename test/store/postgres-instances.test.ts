import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { openStore, type Store } from '../../src/store';
import { assertBuilt } from '../server/child';
import { incoming } from './fixtures';
import { describePostgres, dropSchema, postgresAvailability, uniqueSchema } from './postgres';

const CLAIMER = path.join(__dirname, 'fixtures', 'claimer.js');

interface Claimer {
  child: ChildProcess;
  /** Resolves with the next stdout message matching the predicate. */
  next(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  messages: Array<Record<string, unknown>>;
  exited: Promise<number | string>;
}

function startClaimer(args: string[]): Claimer {
  const child = spawn(process.execPath, [CLAIMER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<{ match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = JSON.parse(line) as Record<string, unknown>;
    messages.push(m);
    for (const w of waiters.splice(0)) {
      if (w.match(m)) w.resolve(m);
      else waiters.push(w);
    }
  });
  return {
    child,
    messages,
    exited,
    next: (match) =>
      new Promise((resolve, reject) => {
        const seen = messages.find(match);
        if (seen) return resolve(seen);
        waiters.push({ match, resolve });
        void exited.then((code) => reject(new Error(`claimer exited (${code}): ${stderr}`)));
      }),
  };
}

/**
 * Acceptance 5: instances in separate processes share one Postgres queue. Their claims never overlap
 * (FOR UPDATE SKIP LOCKED), and the leases of an instance that is killed come back to the others.
 */
describePostgres('postgres: several instances', postgresAvailability(), (url) => {
  let schema: string;
  let store: Store;
  const children: ChildProcess[] = [];

  beforeAll(() => assertBuilt());
  beforeEach(async () => {
    schema = uniqueSchema();
    store = await openStore(url, { pgSchema: schema, pgPoolSize: 4 });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await store.close();
    await dropSchema(url, schema);
  });

  test('when two instances drain one queue at the same time, then their batches are disjoint and cover it all', async () => {
    const UNITS = 3000;
    for (let i = 0; i < UNITS; i += 500) await store.ingest(Array.from({ length: 500 }, (_, j) => incoming({ objectId: String(i + j + 1) })));
    const other = startClaimer([url, schema, 'drain', 'instance-b']);
    children.push(other.child);
    await other.next((m) => m.ready === true);
    other.child.stdin!.write('go\n');
    const mine: number[][] = [];
    for (;;) {
      const batch = await store.claim({ objectType: 'contact', owner: 'instance-a', limit: 50, leaseMs: 600_000 });
      if (batch.units.length === 0) break;
      mine.push(batch.units.map((u) => u.id));
    }
    await other.next((m) => m.done === true);
    expect(await other.exited).toBe(0);
    const theirs = other.messages.filter((m) => Array.isArray(m.claimed)).map((m) => m.claimed as number[]);
    expect(mine.length).toBeGreaterThan(0);
    expect(theirs.length).toBeGreaterThan(0);
    const all = [...mine.flat(), ...theirs.flat()];
    expect(all).toHaveLength(UNITS);
    expect(new Set(all).size).toBe(UNITS);
    const owners = new Map((await store.listWork({ limit: UNITS })).map((u) => [u.id, u.leaseOwner]));
    expect(mine.flat().every((id) => owners.get(id) === 'instance-a')).toBe(true);
    expect(theirs.flat().every((id) => owners.get(id) === 'instance-b')).toBe(true);
  });

  test('when an instance holding leases is killed, then another instance picks its units up once the lease expires', async () => {
    await store.ingest(Array.from({ length: 30 }, (_, i) => incoming({ objectId: String(i + 1) })));
    const doomed = startClaimer([url, schema, 'hold', 'instance-doomed', '1500']);
    children.push(doomed.child);
    const { claimed, expiresAt } = (await doomed.next((m) => Array.isArray(m.claimed))) as { claimed: number[]; expiresAt: number };
    expect(claimed).toHaveLength(30);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');

    // Poll the queue (the condition, not a fixed sleep) until the dead instance's lease runs out.
    const deadline = Date.now() + 15_000;
    let picked: number[] = [];
    while (picked.length === 0 && Date.now() < deadline) {
      const batch = await store.claim({ objectType: 'contact', owner: 'survivor' });
      picked = batch.units.map((u) => u.id);
      if (picked.length > 0) {
        expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
        expect(batch.units.every((u) => u.attempts === 2)).toBe(true);
      } else {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(picked.sort((a, b) => a - b)).toEqual([...claimed].sort((a, b) => a - b));
  });
});

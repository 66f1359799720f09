import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { apiPaths, createGateway, DEFAULT_API_VERSION } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { RequestLogEntry } from '../../src/sandbox/observability';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { assertBuilt } from '../server/child';
import { incoming } from '../store/fixtures';
import { until } from '../support/until';
import { describePostgres, dropSchema, postgresAvailability, uniqueSchema } from '../store/postgres';

/**
 * Issue 16, acceptance 5: a worker killed mid-batch (SIGKILL, no graceful release) leaves its units to
 * another instance within seconds, because its leases are short and only a live worker renews them
 * (src/sync/lease-heartbeat.ts). The other instance re-works the units the dead one had already written
 * and writes nothing for them: their values are unchanged. On SQLite and on Postgres, each worker a
 * process of its own running the compiled engine.
 */

const WORKER = path.join(__dirname, 'fixtures', 'crash-worker.js');
/** Two claims of 100, one block: two batch updates, of which the dead worker gets the first through. */
const CONTACTS = 200;
const TAKEOVER_MS = 10_000;
const UPDATE = `POST ${apiPaths(DEFAULT_API_VERSION).batch('contacts', 'update')}`;
const COMPANY_UPDATE = `POST ${apiPaths(DEFAULT_API_VERSION).batch('companies', 'update')}`;

interface Database {
  url: string;
  /** Postgres: the schema of this test; SQLite: empty. */
  pgSchema: string;
  options: OpenStoreOptions;
  dispose(): Promise<void>;
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | string>;
}

function startWorker(database: Database, sandbox: Sandbox, owner: string, now: number): Worker {
  const child = spawn(process.execPath, [WORKER, database.url, database.pgSchema, sandbox.url, sandbox.accessToken, owner, String(now)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const ready = new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if ((JSON.parse(line) as { ready?: boolean }).ready) resolve();
    });
    void exited.then((code) => reject(new Error(`worker ${owner} exited (${code}): ${stderr}`)));
  });
  return { child, ready, exited };
}

/** Every update HubSpot applied (200, 207), per record id, in order: the properties each one sent. */
function appliedUpdates(sandbox: Sandbox, endpoint: string): Map<string, Array<Record<string, string>>> {
  const byId = new Map<string, Array<Record<string, string>>>();
  const applied = sandbox.requests.list(endpoint).filter((e: RequestLogEntry) => e.status === 200 || e.status === 207);
  for (const entry of applied) {
    for (const input of (entry.requestBody as { inputs: Array<{ id: string; properties: Record<string, string> }> }).inputs) {
      byId.set(input.id, [...(byId.get(input.id) ?? []), input.properties]);
    }
  }
  return byId;
}

/** Records whose update repeats values the record already had from an earlier update: what HubSpot would see twice. */
function repeatedUpdates(updates: Map<string, Array<Record<string, string>>>): string[] {
  return [...updates].filter(([, sent]) => sent.some((props, i) => i > 0 && Object.entries(props).every(([k, v]) => sent.slice(0, i).some((p) => p[k] === v)))).map(([id]) => id);
}

function describeCrashRecovery(backend: string, fresh: () => Promise<Database>): void {
  describe(`crash recovery: ${backend}`, () => {
    let database: Database;
    let sandbox: Sandbox;
    let store: Store;
    const workers: Worker[] = [];

    beforeAll(() => assertBuilt());
    beforeEach(async () => {
      database = await fresh();
      sandbox = await startSandbox({ seed: 16, contacts: CONTACTS, companies: 20, rateLimit: { perWindow: 100_000, searchPerSecond: 1000 }, requestLog: { captureBodies: true } });
      const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000 });
      await ensureProductProperties(gateway);
      gateway.close();
      store = await openStore(database.url, database.options);
    });
    afterEach(async () => {
      for (const w of workers.splice(0)) {
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
        await w.exited;
      }
      await store.close();
      await sandbox.stop();
      await database.dispose();
    });

    test('when a worker is killed mid-batch, then another instance finishes its units within 10 s and no contact gets a second update with unchanged values', async () => {
      const ids = sandbox.portal.ids('contacts');
      expect(ids).toHaveLength(CONTACTS);
      await store.ingest(ids.map((id) => incoming({ objectId: id })));
      // The block's first batch update reaches the portal; the second is held there until its sender dies
      // (the sandbox applies nothing of a request whose client went away).
      sandbox.faults.script(UPDATE, { kind: 'delay', ms: 1 });
      sandbox.faults.script(UPDATE, { kind: 'delay', ms: 120_000 });
      const now = Date.now();

      const doomed = startWorker(database, sandbox, 'instance-doomed', now);
      workers.push(doomed);
      await doomed.ready;
      await until('the first worker claims every unit', async () => {
        const units = await store.listWork({ objectType: 'contact', limit: CONTACTS });
        return units.length === CONTACTS && units.every((u) => u.leaseOwner === 'instance-doomed');
      }, 20_000);
      // The second instance runs beside it, finding nothing to claim while the first one's leases are renewed.
      const second = startWorker(database, sandbox, 'instance-second', now);
      workers.push(second);
      await second.ready;
      await until('the dead-to-be worker sends its second batch update', () => sandbox.faults.pending().length === 0, 20_000);
      doomed.child.kill('SIGKILL');
      expect(await doomed.exited).toBe('SIGKILL');
      const killedAt = Date.now();

      // Mid-batch: a hundred contacts written, the rest not, every unit still leased to the dead worker.
      const writtenByDead = appliedUpdates(sandbox, UPDATE);
      expect(writtenByDead.size).toBe(100);
      const leased = await store.listWork({ objectType: 'contact', limit: CONTACTS });
      expect(leased).toHaveLength(CONTACTS);
      expect(leased.every((u) => u.leaseOwner === 'instance-doomed')).toBe(true);

      await until(
        'the second instance finishes the dead worker\'s units',
        async () => (await store.listWork({ objectType: 'contact', limit: 1 })).length === 0 && ids.every((id) => !!sandbox.portal.get('contacts', id)!.properties.uld_status),
        TAKEOVER_MS + 10_000,
      );
      const doneAfterMs = Date.now() - killedAt;
      expect(doneAfterMs).toBeLessThan(TAKEOVER_MS);
      // Then the follow-ups the contacts caused (their companies' roll-ups), which the dead worker never queued.
      await until('the follow-ups are done', async () => (await store.listWork({ limit: 1 })).length === 0, 10_000);

      const updates = appliedUpdates(sandbox, UPDATE);
      // Every contact written exactly once: the hundred by the dead worker, the others by the second instance.
      expect(updates.size).toBe(CONTACTS);
      expect([...updates].filter(([, sent]) => sent.length !== 1).map(([id]) => id)).toEqual([]);
      expect(repeatedUpdates(updates)).toEqual([]);
      // Their companies' roll-ups (follow-ups of the contacts) are done too, none written twice alike.
      expect(repeatedUpdates(appliedUpdates(sandbox, COMPANY_UPDATE))).toEqual([]);
      expect(await store.listDeadLetters()).toEqual([]);
    });
  });
}

describeCrashRecovery('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-crash-'));
  return { url: `sqlite:${path.join(dir, 'uld.db')}`, pgSchema: '', options: {}, dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});

describePostgres('crash recovery: postgres', postgresAvailability(), (url) => {
  describeCrashRecovery('postgres', async () => {
    const pgSchema = uniqueSchema();
    return { url, pgSchema, options: { pgSchema, pgPoolSize: 4 }, dispose: () => dropSchema(url, pgSchema) };
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseDatabaseUrl, type Store } from '../store';
import { runFigureTaskOn, type FigureTask, type FigureTaskResult } from './tasks';

/**
 * Reading a 100,000-contact mirror and computing its figures takes seconds of CPU. On the server's event
 * loop that would stall the webhook receiver (HubSpot gives it 5 s) and every other request, so the metrics
 * job and the dashboard run it in a worker thread (node:worker_threads) with its own store connection,
 * and get plain JSON figures back.
 */

export { type FigureTask, type FigureTaskResult, type MetricsTaskResult } from './tasks';

export interface WorkerRequest {
  databaseUrl: string;
  pgSchema?: string;
  task: FigureTask;
}

export type WorkerReply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string; stack: string } };

export type ComputeMode = 'worker' | 'in-thread';

export interface ComputeTarget {
  /** The store to compute on when no worker can be used. */
  store: Store;
  /** DATABASE_URL, for the worker's own connection. Without it the task runs in this thread. */
  databaseUrl?: string;
  /** Postgres schema of the store (tests' per-run schemas), for the worker's connection. */
  pgSchema?: string;
  /** How long the worker may take (WORKER_DEADLINE_MS by default). */
  deadlineMs?: number;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The compiled worker script. Compiled (`dist/src/figures-worker/index.js`) it is the sibling thread.js.
 * From the TypeScript sources (jest, through @swc/jest) there is no thread.js beside this file, and a Worker
 * cannot run thread.ts: it is a fresh Node instance without jest's transform, and Node does not load
 * TypeScript. So it runs the compiled copy under dist/ (`npm test` builds it first: pretest runs
 * `npm run build`). null when that copy is missing (sources never built): the caller computes in-thread.
 */
export function workerScript(): string | null {
  const compiledDir = path.extname(__filename) === '.ts' ? path.join(REPO_ROOT, 'dist', path.relative(REPO_ROOT, __dirname)) : __dirname;
  const file = path.join(compiledDir, 'thread.js');
  return fs.existsSync(file) ? file : null;
}

/**
 * How a task on this database runs. An in-memory SQLite database exists only inside the connection that
 * created it: another thread would open a different, empty one, so those compute in-thread.
 */
export function computeMode(databaseUrl: string | undefined): ComputeMode {
  if (databaseUrl === undefined || workerScript() === null) return 'in-thread';
  const { dialect, target } = parseDatabaseUrl(databaseUrl);
  if (dialect === 'sqlite' && (target === ':memory:' || target.startsWith('file::memory:') || target.includes('mode=memory'))) return 'in-thread';
  return 'worker';
}

/** A computation that has not answered in this long is stuck (a locked database, a bug): it is ended. */
export const WORKER_DEADLINE_MS = 10 * 60_000;

const running = new Set<Worker>();

/**
 * The worker's young generation, MB (V8's default here is 48: two 16 MB semi-spaces and the large-object
 * space). The fold streams a page of rows at a time and keeps almost nothing, yet at 16 MB semi-spaces each
 * scavenge found about half its objects alive and copied them: at 500,000 contacts 93 scavenges took 1.7 s of
 * the worker's CPU; at 96 MB, 46 took 0.7 s, for a few tens of MB more resident at the peak.
 */
const WORKER_YOUNG_GENERATION_MB = 96;

/** Ends every figures worker still running (shutdown: a half-done mirror read is worth nothing). */
export async function stopFigureWorkers(): Promise<void> {
  await Promise.all([...running].map((w) => w.terminate()));
}

function inWorker(script: string, request: WorkerRequest, deadlineMs = WORKER_DEADLINE_MS): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: request, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    running.add(worker);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      running.delete(worker);
      fn();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`the figures worker did not answer within ${Math.round(deadlineMs / 1000)} s (task ${request.task.kind}); it was ended`)));
      void worker.terminate();
    }, deadlineMs);
    // The deadline must not keep a stopping process alive on its own.
    timer.unref();
    worker.once('message', (reply: WorkerReply) =>
      settle(() => (reply.ok ? resolve(reply.result) : reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, stack: reply.error.stack || undefined })))),
    );
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the figures worker exited with code ${code} before answering`))));
  });
}

/** Runs a figure task off the event loop when the database allows it; says which way it ran. */
export async function runFigureTask<T extends FigureTask>(task: T, target: ComputeTarget): Promise<{ result: FigureTaskResult<T>; mode: ComputeMode }> {
  const script = workerScript();
  if (computeMode(target.databaseUrl) === 'in-thread' || script === null) return { result: await runFigureTaskOn(target.store, task), mode: 'in-thread' };
  const request: WorkerRequest = { databaseUrl: target.databaseUrl!, task, ...(target.pgSchema ? { pgSchema: target.pgSchema } : {}) };
  return { result: (await inWorker(script, request, target.deadlineMs)) as FigureTaskResult<T>, mode: 'worker' };
}

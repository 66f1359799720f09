import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the commit that
 * crosses 1,000 WAL pages: better-sqlite3 is synchronous, so that commit copies ~4 MB into the database
 * file and fsyncs it on the event loop, and every request waiting behind it pays 10-25 ms. Here the
 * writer's connection never checkpoints; a second connection on a worker thread does, passively (it never
 * blocks or waits for the writer). Durability is unchanged: a commit is durable once its WAL frames are
 * fsynced (synchronous=FULL), which still happens inside every commit; a checkpoint only moves committed
 * pages from the WAL into the main file, and the checkpointer's connection runs with synchronous=FULL too.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  try { checkpoint(); db.close(); } finally { parentPort.close(); }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** How often the checkpointer looks at the WAL. At 2,000 events/s a second adds ~300 pages. */
const CHECKPOINT_EVERY_MS = 250;

/**
 * Starts checkpointing `file` off the event loop. `onFailure` runs if the thread cannot work (the caller
 * then turns SQLite's own automatic checkpoint back on, so the WAL never grows without bound).
 */
export function startCheckpointer(file: string, onFailure: (err: Error) => void): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { module: require.resolve('better-sqlite3'), file, everyMs: CHECKPOINT_EVERY_MS },
  });
  worker.unref();
  let failed = false;
  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    onFailure(err);
  };
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) fail(new Error(m.error));
  });
  worker.on('error', fail);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

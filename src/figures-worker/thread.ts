import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store';
import { runFigureTaskOn, type FigureTask } from './tasks';
import type { WorkerReply, WorkerRequest } from './index';

/**
 * The worker thread's entry: one task per thread. It opens its own store connection (a connection cannot
 * cross threads) without migrating (the parent process already did, and a reader must not change the
 * schema), runs the task, posts plain JSON-cloneable figures back, and closes the connection.
 */
async function main(): Promise<void> {
  const request = workerData as WorkerRequest;
  const store = await openStore(request.databaseUrl, { migrate: false, ...(request.pgSchema ? { pgSchema: request.pgSchema } : {}), pgPoolSize: 1 });
  try {
    const result = await runFigureTaskOn(store, request.task as FigureTask);
    parentPort!.postMessage({ ok: true, result } satisfies WorkerReply);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  const error = err instanceof Error ? { name: err.name, message: err.message, stack: err.stack ?? '' } : { name: 'Error', message: String(err), stack: '' };
  parentPort!.postMessage({ ok: false, error } satisfies WorkerReply);
});

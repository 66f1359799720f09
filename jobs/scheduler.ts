import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Store } from '../src/store/types';

/**
 * The scheduler: every job on its cron schedule (from env), in the configured time zone, never two runs of
 * one job at once in a process (noOverlap), and one run per tick across instances: each instance tries to
 * claim the tick in the store (a unique (job, tick) row) and only the winner runs it. Every run is
 * recorded with its outcome and counts (`uld jobs`, `/metrics`).
 */

export interface Job {
  name: string;
  schedule: string;
  /** Also run once when the scheduler starts, as that instance's own tick (a job any instance may repeat). */
  runAtStart?: boolean;
  run(): Promise<Record<string, number>>;
}

export interface SchedulerOptions {
  store: Store;
  logger: Logger;
  instanceId: string;
  timezone: string;
  jobs: Job[];
}

export interface RunResult {
  job: string;
  ran: boolean;
  outcome?: 'ok' | 'failed';
  counts?: Record<string, number>;
  error?: string;
}

/** Runs a job for a tick if this instance wins the tick; records the run. Also what `uld jobs run` uses. */
export async function runJobForTick(store: Store, logger: Logger, instanceId: string, job: Job, tickAt: number): Promise<RunResult> {
  const runId = await store.claimJobRun(job.name, tickAt, instanceId);
  if (runId === null) return { job: job.name, ran: false };
  const started = Date.now();
  try {
    const counts = await job.run();
    await store.finishJobRun(runId, 'ok', counts, null);
    logger.info({ job: job.name, counts, ms: Date.now() - started }, 'job finished');
    return { job: job.name, ran: true, outcome: 'ok', counts };
  } catch (err) {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    await store.finishJobRun(runId, 'failed', {}, error).catch((e: unknown) => logger.error({ err: e }, 'could not record a failed job run'));
    logger.error({ job: job.name, err }, 'job failed');
    return { job: job.name, ran: true, outcome: 'failed', error };
  }
}

export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly o: SchedulerOptions) {}

  start(): void {
    for (const job of this.o.jobs) {
      const task = cron.schedule(
        job.schedule,
        // The tick is the scheduled time to the second, the same on every instance whatever its delay.
        (ctx) => this.run(job, Math.floor(ctx.date.getTime() / 1000) * 1000),
        { name: job.name, timezone: this.o.timezone, noOverlap: true },
      );
      this.tasks.push(task);
      // A start is no shared tick: the run is this instance's, at this millisecond, like `uld jobs run`.
      if (job.runAtStart) void this.run(job, Date.now());
    }
    this.o.logger.info({ jobs: this.o.jobs.map((j) => `${j.name} ${j.schedule}`), timezone: this.o.timezone }, 'scheduler started');
  }

  private run(job: Job, tickAt: number): Promise<RunResult> {
    const p = runJobForTick(this.o.store, this.o.logger, this.o.instanceId, job, tickAt).finally(() => this.running.delete(p));
    this.running.add(p);
    return p;
  }

  /** Stops the schedules and waits for runs in progress (a graceful stop finishes what it started). */
  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.destroy()));
    await Promise.allSettled([...this.running]);
  }
}

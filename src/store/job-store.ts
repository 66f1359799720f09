import type { Kysely } from 'kysely';
import type { Database } from './schema';
import type { JobRun } from './types';

/** Job runs and checkpoints in SQL. One function per operation, each taking `db`. */

/** Claims a tick: true for exactly one caller per (job, tickAt), whichever instance inserts first. */
export async function claimJobRun(db: Kysely<Database>, job: string, tickAt: number, instance: string, now: number): Promise<number | null> {
  const row = await db
    .insertInto('job_runs')
    .values({ job, tick_at: tickAt, instance, started_at: now, finished_at: null, outcome: 'running', counts: '{}', error: null })
    .onConflict((oc) => oc.columns(['job', 'tick_at']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

export async function finishJobRun(db: Kysely<Database>, id: number, outcome: 'ok' | 'failed', counts: Record<string, number>, error: string | null, now: number): Promise<void> {
  await db.updateTable('job_runs').set({ finished_at: now, outcome, counts: JSON.stringify(counts), error }).where('id', '=', id).execute();
}

export async function listJobRuns(db: Kysely<Database>, filter: { job?: string; limit?: number }): Promise<JobRun[]> {
  let q = db.selectFrom('job_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 50);
  if (filter.job) q = q.where('job', '=', filter.job);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    job: r.job,
    tickAt: Number(r.tick_at),
    instance: r.instance,
    startedAt: Number(r.started_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    outcome: r.outcome as JobRun['outcome'],
    counts: JSON.parse(r.counts) as Record<string, number>,
    error: r.error,
  }));
}

export async function getCheckpoint(db: Kysely<Database>, name: string): Promise<string | null> {
  const row = await db.selectFrom('checkpoints').select('value').where('name', '=', name).executeTakeFirst();
  return row ? row.value : null;
}

export async function setCheckpoint(db: Kysely<Database>, name: string, value: string | null, now: number): Promise<void> {
  if (value === null) {
    await db.deleteFrom('checkpoints').where('name', '=', name).execute();
    return;
  }
  await db
    .insertInto('checkpoints')
    .values({ name, value, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function saveMetricSnapshot(db: Kysely<Database>, computedAt: number, figures: string): Promise<void> {
  await db.insertInto('metric_snapshots').values({ computed_at: computedAt, figures }).execute();
}

export async function listMetricSnapshots(db: Kysely<Database>, limit = 100): Promise<Array<{ computedAt: number; figures: string }>> {
  const rows = await db.selectFrom('metric_snapshots').select(['computed_at', 'figures']).orderBy('computed_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ computedAt: Number(r.computed_at), figures: r.figures }));
}

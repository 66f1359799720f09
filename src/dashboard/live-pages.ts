import { col, type Column, type Page, type Value } from './table';
import type { PageContext } from './page-context';

/**
 * The pages of records read live from the store on every request (decisions, dead letters, job runs), not of
 * figures: the period does not limit them (each page says so beside the header).
 */

const decisionColumns: Column[] = [
  col('decided_at', 'Decided', 'time'),
  { ...col('contact_id', 'Contact', 'text'), link: 'contact' },
  col('previous_status', 'From', 'text'),
  col('status', 'To', 'text'),
  col('total_score', 'Score', 'count'),
  col('definition_version', 'Definition', 'text'),
  col('reasons', 'Reasons', 'text'),
];

export async function decisionsPage(ctx: PageContext): Promise<Page> {
  const query = (ctx.query.q ?? '').trim();
  let ids: string[];
  let limit: number;
  let message: string | null = null;
  let computedAt: string | null = null;
  if (query === '') {
    const figures = await ctx.figures.current(ctx.period);
    computedAt = figures.snapshot.computedAt;
    ids = figures.recentlyEvaluated;
    limit = 1;
  } else if (/^\d{1,20}$/.test(query)) {
    ids = [query];
    limit = 50;
  } else if (query.includes('@')) {
    if (!ctx.findContactIdsByEmail) {
      ids = [];
      limit = 0;
      message = 'Search by email needs HubSpot access, which this server was not given; search by the contact record id instead.';
    } else {
      try {
        ids = await ctx.findContactIdsByEmail(query);
        limit = 50;
        if (ids.length === 0) message = `No contact with the email ${query} in HubSpot.`;
      } catch (err) {
        // HubSpot busy (a 429 shared with the worker) or unreachable: say so on the page, not as a 500.
        ids = [];
        limit = 0;
        const retryAt = (err as { retryAt?: unknown }).retryAt;
        message =
          typeof retryAt === 'number'
            ? `HubSpot is rate-limiting this app right now; search again in ${Math.max(1, Math.ceil((retryAt - Date.now()) / 1000))} s, or search by the contact record id.`
            : `HubSpot could not be asked for that email (${err instanceof Error ? err.message : String(err)}); search by the contact record id instead.`;
      }
    }
  } else {
    ids = [];
    limit = 0;
    message = 'Enter a contact record id (digits) or an email address.';
  }
  const rows: Value[][] = [];
  for (const id of ids) {
    const h = await ctx.store.history(id, limit || 1);
    for (const d of h.decisions) rows.push([d.decidedAt, d.contactId, d.previousStatus ?? '(none)', d.status, d.totalScore, d.definitionVersion, d.reasons.join('\n')]);
  }
  if (query !== '' && message === null && rows.length === 0) message = `No decision recorded for ${query} (not yet synced, or another store).`;
  rows.sort((a, b) => (b[0] as number) - (a[0] as number));
  return {
    slug: 'decisions',
    title: 'Decisions',
    intro: query === '' ? 'The latest decision of each of the most recently evaluated contacts, with its complete reasons.' : `Every decision recorded for ${query}, newest first, with its complete reasons.`,
    computedAt,
    search: { query, message },
    tables: [{ id: 'decisions', title: query === '' ? 'Recent decisions' : `Decisions for ${query}`, columns: decisionColumns, rows }],
  };
}

export async function operationsPage(ctx: PageContext): Promise<Page> {
  const [deadLetters, runs] = await Promise.all([ctx.store.listDeadLetters({ limit: 200 }), ctx.store.listJobRuns({ limit: 50 })]);
  return {
    slug: 'operations',
    title: 'Dead letters and job runs',
    intro: 'Units of work that failed every attempt (retry or drop them with `uld dead-letters`), and the scheduled jobs\' latest runs.',
    computedAt: null,
    tables: [
      {
        id: 'dead_letters',
        title: 'Dead letters',
        columns: [col('id', 'Id', 'count'), col('object_type', 'Object', 'text'), col('object_id', 'Record id', 'text'), col('attempts', 'Attempts', 'count'), col('last_error', 'Last error', 'text'), col('failed_at', 'Failed', 'time')],
        rows: deadLetters.map((d) => [d.id, d.objectType, d.objectId, d.attempts, d.lastError, d.failedAt]),
      },
      {
        id: 'job_runs',
        title: 'Last job runs',
        columns: [col('job', 'Job', 'text'), col('started_at', 'Started', 'time'), col('finished_at', 'Finished', 'time'), col('outcome', 'Outcome', 'text'), col('counts', 'Counts', 'text'), col('error', 'Error', 'text'), col('instance', 'Instance', 'text')],
        rows: runs.map((r) => [r.job, r.startedAt, r.finishedAt, r.outcome, Object.entries(r.counts).map(([k, v]) => `${k}=${v}`).join(' '), r.error, r.instance]),
      },
    ],
  };
}

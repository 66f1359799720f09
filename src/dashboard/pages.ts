import { STATUSES } from '../definition/types';
import { groupQualifiedPipeline, inPeriod, periodBounds, qualifiedPipelineSeries, slaText, STAGES, type GroupFigures, type MetricsSnapshot, type QualifiedPipelineFigures } from '../metrics';
import { CYCLE_BUCKETS, type ServedSnapshot } from './figures';
import { accountsPage } from './account-page';
import { decisionsPage, operationsPage } from './live-pages';
import type { PageContext } from './page-context';
import { col, type Column, type Page, type Table, type Value } from './table';

/**
 * Each page as tables of figures. Every number comes from computeMetrics (through FigureSource), the metric
 * snapshots, or the store's own records; nothing here recomputes a formula of docs/metrics.md.
 */

/** The funnel's `accepted` is inferred (a verdict or a deal): never labelled like the hand-off's recorded verdicts. */
const STAGE_LABEL: Record<(typeof STAGES)[number], string> = {
  lead: 'Lead',
  marketing_qualified: 'Marketing qualified',
  sales_ready: 'Sales ready',
  accepted: 'Accepted (inferred: verdict or deal)',
  opportunity: 'Opportunity',
  won: 'Won',
};

const cohortColumns: Column[] = [
  col('group', 'Group', 'text'),
  ...STAGES.map((s) => col(`reached_${s}`, STAGE_LABEL[s], 'count')),
  col('lead_to_opportunity_rate', 'Lead to opportunity', 'rate'),
];
const cohortRow = (g: GroupFigures): Value[] => [g.key, ...STAGES.map((s) => g.funnel.reached[s]), g.funnel.leadToOpportunityRate];

function funnelPage({ snapshot: s, origin }: ServedSnapshot): Page {
  const f = s.overall.funnel;
  return {
    slug: 'funnel',
    title: 'Funnel',
    intro:
      'Every live contact down the demand waterfall, cumulative: a lead that reached a stage counts in every earlier one. Step conversion = reached B / reached A. ' +
      'Accepted (inferred) = an accepted verdict or a deal (sales worked it); the hand-off page counts recorded verdicts only.',
    computedAt: s.computedAt,
    figuresFrom: origin,
    tables: [
      {
        id: 'stages',
        title: 'Contacts that reached each stage',
        columns: [col('stage', 'Stage', 'text'), col('reached', 'Contacts', 'count')],
        rows: STAGES.map((st) => [STAGE_LABEL[st], f.reached[st]]),
        chart: { type: 'bars', label: 'stage', values: ['reached'] },
      },
      {
        id: 'steps',
        title: 'Conversion between steps',
        columns: [col('from', 'From', 'text'), col('to', 'To', 'text'), col('reached_from', 'Reached from', 'count'), col('reached_to', 'Reached to', 'count'), col('rate', 'Step conversion', 'rate')],
        rows: f.steps.map((st) => [STAGE_LABEL[st.from], STAGE_LABEL[st.to], f.reached[st.from], f.reached[st.to], st.rate]),
        chart: { type: 'bars', label: 'to', values: ['rate'] },
      },
      {
        id: 'cohorts',
        title: 'By cohort month (created, UTC)',
        note: 'Lead to opportunity = leads of the cohort that got an associated deal / leads of the cohort. Empty months are listed with counts 0 and an unknown (-) rate.',
        columns: cohortColumns,
        rows: s.byCohort.map(cohortRow),
        chart: { type: 'bars', label: 'group', values: ['lead_to_opportunity_rate'] },
      },
      {
        id: 'sources',
        title: 'By source (hs_analytics_source)',
        columns: cohortColumns,
        rows: s.bySource.map(cohortRow),
        chart: { type: 'bars', label: 'group', values: ['lead_to_opportunity_rate'] },
      },
    ],
  };
}

async function trendPage(ctx: PageContext): Promise<Page> {
  const stored = await ctx.store.listMetricSnapshots(500);
  // Oldest first, so the line reads left to right in time.
  const bounds = periodBounds(ctx.period);
  const snapshots = stored
    .map((r) => JSON.parse(r.figures) as MetricsSnapshot)
    .filter((sn) => inPeriod(Date.parse(sn.computedAt), bounds))
    .reverse();
  return {
    slug: 'trend',
    title: 'Lead-to-opportunity trend',
    intro: 'The overall lead-to-opportunity conversion rate (every record) as each hourly metrics-job snapshot taken in the period recorded it (up to the latest 500 snapshots).',
    computedAt: snapshots.at(-1)?.computedAt ?? null,
    tables: [
      {
        id: 'trend',
        title: 'Lead-to-opportunity rate by snapshot',
        columns: [col('computed_at', 'Snapshot', 'text'), col('leads', 'Leads', 'count'), col('opportunities', 'Reached opportunity', 'count'), col('lead_to_opportunity_rate', 'Lead to opportunity', 'rate')],
        rows: snapshots.map((sn) => [sn.computedAt, sn.overall.funnel.leads, sn.overall.funnel.reached.opportunity, sn.overall.funnel.leadToOpportunityRate]),
        chart: { type: 'line', label: 'computed_at', values: ['lead_to_opportunity_rate'] },
      },
    ],
  };
}

async function cyclePage(ctx: PageContext): Promise<Page> {
  const figures = await ctx.figures.current(ctx.period);
  const s = figures.snapshot;
  const d = s.overall.deals;
  return {
    slug: 'cycle',
    title: 'Sales cycle and days in stage',
    intro: 'Sales-cycle length = close date - create date over closed deals only; open deals are reported as their age, never as a cycle length.',
    computedAt: s.computedAt,
    tables: [
      {
        id: 'cycle_distribution',
        title: 'Closed deals by sales-cycle length',
        columns: [col('cycle', 'Cycle length', 'text'), col('closed_deals', 'Closed deals', 'count')],
        rows: CYCLE_BUCKETS.map((b, i) => [b.label, figures.cycleHistogram[i] ?? 0]),
        chart: { type: 'bars', label: 'cycle', values: ['closed_deals'] },
      },
      {
        id: 'cycle_summary',
        title: 'Sales-cycle length and open-deal age, days',
        columns: [col('measure', 'Measure', 'text'), col('deals', 'Deals', 'count'), col('mean_days', 'Mean', 'days'), col('median_days', 'Median', 'days')],
        rows: [
          ['Sales cycle (closed deals)', d.salesCycleDays.count, d.salesCycleDays.mean, d.salesCycleDays.median],
          ['Age of open deals', d.openAgeDays.count, d.openAgeDays.mean, d.openAgeDays.median],
        ],
      },
      {
        id: 'stage_days',
        title: 'Days in stage: from entering one stage to entering the next',
        note: 'Over the contacts that reached the next stage with both entry dates known.',
        columns: [col('step', 'Step', 'text'), col('contacts', 'Contacts', 'count'), col('mean_days', 'Mean days', 'days'), col('median_days', 'Median days', 'days')],
        rows: s.overall.funnel.steps.map((st) => [`${STAGE_LABEL[st.from]} to ${STAGE_LABEL[st.to]}`, st.days.count, st.days.mean, st.days.median]),
        chart: { type: 'bars', label: 'step', values: ['mean_days', 'median_days'] },
      },
    ],
  };
}

const velocityColumns: Column[] = [
  col('group', 'Group', 'text'),
  col('open_deals', 'Qualified opportunities (open deals)', 'count'),
  col('average_deal_size', 'Average deal size (won)', 'money'),
  col('win_rate', 'Win rate', 'rate'),
  col('sales_cycle_mean_days', 'Sales cycle, mean days', 'days'),
  col('pipeline_velocity_per_day', 'Velocity per day', 'money'),
];
const velocityRow = (g: GroupFigures): Value[] => [g.key, g.deals.open, g.deals.averageDealSize, g.deals.winRate, g.deals.salesCycleDays.mean, g.deals.pipelineVelocityPerDay];

const pipelineColumns = (first: Column): Column[] => [
  first,
  col('pipeline_created_deals', 'Deals created', 'count'),
  col('pipeline_created_amount', 'Amount created', 'money'),
  col('qualified_pipeline_deals', 'Qualified deals', 'count'),
  col('qualified_pipeline_amount', 'Qualified amount', 'money'),
  col('qualified_pipeline_count_share', 'Share of deals', 'rate'),
  col('qualified_pipeline_amount_share', 'Share of amount', 'rate'),
];
/** A stored snapshot from before the figure existed has none: its cells are unknown (-), never 0. */
const pipelineCells = (q: QualifiedPipelineFigures | null): Value[] =>
  q === null ? [null, null, null, null, null, null] : [q.created, q.createdAmount, q.qualified, q.qualifiedAmount, q.countShare, q.amountShare];
const PIPELINE_NOTE =
  'Deals whose lead (earliest-created associated contact) was marketing_qualified or sales_ready when the deal was created, per the audit log; share = qualified / all deals created. Deals without contacts count in the overall row and the months, in no source.';

function velocityPage({ snapshot: s, origin }: ServedSnapshot): Page {
  const series = qualifiedPipelineSeries(s);
  return {
    slug: 'velocity',
    title: 'Pipeline velocity',
    intro: 'Pipeline velocity (revenue per day) = qualified opportunities x average deal size x win rate / sales-cycle length; unknown (-) when a factor is unknown.',
    computedAt: s.computedAt,
    figuresFrom: origin,
    tables: [
      { id: 'velocity', title: 'Velocity and its four factors, overall', columns: velocityColumns, rows: [velocityRow(s.overall)] },
      { id: 'velocity_sources', title: 'By source', columns: velocityColumns, rows: s.bySource.map(velocityRow), chart: { type: 'bars', label: 'group', values: ['pipeline_velocity_per_day'] } },
      { id: 'velocity_cohorts', title: 'By cohort month', columns: velocityColumns, rows: s.byCohort.map(velocityRow) },
      {
        id: 'qualified_pipeline',
        title: 'Qualified pipeline created, overall and by source',
        note: PIPELINE_NOTE,
        columns: pipelineColumns(col('group', 'Group', 'text')),
        rows: [s.overall, ...s.bySource].map((g) => [g.key, ...pipelineCells(groupQualifiedPipeline(g))]),
        chart: { type: 'bars', label: 'group', values: ['qualified_pipeline_amount_share'] },
      },
      {
        id: 'qualified_pipeline_months',
        title: 'Qualified pipeline created by deal-created month (UTC)',
        note: series === null ? 'These figures were stored before qualified pipeline was computed; they appear with the next computation.' : 'Every month from the first deal to now, empty months included.',
        columns: pipelineColumns(col('month', 'Month', 'text')),
        rows: (series ?? []).map((m) => [m.month, ...pipelineCells(m)]),
        chart: { type: 'bars', label: 'month', values: ['qualified_pipeline_amount'] },
      },
    ],
  };
}

async function statusPage(ctx: PageContext): Promise<Page> {
  const figures = await ctx.figures.current(ctx.period);
  const { versions } = figures;
  const then = await ctx.figures.statusBeforeVersion(figures);
  const note =
    then === null
      ? `Every decision in the audit log is under definition version ${versions.current ?? '(none yet)'}: there is no earlier version to compare with.`
      : `Now: every live contact created in the period by its current status. Before: the same leads (those created before ${new Date(versions.currentSince!).toISOString()}) by the status the audit log shows just before the first decision under version ${versions.current} (previous version ${versions.previous}).`;
  return {
    slug: 'status',
    title: 'Status distribution',
    intro: `Leads by status now (definition version ${versions.current ?? '(none yet)'}) and the change since the previous definition version.`,
    computedAt: figures.snapshot.computedAt,
    tables: [
      {
        id: 'status_now',
        title: 'Leads by status',
        note,
        columns: [col('status', 'Status', 'text'), col('now', 'Now', 'count'), col('before_version', 'Before this version', 'count'), col('change', 'Change', 'count')],
        rows: [...STATUSES].reverse().map((st) => [st, figures.statusNow[st], then === null ? null : then[st], then === null ? null : figures.statusNow[st] - then[st]]),
        chart: { type: 'bars', label: 'status', values: then === null ? ['now'] : ['now', 'before_version'] },
      },
    ],
  };
}

function handOffPage({ snapshot: s, origin }: ServedSnapshot): Page {
  const h = s.overall.handOff;
  return {
    slug: 'handoff',
    title: 'Hand-off health',
    intro: `Sales acceptance rate = accepted / (accepted + rejected) recorded verdicts (uld_sales_feedback); the funnel's "Accepted (inferred)" also counts contacts with a deal. SLA: ${slaText(s.slaHours)} from the first sales_ready to a verdict.`,
    computedAt: s.computedAt,
    figuresFrom: origin,
    tables: [
      {
        id: 'handoff',
        title: 'Hand-offs',
        columns: [col('measure', 'Measure', 'text'), col('value', 'Value', 'count')],
        rows: [
          ['Handed off (became sales_ready)', h.handedOff],
          ['Accepted verdicts (recorded)', h.accepted],
          ['Rejected verdicts (recorded)', h.rejected],
          ['Awaiting a verdict', h.awaitingFeedback],
          ['In SLA breach now', h.slaBreaches],
          ['Answered after the SLA', h.answeredAfterSla],
        ],
        chart: { type: 'bars', label: 'measure', values: ['value'] },
      },
      {
        id: 'acceptance',
        title: 'Acceptance rate and time to first action',
        columns: [col('acceptance_rate', 'Acceptance rate', 'rate'), col('first_action_count', 'Verdicts timed', 'count'), col('first_action_mean_hours', 'Time to first action, mean hours', 'hours'), col('first_action_median_hours', 'Median hours', 'hours')],
        rows: [[h.acceptanceRate, h.timeToFirstActionHours.count, h.timeToFirstActionHours.mean, h.timeToFirstActionHours.median]],
      },
      {
        id: 'rejections',
        title: 'Rejection reasons',
        columns: [col('reason', 'Reason', 'text'), col('rejections', 'Rejections', 'count')],
        rows: Object.entries(h.rejectionReasons).map(([reason, n]) => [reason, n]),
        chart: { type: 'bars', label: 'reason', values: ['rejections'] },
      },
      {
        id: 'sla_breaches',
        title: 'Contacts in SLA breach',
        note: 'Still sales_ready, no verdict, handed off more than the SLA ago (first 200).',
        columns: [{ ...col('contact_id', 'Contact id', 'text'), link: 'contact' }],
        rows: s.slaBreachedContactIds.slice(0, 200).map((id) => [id]),
      },
    ],
  };
}

export const PAGE_SLUGS = ['funnel', 'accounts', 'trend', 'cycle', 'velocity', 'status', 'handoff', 'decisions', 'operations'] as const;
export type PageSlug = (typeof PAGE_SLUGS)[number];

/** What the tables of each page count, given the period (said on the page, beside the header). */
const PERIOD_SCOPE: Record<PageSlug, NonNullable<Page['period']>['scope']> = {
  funnel: 'created',
  accounts: 'accounts',
  trend: 'snapshots',
  cycle: 'created',
  velocity: 'created',
  status: 'created',
  handoff: 'created',
  decisions: 'all',
  operations: 'all',
};

async function pageOf(slug: PageSlug, ctx: PageContext): Promise<{ page: Page; served: ServedSnapshot | null }> {
  const served = () => ctx.figures.snapshot(ctx.period, ctx.explicit);
  switch (slug) {
    case 'funnel': {
      const s = await served();
      return { page: funnelPage(s), served: s };
    }
    case 'accounts': {
      const s = await served();
      return { page: accountsPage(s), served: s };
    }
    case 'velocity': {
      const s = await served();
      return { page: velocityPage(s), served: s };
    }
    case 'handoff': {
      const s = await served();
      return { page: handOffPage(s), served: s };
    }
    case 'trend':
      return { page: await trendPage(ctx), served: null };
    case 'cycle':
      return { page: await cyclePage(ctx), served: null };
    case 'status':
      return { page: await statusPage(ctx), served: null };
    case 'decisions':
      return { page: await decisionsPage(ctx), served: null };
    case 'operations':
      return { page: await operationsPage(ctx), served: null };
  }
}

/** The page of the period, with the period's header figures (every page shows them) and what its tables count. */
export async function buildPage(slug: PageSlug, ctx: PageContext): Promise<Page> {
  const { page, served } = await pageOf(slug, ctx);
  // After the page's own figures, so a page that waited for the period's computation finds its header ready.
  const { header } = served ?? (await ctx.figures.snapshot(ctx.period, ctx.explicit));
  return { ...page, period: { ...ctx.period, explicit: ctx.explicit, today: ctx.today, scope: PERIOD_SCOPE[slug] }, header };
}

export const findTable = (page: Page, id: string): Table | undefined => page.tables.find((t) => t.id === id);

import { renderAccountReport } from './account-report';
import type { PeriodHeader } from './header';
import { headerCsvRows, headerTableText } from './report-header';
import { cell, csvField, csvNumber, table, type Kind } from './report-text';
import { slaText, type Summary } from './stats';
import { groupQualifiedPipeline, qualifiedPipelineSeries } from './pipeline';
import { REJECTION_REASONS, STAGES, type Dimension, type GroupFigures, type Metrics, type MetricsSnapshot, type QualifiedPipelineFigures, type Stage } from './types';

/**
 * The report of the figures, as a table for people, JSON for programs and CSV for spreadsheets. Pure: it
 * returns the text; the caller prints it. Null (unknown: an empty cohort's rate) is '-' in the table and an
 * empty cell in CSV, never 0.
 */

export type ReportFormat = 'table' | 'json' | 'csv';
export interface ReportOptions {
  format: ReportFormat;
  /** Which grouping to list under the overall row; cohort by default. */
  by?: Dimension;
  /** The header figures (a period beside the previous one), printed first; the dashboard shows the same. */
  header?: PeriodHeader;
}

/** The figures as the report prints them: a period's (`--from --to`) carry it. */
type Reported = (Metrics | MetricsSnapshot) & { period?: { from: string; to: string } };

interface Column {
  /** Table header. */
  header: string;
  /** CSV header: snake_case, stable, for spreadsheets and scripts. */
  csv: string;
  kind: Kind;
  get: (g: GroupFigures) => number | null;
}
interface Section {
  title: string;
  columns: Column[];
}

// The waterfall's `accepted` stage is inferred (an accepted verdict or a deal) and is not the hand-off's count of
// recorded verdicts: its own header keeps a reader from seeing two different numbers both called "accepted".
const SHORT: Record<Stage, string> = { lead: 'lead', marketing_qualified: 'mql', sales_ready: 'sr', accepted: 'acc(inf)', opportunity: 'opp', won: 'won' };
const REASON_SHORT: Record<string, string> = { rejected_misrouted: 'misrouted', rejected_bad_data: 'bad data', rejected_below_definition: 'below def' };

const summaryColumns = (header: string, csv: string, kind: Kind, get: (g: GroupFigures) => Summary): Column[] => [
  { header: `${header} mean`, csv: `${csv}_mean`, kind, get: (g) => get(g).mean },
  { header: `${header} median`, csv: `${csv}_median`, kind, get: (g) => get(g).median },
  { header: `${header} n`, csv: `${csv}_count`, kind: 'count', get: (g) => get(g).count },
];

/** The qualified-pipeline columns, for a group row and for a month row alike; null where a stored snapshot predates the figure. */
const PIPELINE_COLUMNS: Array<{ header: string; csv: string; kind: Kind; get: (q: QualifiedPipelineFigures) => number | null }> = [
  { header: 'created', csv: 'pipeline_created_deals', kind: 'count', get: (q) => q.created },
  { header: 'created amount', csv: 'pipeline_created_amount', kind: 'money', get: (q) => q.createdAmount },
  { header: 'qualified', csv: 'qualified_pipeline_deals', kind: 'count', get: (q) => q.qualified },
  { header: 'qualified amount', csv: 'qualified_pipeline_amount', kind: 'money', get: (q) => q.qualifiedAmount },
  { header: 'count share', csv: 'qualified_pipeline_count_share', kind: 'rate', get: (q) => q.countShare },
  { header: 'amount share', csv: 'qualified_pipeline_amount_share', kind: 'rate', get: (q) => q.amountShare },
];
const PIPELINE_TITLE = 'Qualified pipeline created: deals whose lead was marketing_qualified or sales_ready when the deal was created; share = qualified / all created';

const SECTIONS: Section[] = [
  {
    title: 'Waterfall: contacts that reached each stage, and stage conversion (reached B / reached A); acc(inf) = accepted, inferred: an accepted verdict or a deal',
    columns: [
      ...STAGES.map((s): Column => ({ header: SHORT[s], csv: `reached_${s}`, kind: 'count', get: (g) => g.funnel.reached[s] })),
      ...STAGES.slice(1).map((to, i): Column => ({
        header: `${SHORT[STAGES[i]]}>${SHORT[to]}`,
        csv: `rate_${STAGES[i]}_to_${to}`,
        kind: 'rate',
        get: (g) => g.funnel.steps[i].rate,
      })),
      { header: 'lead>opp', csv: 'lead_to_opportunity_rate', kind: 'rate', get: (g) => g.funnel.leadToOpportunityRate },
    ],
  },
  {
    title: 'Stage duration, days (mean, median, records)',
    columns: [
      ...STAGES.slice(1).flatMap((to, i) => summaryColumns(`${SHORT[STAGES[i]]}>${SHORT[to]}`, `days_${STAGES[i]}_to_${to}`, 'days', (g) => g.funnel.steps[i].days)),
      ...summaryColumns('created>deal', 'lead_conversion_days_from_created', 'days', (g) => g.funnel.leadConversionDays.fromCreated),
      ...summaryColumns('qualified>deal', 'lead_conversion_days_from_qualified', 'days', (g) => g.funnel.leadConversionDays.fromQualified),
    ],
  },
  {
    title: 'Deals: win rate = won / (won + lost); deal size = mean of won deals; cycle = closed deals only; open deals by age',
    columns: [
      { header: 'deals', csv: 'deals', kind: 'count', get: (g) => g.deals.deals },
      { header: 'open', csv: 'deals_open', kind: 'count', get: (g) => g.deals.open },
      { header: 'won', csv: 'deals_won', kind: 'count', get: (g) => g.deals.won },
      { header: 'lost', csv: 'deals_lost', kind: 'count', get: (g) => g.deals.lost },
      { header: 'win rate', csv: 'win_rate', kind: 'rate', get: (g) => g.deals.winRate },
      { header: 'avg won size', csv: 'average_deal_size', kind: 'money', get: (g) => g.deals.averageDealSize },
      { header: 'won amount', csv: 'won_amount', kind: 'money', get: (g) => g.deals.wonAmount },
      { header: 'open amount', csv: 'open_amount', kind: 'money', get: (g) => g.deals.openAmount },
      ...summaryColumns('cycle', 'sales_cycle_days', 'days', (g) => g.deals.salesCycleDays),
      ...summaryColumns('open age', 'open_age_days', 'days', (g) => g.deals.openAgeDays),
      { header: 'velocity/day', csv: 'pipeline_velocity_per_day', kind: 'money', get: (g) => g.deals.pipelineVelocityPerDay },
    ],
  },
  {
    title: 'Hand-off: acceptance = accepted / (accepted + rejected) recorded verdicts (uld_sales_feedback); first action = hours from first sales_ready to the verdict',
    columns: [
      { header: 'handed off', csv: 'handed_off', kind: 'count', get: (g) => g.handOff.handedOff },
      { header: 'acc verdicts', csv: 'accepted', kind: 'count', get: (g) => g.handOff.accepted },
      { header: 'rej verdicts', csv: 'rejected', kind: 'count', get: (g) => g.handOff.rejected },
      { header: 'acceptance', csv: 'acceptance_rate', kind: 'rate', get: (g) => g.handOff.acceptanceRate },
      ...REJECTION_REASONS.map((r): Column => ({ header: REASON_SHORT[r], csv: r, kind: 'count', get: (g) => g.handOff.rejectionReasons[r] ?? 0 })),
      { header: 'awaiting', csv: 'awaiting_feedback', kind: 'count', get: (g) => g.handOff.awaitingFeedback },
      ...summaryColumns('first action h', 'time_to_first_action_hours', 'hours', (g) => g.handOff.timeToFirstActionHours),
      { header: 'SLA breaches', csv: 'sla_breaches', kind: 'count', get: (g) => g.handOff.slaBreaches },
      { header: 'late verdicts', csv: 'answered_after_sla', kind: 'count', get: (g) => g.handOff.answeredAfterSla },
    ],
  },
  {
    title: PIPELINE_TITLE,
    columns: PIPELINE_COLUMNS.map((c): Column => ({
      ...c,
      get: (g) => {
        const q = groupQualifiedPipeline(g);
        return q === null ? null : c.get(q);
      },
    })),
  },
];

/** Rejection reasons seen beyond the definition's three (a portal may add options): listed in CSV too. */
function extraReasons(groups: GroupFigures[]): string[] {
  const known = new Set<string>(REJECTION_REASONS);
  return [...new Set(groups.flatMap((g) => Object.keys(g.handOff.rejectionReasons)))].filter((r) => !known.has(r)).sort();
}

function groupsOf(metrics: Metrics, by: Exclude<Dimension, 'account'>): GroupFigures[] {
  return by === 'source' ? metrics.bySource : by === 'status' ? metrics.byStatus : metrics.byCohort;
}

function renderTable(metrics: Reported, by: Exclude<Dimension, 'account'>, groups: GroupFigures[], header: PeriodHeader | undefined): string {
  const rows = [metrics.overall, ...groups];
  const head = [
    `Lead conversion report by ${by}` +
      ('computedAt' in metrics ? `, computed ${metrics.computedAt}` : '') +
      (metrics.period ? `, records created ${metrics.period.from} to ${metrics.period.to}` : metrics.since ? `, records created since ${metrics.since}` : '') +
      `, SLA ${slaText(metrics.slaHours)}`,
  ];
  const parts = SECTIONS.map((s) => `${s.title}\n${table([by, ...s.columns.map((c) => c.header)], rows.map((g) => [g.key, ...s.columns.map((c) => cell(c.kind, c.get(g)))]))}`);
  const series = qualifiedPipelineSeries(metrics);
  parts.push(
    series === null
      ? 'Qualified pipeline created by deal-created month: not in this stored snapshot (computed before the figure existed).'
      : `Qualified pipeline created by deal-created month (UTC; every deal, those without contacts included)\n${table(['month', ...PIPELINE_COLUMNS.map((c) => c.header)], series.map((m) => [m.month, ...PIPELINE_COLUMNS.map((c) => cell(c.kind, c.get(m)))]))}`,
  );
  const extra = extraReasons(rows);
  const foot = [
    `Leads per ${by}: ${groups.map((g) => `${g.key} ${g.funnel.leads}`).join(', ') || 'none'}.`,
    `Two acceptance figures: acc(inf) ${metrics.overall.funnel.reached.accepted} (waterfall: contacts with an accepted verdict or a deal) and acc verdicts ${metrics.overall.handOff.accepted} (hand-off: uld_sales_feedback = accepted, recorded verdicts only).`,
    `Deals without contacts: ${metrics.dealsWithoutContacts} (in the overall, status and deal-created-month figures, in no cohort or source).`,
    ...(extra.length > 0 ? [`Other rejection reasons: ${extra.map((r) => `${r} ${metrics.overall.handOff.rejectionReasons[r] ?? 0}`).join(', ')}.`] : []),
    `SLA breaches (sales_ready, no verdict after ${slaText(metrics.slaHours)}): ${metrics.slaBreachedContactIds.length === 0 ? 'none' : metrics.slaBreachedContactIds.join(', ')}.`,
  ];
  return `${[head.join('\n'), ...(header ? [headerTableText(header)] : []), ...parts, foot.join('\n')].join('\n\n')}\n`;
}

function renderCsv(metrics: Reported, by: Exclude<Dimension, 'account'>, groups: GroupFigures[], periodHeader: PeriodHeader | undefined): string {
  const overall = metrics.overall;
  const rows = [overall, ...groups];
  const columns = SECTIONS.flatMap((s) => s.columns);
  const extra = extraReasons(rows);
  const header = ['dimension', 'group', ...columns.map((c) => c.csv), ...extra];
  const lines = rows.map((g) => [g === overall ? 'overall' : by, g.key, ...columns.map((c) => csvNumber(c.kind, c.get(g))), ...extra.map((r) => String(g.handOff.rejectionReasons[r] ?? 0))]);
  // The per-month series of qualified pipeline follows the groups, as rows of dimension `created_month`:
  // only the qualified-pipeline columns are filled (the other figures are not kept per deal month).
  for (const m of qualifiedPipelineSeries(metrics) ?? []) {
    const byCsv = new Map(PIPELINE_COLUMNS.map((c) => [c.csv, csvNumber(c.kind, c.get(m))]));
    lines.push(['created_month', m.month, ...columns.map((c) => byCsv.get(c.csv) ?? ''), ...extra.map(() => '')]);
  }
  // The header figures last: rows `period`, `previous_period` and `change`, each figure in the column that
  // bears its name elsewhere (its period semantics are the header's: docs/metrics.md, "Header figures").
  for (const r of periodHeader ? headerCsvRows(periodHeader) : []) {
    lines.push([r.dimension, r.group, ...columns.map((c) => {
      const cell = r.cells.get(c.csv);
      return cell === undefined ? '' : csvNumber(cell.kind, cell.value);
    }), ...extra.map(() => '')]);
  }
  return `${[header, ...lines].map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function renderReport(metrics: Reported, options: ReportOptions): string {
  const by = options.by ?? 'cohort';
  if (by === 'account') return renderAccountReport(metrics, options.format, options.header);
  const groups = groupsOf(metrics, by);
  switch (options.format) {
    case 'json': {
      const { byCohort: _c, bySource: _s, byStatus: _t, ...rest } = metrics;
      return `${JSON.stringify({ ...rest, by, groups, ...(options.header ? { header: options.header } : {}) }, null, 2)}\n`;
    }
    case 'csv':
      return renderCsv(metrics, by, groups, options.header);
    case 'table':
      return renderTable(metrics, by, groups, options.header);
  }
}

import { HEADER_FIGURES, type PeriodFigures, type PeriodHeader } from './header';

/**
 * The header figures in `uld report`'s table and CSV (the JSON prints the `PeriodHeader` as it is). The
 * dashboard's header shows the same figures for the same period: docs/metrics.md, "Header figures".
 */

export type HeaderKind = 'count' | 'rate' | 'days' | 'money';

/** A header row's cells by the report's own CSV column names, so a spreadsheet finds each figure where it is elsewhere. */
const CSV_CELLS: Array<{ csv: string; kind: HeaderKind; of: (p: PeriodFigures) => number | null }> = [
  { csv: 'reached_lead', kind: 'count', of: (p) => p.leads },
  { csv: 'reached_opportunity', kind: 'count', of: (p) => p.leadsWithDeal },
  { csv: 'lead_to_opportunity_rate', kind: 'rate', of: (p) => p.leadToOpportunityRate },
  { csv: 'deals_open', kind: 'count', of: (p) => p.openDealsAtEnd },
  { csv: 'deals_won', kind: 'count', of: (p) => p.wonDeals },
  { csv: 'deals_lost', kind: 'count', of: (p) => p.closedDeals - p.wonDeals },
  { csv: 'win_rate', kind: 'rate', of: (p) => p.winRate },
  { csv: 'average_deal_size', kind: 'money', of: (p) => p.averageDealSize },
  { csv: 'sales_cycle_days_mean', kind: 'days', of: (p) => p.salesCycleDays.mean },
  { csv: 'sales_cycle_days_median', kind: 'days', of: (p) => p.salesCycleDays.median },
  { csv: 'sales_cycle_days_count', kind: 'count', of: (p) => p.salesCycleDays.count },
  { csv: 'pipeline_velocity_per_day', kind: 'money', of: (p) => p.pipelineVelocityPerDay },
  { csv: 'pipeline_created_deals', kind: 'count', of: (p) => p.qualifiedPipeline.created },
  { csv: 'pipeline_created_amount', kind: 'money', of: (p) => p.qualifiedPipeline.createdAmount },
  { csv: 'qualified_pipeline_deals', kind: 'count', of: (p) => p.qualifiedPipeline.qualified },
  { csv: 'qualified_pipeline_amount', kind: 'money', of: (p) => p.qualifiedPipeline.qualifiedAmount },
  { csv: 'qualified_pipeline_count_share', kind: 'rate', of: (p) => p.qualifiedPipeline.countShare },
  { csv: 'qualified_pipeline_amount_share', kind: 'rate', of: (p) => p.qualifiedPipeline.amountShare },
];

/** The CSV column of each header figure, for its `change` row. */
const CHANGE_CSV: Record<(typeof HEADER_FIGURES)[number]['key'], string> = {
  leadToOpportunityRate: 'lead_to_opportunity_rate',
  qualifiedPipelineDeals: 'qualified_pipeline_deals',
  qualifiedPipelineAmount: 'qualified_pipeline_amount',
  averageDealSize: 'average_deal_size',
  salesCycleDays: 'sales_cycle_days_mean',
  pipelineVelocityPerDay: 'pipeline_velocity_per_day',
};

export interface HeaderCsvRow {
  dimension: 'period' | 'previous_period' | 'change';
  group: string;
  cells: Map<string, { kind: HeaderKind; value: number | null }>;
}

const span = (p: PeriodFigures) => `${p.from}..${p.to}`;

/** Three rows: the period, the previous period (dimension, then `from..to`), and the change of each header figure. */
export function headerCsvRows(h: PeriodHeader): HeaderCsvRow[] {
  const row = (dimension: 'period' | 'previous_period', p: PeriodFigures): HeaderCsvRow => ({ dimension, group: span(p), cells: new Map(CSV_CELLS.map((c) => [c.csv, { kind: c.kind, value: c.of(p) }])) });
  return [
    row('period', h.period),
    row('previous_period', h.previous),
    { dimension: 'change', group: `${span(h.period)} vs ${span(h.previous)}`, cells: new Map(HEADER_FIGURES.map((f) => [CHANGE_CSV[f.key], { kind: f.kind, value: h.compare[f.key].change }])) },
  ];
}

/** A header figure as people read it: rates in percent, amounts rounded, days to one decimal; unknown is '-'. */
export function headerValueText(kind: HeaderKind, v: number | null): string {
  if (v === null) return '-';
  if (kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'days') return v.toFixed(1);
  return Math.round(v).toLocaleString('en-US');
}

/** A change as people read it: signed; a rate's in percentage points. */
export function headerChangeText(kind: HeaderKind, v: number | null): string {
  if (v === null) return '-';
  const sign = v > 0 ? '+' : v < 0 ? '-' : '±';
  return kind === 'rate' ? `${sign}${Math.abs(v * 100).toFixed(1)} pts` : `${sign}${headerValueText(kind, Math.abs(v))}`;
}

/** The table report's first section: one line per header figure, this period, the previous one, the change. */
export function headerTableText(h: PeriodHeader): string {
  const rows = HEADER_FIGURES.map((f) => [f.label, headerValueText(f.kind, h.compare[f.key].current), headerValueText(f.kind, h.compare[f.key].previous), headerChangeText(f.kind, h.compare[f.key].change), f.scope]);
  const headers = ['figure', `${h.period.from} to ${h.period.to}`, `previous ${h.previous.days} days`, 'change', 'counted over'];
  const widths = headers.map((x, i) => Math.max(x.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [
    `Header: ${h.period.from} to ${h.period.to} (${h.period.days} days) vs previous ${h.previous.days} days (${h.previous.from} to ${h.previous.to})`,
    line(headers),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

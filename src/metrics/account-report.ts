import { ACCOUNT_STAGES, type AccountFigures, type AccountFunnelFigures, type AccountGroupFigures, type AccountStage } from './types';
import type { PeriodHeader } from './header';
import { headerTableText } from './report-header';
import { cell, csvField, csvNumber, table, type Kind } from './report-text';
import type { Metrics, MetricsSnapshot } from './types';

/**
 * `uld report --by account`: the account funnel by created month and by the source of the account's first
 * contact, and the account lead-to-opportunity rate, as a table, JSON or CSV. Pure: it returns the text.
 */

type Reported = (Metrics | MetricsSnapshot) & { period?: { from: string; to: string } };

/** The one line printed when there is no account to count (not an error: a definition may have no accounts). */
export const NO_ACCOUNTS_NOTE =
  'No accounts in the mirror: the definition has no `accounts` section, or the worker has not evaluated a company yet; the account funnel needs them.';

const SHORT: Record<AccountStage, string> = { target: 'target', engaged: 'engaged', qualified: 'qualified', opportunity: 'opp', won: 'won' };

interface AccountColumn {
  header: string;
  /** Stable snake_case, as the contact report's CSV columns. */
  csv: string;
  kind: Kind;
  get: (f: AccountFunnelFigures) => number | null;
}

/** Counts, step rates, the accounts outside the funnel and the lead-to-opportunity rate: one row per group. */
export const ACCOUNT_COLUMNS: AccountColumn[] = [
  { header: 'accounts', csv: 'accounts', kind: 'count', get: (f) => f.accounts },
  ...ACCOUNT_STAGES.map((s): AccountColumn => ({ header: SHORT[s], csv: `reached_${s}`, kind: 'count', get: (f) => f.reached[s] })),
  ...ACCOUNT_STAGES.slice(1).map((to, i): AccountColumn => ({
    header: `${SHORT[ACCOUNT_STAGES[i]]}>${SHORT[to]}`,
    csv: `rate_${ACCOUNT_STAGES[i]}_to_${to}`,
    kind: 'rate',
    get: (f) => f.steps[i].rate,
  })),
  { header: 'outside', csv: 'outside_funnel', kind: 'count', get: (f) => f.outsideFunnel.accounts },
  { header: 'outside opp', csv: 'outside_funnel_opportunity', kind: 'count', get: (f) => f.outsideFunnel.opportunity },
  { header: 'outside won', csv: 'outside_funnel_won', kind: 'count', get: (f) => f.outsideFunnel.won },
  { header: 'lead accts', csv: 'lead_accounts', kind: 'count', get: (f) => f.leadAccounts },
  { header: 'with opp', csv: 'lead_accounts_with_opportunity', kind: 'count', get: (f) => f.leadAccountsWithOpportunity },
  { header: 'lead>opp', csv: 'lead_to_opportunity_rate', kind: 'rate', get: (f) => f.leadToOpportunityRate },
];

const FUNNEL_TITLE =
  'live accounts, each once; a stage reached implies every earlier one; outside = never reached target (disqualified, needs_data), with their deals; lead>opp = lead accts with an opportunity (in or outside the funnel) / accounts with at least one live contact';

/** The two groupings, in the order printed, with their CSV dimension names. */
const DIMENSIONS = [
  { title: 'by created month (UTC)', column: 'month', csv: 'created_month', groups: (a: AccountFigures) => a.byCohort },
  { title: "by the source of the first contact (hs_analytics_source; '(no contact)': no live contact)", column: 'source', csv: 'first_contact_source', groups: (a: AccountFigures) => a.bySource },
] as const;

function scopeText(metrics: Reported): string {
  return (
    ('computedAt' in metrics ? `, computed ${metrics.computedAt}` : '') +
    (metrics.period ? `, accounts created ${metrics.period.from} to ${metrics.period.to}` : metrics.since ? `, accounts created since ${metrics.since}` : '')
  );
}

function rateText(f: AccountFunnelFigures): string {
  return `${f.leadAccountsWithOpportunity} of ${f.leadAccounts} accounts with a lead contact have an opportunity (${cell('rate', f.leadToOpportunityRate)})`;
}

function renderTable(metrics: Reported, a: AccountFigures | null, header: PeriodHeader | undefined): string {
  const head = `Account funnel report${scopeText(metrics)}`;
  if (a === null) return `${[head, ...(header ? [headerTableText(header)] : []), NO_ACCOUNTS_NOTE].join('\n\n')}\n`;
  const row = (key: string, f: AccountFunnelFigures) => [key, ...ACCOUNT_COLUMNS.map((c) => cell(c.kind, c.get(f)))];
  const parts = DIMENSIONS.map((d) => `Account funnel ${d.title}: ${FUNNEL_TITLE}\n${table([d.column, ...ACCOUNT_COLUMNS.map((c) => c.header)], [row('overall', a.overall), ...d.groups(a).map((g: AccountGroupFigures) => row(g.key, g.funnel))])}`);
  const foot = `Account lead-to-opportunity rate: ${rateText(a.overall)}.`;
  return `${[head, ...(header ? [headerTableText(header)] : []), ...parts, foot].join('\n\n')}\n`;
}

function renderCsv(a: AccountFigures | null): string {
  const lines = [['dimension', 'group', ...ACCOUNT_COLUMNS.map((c) => c.csv)]];
  if (a !== null) {
    const row = (dimension: string, key: string, f: AccountFunnelFigures) => [dimension, key, ...ACCOUNT_COLUMNS.map((c) => csvNumber(c.kind, c.get(f)))];
    lines.push(row('overall', 'overall', a.overall));
    for (const d of DIMENSIONS) for (const g of d.groups(a)) lines.push(row(d.csv, g.key, g.funnel));
  }
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function renderAccountReport(metrics: Reported, format: 'table' | 'json' | 'csv', header: PeriodHeader | undefined): string {
  // A snapshot stored before the account funnel existed has no field: no figures, as for a mirror without accounts.
  const a = metrics.accounts ?? null;
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          ...('computedAt' in metrics ? { computedAt: metrics.computedAt } : {}),
          since: metrics.since,
          ...(metrics.period ? { period: metrics.period } : {}),
          by: 'account',
          accounts: a,
          ...(a === null ? { note: NO_ACCOUNTS_NOTE } : {}),
          ...(header ? { header } : {}),
        },
        null,
        2,
      )}\n`;
    case 'csv':
      return renderCsv(a);
    case 'table':
      return renderTable(metrics, a, header);
  }
}

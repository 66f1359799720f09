import { ACCOUNT_STAGES, NO_ACCOUNTS_NOTE, type AccountFunnelFigures, type AccountGroupFigures, type AccountStage } from '../metrics';
import type { ServedSnapshot } from './figures';
import { col, type Column, type Page, type Value } from './table';

/**
 * The Accounts page: the account funnel of the period's figures (computeAccountFunnel through the snapshot),
 * overall, by created month and by the source of the first contact. Nothing here recomputes a formula.
 */

const STAGE_LABEL: Record<AccountStage, string> = { target: 'Target', engaged: 'Engaged', qualified: 'Qualified', opportunity: 'Opportunity', won: 'Won' };

const groupColumns: Column[] = [
  col('group', 'Group', 'text'),
  col('accounts', 'Accounts', 'count'),
  ...ACCOUNT_STAGES.map((s) => col(`reached_${s}`, STAGE_LABEL[s], 'count')),
  col('outside_funnel', 'Outside the funnel', 'count'),
  col('lead_accounts', 'With a lead contact', 'count'),
  col('lead_accounts_with_opportunity', 'Of those, with an opportunity', 'count'),
  col('lead_to_opportunity_rate', 'Account lead to opportunity', 'rate'),
];
const groupRow = (key: string, f: AccountFunnelFigures): Value[] => [key, f.accounts, ...ACCOUNT_STAGES.map((s) => f.reached[s]), f.outsideFunnel.accounts, f.leadAccounts, f.leadAccountsWithOpportunity, f.leadToOpportunityRate];
const groupRows = (groups: readonly AccountGroupFigures[]) => groups.map((g) => groupRow(g.key, g.funnel));

export function accountsPage({ snapshot: s, origin }: ServedSnapshot): Page {
  // Null: no account in the mirror; undefined: a stored snapshot from before the figure existed.
  const a = s.accounts ?? null;
  const f = a?.overall ?? null;
  return {
    slug: 'accounts',
    title: 'Accounts',
    intro:
      (s.accounts === undefined ? 'These figures were stored before the account funnel was computed; it appears with the next computation. ' : a === null ? `${NO_ACCOUNTS_NOTE} ` : '') +
      'Each live account once, however many of its contacts qualify, down target, engaged, qualified, opportunity (a live deal of the company or of one of its contacts, or a converted contact) and won; a stage reached implies every earlier one. ' +
      'Accounts that never reached target (disqualified, needs_data) are outside the funnel, their deals too. Account lead to opportunity = accounts with a lead contact and an opportunity / accounts with a lead contact.',
    computedAt: s.computedAt,
    figuresFrom: origin,
    tables: [
      {
        id: 'account_stages',
        title: 'Accounts that reached each stage',
        columns: [col('stage', 'Stage', 'text'), col('reached', 'Accounts', 'count')],
        rows: f === null ? [] : ACCOUNT_STAGES.map((st) => [STAGE_LABEL[st], f.reached[st]]),
        chart: { type: 'bars', label: 'stage', values: ['reached'] },
      },
      {
        id: 'account_steps',
        title: 'Conversion between steps',
        columns: [col('from', 'From', 'text'), col('to', 'To', 'text'), col('reached_from', 'Reached from', 'count'), col('reached_to', 'Reached to', 'count'), col('rate', 'Step conversion', 'rate')],
        rows: f === null ? [] : f.steps.map((st) => [STAGE_LABEL[st.from], STAGE_LABEL[st.to], f.reached[st.from], f.reached[st.to], st.rate]),
        chart: { type: 'bars', label: 'to', values: ['rate'] },
      },
      {
        id: 'account_outside',
        title: 'Outside the funnel: never reached target',
        columns: [col('accounts', 'Accounts', 'count'), col('opportunity', 'With an opportunity', 'count'), col('won', 'Won', 'count')],
        rows: f === null ? [] : [[f.outsideFunnel.accounts, f.outsideFunnel.opportunity, f.outsideFunnel.won]],
      },
      {
        id: 'account_cohorts',
        title: 'By created month (company createdate, UTC)',
        note: 'The overall row first. Empty months are listed with counts 0 and an unknown (-) rate.',
        columns: groupColumns,
        rows: a === null ? [] : [groupRow('overall', a.overall), ...groupRows(a.byCohort)],
        chart: { type: 'bars', label: 'group', values: ['lead_to_opportunity_rate'] },
      },
      {
        id: 'account_sources',
        title: "By source of the first contact (hs_analytics_source of the earliest-created contact; '(no contact)': none)",
        columns: groupColumns,
        rows: a === null ? [] : [groupRow('overall', a.overall), ...groupRows(a.bySource)],
        chart: { type: 'bars', label: 'group', values: ['lead_to_opportunity_rate'] },
      },
    ],
  };
}

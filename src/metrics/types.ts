import type { Summary } from './stats';

/**
 * The figures the metrics job computes from the mirror: plain, JSON-serialisable data (no Map, no Date,
 * no undefined, no NaN), so a snapshot can be stored and compared over time as it is.
 */

/** The demand waterfall, in order. A contact that reached a stage counts as having reached every earlier one. */
export const STAGES = ['lead', 'marketing_qualified', 'sales_ready', 'accepted', 'opportunity', 'won'] as const;
export type Stage = (typeof STAGES)[number];

/** The key of the group for records whose attribute is missing (no source, no status at deal creation, no created date). */
export const NONE = '(none)';

/** Sales' verdicts on a hand-off (uld_sales_feedback). */
export const REJECTION_REASONS = ['rejected_misrouted', 'rejected_bad_data', 'rejected_below_definition'] as const;

/** One step of the waterfall: from stage A to the next stage B. */
export interface StageStep {
  from: Stage;
  to: Stage;
  /** reached B / reached A; null when nobody reached A. */
  rate: number | null;
  /** Days from entering A to entering B, over the records that reached B with both dates known. */
  days: Summary;
}

export interface FunnelFigures {
  /** Contacts in the group (every live contact is a lead). */
  leads: number;
  reached: Record<Stage, number>;
  steps: StageStep[];
  /** Leads that got an associated deal / leads (the cohort's lead-to-opportunity conversion rate). */
  leadToOpportunityRate: number | null;
  /** Days to the first associated deal, from the contact's creation and from its first sales_ready. */
  leadConversionDays: { fromCreated: Summary; fromQualified: Summary };
}

export interface DealFigures {
  deals: number;
  open: number;
  closed: number;
  won: number;
  lost: number;
  /** won / (won + lost); null with no closed deal. */
  winRate: number | null;
  /** Mean amount of the won deals that have an amount; null with none. */
  averageDealSize: number | null;
  wonAmount: number;
  /** Sum of the amounts of the open deals: the pipeline's value. */
  openAmount: number;
  /** Days from create to close, closed deals only. */
  salesCycleDays: Summary;
  /** Days from create to now, open deals only: their age, never a cycle length. */
  openAgeDays: Summary;
  /** open deals x average deal size x win rate / mean sales-cycle length: revenue per day; null when a factor is unknown. */
  pipelineVelocityPerDay: number | null;
}

export interface HandOffFigures {
  /** Contacts the definition passed to sales: those that became sales_ready. */
  handedOff: number;
  accepted: number;
  rejected: number;
  /** accepted / (accepted + rejected); null with no verdict yet. */
  acceptanceRate: number | null;
  /** Rejections by reason; the three reasons of the definition always present. */
  rejectionReasons: Record<string, number>;
  /** Handed off, no verdict yet. */
  awaitingFeedback: number;
  /** Hours from hand-off (first sales_ready) to sales' first verdict. */
  timeToFirstActionHours: Summary;
  /** Contacts still sales_ready with no verdict more than SLA hours after hand-off (as of `now`). */
  slaBreaches: number;
  /** Verdicts given, but more than SLA hours after hand-off. */
  answeredAfterSla: number;
}

/** The statuses that make a deal qualified pipeline when its lead had one of them at the deal's creation. */
export const QUALIFIED_STATUSES = ['marketing_qualified', 'sales_ready'] as const;

/** Qualified pipeline created, over the deals of a group (docs/metrics.md). */
export interface QualifiedPipelineFigures {
  /** All pipeline created: the live deals of the group. */
  created: number;
  /** Sum of their amounts (a deal without an amount adds 0). */
  createdAmount: number;
  /** Deals whose lead was marketing_qualified or sales_ready when the deal was created (statusAtCreation). */
  qualified: number;
  qualifiedAmount: number;
  /** qualified / created; null with no deal. */
  countShare: number | null;
  /** qualifiedAmount / createdAmount; null when createdAmount is 0. */
  amountShare: number | null;
}

/** One month of the series: the deals created that month (UTC), or '(none)' for deals without a create date. */
export interface QualifiedPipelineMonth extends QualifiedPipelineFigures {
  month: string;
}

export interface GroupFigures {
  /** 'overall', a cohort month 'YYYY-MM', a source, or a status at deal creation; '(none)' when missing. */
  key: string;
  funnel: FunnelFigures;
  deals: DealFigures;
  handOff: HandOffFigures;
  /** The group's deals (attributed as `deals` is): qualified pipeline created and its share. */
  qualifiedPipeline: QualifiedPipelineFigures;
}

/** How `uld report` groups the figures: the contact dimensions, or `account` for the account funnel. */
export type Dimension = 'cohort' | 'source' | 'status' | 'account';

export interface Metrics {
  /** The SLA the breaches were counted against. */
  slaHours: number;
  /** 'YYYY-MM-DD' (UTC) when only records created since then were counted. */
  since: string | null;
  overall: GroupFigures;
  /** By created month (UTC), every month from the first to `now`'s, empty ones included. */
  byCohort: GroupFigures[];
  /** By hs_analytics_source. */
  bySource: GroupFigures[];
  /** By deal.statusAtCreation (contacts: that of their first deal). */
  byStatus: GroupFigures[];
  /** Qualified pipeline created by the deal's created month (UTC), every month from the first to `now`'s. */
  qualifiedPipelineByMonth: QualifiedPipelineMonth[];
  /** Live deals with no live associated contact: in the overall, status and deal-created-month figures, in no cohort or source. */
  dealsWithoutContacts: number;
  /** Ids of the contacts in SLA breach, for the report. */
  slaBreachedContactIds: string[];
  /**
   * The account funnel (account-funnel.ts); null when the mirror holds no account (a definition without
   * `accounts`); absent from snapshots stored before it was computed.
   */
  accounts?: AccountFigures | null;
}

/** A stored copy of the figures for trends: the figures plus when they were computed (ISO 8601, UTC). */
export interface MetricsSnapshot extends Metrics {
  computedAt: string;
}

/** The account funnel's stages and figures (computed by account-funnel.ts; docs/metrics.md, "Account funnel"). */
export const ACCOUNT_STAGES = ['target', 'engaged', 'qualified', 'opportunity', 'won'] as const;
export type AccountStage = (typeof ACCOUNT_STAGES)[number];

export interface AccountStep {
  from: AccountStage;
  to: AccountStage;
  /** reached `to` / reached `from`; null when no account reached `from`. */
  rate: number | null;
}

export interface AccountFunnelFigures {
  /** Live accounts in the group. */
  accounts: number;
  /** Accounts in the funnel that reached each stage; a later stage implies every earlier one. */
  reached: Record<AccountStage, number>;
  steps: AccountStep[];
  /**
   * Accounts that never reached `target` by their own evidence (disqualified, needs_data): in no stage of the
   * funnel. Those with a deal (an existing customer's new deal, say) are counted here, not as opportunities of it.
   */
  outsideFunnel: { accounts: number; opportunity: number; won: number };
  /** Accounts with at least one live contact (every live contact is a lead). */
  leadAccounts: number;
  /** Of those, the accounts with an opportunity, in the funnel or outside it. */
  leadAccountsWithOpportunity: number;
  /** leadAccountsWithOpportunity / leadAccounts; null with no lead account. */
  leadToOpportunityRate: number | null;
}

export interface AccountGroupFigures {
  /** A created month 'YYYY-MM', a source, '(none)' when missing, '(no contact)' for accounts without contacts. */
  key: string;
  funnel: AccountFunnelFigures;
}

export interface AccountFigures {
  overall: AccountFunnelFigures;
  /** By the account's created month (UTC), every month from the first to the last, empty ones included. */
  byCohort: AccountGroupFigures[];
  /** By hs_analytics_source of the account's first contact (earliest created, ties by id). */
  bySource: AccountGroupFigures[];
}

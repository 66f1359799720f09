import type { AccountStatus } from '../definition/account-types';
import type { MirrorAccount, MirrorContact, MirrorDeal } from '../store/mirror-types';
import { bucket, byCreation, byKey, keyOrNone } from './grouping';
import { monthOf, monthsBetween, ratio } from './stats';
import { ACCOUNT_STAGES, NONE, type AccountFigures, type AccountFunnelFigures, type AccountGroupFigures, type AccountStage } from './types';

/**
 * The account funnel (issue 15): each live account (a company the definition's `accounts` section judges) once,
 * however many of its contacts qualify, down target -> engaged -> qualified -> opportunity -> won, overall, by the
 * account's created month and by the source of its first contact, with the account lead-to-opportunity rate.
 * Pure: the mirror's accounts, contacts and deals in, plain JSON out; `now` is a parameter. docs/metrics.md,
 * "Account funnel", states every rule below.
 */

/** The source group of the accounts without a live contact (so none has a first contact). */
export const NO_CONTACT = '(no contact)';

export interface AccountFunnelInput {
  accounts: readonly MirrorAccount[];
  contacts: readonly MirrorContact[];
  deals: readonly MirrorDeal[];
  /** Epoch ms: the cohorts run to its month (without `end`). */
  now: number;
}

/** Which accounts count, by their creation: `start` included, `end` excluded (epoch ms). */
export interface AccountScope {
  /** `--since`, or a period's first instant. */
  start?: number;
  /** A period's end (the first instant after `to`); with it the cohorts run from the first account's month to its month. */
  end?: number;
}

/** One account and what the funnel reads of it. */
interface AccountPath {
  account: MirrorAccount;
  firstContact: MirrorContact | null;
  leads: number;
  /** Reached target (or better) by its own evidence: the funnel's entry. */
  inFunnel: boolean;
  opportunity: boolean;
  won: boolean;
  /** Within the funnel, cumulative: false everywhere for an account outside it. */
  reached: Record<AccountStage, boolean>;
}

const RANK: Record<AccountStatus, number> = { disqualified: 0, needs_data: 0, target: 1, engaged: 2, qualified: 3 };

function pathOf(account: MirrorAccount, contacts: readonly MirrorContact[], deals: readonly MirrorDeal[]): AccountPath {
  const rank = RANK[account.status] ?? 0;
  // Own evidence of each account stage: the first time it was reached, or the current status (a row whose
  // date is missing still shows the stage reached).
  const own = {
    target: account.targetAt !== null || rank >= RANK.target,
    engaged: account.engagedAt !== null || rank >= RANK.engaged,
    qualified: account.qualifiedAt !== null || rank >= RANK.qualified,
  };
  const opportunity = deals.length > 0 || contacts.some((c) => c.convertedAt !== null);
  const won = deals.some((d) => d.closed && d.won);
  const inFunnel = own.target || own.engaged || own.qualified;
  const reached: Record<AccountStage, boolean> = {
    target: inFunnel,
    engaged: inFunnel && (own.engaged || own.qualified || opportunity),
    qualified: inFunnel && (own.qualified || opportunity),
    opportunity: inFunnel && opportunity,
    won: inFunnel && won,
  };
  return { account, firstContact: [...contacts].sort(byCreation)[0] ?? null, leads: contacts.length, inFunnel, opportunity, won, reached };
}

function funnelOf(paths: readonly AccountPath[]): AccountFunnelFigures {
  const count = (keep: (p: AccountPath) => boolean) => paths.filter(keep).length;
  const reached = Object.fromEntries(ACCOUNT_STAGES.map((s) => [s, count((p) => p.reached[s])])) as Record<AccountStage, number>;
  const leadAccounts = count((p) => p.leads > 0);
  const leadAccountsWithOpportunity = count((p) => p.leads > 0 && p.opportunity);
  return {
    accounts: paths.length,
    reached,
    steps: ACCOUNT_STAGES.slice(1).map((to, i) => ({ from: ACCOUNT_STAGES[i], to, rate: ratio(reached[to], reached[ACCOUNT_STAGES[i]]) })),
    outsideFunnel: { accounts: count((p) => !p.inFunnel), opportunity: count((p) => !p.inFunnel && p.opportunity), won: count((p) => !p.inFunnel && p.won) },
    leadAccounts,
    leadAccountsWithOpportunity,
    leadToOpportunityRate: ratio(leadAccountsWithOpportunity, leadAccounts),
  };
}

/**
 * The account funnel, or null when the mirror holds no account at all (a definition without `accounts`).
 * The accounts counted are the live ones created in `scope`; each is judged on all it has now: every live
 * contact whose primary company it is and every live deal of it, whenever they were created.
 */
export function computeAccountFunnel(input: AccountFunnelInput, scope: AccountScope = {}): AccountFigures | null {
  if (input.accounts.length === 0) return null;
  const { start, end } = scope;
  const inScope = (createdAt: number | null) => (start === undefined && end === undefined) || (createdAt !== null && (start === undefined || createdAt >= start) && (end === undefined || createdAt < end));
  const accounts = input.accounts.filter((a) => !a.deleted && inScope(a.createdAt));
  const ids = new Set(accounts.map((a) => a.id));

  const contacts = input.contacts.filter((c) => !c.deleted && c.companyId !== null && ids.has(c.companyId));
  const contactsOf = bucket(contacts, (c) => c.companyId!);
  const accountOfContact = new Map(contacts.map((c) => [c.id, c.companyId!]));
  // A deal belongs to its company and to the account of each of its contacts: to each such account once.
  const dealsOf = new Map<string, MirrorDeal[]>();
  for (const d of input.deals) {
    if (d.deleted) continue;
    const owners = new Set<string>();
    if (d.companyId !== null && ids.has(d.companyId)) owners.add(d.companyId);
    for (const id of d.contactIds) {
      const owner = accountOfContact.get(id);
      if (owner !== undefined) owners.add(owner);
    }
    for (const owner of owners) {
      const list = dealsOf.get(owner);
      if (list) list.push(d);
      else dealsOf.set(owner, [d]);
    }
  }
  const paths = accounts.map((a) => pathOf(a, contactsOf.get(a.id) ?? [], dealsOf.get(a.id) ?? []));

  // Cohorts as the contacts': every month from the first (since's, or the first account's in a period) to
  // now's (or the period's last), empty months listed; accounts without a created date last, as '(none)'.
  const cohortOf = (p: AccountPath) => (p.account.createdAt === null ? NONE : monthOf(p.account.createdAt));
  const months = paths.filter((p) => p.account.createdAt !== null).map(cohortOf);
  const firstMonth = months.length > 0 ? months.reduce((a, b) => (a < b ? a : b)) : null;
  const first = start !== undefined && end === undefined ? monthOf(start) : firstMonth;
  const last = end !== undefined ? monthOf(end - 1) : [monthOf(input.now), ...months].reduce((a, b) => (a > b ? a : b));
  const cohortMonths = first === null || first > last ? [] : monthsBetween(first, last);

  const groups = (keyOf: (p: AccountPath) => string, keys: string[] = [], order = byKey): AccountGroupFigures[] => {
    const byGroup = bucket(paths, keyOf);
    return [...new Set([...keys, ...byGroup.keys()])].sort(order).map((key) => ({ key, funnel: funnelOf(byGroup.get(key) ?? []) }));
  };
  const bySourceOrder = (a: string, b: string) => (a === NO_CONTACT ? 1 : b === NO_CONTACT ? -1 : byKey(a, b));
  return {
    overall: funnelOf(paths),
    byCohort: groups(cohortOf, cohortMonths),
    bySource: groups((p) => (p.firstContact === null ? NO_CONTACT : keyOrNone(p.firstContact.source)), [], bySourceOrder),
  };
}

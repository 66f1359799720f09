import { ACCOUNT_STATUSES, type AccountStatus, type CompiledDefinition } from '../definition';
import { judgeAccount, type PortalAccount } from './accounts';
import { formatRate, proportion, type Proportion } from './evidence';
import type { LeadOutcome } from './outcomes';

/**
 * The account part of `uld what-if` (when either definition has an `accounts` section): each account's status
 * under the current and the candidate definition, the transition matrix with examples, and how the accounts
 * of each status converted to an opportunity. A definition without accounts gives every account the status
 * `none`. Pure: accounts, outcomes and `now` come in.
 */

/** An account's status under a definition, `none` when the definition has no `accounts` section. */
export type AccountSide = AccountStatus | 'none';

export interface AccountStatusConversion {
  accounts: number;
  /** Accounts with an outcome in the mirror (the others are not counted in the rate). */
  known: number;
  opportunity: Proportion;
}

export interface AccountWhatIf {
  total: number;
  /** The statuses of each side, in ladder order (`none` alone for a definition without accounts). */
  statuses: { current: AccountSide[]; candidate: AccountSide[] };
  /** matrix[from][to]: accounts with status `from` now and `to` under the candidate. */
  matrix: Record<string, Record<string, number>>;
  /** Up to `examplesPerCell` accounts behind each non-empty cell, keyed `from->to`. */
  examples: Record<string, Array<{ id: string; name: string | null }>>;
  moved: number;
  conversion: { current: Record<string, AccountStatusConversion>; candidate: Record<string, AccountStatusConversion> };
}

const sides = (def: CompiledDefinition): AccountSide[] => (def.accounts ? [...ACCOUNT_STATUSES] : ['none']);

export function whatIfAccounts(current: CompiledDefinition, candidate: CompiledDefinition, accounts: readonly PortalAccount[], outcomes: ReadonlyMap<string, LeadOutcome>, now: number, options: { examplesPerCell?: number } = {}): AccountWhatIf {
  const perCell = options.examplesPerCell ?? 3;
  const statuses = { current: sides(current), candidate: sides(candidate) };
  const matrix: AccountWhatIf['matrix'] = Object.fromEntries(statuses.current.map((from) => [from, Object.fromEntries(statuses.candidate.map((to) => [to, 0]))]));
  const tally = {
    current: Object.fromEntries(statuses.current.map((s) => [s, { accounts: 0, known: 0, opp: 0 }])),
    candidate: Object.fromEntries(statuses.candidate.map((s) => [s, { accounts: 0, known: 0, opp: 0 }])),
  };
  const examples: AccountWhatIf['examples'] = {};
  let moved = 0;
  const statusOf = (def: CompiledDefinition, account: PortalAccount): AccountSide => (def.accounts ? judgeAccount(def, account, now).status : 'none');
  for (const account of accounts) {
    const from = statusOf(current, account);
    const to = statusOf(candidate, account);
    matrix[from]![to]! += 1;
    if (from !== to) moved += 1;
    const cell = (examples[`${from}->${to}`] ??= []);
    if (cell.length < perCell) cell.push({ id: account.id, name: typeof account.company.name === 'string' ? account.company.name : null });
    const outcome = outcomes.get(account.id);
    for (const [side, status] of [['current', from], ['candidate', to]] as const) {
      const t = tally[side][status]!;
      t.accounts += 1;
      if (!outcome) continue;
      t.known += 1;
      if (outcome.opportunity) t.opp += 1;
    }
  }
  const conversion = (side: 'current' | 'candidate') =>
    Object.fromEntries(Object.entries(tally[side]).map(([s, t]) => [s, { accounts: t.accounts, known: t.known, opportunity: proportion(t.opp, t.known) }]));
  return { total: accounts.length, statuses, matrix, examples, moved, conversion: { current: conversion('current'), candidate: conversion('candidate') } };
}

const pct = formatRate;

/** The account section of the table output. */
export function renderAccountWhatIf(r: AccountWhatIf): string[] {
  const out: string[] = [];
  out.push(`\nAccounts (companies with their primary contacts): ${r.total} evaluated, ${r.moved} (${r.total === 0 ? 0 : ((100 * r.moved) / r.total).toFixed(1)}%) would change status.`);
  const width = 16;
  out.push(`${'now \\ candidate'.padEnd(width)}${r.statuses.candidate.map((s) => s.padStart(width)).join('')}${'total'.padStart(9)}`);
  for (const from of r.statuses.current) {
    const row = r.statuses.candidate.map((to) => r.matrix[from]![to]!);
    out.push(`${from.padEnd(width)}${row.map((n) => String(n).padStart(width)).join('')}${String(row.reduce((a, b) => a + b, 0)).padStart(9)}`);
  }
  const columns = r.statuses.candidate.map((to) => r.statuses.current.reduce((n, from) => n + r.matrix[from]![to]!, 0));
  out.push(`${'total'.padEnd(width)}${columns.map((n) => String(n).padStart(width)).join('')}${String(r.total).padStart(9)}`);
  const moves = Object.entries(r.examples).filter(([cell]) => cell.split('->')[0] !== cell.split('->')[1]);
  if (moves.length > 0) {
    out.push('\nExample accounts behind each move (uld_account_reasons on the company gives the reasons):');
    for (const [cell, accounts] of moves) {
      const [from, to] = cell.split('->') as [string, string];
      out.push(`  ${from} -> ${to} (${r.matrix[from]![to]}): ${accounts.map((a) => (a.name ? `${a.id} (${a.name})` : a.id)).join(', ')}`);
    }
  }
  out.push('\nHow the accounts of each status converted (an opportunity at the company or any of its contacts; from the mirror; 95% intervals):');
  out.push(`${'now'.padEnd(width)}${'accounts'.padStart(10)}${'to opportunity'.padStart(24)}   |${'candidate'.padStart(width)}${'accounts'.padStart(10)}${'to opportunity'.padStart(24)}`);
  const rows = Math.max(r.statuses.current.length, r.statuses.candidate.length);
  const current = [...r.statuses.current].reverse();
  const candidate = [...r.statuses.candidate].reverse();
  for (let i = 0; i < rows; i += 1) {
    const cell = (s: string | undefined, side: 'current' | 'candidate') => {
      const name = (s ?? '')[side === 'current' ? 'padEnd' : 'padStart'](width);
      if (s === undefined) return `${name}${''.padStart(34)}`;
      const c = r.conversion[side][s]!;
      return `${name}${String(c.accounts).padStart(10)}${pct(c.opportunity).padStart(24)}`;
    };
    out.push(`${cell(current[i], 'current')}   |${cell(candidate[i], 'candidate')}`);
  }
  return out;
}

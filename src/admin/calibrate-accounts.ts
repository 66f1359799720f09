import type { CompiledDefinition } from '../definition';
import { judgeAccount, type PortalAccount } from './accounts';
import { byEvidence, evidenceHeader, evidenceRow, judgedRows, judgeRule, split, type RuleEvidence } from './rule-evidence';
import { formatRate, proportion, type Proportion } from './evidence';
import type { LeadOutcome } from './outcomes';

/**
 * The account part of `uld calibrate` (when the definition has an `accounts` section): for each account rule
 * (company fit, group engagement, buying-role coverage, disqualifier), the account's conversion to an
 * opportunity when the rule matches against when it does not, with the contact criteria's statistics
 * (./evidence.ts), verdicts and ranking (./calibrate.ts). An account converted when a deal names the company
 * or one of its contacts converted (./accounts.ts). Accounts are judged on today's facts: as-of facts are
 * kept per contact, not per account. Pure.
 */

export interface AccountRuleEvidence extends RuleEvidence {
  kind: 'fit' | 'engagement' | 'coverage' | 'disqualifier';
}

export interface AccountCalibration {
  /** Companies that are the primary company of at least one contact. */
  accounts: number;
  /** Left out as too young: their oldest contact was created within `minAgeDays`. */
  tooYoung: number;
  /** Without an outcome in the mirror (none of their contacts is there, and no deal names them). */
  unknown: number;
  baseline: Proportion;
  /** Strongest evidence first, as the contact criteria. */
  rules: AccountRuleEvidence[];
}

export interface AccountCalibrateOptions {
  minAgeDays?: number;
  /** A rule needs this many matching (and this many other) accounts to be judged (default 30). */
  minSupport?: number;
  /** |z| for a verdict (default 2.58). */
  z?: number;
}

const DAY_MS = 86_400_000;

/** The rules of the `accounts` section, in file order; none without one. */
export function accountRules(def: CompiledDefinition): Array<Pick<AccountRuleEvidence, 'kind' | 'id' | 'label' | 'points'>> {
  const source = def.source.accounts;
  if (!source || !def.accounts) return [];
  return [
    ...(source.fit ?? []).map((c) => ({ kind: 'fit' as const, id: c.id, label: c.label, points: c.points })),
    ...def.accounts.engagement.map((r) => ({ kind: 'engagement' as const, id: r.id, label: r.label, points: r.points })),
    ...def.accounts.coverage.map((r) => ({ kind: 'coverage' as const, id: r.id, label: r.label, points: r.points })),
    ...(source.disqualifiers ?? []).map((d) => ({ kind: 'disqualifier' as const, id: d.id, label: d.reason, points: null })),
  ];
}

export function calibrateAccounts(def: CompiledDefinition, accounts: readonly PortalAccount[], outcomes: ReadonlyMap<string, LeadOutcome>, now: number, options: AccountCalibrateOptions = {}): AccountCalibration {
  const minAge = (options.minAgeDays ?? 30) * DAY_MS;
  const minSupport = options.minSupport ?? 30;
  const zCrit = options.z ?? 2.58;
  const { judged, tooYoung, unknown } = judgedRows(accounts, outcomes, now, minAge, (account) => judgeAccount(def, account, now).reasons, ['fit', 'engagement', 'coverage', 'disqualifier']);
  const baseline = proportion(judged.filter((j) => j.converted).length, judged.length);
  const rules: AccountRuleEvidence[] = accountRules(def).map((rule) => {
    const key = `${rule.kind}:${rule.id}`;
    const { yes, no } = split(judged, (j) => j.refs.has(key));
    return { ...rule, matched: yes, unmatched: no, ...judgeRule(rule, yes, no, minSupport, zCrit) };
  });
  rules.sort(byEvidence);
  return { accounts: accounts.length, tooYoung, unknown, baseline, rules };
}


/** The "Account rules" section of the table output. */
export function renderAccountCalibration(r: AccountCalibration): string[] {
  const out: string[] = [];
  out.push('\nAccount rules: account to opportunity (a deal at the company or any of its contacts), judged on today\'s facts.');
  out.push(`${r.baseline.n} accounts judged, ${formatRate(r.baseline)} converted; left out: ${r.tooYoung} too young (first contact within the minimum age), ${r.unknown} not in the mirror.`);
  out.push(evidenceHeader('rule', 34));
  for (const c of r.rules) out.push(evidenceRow(c, 34));
  const weak = r.rules.filter((c) => c.verdict === 'no evidence' || c.verdict === 'backwards');
  if (r.rules.length > 0) out.push(weak.length === 0 ? 'Every judged account rule predicts conversion.' : `Account rules that do not predict conversion: ${weak.map((c) => `${c.id} (${c.verdict})`).join(', ')}.`);
  return out;
}

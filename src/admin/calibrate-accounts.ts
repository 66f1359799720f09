import type { CompiledDefinition } from '../definition';
import { judgeAccount, type PortalAccount } from './accounts';
import { byEvidence, judgeRule, split, type Verdict } from './calibrate';
import { proportion, type Lift, type Proportion } from './evidence';
import type { LeadOutcome } from './outcomes';

/**
 * The account part of `uld calibrate` (when the definition has an `accounts` section): for each account rule
 * (company fit, group engagement, buying-role coverage, disqualifier), the account's conversion to an
 * opportunity when the rule matches against when it does not, with the contact criteria's statistics
 * (./evidence.ts), verdicts and ranking (./calibrate.ts). An account converted when a deal names the company
 * or one of its contacts converted (./accounts.ts). Accounts are judged on today's facts: as-of facts are
 * kept per contact, not per account. Pure.
 */

export interface AccountRuleEvidence {
  kind: 'fit' | 'engagement' | 'coverage' | 'disqualifier';
  id: string;
  label: string;
  /** null for disqualifiers. */
  points: number | null;
  matched: Proportion;
  unmatched: Proportion;
  lift: Lift;
  z: number;
  verdict: Verdict;
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
  let tooYoung = 0;
  let unknown = 0;
  const judged: Array<{ converted: boolean; refs: Set<string> }> = [];
  for (const account of accounts) {
    const outcome = outcomes.get(account.id);
    if (!outcome) {
      unknown += 1;
      continue;
    }
    if (outcome.createdAt !== null && now - outcome.createdAt < minAge) {
      tooYoung += 1;
      continue;
    }
    const decision = judgeAccount(def, account, now);
    const refs = new Set<string>();
    for (const r of decision.reasons) if (r.kind === 'fit' || r.kind === 'engagement' || r.kind === 'coverage' || r.kind === 'disqualifier') refs.add(`${r.kind}:${r.ref}`);
    judged.push({ converted: outcome.opportunity, refs });
  }
  const baseline = proportion(judged.filter((j) => j.converted).length, judged.length);
  const rules: AccountRuleEvidence[] = accountRules(def).map((rule) => {
    const key = `${rule.kind}:${rule.id}`;
    const { yes, no } = split(judged, (j) => j.refs.has(key));
    return { ...rule, matched: yes, unmatched: no, ...judgeRule(rule, yes, no, minSupport, zCrit) };
  });
  rules.sort(byEvidence);
  return { accounts: accounts.length, tooYoung, unknown, baseline, rules };
}

const pct = (p: Proportion) => (p.rate === null ? '-' : `${(100 * p.rate).toFixed(1)}% [${(100 * (p.low as number)).toFixed(1)}-${(100 * (p.high as number)).toFixed(1)}]`);
const x = (l: Lift) => (l.lift === null ? '-' : `${l.lift.toFixed(2)}x [${(l.low as number).toFixed(2)}-${(l.high as number).toFixed(2)}]`);

/** The "Account rules" section of the table output. */
export function renderAccountCalibration(r: AccountCalibration): string[] {
  const out: string[] = [];
  out.push('\nAccount rules: account to opportunity (a deal at the company or any of its contacts), judged on today\'s facts.');
  out.push(`${r.baseline.n} accounts judged, ${pct(r.baseline)} converted; left out: ${r.tooYoung} too young (first contact within the minimum age), ${r.unknown} not in the mirror.`);
  out.push(`${'rule'.padEnd(34)}${'points'.padStart(7)}${'matching'.padStart(10)}${'converted'.padStart(22)}${'others'.padStart(9)}${'converted'.padStart(22)}${'lift'.padStart(22)}  verdict`);
  for (const c of r.rules) {
    const name = `${c.kind === 'disqualifier' ? 'dq' : c.kind}:${c.id}`.slice(0, 33).padEnd(34);
    out.push(`${name}${(c.points === null ? '-' : String(c.points)).padStart(7)}${String(c.matched.n).padStart(10)}${pct(c.matched).padStart(22)}${String(c.unmatched.n).padStart(9)}${pct(c.unmatched).padStart(22)}${x(c.lift).padStart(22)}  ${c.verdict}`);
  }
  const weak = r.rules.filter((c) => c.verdict === 'no evidence' || c.verdict === 'backwards');
  if (r.rules.length > 0) out.push(weak.length === 0 ? 'Every judged account rule predicts conversion.' : `Account rules that do not predict conversion: ${weak.map((c) => `${c.id} (${c.verdict})`).join(', ')}.`);
  return out;
}

import type { CompiledCoverageRule, CompiledGroupRule } from './account-compile';
import {
  ACCOUNT_LADDER_STATUSES,
  ACCOUNT_REFS,
  BUYING_ROLE_LABELS,
  BUYING_ROLE_PROPERTY,
  BUYING_ROLES,
  type AccountContact,
  type AccountDecision,
  type AccountLadderStatus,
  type AccountReason,
  type AccountStatus,
  type AccountThresholds,
  type BuyingRole,
  type ContactScore,
} from './account-types';
import type { CompiledDefinition } from './compile';
import { pushDataReasons } from './evaluate';
import { signed } from './reasons';
import type { Facts, Reason } from './types';
import { DAY_MS, formatPoints, parseTimestamp, round2, textOf } from './values';

/**
 * Qualifies one account: the company and the contacts associated with it. Pure, like evaluate(): the same
 * definition, company, contacts and `now` (epoch ms) give the same decision, in whatever order the contacts
 * come. Each contact is read through its current decision (its scores) and its facts (`hs_buying_role`, the
 * dates of the group rules' windows); the contacts are not re-qualified here.
 *
 * Precedence is the contacts': disqualifiers, then required company data, then the ladder from the top
 * (`qualified`, `engaged`), with `target` below it. Scores are computed for every account, so a rep sees
 * the whole picture on a disqualified one too.
 */
export function evaluateAccount(def: CompiledDefinition, company: Facts, contacts: readonly AccountContact[], now: number): AccountDecision {
  const a = def.accounts;
  if (!a) throw new TypeError('evaluateAccount: the definition has no accounts section');
  if (!Number.isFinite(now)) throw new TypeError(`evaluateAccount: now must be epoch milliseconds, got ${String(now)}`);

  // Slot 0 is the status reason, filled in once the status is known. The company's disqualifiers, missing
  // fields and fit rules come next, from the evaluator generated for them.
  const reasons: AccountReason[] = [{ kind: 'status', ref: '', text: '' }];
  const s = a.run.evaluate(company, null, now, reasons as Reason[]);
  const caps: AccountReason[] = s.caps ? [...s.caps] : [];
  const fitScore = s.fitScore;

  // Each contact once, in a fixed order, so the decision does not depend on the order of associations.
  const people = [...contacts].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const unreadable: ContactDataProblem[] = [];
  const engaged = new Set<AccountContact>();
  let engagementRaw = 0;
  for (const rule of a.engagement) {
    const counted = countContacts(rule, people, now, unreadable);
    for (const c of counted) engaged.add(c.contact);
    const value = rule.measure === 'count' ? counted.length : round2(counted.reduce((sum, c) => sum + c.score, 0));
    if (value >= rule.atLeast) {
      engagementRaw += rule.points;
      reasons.push({ kind: 'engagement', ref: rule.id, points: rule.points, text: groupText(rule, value, counted) });
    }
  }
  const engagementScore = capped(engagementRaw, a.caps.engagement, 'engagement', caps);

  let coverageRaw = 0;
  const held = rolesHeld(people);
  const heldEngaged = rolesHeld(people.filter((c) => engaged.has(c)));
  for (const rule of a.coverage) {
    const holders = rule.engagedOnly ? heldEngaged : held;
    const covered = rule.roles.filter((r) => holders.has(r));
    if (covered.length >= rule.atLeast) {
      coverageRaw += rule.points;
      reasons.push({ kind: 'coverage', ref: rule.id, points: rule.points, text: coverageText(rule, covered, holders) });
    }
  }
  const coverageScore = capped(coverageRaw, a.caps.coverage, 'coverage', caps);

  reasons.push(...caps);
  if (s.problems) pushDataReasons(s.problems, reasons as Reason[]);
  pushContactDataReasons(unreadable, reasons);

  const score = round2(fitScore + engagementScore + coverageScore);
  const scores: Scores = { fit: fitScore, engagement: engagementScore, coverage: coverageScore, total: score };
  const status: AccountStatus = s.disqualifiedBy ? 'disqualified' : s.missing ? 'needs_data' : climbAccount(a.ladder, scores);
  reasons[0] = { kind: 'status', ref: status, text: statusText(status, a.ladder, scores, s.disqualifiedBy ?? s.missing) };

  return {
    status,
    score,
    fitScore,
    engagementScore,
    coverageScore,
    definitionVersion: def.version,
    reasons,
    engagedContacts: engaged.size,
    rolesCovered: orderRoles([...held.keys()]),
  };
}

/**
 * The company facts a contact evaluation reads its account from (`account.status`, `account.score`): merge
 * them into the company's facts to pass an account decision down before HubSpot holds it.
 */
export function accountFacts(decision: Pick<AccountDecision, 'status' | 'score'>): Record<string, string> {
  return { [ACCOUNT_REFS['account.status']]: decision.status, [ACCOUNT_REFS['account.score']]: String(decision.score) };
}

/** The buying roles a contact holds: hs_buying_role is a multiple checkbox, its values separated by `;`. */
export function buyingRolesOf(facts: Facts): string[] {
  const text = textOf(facts[BUYING_ROLE_PROPERTY]);
  if (text === undefined) return [];
  return [...new Set(text.split(';').map((r) => r.trim()).filter((r) => r !== ''))];
}

interface Counted {
  contact: AccountContact;
  score: number;
}

interface ContactDataProblem {
  contact: AccountContact;
  property: string;
  value: string;
  rule: string;
}

function scoreOf(d: NonNullable<AccountContact['decision']>, score: ContactScore): number {
  return score === 'fit' ? d.fitScore : score === 'engagement' ? d.engagementScore : d.totalScore;
}

/** The contacts a group rule counts: a decision, a score at its minimum, a date within its window. */
function countContacts(rule: CompiledGroupRule, people: readonly AccountContact[], now: number, unreadable: ContactDataProblem[]): Counted[] {
  const counted: Counted[] = [];
  for (const contact of people) {
    if (!contact.decision) continue;
    const score = scoreOf(contact.decision, rule.score);
    if (rule.min !== undefined ? !(score >= rule.min) : !(score > 0)) continue;
    if (rule.window) {
      const text = textOf(contact.facts[rule.window.from]);
      if (text === undefined) continue;
      const t = parseTimestamp(text);
      if (t !== t) {
        unreadable.push({ contact, property: rule.window.from, value: text, rule: rule.id });
        continue;
      }
      // A date in the future counts as now, as in within_days.
      if (Math.max(0, now - t) > rule.window.days * DAY_MS) continue;
    }
    counted.push({ contact, score });
  }
  // Highest score first: the people a rep would call first.
  return counted.sort((x, y) => y.score - x.score);
}

const nameOf = (c: AccountContact) => c.label ?? c.id;

function groupText(rule: CompiledGroupRule, value: number, counted: readonly Counted[]): string {
  const who = counted.map((c) => `${nameOf(c.contact)} (${rule.score} ${formatPoints(c.score)})`).join(', ');
  const window = rule.window ? ` within ${formatPoints(rule.window.days)} days of ${rule.window.from}` : '';
  const per = rule.min !== undefined ? ` with ${rule.score} >= ${formatPoints(rule.min)}` : '';
  const measured =
    rule.measure === 'count'
      ? `${value} contact${value === 1 ? '' : 's'}${per}${window}, at least ${formatPoints(rule.atLeast)}`
      : `${rule.score} ${formatPoints(value)} summed over ${counted.length} contact${counted.length === 1 ? '' : 's'}${per}${window}, at least ${formatPoints(rule.atLeast)}`;
  return `${signed(rule.points)} engagement: ${rule.label} (${measured}: ${who})`;
}

/** Role -> the contacts holding it. */
function rolesHeld(people: readonly AccountContact[]): Map<string, AccountContact[]> {
  const held = new Map<string, AccountContact[]>();
  for (const c of people) {
    for (const role of buyingRolesOf(c.facts)) {
      const list = held.get(role) ?? [];
      list.push(c);
      held.set(role, list);
    }
  }
  return held;
}

const roleLabel = (role: string) => BUYING_ROLE_LABELS[role as BuyingRole] ?? role;

function coverageText(rule: CompiledCoverageRule, covered: readonly string[], holders: Map<string, AccountContact[]>): string {
  const who = covered.map((r) => `${roleLabel(r)}: ${holders.get(r)!.map(nameOf).join(', ')}`).join('; ');
  const of = rule.atLeast < rule.roles.length ? `${covered.length} of ${rule.roles.length} roles, at least ${rule.atLeast}${rule.engagedOnly ? ', held by engaged contacts' : ''}: ` : rule.engagedOnly ? 'held by engaged contacts: ' : '';
  return `${signed(rule.points)} coverage: ${rule.label} (${of}${who})`;
}

/** HubSpot's documented roles in its order, then any custom option of the portal by name. */
function orderRoles(roles: string[]): string[] {
  const rank = (r: string) => {
    const i = (BUYING_ROLES as readonly string[]).indexOf(r);
    return i < 0 ? BUYING_ROLES.length : i;
  };
  return roles.sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
}

/** A section's score: rounded, never below zero, at most its cap (saying so when the cap bites). */
function capped(raw: number, cap: number, kind: string, into: AccountReason[]): number {
  const score = Math.max(0, round2(raw));
  if (score <= cap) return score;
  into.push({ kind: 'cap', ref: kind, text: `${kind} points capped at ${formatPoints(cap)} (rules added ${formatPoints(score)})` });
  return cap;
}

/** One reason per unreadable contact value, naming every rule it kept the contact out of. */
function pushContactDataReasons(problems: readonly ContactDataProblem[], into: AccountReason[]): void {
  const byValue = new Map<string, { p: ContactDataProblem; rules: string[] }>();
  for (const p of problems) {
    const key = `${p.contact.id}\u0000${p.property}`;
    const entry = byValue.get(key);
    if (entry) {
      if (!entry.rules.includes(p.rule)) entry.rules.push(p.rule);
    } else byValue.set(key, { p, rules: [p.rule] });
  }
  for (const { p, rules } of byValue.values()) {
    into.push({ kind: 'data', ref: p.property, text: `${p.property} of ${nameOf(p.contact)} is "${p.value}", not a date: not counted by ${rules.length === 1 ? 'rule' : 'rules'} ${rules.join(', ')}` });
  }
}

type Scores = Required<AccountThresholds>;

function meets(t: AccountThresholds, s: Scores): boolean {
  return (t.fit === undefined || s.fit >= t.fit) && (t.engagement === undefined || s.engagement >= t.engagement) && (t.coverage === undefined || s.coverage >= t.coverage) && (t.total === undefined || s.total >= t.total);
}

/** The highest rung met (ACCOUNT_LADDER_STATUSES is highest first), or target. */
function climbAccount(ladder: Record<AccountLadderStatus, AccountThresholds>, s: Scores): AccountStatus {
  for (const rung of ACCOUNT_LADDER_STATUSES) if (meets(ladder[rung], s)) return rung;
  return 'target';
}

export const ACCOUNT_STATUS_LABEL: Record<AccountStatus, string> = {
  disqualified: 'Disqualified',
  needs_data: 'Needs data',
  target: 'Target',
  engaged: 'Engaged',
  qualified: 'Qualified',
};

/** The first reason: the status, and the thresholds met or the ones that fell short. */
function statusText(status: AccountStatus, ladder: Record<AccountLadderStatus, AccountThresholds>, s: Scores, detail: string[] | undefined): string {
  const compare = (t: AccountThresholds) => {
    const met: string[] = [];
    const short: string[] = [];
    for (const dim of ['fit', 'engagement', 'coverage', 'total'] as const) {
      const min = t[dim];
      if (min === undefined) continue;
      (s[dim] >= min ? met : short).push(`${dim} ${formatPoints(s[dim])} ${s[dim] >= min ? '>=' : '<'} ${formatPoints(min)}`);
    }
    return { met: met.join(', '), short: short.join(', ') };
  };
  switch (status) {
    case 'disqualified':
      return `${ACCOUNT_STATUS_LABEL.disqualified}: ${detail!.join('; ')}`;
    case 'needs_data':
      return `${ACCOUNT_STATUS_LABEL.needs_data}: missing ${detail!.join(', ')}`;
    case 'target':
      return `${ACCOUNT_STATUS_LABEL.target}: not yet engaged: ${compare(ladder.engaged).short}`;
    case 'engaged':
      return `${ACCOUNT_STATUS_LABEL.engaged}: ${compare(ladder.engaged).met}. Not yet qualified: ${compare(ladder.qualified).short}`;
    case 'qualified':
      return `${ACCOUNT_STATUS_LABEL.qualified}: ${compare(ladder.qualified).met}`;
  }
}

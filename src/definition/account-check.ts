import type { z } from 'zod';
import { ACCOUNT_LADDER_STATUSES, ACCOUNT_OUTPUT_PROPERTIES, ACCOUNT_STATUSES, isAccountRef, type ContactScore } from './account-types';
import { walkConditions, type ConditionInput, type ParsedDefinition } from './schema';

/**
 * The checks of `accounts:` that need the whole file, and of what contact rules read of their account.
 * Called from the definition's own cross-reference check, so every problem comes with its line.
 */

type Path = Array<string | number>;
type Issue = (path: Path, message: string) => void;

/** The contact sections whose score a contact rule reading its account changes. Disqualifiers change the status only. */
const SCORE_OF_SECTION = { fit: 'fit', engagement: 'engagement' } as const;

/** Which contact scores reading `score` depends on. */
const SCORES_READ: Record<ContactScore, ReadonlyArray<'fit' | 'engagement'>> = { fit: ['fit'], engagement: ['engagement'], total: ['fit', 'engagement'] };

/** The account ref a condition reads (`account.score`, or the company write-back behind it), or undefined. */
function accountRead(property: string | undefined): string | undefined {
  if (property === undefined) return undefined;
  if (isAccountRef(property)) return property;
  if (property.startsWith('company.') && (ACCOUNT_OUTPUT_PROPERTIES as readonly string[]).includes(property.slice('company.'.length))) return property;
  return undefined;
}

function accountReadsOf(when: ConditionInput): string[] {
  const out = new Set<string>();
  walkConditions(when, [], (c) => {
    const ref = accountRead(c.property);
    if (ref) out.add(ref);
  });
  return [...out];
}

const STATUS_OPERATORS = new Set(['equals', 'not_equals', 'in', 'not_in']);

export function checkAccounts(def: ParsedDefinition, seen: Map<string, string>, ctx: z.RefinementCtx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const accounts = def.accounts;

  // What contact rules read of their account.
  const contactSections = [
    ['fit', def.fit ?? []],
    ['engagement', def.engagement ?? []],
    ['disqualifiers', def.disqualifiers ?? []],
  ] as const;
  for (const [section, rules] of contactSections) {
    rules.forEach((rule, i) => {
      walkConditions(rule.when, [section, i, 'when'], (c, path) => {
        if (!isAccountRef(c.property)) return;
        if (!accounts) {
          issue([...path, 'property'], `${c.property} reads the contact's account, but the file has no accounts section: add one, or remove this condition`);
          return;
        }
        if (c.property === 'account.status' && c.operator && STATUS_OPERATORS.has(c.operator) && c.list === undefined) {
          const given = c.value !== undefined ? [c.value] : (c.values ?? []);
          for (const v of given) {
            if (!(ACCOUNT_STATUSES as readonly unknown[]).includes(v)) {
              issue([...path, c.value !== undefined ? 'value' : 'values'], `account.status is one of ${ACCOUNT_STATUSES.join(', ')}; found ${JSON.stringify(v)}`);
            }
          }
        }
      });
    });
  }
  if (!accounts) return;

  // Account rules read the company's own properties, never what the account evaluation writes.
  const companyRef = (ref: string, path: Path) => {
    if (ref.startsWith('account.')) {
      issue(path, `${ref} is what the account rules decide: an account rule cannot read it`);
    } else if (ref.startsWith('company.')) {
      issue(path, `account rules read the company's own properties: write ${ref.slice(ref.indexOf('.') + 1)}, not ${ref}`);
    } else if ((ACCOUNT_OUTPUT_PROPERTIES as readonly string[]).includes(ref)) {
      issue(path, `${ref} is written by the account evaluation itself: an account rule cannot read it`);
    }
  };
  (['fit', 'disqualifiers'] as const).forEach((section) =>
    (accounts[section] ?? []).forEach((rule, i) => walkConditions(rule.when, ['accounts', section, i, 'when'], (c, path) => c.property !== undefined && companyRef(c.property, [...path, 'property']))),
  );
  (accounts.required ?? []).forEach((r, i) => companyRef(typeof r === 'string' ? r : r.property, typeof r === 'string' ? ['accounts', 'required', i] : ['accounts', 'required', i, 'property']));

  // Ids are unique across the whole file, so a reason or a calibration row names one rule.
  (['engagement', 'coverage'] as const).forEach((section) =>
    (accounts[section] ?? []).forEach((rule, i) => {
      const first = seen.get(rule.id);
      if (first) issue(['accounts', section, i, 'id'], `duplicate id "${rule.id}" (also ${first})`);
      else seen.set(rule.id, `accounts.${section}[${i}]`);
    }),
  );

  (accounts.engagement ?? []).forEach((rule, i) => {
    if (rule.window && rule.window.from.startsWith('company.')) {
      issue(['accounts', 'engagement', i, 'window', 'from'], `the window is a date of each contact: write ${rule.window.from.slice('company.'.length)}, a contact property, not ${rule.window.from}`);
    }
  });
  const engagementRules = accounts.engagement ?? [];
  (accounts.coverage ?? []).forEach((rule, i) => {
    const dup = rule.roles.find((r, j) => rule.roles.indexOf(r) !== j);
    if (dup) issue(['accounts', 'coverage', i, 'roles'], `role ${dup} is listed twice`);
    if (rule.atLeast !== undefined && rule.atLeast > rule.roles.length) {
      issue(['accounts', 'coverage', i, 'atLeast'], `atLeast ${rule.atLeast} is more than the ${rule.roles.length} roles listed: the rule could never match`);
    }
    if (rule.engagedOnly && engagementRules.length === 0) {
      issue(['accounts', 'coverage', i, 'engagedOnly'], `engagedOnly counts the contacts the group engagement rules count, and accounts.engagement has none`);
    }
  });

  const groups = new Set((accounts.fit ?? []).map((r) => r.group).filter((g): g is string => !!g));
  for (const g of Object.keys(accounts.caps?.groups ?? {})) {
    if (!groups.has(g)) issue(['accounts', 'caps', 'groups', g], `no account fit rule is in group "${g}"`);
  }
  for (const s of ACCOUNT_LADDER_STATUSES) {
    const t = accounts.ladder[s];
    if (t.fit === undefined && t.engagement === undefined && t.coverage === undefined && t.total === undefined) {
      issue(['accounts', 'ladder', s], `expected at least one of fit, engagement, coverage, total`);
    }
  }

  checkCycle(def, issue);
}

/**
 * Rejects a cycle between account and contact rules: an account rule counting a contact score that a contact
 * rule derives from the account. The account would re-qualify its contacts, which would re-qualify the account,
 * without end (and each pass could flip the other). Every rule in the cycle is reported at its own line.
 */
function checkCycle(def: ParsedDefinition, issue: Issue): void {
  const accounts = def.accounts!;
  // Contact rules whose score depends on the account.
  const readers: Array<{ path: Path; name: string; score: 'fit' | 'engagement'; refs: string[] }> = [];
  for (const section of ['fit', 'engagement'] as const) {
    (def[section] ?? []).forEach((rule, i) => {
      const refs = accountReadsOf(rule.when);
      if (refs.length) readers.push({ path: [section, i], name: `${section}[${i}] (${rule.id})`, score: SCORE_OF_SECTION[section], refs });
    });
  }
  if (readers.length === 0) return;

  // Account rules and the contact scores they count.
  const counters: Array<{ path: Path; name: string; scores: ReadonlyArray<'fit' | 'engagement'>; how: string }> = [];
  const engagement = accounts.engagement ?? [];
  engagement.forEach((rule, i) => {
    counters.push({ path: ['accounts', 'engagement', i], name: `accounts.engagement[${i}] (${rule.id})`, scores: SCORES_READ[rule.score], how: `counts the contacts' ${rule.score} score` });
  });
  const engagedScores = [...new Set(engagement.flatMap((r) => SCORES_READ[r.score]))];
  (accounts.coverage ?? []).forEach((rule, i) => {
    if (rule.engagedOnly) {
      counters.push({ path: ['accounts', 'coverage', i], name: `accounts.coverage[${i}] (${rule.id})`, scores: engagedScores, how: `counts only engaged contacts, chosen by their ${engagedScores.join(' and ')} score` });
    }
  });

  const cycle = 'a cycle: the account would re-qualify its contacts and they the account, without end';
  for (const r of readers) {
    const against = counters.filter((c) => c.scores.includes(r.score));
    if (against.length) {
      issue(r.path, `in ${cycle}: this rule reads ${r.refs.join(' and ')}, and ${against.map((c) => c.name).join(', ')} ${against.length === 1 ? 'counts' : 'count'} the contacts' ${r.score} score. Read the account in a disqualifier or in the other section, or count another score`);
    }
  }
  for (const c of counters) {
    const against = readers.filter((r) => c.scores.includes(r.score));
    if (against.length) {
      issue(c.path, `in ${cycle}: this rule ${c.how}, which ${against.map((r) => `${r.name} derives from ${r.refs.join(' and ')}`).join(', and ')}`);
    }
  }
}

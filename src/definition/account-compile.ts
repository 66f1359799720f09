import { ACCOUNT_LADDER_STATUSES, BUYING_ROLE_PROPERTY, type AccountLadderStatus, type AccountThresholds, type ContactScore } from './account-types';
import { compileCaps, compileCriteria, compileRequired } from './criteria';
import { propertiesOf } from './conditions';
import { generateEvaluator, type GeneratedEvaluator } from './generate';
import type { ParsedDefinition } from './schema';

/**
 * The `accounts:` section compiled once. The company's own rules (required fields, disqualifiers, fit) are
 * conditions on company properties, so they run in an evaluator generated exactly as a contact's is, with the
 * company in the contact's place: the same operators, reasons, caps and unreadable-value handling.
 */

export interface CompiledGroupRule {
  id: string;
  label: string;
  measure: 'count' | 'sum';
  score: ContactScore;
  /** A contact counts when its score is at least this; undefined: when it is above 0. */
  min: number | undefined;
  window: { days: number; from: string } | undefined;
  atLeast: number;
  points: number;
}

export interface CompiledCoverageRule {
  id: string;
  label: string;
  roles: string[];
  /** How many of `roles` must be held (all of them unless the file says fewer). */
  atLeast: number;
  engagedOnly: boolean;
  points: number;
}

export interface CompiledAccounts {
  ladder: Record<AccountLadderStatus, AccountThresholds>;
  /** The ladder thresholds the environment overrides (ULD_ACCOUNT_*_MIN_*). */
  overridden: Partial<Record<AccountLadderStatus, AccountThresholds>>;
  engagement: CompiledGroupRule[];
  coverage: CompiledCoverageRule[];
  caps: { fit: number; engagement: number; coverage: number };
  /** Company properties the account rules read. */
  companyProperties: string[];
  /** Contact properties the account rules read of each contact: hs_buying_role and the windows' dates. */
  contactProperties: string[];
  /** The company's required fields, disqualifiers and fit, generated as for a contact. */
  run: GeneratedEvaluator;
}

export function compileAccounts(def: ParsedDefinition, overrides: Partial<Record<AccountLadderStatus, AccountThresholds>>): CompiledAccounts {
  const a = def.accounts!;
  const ladder = {} as Record<AccountLadderStatus, AccountThresholds>;
  const overridden: Partial<Record<AccountLadderStatus, AccountThresholds>> = {};
  for (const s of ACCOUNT_LADDER_STATUSES) {
    ladder[s] = { ...a.ladder[s], ...overrides[s] };
    if (overrides[s] && Object.keys(overrides[s]).length > 0) overridden[s] = { ...overrides[s] };
  }

  const fit = compileCriteria('fit', a.fit ?? []);
  const required = compileRequired(a.required ?? []);
  const caps = compileCaps({ fit: a.caps?.fit, groups: a.caps?.groups });
  // The company part as a definition of its own: no engagement, no HubSpot mappings, the file's lists.
  const companyPart = { version: def.version, name: def.name, lists: def.lists, required: a.required, fit: a.fit, engagement: [], disqualifiers: a.disqualifiers, ladder: def.ladder } as ParsedDefinition;
  const run = generateEvaluator(companyPart, { fit, engagement: [], required, caps });

  const companyProperties = new Set<string>();
  for (const c of [...(a.fit ?? []), ...(a.disqualifiers ?? [])]) propertiesOf(c.when, companyProperties);
  for (const r of a.required ?? []) companyProperties.add(typeof r === 'string' ? r : r.property);
  const contactProperties = new Set<string>([BUYING_ROLE_PROPERTY]);
  for (const r of a.engagement ?? []) if (r.window) contactProperties.add(r.window.from);

  return {
    ladder,
    overridden,
    engagement: (a.engagement ?? []).map((r) => ({ id: r.id, label: r.label, measure: r.measure, score: r.score, min: r.min, window: r.window, atLeast: r.atLeast, points: r.points })),
    coverage: (a.coverage ?? []).map((r) => ({ id: r.id, label: r.label, roles: [...r.roles], atLeast: r.atLeast ?? r.roles.length, engagedOnly: r.engagedOnly === true, points: r.points })),
    caps: { fit: a.caps?.fit ?? Infinity, engagement: a.caps?.engagement ?? Infinity, coverage: a.caps?.coverage ?? Infinity },
    companyProperties: [...companyProperties].sort(),
    contactProperties: [...contactProperties].sort(),
    run,
  };
}

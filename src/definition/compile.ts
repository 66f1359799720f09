import { sha256Hex } from './sha256';
import { propertiesOf } from './conditions';
import { companyPropertyOf, generateEvaluator, type GeneratedEvaluator } from './generate';
import { compileAccounts, type CompiledAccounts } from './account-compile';
import { compileCaps, compileCriteria, compileRequired, type CompiledRules } from './criteria';
import { walkConditions, type ConditionInput, type ParsedDefinition } from './schema';
import { DEFAULT_LEAD_HAND_OFF, LADDER_STATUSES, type LadderStatus, type LeadHandOffSettings, type LeadStatus, type ThresholdOverrides, type Thresholds } from './types';

/**
 * A definition compiled once for many evaluations. Everything that does not depend on the record is
 * decided here: the generated evaluator (see generate.ts), decay constants, and the reasons whose text
 * never changes (the rules' part, shared with the accounts section, in criteria.ts).
 */
export interface CompiledDisqualifier {
  id: string;
  reason: string;
}

export interface CompiledDefinition extends CompiledRules {
  name: string;
  /** Written to `uld_definition_version`: the file's version, plus a marker when env overrides apply. */
  version: string;
  /** Hash of the effective definition (file and overrides): equal hashes decide identically. */
  fingerprint: string;
  disqualifiers: CompiledDisqualifier[];
  ladder: Record<LadderStatus, Thresholds>;
  overridden: ThresholdOverrides;
  leadStatusMap: Partial<Record<LeadStatus, string>>;
  lifecycleStageMap: Partial<Record<LeadStatus, string>>;
  /** `hubspot.leads`, HubSpot's default lead pipeline when the file leaves it out (used by HANDOFF_MODE=lead). */
  leadHandOff: LeadHandOffSettings;
  /** Contact properties the definition reads (HubSpot internal names), including decay timestamps. */
  contactProperties: string[];
  /** Properties of the primary associated company the contact rules read, without the `company.` prefix. */
  companyProperties: string[];
  /** Whether a contact rule reads `account.status` or `account.score` (from the company's uld_account_status, uld_account_score). */
  readsAccount: boolean;
  /**
   * Whose decisions can change with the clock alone, with nothing changed in HubSpot (so no webhook comes):
   * `requalify` queues them nightly. Contacts: an engagement decay, or a date-window operator (within_days,
   * older_than_days) in a contact rule. Accounts: a group rule with a `window`, or a date-window operator in the
   * accounts section's fit or disqualifiers. A contact whose rules read its account follows the account's
   * change (`account_changed`), so the accounts' clock does not make the contacts depend on it.
   */
  dependsOnTime: { contacts: boolean; accounts: boolean };
  /** The `accounts:` section compiled, when the file has one (see evaluateAccount). */
  accounts: CompiledAccounts | undefined;
  /** The evaluator generated for this definition; `evaluate` runs it. */
  run: GeneratedEvaluator;
  source: ParsedDefinition;
}

export interface CompileOptions {
  overrides?: ThresholdOverrides;
}

export function compileDefinition(def: ParsedDefinition, options: CompileOptions = {}): CompiledDefinition {
  const fit = compileCriteria('fit', def.fit ?? []);
  const engagement = compileCriteria('engagement', def.engagement ?? []);
  const required = compileRequired(def.required ?? []);
  const caps = compileCaps(def.caps);

  const { accounts: accountOverrides, ...overrides } = options.overrides ?? {};
  const ladder = {} as Record<LadderStatus, Thresholds>;
  for (const s of LADDER_STATUSES) ladder[s] = { ...def.ladder[s], ...overrides[s] };
  const overridden = Object.fromEntries(Object.entries(overrides).filter(([, t]) => t && Object.keys(t).length > 0)) as ThresholdOverrides;
  // Account overrides count only where there are accounts: they must not mark contacts' decisions otherwise.
  const accounts = def.accounts ? compileAccounts(def, accountOverrides ?? {}) : undefined;
  if (accounts && Object.keys(accounts.overridden).length > 0) overridden.accounts = accounts.overridden;

  const properties = new Set<string>();
  for (const c of [...(def.fit ?? []), ...(def.engagement ?? []), ...(def.disqualifiers ?? [])]) propertiesOf(c.when, properties);
  for (const c of def.engagement ?? []) if (c.decay) properties.add(c.decay.from);
  for (const r of def.required ?? []) properties.add(typeof r === 'string' ? r : r.property);
  // lifecyclestage is read so that the mapping only ever moves it forward.
  if (def.hubspot?.lifecycleStage) properties.add('lifecyclestage');
  const readsAccount = [...properties].some((p) => p.startsWith('account.'));
  const dependsOnTime = {
    contacts: (def.engagement ?? []).some((c) => c.decay) || readsTheClock([...(def.fit ?? []), ...(def.engagement ?? []), ...(def.disqualifiers ?? [])]),
    accounts: def.accounts !== undefined && ((def.accounts.engagement ?? []).some((r) => r.window) || readsTheClock([...(def.accounts.fit ?? []), ...(def.accounts.disqualifiers ?? [])])),
  };

  // Without accounts the text hashed is what it always was, so fingerprints of existing definitions stay.
  const effective = JSON.stringify(accounts ? { def, ladder, accountLadder: accounts.ladder } : { def, ladder });
  const fingerprint = sha256Hex(effective).slice(0, 12);
  const overrideMarker = Object.keys(overridden).length > 0 ? `+env.${sha256Hex(JSON.stringify(overridden)).slice(0, 6)}` : '';

  return {
    name: def.name,
    version: `${def.version}${overrideMarker}`,
    fingerprint,
    fit,
    engagement,
    disqualifiers: (def.disqualifiers ?? []).map((d) => ({ id: d.id, reason: d.reason })),
    required,
    caps,
    ladder,
    overridden,
    leadStatusMap: def.hubspot?.leadStatus ?? {},
    lifecycleStageMap: def.hubspot?.lifecycleStage ?? {},
    leadHandOff: leadHandOffOf(def),
    contactProperties: [...properties].filter((p) => !p.startsWith('company.') && !p.startsWith('account.')).sort(),
    companyProperties: [...new Set([...properties].filter((p) => p.startsWith('company.') || p.startsWith('account.')).map(companyPropertyOf))].sort(),
    readsAccount,
    dependsOnTime,
    accounts,
    run: generateEvaluator(def, { fit, engagement, required, caps }),
    source: def,
  };
}

/** Operators whose outcome moves with the clock: true today, false tomorrow, with no change of the record. */
const CLOCK_OPERATORS: ReadonlySet<string> = new Set(['within_days', 'older_than_days']);

function readsTheClock(rules: ReadonlyArray<{ when: ConditionInput }>): boolean {
  let found = false;
  for (const rule of rules) {
    walkConditions(rule.when, [], (c) => {
      if (c.operator !== undefined && CLOCK_OPERATORS.has(c.operator)) found = true;
    });
  }
  return found;
}

function leadHandOffOf(def: ParsedDefinition): LeadHandOffSettings {
  const leads = def.hubspot?.leads;
  if (!leads) return { ...DEFAULT_LEAD_HAND_OFF, accepted: [...DEFAULT_LEAD_HAND_OFF.accepted], rejected: [...DEFAULT_LEAD_HAND_OFF.rejected], reasons: {} };
  return { pipeline: leads.pipeline, stage: leads.stage, accepted: [...leads.accepted], rejected: [...leads.rejected], reasons: { ...leads.disqualificationReasons }, otherReason: leads.otherReason };
}

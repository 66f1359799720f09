/**
 * The scopes the product's app needs, each with the reason an admin is asked for it. They are what the calls
 * the product makes require, by HubSpot's OpenAPI specs (the rule table in src/sandbox/http/scopes.ts, which
 * the sandbox enforces; test/sync/missing-scope.test.ts runs the product on a token with exactly these).
 * Reads of tasks and notes need no scope of their own: HubSpot files them under the contacts scopes.
 */
export const REQUIRED_SCOPES: ReadonlyArray<{ scope: string; why: string }> = [
  { scope: 'crm.objects.contacts.read', why: 'read the contact properties the lead definition uses' },
  { scope: 'crm.objects.contacts.write', why: 'write uld_status, scores and reasons on contacts, and create hand-off tasks and notes' },
  { scope: 'crm.objects.companies.read', why: 'read the primary company of each contact' },
  { scope: 'crm.objects.companies.write', why: 'write the conversion roll-ups on companies' },
  { scope: 'crm.objects.deals.read', why: 'read deals for conversion and cycle time' },
  { scope: 'crm.objects.deals.write', why: 'write cycle-time figures on deals' },
  { scope: 'crm.schemas.contacts.read', why: 'check the uld_* contact properties exist' },
  { scope: 'crm.schemas.contacts.write', why: 'create the uld group and properties on contacts' },
  { scope: 'crm.schemas.companies.read', why: 'check the uld_* company properties exist' },
  { scope: 'crm.schemas.companies.write', why: 'create the uld group and properties on companies' },
  { scope: 'crm.schemas.deals.read', why: 'check the uld_* deal properties and read pipelines' },
  { scope: 'crm.schemas.deals.write', why: 'create the uld group and properties on deals' },
];

/**
 * The scopes of HANDOFF_MODE=lead, asked for only in that mode, and then as required; in the other modes not
 * even as optional: Leads exist only in Sales Hub Professional and Enterprise (shared platform doc §7), and an
 * app should not ask a portal for access to an object it never touches. Their 2026-09 create and batch create
 * declare crm.objects.leads.write; reads, search, pipelines and associations take either.
 */
export const LEAD_SCOPES: ReadonlyArray<{ scope: string; why: string }> = [
  { scope: 'crm.objects.leads.read', why: 'read hand-off Leads, their stage and disqualification reason, and the lead pipelines (HANDOFF_MODE=lead)' },
  { scope: 'crm.objects.leads.write', why: 'create one Lead per hand-off (HANDOFF_MODE=lead)' },
];

/** Every scope the configuration's features use: REQUIRED_SCOPES, plus LEAD_SCOPES in lead mode. */
export function scopesInUse(features?: ScopeFeatures): ReadonlyArray<{ scope: string; why: string }> {
  return features?.handOffLead ? [...REQUIRED_SCOPES, ...LEAD_SCOPES] : REQUIRED_SCOPES;
}

/**
 * Required scopes the token lacks, in the order of REQUIRED_SCOPES. With `features`, a scope only a feature that
 * is off uses is not demanded (`uld init` lists it as optional).
 */
export function missingScopes(granted: readonly string[], features?: ScopeFeatures): Array<{ scope: string; why: string }> {
  const have = new Set(granted);
  const required = new Set(features ? appScopes(features).required : REQUIRED_SCOPES.map((s) => s.scope));
  return scopesInUse(features).filter((s) => required.has(s.scope) && !have.has(s.scope));
}

/** The optional features whose scopes an app needs only while they are on. */
export interface ScopeFeatures {
  /** HANDOFF_TASK: tasks assigned to the contact owner. */
  handOffTask: boolean;
  /** HANDOFF_MODE=lead: one Lead per hand-off, its stage read back as sales's verdict. */
  handOffLead?: boolean;
}

/** The features of a configuration, for the scopes `uld init`, `uld install` and `uld doctor` ask for. */
export function scopeFeatures(sync: { handOffTask: boolean; handOffMode: string }): ScopeFeatures {
  return { handOffTask: sync.handOffTask, handOffLead: sync.handOffMode === 'lead' };
}

/**
 * Scopes of REQUIRED_SCOPES only a feature uses: required while it is on, optional (grantable, not demanded)
 * while it is off. None today: a hand-off task takes its owner from the contact's `hubspot_owner_id` (or
 * HANDOFF_OWNER_IDS) and sets it as a property, which needs no owners scope; nothing uld does reads the
 * owners API. (The lead hand-off's scopes are LEAD_SCOPES: absent, not optional, while it is off.)
 */
const FEATURE_SCOPES: ReadonlyArray<{ scope: string; feature: keyof ScopeFeatures }> = [];

/**
 * The app component's scopes. The definition reads contact and company properties and the product writes
 * contacts, companies and deals whatever the definition says, so every REQUIRED_SCOPES entry is required except
 * those of a feature that is off. No call uld makes needs `oauth` (HubSpot's templates list it for
 * `/account-info`, which uld does not call), so it is not asked for.
 */
export function appScopes(features: ScopeFeatures): { required: string[]; optional: string[] } {
  const off = new Set(FEATURE_SCOPES.filter((f) => !features[f.feature]).map((f) => f.scope));
  const all = scopesInUse(features).map((s) => s.scope);
  return { required: all.filter((s) => !off.has(s)), optional: all.filter((s) => off.has(s)) };
}

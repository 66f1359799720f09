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
 * Required scopes the token lacks, in the order of REQUIRED_SCOPES. With `features`, a scope only a feature that
 * is off uses is not demanded (`uld init` lists it as optional).
 */
export function missingScopes(granted: readonly string[], features?: ScopeFeatures): Array<{ scope: string; why: string }> {
  const have = new Set(granted);
  const required = new Set(features ? appScopes(features).required : REQUIRED_SCOPES.map((s) => s.scope));
  return REQUIRED_SCOPES.filter((s) => required.has(s.scope) && !have.has(s.scope));
}

/** The optional features whose scopes an app needs only while they are on. */
export interface ScopeFeatures {
  /** HANDOFF_TASK: tasks assigned to the contact owner. */
  handOffTask: boolean;
}

/** Scopes only a feature uses: required while it is on, optional (grantable, not demanded) while it is off. */
// None today: a hand-off task takes its owner from the contact's `hubspot_owner_id` (or HANDOFF_OWNER_IDS) and
// sets it as a property, which needs no owners scope; nothing uld does reads the owners API.
const FEATURE_SCOPES: ReadonlyArray<{ scope: string; feature: keyof ScopeFeatures }> = [];

/**
 * The app component's scopes. The definition reads contact and company properties and the product writes
 * contacts, companies and deals whatever the definition says, so every REQUIRED_SCOPES entry is required except
 * those of a feature that is off. No call uld makes needs `oauth` (HubSpot's templates list it for
 * `/account-info`, which uld does not call), so it is not asked for.
 */
export function appScopes(features: ScopeFeatures): { required: string[]; optional: string[] } {
  const off = new Set(FEATURE_SCOPES.filter((f) => !features[f.feature]).map((f) => f.scope));
  return { required: REQUIRED_SCOPES.map((s) => s.scope).filter((s) => !off.has(s)), optional: REQUIRED_SCOPES.map((s) => s.scope).filter((s) => off.has(s)) };
}

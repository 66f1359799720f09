/**
 * The vocabulary of an account decision: the company judged with its buying group. Pure data, like types.ts.
 */

/** The account statuses, in ladder order from worst to best. Written to `uld_account_status`. */
export const ACCOUNT_STATUSES = ['disqualified', 'needs_data', 'target', 'engaged', 'qualified'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Statuses reached by scores, highest first (the order they are checked); `target` is the floor below them. */
export const ACCOUNT_LADDER_STATUSES = ['qualified', 'engaged'] as const;
export type AccountLadderStatus = (typeof ACCOUNT_LADDER_STATUSES)[number];

/**
 * The option values of HubSpot's contact property `hs_buying_role` (type enumeration, fieldType checkbox:
 * several values separated by `;`), with HubSpot's labels, in HubSpot's order. Source: a portal's own property
 * list as the properties API returns it (github.com/hairsolutionsco/automations_hub,
 * hubspot/objects/contacts/properties.md, "Buying Role"): Blocker, Budget Holder, Champion, Decision Maker,
 * End User, Executive Sponsor, Influencer, Legal & Compliance, Other. The sandbox's catalogue carries the same
 * (src/sandbox/crm/property-catalog.ts); a portal's list is `GET /crm/properties/2026-09/contacts/hs_buying_role`.
 */
export const BUYING_ROLES = ['BLOCKER', 'BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER', 'LEGAL_AND_COMPLIANCE', 'OTHER'] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];
/** HubSpot's labels of the roles, as a rep reads them in reasons. */
export const BUYING_ROLE_LABELS: Record<BuyingRole, string> = {
  BLOCKER: 'Blocker',
  BUDGET_HOLDER: 'Budget Holder',
  CHAMPION: 'Champion',
  DECISION_MAKER: 'Decision Maker',
  END_USER: 'End User',
  EXECUTIVE_SPONSOR: 'Executive Sponsor',
  INFLUENCER: 'Influencer',
  LEGAL_AND_COMPLIANCE: 'Legal & Compliance',
  OTHER: 'Other',
};
export const BUYING_ROLE_PROPERTY = 'hs_buying_role';

/** The contact scores a group engagement rule can read from each contact's current decision. */
export const CONTACT_SCORES = ['fit', 'engagement', 'total'] as const;
export type ContactScore = (typeof CONTACT_SCORES)[number];

export interface AccountThresholds {
  fit?: number;
  engagement?: number;
  coverage?: number;
  total?: number;
}
export const ACCOUNT_THRESHOLD_DIMENSIONS = ['fit', 'engagement', 'coverage', 'total'] as const;

/**
 * What contact rules may read of their account (`account.status`, `account.score`), and the company
 * property each is read from: the account's own write-back, so a contact evaluated later, or replayed,
 * reads the account as HubSpot holds it.
 */
export const ACCOUNT_REFS = { 'account.status': 'uld_account_status', 'account.score': 'uld_account_score' } as const;
export type AccountRef = keyof typeof ACCOUNT_REFS;
/** Own keys only: `constructor` is a property name, not an account ref. */
export function isAccountRef(ref: string | undefined): ref is AccountRef {
  return ref !== undefined && Object.hasOwn(ACCOUNT_REFS, ref);
}

/** The company properties the account evaluation writes; no rule of the account may read them. */
export const ACCOUNT_OUTPUT_PROPERTIES = [
  'uld_account_status',
  'uld_account_score',
  'uld_account_reasons',
  'uld_engaged_contacts',
  'uld_roles_covered',
  'uld_account_qualified_at',
] as const;

export type AccountReasonKind =
  | 'status' // the status, and the thresholds met or missed
  | 'disqualifier' // a disqualifier matched on the company
  | 'missing' // a required company field is empty
  | 'fit' // a company fit rule matched
  | 'engagement' // a group engagement rule matched, naming the contacts it counted
  | 'coverage' // a buying-role coverage rule matched, naming who holds each role
  | 'cap' // a section or group was capped
  | 'data'; // a value could not be read: the rule was not applied to it

export interface AccountReason {
  kind: AccountReasonKind;
  ref: string;
  points?: number;
  text: string;
}

/** One contact of the account, as the account evaluation reads it. */
export interface AccountContact {
  /** The contact's record id. */
  id: string;
  /** What a rep knows the contact by (name or email), shown in reasons; the id when absent. */
  label?: string;
  /** The contact's properties: at least `hs_buying_role` and the dates of the rules' windows. */
  facts: Readonly<Record<string, string | null | undefined>>;
  /** The contact's current decision, or null when it has none yet (it then counts in no group rule). */
  decision: { fitScore: number; engagementScore: number; totalScore: number } | null;
}

export interface AccountDecision {
  status: AccountStatus;
  /** fit + engagement + coverage: written to `uld_account_score`. */
  score: number;
  fitScore: number;
  engagementScore: number;
  coverageScore: number;
  definitionVersion: string;
  /** Complete, in reading order: status, disqualifiers, missing fields, fit, engagement, coverage, caps, unreadable values. */
  reasons: AccountReason[];
  /** Contacts counted by at least one group engagement rule (whether or not the rule reached its bar). */
  engagedContacts: number;
  /** The buying roles the account's contacts hold, HubSpot's documented order first. */
  rolesCovered: string[];
}

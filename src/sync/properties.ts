import { ACCOUNT_STATUSES, BUYING_ROLE_LABELS, BUYING_ROLES, type AccountStatus } from '../definition/account-types';
import { STATUSES } from '../definition/types';
import type { CrmObjectType, PropertyDefinition } from '../hubspot/types';

/**
 * The custom properties this product writes (and `uld install` creates). Their names are a public
 * interface: admins build reports, lists and workflows on them, so they never change.
 */
export const PROPERTY_GROUP = { name: 'uld', label: 'Universal Lead Definition', displayOrder: -1 } as const;

export const SALES_FEEDBACK = ['accepted', 'rejected_misrouted', 'rejected_bad_data', 'rejected_below_definition'] as const;
export type SalesFeedback = (typeof SALES_FEEDBACK)[number];

const STATUS_LABELS: Record<(typeof STATUSES)[number], string> = {
  disqualified: 'Disqualified',
  needs_data: 'Needs data',
  nurture: 'Nurture',
  marketing_qualified: 'Marketing qualified',
  sales_ready: 'Sales ready',
};
const FEEDBACK_LABELS: Record<SalesFeedback, string> = {
  accepted: 'Accepted',
  rejected_misrouted: 'Rejected: misrouted',
  rejected_bad_data: 'Rejected: bad data',
  rejected_below_definition: 'Rejected: below definition',
};

const p = (name: string, label: string, type: PropertyDefinition['type'], description: string, extra: Partial<PropertyDefinition> = {}): PropertyDefinition => ({
  name,
  label,
  type,
  fieldType: type === 'number' ? 'number' : type === 'datetime' || type === 'date' ? 'date' : type === 'enumeration' ? 'select' : 'text',
  groupName: PROPERTY_GROUP.name,
  description,
  ...extra,
});

export const CONTACT_PROPERTIES: PropertyDefinition[] = [
  p('uld_status', 'Lead status (ULD)', 'enumeration', 'The status the lead definition gives this contact.', {
    options: STATUSES.map((s, i) => ({ value: s, label: STATUS_LABELS[s], displayOrder: i })),
  }),
  p('uld_score', 'Lead score (ULD)', 'number', 'Fit plus engagement, after decay and caps.'),
  p('uld_fit_score', 'Fit score (ULD)', 'number', 'Who the lead is: firmographics and persona. Never decays.'),
  p('uld_engagement_score', 'Engagement score (ULD)', 'number', 'What the lead did, after decay.'),
  p('uld_reasons', 'Qualification reasons (ULD)', 'string', 'Every rule that decided the status, one per line.', { fieldType: 'textarea' }),
  p('uld_definition_version', 'Lead definition version (ULD)', 'string', 'The version of the lead definition that made the current decision.'),
  p('uld_evaluated_at', 'Qualified at (decision time, ULD)', 'datetime', 'When the current decision (status, scores or reasons) was made.'),
  p('uld_qualified_at', 'First sales ready (ULD)', 'datetime', "The first time this contact became sales_ready under the current definition: for a contact older than the install, as of that day, from HubSpot's property history. Empty when that cannot be dated."),
  p('uld_converted_at', 'First deal created (ULD)', 'datetime', "When this contact's first associated deal was created."),
  p('uld_days_to_qualify', 'Days to sales ready (ULD)', 'number', 'Days from contact creation to first sales_ready (uld_qualified_at).'),
  p('uld_days_to_opportunity', 'Days to opportunity (ULD)', 'number', 'Days from contact creation to its first associated deal.'),
  p('uld_sales_feedback', 'Sales feedback (ULD)', 'enumeration', 'Set by the rep: accepted, or rejected with a reason (rejection sends the lead back to nurture).', {
    options: SALES_FEEDBACK.map((f, i) => ({ value: f, label: FEEDBACK_LABELS[f], displayOrder: i })),
    fieldType: 'radio',
  }),
  p('uld_feedback_at', 'Sales feedback at (ULD)', 'datetime', 'When the sales feedback was last changed.'),
  p('uld_sla_breached', 'Hand-off SLA breached (ULD)', 'bool', 'Sales ready for longer than SLA_HOURS without sales feedback (set by the nightly requalify job).', {
    fieldType: 'booleancheckbox',
    options: [
      { value: 'true', label: 'Yes', displayOrder: 0 },
      { value: 'false', label: 'No', displayOrder: 1 },
    ],
  }),
];

export const DEAL_PROPERTIES: PropertyDefinition[] = [
  p('uld_sales_cycle_days', 'Sales cycle days (ULD)', 'number', 'Close date minus create date, closed deals only.'),
  p('uld_deal_age_days', 'Deal age days (ULD)', 'number', 'Days since creation, open deals only.'),
  p('uld_days_in_stage', 'Days in stage (ULD)', 'number', 'Whole days in the current stage (until close for closed deals).'),
  p('uld_stage_entered_at', 'Stage entered at (ULD)', 'datetime', 'When the deal entered its current stage.'),
  p('uld_lead_to_deal_days', 'Lead to deal days (ULD)', 'number', "Days from the earliest associated contact's creation to the deal's creation."),
  p('uld_lead_status_at_creation', 'Lead status at deal creation (ULD)', 'enumeration', "The associated contact's ULD status when the deal was created (for deals older than the install, replayed from property history under the current definition): whether the definition predicts deals.", {
    options: STATUSES.map((s, i) => ({ value: s, label: STATUS_LABELS[s], displayOrder: i })),
  }),
];

const ACCOUNT_STATUS_LABELS: Record<AccountStatus, string> = {
  disqualified: 'Disqualified',
  needs_data: 'Needs data',
  target: 'Target',
  engaged: 'Engaged',
  qualified: 'Qualified',
};

export const COMPANY_PROPERTIES: PropertyDefinition[] = [
  p('uld_leads', 'Leads (ULD)', 'number', 'Contacts associated with this company.'),
  p('uld_qualified_leads', 'Sales-ready leads (ULD)', 'number', 'Associated contacts that have been sales_ready.'),
  p('uld_opportunities', 'Leads with a deal (ULD)', 'number', 'Associated contacts with at least one associated deal.'),
  p('uld_lead_to_opportunity_rate', 'Lead-to-opportunity rate % (ULD)', 'number', 'Leads with a deal / leads, in percent.'),
  // The account, judged with its buying group (the definition's accounts section); empty without one.
  p('uld_account_status', 'Account status (ULD)', 'enumeration', "The status the lead definition's accounts section gives this company, judged with its contacts.", {
    options: ACCOUNT_STATUSES.map((s, i) => ({ value: s, label: ACCOUNT_STATUS_LABELS[s], displayOrder: i })),
  }),
  p('uld_account_score', 'Account score (ULD)', 'number', 'Company fit plus group engagement plus buying-role coverage, after caps.'),
  p('uld_account_reasons', 'Account reasons (ULD)', 'string', 'Every rule that decided the account status, one per line, naming the contacts counted.', { fieldType: 'textarea' }),
  p('uld_engaged_contacts', 'Engaged contacts (ULD)', 'number', "Contacts counted by the account's group engagement rules."),
  // A multiple checkbox, as HubSpot's own hs_buying_role: lists and reports filter on each role.
  p('uld_roles_covered', 'Buying roles covered (ULD)', 'enumeration', "The buying roles (hs_buying_role) the company's contacts hold.", {
    fieldType: 'checkbox',
    options: BUYING_ROLES.map((r, i) => ({ value: r, label: BUYING_ROLE_LABELS[r], displayOrder: i })),
  }),
  p('uld_account_qualified_at', 'Account first qualified (ULD)', 'datetime', 'The first time the account became qualified.'),
];

export const PRODUCT_PROPERTIES: Readonly<Record<Extract<CrmObjectType, 'contacts' | 'deals' | 'companies'>, PropertyDefinition[]>> = {
  contacts: CONTACT_PROPERTIES,
  deals: DEAL_PROPERTIES,
  companies: COMPANY_PROPERTIES,
};

/**
 * Properties only this product writes: a change event for one of them is an echo of our own write. A rep's
 * `uld_sales_feedback` is not among them: it is an input.
 */
export const OWN_PROPERTIES: ReadonlySet<string> = new Set(
  [...CONTACT_PROPERTIES, ...DEAL_PROPERTIES, ...COMPANY_PROPERTIES].map((x) => x.name).filter((n) => n !== 'uld_sales_feedback'),
);

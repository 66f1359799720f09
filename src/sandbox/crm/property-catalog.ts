import type { ObjectType } from './object-types';

/**
 * The built-in property catalogue of the sandbox portal: the HubSpot-defined properties the product
 * reads and writes, with HubSpot's internal names, types and enumeration values, plus one custom-looking
 * property (`favorite_number`) that the synthetic data keeps deliberately random.
 */
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertySeed {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  options?: PropertyOption[];
  /** HubSpot calculates the value; writes through the API are refused with READ_ONLY_VALUE. */
  readOnly?: boolean;
  hubspotDefined?: boolean;
  hasUniqueValue?: boolean;
  description?: string;
}

export function options(values: ReadonlyArray<string | readonly [string, string]>): PropertyOption[] {
  return values.map((entry, index) => {
    const [value, label] = typeof entry === 'string' ? [entry, titleCase(entry)] : entry;
    return { label, value, displayOrder: index, hidden: false };
  });
}

function titleCase(value: string): string {
  return value
    .toLowerCase()
    .split(/[_\s]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

/** HubSpot's `hs_buying_role` options, [value, label], in HubSpot's order (see builtInProperties). */
export const BUYING_ROLE_OPTIONS = [
  ['BLOCKER', 'Blocker'],
  ['BUDGET_HOLDER', 'Budget Holder'],
  ['CHAMPION', 'Champion'],
  ['DECISION_MAKER', 'Decision Maker'],
  ['END_USER', 'End User'],
  ['EXECUTIVE_SPONSOR', 'Executive Sponsor'],
  ['INFLUENCER', 'Influencer'],
  ['LEGAL_AND_COMPLIANCE', 'Legal & Compliance'],
  ['OTHER', 'Other'],
] as const;

export const LEAD_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'] as const;

export const ANALYTICS_SOURCES = [
  'ORGANIC_SEARCH',
  'PAID_SEARCH',
  'EMAIL_MARKETING',
  'SOCIAL_MEDIA',
  'REFERRALS',
  'OTHER_CAMPAIGNS',
  'DIRECT_TRAFFIC',
  'OFFLINE',
  'PAID_SOCIAL',
] as const;

/** A subset of HubSpot's `industry` enumeration (internal values as HubSpot stores them). */
export const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'INFORMATION_TECHNOLOGY_AND_SERVICES',
  'FINANCIAL_SERVICES',
  'MARKETING_AND_ADVERTISING',
  'HOSPITAL_HEALTH_CARE',
  'RETAIL',
  'EDUCATION_MANAGEMENT',
  'CONSTRUCTION',
  'BANKING',
  'INSURANCE',
  'TELECOMMUNICATIONS',
  'MANAGEMENT_CONSULTING',
  'REAL_ESTATE',
  'AUTOMOTIVE',
  'MECHANICAL_OR_INDUSTRIAL_ENGINEERING',
  'LOGISTICS_AND_SUPPLY_CHAIN',
  'HOSPITALITY',
  'FOOD_BEVERAGES',
  'NONPROFIT_ORGANIZATION_MANAGEMENT',
  'GOVERNMENT_ADMINISTRATION',
  'INTERNET',
  'COMPUTER_HARDWARE',
  'PHARMACEUTICALS',
  'ACCOUNTING',
  'LEGAL_SERVICES',
  'STAFFING_AND_RECRUITING',
  'ENTERTAINMENT',
  'CONSUMER_GOODS',
  'RENEWABLES_ENVIRONMENT',
  'HIGHER_EDUCATION',
] as const;

/**
 * Lead dropdowns. HubSpot documents the properties, not their option values: `NEW_BUSINESS` (the KB's "New
 * business", "Upsell", "Re-attempting") and HOT/WARM/COLD are the values its guide and public code use; of
 * the disqualification reasons only `NOT_A_GOOD_FIT` has been seen in a real portal (shared platform doc §7).
 * The rest are a representative set a portal might have (UNCONFIRMED); admins edit this list per portal,
 * which is why the lead definition maps reasons with a default for any it does not name.
 */
export const LEAD_TYPES = ['NEW_BUSINESS', 'UPSELL', 'RE_ATTEMPTING'] as const;
export const LEAD_LABELS = ['HOT', 'WARM', 'COLD'] as const;
export const LEAD_DISQUALIFICATION_REASONS = ['NOT_A_GOOD_FIT', 'NOT_INTERESTED', 'BAD_TIMING', 'NO_BUDGET', 'WRONG_CONTACT', 'INVALID_CONTACT_INFO', 'DUPLICATE', 'UNRESPONSIVE'] as const;

export const TASK_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] as const;
export const TASK_PRIORITIES = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export const TASK_TYPES = ['TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING'] as const;

export const GROUPS: Record<ObjectType, Array<{ name: string; label: string }>> = {
  contacts: [
    { name: 'contactinformation', label: 'Contact information' },
    { name: 'analyticsinformation', label: 'Web analytics history' },
    { name: 'emailinformation', label: 'Email information' },
    { name: 'conversioninformation', label: 'Conversion information' },
    { name: 'lead_profile', label: 'Lead profile' },
  ],
  companies: [{ name: 'companyinformation', label: 'Company information' }],
  deals: [{ name: 'dealinformation', label: 'Deal information' }],
  notes: [{ name: 'engagement', label: 'Engagement' }],
  tasks: [{ name: 'engagement', label: 'Engagement' }],
  leads: [{ name: 'leadinformation', label: 'Lead information' }],
};

const text = (name: string, label: string, groupName: string, extra: Partial<PropertySeed> = {}): PropertySeed => ({
  name,
  label,
  type: 'string',
  fieldType: 'text',
  groupName,
  ...extra,
});
const number = (name: string, label: string, groupName: string, extra: Partial<PropertySeed> = {}): PropertySeed => ({
  name,
  label,
  type: 'number',
  fieldType: 'number',
  groupName,
  ...extra,
});
const datetime = (name: string, label: string, groupName: string, extra: Partial<PropertySeed> = {}): PropertySeed => ({
  name,
  label,
  type: 'datetime',
  fieldType: 'date',
  groupName,
  ...extra,
});
const select = (name: string, label: string, groupName: string, values: PropertyOption[], extra: Partial<PropertySeed> = {}): PropertySeed => ({
  name,
  label,
  type: 'enumeration',
  fieldType: 'select',
  groupName,
  options: values,
  ...extra,
});
const flag = (name: string, label: string, groupName: string, extra: Partial<PropertySeed> = {}): PropertySeed => ({
  name,
  label,
  type: 'bool',
  fieldType: 'booleancheckbox',
  groupName,
  options: options([
    ['true', 'Yes'],
    ['false', 'No'],
  ]),
  ...extra,
});

const ro = { readOnly: true };

function common(groupName: string, createDate: 'createdate' | 'hs_createdate', lastModified: 'lastmodifieddate' | 'hs_lastmodifieddate'): PropertySeed[] {
  return [
    number('hs_object_id', 'Record ID', groupName, ro),
    datetime(createDate, 'Create Date', groupName),
    datetime(lastModified, 'Last Modified Date', groupName, ro),
    // The owner property is an enumeration whose options are the portal's owners; the portal fills them.
    select('hubspot_owner_id', 'Owner', groupName, []),
  ];
}

/** Built-in properties per object type (owner options and deal stages are filled by the portal). */
export function builtInProperties(): Record<ObjectType, PropertySeed[]> {
  const contacts: PropertySeed[] = [
    ...common('contactinformation', 'createdate', 'lastmodifieddate'),
    text('email', 'Email', 'contactinformation', { hasUniqueValue: true }),
    text('firstname', 'First Name', 'contactinformation'),
    text('lastname', 'Last Name', 'contactinformation'),
    text('jobtitle', 'Job Title', 'contactinformation'),
    text('company', 'Company Name', 'contactinformation'),
    text('phone', 'Phone Number', 'contactinformation'),
    text('country', 'Country/Region', 'contactinformation'),
    text('city', 'City', 'contactinformation'),
    select('lifecyclestage', 'Lifecycle Stage', 'contactinformation', options(LIFECYCLE_STAGES.map((s) => [s, titleCase(s)] as const)), {
      fieldType: 'radio',
    }),
    select('hs_lead_status', 'Lead Status', 'contactinformation', options(LEAD_STATUSES), { fieldType: 'radio' }),
    select('hs_analytics_source', 'Original Traffic Source', 'analyticsinformation', options(ANALYTICS_SOURCES), ro),
    number('hs_analytics_num_page_views', 'Number of Pageviews', 'analyticsinformation', ro),
    number('hs_analytics_num_visits', 'Number of Sessions', 'analyticsinformation', ro),
    datetime('hs_analytics_last_visit_timestamp', 'Time of Last Session', 'analyticsinformation', ro),
    number('num_conversion_events', 'Number of Form Submissions', 'conversioninformation', ro),
    text('recent_conversion_event_name', 'Recent Conversion', 'conversioninformation', ro),
    datetime('recent_conversion_date', 'Recent Conversion Date', 'conversioninformation', ro),
    text('first_conversion_event_name', 'First Conversion', 'conversioninformation', ro),
    datetime('first_conversion_date', 'First Conversion Date', 'conversioninformation', ro),
    datetime('hs_email_last_open_date', 'Last marketing email open date', 'emailinformation', ro),
    datetime('hs_email_last_click_date', 'Last marketing email click date', 'emailinformation', ro),
    // HubSpot's read-only record of why a marketing email hard-bounced; the option values here are a
    // representative set (UNCONFIRMED against HubSpot's full list), enough for "exists" rules.
    select('hs_email_hard_bounce_reason_enum', 'Email hard bounce reason', 'emailinformation', options(['BLOCKED_CONTENT', 'MAILBOX_FULL', 'UNKNOWN_USER', 'DOMAIN_NOT_FOUND', 'OTHER']), ro),
    // HubSpot's buying role: a multiple checkbox (values joined by `;`), writable, with these nine options
    // (value, label) in this order; the description is HubSpot's. Source: a portal's own property list
    // (GET /crm/v3/properties/contacts), github.com/hairsolutionsco/automations_hub hubspot/objects/contacts/properties.md.
    // The group is not in that list: contactinformation is assumed (UNCONFIRMED).
    select('hs_buying_role', 'Buying Role', 'contactinformation', options(BUYING_ROLE_OPTIONS), {
      fieldType: 'checkbox',
      description: 'Role the contact plays during the sales process. Contacts can have multiple roles, and can share roles with others.',
    }),
    text('hs_merged_object_ids', 'Merged Contact IDs', 'contactinformation', ro),
    number('num_associated_deals', 'Number of Associated Deals', 'contactinformation', ro),
    number('favorite_number', 'Favorite number', 'lead_profile', {
      hubspotDefined: false,
      description: 'Custom-looking property with no relation to conversion (a control for calibration).',
    }),
  ];
  for (const stage of LIFECYCLE_STAGES) {
    contacts.push(datetime(`hs_lifecyclestage_${stage}_date`, `Became a ${titleCase(stage)} Date`, 'contactinformation', ro));
    contacts.push(datetime(`hs_v2_date_entered_${stage}`, `Date entered "${titleCase(stage)} (Lifecycle Stage Pipeline)"`, 'contactinformation', ro));
  }

  const companies: PropertySeed[] = [
    ...common('companyinformation', 'createdate', 'hs_lastmodifieddate'),
    text('name', 'Company name', 'companyinformation'),
    text('domain', 'Company Domain Name', 'companyinformation'),
    select('industry', 'Industry', 'companyinformation', options(INDUSTRIES)),
    number('numberofemployees', 'Number of Employees', 'companyinformation'),
    number('annualrevenue', 'Annual Revenue', 'companyinformation'),
    text('country', 'Country/Region', 'companyinformation'),
    text('city', 'City', 'companyinformation'),
    select('lifecyclestage', 'Lifecycle Stage', 'companyinformation', options(LIFECYCLE_STAGES.map((s) => [s, titleCase(s)] as const))),
    number('num_associated_contacts', 'Number of Associated Contacts', 'companyinformation', ro),
  ];

  const deals: PropertySeed[] = [
    ...common('dealinformation', 'createdate', 'hs_lastmodifieddate'),
    text('dealname', 'Deal Name', 'dealinformation'),
    number('amount', 'Amount', 'dealinformation'),
    // Options of dealstage and pipeline come from the pipelines (PipelineRegistry).
    select('dealstage', 'Deal Stage', 'dealinformation', [], { fieldType: 'radio' }),
    select('pipeline', 'Pipeline', 'dealinformation', []),
    datetime('closedate', 'Close Date', 'dealinformation'),
    select('dealtype', 'Deal Type', 'dealinformation', options([
      ['newbusiness', 'New Business'],
      ['existingbusiness', 'Existing Business'],
    ])),
    text('closed_lost_reason', 'Closed Lost Reason', 'dealinformation'),
    text('closed_won_reason', 'Closed Won Reason', 'dealinformation'),
    flag('hs_is_closed', 'Is Deal Closed?', 'dealinformation', ro),
    flag('hs_is_closed_won', 'Is Closed Won', 'dealinformation', ro),
    number('hs_deal_stage_probability', 'Deal Stage Probability', 'dealinformation', ro),
    number('days_to_close', 'Days to close', 'dealinformation', ro),
  ];

  const engagement = (createDate: 'hs_createdate'): PropertySeed[] => [
    ...common('engagement', createDate, 'hs_lastmodifieddate'),
    datetime('hs_timestamp', 'Activity date', 'engagement'),
  ];
  const notes: PropertySeed[] = [...engagement('hs_createdate'), text('hs_note_body', 'Note body', 'engagement', { fieldType: 'textarea' })];
  const tasks: PropertySeed[] = [
    ...engagement('hs_createdate'),
    text('hs_task_subject', 'Task Title', 'engagement'),
    text('hs_task_body', 'Notes', 'engagement', { fieldType: 'textarea' }),
    select('hs_task_status', 'Task Status', 'engagement', options(TASK_STATUSES)),
    select('hs_task_priority', 'Priority', 'engagement', options(TASK_PRIORITIES)),
    select('hs_task_type', 'Task Type', 'engagement', options(TASK_TYPES)),
  ];
  // Leads (developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide): hs_lead_name (required),
  // hs_lead_type and hs_lead_label (dropdowns a portal edits), the pipeline and stage (options from the lead
  // pipelines, filled by the portal), and the disqualification reason a rep picks when disqualifying.
  const leads: PropertySeed[] = [
    ...common('leadinformation', 'hs_createdate', 'hs_lastmodifieddate'),
    text('hs_lead_name', 'Lead name', 'leadinformation'),
    select('hs_lead_type', 'Lead type', 'leadinformation', options(LEAD_TYPES)),
    select('hs_lead_label', 'Lead label', 'leadinformation', options(LEAD_LABELS)),
    select('hs_pipeline', 'Pipeline', 'leadinformation', []),
    select('hs_pipeline_stage', 'Lead stage', 'leadinformation', [], { fieldType: 'radio' }),
    select('hs_lead_disqualification_reason', 'Disqualification reason', 'leadinformation', options(LEAD_DISQUALIFICATION_REASONS)),
  ];
  return { contacts, companies, deals, notes, tasks, leads };
}

/** Properties a create must carry, by type (HubSpot refuses a deal without a stage, an engagement without a time). */
export const REQUIRED_ON_CREATE: Partial<Record<ObjectType, readonly string[]>> = {
  deals: ['dealstage'],
  notes: ['hs_timestamp'],
  tasks: ['hs_timestamp'],
  // "Must have a lead name, specified using the hs_lead_name property" (HubSpot's leads guide).
  leads: ['hs_lead_name'],
};

/**
 * The ground truth of the synthetic portal: which properties drive conversion (a contact getting a deal,
 * and a deal being won), which are deliberately random with respect to it, and which are consequences
 * of the outcome. A calibration feature that learns weights from this portal can be tested against this
 * table: predictive properties should earn weight, random ones none, outcome ones must be excluded.
 * docs/sandbox.md carries the same table for people.
 */
export type SignalRole =
  /** Drives conversion in the generator's model. */
  | 'predictive'
  /** Drawn independently of conversion: any weight a model gives it is noise. */
  | 'random'
  /** Set from the outcome (a leak): using it to predict conversion is cheating. */
  | 'outcome'
  /** Related to conversion only through time (older records had longer to convert). */
  | 'timing';

export interface PropertySignal {
  objectType: 'contacts' | 'companies';
  property: string;
  role: SignalRole;
  /** For predictive properties: how the value relates to conversion. */
  effect?: string;
}

export const PORTAL_SIGNALS: readonly PropertySignal[] = [
  { objectType: 'companies', property: 'industry', role: 'predictive', effect: 'COMPUTER_SOFTWARE, INFORMATION_TECHNOLOGY_AND_SERVICES and FINANCIAL_SERVICES convert far more often' },
  { objectType: 'companies', property: 'numberofemployees', role: 'predictive', effect: '50 to 5,000 employees convert more often (a band, not a monotone effect)' },
  { objectType: 'companies', property: 'annualrevenue', role: 'predictive', effect: 'follows employee count (revenue per employee varies), so it carries the size signal' },
  { objectType: 'contacts', property: 'jobtitle', role: 'predictive', effect: 'senior titles (VP, Director, Head, Chief, Founder) convert more; students and interns almost never' },
  { objectType: 'contacts', property: 'email', role: 'predictive', effect: 'free-mail, university and competitor domains convert less (competitors never)' },
  { objectType: 'contacts', property: 'hs_analytics_num_page_views', role: 'predictive', effect: 'more page views, more conversion (through engagement)' },
  { objectType: 'contacts', property: 'num_conversion_events', role: 'predictive', effect: 'more form submissions, more conversion' },
  { objectType: 'contacts', property: 'recent_conversion_event_name', role: 'predictive', effect: 'Demo request, Pricing page form and Contact sales (high intent) convert far more than content downloads' },
  { objectType: 'contacts', property: 'hs_analytics_last_visit_timestamp', role: 'predictive', effect: 'engaged contacts visited more recently' },
  { objectType: 'contacts', property: 'hs_email_last_open_date', role: 'predictive', effect: 'engaged contacts open emails more recently (weak)' },
  { objectType: 'contacts', property: 'hs_email_last_click_date', role: 'predictive', effect: 'a click at all, and a recent one, goes with engagement (weak)' },
  {
    objectType: 'contacts',
    property: 'hs_buying_role',
    role: 'predictive',
    effect: "a company whose contacts hold DECISION_MAKER and CHAMPION: each contact's odds of a deal x3 (seniors decide more often); LEGAL_AND_COMPLIANCE is given independently of everything (see ./roles.ts)",
  },
  { objectType: 'contacts', property: 'firstname', role: 'random' },
  { objectType: 'contacts', property: 'lastname', role: 'random' },
  { objectType: 'contacts', property: 'hs_analytics_source', role: 'random' },
  { objectType: 'contacts', property: 'favorite_number', role: 'random' },
  { objectType: 'contacts', property: 'country', role: 'random' },
  { objectType: 'contacts', property: 'hubspot_owner_id', role: 'random' },
  { objectType: 'contacts', property: 'lifecyclestage', role: 'outcome', effect: 'customer/opportunity/salesqualifiedlead are set from the deal' },
  { objectType: 'contacts', property: 'hs_lead_status', role: 'outcome', effect: 'OPEN_DEAL, CONNECTED, BAD_TIMING follow the deal' },
  { objectType: 'contacts', property: 'num_associated_deals', role: 'outcome' },
  { objectType: 'contacts', property: 'createdate', role: 'timing', effect: 'contacts created in the last weeks have not had time to convert' },
];

/** Names of contact properties with a given role (convenience for tests and calibration). */
export function propertiesWithRole(role: SignalRole, objectType: 'contacts' | 'companies' = 'contacts'): string[] {
  return PORTAL_SIGNALS.filter((s) => s.role === role && s.objectType === objectType).map((s) => s.property);
}

/** The fit profile the generator rewards, for documentation and the demo. */
export const TARGET_PROFILE = {
  industries: ['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'FINANCIAL_SERVICES'],
  employees: { min: 50, max: 5000 },
  seniorTitles: ['VP', 'Director', 'Head', 'Chief', 'Founder'],
  highIntentConversions: ['Demo request', 'Pricing page form', 'Contact sales'],
  /** The buying roles whose coverage at a company raises its contacts' odds of a deal (./roles.ts). */
  buyingGroup: ['DECISION_MAKER', 'CHAMPION'],
  negative: ['free-mail address', 'student', 'competitor domain', 'no company'],
} as const;

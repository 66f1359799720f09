import type { PropertyDefinition } from '../hubspot/types';
import type { CandidateProperty } from './calibrate';

/**
 * Properties that must never be offered as predictors: they are set from the outcome (a lead with a deal
 * becomes an opportunity), or they are ours. Using them would "predict" conversion by reading it.
 */
const OUTCOME_PROPERTIES = new Set([
  'lifecyclestage',
  'hs_lead_status',
  'num_associated_deals',
  'num_contacted_notes',
  'num_notes',
  'notes_last_contacted',
  'recent_deal_amount',
  'recent_deal_close_date',
  'total_revenue',
  'first_deal_created_date',
  'days_to_close',
  'hs_is_closed',
  'hs_is_closed_won',
  'hs_object_id',
  'hubspot_score',
  'hubspotscore',
  // Owners are assigned when sales starts working a record: a consequence of the hand-off, not a trait.
  'hubspot_owner_id',
  'hubspot_owner_assigneddate',
  'hs_all_owner_ids',
]);
const OUTCOME_PREFIXES = ['uld_', 'hs_lifecyclestage_', 'hs_v2_date_entered_', 'hs_v2_date_exited_', 'hs_date_entered_', 'hs_date_exited_', 'hs_time_in_', 'hs_predictivescor'];

/**
 * Candidate predictors outside the definition: enumerations, booleans, numbers and short strings that are
 * not outcomes. Dates are left out: how old a record is predicts conversion by giving it time, not by fit.
 */
export function candidateProperties(objectType: CandidateProperty['objectType'], properties: readonly PropertyDefinition[], inDefinition: readonly string[]): CandidateProperty[] {
  const used = new Set(inDefinition);
  return properties
    .filter((p) => ['enumeration', 'bool', 'number', 'string'].includes(p.type))
    .filter((p) => !used.has(p.name) && !OUTCOME_PROPERTIES.has(p.name) && !OUTCOME_PREFIXES.some((prefix) => p.name.startsWith(prefix)))
    .map((p) => ({ objectType, name: p.name, type: p.type }));
}

import type { CompiledDefinition } from '../definition';
import { DEFAULT_HISTORY_BOUND, FactsTimeline, type RecordPast } from './timeline';

/**
 * The facts a contact and its company had at one instant, for judging a lead as of its conversion (its
 * first deal's creation) in `uld what-if` and `uld calibrate`: a rule that only matches after conversion
 * then stops looking predictive. The keys are the definition's inputs the facts were taken for.
 */
export interface AsOfFacts {
  contact: Record<string, string | null>;
  /** Null without a company: HubSpot keeps no association history, so the company is today's primary one. */
  company: Record<string, string | null> | null;
}

export interface AsOfInput {
  contact: RecordPast;
  /** The contact's primary company today, or none. */
  company?: RecordPast | null;
  /** HubSpot's per-property history bound (a history this long may be cut). */
  bound?: number;
}

/**
 * The definition's inputs (`def.contactProperties`, `def.companyProperties`) as they were at `at`, or null
 * when they cannot be known then: `at` lies before the kept history of a property whose history reached
 * HubSpot's bound, or a property has a value today and no history to date it (it may have been set after
 * `at`). Null means "store nothing": the lead is then judged on today's facts, never on invented ones.
 * Pure: no clock, no I/O.
 */
export function factsAsOf(def: CompiledDefinition, input: AsOfInput, at: number): AsOfFacts | null {
  const bound = input.bound ?? DEFAULT_HISTORY_BOUND;
  const contact = new FactsTimeline(def.contactProperties, input.contact, bound);
  const company = input.company ? new FactsTimeline(def.companyProperties, input.company, bound) : null;
  if (!knownAt(contact, at) || (company !== null && !knownAt(company, at))) return null;
  return { contact: contact.at(at), company: company === null ? null : company.at(at) };
}

function knownAt(timeline: FactsTimeline, at: number): boolean {
  return at >= timeline.knownFrom && timeline.undated.length === 0;
}

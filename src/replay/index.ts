/**
 * History replay: the definition evaluated over a contact's past, from HubSpot's property histories.
 * Pure: nothing here reads HubSpot, the store or a clock. See docs/replay.md.
 */
export { replayContact, statusAt, timeRules, type ReplayInput, type ReplayResult, type StatusChange, type Reached, type ChangeCause } from './replay';
export { FactsTimeline, DEFAULT_HISTORY_BOUND, type HistoryPoint, type Histories, type RecordPast } from './timeline';
export { factsAsOf, type AsOfFacts, type AsOfInput } from './as-of';

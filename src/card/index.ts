/** The qualification card's backend (issue 13): its pure view model and its routes on `uld serve`. */
export { buildCardView, MAX_HISTORY, type CardViewInput, type HandOffRecord } from './view';
export { groupReasons, kindOfText, MAX_REASONS_PER_GROUP, MAX_REASON_TEXT } from './reasons';

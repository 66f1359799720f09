import type { ChangeKind, EventDisposition, IncomingEvent, WorkMark } from '../src/store';
import { changeKey } from './change-key';
import type { WebhookEvent } from './events';
import { associationEnds, objectTypeOf } from './object-types';

const WORKED = new Set<string>(['contact', 'company', 'deal', 'lead']);
/**
 * A hand-off Lead's verdict lives in these (HANDOFF_MODE=lead subscribes to exactly them): other Lead events
 * (its creation, deletion, associations, other properties) say nothing about the hand-off.
 */
export const LEAD_VERDICT_INPUTS: ReadonlySet<string> = new Set(['hs_pipeline_stage', 'hs_lead_disqualification_reason']);

/**
 * Associations that change what we compute: a contact's primary company feeds its fit, a contact's deals
 * are its conversion, a company's contacts and deals are its roll-ups. Others (a task on a contact) do not.
 */
const RELEVANT_PAIRS = new Set(['company|contact', 'contact|deal', 'company|deal']);
const pairKey = (a: string, b: string) => [a, b].sort().join('|');

/**
 * Properties only this app writes (docs of issue 5): a change to one of them is the echo of our own write.
 * `uld_sales_feedback` is the exception: reps write it, and their feedback is work.
 */
export function isOwnProperty(propertyName: string): boolean {
  return propertyName.startsWith('uld_') && propertyName !== 'uld_sales_feedback';
}

/**
 * Whether `sourceId` names one of our apps. Integration writes arrive with the bare app id of the app
 * that wrote as sourceId (e.g. `"sourceId":"9318066"`, changeSource INTEGRATION), whichever app delivers
 * the event; user changes say `userId:45678`. A prefixed `appId:<id>` is accepted too, since HubSpot does
 * not document the format.
 */
export function isOwnSource(sourceId: string | null, appIds: readonly number[]): boolean {
  if (appIds.length === 0 || sourceId === null) return false;
  const m = /^(?:app(?:id)?[:-])?(\d+)$/i.exec(sourceId.trim());
  return m !== null && appIds.some((id) => m[1] === String(id));
}

export interface ClassifyContext {
  /**
   * HUBSPOT_APP_ID, and during a migration window HUBSPOT_PREVIOUS_APP_ID: events whose sourceId names one
   * of them are our own writes (an instance still running with the old app's token writes as that app).
   */
  appIds: readonly number[];
  /**
   * A migration window is open: two apps deliver every change, so events get a change key. Outside one,
   * HubSpot's redeliveries repeat the eventId and the delivery key is enough; skipping the key keeps its
   * hash and index off the receiver's hot path.
   */
  migrationWindow?: boolean;
}

/** What an event means for the queue: its disposition and the units of work it creates. */
export function planWork(event: WebhookEvent, ctx: ClassifyContext): { objectType: string; disposition: EventDisposition; marks: WorkMark[] } {
  const objectType = objectTypeOf(event);
  const at = event.occurredAt;
  const mark = (type: string, objectId: string, change: ChangeKind, extra: Partial<WorkMark> = {}): WorkMark => ({ objectType: type, objectId, change, occurredAt: at, ...extra });
  const ignored = { objectType, disposition: 'ignored' as const, marks: [] };
  if (!WORKED.has(objectType)) return ignored;
  const own = { objectType, disposition: 'own_write' as const, marks: [] };
  if (isOwnSource(event.sourceId, ctx.appIds)) return own;
  if (objectType === 'lead') {
    const property = event.action === 'propertyChange' ? event.propertyChange!.propertyName : undefined;
    if (property === undefined || !LEAD_VERDICT_INPUTS.has(property)) return ignored;
    return { objectType, disposition: 'work', marks: [mark('lead', event.objectId, 'property_changed', { property })] };
  }

  const marks: WorkMark[] = [];
  switch (event.action) {
    case 'creation':
      marks.push(mark(objectType, event.objectId, 'created'));
      break;
    case 'propertyChange': {
      const property = event.propertyChange!.propertyName;
      if (isOwnProperty(property)) return own;
      marks.push(mark(objectType, event.objectId, 'property_changed', { property }));
      break;
    }
    case 'deletion':
      marks.push(mark(objectType, event.objectId, 'deleted'));
      break;
    case 'privacyDeletion':
      // A GDPR deletion: gone like a deletion, and whatever we mirror about the person must go too.
      marks.push(mark(objectType, event.objectId, 'deleted'), mark(objectType, event.objectId, 'privacy_deleted'));
      break;
    case 'restore':
      marks.push(mark(objectType, event.objectId, 'restored'));
      break;
    case 'merge': {
      const m = event.merge!;
      // The record that remains: a new id when HubSpot created one for the merge, else the primary.
      const survivor = m.newObjectId ?? m.primaryObjectId;
      marks.push(mark(objectType, survivor, 'merged'));
      for (const gone of new Set([m.primaryObjectId, ...m.mergedObjectIds])) {
        if (gone !== survivor) marks.push(mark(objectType, gone, 'merged_away', { mergedInto: survivor }));
      }
      break;
    }
    case 'associationChange': {
      const a = event.association!;
      const { fromType, toType } = associationEnds(event, objectType);
      if (toType === null || !RELEVANT_PAIRS.has(pairKey(fromType, toType))) return ignored;
      marks.push(mark(fromType, a.fromObjectId, 'association_changed'), mark(toType, a.toObjectId, 'association_changed'));
      // A contact gaining a deal is the conversion the whole product measures: both ends must be recomputed.
      if (pairKey(fromType, toType) === 'contact|deal' && a.associationRemoved === false) {
        marks.push(mark(fromType, a.fromObjectId, 'conversion_signal'), mark(toType, a.toObjectId, 'conversion_signal'));
      }
      break;
    }
    default:
      return ignored;
  }
  return { objectType, disposition: 'work', marks };
}

/** The store's view of one verified, parsed event. */
export function toIncomingEvent(event: WebhookEvent, ctx: ClassifyContext): IncomingEvent {
  const plan = planWork(event, ctx);
  return {
    portalId: event.portalId,
    subscriptionType: event.subscriptionType,
    objectId: event.objectId,
    occurredAt: event.occurredAt,
    eventId: event.eventId,
    objectType: plan.objectType,
    changeSource: event.changeSource,
    sourceId: event.sourceId,
    propertyName: event.propertyChange?.propertyName ?? null,
    attemptNumber: event.attemptNumber,
    disposition: plan.disposition,
    payload: JSON.stringify(event.raw),
    // Events we ignore are not worth a key: delivered by two apps, they are two ignored rows.
    changeKey: ctx.migrationWindow === true && plan.disposition !== 'ignored' ? changeKey(event, plan.objectType) : null,
    marks: plan.marks,
  };
}

import { createHash } from 'node:crypto';
import type { WebhookEvent } from './events';
import { associationEnds } from './object-types';

/**
 * The key of a CRM change, as opposed to the key of one delivery of it.
 *
 * During a migration window the old legacy app and the new project app are both installed and both
 * subscribed, so HubSpot delivers each change twice: once per app, each with its own `eventId`,
 * `subscriptionId`, `appId` and `attemptNumber`, signed with its own secret. The delivery key
 * (occurredAt, eventId, objectId, subscriptionType, portalId) cannot see that they are one change. This key
 * leaves out everything that belongs to the delivery and keeps everything that describes the change:
 *
 * - the portal, the object type (normalised, so `contact.creation` and `object.creation` with `0-1` agree,
 *   in case the two apps subscribe in different formats) and the action;
 * - who made the change: `changeSource` and `sourceId` (the writer, the same whichever app delivers);
 * - what changed: the object for creation, deletion, restore and privacy deletion; the object, property
 *   and new value for a property change; the primary, merged (sorted) and new ids for a merge; both ends
 *   (type and id), added or removed, and primary or not for an association change;
 * - when: `occurredAt`, kept beside the key in the store's unique index (webhook_events_change).
 *
 * Two events with the same key describe the same change at the same millisecond by the same writer, so
 * keeping one never loses a change; any field that differs keeps them apart. What this relies on is
 * UNCONFIRMED (HubSpot documents the fields, not how they compare across apps): that both apps' events of
 * one change carry the same `occurredAt`, `changeSource`, `sourceId` and `propertyValue`. If they do not (a
 * `"REDACTED"` value for an app without the sensitive-data scope, a timestamp taken per delivery), the
 * change is worked twice: the worker writes only what changed, so the second run costs reads, never a
 * wrong write. Association changes are keyed on their ends and flags, not on the label or type id (the
 * two formats name them differently): two labelled associations of one pair changed in the same
 * millisecond share a key, and they would make exactly the same work.
 *
 * Null for actions this does not know: those are deduplicated by delivery only. Only computed while a
 * migration window is open (see ClassifyContext).
 */
export function changeKey(event: WebhookEvent, objectType: string): string | null {
  const what = changedFields(event, objectType);
  if (what === undefined) return null;
  const parts = [event.portalId, objectType, event.action, event.changeSource, event.sourceId, ...what];
  // Hashed: a property value can be long, and the key is indexed. 128 bits make a collision of two
  // different changes in the same millisecond beyond any practical chance.
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
  return `${objectType}.${event.action}:${digest}`;
}

function changedFields(event: WebhookEvent, objectType: string): unknown[] | undefined {
  switch (event.action) {
    case 'creation':
    case 'deletion':
    case 'restore':
    case 'privacyDeletion':
      return [event.objectId];
    case 'propertyChange':
      return event.propertyChange ? [event.objectId, event.propertyChange.propertyName, event.propertyChange.propertyValue] : undefined;
    case 'merge': {
      const m = event.merge;
      return m ? [m.primaryObjectId, [...m.mergedObjectIds].sort(), m.newObjectId ?? null] : undefined;
    }
    case 'associationChange': {
      const a = event.association;
      if (!a) return undefined;
      const { fromType, toType } = associationEnds(event, objectType);
      return [fromType, a.fromObjectId, toType, a.toObjectId, a.associationRemoved ?? null, a.isPrimaryAssociation ?? null];
    }
    default:
      return undefined;
  }
}

import { LEGACY_WEBHOOK_OBJECTS, OBJECT_TYPE_INFO, OBJECT_TYPES, type ObjectType } from '../crm/object-types';
import type { PortalChange } from '../crm/portal';

/**
 * Webhook subscriptions as HubSpot configures them for an app, and the events a portal change produces
 * for them. Two formats: legacy (`contact.propertyChange`, one object type per subscription type) and
 * generic (`object.propertyChange` with an `objectType`, events carrying `objectTypeId`).
 */
export type EventKind = 'creation' | 'deletion' | 'propertyChange' | 'merge' | 'associationChange' | 'restore' | 'privacyDeletion';

const EVENT_KINDS: readonly EventKind[] = ['creation', 'deletion', 'propertyChange', 'merge', 'associationChange', 'restore', 'privacyDeletion'];

export interface WebhookSubscriptionInput {
  /** `contact.propertyChange`, `deal.creation`, `object.propertyChange`, ... */
  subscriptionType: string;
  /** For `object.*` subscriptions: `contact`, `company`, `deal`, `note`, `task` (HubSpot's `objectType`/`objectName`). */
  objectType?: string;
  objectName?: string;
  /** Required for property changes: a subscription names exactly one property. */
  propertyName?: string;
  active?: boolean;
}

export interface WebhookSubscription {
  id: number;
  subscriptionType: string;
  eventKind: EventKind;
  objectType: ObjectType;
  generic: boolean;
  propertyName?: string;
  active: boolean;
}

/** HubSpot allows up to 1,000 subscriptions per app. */
export const MAX_SUBSCRIPTIONS = 1000;

/** Validates a subscription the way HubSpot's app settings would refuse it. */
export function parseSubscription(input: WebhookSubscriptionInput, id: number): WebhookSubscription {
  const [prefix, kindText] = input.subscriptionType.split('.');
  const eventKind = kindText as EventKind;
  if (!prefix || !EVENT_KINDS.includes(eventKind)) throw new Error(`Unknown webhook subscription type ${input.subscriptionType}`);
  const generic = prefix === 'object';
  const objectName = generic ? (input.objectType ?? input.objectName) : prefix;
  const objectType = OBJECT_TYPES.find((t) => OBJECT_TYPE_INFO[t].singular === objectName || t === objectName);
  if (!objectType) throw new Error(`Unknown object type ${String(objectName)} in webhook subscription ${input.subscriptionType}`);
  if (!generic && LEGACY_WEBHOOK_OBJECTS[objectType] === undefined) throw new Error(`${input.subscriptionType}: legacy subscriptions exist for contact, company and deal only`);
  if (eventKind === 'propertyChange') {
    if (!input.propertyName) throw new Error(`${input.subscriptionType} needs a propertyName: a property change subscription names one property`);
    // HubSpot refuses this one: it changes on every write.
    if (input.propertyName === 'hs_lastmodifieddate') throw new Error('hs_lastmodifieddate cannot be subscribed to');
  }
  const subscription: WebhookSubscription = { id, subscriptionType: input.subscriptionType, eventKind, objectType, generic, active: input.active ?? true };
  if (eventKind === 'propertyChange') subscription.propertyName = input.propertyName as string;
  return subscription;
}

/** A webhook event before delivery fills in `eventId` and `attemptNumber`. */
export type EventBody = Record<string, string | number | boolean | number[] | undefined>;

/** The event a change produces for a subscription, or undefined when the subscription does not cover it. */
export function eventFor(subscription: WebhookSubscription, change: PortalChange, app: { portalId: number; appId: number }): EventBody | undefined {
  if (!subscription.active || subscription.eventKind !== change.kind) return undefined;
  const objectType = change.kind === 'associationChange' ? change.edge.fromType : change.objectType;
  if (objectType !== subscription.objectType) return undefined;
  if (change.kind === 'propertyChange' && change.propertyName !== subscription.propertyName) return undefined;

  // Field order follows HubSpot's payloads; ids of objects are JSON numbers in webhooks.
  const event: EventBody = {
    subscriptionId: subscription.id,
    portalId: app.portalId,
    appId: app.appId,
    occurredAt: change.occurredAt,
    subscriptionType: subscription.subscriptionType,
    objectId: Number(change.kind === 'associationChange' ? change.edge.fromId : change.objectId),
  };
  if (subscription.generic) event.objectTypeId = OBJECT_TYPE_INFO[objectType].typeId;
  switch (change.kind) {
    case 'propertyChange':
      event.propertyName = change.propertyName;
      event.propertyValue = change.propertyValue;
      break;
    case 'creation':
      event.changeFlag = 'CREATED';
      break;
    case 'deletion':
      event.changeFlag = 'DELETED';
      break;
    case 'merge':
      event.primaryObjectId = Number(change.primaryObjectId);
      event.mergedObjectIds = change.mergedObjectIds.map(Number);
      event.newObjectId = Number(change.newObjectId);
      event.numberOfPropertiesMoved = change.numberOfPropertiesMoved;
      break;
    case 'associationChange':
      if (subscription.generic) {
        event.associationTypeId = change.edge.kind.typeId;
        event.associationCategory = 'HUBSPOT_DEFINED';
        event.fromObjectTypeId = OBJECT_TYPE_INFO[change.edge.fromType].typeId;
        event.toObjectTypeId = OBJECT_TYPE_INFO[change.edge.toType].typeId;
      } else {
        event.associationType = change.edge.kind.webhookName;
      }
      event.fromObjectId = Number(change.edge.fromId);
      event.toObjectId = Number(change.edge.toId);
      event.associationRemoved = change.removed;
      event.isPrimaryAssociation = change.edge.kind.primary;
      break;
    default:
      break;
  }
  event.changeSource = change.source.sourceType;
  if (change.source.sourceId !== undefined) event.sourceId = change.source.sourceId;
  return event;
}

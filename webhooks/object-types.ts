import type { WebhookEvent } from './events';

/**
 * Which CRM object an event is about, whichever format it came in: the legacy one names it in the
 * subscription type (`contact.creation`), the generic one by `objectTypeId` (`object.creation`, `0-1`).
 */

/**
 * The objects the engine works on. Leads (0-136) come only in the generic format (there is no legacy
 * `lead.*` subscription) and only with HANDOFF_MODE=lead. Events about other objects (tickets, ...) are kept
 * as ignored.
 */
export type WorkedObjectType = 'contact' | 'company' | 'deal' | 'lead';

const OBJECT_TYPE_IDS: Record<string, WorkedObjectType> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal', '0-136': 'lead' };

/** `contact`, `company`, `deal`, or for other objects the legacy prefix or raw objectTypeId. */
export function objectTypeOf(event: WebhookEvent): string {
  if (event.family !== 'object') return event.family;
  return OBJECT_TYPE_IDS[event.objectTypeId ?? ''] ?? event.objectTypeId ?? 'object';
}

/** From `CONTACT_TO_DEAL`, `DEAL_TO_CONTACT`, `PARENT_TO_CHILD_COMPANY`: the worked type at each end, if any. */
function endsOfAssociationType(associationType: string | undefined): [string | null, string | null] {
  if (!associationType) return [null, null];
  const i = associationType.toUpperCase().indexOf('_TO_');
  if (i < 0) return [null, null];
  const side = (s: string) => /(?:^|_)(CONTACT|COMPANY|DEAL)$/.exec(s)?.[1]?.toLowerCase() ?? null;
  return [side(associationType.slice(0, i).toUpperCase()), side(associationType.slice(i + 4).toUpperCase())];
}

/**
 * The object type at each end of an association change: from the generic format's type ids when present,
 * else from the legacy `associationType` name; the `from` end defaults to the event's own object. `to` is
 * null when neither says.
 */
export function associationEnds(event: WebhookEvent, objectType: string): { fromType: string; toType: string | null } {
  const a = event.association!;
  const [fromByName, toByName] = endsOfAssociationType(a.associationType);
  const fromType = (a.fromObjectTypeId ? OBJECT_TYPE_IDS[a.fromObjectTypeId] : undefined) ?? fromByName ?? objectType;
  const toType = (a.toObjectTypeId ? OBJECT_TYPE_IDS[a.toObjectTypeId] : undefined) ?? toByName ?? null;
  return { fromType, toType };
}

import type { IncomingEvent, WorkMark } from '../../src/store';

let nextEventId = 1;

/** A classified event as the receiver hands it to the store; one property change on a contact by default. */
export function incoming(overrides: Partial<IncomingEvent> & { marks?: WorkMark[] } = {}): IncomingEvent {
  const objectId = overrides.objectId ?? '101';
  const objectType = overrides.objectType ?? 'contact';
  const occurredAt = overrides.occurredAt ?? 1_700_000_000_000;
  const propertyName = overrides.propertyName === undefined ? 'jobtitle' : overrides.propertyName;
  const disposition = overrides.disposition ?? 'work';
  const base: IncomingEvent = {
    portalId: 62515,
    subscriptionType: `${objectType}.propertyChange`,
    objectId,
    occurredAt,
    eventId: String(nextEventId++),
    objectType,
    changeSource: 'CRM_UI',
    sourceId: 'userId:1',
    propertyName,
    attemptNumber: 0,
    disposition,
    payload: '{}',
    changeKey: null,
    marks:
      disposition === 'work'
        ? [{ objectType, objectId, change: 'property_changed', occurredAt, ...(propertyName ? { property: propertyName } : {}) }]
        : [],
  };
  return { ...base, ...overrides, marks: overrides.marks ?? base.marks };
}

/** A clock the test moves by hand: lease expiry and backoff without sleeping. */
export function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/**
 * The CRM object types the sandbox holds and the names HubSpot uses for each. URLs accept the plural
 * name (`contacts`), the singular (`contact`) or the type id (`0-1`), as HubSpot's object APIs do.
 */
export type ObjectType = 'contacts' | 'companies' | 'deals' | 'notes' | 'tasks' | 'leads';

export const OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'companies', 'deals', 'notes', 'tasks', 'leads'];

interface ObjectTypeInfo {
  singular: string;
  /** HubSpot's objectTypeId, used by generic (`object.*`) webhooks and associations v4 responses. */
  typeId: string;
  /** Upper-case name used in messages ("Could not get some CONTACT objects"). */
  upper: string;
  /** The property HubSpot keeps as "last modified" for this type (contacts differ from the rest). */
  lastModifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  /** The property holding the creation time (engagements use hs_createdate). */
  createDateProperty: 'createdate' | 'hs_createdate';
  /**
   * Properties returned when a read names none. From HubSpot's docs: for contacts a search returns
   * createdate, email, firstname, hs_object_id, lastmodifieddate and lastname; companies and deals
   * have their own lists.
   */
  defaultProperties: readonly string[];
  /** Properties HubSpot adds to every read even when the caller lists others. */
  alwaysReturned: readonly string[];
  /** First id handed out. Above 2^31 on purpose: ids must never be parsed into 32-bit integers. */
  firstId: number;
}

export const OBJECT_TYPE_INFO: Record<ObjectType, ObjectTypeInfo> = {
  contacts: {
    singular: 'contact',
    typeId: '0-1',
    upper: 'CONTACT',
    lastModifiedProperty: 'lastmodifieddate',
    createDateProperty: 'createdate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    alwaysReturned: ['createdate', 'hs_object_id', 'lastmodifieddate'],
    firstId: 100_000_000_001,
  },
  companies: {
    singular: 'company',
    typeId: '0-2',
    upper: 'COMPANY',
    lastModifiedProperty: 'hs_lastmodifieddate',
    createDateProperty: 'createdate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    alwaysReturned: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    firstId: 20_000_000_001,
  },
  deals: {
    singular: 'deal',
    typeId: '0-3',
    upper: 'DEAL',
    lastModifiedProperty: 'hs_lastmodifieddate',
    createDateProperty: 'createdate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    alwaysReturned: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    firstId: 30_000_000_001,
  },
  notes: {
    singular: 'note',
    typeId: '0-46',
    upper: 'NOTE',
    lastModifiedProperty: 'hs_lastmodifieddate',
    createDateProperty: 'hs_createdate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    alwaysReturned: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    firstId: 40_000_000_001,
  },
  tasks: {
    singular: 'task',
    typeId: '0-27',
    upper: 'TASK',
    lastModifiedProperty: 'hs_lastmodifieddate',
    createDateProperty: 'hs_createdate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    alwaysReturned: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    firstId: 50_000_000_001,
  },
  // Sales Hub's Leads object (developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/object-definition:
  // objectTypeId 0-136, name `leads`). Its create and modified dates are the engagement-style hs_ ones, as
  // third-party lead reads show them (hs_createdate, hs_lastmodifieddate).
  leads: {
    singular: 'lead',
    typeId: '0-136',
    upper: 'LEAD',
    lastModifiedProperty: 'hs_lastmodifieddate',
    createDateProperty: 'hs_createdate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    alwaysReturned: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    firstId: 60_000_000_001,
  },
};

const ALIASES = new Map<string, ObjectType>();
for (const type of OBJECT_TYPES) {
  const info = OBJECT_TYPE_INFO[type];
  ALIASES.set(type, type);
  ALIASES.set(info.singular, type);
  ALIASES.set(info.typeId, type);
}

/** Resolves a path segment to an object type, or undefined for anything the sandbox does not hold. */
export function resolveObjectType(segment: string): ObjectType | undefined {
  return ALIASES.get(segment.toLowerCase());
}

/** The types webhooks can be subscribed to in the legacy `contact.*` / `company.*` / `deal.*` form. */
export const LEGACY_WEBHOOK_OBJECTS: Partial<Record<ObjectType, string>> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
};

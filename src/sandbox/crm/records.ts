import type { PropertyValueError } from '../errors';
import type { AssociationEdge } from './associations';
import type { ObjectType } from './object-types';

/**
 * Where a write came from. `sourceType` is what HubSpot shows in property history and sends as a
 * webhook's `changeSource`; `sourceId` names the writer (the app id for INTEGRATION writes, as real
 * payloads show: `"changeSource":"INTEGRATION","sourceId":"9393361"` with appId 9393361; `userId:<id>`
 * for people).
 */
export type ChangeSource = 'INTEGRATION' | 'CRM_UI' | 'IMPORT' | 'FORM' | 'ANALYTICS' | 'EMAIL' | 'CALCULATED' | 'CRM' | 'API';

export interface WriteSource {
  sourceType: ChangeSource;
  sourceId?: string;
  userId?: number;
}

export interface HistoryEntry {
  value: string;
  timestamp: number;
  sourceType: ChangeSource;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface CrmRecord {
  readonly type: ObjectType;
  readonly id: string;
  /** Current values; a cleared property is absent. */
  properties: Record<string, string>;
  /** Explicit history, oldest first. Properties without an entry were set once, at creation, by `origin`. */
  history?: Map<string, HistoryEntry[]>;
  origin: WriteSource;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  mergedInto?: string;
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

/** What changed, as the webhook dispatcher (and anything else listening) sees it. */
export type PortalChange =
  | { kind: 'creation'; objectType: ObjectType; objectId: string; occurredAt: number; source: WriteSource }
  | { kind: 'deletion'; objectType: ObjectType; objectId: string; occurredAt: number; source: WriteSource }
  | {
      kind: 'propertyChange';
      objectType: ObjectType;
      objectId: string;
      propertyName: string;
      propertyValue: string;
      occurredAt: number;
      source: WriteSource;
    }
  | {
      kind: 'merge';
      objectType: ObjectType;
      objectId: string;
      primaryObjectId: string;
      mergedObjectIds: string[];
      newObjectId: string;
      numberOfPropertiesMoved: number;
      occurredAt: number;
      source: WriteSource;
    }
  | { kind: 'associationChange'; edge: AssociationEdge; removed: boolean; occurredAt: number; source: WriteSource };

/** A record as loaded in bulk (from the generator): values already valid and complete. */
export interface RecordSeed {
  id: string;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt?: number;
  origin?: WriteSource;
  history?: Record<string, HistoryEntry[]>;
}

export interface WriteCheck {
  values: Record<string, string>;
  problems: PropertyValueError[];
}

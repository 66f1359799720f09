/**
 * The HubSpot gateway as the rest of the product sees it: the only code that calls HubSpot. Plain data in
 * and out (no SDK model crosses this line), ids as decimal strings, property values as HubSpot's strings.
 * Every method packs as many records per call as HubSpot allows and splits larger inputs itself.
 */

/** `leads`: Sales Hub's Leads object (0-136), read and created only in HANDOFF_MODE=lead. */
export type CrmObjectType = 'contacts' | 'companies' | 'deals' | 'notes' | 'tasks' | 'leads';

/** A record as read: its id and the properties asked for (unset ones as null). */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  /** For reads with history: newest first, as HubSpot returns it. */
  propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: string; sourceType?: string; sourceId?: string; updatedByUserId?: number }>>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
}

/** One past value of a property, parsed: `timestamp` in epoch ms. */
export interface PropertyHistoryPoint {
  value: string;
  timestamp: number;
  sourceType?: string;
  sourceId?: string;
}

/** A record read with history: today's values and, per property asked, its past newest first (HubSpot's order). */
export interface HistoryRecord {
  id: string;
  properties: Record<string, string | null>;
  histories: Record<string, PropertyHistoryPoint[]>;
}

export interface HistoryReadResult {
  records: HistoryRecord[];
  missing: string[];
}

export interface BatchReadResult {
  records: CrmRecord[];
  /** Ids HubSpot does not have (deleted, merged away, never existed): tombstones, not failures. */
  missing: string[];
}

/** One associated record: its id and HubSpot's association type ids (e.g. 1 = primary contact-to-company). */
export interface AssociatedRecord {
  id: string;
  typeIds: number[];
}

export interface RecordUpdate {
  id: string;
  properties: Record<string, string>;
}

/** The outcome of a batch write, record by record. */
export interface WriteResult {
  /** Ids written. */
  written: string[];
  /** Ids HubSpot does not have: tombstones. */
  missing: string[];
  /** Ids that cannot be written as asked (an unknown or read-only property, an invalid option): a dead letter naming why. */
  rejected: Array<{ id: string; error: string; properties: string[] }>;
}

export interface RecordCreate {
  properties: Record<string, string>;
  /** Associations to create with the record (v4 type ids, HUBSPOT_DEFINED). */
  associations?: Array<{ toId: string; typeId: number }>;
}

export interface DealStage {
  id: string;
  label: string;
  displayOrder: number;
  isClosed: boolean;
  /** From metadata.probability; 1 for won stages, 0 for lost ones. */
  probability: number | null;
}

export interface DealPipeline {
  id: string;
  label: string;
  stages: DealStage[];
}

/** A lead pipeline and its stages (`GET /crm/pipelines/{v}/leads`): portals rename stages and add their own. */
export interface LeadPipeline {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string }>;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: 'bool' | 'date' | 'datetime' | 'enumeration' | 'number' | 'string';
  fieldType: string;
  groupName: string;
  description?: string;
  options?: Array<{ label: string; value: string; displayOrder?: number; hidden?: boolean }>;
}

export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'BETWEEN' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchPage {
  records: CrmRecord[];
  total: number;
  after?: string;
}

/** A private app token as HubSpot describes it. Ids as strings; scopes sorted. */
export interface TokenInfo {
  hubId: string | null;
  appId: string | null;
  scopes: string[];
}

/** Calls made, by kind (`contacts.batch.read`, `associations.batch.read`, ...), for tests and benchmarks. */
export type CallCounts = Record<string, number>;

export interface CrmGateway {
  /** Batch read, 100 ids per call (50 when `propertiesWithHistory` is given). */
  read(objectType: CrmObjectType, ids: string[], properties: string[], propertiesWithHistory?: string[]): Promise<BatchReadResult>;
  /**
   * Batch read with `propertiesWithHistory` for every property asked, 50 ids per call (HubSpot's limit for
   * history reads), histories parsed with epoch-ms timestamps. For history replay (docs/replay.md).
   */
  readHistories(objectType: CrmObjectType, ids: string[], properties: string[]): Promise<HistoryReadResult>;
  /** Associations v4 batch read, 1,000 ids per call. Ids without associations map to []. */
  associations(from: CrmObjectType, to: CrmObjectType, ids: string[]): Promise<Map<string, AssociatedRecord[]>>;
  /** Batch update, 100 per call; 207 and whole-batch 400 isolated so one bad record never blocks the rest. */
  update(objectType: CrmObjectType, updates: RecordUpdate[]): Promise<WriteResult>;
  /** Batch create, 100 per call; returns the new ids in input order. */
  create(objectType: CrmObjectType, inputs: RecordCreate[]): Promise<string[]>;
  /** One page of all records, `limit` up to 100, for backfill. */
  page(objectType: CrmObjectType, properties: string[], after?: string, limit?: number): Promise<{ records: CrmRecord[]; after?: string }>;
  /** Search, on its own limiter (HubSpot's per-second search limit). */
  search(objectType: CrmObjectType, filters: SearchFilter[], properties: string[], options?: { after?: string; limit?: number; sort?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' } }): Promise<SearchPage>;
  /** Deal pipelines with stage metadata, cached for the gateway's lifetime (refresh with `refresh: true`). */
  dealPipelines(options?: { refresh?: boolean }): Promise<DealPipeline[]>;
  /** Lead pipelines with their stages, read each time (only `uld doctor` and the lead hand-off's checks ask). */
  leadPipelines(): Promise<LeadPipeline[]>;
  listProperties(objectType: CrmObjectType): Promise<PropertyDefinition[]>;
  createProperty(objectType: CrmObjectType, property: PropertyDefinition): Promise<void>;
  updateProperty(objectType: CrmObjectType, name: string, changes: Partial<Omit<PropertyDefinition, 'name' | 'type'>>): Promise<void>;
  ensurePropertyGroup(objectType: CrmObjectType, group: { name: string; label: string; displayOrder?: number }): Promise<'created' | 'exists'>;
  /** Calls made so far, by kind. */
  calls(): CallCounts;
}

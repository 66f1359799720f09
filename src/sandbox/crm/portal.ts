import { conflict, notFound } from '../errors';
import { AssociationStore, type AssociationKind } from './associations';
import { OBJECT_TYPE_INFO, OBJECT_TYPES, type ObjectType } from './object-types';
import { DEFAULT_LEAD_PIPELINE, PipelineRegistry } from './pipelines';
import { PropertySchema } from './schema';
import { derivedValues } from './derived';
import { ValidationRules } from './validation-rules';
import { checkWrite, dynamicOptions } from './write-check';
import type { CrmRecord, HistoryEntry, Owner, PortalChange, RecordSeed, WriteCheck, WriteSource } from './records';

export type { ChangeSource, CrmRecord, HistoryEntry, Owner, PortalChange, RecordSeed, WriteCheck, WriteSource } from './records';

const CALCULATED: WriteSource = { sourceType: 'CALCULATED' };

/**
 * The portal's state: records of every type, their property history, associations, pipelines, owners and
 * the property schema. Writes keep HubSpot's bookkeeping (create and last-modified dates, deal stage
 * entry dates, closed flags, lifecycle dates) and announce each change to listeners. Nothing here knows
 * about HTTP; the API routes, the generator and the simulator all write through this class.
 */
export class Portal {
  readonly schema: PropertySchema;
  readonly pipelines: PipelineRegistry;
  /** Lead pipelines (`GET /crm/pipelines/{v}/leads`): a portal with leads set up starts with `lead-pipeline-id`. */
  readonly leadPipelines: PipelineRegistry;
  readonly associations = new AssociationStore();
  /** The admin's validation rules, enforced by the 2026-09 write paths (see `validation-rules.ts`). */
  readonly validationRules = new ValidationRules();
  private readonly records = new Map<ObjectType, Map<string, CrmRecord>>();
  private readonly order = new Map<ObjectType, string[]>();
  private readonly nextId = new Map<ObjectType, number>();
  private readonly aliases = new Map<string, string>();
  private readonly emails = new Map<string, string>();
  private readonly listeners = new Set<(change: PortalChange) => void>();
  private owners: Owner[] = [];

  constructor(
    readonly portalId: number,
    readonly clock: () => number = Date.now,
  ) {
    this.pipelines = new PipelineRegistry(clock);
    this.leadPipelines = new PipelineRegistry(clock, DEFAULT_LEAD_PIPELINE);
    this.schema = new PropertySchema(clock, portalId, (type, name) => dynamicOptions(this, type, name));
    for (const type of OBJECT_TYPES) {
      this.records.set(type, new Map());
      this.order.set(type, []);
      this.nextId.set(type, OBJECT_TYPE_INFO[type].firstId);
    }
    this.pipelines.onStagesAdded((stageIds) => {
      for (const stage of stageIds) {
        for (const [prefix, label] of [
          ['hs_v2_date_entered_', 'Date entered'],
          ['hs_v2_date_exited_', 'Date exited'],
        ] as const) {
          this.schema.addBuiltIn('deals', { name: `${prefix}${stage}`, label: `${label} ${stage}`, type: 'datetime', fieldType: 'date', groupName: 'dealinformation', readOnly: true });
        }
      }
    });
  }

  /** Subscribes to every change; returns the unsubscribe function. */
  onChange(listener: (change: PortalChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setOwners(owners: Owner[]): void {
    this.owners = owners.map((o) => ({ ...o }));
  }

  listOwners(): Owner[] {
    return this.owners.filter((o) => !o.archived);
  }

  /** A live record by id (following merges), or undefined. Archived records need `includeArchived`. */
  get(type: ObjectType, id: string, { includeArchived = false } = {}): CrmRecord | undefined {
    const map = this.map(type);
    let record = map.get(id);
    const alias = this.aliases.get(`${type}:${id}`);
    if (record?.mergedInto && alias) record = map.get(alias);
    if (!record) return undefined;
    if (record.archived && !includeArchived) return undefined;
    return record;
  }

  /** Looks a record up by a unique property (`email` for contacts, `hs_object_id` for all). */
  findBy(type: ObjectType, property: string, value: string): CrmRecord | undefined {
    if (property === 'hs_object_id') return this.get(type, value);
    if (type === 'contacts' && property === 'email') {
      const id = this.emails.get(value.toLowerCase());
      return id ? this.get(type, id) : undefined;
    }
    for (const record of this.map(type).values()) if (!record.archived && record.properties[property] === value) return record;
    return undefined;
  }

  /** Ids in ascending order (the order lists page in), archived and merged ones included. */
  ids(type: ObjectType): readonly string[] {
    return this.order.get(type) as string[];
  }

  /** Every record of a type in id order; archived ones only when asked. */
  *all(type: ObjectType, { archived = false } = {}): IterableIterator<CrmRecord> {
    const map = this.map(type);
    for (const id of this.ids(type)) {
      const record = map.get(id) as CrmRecord;
      if (record.archived === archived && !record.mergedInto) yield record;
    }
  }

  count(type: ObjectType): number {
    let n = 0;
    for (const record of this.map(type).values()) if (!record.archived) n += 1;
    return n;
  }

  /**
   * Checks values written through the API: every property must exist, be writable and hold a valid value;
   * a deal's or lead's stage must belong to its pipeline. Returns the normalised values and every problem.
   */
  checkWrite(type: ObjectType, input: Record<string, unknown>, existing?: CrmRecord): WriteCheck {
    return checkWrite(this, type, input, existing);
  }

  /** An email already used by another live contact (HubSpot answers 409 "Contact already exists"). */
  emailOwner(email: string | undefined, exceptId?: string): string | undefined {
    if (!email) return undefined;
    const id = this.emails.get(email.toLowerCase());
    return id !== undefined && id !== exceptId && this.get('contacts', id) ? id : undefined;
  }

  /** Creates a record from checked values. Throws 409 for a duplicate contact email. */
  create(type: ObjectType, values: Record<string, string>, source: WriteSource, at = this.clock()): CrmRecord {
    const duplicate = type === 'contacts' ? this.emailOwner(values.email) : undefined;
    if (duplicate) throw conflict(`Contact already exists. Existing ID: ${duplicate}`, { context: { id: [duplicate] } });
    const id = this.allocateId(type);
    const info = OBJECT_TYPE_INFO[type];
    const record: CrmRecord = { type, id, properties: {}, origin: source, createdAt: at, updatedAt: at, archived: false, history: new Map() };
    this.insert(record);
    const initial: Record<string, string> = { hs_object_id: id, [info.createDateProperty]: new Date(at).toISOString(), ...values };
    if (type === 'deals' && !initial.pipeline) initial.pipeline = 'default';
    const createdAt = initial[info.createDateProperty] ? Date.parse(initial[info.createDateProperty] as string) : at;
    record.createdAt = Number.isNaN(createdAt) ? at : createdAt;
    this.emit({ kind: 'creation', objectType: type, objectId: id, occurredAt: at, source });
    this.applyValues(record, initial, source, at);
    return record;
  }

  /** Writes checked values to a record. Unchanged values are no-ops (no history, no event). */
  update(type: ObjectType, id: string, values: Record<string, string>, source: WriteSource, at = this.clock()): { record: CrmRecord; changed: string[] } {
    const record = this.get(type, id);
    if (!record) throw notFound(`Object not found. objectId are usually numeric.`, { context: { id: [id] } });
    if (type === 'contacts' && values.email !== undefined) {
      const duplicate = this.emailOwner(values.email, record.id);
      if (duplicate) throw conflict(`Contact already exists. Existing ID: ${duplicate}`, { context: { id: [duplicate] } });
    }
    const changed = this.applyValues(record, values, source, at);
    return { record, changed };
  }

  archive(type: ObjectType, id: string, source: WriteSource, at = this.clock()): boolean {
    const record = this.get(type, id);
    if (!record) return false;
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    if (type === 'contacts' && record.properties.email) this.emails.delete(record.properties.email.toLowerCase());
    this.emit({ kind: 'deletion', objectType: type, objectId: record.id, occurredAt: at, source });
    return true;
  }

  /**
   * Merges `mergedId` into `primaryId`: values the primary lacks are copied over, associations move, and
   * reads of the merged id answer with the primary record (HubSpot keeps the primary's id; the merged ids
   * are listed in `hs_merged_object_ids`).
   */
  merge(type: ObjectType, primaryId: string, mergedId: string, source: WriteSource, at = this.clock()): CrmRecord {
    const primary = this.get(type, primaryId);
    const merged = this.get(type, mergedId);
    if (!primary || !merged) throw notFound(`Object not found. objectId are usually numeric.`, { context: { id: [primary ? mergedId : primaryId] } });
    if (primary.id === merged.id) throw conflict('An object cannot be merged with itself');
    const moved: Record<string, string> = {};
    for (const [name, value] of Object.entries(merged.properties)) {
      const def = this.schema.get(type, name);
      if (!def || def.readOnlyValue || name === OBJECT_TYPE_INFO[type].createDateProperty) continue;
      if (primary.properties[name] === undefined) moved[name] = value;
    }
    if (type === 'contacts' && merged.properties.email) this.emails.delete(merged.properties.email.toLowerCase());
    merged.mergedInto = primary.id;
    merged.archived = true;
    merged.archivedAt = at;
    this.aliases.set(`${type}:${merged.id}`, primary.id);
    for (const [alias, target] of this.aliases) if (target === merged.id) this.aliases.set(alias, primary.id);
    this.associations.moveAll(type, merged.id, primary.id);
    const mergedIds = [...(primary.properties.hs_merged_object_ids?.split(';') ?? []), merged.id];
    if (this.schema.get(type, 'hs_merged_object_ids')) moved.hs_merged_object_ids = mergedIds.join(';');
    this.applyValues(primary, moved, source, at, true);
    this.emit({
      kind: 'merge',
      objectType: type,
      objectId: primary.id,
      primaryObjectId: primary.id,
      mergedObjectIds: [merged.id],
      newObjectId: primary.id,
      numberOfPropertiesMoved: Object.keys(moved).length - (moved.hs_merged_object_ids !== undefined ? 1 : 0),
      occurredAt: at,
      source,
    });
    return primary;
  }

  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, kind: AssociationKind, source: WriteSource, at = this.clock()): void {
    const { added, removed } = this.associations.add(fromType, fromId, toType, toId, kind);
    for (const edge of removed) this.emit({ kind: 'associationChange', edge, removed: true, occurredAt: at, source });
    for (const edge of added) this.emit({ kind: 'associationChange', edge, removed: false, occurredAt: at, source });
  }

  disassociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, source: WriteSource, at = this.clock()): void {
    for (const edge of this.associations.removeAll(fromType, fromId, toType, toId)) {
      this.emit({ kind: 'associationChange', edge, removed: true, occurredAt: at, source });
    }
  }

  /** Removes one association type (a label) between two records. */
  removeAssociationType(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, kind: AssociationKind, source: WriteSource, at = this.clock()): void {
    for (const edge of this.associations.removeType(fromType, fromId, toType, toId, kind)) this.emit({ kind: 'associationChange', edge, removed: true, occurredAt: at, source });
  }

  /** History of one property, oldest first (synthesised from the creation when never written since). */
  historyOf(record: CrmRecord, name: string): HistoryEntry[] {
    const explicit = record.history?.get(name);
    if (explicit && explicit.length > 0) return explicit;
    const value = record.properties[name];
    if (value === undefined) return [];
    return [{ value, timestamp: record.createdAt, sourceType: record.origin.sourceType, sourceId: record.origin.sourceId, updatedByUserId: record.origin.userId }];
  }

  /** The value a property had at a moment (search's eventual consistency reads the past). */
  valueAt(record: CrmRecord, name: string, at: number): string | undefined {
    const history = this.historyOf(record, name);
    let value: string | undefined;
    for (const entry of history) {
      if (entry.timestamp > at) break;
      value = entry.value === '' ? undefined : entry.value;
    }
    return value;
  }

  /**
   * Bulk load of generated records: values are trusted (already valid, derived properties included), no
   * change events are sent. Ids must be above every id already handed out for the type.
   */
  load(type: ObjectType, seeds: readonly RecordSeed[]): void {
    const defaultOrigin: WriteSource = { sourceType: 'IMPORT' };
    for (const seed of seeds) {
      const record: CrmRecord = {
        type,
        id: seed.id,
        properties: seed.properties,
        origin: seed.origin ?? defaultOrigin,
        createdAt: seed.createdAt,
        updatedAt: seed.updatedAt ?? seed.createdAt,
        archived: false,
      };
      if (seed.history) record.history = new Map(Object.entries(seed.history));
      this.insert(record);
    }
  }

  /** Creates an association without events (bulk load). */
  loadAssociation(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, kind: AssociationKind): void {
    this.associations.add(fromType, fromId, toType, toId, kind);
  }

  private insert(record: CrmRecord): void {
    const ids = this.order.get(record.type) as string[];
    const last = ids[ids.length - 1];
    if (last !== undefined && Number(record.id) <= Number(last)) throw new Error(`ids must grow: ${record.id} after ${last}`);
    this.map(record.type).set(record.id, record);
    ids.push(record.id);
    const numeric = Number(record.id);
    if (numeric >= (this.nextId.get(record.type) as number)) this.nextId.set(record.type, numeric + 1);
    if (record.type === 'contacts' && record.properties.email) this.emails.set(record.properties.email.toLowerCase(), record.id);
  }

  private allocateId(type: ObjectType): string {
    const id = this.nextId.get(type) as number;
    // Gaps between ids, as in a real portal: nothing may assume ids are consecutive.
    this.nextId.set(type, id + 1 + (id % 3));
    return String(id);
  }

  /**
   * Applies values and HubSpot's derived bookkeeping; records history and emits a propertyChange for
   * every value that actually changed. Returns the changed property names.
   */
  private applyValues(record: CrmRecord, values: Record<string, string>, source: WriteSource, at: number, internal = false): string[] {
    const changed: string[] = [];
    const previousStage = record.properties.dealstage;
    const previousLifecycle = record.properties.lifecyclestage;
    for (const [name, value] of Object.entries(values)) {
      if (this.setValue(record, name, value, source, at)) changed.push(name);
    }
    if (changed.length === 0 && !internal) return changed;
    const derived = derivedValues(record, { dealstage: previousStage, lifecyclestage: previousLifecycle }, this.pipelines, at);
    for (const [name, value] of Object.entries(derived)) {
      if (this.schema.get(record.type, name) && this.setValue(record, name, value, CALCULATED, at)) changed.push(name);
    }
    record.updatedAt = at;
    return changed;
  }

  private setValue(record: CrmRecord, name: string, value: string, source: WriteSource, at: number): boolean {
    const current = record.properties[name];
    if ((current ?? '') === value) return false;
    if (!record.history) record.history = new Map();
    let history = record.history.get(name);
    if (!history) {
      // The value from creation (or the generator) becomes the first explicit entry.
      history = this.historyOf(record, name).slice();
      record.history.set(name, history);
    }
    const entry: HistoryEntry = { value, timestamp: at, sourceType: source.sourceType };
    if (source.sourceId !== undefined) entry.sourceId = source.sourceId;
    if (source.userId !== undefined) entry.updatedByUserId = source.userId;
    history.push(entry);
    if (value === '') delete record.properties[name];
    else record.properties[name] = value;
    if (record.type === 'contacts' && name === 'email') {
      if (current) this.emails.delete(current.toLowerCase());
      if (value) this.emails.set(value.toLowerCase(), record.id);
    }
    this.emit({ kind: 'propertyChange', objectType: record.type, objectId: record.id, propertyName: name, propertyValue: value, occurredAt: at, source });
    return true;
  }

  private emit(change: PortalChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private map(type: ObjectType): Map<string, CrmRecord> {
    return this.records.get(type) as Map<string, CrmRecord>;
  }
}

import { ASSOCIATION_KINDS, type AssociationKind } from '../../crm/associations';
import { resolveObjectType, type ObjectType } from '../../crm/object-types';
import type { CrmRecord, Portal, WriteSource } from '../../crm/portal';
import { HubSpotHttpError, errorBody, notFound, propertyValuesMessage, validationError } from '../../errors';
import type { RouteContext, RouteEnv, Router } from '../router';
import { associationTypesParam, bodyObject, listParam, objectJson } from '../serialize';
import { addVersioned, prefix, requireMembers, shapeOf } from '../versions';
import { enforcedRules, throwIfRulesBroken } from './validation';

/** HubSpot caps list pages at 100 records, and at 50 when property histories are asked for. */
export const LIST_LIMIT = 100;
export const HISTORY_LIMIT = 50;

/** Resolves the `{objectType}` of a path, answering 404 as HubSpot does for a type it cannot infer. */
export function objectTypeParam(ctx: RouteContext, name = 'objectType'): ObjectType {
  const raw = ctx.params[name] as string;
  const type = resolveObjectType(raw);
  if (!type) throw notFound(`Unable to infer object type from: ${raw}`);
  return type;
}

/** Property values of a write body, which must be an object of strings (or numbers, which HubSpot accepts). */
export function propertiesOf(input: Record<string, unknown>): Record<string, unknown> {
  const properties = input.properties;
  if (properties === undefined) return {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) throw validationError('Invalid input JSON: "properties" must be an object');
  return properties as Record<string, unknown>;
}

/** Reads an object by id or by a unique property (`idProperty=email`). */
export function findRecord(portal: Portal, type: ObjectType, id: string, idProperty: string | null | undefined, includeArchived = false): CrmRecord | undefined {
  if (idProperty && idProperty !== 'hs_object_id') {
    const def = portal.schema.get(type, idProperty);
    if (!def || !def.hasUniqueValue) throw validationError(`${idProperty} is not a unique identifier property of ${type}`);
    return portal.findBy(type, idProperty, id);
  }
  return portal.get(type, id, { includeArchived });
}

/**
 * Creates the associations named in a create input (`associations: [{to: {id}, types: [{associationCategory,
 * associationTypeId}]}]`). The target type follows from the type id, as in HubSpot.
 */
/**
 * The associations of a create input, checked before anything is created: a create naming an unknown
 * association type or a record that does not exist is refused whole (400), with no record made, as any
 * other invalid create. A batch create checks every input first, so its 400 too has created nothing.
 */
export function checkInputAssociations(portal: Portal, type: ObjectType, raw: unknown): Array<{ kind: AssociationKind; toId: string }> {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw validationError('Invalid input JSON: "associations" must be an array');
  const links: Array<{ kind: AssociationKind; toId: string }> = [];
  for (const entry of raw as Array<{ to?: { id?: unknown }; types?: Array<{ associationTypeId?: unknown }> }>) {
    const toId = String(entry.to?.id ?? '');
    for (const t of entry.types ?? []) {
      const kind = ASSOCIATION_KINDS.find((k) => k.from === type && k.typeId === Number(t.associationTypeId));
      if (!kind) throw validationError(`${String(t.associationTypeId)} is not a valid association type id from ${type}`);
      if (!portal.get(kind.to, toId)) throw validationError(`Cannot associate with ${kind.to} ${toId}: it does not exist`, { context: { toObjectId: [toId] } });
      links.push({ kind, toId });
    }
  }
  if (type === 'leads' && !links.some((l) => l.kind.to === 'contacts')) throw leadWithoutContact();
  return links;
}

/**
 * HubSpot's leads guide: a new lead "must be associated with an existing contact", sent inline in the create
 * (public code adds that associating afterwards does not work). The error body HubSpot answers is not
 * documented; the sandbox answers a 400 VALIDATION_ERROR naming the rule and the fix (UNCONFIRMED wording).
 */
function leadWithoutContact(): HubSpotHttpError {
  return validationError('A lead must be associated with an existing contact when it is created: add an association to the contact (associationTypeId 578, HUBSPOT_DEFINED) to the create request', {
    subCategory: 'crm.leads.MISSING_PRIMARY_CONTACT_ASSOCIATION',
  });
}

/** Links a created record as its (checked) input asked. */
export function createInputAssociations(portal: Portal, type: ObjectType, id: string, links: ReturnType<typeof checkInputAssociations>, source: WriteSource): void {
  for (const { kind, toId } of links) portal.associate(type, id, kind.to, toId, kind, source);
}

/** Throws the whole-request 400 HubSpot gives for invalid values in a single-object write. */
export function throwIfInvalid(problems: ReturnType<Portal['checkWrite']>['problems']): void {
  if (problems.length > 0) throw new HubSpotHttpError(400, errorBody('VALIDATION_ERROR', propertyValuesMessage(problems)));
}

export function registerObjectRoutes(router: Router, env: RouteEnv): void {
  const { portal } = env;

  addVersioned(router, 'GET', 'objects', '/{objectType}', (ctx) => {
    const type = objectTypeParam(ctx);
    const withHistory = listParam(ctx.query, 'propertiesWithHistory');
    const max = withHistory && withHistory.length > 0 ? HISTORY_LIMIT : LIST_LIMIT;
    const limit = ctx.query.has('limit') ? Number(ctx.query.get('limit')) : 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > max) {
      throw validationError(`limit must be an integer from 1 to ${max}${max === HISTORY_LIMIT ? ' when propertiesWithHistory is requested' : ''}, got ${ctx.query.get('limit')}`);
    }
    const archived = ctx.query.get('archived') === 'true';
    const after = ctx.query.get('after');
    const ids = portal.ids(type);
    // `after` is the id of the first record of the next page (opaque to clients, numeric here).
    let start = 0;
    if (after) {
      const cursor = Number(after);
      if (!Number.isFinite(cursor)) throw validationError(`after must be a paging cursor returned by a previous page, got ${after}`);
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (Number(ids[mid]) < cursor) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const results: CrmRecord[] = [];
    let next: string | undefined;
    for (let i = start; i < ids.length; i += 1) {
      const record = portal.get(type, ids[i] as string, { includeArchived: true });
      if (!record || record.id !== ids[i] || record.archived !== archived) continue;
      if (results.length === limit) {
        next = record.id;
        break;
      }
      results.push(record);
    }
    const view = { properties: listParam(ctx.query, 'properties'), propertiesWithHistory: withHistory, associations: associationTypesParam(ctx.query) };
    const body: Record<string, unknown> = { results: results.map((r) => objectJson(portal, r, view)) };
    if (next !== undefined) {
      body.paging = { next: { after: next, link: `${ctx.baseUrl}${prefix('objects', ctx.apiVersion)}/${ctx.params.objectType}?after=${next}&limit=${limit}` } };
    }
    return { status: 200, body };
  });

  addVersioned(router, 'POST', 'objects', '/{objectType}', (ctx) => {
    const type = objectTypeParam(ctx);
    const input = bodyObject(ctx.body);
    // 2026-09's create body is SimplePublicObjectInputForCreate with `associations` required, as in batch create.
    requireMembers(input, shapeOf(ctx.apiVersion).createInputRequired, 'SimplePublicObjectInputForCreate');
    const { values, problems } = portal.checkWrite(type, propertiesOf(input));
    throwIfInvalid(problems);
    throwIfRulesBroken(enforcedRules(ctx, portal, type, { values }));
    const links = checkInputAssociations(portal, type, input.associations);
    const record = portal.create(type, values, ctx.source);
    createInputAssociations(portal, type, record.id, links, ctx.source);
    return { status: 201, body: objectJson(portal, record, { properties: Object.keys(values) }) };
  });

  addVersioned(router, 'GET', 'objects', '/{objectType}/{objectId}', (ctx) => {
    const type = objectTypeParam(ctx);
    const archived = ctx.query.get('archived') === 'true';
    const record = findRecord(portal, type, ctx.params.objectId as string, ctx.query.get('idProperty'), archived);
    if (!record || record.archived !== archived) throw notFound(`Object not found. objectId are usually numeric.`, { context: { id: [ctx.params.objectId as string] } });
    const view = { properties: listParam(ctx.query, 'properties'), propertiesWithHistory: listParam(ctx.query, 'propertiesWithHistory'), associations: associationTypesParam(ctx.query) };
    return { status: 200, body: objectJson(portal, record, view) };
  });

  addVersioned(router, 'PATCH', 'objects', '/{objectType}/{objectId}', (ctx) => {
    const type = objectTypeParam(ctx);
    const record = findRecord(portal, type, ctx.params.objectId as string, ctx.query.get('idProperty'));
    if (!record) throw notFound(`Object not found. objectId are usually numeric.`, { context: { id: [ctx.params.objectId as string] } });
    const { values, problems } = portal.checkWrite(type, propertiesOf(bodyObject(ctx.body)), record);
    throwIfInvalid(problems);
    throwIfRulesBroken(enforcedRules(ctx, portal, type, { before: record.properties, values }));
    portal.update(type, record.id, values, ctx.source);
    return { status: 200, body: objectJson(portal, record, { properties: Object.keys(values) }) };
  });

  addVersioned(router, 'DELETE', 'objects', '/{objectType}/{objectId}', (ctx) => {
    const type = objectTypeParam(ctx);
    // HubSpot answers 204 whether or not the record still existed.
    portal.archive(type, ctx.params.objectId as string, ctx.source);
    return { status: 204 };
  });

  addVersioned(router, 'POST', 'objects', '/{objectType}/merge', (ctx) => {
    const type = objectTypeParam(ctx);
    const input = bodyObject(ctx.body);
    const primaryId = String(input.primaryObjectId ?? '');
    const mergedId = String(input.objectIdToMerge ?? '');
    if (!primaryId || !mergedId) throw validationError('primaryObjectId and objectIdToMerge are required');
    const primary = portal.merge(type, primaryId, mergedId, ctx.source);
    return { status: 200, body: objectJson(portal, primary, { properties: Object.keys(primary.properties) }) };
  });
}

import { OBJECT_TYPE_INFO, type ObjectType } from '../../crm/object-types';
import type { CrmRecord } from '../../crm/portal';
import { HubSpotHttpError, batchError, errorBody, propertyValuesMessage, validationError, type PropertyValueError } from '../../errors';
import type { RouteContext, RouteEnv, Router, SandboxBehaviour } from '../router';
import { batchEnvelope, bodyObject, inputsOf, objectJson } from '../serialize';
import { addVersioned, partialFailureStatus, requireMembers, shapeOf } from '../versions';
import { HISTORY_LIMIT, checkInputAssociations, createInputAssociations, findRecord, objectTypeParam, propertiesOf } from './objects';
import { enforcedRules, rulesBatchError, rulesRejected } from './validation';
import type { RuleViolation } from '../../crm/validation-rules';

/** HubSpot's batch read/create/update/upsert/archive endpoints take at most 100 inputs. */
export const BATCH_LIMIT = 100;

/** One input of a batch write after checking, before anything is written. */
interface CheckedInput {
  index: number;
  traceId?: string;
  record?: CrmRecord;
  values: Record<string, string>;
  problems: PropertyValueError[];
  /** Portal validation rules the input breaks (2026-09 paths only). */
  violations: RuleViolation[];
  missingId?: string;
  duplicateOf?: string;
  raw: Record<string, unknown>;
}

function traceIdOf(input: Record<string, unknown>): string | undefined {
  return typeof input.objectWriteTraceId === 'string' ? input.objectWriteTraceId : undefined;
}

function perInputValidation(mode: SandboxBehaviour['invalidProperties'], inputs: CheckedInput[]): boolean {
  if (mode === 'per-input') return true;
  if (mode === 'whole-batch') return false;
  return inputs.length > 0 && inputs.every((i) => i.traceId !== undefined);
}

function traceContext(input: CheckedInput, extra: Record<string, string[]> = {}): Record<string, string[]> {
  return input.traceId !== undefined ? { ...extra, objectWriteTraceId: [input.traceId] } : extra;
}

/**
 * Turns the problems of a checked batch into HubSpot's answer: either throws the whole-batch error or
 * returns the per-input errors (207) and the inputs that may be written.
 */
function settleProblems(type: ObjectType, behaviour: SandboxBehaviour, checked: CheckedInput[]): { writable: CheckedInput[]; errors: unknown[] } {
  const errors: unknown[] = [];
  const perInput = perInputValidation(behaviour.invalidProperties, checked);
  const invalid = checked.filter((c) => c.problems.length > 0);
  if (invalid.length > 0 && !perInput) {
    throw new HubSpotHttpError(400, errorBody('VALIDATION_ERROR', propertyValuesMessage(invalid.flatMap((c) => c.problems))));
  }
  const breaking = checked.filter((c) => c.violations.length > 0);
  if (breaking.length > 0 && !perInputValidation(behaviour.validationRules, checked)) throw rulesRejected(breaking.flatMap((c) => c.violations));
  const missing = checked.filter((c) => c.missingId !== undefined);
  if (missing.length > 0 && behaviour.missingIds === 'whole-batch') {
    throw validationError(`Could not get some ${OBJECT_TYPE_INFO[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`, {
      context: { ids: missing.map((m) => m.missingId as string) },
    });
  }
  const duplicates = checked.filter((c) => c.duplicateOf !== undefined);
  if (duplicates.length > 0 && !perInput) {
    throw new HubSpotHttpError(409, errorBody('CONFLICT', `Contact already exists. Existing ID: ${duplicates[0]?.duplicateOf}`, { context: { id: [duplicates[0]?.duplicateOf as string] } }));
  }
  for (const c of invalid) {
    errors.push(
      batchError('VALIDATION_ERROR', propertyValuesMessage(c.problems), traceContext(c, c.record ? { ids: [c.record.id] } : {}), {
        errors: c.problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
      }),
    );
  }
  for (const c of breaking) errors.push(rulesBatchError(c.violations, traceContext(c, c.record ? { ids: [c.record.id] } : {})));
  if (missing.length > 0) {
    errors.push(notFoundIds(type, missing.map((m) => m.missingId as string)));
  }
  for (const c of duplicates) {
    errors.push(batchError('CONFLICT', `Contact already exists. Existing ID: ${c.duplicateOf}`, traceContext(c, { id: [c.duplicateOf as string] })));
  }
  const writable = checked.filter((c) => c.problems.length === 0 && c.violations.length === 0 && c.missingId === undefined && c.duplicateOf === undefined);
  return { writable, errors };
}

/** HubSpot reports every missing id of a batch in one OBJECT_NOT_FOUND error. */
function notFoundIds(type: ObjectType, ids: string[]): ReturnType<typeof batchError> {
  return batchError('OBJECT_NOT_FOUND', `Could not get some ${OBJECT_TYPE_INFO[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`, { ids });
}

function rejectDuplicateIds(ids: string[]): void {
  const seen = new Set<string>();
  const repeated = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (repeated.length > 0) throw validationError(`Duplicate IDs found in batch input: [${[...new Set(repeated)].join(', ')}]. IDs must be unique`);
}

export function registerBatchRoutes(router: Router, env: RouteEnv): void {
  const { portal, behaviour } = env;

  addVersioned(router, 'POST', 'objects', '/{objectType}/batch/read', (ctx) => {
    const type = objectTypeParam(ctx);
    const startedAt = Date.now();
    const body = bodyObject(ctx.body);
    requireMembers(body, shapeOf(ctx.apiVersion).batchReadRequired, 'BatchReadInputSimplePublicObjectId');
    const propertiesWithHistory = Array.isArray(body.propertiesWithHistory) ? body.propertiesWithHistory.map(String) : [];
    if (propertiesWithHistory.length > 0 && Array.isArray(body.inputs) && body.inputs.length > HISTORY_LIMIT) {
      // Word for word HubSpot's message (seen in integrations hitting the cap).
      throw validationError(`The maximum number of inputs supported in a batch request for property histories is ${HISTORY_LIMIT}. Please reduce the number of items and try again`);
    }
    const inputs = inputsOf(ctx.body, BATCH_LIMIT);
    const properties = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const archived = ctx.query.get('archived') === 'true';
    const results: unknown[] = [];
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const input of inputs) {
      const id = String(input.id ?? '');
      const record = findRecord(portal, type, id, idProperty, archived);
      if (!record || record.archived !== archived) {
        missing.push(id);
        continue;
      }
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      results.push(objectJson(portal, record, { properties: properties && properties.length > 0 ? properties : undefined, propertiesWithHistory }));
    }
    const errors = missing.length === 0 ? [] : [notFoundIds(type, missing)];
    return batchEnvelope(results, errors, startedAt, 200, partialFailureStatus(ctx.apiVersion, behaviour, 200));
  });

  addVersioned(router, 'POST', 'objects', '/{objectType}/batch/create', (ctx) => {
    const type = objectTypeParam(ctx);
    const startedAt = Date.now();
    const inputs = inputsOf(ctx.body, BATCH_LIMIT);
    for (const input of inputs) requireMembers(input, shapeOf(ctx.apiVersion).createInputRequired, 'SimplePublicObjectInputForCreate');
    const emails = new Map<string, number>();
    // Every input's associations are checked before any record is made: their 400 leaves nothing created.
    const links = inputs.map((raw) => checkInputAssociations(portal, type, raw.associations));
    const checked: CheckedInput[] = inputs.map((raw, index) => {
      const { values, problems } = portal.checkWrite(type, propertiesOf(raw));
      const violations = problems.length === 0 ? enforcedRules(ctx, portal, type, { values }) : [];
      const c: CheckedInput = { index, values, problems, violations, raw };
      const traceId = traceIdOf(raw);
      if (traceId !== undefined) c.traceId = traceId;
      if (type === 'contacts' && values.email) {
        const key = values.email.toLowerCase();
        const earlier = emails.get(key);
        const existing = portal.emailOwner(values.email);
        if (existing) c.duplicateOf = existing;
        else if (earlier !== undefined) c.duplicateOf = `input ${earlier}`;
        else emails.set(key, index);
      }
      return c;
    });
    const { writable, errors } = settleProblems(type, behaviour, checked);
    const results = writable.map((c) => {
      const record = portal.create(type, c.values, ctx.source);
      createInputAssociations(portal, type, record.id, links[c.index] ?? [], ctx.source);
      return objectJson(portal, record, { properties: Object.keys(c.values), ...(c.traceId !== undefined ? { objectWriteTraceId: c.traceId } : {}) });
    });
    return batchEnvelope(results, errors, startedAt, 201, partialFailureStatus(ctx.apiVersion, behaviour, 201));
  });

  addVersioned(router, 'POST', 'objects', '/{objectType}/batch/update', (ctx) => updateBatch(ctx, false));
  addVersioned(router, 'POST', 'objects', '/{objectType}/batch/upsert', (ctx) => updateBatch(ctx, true));

  function updateBatch(ctx: RouteContext, upsert: boolean): { status: number; body: Record<string, unknown> } {
    const type = objectTypeParam(ctx);
    const startedAt = Date.now();
    const inputs = inputsOf(ctx.body, BATCH_LIMIT);
    rejectDuplicateIds(inputs.map((i) => String(i.id ?? '')));
    const checked: CheckedInput[] = inputs.map((raw, index) => {
      const id = String(raw.id ?? '');
      const idProperty = typeof raw.idProperty === 'string' ? raw.idProperty : undefined;
      if (upsert && (!idProperty || idProperty === 'hs_object_id')) throw validationError('Upsert inputs need an idProperty naming a unique property (such as email)');
      const record = findRecord(portal, type, id, idProperty);
      const properties = propertiesOf(raw);
      const { values, problems } = portal.checkWrite(type, upsert && !record && idProperty ? { [idProperty]: id, ...properties } : properties, record);
      const violations = problems.length === 0 && (record || upsert) ? enforcedRules(ctx, portal, type, record ? { before: record.properties, values } : { values }) : [];
      const c: CheckedInput = { index, values, problems, violations, raw };
      const traceId = traceIdOf(raw);
      if (traceId !== undefined) c.traceId = traceId;
      if (record) c.record = record;
      else if (!upsert) c.missingId = id;
      return c;
    });
    const { writable, errors } = settleProblems(type, behaviour, checked);
    const results = writable.map((c) => {
      const created = !c.record;
      const record = c.record ? portal.update(type, c.record.id, c.values, ctx.source).record : portal.create(type, c.values, ctx.source);
      const json: Record<string, unknown> = { ...objectJson(portal, record, { properties: Object.keys(c.values), ...(c.traceId !== undefined ? { objectWriteTraceId: c.traceId } : {}) }) };
      if (upsert) json.new = created;
      return json;
    });
    return batchEnvelope(results, errors, startedAt, 200, partialFailureStatus(ctx.apiVersion, behaviour, 200));
  }

  addVersioned(router, 'POST', 'objects', '/{objectType}/batch/archive', (ctx) => {
    const type = objectTypeParam(ctx);
    for (const input of inputsOf(ctx.body, BATCH_LIMIT)) portal.archive(type, String(input.id ?? ''), ctx.source);
    return { status: 204 };
  });
}

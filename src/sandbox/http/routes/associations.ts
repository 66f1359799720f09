import { associationKind, defaultKind, type AssociationKind } from '../../crm/associations';
import { OBJECT_TYPE_INFO, type ObjectType } from '../../crm/object-types';
import type { Portal } from '../../crm/portal';
import { batchError, validationError } from '../../errors';
import type { ApiVersion, RouteContext, RouteEnv, Router } from '../router';
import { batchEnvelope, inputsOf } from '../serialize';
import { addVersioned, partialFailureStatus, shapeOf } from '../versions';
import { objectTypeParam } from './objects';

/**
 * Associations v4 and their date-versioned successors (`/crm/associations/{2026-03|2026-09}/...`). Limits:
 * batch read takes at most 1,000 inputs (HubSpot changelog, effective 2025-02-10; assumed for the dated
 * versions too); the other batch calls are held to the usual 100 (HubSpot's exact cap there is
 * unconfirmed). `toObjectId` is a JSON number (HubSpot's examples show `"toObjectId": 12675602284`) even
 * though the specs type it as a string; `from.id` is a string.
 */
export const ASSOCIATION_READ_LIMIT = 1000;
export const ASSOCIATION_WRITE_LIMIT = 100;

export interface AssociationTypeJson {
  category: string;
  typeId: number;
  label: string | null;
  fromObjectTypeId?: string;
  toObjectTypeId?: string;
}

/** One association type as the version shows it (2026-03 adds the object type ids, see `VersionShape`). */
export function typeSpec(kind: AssociationKind, version: ApiVersion): AssociationTypeJson {
  const spec: AssociationTypeJson = { category: 'HUBSPOT_DEFINED', typeId: kind.typeId, label: kind.primary ? 'Primary' : null };
  if (shapeOf(version).associationTypeObjectIds) {
    spec.fromObjectTypeId = OBJECT_TYPE_INFO[kind.from].typeId;
    spec.toObjectTypeId = OBJECT_TYPE_INFO[kind.to].typeId;
  }
  return spec;
}

/** Live targets of one record, grouped per target with every association type between them. */
export function targetsOf(portal: Portal, from: ObjectType, fromId: string, to: ObjectType, version: ApiVersion): Array<{ toObjectId: number; associationTypes: AssociationTypeJson[] }> {
  if (!portal.get(from, fromId)) return [];
  return portal.associations
    .list(from, fromId, to)
    .filter((t) => portal.get(to, t.toId) !== undefined)
    .map((t) => ({ toObjectId: Number(t.toId), associationTypes: t.kinds.map((k) => typeSpec(k, version)) }));
}

export function kindsOf(from: ObjectType, to: ObjectType, raw: unknown): AssociationKind[] {
  if (!Array.isArray(raw) || raw.length === 0) throw validationError('Each association needs at least one type ({associationCategory, associationTypeId})');
  return raw.map((spec: { associationCategory?: unknown; associationTypeId?: unknown }) => {
    const kind = associationKind(from, to, Number(spec.associationTypeId));
    if (!kind || (spec.associationCategory !== undefined && spec.associationCategory !== 'HUBSPOT_DEFINED')) {
      throw validationError(`${String(spec.associationCategory)} ${String(spec.associationTypeId)} is not a valid association type from ${from} to ${to}`);
    }
    return kind;
  });
}

export function labelsBetween(portal: Portal, from: ObjectType, fromId: string, to: ObjectType, toId: string): Record<string, unknown> {
  const kinds = portal.associations.list(from, fromId, to).find((t) => t.toId === toId)?.kinds ?? [];
  return {
    fromObjectTypeId: OBJECT_TYPE_INFO[from].typeId,
    fromObjectId: Number(fromId),
    toObjectTypeId: OBJECT_TYPE_INFO[to].typeId,
    toObjectId: Number(toId),
    labels: kinds.filter((k) => k.primary).map(() => 'Primary'),
  };
}

function missing(from: ObjectType, id: string): ReturnType<typeof batchError> {
  return batchError('OBJECT_NOT_FOUND', `No ${OBJECT_TYPE_INFO[from].singular} with id ${id} exists.`, { id: [id] });
}

function pairOf(input: Record<string, unknown>): { fromId: string; toId: string } {
  return { fromId: String((input.from as { id?: unknown } | undefined)?.id ?? ''), toId: String((input.to as { id?: unknown } | undefined)?.id ?? '') };
}

/**
 * The paging cursor of one input's associations: opaque to clients (HubSpot's look like `MC0yLTc1MDI%3D`),
 * here the base64url of the offset of the next page.
 */
function encodeAfter(offset: number): string {
  return Buffer.from(`page-${offset}`).toString('base64url');
}

function decodeAfter(after: unknown, id: string): number {
  const match = typeof after === 'string' ? /^page-(\d+)$/.exec(Buffer.from(after, 'base64url').toString('utf8')) : null;
  if (!match) throw validationError(`after must be the paging.next.after returned for input ${id}, got ${JSON.stringify(after)}`, { context: { after: [String(after)] } });
  return Number(match[1]);
}

/** The answer to an association archive: v4's 204 No Content, or from 2026-03 on a 200 BatchResponse(Void). */
function archived(ctx: RouteContext, startedAt: number): { status: number; body?: unknown } {
  return shapeOf(ctx.apiVersion).associationArchiveAnswersBody ? batchEnvelope([], [], startedAt) : { status: 204 };
}

export function registerAssociationRoutes(router: Router, env: RouteEnv): void {
  const { portal, behaviour } = env;

  /**
   * Pages per input, as HubSpot does: `inputs: [{id, after?}]`, each result `{from, to, paging?}` with
   * `paging.next.after` only when that input has more (the spec: "The 'paging' field will only be present
   * if there are more pages"). The page size is `behaviour.associationPageSize` (see SandboxBehaviour).
   */
  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/read', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const startedAt = Date.now();
    const pageSize = behaviour.associationPageSize;
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputsOf(ctx.body, ASSOCIATION_READ_LIMIT, 'a batch association read')) {
      const id = String(input.id ?? '');
      const start = input.after === undefined || input.after === null ? 0 : decodeAfter(input.after, id);
      const targets = targetsOf(portal, from, id, to, ctx.apiVersion);
      if (targets.length === 0) {
        // HubSpot answers an input without associations with this error (207), not an empty result.
        errors.push(
          batchError(
            'OBJECT_NOT_FOUND',
            `No ${OBJECT_TYPE_INFO[to].singular} is associated with ${OBJECT_TYPE_INFO[from].singular} ${id}.`,
            { fromObjectId: [id], fromObjectType: [OBJECT_TYPE_INFO[from].singular], toObjectType: [OBJECT_TYPE_INFO[to].singular] },
            { subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND' },
          ),
        );
        continue;
      }
      const result: Record<string, unknown> = { from: { id }, to: targets.slice(start, start + pageSize) };
      if (start + pageSize < targets.length) result.paging = { next: { after: encodeAfter(start + pageSize) } };
      results.push(result);
    }
    return batchEnvelope(results, errors, startedAt, 200, partialFailureStatus(ctx.apiVersion, behaviour, 200));
  });

  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/create', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const startedAt = Date.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    const inputs = inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT).map((input) => ({ ...pairOf(input), kinds: kindsOf(from, to, input.types) }));
    for (const { fromId, toId, kinds } of inputs) {
      if (!portal.get(from, fromId)) errors.push(missing(from, fromId));
      else if (!portal.get(to, toId)) errors.push(missing(to, toId));
      else {
        for (const kind of kinds) portal.associate(from, fromId, to, toId, kind, ctx.source);
        results.push(labelsBetween(portal, from, fromId, to, toId));
      }
    }
    const ok = shapeOf(ctx.apiVersion).associationCreateStatus;
    return batchEnvelope(results, errors, startedAt, ok, partialFailureStatus(ctx.apiVersion, behaviour, ok));
  });

  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/associate/default', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const kind = defaultKind(from, to);
    if (!kind) throw validationError(`There is no default association from ${from} to ${to}`);
    const startedAt = Date.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const { fromId, toId } of inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT).map(pairOf)) {
      if (!portal.get(from, fromId)) errors.push(missing(from, fromId));
      else if (!portal.get(to, toId)) errors.push(missing(to, toId));
      else {
        portal.associate(from, fromId, to, toId, kind, ctx.source);
        results.push({ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: kind.typeId } });
      }
    }
    return batchEnvelope(results, errors, startedAt, 200, partialFailureStatus(ctx.apiVersion, behaviour, 200));
  });

  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/archive', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const startedAt = Date.now();
    for (const input of inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT)) {
      const fromId = String((input.from as { id?: unknown } | undefined)?.id ?? '');
      const targets = Array.isArray(input.to) ? (input.to as Array<{ id?: unknown }>) : [];
      for (const target of targets) portal.disassociate(from, fromId, to, String(target.id ?? ''), ctx.source);
    }
    return archived(ctx, startedAt);
  });

  /** Removes the named types (labels) of each pair; removing the unlabeled type removes the pair. */
  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/labels/archive', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const startedAt = Date.now();
    const inputs = inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT).map((input) => ({ ...pairOf(input), kinds: kindsOf(from, to, input.types) }));
    for (const { fromId, toId, kinds } of inputs) {
      for (const kind of kinds) portal.removeAssociationType(from, fromId, to, toId, kind, ctx.source);
    }
    return archived(ctx, startedAt);
  });
}

import { associationKind, defaultKind, type AssociationKind } from '../../crm/associations';
import { OBJECT_TYPE_INFO, type ObjectType } from '../../crm/object-types';
import type { Portal } from '../../crm/portal';
import { batchError, notFound, validationError } from '../../errors';
import type { RouteEnv, Router } from '../router';
import { batchEnvelope, inputsOf } from '../serialize';
import { addVersioned } from '../versions';
import { objectTypeParam } from './objects';

/**
 * Associations v4. Limits: batch read takes at most 1,000 inputs (HubSpot changelog, effective
 * 2025-02-10); the other batch calls are held to the usual 100 (HubSpot's exact cap there is unconfirmed).
 * In v4 answers `toObjectId` is a JSON number (HubSpot's examples show `"toObjectId": 12675602284`) even
 * though the SDK's model types it as a string; `from.id` is a string.
 */
export const ASSOCIATION_READ_LIMIT = 1000;
export const ASSOCIATION_WRITE_LIMIT = 100;

function typeSpec(kind: AssociationKind): { category: string; typeId: number; label: string | null } {
  return { category: 'HUBSPOT_DEFINED', typeId: kind.typeId, label: kind.primary ? 'Primary' : null };
}

/** Live targets of one record, grouped per target with every association type between them. */
function targetsOf(portal: Portal, from: ObjectType, fromId: string, to: ObjectType): Array<{ toObjectId: number; associationTypes: ReturnType<typeof typeSpec>[] }> {
  if (!portal.get(from, fromId)) return [];
  return portal.associations
    .list(from, fromId, to)
    .filter((t) => portal.get(to, t.toId) !== undefined)
    .map((t) => ({ toObjectId: Number(t.toId), associationTypes: t.kinds.map(typeSpec) }));
}

function kindsOf(from: ObjectType, to: ObjectType, raw: unknown): AssociationKind[] {
  if (!Array.isArray(raw) || raw.length === 0) throw validationError('Each association needs at least one type ({associationCategory, associationTypeId})');
  return raw.map((spec: { associationCategory?: unknown; associationTypeId?: unknown }) => {
    const kind = associationKind(from, to, Number(spec.associationTypeId));
    if (!kind || (spec.associationCategory !== undefined && spec.associationCategory !== 'HUBSPOT_DEFINED')) {
      throw validationError(`${String(spec.associationCategory)} ${String(spec.associationTypeId)} is not a valid association type from ${from} to ${to}`);
    }
    return kind;
  });
}

function labelsBetween(portal: Portal, from: ObjectType, fromId: string, to: ObjectType, toId: string): Record<string, unknown> {
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

export function registerAssociationRoutes(router: Router, env: RouteEnv): void {
  const { portal } = env;

  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/read', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const startedAt = Date.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputsOf(ctx.body, ASSOCIATION_READ_LIMIT, 'a batch association read')) {
      const id = String(input.id ?? '');
      const targets = targetsOf(portal, from, id, to);
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
      } else {
        results.push({ from: { id }, to: targets });
      }
    }
    return batchEnvelope(results, errors, startedAt);
  });

  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/create', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const startedAt = Date.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    const inputs = inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT).map((input) => {
      const fromId = String((input.from as { id?: unknown } | undefined)?.id ?? '');
      const toId = String((input.to as { id?: unknown } | undefined)?.id ?? '');
      return { fromId, toId, kinds: kindsOf(from, to, input.types) };
    });
    for (const { fromId, toId, kinds } of inputs) {
      if (!portal.get(from, fromId)) errors.push(missing(from, fromId));
      else if (!portal.get(to, toId)) errors.push(missing(to, toId));
      else {
        for (const kind of kinds) portal.associate(from, fromId, to, toId, kind, ctx.source);
        results.push(labelsBetween(portal, from, fromId, to, toId));
      }
    }
    return batchEnvelope(results, errors, startedAt, 201);
  });

  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/associate/default', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const kind = defaultKind(from, to);
    if (!kind) throw validationError(`There is no default association from ${from} to ${to}`);
    const startedAt = Date.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT)) {
      const fromId = String((input.from as { id?: unknown } | undefined)?.id ?? '');
      const toId = String((input.to as { id?: unknown } | undefined)?.id ?? '');
      if (!portal.get(from, fromId)) errors.push(missing(from, fromId));
      else if (!portal.get(to, toId)) errors.push(missing(to, toId));
      else {
        portal.associate(from, fromId, to, toId, kind, ctx.source);
        results.push({ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: kind.typeId } });
      }
    }
    return batchEnvelope(results, errors, startedAt);
  });

  addVersioned(router, 'POST', 'associations', '/{fromObjectType}/{toObjectType}/batch/archive', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    for (const input of inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT)) {
      const fromId = String((input.from as { id?: unknown } | undefined)?.id ?? '');
      const targets = Array.isArray(input.to) ? (input.to as Array<{ id?: unknown }>) : [];
      for (const target of targets) portal.disassociate(from, fromId, to, String(target.id ?? ''), ctx.source);
    }
    return { status: 204 };
  });

  addVersioned(router, 'GET', 'recordAssociations', '/{objectType}/{objectId}/associations/{toObjectType}', (ctx) => {
    const from = objectTypeParam(ctx);
    const to = objectTypeParam(ctx, 'toObjectType');
    const id = ctx.params.objectId as string;
    if (!portal.get(from, id)) throw notFound(`No ${OBJECT_TYPE_INFO[from].singular} with id ${id} exists.`);
    const limit = ctx.query.has('limit') ? Number(ctx.query.get('limit')) : 500;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validationError(`limit must be an integer from 1 to 500, got ${ctx.query.get('limit')}`);
    const all = targetsOf(portal, from, id, to);
    const start = Number(ctx.query.get('after') ?? 0) || 0;
    const body: Record<string, unknown> = { results: all.slice(start, start + limit) };
    if (start + limit < all.length) body.paging = { next: { after: String(start + limit) } };
    return { status: 200, body };
    // In 2026-03, missing from the 2026-09 associations spec (only 2026-09-beta has it): 404 on 2026-09.
  }, { versions: ['legacy', '2026-03'] });

  addVersioned(router, 'PUT', 'recordAssociations', '/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    const fromId = ctx.params.fromObjectId as string;
    const toId = ctx.params.toObjectId as string;
    const kind = defaultKind(from, to);
    if (!kind) throw validationError(`There is no default association from ${from} to ${to}`);
    if (!portal.get(from, fromId) || !portal.get(to, toId)) throw notFound(`Cannot associate ${from} ${fromId} with ${to} ${toId}: not found`);
    portal.associate(from, fromId, to, toId, kind, ctx.source);
    const startedAt = Date.now();
    return batchEnvelope([{ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: kind.typeId } }], [], startedAt);
  });

  addVersioned(router, 'PUT', 'recordAssociations', '/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}', (ctx) => {
    const from = objectTypeParam(ctx);
    const to = objectTypeParam(ctx, 'toObjectType');
    const fromId = ctx.params.objectId as string;
    const toId = ctx.params.toObjectId as string;
    const kinds = kindsOf(from, to, ctx.body);
    if (!portal.get(from, fromId) || !portal.get(to, toId)) throw notFound(`Cannot associate ${from} ${fromId} with ${to} ${toId}: not found`);
    for (const kind of kinds) portal.associate(from, fromId, to, toId, kind, ctx.source);
    return { status: 201, body: labelsBetween(portal, from, fromId, to, toId) };
  });

  addVersioned(router, 'DELETE', 'recordAssociations', '/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}', (ctx) => {
    portal.disassociate(objectTypeParam(ctx), ctx.params.objectId as string, objectTypeParam(ctx, 'toObjectType'), ctx.params.toObjectId as string, ctx.source);
    return { status: 204 };
  });
}

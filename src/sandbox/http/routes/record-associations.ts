import { ASSOCIATION_KINDS, defaultKind } from '../../crm/associations';
import { OBJECT_TYPE_INFO } from '../../crm/object-types';
import { notFound, validationError } from '../../errors';
import type { RouteEnv, Router } from '../router';
import { batchEnvelope } from '../serialize';
import { addVersioned } from '../versions';
import { kindsOf, labelsBetween, targetsOf, typeSpec } from './associations';
import { objectTypeParam } from './objects';

/**
 * One record's associations (`/crm/v4/objects/...`, `/crm/objects/{2026-03|2026-09}/...`) and the
 * association types between two object types (`.../labels`).
 */
export function registerRecordAssociationRoutes(router: Router, env: RouteEnv): void {
  const { portal } = env;

  addVersioned(
    router,
    'GET',
    'recordAssociations',
    '/{objectType}/{objectId}/associations/{toObjectType}',
    (ctx) => {
      const from = objectTypeParam(ctx);
      const to = objectTypeParam(ctx, 'toObjectType');
      const id = ctx.params.objectId as string;
      if (!portal.get(from, id)) throw notFound(`No ${OBJECT_TYPE_INFO[from].singular} with id ${id} exists.`);
      const limit = ctx.query.has('limit') ? Number(ctx.query.get('limit')) : 500;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validationError(`limit must be an integer from 1 to 500, got ${ctx.query.get('limit')}`);
      const all = targetsOf(portal, from, id, to, ctx.apiVersion);
      const start = Number(ctx.query.get('after') ?? 0) || 0;
      const body: Record<string, unknown> = { results: all.slice(start, start + limit) };
      if (start + limit < all.length) body.paging = { next: { after: String(start + limit) } };
      return { status: 200, body };
    },
    // In the v4 and 2026-03 specs; missing from the 2026-09 associations spec (only 2026-09-beta has it).
    { versions: ['legacy', '2026-03'] },
  );

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

  /** The association types from one object type to another (`CollectionResponseAssociationSpecWithLabelNoPaging`). */
  addVersioned(router, 'GET', 'associations', '/{fromObjectType}/{toObjectType}/labels', (ctx) => {
    const from = objectTypeParam(ctx, 'fromObjectType');
    const to = objectTypeParam(ctx, 'toObjectType');
    return { status: 200, body: { results: ASSOCIATION_KINDS.filter((k) => k.from === from && k.to === to).map((k) => typeSpec(k, ctx.apiVersion)) } };
  });
}

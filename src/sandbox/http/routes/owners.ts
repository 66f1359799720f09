import type { Owner } from '../../crm/portal';
import { notFound, validationError } from '../../errors';
import type { RouteEnv, Router } from '../router';
import { iso } from '../serialize';
import { addVersioned, prefix } from '../versions';

/** Owners in the shape of HubSpot's owners API (`PublicOwner`). */
function ownerJson(owner: Owner): Record<string, unknown> {
  return {
    id: owner.id,
    email: owner.email,
    type: 'PERSON',
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: owner.userId,
    userIdIncludingInactive: owner.userId,
    createdAt: iso(owner.createdAt),
    updatedAt: iso(owner.updatedAt),
    archived: owner.archived,
    teams: [],
  };
}

export function registerOwnerRoutes(router: Router, env: RouteEnv): void {
  const { portal } = env;
  addVersioned(router, 'GET', 'owners', '', (ctx) => {
    const limit = ctx.query.has('limit') ? Number(ctx.query.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validationError(`limit must be an integer from 1 to 500, got ${ctx.query.get('limit')}`);
    const email = ctx.query.get('email');
    const owners = portal.listOwners().filter((o) => !email || o.email.toLowerCase() === email.toLowerCase());
    const start = ctx.query.has('after') ? Math.max(0, owners.findIndex((o) => o.id === ctx.query.get('after'))) : 0;
    const page = owners.slice(start, start + limit);
    const body: Record<string, unknown> = { results: page.map(ownerJson) };
    const next = owners[start + limit];
    if (next) body.paging = { next: { after: next.id, link: `${ctx.baseUrl}${prefix('owners', ctx.apiVersion)}/?after=${next.id}` } };
    return { status: 200, body };
  });
  addVersioned(router, 'GET', 'owners', '/{ownerId}', (ctx) => {
    const byUser = ctx.query.get('idProperty') === 'userId';
    const owner = portal.listOwners().find((o) => (byUser ? String(o.userId) : o.id) === ctx.params.ownerId);
    if (!owner) throw notFound(`Owner ${ctx.params.ownerId} not found`);
    return { status: 200, body: ownerJson(owner) };
  });
}

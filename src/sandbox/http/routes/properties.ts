import type { ObjectType } from '../../crm/object-types';
import type { PropertyDefinition, PropertyGroupDefinition, PropertyCreateInput } from '../../crm/schema';
import type { Portal } from '../../crm/portal';
import { notFound } from '../../errors';
import type { RouteEnv, Router } from '../router';
import { bodyObject, iso } from '../serialize';
import { addVersioned, checkOptionInputs } from '../versions';
import { objectTypeParam } from './objects';

/** A property in the shape of HubSpot's properties API (the SDK's `Property` model). */
export function propertyJson(portal: Portal, type: ObjectType, def: PropertyDefinition): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: portal.schema.optionsOf(type, def),
    displayOrder: def.displayOrder,
    calculated: def.calculated,
    externalOptions: def.externalOptions,
    hasUniqueValue: def.hasUniqueValue,
    hidden: def.hidden,
    hubspotDefined: def.hubspotDefined,
    formField: def.formField,
    modificationMetadata: {
      archivable: !def.hubspotDefined,
      readOnlyDefinition: def.hubspotDefined,
      readOnlyValue: def.readOnlyValue,
      readOnlyOptions: def.hubspotDefined && def.type !== 'enumeration',
    },
    createdAt: iso(def.createdAt),
    updatedAt: iso(def.updatedAt),
    archived: def.archived,
  };
  if (def.archivedAt !== undefined) json.archivedAt = iso(def.archivedAt);
  return json;
}

function groupJson(group: PropertyGroupDefinition): Record<string, unknown> {
  return { name: group.name, label: group.label, displayOrder: group.displayOrder, archived: group.archived };
}

export function registerPropertyRoutes(router: Router, env: RouteEnv): void {
  const { portal } = env;
  const { schema } = portal;

  // Group routes first: `/groups` would otherwise be read as a property named "groups".
  addVersioned(router, 'GET', 'properties', '/{objectType}/groups', (ctx) => ({
    status: 200,
    body: { results: schema.listGroups(objectTypeParam(ctx)).map(groupJson) },
  }));
  addVersioned(router, 'POST', 'properties', '/{objectType}/groups', (ctx) => {
    const input = bodyObject(ctx.body);
    const group = schema.createGroup(objectTypeParam(ctx), {
      name: String(input.name ?? ''),
      label: String(input.label ?? ''),
      ...(typeof input.displayOrder === 'number' ? { displayOrder: input.displayOrder } : {}),
    });
    return { status: 201, body: groupJson(group) };
  });
  addVersioned(router, 'GET', 'properties', '/{objectType}/groups/{groupName}', (ctx) => {
    const group = schema.getGroup(objectTypeParam(ctx), ctx.params.groupName as string);
    if (!group) throw notFound(`Unable to find property group ${ctx.params.groupName}`);
    return { status: 200, body: groupJson(group) };
  });
  addVersioned(router, 'PATCH', 'properties', '/{objectType}/groups/{groupName}', (ctx) => {
    const input = bodyObject(ctx.body);
    const group = schema.updateGroup(objectTypeParam(ctx), ctx.params.groupName as string, {
      ...(typeof input.label === 'string' ? { label: input.label } : {}),
      ...(typeof input.displayOrder === 'number' ? { displayOrder: input.displayOrder } : {}),
    });
    return { status: 200, body: groupJson(group) };
  });
  addVersioned(router, 'DELETE', 'properties', '/{objectType}/groups/{groupName}', (ctx) => {
    schema.archiveGroup(objectTypeParam(ctx), ctx.params.groupName as string);
    return { status: 204 };
  });

  addVersioned(router, 'GET', 'properties', '/{objectType}', (ctx) => {
    const type = objectTypeParam(ctx);
    const archived = ctx.query.get('archived') === 'true';
    return { status: 200, body: { results: schema.list(type, archived).map((d) => propertyJson(portal, type, d)) } };
  });
  addVersioned(router, 'POST', 'properties', '/{objectType}', (ctx) => {
    const type = objectTypeParam(ctx);
    const input = bodyObject(ctx.body);
    checkOptionInputs(ctx.apiVersion, input);
    const def = schema.create(type, input as unknown as PropertyCreateInput);
    return { status: 201, body: propertyJson(portal, type, def) };
  });
  addVersioned(router, 'GET', 'properties', '/{objectType}/{propertyName}', (ctx) => {
    const type = objectTypeParam(ctx);
    const def = schema.get(type, ctx.params.propertyName as string);
    if (!def) throw notFound(`Unable to find property ${ctx.params.propertyName} for object type ${type}`);
    return { status: 200, body: propertyJson(portal, type, def) };
  });
  addVersioned(router, 'PATCH', 'properties', '/{objectType}/{propertyName}', (ctx) => {
    const type = objectTypeParam(ctx);
    const input = bodyObject(ctx.body);
    checkOptionInputs(ctx.apiVersion, input);
    const def = schema.update(type, ctx.params.propertyName as string, input);
    return { status: 200, body: propertyJson(portal, type, def) };
  });
  addVersioned(router, 'DELETE', 'properties', '/{objectType}/{propertyName}', (ctx) => {
    schema.archive(objectTypeParam(ctx), ctx.params.propertyName as string);
    return { status: 204 };
  });
}

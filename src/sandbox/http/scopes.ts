import { resolveObjectType, type ObjectType } from '../crm/object-types';

/**
 * Which scopes HubSpot requires for a call, by method and path, for the legacy paths (`/crm/v3`, `/crm/v4`,
 * `/account-info/v3`) and the date-versioned ones (`/crm/objects/2026-09/...`, `/crm/associations/2026-03/...`).
 * The version never changes the rule, so one table serves every version the sandbox speaks.
 *
 * Source: the `security` of each operation in HubSpot's OpenAPI specs (HubSpot/HubSpot-public-api-spec-collection
 * at 9989379, `PublicApiSpecs/CRM/{Contacts,Companies,Deals,Tasks,Notes}/Rollouts/424/{v3,2026-03,2026-09}`,
 * `CRM/Properties/Rollouts/145899`, `CRM/Pipelines/Rollouts/145896`, `CRM/Associations/Rollouts/130902`,
 * `CRM/Crm Owners/Rollouts/146888`, `Account/Account Info/Rollouts/144923`). Each operation lists alternatives:
 * any one granted scope is enough.
 * - Objects: the object-specific specs name one scope per operation: `crm.objects.<type>.read` for reads (get,
 *   list, batch read, search), `.write` for everything else. Tasks and notes have no scopes of their own:
 *   their specs name `crm.objects.contacts.read` / `.write` (surprising, but what every version says).
 * - Properties and pipelines: one generic spec per version whose alternatives are the union over every object
 *   type. Narrowed to the object called, a read takes the type's `crm.schemas.<type>.read` or either of its
 *   object scopes; a write takes `crm.schemas.<type>.write`. For tasks and notes (no write scope of their own
 *   in the specs) the contacts family stands in; that part is UNCONFIRMED.
 * - Associations: the generic spec again lists every object type's read and write scopes, for reads and writes
 *   alike; narrowed to the `from` object, either of its object scopes.
 * - Owners: `crm.objects.owners.read`. Account info: `oauth`.
 * The private-app token introspection needs no scope (it takes the token in its body).
 */
export interface ScopeRule {
  /** Any one of these is enough (HubSpot's "One or more of the following scopes are required."). */
  anyOf: readonly string[];
}

/** A legacy version segment (`v3`, `v4`) or a date version (`2026-09`, `2026-03`, a beta). */
const VERSION = String.raw`(?:v\d+|\d{4}-\d{2}(?:-beta)?)`;
const SEGMENT = '([^/]+)';

type Family = 'objects' | 'properties' | 'pipelines' | 'associations' | 'owners' | 'account';

/** Path shapes, legacy first then date-versioned; the captured groups are object types where there are any. */
const PATTERNS: ReadonlyArray<{ family: Family; regex: RegExp }> = [
  // Associations of one record (`/crm/v4/objects/{type}/{id}/associations/...`): before plain objects.
  { family: 'associations', regex: new RegExp(`^/crm/(?:${VERSION}/objects|objects/${VERSION})/${SEGMENT}/[^/]+/associations(?:/.*)?$`) },
  { family: 'associations', regex: new RegExp(`^/crm/(?:${VERSION}/associations|associations/${VERSION})/${SEGMENT}/[^/]+(?:/.*)?$`) },
  { family: 'objects', regex: new RegExp(`^/crm/(?:${VERSION}/objects|objects/${VERSION})/${SEGMENT}(?:/.*)?$`) },
  { family: 'properties', regex: new RegExp(`^/crm/(?:${VERSION}/properties|properties/${VERSION})/${SEGMENT}(?:/.*)?$`) },
  { family: 'pipelines', regex: new RegExp(`^/crm/(?:${VERSION}/pipelines|pipelines/${VERSION})/${SEGMENT}(?:/.*)?$`) },
  { family: 'owners', regex: new RegExp(`^/crm/(?:${VERSION}/owners|owners/${VERSION})(?:/.*)?$`) },
  { family: 'account', regex: new RegExp(`^/account-info/${VERSION}/(?:details|api-usage/.*)$`) },
];

/** POSTs that only read: batch reads and searches (HubSpot's read scopes cover them). */
function isRead(method: string, pathname: string): boolean {
  if (method === 'GET') return true;
  return method === 'POST' && /\/(?:batch\/read|search)$/.test(pathname);
}

/** Whose scopes an object type's records fall under: tasks and notes use the contacts scopes. */
function scopeOwner(type: ObjectType): 'contacts' | 'companies' | 'deals' | 'leads' {
  return type === 'tasks' || type === 'notes' ? 'contacts' : type;
}

/**
 * The scopes HubSpot requires for `method pathname`, or undefined when the call needs none (token
 * introspection) or the path is not one HubSpot scopes this way (the route then answers 404 as it would).
 */
export function requiredScopes(method: string, pathname: string): ScopeRule | undefined {
  const clean = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const verb = method.toUpperCase();
  for (const { family, regex } of PATTERNS) {
    const m = regex.exec(clean);
    if (!m) continue;
    if (family === 'owners') return { anyOf: ['crm.objects.owners.read'] };
    if (family === 'account') return { anyOf: ['oauth'] };
    const type = resolveObjectType(decodeURIComponent(m[1] as string));
    if (!type) return undefined;
    const owner = scopeOwner(type);
    const read = isRead(verb, clean);
    switch (family) {
      case 'objects':
        return { anyOf: [`crm.objects.${owner}.${read ? 'read' : 'write'}`] };
      case 'associations':
        return { anyOf: [`crm.objects.${owner}.read`, `crm.objects.${owner}.write`] };
      case 'properties':
      case 'pipelines':
        return read ? { anyOf: [`crm.schemas.${owner}.read`, `crm.objects.${owner}.read`, `crm.objects.${owner}.write`] } : { anyOf: [`crm.schemas.${owner}.write`] };
    }
  }
  return undefined;
}

/** The rule's scopes when none of them is granted; empty when the call is allowed. */
export function lackingScopes(rule: ScopeRule | undefined, granted: readonly string[]): readonly string[] {
  if (!rule) return [];
  return rule.anyOf.some((scope) => granted.includes(scope)) ? [] : rule.anyOf;
}

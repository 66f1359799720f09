import { validationError } from '../errors';
import type { ApiVersion, RouteHandler, Router, SandboxBehaviour } from './router';

/**
 * The API versions the sandbox serves, and everything that differs between them: the path prefixes and
 * the answer shapes. Route modules keep one handler per operation and ask this module what their version
 * changes. Sources: HubSpot/HubSpot-public-api-spec-collection at 99893791 (2026-08-21), files
 * `PublicApiSpecs/CRM/{Objects,Contacts,Associations,Associations Schema,Properties,Pipelines,Crm Owners}/…/{v3,v4,2026-03,2026-09}/*.json`
 * and `Account/Account Info/…/{v3,2026-03,2026-09}/accountInfo.json`; summarised with more sources in the
 * shared HubSpot platform doc, §2.1.
 */
export const API_VERSIONS: readonly ApiVersion[] = ['legacy', '2026-03', '2026-09'];
export const DATED_VERSIONS: readonly ApiVersion[] = ['2026-03', '2026-09'];

/** The APIs, each with its own path prefix per version. */
export type ApiFamily = 'objects' | 'recordAssociations' | 'associations' | 'properties' | 'pipelines' | 'owners' | 'accountInfo';

const LEGACY_PREFIX: Record<ApiFamily, string> = {
  objects: '/crm/v3/objects',
  // One record's associations and single-pair writes: `/crm/v4/objects/...` in v4, `/crm/objects/{v}/...` dated.
  recordAssociations: '/crm/v4/objects',
  // Batch calls and labels. The Associations Schema spec writes the v4 labels path `/crm/associations/v4/...`;
  // the SDK's DefinitionsApi calls `/crm/v4/associations/.../labels`, which is what the sandbox serves.
  associations: '/crm/v4/associations',
  properties: '/crm/v3/properties',
  pipelines: '/crm/v3/pipelines',
  owners: '/crm/v3/owners',
  accountInfo: '/account-info/v3',
};

const DATED_PREFIX: Record<ApiFamily, (version: string) => string> = {
  objects: (v) => `/crm/objects/${v}`,
  recordAssociations: (v) => `/crm/objects/${v}`,
  associations: (v) => `/crm/associations/${v}`,
  properties: (v) => `/crm/properties/${v}`,
  pipelines: (v) => `/crm/pipelines/${v}`,
  owners: (v) => `/crm/owners/${v}`,
  accountInfo: (v) => `/account-info/${v}`,
};

/** The path prefix of an API in a version: `prefix('objects', '2026-09')` is `/crm/objects/2026-09`. */
export function prefix(family: ApiFamily, version: ApiVersion): string {
  return version === 'legacy' ? LEGACY_PREFIX[family] : DATED_PREFIX[family](version);
}

/**
 * Registers one handler under the path of every version it exists in (all three unless `versions` says
 * otherwise). The handler reads `ctx.apiVersion` for the shape differences below.
 */
export function addVersioned(
  router: Router,
  method: string,
  family: ApiFamily,
  suffix: string,
  handler: RouteHandler,
  { search = false, versions = API_VERSIONS }: { search?: boolean; versions?: readonly ApiVersion[] } = {},
): void {
  for (const apiVersion of versions) router.add(method, `${prefix(family, apiVersion)}${suffix}`, handler, { search, apiVersion });
}

/** What an answer or a request looks like in one version. */
export interface VersionShape {
  /**
   * Property `options[]` items need `displayOrder` as well as label, value and hidden: `OptionInput.required`
   * in the 2026-03 and 2026-09 properties specs; v3 required only the other three.
   */
  optionDisplayOrderRequired: boolean;
  /**
   * `associationTypes[]` items carry `fromObjectTypeId`/`toObjectTypeId`: optional fields of
   * `AssociationSpecWithLabel` in the 2026-03 associations spec, gone from it in 2026-09. The legacy v4
   * answers stay as the sandbox always gave them (category, typeId, label), which is what the SDK's v4
   * model declares.
   */
  associationTypeObjectIds: boolean;
  /**
   * The 2026-09 specs make 207 disappear: every batch operation documents 200/201 only, and the batch
   * response itself carries `errors`/`numErrors`. Whether HubSpot still answers partial failures with 207
   * is UNCONFIRMED (platform doc §2.1), so on 2026-09 `behaviour.partialFailureStatus` chooses.
   */
  documentsMultiStatus: boolean;
  /** Required members of a batch read body: `BatchReadInputSimplePublicObjectId.required` in 2026-09. */
  batchReadRequired: readonly string[];
  /** Required members of a create body and of each batch create input: `SimplePublicObjectInputForCreate.required` in 2026-09. */
  createInputRequired: readonly string[];
  /**
   * Association batch archive (and labels archive) answer 204 with no body in v4, 200 with a
   * `BatchResponse`/`BatchResponseVoid` from 2026-03 on.
   */
  associationArchiveAnswersBody: boolean;
  /** Association batch create answers 201 (v4, 2026-03) or 200 (the only success the 2026-09 spec lists). */
  associationCreateStatus: 200 | 201;
}

export const VERSION_SHAPES: Readonly<Record<ApiVersion, VersionShape>> = {
  legacy: {
    optionDisplayOrderRequired: false,
    associationTypeObjectIds: false,
    documentsMultiStatus: true,
    batchReadRequired: [],
    createInputRequired: [],
    associationArchiveAnswersBody: false,
    associationCreateStatus: 201,
  },
  '2026-03': {
    optionDisplayOrderRequired: true,
    associationTypeObjectIds: true,
    documentsMultiStatus: true,
    batchReadRequired: [],
    createInputRequired: [],
    associationArchiveAnswersBody: true,
    associationCreateStatus: 201,
  },
  '2026-09': {
    optionDisplayOrderRequired: true,
    associationTypeObjectIds: false,
    documentsMultiStatus: false,
    batchReadRequired: ['inputs', 'properties', 'propertiesWithHistory'],
    createInputRequired: ['properties', 'associations'],
    associationArchiveAnswersBody: true,
    associationCreateStatus: 200,
  },
};

export function shapeOf(version: ApiVersion): VersionShape {
  return VERSION_SHAPES[version];
}

/** Rejects property `options[]` without `displayOrder` where the version requires it (OptionInput). */
export function checkOptionInputs(version: ApiVersion, body: Record<string, unknown>): void {
  if (!shapeOf(version).optionDisplayOrderRequired || !Array.isArray(body.options)) return;
  for (const option of body.options as unknown[]) {
    requireMembers(typeof option === 'object' && option !== null ? (option as Record<string, unknown>) : {}, ['displayOrder'], 'OptionInput');
  }
}

/** The status of a batch answer with errors in a version: 207, or 200 where 2026-09's spec has no 207 and the sandbox is told so. */
export function partialFailureStatus(version: ApiVersion, behaviour: SandboxBehaviour, okStatus: number): number {
  if (shapeOf(version).documentsMultiStatus) return 207;
  return behaviour.partialFailureStatus === 207 ? 207 : okStatus;
}

/**
 * Rejects a body that lacks members the version's spec requires, in HubSpot's words for a request it
 * cannot deserialize (`Invalid input JSON on line 1, column 2: Cannot build PublicUpdateSubscriptionStatusRequest,
 * some of required attributes are not set [emailAddress, subscriptionId]`, HubSpot/hubspot-api-ruby#170).
 */
export function requireMembers(body: Record<string, unknown>, required: readonly string[], model: string): void {
  const missing = required.filter((name) => body[name] === undefined || body[name] === null);
  if (missing.length > 0) {
    throw validationError(`Invalid input JSON on line 1, column 2: Cannot build ${model}, some of required attributes are not set [${missing.join(', ')}]`, {
      context: { missing },
    });
  }
}

/**
 * The message of the 404 for a path the sandbox does not serve. A path naming an API version it does not
 * serve (`/crm/objects/2025-01/contacts`, `/crm/v5/...`, a beta) says which versions it serves.
 */
export function unknownPathMessage(method: string, path: string): string {
  const version = /^\/(?:crm\/(?:objects|associations|properties|pipelines|owners)|account-info)\/([^/]+)/.exec(path)?.[1] ?? /^\/crm\/(v\d+)\//.exec(path)?.[1];
  const known = ['v3', 'v4', ...DATED_VERSIONS];
  if (version !== undefined && /^(v\d+|\d{4}-\d{2}(-beta)?)$/.test(version) && !known.includes(version)) {
    return `Resource not found: API version ${version} is not served for ${method} ${path}; versions served: ${known.join(', ')}`;
  }
  return `Resource not found: no endpoint ${method} ${path}`;
}

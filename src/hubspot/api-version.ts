/**
 * HubSpot's API versions as the gateway speaks them: which paths each version has and every way their
 * request and answer shapes differ. The one place that knows the difference between `legacy` (/crm/v3,
 * /crm/v4) and the date-versioned APIs (/crm/objects/2026-09/...); the gateway asks it for paths and bodies
 * and reads answers through it. Facts from the shared platform doc (§1.2, §2.1) and HubSpot's OpenAPI specs
 * (HubSpot/HubSpot-public-api-spec-collection, CRM Objects/Associations/Properties/Pipelines, v3, v4,
 * 2026-03 and 2026-09).
 */

export const API_VERSIONS = ['2026-09', '2026-03', 'legacy'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
export const DEFAULT_API_VERSION: ApiVersion = '2026-09';

export function isApiVersion(value: string): value is ApiVersion {
  return (API_VERSIONS as readonly string[]).includes(value);
}

// ---- paths -----------------------------------------------------------------------------------------

export type BatchOperation = 'read' | 'update' | 'create';

/** Every path the gateway calls, per version. Object types as HubSpot names them in paths (`contacts`). */
export interface ApiPaths {
  objects(objectType: string): string;
  batch(objectType: string, operation: BatchOperation): string;
  search(objectType: string): string;
  associationsBatchRead(from: string, to: string): string;
  properties(objectType: string): string;
  property(objectType: string, name: string): string;
  propertyGroups(objectType: string): string;
  pipelines(objectType: string): string;
  /** Private-app token introspection: the same for every version (see `TOKEN_INFO_PATH`). */
  tokenInfo: string;
}

/**
 * Token introspection stays on HubSpot's private-app endpoint for every version. It has no date-versioned
 * successor for a static token: `/oauth/2026-09/token/introspect` (Auth OAuth spec, 2026-09) needs the
 * app's client_id and client_secret, is an OAuth 2 introspection that promises only `active`, and is
 * documented for OAuth tokens; the private-app endpoint takes the token itself and answers hubId, appId
 * and scopes. HubSpot's private apps page (developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview)
 * covers private apps started "with projects" (static auth) as well as those made in the account, and ends
 * with this endpoint; that a 2026.x project app's static token is answered there is not stated outright
 * (unconfirmed). It is not a CRM or account path, so it does not count as "legacy" (see `pathGeneration`).
 */
export const TOKEN_INFO_PATH = '/oauth/v2/private-apps/get/access-token-info';

const enc = encodeURIComponent;

function datedPaths(version: Exclude<ApiVersion, 'legacy'>): ApiPaths {
  return {
    objects: (t) => `/crm/objects/${version}/${enc(t)}`,
    batch: (t, op) => `/crm/objects/${version}/${enc(t)}/batch/${op}`,
    search: (t) => `/crm/objects/${version}/${enc(t)}/search`,
    associationsBatchRead: (from, to) => `/crm/associations/${version}/${enc(from)}/${enc(to)}/batch/read`,
    properties: (t) => `/crm/properties/${version}/${enc(t)}`,
    property: (t, name) => `/crm/properties/${version}/${enc(t)}/${enc(name)}`,
    propertyGroups: (t) => `/crm/properties/${version}/${enc(t)}/groups`,
    pipelines: (t) => `/crm/pipelines/${version}/${enc(t)}`,
    tokenInfo: TOKEN_INFO_PATH,
  };
}

const LEGACY_PATHS: ApiPaths = {
  objects: (t) => `/crm/v3/objects/${enc(t)}`,
  batch: (t, op) => `/crm/v3/objects/${enc(t)}/batch/${op}`,
  search: (t) => `/crm/v3/objects/${enc(t)}/search`,
  associationsBatchRead: (from, to) => `/crm/v4/associations/${enc(from)}/${enc(to)}/batch/read`,
  properties: (t) => `/crm/v3/properties/${enc(t)}`,
  property: (t, name) => `/crm/v3/properties/${enc(t)}/${enc(name)}`,
  propertyGroups: (t) => `/crm/v3/properties/${enc(t)}/groups`,
  pipelines: (t) => `/crm/v3/pipelines/${enc(t)}`,
  tokenInfo: TOKEN_INFO_PATH,
};

export function apiPaths(version: ApiVersion): ApiPaths {
  return version === 'legacy' ? LEGACY_PATHS : datedPaths(version);
}

/**
 * Which generation a request path belongs to. "legacy" is exactly HubSpot's numbered CRM and account
 * prefixes: /crm/v{n}/ (objects, associations, properties, pipelines, owners, ...), /account-info/v{n}/,
 * and the older per-object APIs /contacts/v{n}/, /companies/v{n}/, /deals/v{n}/, /owners/v{n}/,
 * /properties/v{n}/, /crm-associations/v{n}/, /crm-pipelines/v{n}/, /engagements/v{n}/. "dated" is any
 * /{api...}/YYYY-MM[-beta]/ path. Anything else (the private-app token introspection under /oauth/v2/)
 * is "other": HubSpot has no date-versioned form of it for a static token.
 */
export function pathGeneration(path: string): 'legacy' | 'dated' | 'other' {
  const bare = path.split('?')[0] ?? '';
  if (/^\/(crm\/v\d+|account-info\/v\d+|contacts\/v\d+|companies\/v\d+|deals\/v\d+|owners\/v\d+|properties\/v\d+|crm-associations\/v\d+|crm-pipelines\/v\d+|engagements\/v\d+)\//.test(bare)) return 'legacy';
  if (/^\/[a-z-]+(\/[a-z-]+)?\/\d{4}-\d{2}(-beta)?(\/|$)/.test(bare)) return 'dated';
  return 'other';
}

// ---- end of support ----------------------------------------------------------------------------------

export interface SupportWindow {
  /** The first day HubSpot no longer supports the version (UTC midnight). */
  end: Date;
  /** How the date is known, for the doctor's line. */
  basis: string;
}

/**
 * When HubSpot stops supporting each version. Legacy: v4 (the associations the gateway reads) goes
 * unsupported on 2027-03-30 and v1-v3 in September 2027 [CL-V4], [CL-LEGACY-UNSUP]; the earlier date
 * counts. Date-versioned: unsupported 18 months after GA [DOC-VERSIONING]; HubSpot publishes no exact
 * date, so these are computed: 2026-03 went GA 2026-03-30, 2026-09 on 2026-09-08 [CL-WRITE-VAL].
 */
export const SUPPORT_WINDOWS: Record<ApiVersion, SupportWindow> = {
  legacy: { end: new Date('2027-03-30T00:00:00Z'), basis: 'v4 (associations) unsupported from 2027-03-30, v1-v3 from September 2027' },
  '2026-03': { end: new Date('2027-09-30T00:00:00Z'), basis: 'computed: 18 months after its GA on 2026-03-30' },
  '2026-09': { end: new Date('2028-03-08T00:00:00Z'), basis: 'computed: 18 months after its GA on 2026-09-08' },
};

export const SUPPORT_WARNING_MONTHS = 6;

/** Whether `version` is past, or within six months of, HubSpot's end of support at `now`. */
export function supportStatus(version: ApiVersion, now: number): { state: 'supported' | 'ending' | 'ended'; end: Date; basis: string } {
  const { end, basis } = SUPPORT_WINDOWS[version];
  const warnFrom = new Date(end);
  warnFrom.setUTCMonth(warnFrom.getUTCMonth() - SUPPORT_WARNING_MONTHS);
  const state = now >= end.getTime() ? 'ended' : now >= warnFrom.getTime() ? 'ending' : 'supported';
  return { state, end, basis };
}

// ---- request shapes ----------------------------------------------------------------------------------

/**
 * Batch read body. The 2026-09 spec marks `inputs`, `properties` and `propertiesWithHistory` all
 * required, so both lists are always sent, empty or not (v3 accepts them too).
 */
export function batchReadBody(ids: string[], properties: string[], propertiesWithHistory: string[]): Record<string, unknown> {
  return { inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory };
}

/**
 * One batch-create input. The 2026-09 spec marks `associations` required, so it is `[]` when there are
 * none (v3 accepts that too). HUBSPOT_DEFINED is the category of every association type the product uses.
 */
export function createInput(properties: Record<string, string>, associations: Array<{ toId: string; typeId: number }>, traceId: string): Record<string, unknown> {
  return {
    properties,
    objectWriteTraceId: traceId,
    associations: associations.map((a) => ({ to: { id: a.toId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }] })),
  };
}

/**
 * Property options for a create or update. `displayOrder` is required on every option from 2026-03 on
 * (OptionInput in the Properties specs; v3 required only label, value and hidden), so it falls back to
 * the option's position.
 */
export function optionInputs(options: Array<{ label: string; value: string; displayOrder?: number; hidden?: boolean }>): Array<Record<string, unknown>> {
  return options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false }));
}

// ---- answer shapes -----------------------------------------------------------------------------------

/**
 * One row of an associations batch read: v4 and 2026-03 carry `fromObjectTypeId`/`toObjectTypeId` in each
 * association type, 2026-09 does not, so only `typeId` is read. `toObjectId` is a JSON number in v4's
 * examples and a string in the SDK's model: both become strings. `paging.next.after` is present only when
 * the input has more associations (per-input paging, all versions).
 */
export function associationRow(raw: unknown): { fromId: string; targets: Array<{ id: string; typeIds: number[] }>; after?: string } {
  const row = raw as { from?: { id?: unknown }; to?: Array<{ toObjectId?: unknown; associationTypes?: Array<{ typeId?: unknown }> }>; paging?: { next?: { after?: unknown } } };
  const after = row.paging?.next?.after;
  return {
    fromId: String(row.from?.id),
    targets: (row.to ?? []).map((t) => ({ id: String(t.toObjectId), typeIds: (t.associationTypes ?? []).map((a) => Number(a.typeId)) })),
    ...(after !== undefined && after !== null && after !== '' ? { after: String(after) } : {}),
  };
}

/**
 * Per-record errors of a batch answer. v3/v4 answer partial failures with 207 and an `errors` list;
 * the 2026-09 spec folds `errors`/`numErrors` into the 200/201 schema and leaves open whether 207 is
 * still used [SPEC], so the list is read from every 2xx answer, whatever its status.
 */
export function batchErrors<T>(data: unknown): T[] {
  const errors = (data as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as T[]) : [];
}

/**
 * A pipeline stage. `writePermissions` is required from 2026-03 on and optional in v3: not needed here.
 * `metadata` values are strings in every version (`{"isClosed":"true","probability":"1.0"}`).
 */
export function pipelineStage(raw: unknown): { id: string; label: string; displayOrder: number; isClosed: boolean; probability: number | null } {
  const s = raw as { id: unknown; label: unknown; displayOrder?: unknown; metadata?: Record<string, unknown> | null };
  const metadata = s.metadata ?? {};
  const probability = metadata.probability === undefined || metadata.probability === null || metadata.probability === '' ? null : Number(metadata.probability);
  return {
    id: String(s.id),
    label: String(s.label),
    displayOrder: Number(s.displayOrder ?? 0),
    isClosed: String(metadata.isClosed) === 'true',
    probability: probability === null || Number.isNaN(probability) ? null : probability,
  };
}

/**
 * What `uld doctor` says about the configured version at `now`: pass while supported for more than six
 * months; a warning naming the date and the move to make within six months of the end, and after it.
 */
export function supportAdvice(version: ApiVersion, now: number): { outcome: 'pass' | 'warn'; detail: string; fix?: string } {
  const { state, end, basis } = supportStatus(version, now);
  const day = end.toISOString().slice(0, 10);
  if (state === 'supported') return { outcome: 'pass', detail: `HUBSPOT_API_VERSION ${version}, supported by HubSpot until ${day} (${basis})` };
  const newer = API_VERSIONS.find((v) => v !== version && SUPPORT_WINDOWS[v].end > end);
  const fix = newer
    ? `set HUBSPOT_API_VERSION=${newer} (then run \`uld doctor\` again); every call of the product has a ${newer} path`
    : 'update the product to a release that speaks a newer HubSpot API version';
  const when = state === 'ended' ? `HubSpot stopped supporting it on ${day}` : `HubSpot stops supporting it on ${day}, less than ${SUPPORT_WARNING_MONTHS} months from now`;
  return { outcome: 'warn', detail: `HUBSPOT_API_VERSION ${version}: ${when} (${basis})`, fix };
}

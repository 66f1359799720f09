import { z } from 'zod';

/**
 * The shapes of the JSON project files `uld init` writes, as HubSpot accepts them: every field HubSpot's
 * official templates carry (HubSpot/hubspot-project-components 2026.03 and 2026.09-beta, shared platform doc
 * §4.2/§4.3), and a refusal only where HubSpot documents one: the parser's own checks
 * (@hubspot/project-parsing-lib 0.23: allowed top-level keys, uid characters and length, known platform
 * versions, `permissions` from 2026.09-beta on) and the developer docs (`permittedUrls.fetch` HTTPS and not
 * localhost, static auth only on private distribution, `propertyName` only on property changes, a card's required
fields and locations). Keys we do not
 * know inside `config` pass: HubSpot's server validates those with schemas it does not publish, and an admin's
 * newer field must not be refused by an older uld.
 */

/** Platform versions with `*-hsmeta.json` components, as @hubspot/project-parsing-lib 0.23 knows them (2023.2 and 2025.1 use the older layout). */
export const HSMETA_PLATFORM_VERSIONS = ['2025.2', '2026.03-beta', '2026.03', '2026.09-beta', '2026.09', '2027.03-beta', '2027.03', 'unstable'] as const;

/** True when `version` is `minimum` or newer, a beta ranking just before its release (the parser's ordering). */
export function platformAtLeast(version: string, minimum: string): boolean {
  const rank = (v: string) => {
    if (v === 'unstable') return Infinity;
    const m = /^(\d{4})\.(\d{1,2})(-beta)?$/.exec(v);
    return m ? Number(m[1]) * 100 + Number(m[2]) - (m[3] ? 0.5 : 0) : NaN;
  };
  return rank(version) >= rank(minimum);
}

const scopes = z.array(z.string().min(1));
/** The parser's uid rule (uid.js): 1 to 64 characters of letters, digits, `_`, `-` and `.`. */
const uid = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a uid is 1 to 64 letters, digits, _, - or .');
const url = z.string().url();
const permissions = z.object({ requiredScopes: scopes.optional(), optionalScopes: scopes.optional(), conditionallyRequiredScopes: scopes.optional() }).passthrough();

/** `hubspot.fetch` calls only origins listed here, each HTTPS and not localhost (docs, "Fetching data"). */
const fetchOrigin = url.refine((s) => {
  const u = new URL(s);
  return u.protocol === 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
}, 'hubspot.fetch allows https URLs only, and no localhost');

/**
 * A component file: the parser allows exactly these top-level keys, and `permissions` only from 2026.09-beta on
 * (validation.js, "permissionsNotSupported").
 */
function component(type: string, config: z.ZodType, platformVersion: string) {
  const permissionsAllowed = platformAtLeast(platformVersion, '2026.09-beta');
  return z
    .object({
      uid,
      type: z.literal(type),
      config,
      dependencies: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
      permissions: permissionsAllowed ? permissions.optional() : z.undefined({ message: `permissions needs platformVersion 2026.09-beta or later (this project is ${platformVersion})` }).optional(),
    })
    .strict();
}

function appConfig(platformVersion: string) {
  return z
    .object({
      name: z.string().min(1),
      description: z.string().optional(),
      logo: z.string().optional(),
      distribution: z.enum(['private', 'marketplace']),
      auth: z
        .object({
          type: z.enum(['static', 'oauth']),
          redirectUrls: z.array(url).optional(),
          requiredScopes: scopes,
          optionalScopes: scopes.optional(),
          conditionallyRequiredScopes: scopes.optional(),
        })
        .passthrough(),
      permittedUrls: z.object({ fetch: z.array(fetchOrigin).optional(), iframe: z.array(url).optional(), img: z.array(url).optional() }).passthrough().optional(),
      support: z
        .object({ supportEmail: z.string().email().optional(), documentationUrl: url.optional(), supportUrl: url.optional(), supportPhone: z.string().min(1).optional() })
        .passthrough()
        .optional(),
      // User-level apps came with 2026.09 (Fall 2026 Spotlight).
      isUserLevel: platformAtLeast(platformVersion, '2026.09-beta') ? z.boolean().optional() : z.undefined({ message: `isUserLevel needs platformVersion 2026.09-beta or later (this project is ${platformVersion})` }).optional(),
    })
    .passthrough()
    // HubSpot pairs static auth with private distribution only; marketplace apps are OAuth (templates' config.json).
    .refine((c) => !(c.distribution === 'marketplace' && c.auth.type === 'static'), { message: 'a marketplace app must use oauth auth (static auth is for private apps only)', path: ['auth', 'type'] });
}

const LEGACY_OBJECTS = '(contact|company|deal|ticket|line_item|product)';
const EVENTS = '(creation|deletion|merge|restore|associationChange|propertyChange)';
/** propertyName names the property of a property change, and only of one (docs, "Configure webhooks"). */
const propertyChangeRule = <T extends { subscriptionType: string; propertyName?: string | undefined }>(s: T) => s.subscriptionType.endsWith('.propertyChange') === (s.propertyName !== undefined);
const propertyChangeMessage = { message: 'propertyName is required for, and only for, propertyChange subscriptions' };
const legacySubscription = z
  .object({ subscriptionType: z.string().regex(new RegExp(`^(${LEGACY_OBJECTS}\\.${EVENTS}|contact\\.privacyDeletion|conversation\\.[a-zA-Z]+)$`)), propertyName: z.string().min(1).optional(), active: z.boolean() })
  .passthrough()
  .refine(propertyChangeRule, propertyChangeMessage);
const genericSubscription = z
  .object({ subscriptionType: z.string().regex(new RegExp(`^object\\.${EVENTS}$`)), objectType: z.string().min(1), propertyName: z.string().min(1).optional(), active: z.boolean() })
  .passthrough()
  .refine(propertyChangeRule, propertyChangeMessage);
const hubEvent = z.object({ subscriptionType: z.string().min(1), active: z.boolean() }).passthrough();

const webhooksConfig = z
  .object({
    settings: z.object({ targetUrl: url, maxConcurrentRequests: z.number().int().min(1) }).passthrough(),
    subscriptions: z.object({ crmObjects: z.array(genericSubscription).optional(), legacyCrmObjects: z.array(legacySubscription).optional(), hubEvents: z.array(hubEvent).optional() }).passthrough(),
  })
  .passthrough();

/** hsproject.json: the parser requires name, srcDir and a known platformVersion, and keeps any other key. */
const hsproject = z.object({ name: z.string().min(1), srcDir: z.string().min(1), platformVersion: z.enum(HSMETA_PLATFORM_VERSIONS) }).passthrough();

/** Where a card may sit on a record (SDK 0.17 `CrmContext.location`; platform doc §5.1). */
export const CARD_LOCATIONS = ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] as const;

/**
 * A card component (developers.hubspot.com, "App cards reference"): `name`, `entrypoint`, `location` and
 * `objectTypes` are required; the entrypoint is the card's React file, which "can be a .jsx or .tsx file". The
 * templates spell object types both `contacts` and `CONTACT`, so any non-empty name passes.
 */
const cardConfig = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    location: z.enum(CARD_LOCATIONS),
    objectTypes: z.array(z.string().min(1)).min(1),
    entrypoint: z.string().regex(/\.(tsx|jsx)$/, "the entrypoint is the card's React file, a .tsx or .jsx file (a path from srcDir, e.g. /app/cards/Card.tsx)"),
  })
  .passthrough();

/** The cards' package.json, which HubSpot's build installs: the dependency versions are what matters. */
const cardPackage = z.object({ name: z.string().min(1), dependencies: z.record(z.string(), z.string().min(1)) }).passthrough();
const tsconfig = z.object({ compilerOptions: z.record(z.string(), z.unknown()) }).passthrough();

export const CARD_HSMETA = 'src/app/cards/qualification-card-hsmeta.json';
export const CARD_PACKAGE_FILE = 'src/app/cards/package.json';
export const CARD_TSCONFIG_FILE = 'src/app/cards/tsconfig.json';

/** Every JSON file `uld init` owns fields of; the first three make a project, the card's are checked when present. */
export const PROJECT_FILE_NAMES = ['hsproject.json', 'src/app/app-hsmeta.json', 'src/app/webhooks/webhooks-hsmeta.json', CARD_HSMETA, CARD_PACKAGE_FILE, CARD_TSCONFIG_FILE] as const;
export type ProjectFileName = (typeof PROJECT_FILE_NAMES)[number];
/** Without these HubSpot has no app to upload; the card's files are uld's addition, checked only when present. */
const REQUIRED_FILES: readonly ProjectFileName[] = ['hsproject.json', 'src/app/app-hsmeta.json', 'src/app/webhooks/webhooks-hsmeta.json'];

/** The schemas of the files for one platform version (some fields exist only from 2026.09-beta on). */
export function projectSchemas(platformVersion: string): Record<ProjectFileName, z.ZodType> {
  return {
    'hsproject.json': hsproject,
    'src/app/app-hsmeta.json': component('app', appConfig(platformVersion), platformVersion),
    'src/app/webhooks/webhooks-hsmeta.json': component('webhooks', webhooksConfig, platformVersion),
    [CARD_HSMETA]: component('card', cardConfig, platformVersion),
    [CARD_PACKAGE_FILE]: cardPackage,
    [CARD_TSCONFIG_FILE]: tsconfig,
  } as Record<ProjectFileName, z.ZodType>;
}

/**
 * Every problem of every file, as `file: path: message`; empty when all match. The platform version is the one
 * hsproject.json names (the version-dependent fields follow it).
 */
export function validateProjectFiles(files: Partial<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const project = files['hsproject.json'] as { platformVersion?: unknown } | undefined;
  const version = typeof project?.platformVersion === 'string' ? project.platformVersion : '2026.09';
  const schemas = projectSchemas(version);
  for (const name of PROJECT_FILE_NAMES) {
    if (!(name in files)) {
      if (REQUIRED_FILES.includes(name)) problems.push(`${name}: missing`);
      continue;
    }
    const result = schemas[name].safeParse(files[name]);
    if (!result.success) for (const issue of result.error.issues) problems.push(`${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return problems;
}

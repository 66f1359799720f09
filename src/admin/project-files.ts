import type { SubscriptionSpec } from '../sync/subscriptions';
import type { ProjectFileName } from './project-schemas';

/**
 * What `uld init` wants in the HubSpot project (shared platform doc §4): `hsproject.json`, the app component
 * (private distribution, static auth, the scopes uld needs), the webhooks component (exactly the subscriptions
 * the definition needs) and the qualification card's component, package.json and tsconfig.json (doc §5; its
 * sources are copied by project-card.ts). Pure: project-init.ts merges these into what is on disk.
 */

/** The platform versions `uld init` writes: the current one, and the one before it as the documented fallback. */
export const INIT_PLATFORM_VERSIONS = ['2026.09', '2026.03'] as const;
export type InitPlatformVersion = (typeof INIT_PLATFORM_VERSIONS)[number];
export const DEFAULT_PLATFORM_VERSION: InitPlatformVersion = '2026.09';

export const PROJECT_NAME = 'Universal Lead Definition';
export const APP_UID = 'universal_lead_definition';
export const WEBHOOKS_UID = 'webhooks';
/** Stable: HubSpot keys a card's placement on record views by its uid (platform doc §5.1). */
export const CARD_UID = 'qualification_card';
/** The card's entry, a path from srcDir; project-card.ts copies card/src/QualificationCard.tsx there. */
export const CARD_ENTRYPOINT = '/app/cards/QualificationCard.tsx';

/**
 * The cards' package.json HubSpot's build installs: card/package.json in this repository, which a test keeps
 * equal. The SDK pins react to exactly 18.3.1 (its peer dependency), and 0.17.0 is the SDK the card is tested on.
 */
export const CARD_PACKAGE = {
  name: 'uld-qualification-card',
  version: '0.1.0',
  private: true,
  dependencies: { '@hubspot/ui-extensions': '0.17.0', react: '18.3.1' },
  devDependencies: { '@types/react': '^18.3.32', typescript: '~5.9.3' },
};

/** The compiler options card/tsconfig.json type-checks the card with (a test keeps them equal), over the folder's sources. */
export const CARD_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2022', 'DOM'],
    jsx: 'react-jsx',
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    isolatedModules: true,
    skipLibCheck: true,
    forceConsistentCasingInFileNames: true,
    noEmit: true,
    types: [],
  },
  include: ['*.ts', '*.tsx'],
};

/** HubSpot's own default for a webhooks component (every official template uses it). */
export const MAX_CONCURRENT_REQUESTS = 10;

export interface SupportDetails {
  supportEmail?: string;
  supportUrl?: string;
  documentationUrl?: string;
  supportPhone?: string;
}

export interface ProjectOptions {
  platformVersion: InitPlatformVersion;
  /** WEBHOOK_PUBLIC_URL: where HubSpot delivers events. */
  targetUrl: string;
  subscriptions: SubscriptionSpec[];
  requiredScopes: string[];
  optionalScopes: string[];
  /** Shown on the app's page in HubSpot; only the ones set are written. */
  support?: SupportDetails;
}

/**
 * The origin `hubspot.fetch` may call for uld's own backend, or why there is none: HubSpot allows only https
 * origins that are not localhost in `permittedUrls.fetch` (docs, "Fetching data").
 */
export function backendOrigin(targetUrl: string): { origin: string } | { problem: string } {
  const u = new URL(targetUrl);
  if (u.protocol !== 'https:') return { problem: `WEBHOOK_PUBLIC_URL ${targetUrl} is not https: HubSpot delivers webhooks only to https URLs and allows only https origins in permittedUrls.fetch, so \`hs project upload\` will refuse the target URL and no fetch origin was written` };
  if (['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return { problem: `WEBHOOK_PUBLIC_URL ${targetUrl} is on localhost: HubSpot cannot reach it, and permittedUrls.fetch refuses localhost, so no fetch origin was written` };
  return { origin: u.origin };
}

/** The JSON files as uld wants them, keyed by their path inside the project folder. */
export function projectFiles(o: ProjectOptions): Record<ProjectFileName, Record<string, unknown>> {
  const backend = backendOrigin(o.targetUrl);
  const support = Object.fromEntries(Object.entries(o.support ?? {}).filter(([, v]) => v !== undefined && v !== ''));
  return {
    'hsproject.json': { name: PROJECT_NAME, srcDir: 'src', platformVersion: o.platformVersion },
    'src/app/app-hsmeta.json': {
      uid: APP_UID,
      type: 'app',
      config: {
        name: PROJECT_NAME,
        description: 'Applies the agreed lead definition to every contact and writes qualification, conversion and cycle-time properties.',
        distribution: 'private',
        auth: { type: 'static', requiredScopes: o.requiredScopes, optionalScopes: o.optionalScopes },
        ...('origin' in backend ? { permittedUrls: { fetch: [backend.origin] } } : {}),
        ...(Object.keys(support).length > 0 ? { support } : {}),
      },
    },
    'src/app/webhooks/webhooks-hsmeta.json': {
      uid: WEBHOOKS_UID,
      type: 'webhooks',
      config: {
        settings: { targetUrl: o.targetUrl, maxConcurrentRequests: MAX_CONCURRENT_REQUESTS },
        // The legacy types carry the same events as the generic object.* ones, in the format the receiver
        // reads, and they are the list an admin of a legacy private app types into its Webhooks tab: one list
        // for both ways of installing. Leads have no legacy type: theirs (HANDOFF_MODE=lead) are generic.
        subscriptions: {
          crmObjects: o.subscriptions
            .filter((s) => s.objectType !== undefined)
            .map((s) => ({ subscriptionType: s.subscriptionType, objectType: s.objectType, ...(s.propertyName !== undefined ? { propertyName: s.propertyName } : {}), active: true })),
          legacyCrmObjects: o.subscriptions
            .filter((s) => s.objectType === undefined)
            .map((s) => ({ subscriptionType: s.subscriptionType, ...(s.propertyName !== undefined ? { propertyName: s.propertyName } : {}), active: true })),
        },
      },
    },
    'src/app/cards/qualification-card-hsmeta.json': {
      uid: CARD_UID,
      type: 'card',
      config: {
        name: 'Lead qualification',
        description: "Why this contact has its lead status, what would move it up, and the rep's verdict on a hand-off (Universal Lead Definition).",
        location: 'crm.record.tab',
        objectTypes: ['contacts'],
        entrypoint: CARD_ENTRYPOINT,
      },
    },
    'src/app/cards/package.json': CARD_PACKAGE,
    'src/app/cards/tsconfig.json': CARD_TSCONFIG,
  };
}

/** The same subscriptions as steps for a legacy private app's Webhooks tab (subscriptions are not managed by API there). */
export function legacyWebhookSteps(targetUrl: string, subscriptions: SubscriptionSpec[]): string[] {
  const lines = [
    'In HubSpot: Settings > Integrations > Private Apps > your app > Webhooks.',
    `1. Target URL: ${targetUrl}  (event throttling: ${MAX_CONCURRENT_REQUESTS} concurrent requests)`,
    '2. Create these subscriptions (object, event, property), and make each one active:',
  ];
  for (const s of subscriptions) {
    const [prefix, event] = s.subscriptionType.split('.') as [string, string];
    const object = s.objectType ?? prefix;
    lines.push(`   - ${object.padEnd(8)} ${s.propertyName === undefined ? event : `${event.padEnd(18)}${s.propertyName}`}`);
  }
  lines.push('3. Save, then copy the client secret from the Auth tab into HUBSPOT_CLIENT_SECRET.');
  return lines;
}

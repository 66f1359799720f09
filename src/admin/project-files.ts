import { z } from 'zod';
import type { SubscriptionSpec } from '../sync/subscriptions';
import { REQUIRED_SCOPES } from './scopes';

/**
 * The HubSpot project for the 2025.2 developer platform (shared platform doc, "Developer platform 2025.2"):
 * `hsproject.json`, the app component and the webhooks component, with exactly the subscriptions the
 * definition needs. Pure: the caller writes the files.
 */

export const PLATFORM_VERSION = '2025.2';

const active = z.literal(true);
/** Legacy subscription types (`contact.propertyChange`) name the object in the type; only property changes name a property. */
const legacySubscription = z
  .object({ subscriptionType: z.string().regex(/^(contact|company|deal)\.(creation|deletion|merge|restore|associationChange|propertyChange|privacyDeletion)$/), propertyName: z.string().min(1).optional(), active })
  .strict()
  .refine((s) => s.subscriptionType.endsWith('.propertyChange') === (s.propertyName !== undefined), { message: 'propertyName is required for, and only for, propertyChange subscriptions' });
const genericSubscription = z
  .object({ subscriptionType: z.string().regex(/^object\.[a-zA-Z]+$/), objectType: z.string().min(1), propertyName: z.string().min(1).optional(), active })
  .strict();

/** The shapes the shared platform doc gives, strict: a misspelt key is an error, not ignored. */
export const PROJECT_SCHEMAS = {
  'hsproject.json': z.object({ name: z.string().min(1), srcDir: z.literal('src'), platformVersion: z.literal(PLATFORM_VERSION) }).strict(),
  'src/app/app-hsmeta.json': z
    .object({
      uid: z.string().regex(/^[a-z0-9_-]+$/i),
      type: z.literal('app'),
      config: z
        .object({
          name: z.string().min(1),
          description: z.string().optional(),
          distribution: z.literal('private'),
          auth: z.object({ type: z.literal('static'), requiredScopes: z.array(z.string().min(1)).min(1), optionalScopes: z.array(z.string()).optional() }).strict(),
        })
        .strict(),
    })
    .strict(),
  'src/app/webhooks/webhooks-hsmeta.json': z
    .object({
      uid: z.string().min(1),
      type: z.literal('webhooks'),
      config: z
        .object({
          settings: z.object({ targetUrl: z.string().url(), maxConcurrentRequests: z.number().int().min(1) }).strict(),
          subscriptions: z.object({ crmObjects: z.array(genericSubscription), legacyCrmObjects: z.array(legacySubscription) }).strict(),
        })
        .strict(),
    })
    .strict(),
} as const;

export type ProjectFileName = keyof typeof PROJECT_SCHEMAS;

export interface ProjectOptions {
  /** The project and app name in HubSpot. */
  name: string;
  /** WEBHOOK_PUBLIC_URL: where HubSpot delivers events. */
  targetUrl: string;
  subscriptions: SubscriptionSpec[];
  /** HubSpot delivers at most this many requests at once (its default is 10). */
  maxConcurrentRequests?: number;
}

/** The three files, as objects keyed by their path inside the project folder. */
export function projectFiles(o: ProjectOptions): Record<ProjectFileName, unknown> {
  return {
    'hsproject.json': { name: o.name, srcDir: 'src', platformVersion: PLATFORM_VERSION },
    'src/app/app-hsmeta.json': {
      uid: 'universal_lead_definition',
      type: 'app',
      config: {
        name: o.name,
        description: 'Applies the agreed lead definition to every contact and writes qualification, conversion and cycle-time properties.',
        distribution: 'private',
        auth: { type: 'static', requiredScopes: REQUIRED_SCOPES.map((s) => s.scope) },
      },
    },
    'src/app/webhooks/webhooks-hsmeta.json': {
      uid: 'webhooks',
      type: 'webhooks',
      config: {
        settings: { targetUrl: o.targetUrl, maxConcurrentRequests: o.maxConcurrentRequests ?? 10 },
        // The legacy types carry the same events as the generic object.* ones, and they are the list an admin
        // of a legacy private app types into its Webhooks tab: one list for both ways of installing.
        subscriptions: {
          crmObjects: [],
          legacyCrmObjects: o.subscriptions.map((s) => ({ subscriptionType: s.subscriptionType, ...(s.propertyName !== undefined ? { propertyName: s.propertyName } : {}), active: true as const })),
        },
      },
    },
  };
}

/** Every problem of every file, as `file: path: message`; empty when all three match the shapes. */
export function validateProjectFiles(files: Partial<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(PROJECT_SCHEMAS) as Array<[ProjectFileName, z.ZodType]>) {
    if (!(name in files)) {
      problems.push(`${name}: missing`);
      continue;
    }
    const result = schema.safeParse(files[name]);
    if (!result.success) for (const issue of result.error.issues) problems.push(`${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return problems;
}

/** The same subscriptions as steps for a legacy private app's Webhooks tab (subscriptions are not managed by API there). */
export function legacyWebhookSteps(targetUrl: string, subscriptions: SubscriptionSpec[]): string[] {
  const lines = [
    'In HubSpot: Settings > Integrations > Private Apps > your app > Webhooks.',
    `1. Target URL: ${targetUrl}  (event throttling: 10 concurrent requests)`,
    '2. Create these subscriptions (object, event, property), and make each one active:',
  ];
  for (const s of subscriptions) {
    const [object, event] = s.subscriptionType.split('.') as [string, string];
    lines.push(`   - ${object.padEnd(8)} ${s.propertyName === undefined ? event : `${event.padEnd(18)}${s.propertyName}`}`);
  }
  lines.push('3. Save, then copy the client secret from the Auth tab into HUBSPOT_CLIENT_SECRET.');
  return lines;
}

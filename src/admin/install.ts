import type { CompiledDefinition } from '../definition';
import type { CrmGateway, TokenInfo } from '../hubspot/types';
import { ensureProductProperties, type PropertyPlanLine } from '../sync/install-properties';
import { subscriptionsFor, type SubscriptionSpec } from '../sync/subscriptions';
import { legacyWebhookSteps } from './project-files';
import { grantScopesFix, RecordError } from '../hubspot';
import { missingScopes, type ScopeFeatures } from './scopes';

/** The gateway as the admin tools need it: the CRM calls plus token introspection. */
export type AdminGateway = CrmGateway & { tokenInfo(): Promise<TokenInfo> };

export interface InstallOptions {
  gateway: AdminGateway;
  definition: CompiledDefinition;
  /** WEBHOOK_PUBLIC_URL, for the legacy private app's Webhooks tab steps. */
  targetUrl?: string;
  /** The features that are on: a scope only a feature that is off uses is not demanded. All on when absent. */
  features?: ScopeFeatures;
}

export interface InstallReport {
  /** What HubSpot's token lookup said; `undescribed` when it does not describe this token (scopes unchecked). */
  token: TokenInfo | { undescribed: string };
  /** Required scopes the token lacks: when any, no property was touched. */
  missingScopes: Array<{ scope: string; why: string }>;
  properties: PropertyPlanLine[];
  subscriptions: SubscriptionSpec[];
  legacySteps: string[];
  /** True when nothing in the portal had to change. */
  unchanged: boolean;
}

/**
 * `uld install`: checks the token's scopes, creates or updates the uld group and properties (never deletes),
 * and lists the definition's webhook subscriptions for a legacy private app. The project app's files, scopes
 * and subscriptions included, are `uld init`'s: the token this needs exists only once that project is uploaded
 * and installed. Idempotent: a second run changes nothing and says so.
 */
export async function install(o: InstallOptions): Promise<InstallReport> {
  const token = await describeToken(o.gateway);
  const missing = 'undescribed' in token ? [] : missingScopes(token.scopes, o.features);
  const subscriptions = subscriptionsFor(o.definition, o.features?.handOffLead ? { handOffMode: 'lead' } : {});

  // Without the schema scopes every property call would fail with a 403 halfway through: stop before.
  const properties = missing.length === 0 ? await ensureProductProperties(o.gateway) : [];
  return {
    token,
    missingScopes: missing,
    properties,
    subscriptions,
    legacySteps: legacyWebhookSteps(o.targetUrl ?? '<WEBHOOK_PUBLIC_URL>', subscriptions),
    unchanged: missing.length === 0 && properties.every((p) => p.action === 'ok'),
  };
}

/**
 * The token as HubSpot's private-app token lookup describes it. That lookup is documented for private apps;
 * that it answers for a project app's static token is not confirmed (shared platform doc §3, api-version.ts),
 * so a 4xx other than 401/403 (a token it does not know) is not fatal: the scopes then go unchecked up front,
 * and the first call that lacks one names it (403 MISSING_SCOPES, one line). A rejected token (401), a
 * refusal (403), an outage or a rate limit still stop the command as they are.
 */
export async function describeToken(gateway: AdminGateway): Promise<TokenInfo | { undescribed: string }> {
  try {
    return await gateway.tokenInfo();
  } catch (err) {
    if (err instanceof RecordError) return { undescribed: err.message };
    throw err;
  }
}

/** The report as an admin reads it. */
export function renderInstall(r: InstallReport): string {
  const out: string[] = [];
  if ('undescribed' in r.token) {
    out.push(`Token: HubSpot's token lookup does not describe it (${r.token.undescribed}); its scopes are not checked up front: a call that lacks one names it`);
  } else out.push(`Token: portal ${r.token.hubId ?? '?'}, app ${r.token.appId ?? '?'}, ${r.token.scopes.length} scopes`);
  if (r.missingScopes.length > 0) {
    out.push(`MISSING SCOPES: the token lacks ${r.missingScopes.length} required scope${r.missingScopes.length === 1 ? '' : 's'}; ${grantScopesFix(r.missingScopes.length)}, then run \`uld install\` again:`);
    for (const m of r.missingScopes) out.push(`  - ${m.scope}: to ${m.why}`);
    out.push('No property was created or changed.');
  } else {
    const created = r.properties.filter((p) => p.action === 'create');
    const updated = r.properties.filter((p) => p.action === 'update');
    for (const p of created) out.push(`  created  ${p.objectType}.${p.name}`);
    for (const p of updated) out.push(`  updated  ${p.objectType}.${p.name} (${(p.differences ?? []).join(', ')})`);
    out.push(
      created.length + updated.length === 0
        ? `Properties: all ${r.properties.length} uld_* properties already as they should be; nothing changed`
        : `Properties: ${created.length} created, ${updated.length} updated, ${r.properties.length - created.length - updated.length} already right (nothing is ever deleted)`,
    );
  }
  out.push(`\nWebhook subscriptions the definition needs (${r.subscriptions.length}): a project app gets them from \`uld init\` (run it again after changing the definition, then \`hs project upload\`). For a legacy private app:`);
  out.push(...r.legacySteps.map((l) => `  ${l}`));
  out.push(r.unchanged ? '\nNothing to change: the portal is installed as this definition needs.' : '');
  return `${out.join('\n')}\n`;
}

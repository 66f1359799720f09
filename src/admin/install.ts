import fs from 'node:fs';
import path from 'node:path';
import type { CompiledDefinition } from '../definition';
import type { CrmGateway, TokenInfo } from '../hubspot/types';
import { ensureProductProperties, type PropertyPlanLine } from '../sync/install-properties';
import { subscriptionsFor, type SubscriptionSpec } from '../sync/subscriptions';
import { legacyWebhookSteps, projectFiles, validateProjectFiles } from './project-files';
import { grantScopesFix } from '../hubspot';
import { missingScopes } from './scopes';

/** The gateway as the admin tools need it: the CRM calls plus token introspection. */
export type AdminGateway = CrmGateway & { tokenInfo(): Promise<TokenInfo> };

export interface InstallOptions {
  gateway: AdminGateway;
  definition: CompiledDefinition;
  /** WEBHOOK_PUBLIC_URL; without it no project files can be written (HubSpot needs a target URL). */
  targetUrl?: string;
  /** Folder for the HubSpot project files; none written when absent. */
  projectDir?: string;
  projectName?: string;
}

export interface ProjectFileLine {
  file: string;
  action: 'create' | 'update' | 'ok';
}

export interface InstallReport {
  token: TokenInfo;
  /** Required scopes the token lacks: when any, no property was touched. */
  missingScopes: Array<{ scope: string; why: string }>;
  properties: PropertyPlanLine[];
  subscriptions: SubscriptionSpec[];
  projectFiles: ProjectFileLine[];
  /** Problems that do not stop the install (a plain-http target URL, no WEBHOOK_PUBLIC_URL). */
  warnings: string[];
  legacySteps: string[];
  /** True when nothing in the portal or on disk had to change. */
  unchanged: boolean;
}

/**
 * `uld install`: checks the token's scopes, creates or updates the uld group and properties (never deletes),
 * writes the HubSpot project files with exactly the subscriptions the definition needs, and lists the same
 * subscriptions for a legacy private app. Idempotent: a second run changes nothing and says so.
 */
export async function install(o: InstallOptions): Promise<InstallReport> {
  const token = await o.gateway.tokenInfo();
  const missing = missingScopes(token.scopes);
  const subscriptions = subscriptionsFor(o.definition);
  const warnings: string[] = [];
  const files: ProjectFileLine[] = [];

  if (o.projectDir !== undefined) {
    if (!o.targetUrl) {
      warnings.push('WEBHOOK_PUBLIC_URL is not set: no project files written (HubSpot needs the public URL of POST /webhooks/hubspot as the target URL)');
    } else {
      if (!o.targetUrl.startsWith('https://')) warnings.push(`WEBHOOK_PUBLIC_URL ${o.targetUrl} is not https: HubSpot delivers webhooks to https URLs only, so \`hs project upload\` will refuse it`);
      files.push(...writeProjectFiles(o.projectDir, projectFiles({ name: o.projectName ?? 'Universal Lead Definition', targetUrl: o.targetUrl, subscriptions })));
    }
  }

  // Without the schema scopes every property call would fail with a 403 halfway through: stop before.
  const properties = missing.length === 0 ? await ensureProductProperties(o.gateway) : [];
  return {
    token,
    missingScopes: missing,
    properties,
    subscriptions,
    projectFiles: files,
    warnings,
    legacySteps: legacyWebhookSteps(o.targetUrl ?? '<WEBHOOK_PUBLIC_URL>', subscriptions),
    unchanged: missing.length === 0 && properties.every((p) => p.action === 'ok') && files.every((f) => f.action === 'ok'),
  };
}

/** Writes each file only when its content differs, so a second run touches nothing on disk either. */
function writeProjectFiles(dir: string, files: Record<string, unknown>): ProjectFileLine[] {
  const problems = validateProjectFiles(files);
  // Our own output failing the shapes is a bug; writing it would only move the error to `hs project upload`.
  if (problems.length > 0) throw new Error(`generated project files do not match HubSpot's shapes: ${problems.join('; ')}`);
  const lines: ProjectFileLine[] = [];
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    const text = `${JSON.stringify(content, null, 2)}\n`;
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (before === text) {
      lines.push({ file: name, action: 'ok' });
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    lines.push({ file: name, action: before === undefined ? 'create' : 'update' });
  }
  return lines;
}

/** The report as an admin reads it. */
export function renderInstall(r: InstallReport, projectDir?: string): string {
  const out: string[] = [];
  out.push(`Token: portal ${r.token.hubId ?? '?'}, app ${r.token.appId ?? '?'}, ${r.token.scopes.length} scopes`);
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
  if (r.projectFiles.length > 0) {
    const changed = r.projectFiles.filter((f) => f.action !== 'ok');
    out.push(
      changed.length === 0
        ? `Project files in ${projectDir}: unchanged`
        : `Project files in ${projectDir}: ${changed.map((f) => `${f.action === 'create' ? 'wrote' : 'updated'} ${f.file}`).join(', ')} (upload with \`hs project upload\`)`,
    );
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push(`\nWebhook subscriptions the definition needs (${r.subscriptions.length}). For a legacy private app:`);
  out.push(...r.legacySteps.map((l) => `  ${l}`));
  out.push(r.unchanged ? '\nNothing to change: the portal is installed as this definition needs.' : '');
  return `${out.join('\n')}\n`;
}

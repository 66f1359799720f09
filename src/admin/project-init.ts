import fs from 'node:fs';
import path from 'node:path';
import type { SubscriptionSpec } from '../sync/subscriptions';
import { backendOrigin, projectFiles, type InitPlatformVersion, type SupportDetails } from './project-files';
import { mergeOwned, type FieldChange, type Json, type ListKeys } from './project-merge';
import { PROJECT_FILE_NAMES, validateProjectFiles, type ProjectFileName } from './project-schemas';

/**
 * `uld init`: writes the HubSpot project, or updates the one on disk, without a token or the network. What it
 * last wrote is kept in STATE_FILE beside hsproject.json (outside srcDir: HubSpot's CLI uploads srcDir only), so
 * a second run tells an admin's edits from its own (the rule is in project-merge.ts and docs/admin.md).
 */

export const STATE_FILE = '.uld-init.json';

interface InitState {
  /** What `uld init` wrote, per file and owned path. */
  files: Partial<Record<ProjectFileName, Record<string, Json>>>;
}

export interface InitOptions {
  dir: string;
  platformVersion: InitPlatformVersion;
  /** The admin named the version on the command line: it replaces a hand-edited one. */
  platformVersionExplicit?: boolean;
  targetUrl: string;
  subscriptions: SubscriptionSpec[];
  requiredScopes: string[];
  optionalScopes: string[];
  support?: SupportDetails;
}

export interface InitFileReport {
  file: ProjectFileName;
  action: 'create' | 'update' | 'ok';
  changes: FieldChange[];
}

export interface InitReport {
  dir: string;
  files: InitFileReport[];
  /** Things to fix that do not stop init: a plain-http URL, an admin's edit HubSpot will refuse. */
  warnings: string[];
}

/** A project file on disk that cannot be read as JSON: the admin's to fix, said in one line. */
export class ProjectFileError extends Error {
  override name = 'ProjectFileError';
}

const subscriptionKey = (s: Json) => {
  const o = (s ?? {}) as { subscriptionType?: unknown; objectType?: unknown; propertyName?: unknown };
  return [o.subscriptionType, o.objectType, o.propertyName].filter((x) => x !== undefined).join(' ');
};
const itself = (s: Json) => String(s);
/** The lists merged item by item; every other owned field is one value. */
const LISTS: Record<ProjectFileName, ListKeys> = {
  'hsproject.json': {},
  'src/app/app-hsmeta.json': { 'config.auth.requiredScopes': itself, 'config.auth.optionalScopes': itself, 'config.permittedUrls.fetch': itself },
  'src/app/webhooks/webhooks-hsmeta.json': { 'config.subscriptions.legacyCrmObjects': subscriptionKey, 'config.subscriptions.crmObjects': subscriptionKey },
};

function readJson(file: string, name: string): Record<string, Json> | undefined {
  if (!fs.existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProjectFileError(`${name} is not valid JSON (${(err as Error).message}): fix it, or delete it and run \`uld init\` again`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProjectFileError(`${name} is not a JSON object: fix it, or delete it and run \`uld init\` again`);
  return value as Record<string, Json>;
}

export function initProject(o: InitOptions): InitReport {
  const wanted = projectFiles(o) as Record<ProjectFileName, Record<string, Json>>;
  // Our own output failing the shapes is a bug; writing it would only move the error to `hs project upload`.
  const own = validateProjectFiles(wanted);
  if (own.length > 0) throw new Error(`internal error: the project uld wants does not match HubSpot's shapes: ${own.join('; ')}`);

  const warnings: string[] = [];
  const backend = backendOrigin(o.targetUrl);
  if ('problem' in backend) warnings.push(backend.problem);

  const statePath = path.join(o.dir, STATE_FILE);
  const state = (readJson(statePath, STATE_FILE) as InitState | undefined) ?? { files: {} };
  const next: InitState = { files: {} };
  const merged: Partial<Record<ProjectFileName, Record<string, Json>>> = {};
  const files: InitFileReport[] = [];
  const texts: Array<[string, string]> = [];
  for (const name of PROJECT_FILE_NAMES) {
    const file = path.join(o.dir, name);
    const current = readJson(file, name);
    const force = name === 'hsproject.json' && o.platformVersionExplicit ? new Set(['platformVersion']) : undefined;
    const result = mergeOwned(current, wanted[name], state.files[name], LISTS[name], force ? { force } : {});
    merged[name] = result.content;
    next.files[name] = result.written;
    const text = `${JSON.stringify(result.content, null, 2)}\n`;
    const changed = current === undefined || text !== fs.readFileSync(file, 'utf8');
    if (changed) texts.push([file, text]);
    files.push({ file: name, action: current === undefined ? 'create' : changed ? 'update' : 'ok', changes: result.changes });
  }
  // An admin's edit HubSpot documents as invalid is kept, and said: upload would refuse it.
  for (const p of validateProjectFiles(merged)) warnings.push(`HubSpot will refuse ${p}`);

  texts.push([statePath, `${JSON.stringify(next, null, 2)}\n`]);
  for (const [file, text] of texts) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return { dir: o.dir, files, warnings };
}

const VERBS: Record<FieldChange['kind'], string> = {
  set: 'set',
  updated: 'updated',
  removed: 'removed',
  'added-item': 'added',
  'removed-item': 'removed',
  'kept-edit': 'kept your edit of',
  'kept-item': 'kept your own',
  'kept-removal': 'kept your removal of',
};
const YOURS = new Set<FieldChange['kind']>(['kept-edit', 'kept-item', 'kept-removal']);

/** The report as an admin reads it: what changed per file, then what of theirs was kept. */
export function renderInit(r: InitReport): string {
  const out: string[] = [];
  for (const f of r.files) {
    const mine = f.changes.filter((c) => !YOURS.has(c.kind));
    const yours = f.changes.filter((c) => YOURS.has(c.kind));
    out.push(`${(f.action === 'create' ? 'wrote' : f.action === 'update' ? 'updated' : 'unchanged').padEnd(10)}${f.file}`);
    // A new file is all new: listing every field would hide what matters.
    if (f.action !== 'create') for (const c of mine) out.push(`    ${VERBS[c.kind]} ${c.path}: ${c.detail}`);
    for (const c of yours) out.push(`    ${VERBS[c.kind]} ${c.path}: ${c.detail}`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  const anyChange = r.files.some((f) => f.action !== 'ok');
  out.push(anyChange ? `\nProject in ${r.dir}. Next: \`npx @hubspot/cli project upload\` there (then install the app and copy its token and client secret: docs/admin.md, "Installing on today's HubSpot").` : `\nProject in ${r.dir}: nothing to change.`);
  return `${out.join('\n')}\n`;
}

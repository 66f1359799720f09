import fs from 'node:fs';
import path from 'node:path';
import type { SubscriptionSpec } from '../sync/subscriptions';
import { cardSources, decideSources } from './project-card';
import { backendOrigin, DEFAULT_PLATFORM_VERSION, INIT_PLATFORM_VERSIONS, projectFiles, type InitPlatformVersion, type SupportDetails } from './project-files';
import { mergeOwned, type FieldChange, type Json, type ListKeys, type Theirs } from './project-merge';
import { CARD_HSMETA, PROJECT_FILE_NAMES, validateProjectFiles, type ProjectFileName } from './project-schemas';

/**
 * `uld init`: writes the HubSpot project, or updates the one on disk, without a token or the network. What it
 * last wrote is kept in STATE_FILE beside hsproject.json (outside srcDir: HubSpot's CLI uploads srcDir only), so
 * a second run tells an admin's edits from its own (the rule is in project-merge.ts and docs/admin.md).
 */

export const STATE_FILE = '.uld-init.json';

interface InitState {
  /**
   * The version last named with --platform-version: later runs without the option keep it. Without this, the
   * documented fallback (2026.03 after an upload refused 2026.09) would be undone by the next plain `uld init`.
   */
  platformVersion?: InitPlatformVersion;
  /** What `uld init` wrote, per file and owned path. */
  files: Partial<Record<ProjectFileName, Record<string, Json>>>;
  /** Per file, the owned fields and list items that were the admin's before uld wanted them (project-merge.ts). */
  theirs?: Partial<Record<ProjectFileName, Theirs>>;
  /** The card's source files as last written, by path: their sha256 (project-card.ts). */
  sources?: Record<string, string>;
}

export interface InitOptions {
  dir: string;
  /**
   * The version named on the command line, if any: it replaces a hand-edited one and is kept for later runs.
   * Without it, the one named on an earlier run, else DEFAULT_PLATFORM_VERSION.
   */
  platformVersion?: InitPlatformVersion;
  targetUrl: string;
  subscriptions: SubscriptionSpec[];
  requiredScopes: string[];
  optionalScopes: string[];
  support?: SupportDetails;
}

export interface InitFileReport {
  /** A JSON file (ProjectFileName) or one of the card's sources. */
  file: string;
  action: 'create' | 'update' | 'ok' | 'remove';
  changes: FieldChange[];
}

/** The version written and why: named now, named on an earlier run, or the default. */
export interface PlatformVersionChoice {
  version: InitPlatformVersion;
  source: 'option' | 'earlier-option' | 'default';
}

export interface InitReport {
  dir: string;
  platformVersion: PlatformVersionChoice;
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
  'src/app/cards/qualification-card-hsmeta.json': { 'config.objectTypes': itself },
  'src/app/cards/package.json': {},
  'src/app/cards/tsconfig.json': { 'compilerOptions.lib': itself, 'compilerOptions.types': itself, include: itself },
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

/** The version named now wins; else the one named on an earlier run; else the default. */
function choosePlatformVersion(named: InitPlatformVersion | undefined, state: InitState): PlatformVersionChoice {
  if (named) return { version: named, source: 'option' };
  const earlier = state.platformVersion;
  if (earlier !== undefined && (INIT_PLATFORM_VERSIONS as readonly unknown[]).includes(earlier)) return { version: earlier, source: 'earlier-option' };
  if (earlier !== undefined) throw new ProjectFileError(`${STATE_FILE} records platformVersion ${JSON.stringify(earlier)}, which uld init does not write: name one with --platform-version ${INIT_PLATFORM_VERSIONS.join(' or ')}`);
  return { version: DEFAULT_PLATFORM_VERSION, source: 'default' };
}

export function initProject(o: InitOptions): InitReport {
  const statePath = path.join(o.dir, STATE_FILE);
  const state = (readJson(statePath, STATE_FILE) as InitState | undefined) ?? { files: {} };
  const platformVersion = choosePlatformVersion(o.platformVersion, state);

  const wanted = projectFiles({ ...o, platformVersion: platformVersion.version }) as Record<ProjectFileName, Record<string, Json>>;
  // Our own output failing the shapes is a bug; writing it would only move the error to `hs project upload`.
  const own = validateProjectFiles(wanted);
  if (own.length > 0) throw new Error(`internal error: the project uld wants does not match HubSpot's shapes: ${own.join('; ')}`);

  const warnings: string[] = [];
  const backend = backendOrigin(o.targetUrl);
  if ('problem' in backend) {
    warnings.push(backend.problem);
    warnings.push('the qualification card cannot call its backend until WEBHOOK_PUBLIC_URL is an https URL HubSpot can reach: it was written with a placeholder origin; set the URL and run `uld init` again');
  }

  const next: InitState = { ...(platformVersion.source === 'default' ? {} : { platformVersion: platformVersion.version }), files: {}, theirs: {} };
  const merged: Partial<Record<ProjectFileName, Record<string, Json>>> = {};
  const files: InitFileReport[] = [];
  const texts: Array<[string, string]> = [];
  for (const name of PROJECT_FILE_NAMES) {
    const file = path.join(o.dir, name);
    const current = readJson(file, name);
    const force = name === 'hsproject.json' && platformVersion.source === 'option' ? new Set(['platformVersion']) : undefined;
    const result = mergeOwned(current, wanted[name], state.files[name], LISTS[name], { ...(force ? { force } : {}), theirs: state.theirs?.[name] ?? {} });
    merged[name] = result.content;
    next.files[name] = result.written;
    if (Object.keys(result.theirs).length > 0) next.theirs![name] = result.theirs;
    const text = `${JSON.stringify(result.content, null, 2)}\n`;
    const changed = current === undefined || text !== fs.readFileSync(file, 'utf8');
    if (changed) texts.push([file, text]);
    files.push({ file: name, action: current === undefined ? 'create' : changed ? 'update' : 'ok', changes: result.changes });
  }
  // An admin's edit HubSpot documents as invalid is kept, and said: upload would refuse it.
  for (const p of validateProjectFiles(merged)) warnings.push(`HubSpot will refuse ${p}`);

  const wantedSources = cardSources('origin' in backend ? backend.origin : null);
  const onDisk = Object.fromEntries([...Object.keys(wantedSources), ...Object.keys(state.sources ?? {})].map((f) => [f, readText(path.join(o.dir, f))]));
  const sources = decideSources(onDisk, wantedSources, state.sources ?? {});
  next.sources = sources.written;
  const removals: string[] = [];
  for (const d of sources.decisions) {
    if (d.write !== undefined) texts.push([path.join(o.dir, d.file), d.write]);
    if (d.action === 'remove') removals.push(path.join(o.dir, d.file));
    files.push({ file: d.file, action: d.action, changes: d.changes });
  }

  texts.push([statePath, `${JSON.stringify(next, null, 2)}\n`]);
  for (const [file, text] of texts) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  for (const file of removals) fs.rmSync(file);
  return { dir: o.dir, platformVersion, files, warnings };
}

function readText(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
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
const ACTIONS: Record<InitFileReport['action'], string> = { create: 'wrote', update: 'updated', ok: 'unchanged', remove: 'removed' };
const YOURS = new Set<FieldChange['kind']>(['kept-edit', 'kept-item', 'kept-removal']);

/** Which platform version the project is for and why, so a kept fallback is never a surprise. */
function renderPlatformVersion({ version, source }: PlatformVersionChoice): string {
  const others = INIT_PLATFORM_VERSIONS.filter((v) => v !== version).join(' or ');
  const why = {
    option: `named with --platform-version; later runs keep it until another --platform-version is named`,
    'earlier-option': `named with --platform-version on an earlier run (kept in ${STATE_FILE}); \`uld init --platform-version ${others}\` moves it`,
    default: `the default; if \`project upload\` refuses it, run \`uld init --platform-version ${others}\` (the documented fallback)`,
  }[source];
  return `platform version ${version}: ${why}`;
}

/** The report as an admin reads it: the platform version, what changed per file, then what of theirs was kept. */
export function renderInit(r: InitReport): string {
  const out: string[] = [renderPlatformVersion(r.platformVersion)];
  for (const f of r.files) {
    const mine = f.changes.filter((c) => !YOURS.has(c.kind));
    const yours = f.changes.filter((c) => YOURS.has(c.kind));
    out.push(`${ACTIONS[f.action].padEnd(10)}${f.file}`);
    // A new file is all new: listing every field would hide what matters. A removed one says it all.
    if (f.action !== 'create' && f.action !== 'remove') for (const c of mine) out.push(`    ${VERBS[c.kind]} ${c.path}: ${c.detail}`);
    for (const c of yours) out.push(`    ${VERBS[c.kind]} ${c.path}: ${c.detail}`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  // HubSpot shows a new card nowhere until a user adds it to a record view (platform doc §5.1).
  if (r.files.some((f) => f.file === CARD_HSMETA && f.action === 'create')) out.push(`note: after the upload, add the "Lead qualification" card to the contact record view (record > Customize > + > Card library, filter by App): docs/card.md`);
  const anyChange = r.files.some((f) => f.action !== 'ok');
  out.push(anyChange ? `\nProject in ${r.dir}. Next: \`npx @hubspot/cli project upload\` there (then install the app and copy its token and client secret: docs/admin.md, "Installing on today's HubSpot").` : `\nProject in ${r.dir}: nothing to change.`);
  return `${out.join('\n')}\n`;
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FieldChange } from './project-merge';

/**
 * The qualification card's sources in the project `uld init` writes: every .ts/.tsx file of this repository's
 * card/src (the tests live in card/test and are not copied), into src/app/cards/, with backend.ts written for
 * the origin of WEBHOOK_PUBLIC_URL. Its JSON files (component, package.json, tsconfig.json) are merged field by
 * field like the others (project-files.ts); sources are whole files, so the rule here is per file:
 *
 * - A file uld wants and the folder lacks is written; one that still holds what uld wrote last time (its hash
 *   is in the state file) is updated.
 * - One that differs from what uld wrote last time, or that uld never wrote, was edited by the admin: it stays,
 *   and the report says so (delete it and run `uld init` again to take uld's).
 * - One uld wrote earlier and no longer wants is removed if unchanged, else kept.
 * - Any other file in the folder is the admin's and never touched.
 */

export const CARD_FOLDER = 'src/app/cards';
export const BACKEND_FILE = 'backend.ts';
/** Reserved for documentation (RFC 2606): never resolves, so a card with it fails loudly instead of calling anyone. */
export const PLACEHOLDER_ORIGIN = 'https://uld-backend.invalid';

/** backend.ts as `uld init` writes it; the repository's card/src/backend.ts is this with the placeholder. */
export function backendModule(origin: string | null): string {
  const why =
    origin === null
      ? ' * A placeholder: WEBHOOK_PUBLIC_URL is not an https origin HubSpot accepts, so the card cannot call its\n * backend. Set it and run `uld init` again.\n'
      : ' * The origin of WEBHOOK_PUBLIC_URL, which is also listed in permittedUrls.fetch of app-hsmeta.json.\n';
  return `/**\n * Where the card's backend (\`uld serve\`) answers. Written by \`uld init\`: run it again rather than editing.\n${why} */\nexport const BACKEND_ORIGIN = ${JSON.stringify(origin ?? PLACEHOLDER_ORIGIN)};\n`;
}

/** This repository's card/, from the source tree or from dist/ (the card is not compiled into dist). */
export function cardRepoDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'card', 'src', 'contract.ts'))) return path.join(dir, 'card');
    if (path.dirname(dir) === dir) throw new Error(`internal error: the card's sources (card/src) are not beside ${from}: reinstall uld`);
  }
}

/** The sources uld wants in the project, keyed by their path in it. */
export function cardSources(origin: string | null, cardDir = cardRepoDir()): Record<string, string> {
  const src = path.join(cardDir, 'src');
  const out: Record<string, string> = {};
  const names = new Set([...fs.readdirSync(src).filter((name) => /\.tsx?$/.test(name)), BACKEND_FILE]);
  for (const name of [...names].sort()) out[`${CARD_FOLDER}/${name}`] = name === BACKEND_FILE ? backendModule(origin) : fs.readFileSync(path.join(src, name), 'utf8');
  return out;
}

export const hashText = (text: string) => createHash('sha256').update(text).digest('hex');

export interface SourceDecision {
  file: string;
  action: 'create' | 'update' | 'ok' | 'remove';
  /** The text to write (create, update), or undefined. */
  write?: string;
  changes: FieldChange[];
}

/**
 * The rule above, pure: what is on disk (undefined when absent), what uld wants now, and the hashes of what it
 * wrote last time. Returns one decision per file concerned and the hashes to record for the next run.
 */
export function decideSources(onDisk: Record<string, string | undefined>, wanted: Record<string, string>, last: Record<string, string>): { decisions: SourceDecision[]; written: Record<string, string> } {
  const decisions: SourceDecision[] = [];
  const written: Record<string, string> = {};
  for (const [file, text] of Object.entries(wanted)) {
    const current = onDisk[file];
    const want = hashText(text);
    written[file] = want;
    if (current === undefined) decisions.push({ file, action: 'create', write: text, changes: [] });
    else if (current === text) decisions.push({ file, action: 'ok', changes: [] });
    else if (last[file] !== undefined && hashText(current) === last[file]) decisions.push({ file, action: 'update', write: text, changes: [{ path: 'file', kind: 'updated', detail: "uld's version changed (a new uld, or a new WEBHOOK_PUBLIC_URL in backend.ts)" }] });
    else decisions.push({ file, action: 'ok', changes: [{ path: 'file', kind: 'kept-edit', detail: "your version kept; delete the file and run `uld init` again to take uld's" }] });
  }
  for (const [file, hash] of Object.entries(last)) {
    if (file in wanted) continue;
    const current = onDisk[file];
    if (current === undefined) continue;
    if (hashText(current) === hash) decisions.push({ file, action: 'remove', changes: [{ path: 'file', kind: 'removed', detail: 'no longer part of the card' }] });
    else decisions.push({ file, action: 'ok', changes: [{ path: 'file', kind: 'kept-edit', detail: 'no longer part of the card; kept because you edited it' }] });
  }
  return { decisions, written };
}

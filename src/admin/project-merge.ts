import { isDeepStrictEqual } from 'node:util';

/**
 * How `uld init` updates a project file an admin may have edited: a three-way merge per field it owns, between
 * what is on disk, what it wants now, and what it wrote last time (the state file). Pure, so the rule is tested
 * without a disk:
 *
 * - A field it owns is every leaf of the file it wants (`config.settings.targetUrl`, ...). Missing on disk: it
 *   is written. On disk as it was last written: it is updated. Otherwise the admin edited it: the admin's value
 *   stays and the change says so (delete the field to take uld's value again).
 * - A list it owns (scopes, subscriptions, fetch origins) is merged by item: items it wants and lacks are added,
 *   items it added and no longer wants are removed, items it never added (the admin's own) stay, and an item it
 *   wanted that the admin removed stays removed (and is reported).
 * - Ownership is per item and per field, and kept (`theirs`) while uld wants the item: one that was on disk before
 *   uld first wanted it is the admin's, so uld never removes it, even once it stops wanting it. Without that
 *   record, a subscription an admin added by hand and the definition later needed too would be removed, as uld's,
 *   when the definition stopped needing it.
 * - A field it wrote last time and no longer wants is removed only if it still holds what was written and was
 *   not the admin's before uld wanted it.
 * - Keys it does not own are never touched.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface FieldChange {
  /** Dotted path inside the file, e.g. `config.auth.requiredScopes`. */
  path: string;
  kind: 'set' | 'updated' | 'removed' | 'added-item' | 'removed-item' | 'kept-edit' | 'kept-item' | 'kept-removal';
  /** The item or value concerned, as printed. */
  detail: string;
}

/**
 * What of uld's owned paths is the admin's: `true` for a field, the item keys for a list. Only paths uld still
 * wants are kept, since ownership decides only what uld may remove.
 */
export type Theirs = Record<string, true | string[]>;

export interface MergeResult {
  content: JsonObject;
  changes: FieldChange[];
  /** What uld wants, by owned path: the next run's "last written". */
  written: Record<string, Json>;
  /** The next run's record of what, among those paths and items, was the admin's before uld wanted it. */
  theirs: Theirs;
}

/** Lists merged by item, and how an item is named (a scope by itself, a subscription by type and property). */
export type ListKeys = Record<string, (item: Json) => string>;

export interface MergeOptions {
  /** Paths whose wanted value wins over an admin's edit, because the admin asked for it on the command line. */
  force?: ReadonlySet<string>;
  /** The last run's `theirs`. */
  theirs?: Theirs;
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: Json | undefined) => (v === undefined ? '(absent)' : JSON.stringify(v));

/** Every owned path of `wanted`: its leaves, a list counting as one leaf. */
function leaves(value: JsonObject, prefix = ''): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) Object.assign(out, leaves(v, p));
    else out[p] = v;
  }
  return out;
}

function get(o: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = o;
  for (const k of path.split('.')) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

/** Sets a path, creating the objects on the way; false when an admin put a non-object where one is needed. */
function set(o: JsonObject, path: string, value: Json): boolean {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === undefined) cur[k] = {};
    const next = cur[k];
    if (!isObject(next)) return false;
    cur = next;
  }
  cur[keys[keys.length - 1]!] = value;
  return true;
}

function remove(o: JsonObject, path: string): void {
  const keys = path.split('.');
  const parent = keys.length === 1 ? o : get(o, keys.slice(0, -1).join('.'));
  if (isObject(parent)) delete parent[keys[keys.length - 1]!];
}

export function mergeOwned(current: JsonObject | undefined, wanted: JsonObject, lastWritten: Record<string, Json> | undefined, lists: ListKeys, options: MergeOptions = {}): MergeResult {
  // A JSON round trip, not structuredClone: the copy must be plain JSON from this realm (deep equality compares prototypes).
  const content = JSON.parse(JSON.stringify(current ?? {})) as JsonObject;
  const changes: FieldChange[] = [];
  const last = lastWritten ?? {};
  const wasTheirs = options.theirs ?? {};
  const theirs: Theirs = {};
  const want = leaves(wanted);
  const paths = [...new Set([...Object.keys(want), ...Object.keys(last)])];
  for (const path of paths) {
    const keyOf = lists[path];
    const have = get(content, path);
    if (keyOf) {
      const before = wasTheirs[path];
      const merged = mergeList(Array.isArray(have) ? have : have === undefined ? [] : undefined, (want[path] ?? []) as Json[], (last[path] ?? []) as Json[], new Set(Array.isArray(before) ? before : []), keyOf, path, changes);
      if (merged === undefined) changes.push({ path, kind: 'kept-edit', detail: `${show(have)} is not a list; uld would write ${show(want[path])}` });
      else {
        if (have !== undefined || merged.items.length > 0) set(content, path, merged.items);
        if (merged.theirs.length > 0) theirs[path] = merged.theirs;
      }
      continue;
    }
    const w = want[path];
    if (w === undefined) {
      if (have === undefined) continue;
      // The admin's field, wanted by uld for a while: it stays, and is named as theirs.
      if (wasTheirs[path] === true) changes.push({ path, kind: 'kept-item', detail: show(have) });
      // Written last time, wanted no more: gone only if nobody changed it since.
      else if (isDeepStrictEqual(have, last[path])) {
        remove(content, path);
        changes.push({ path, kind: 'removed', detail: show(have) });
      }
      continue;
    }
    // On disk before uld ever wanted it (or the admin's already): the admin's for as long as uld wants it.
    if (wasTheirs[path] === true || (have !== undefined && !(path in last))) theirs[path] = true;
    if (isDeepStrictEqual(have, w)) continue;
    if (have === undefined || (path in last && isDeepStrictEqual(have, last[path])) || options.force?.has(path)) {
      if (set(content, path, w)) changes.push({ path, kind: have === undefined ? 'set' : 'updated', detail: have === undefined ? show(w) : `${show(have)} -> ${show(w)}` });
      else changes.push({ path, kind: 'kept-edit', detail: `a parent of ${path} is not an object; uld would write ${show(w)}` });
    } else {
      changes.push({ path, kind: 'kept-edit', detail: `${show(have)} kept; uld would write ${show(w)}` });
    }
  }
  return { content, changes, written: want, theirs };
}

/**
 * One list, item by item. `last` is what uld wanted last time; `wasTheirs` the keys among it that were the
 * admin's. Returns the list and the keys of wanted items that are the admin's.
 */
function mergeList(have: Json[] | undefined, want: Json[], last: Json[], wasTheirs: ReadonlySet<string>, keyOf: (item: Json) => string, path: string, changes: FieldChange[]): { items: Json[]; theirs: string[] } | undefined {
  if (have === undefined) return undefined;
  const wanted = new Map(want.map((item) => [keyOf(item), item]));
  const wantedLast = new Set(last.map(keyOf));
  const ours = (k: string) => wantedLast.has(k) && !wasTheirs.has(k);
  const items: Json[] = [];
  const theirs: string[] = [];
  const present = new Set<string>();
  for (const item of have) {
    const k = keyOf(item);
    present.add(k);
    if (wanted.has(k)) {
      items.push(item);
      // On disk though uld never wanted it: the admin put it there first, so it stays theirs.
      if (!ours(k)) theirs.push(k);
      // Our item, changed by hand (an admin deactivating a subscription): the admin's version stays.
      if (!isDeepStrictEqual(item, wanted.get(k))) changes.push({ path, kind: 'kept-edit', detail: `${k}: ${show(item)} kept; uld would write ${show(wanted.get(k))}` });
    } else if (ours(k)) {
      changes.push({ path, kind: 'removed-item', detail: k });
    } else {
      items.push(item);
      changes.push({ path, kind: 'kept-item', detail: k });
    }
  }
  for (const [k, item] of wanted) {
    if (present.has(k)) continue;
    if (wantedLast.has(k)) {
      // Wanted last time too, so the admin removed it: it stays removed, whoever added it.
      changes.push({ path, kind: 'kept-removal', detail: k });
      if (wasTheirs.has(k)) theirs.push(k);
    } else {
      items.push(item);
      changes.push({ path, kind: 'added-item', detail: k });
    }
  }
  return { items, theirs };
}

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
 *   items it wrote and no longer wants are removed, items it never wrote (the admin's own) stay, and an item it
 *   wrote that the admin removed stays removed (and is reported).
 * - A field it wrote last time and no longer wants is removed only if it still holds what was written.
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

export interface MergeResult {
  content: JsonObject;
  changes: FieldChange[];
  /** What uld wrote, by owned path: the next run's "last written". */
  written: Record<string, Json>;
}

/** Lists merged by item, and how an item is named (a scope by itself, a subscription by type and property). */
export type ListKeys = Record<string, (item: Json) => string>;

export interface MergeOptions {
  /** Paths whose wanted value wins over an admin's edit, because the admin asked for it on the command line. */
  force?: ReadonlySet<string>;
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
  const want = leaves(wanted);
  const paths = [...new Set([...Object.keys(want), ...Object.keys(last)])];
  for (const path of paths) {
    const keyOf = lists[path];
    const have = get(content, path);
    if (keyOf) {
      const merged = mergeList(Array.isArray(have) ? have : have === undefined ? [] : undefined, (want[path] ?? []) as Json[], (last[path] ?? []) as Json[], keyOf, path, changes);
      if (merged === undefined) changes.push({ path, kind: 'kept-edit', detail: `${show(have)} is not a list; uld would write ${show(want[path])}` });
      else if (have !== undefined || merged.length > 0) set(content, path, merged);
      continue;
    }
    const w = want[path];
    if (w === undefined) {
      // Written last time, wanted no more: gone only if nobody changed it since.
      if (have !== undefined && isDeepStrictEqual(have, last[path])) {
        remove(content, path);
        changes.push({ path, kind: 'removed', detail: show(have) });
      }
      continue;
    }
    if (isDeepStrictEqual(have, w)) continue;
    if (have === undefined || (path in last && isDeepStrictEqual(have, last[path])) || options.force?.has(path)) {
      if (set(content, path, w)) changes.push({ path, kind: have === undefined ? 'set' : 'updated', detail: have === undefined ? show(w) : `${show(have)} -> ${show(w)}` });
      else changes.push({ path, kind: 'kept-edit', detail: `a parent of ${path} is not an object; uld would write ${show(w)}` });
    } else {
      changes.push({ path, kind: 'kept-edit', detail: `${show(have)} kept; uld would write ${show(w)}` });
    }
  }
  return { content, changes, written: want };
}

function mergeList(have: Json[] | undefined, want: Json[], last: Json[], keyOf: (item: Json) => string, path: string, changes: FieldChange[]): Json[] | undefined {
  if (have === undefined) return undefined;
  const wanted = new Map(want.map((item) => [keyOf(item), item]));
  const ours = new Set(last.map(keyOf));
  const out: Json[] = [];
  const present = new Set<string>();
  for (const item of have) {
    const k = keyOf(item);
    present.add(k);
    if (wanted.has(k)) {
      out.push(item);
      // Our item, changed by hand (an admin deactivating a subscription): the admin's version stays.
      if (!isDeepStrictEqual(item, wanted.get(k))) changes.push({ path, kind: 'kept-edit', detail: `${k}: ${show(item)} kept; uld would write ${show(wanted.get(k))}` });
    } else if (ours.has(k)) {
      changes.push({ path, kind: 'removed-item', detail: k });
    } else {
      out.push(item);
      changes.push({ path, kind: 'kept-item', detail: k });
    }
  }
  for (const [k, item] of wanted) {
    if (present.has(k)) continue;
    if (ours.has(k)) changes.push({ path, kind: 'kept-removal', detail: k });
    else {
      out.push(item);
      changes.push({ path, kind: 'added-item', detail: k });
    }
  }
  return out;
}

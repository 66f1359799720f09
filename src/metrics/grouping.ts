import { NONE } from './types';

/**
 * How records are put in groups and ordered, shared by the contact figures (compute.ts) and the account funnel
 * (account-funnel.ts), so both attribute and order the same way.
 */

/** A group key: the value, or the missing-attribute group. */
export const keyOrNone = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? NONE : v);

/** Earliest created first; no created date last; then by id, so attribution never depends on input order. */
export function byCreation(a: { id: string; createdAt: number | null }, b: { id: string; createdAt: number | null }): number {
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === null) return 1;
    if (b.createdAt === null) return -1;
    return a.createdAt - b.createdAt;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Groups records by a key; records whose key is undefined belong to no group. */
export function bucket<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Alphabetical, the missing-attribute group last. */
export const byKey = (a: string, b: string) => (a === NONE ? 1 : b === NONE ? -1 : a < b ? -1 : a > b ? 1 : 0);

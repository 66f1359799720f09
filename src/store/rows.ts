/** Helpers shared by the store's SQL modules. */

// Both dialects cap bound parameters per statement (SQLite 32,766; Postgres 65,535): chunk the inputs.
const CHUNK = 500;
export function* chunks<T>(xs: readonly T[], n = CHUNK): Generator<T[]> {
  for (let i = 0; i < xs.length; i += n) yield xs.slice(i, i + n);
}

/** A nullable number column as read (Postgres returns bigint as a string). */
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

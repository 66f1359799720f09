/**
 * What happened to an object since its unit of work was created. A unit keeps the union of every kind seen,
 * so the worker knows, for example, to tombstone a deleted record or to recompute conversion after a new
 * contact-deal association. They are hints: the worker still reads the record's current state, because a
 * deletion may have been followed by a restore.
 */
export const CHANGE_KINDS = [
  'created',
  'property_changed',
  'deleted',
  'privacy_deleted',
  'restored',
  /** This object survived a merge: re-read it, it now carries the merged records' history. */
  'merged',
  /** This object was merged into another (see `mergedInto`): it is gone, like a deletion. */
  'merged_away',
  'association_changed',
  /** A contact-deal association was added: the contact converted, the deal gained a lead. */
  'conversion_signal',
  /** The contact's account changed the status or score its rules read (`account.status`): re-qualify it. */
  'account_changed',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

// Stored as a bit set so that coalescing two units is a single `|` in SQL on both dialects.
const BIT = new Map<ChangeKind, number>(CHANGE_KINDS.map((k, i) => [k, 1 << i]));

export function changeBit(kind: ChangeKind): number {
  return BIT.get(kind)!;
}

export function encodeChanges(kinds: Iterable<ChangeKind>): number {
  let flags = 0;
  for (const k of kinds) flags |= changeBit(k);
  return flags;
}

export function decodeChanges(flags: number): ChangeKind[] {
  return CHANGE_KINDS.filter((k) => (flags & changeBit(k)) !== 0);
}

/** One unit-of-work contribution of an event: "this object changed in this way at this time". */
export interface WorkMark {
  objectType: string;
  objectId: string;
  change: ChangeKind;
  occurredAt: number;
  /** For `property_changed`: which property. */
  property?: string;
  /** For `merged_away`: the id of the record that survived the merge. */
  mergedInto?: string;
}

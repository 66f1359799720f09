import type { CardReason, CardView } from '../../card/src/contract';
import type { ReasonKind } from '../definition/types';
import type { StoredReason } from '../store/mirror-types';

/**
 * The reasons of a decision grouped the way a rep reads them (card/src/contract.ts `CardView.reasons`).
 * Pure. Decisions recorded before the store kept reasons structured have kind-less texts: they are
 * grouped by the shapes the definition writes them in (src/definition/reasons.ts, compile.ts), which is
 * this product's own wording, so nothing is guessed about anyone else's text.
 */

/** Per group: a definition with more rules than this is unusual; the rest are counted, `uld history` has them. */
export const MAX_REASONS_PER_GROUP = 100;
/** A rule's label is written by an admin; one label must not fill the card's 1 MB. */
export const MAX_REASON_TEXT = 500;

export type ReasonGroups = CardView['reasons'];
type Group = keyof ReasonGroups;

const STATUS_TEXT = /^(Disqualified|Needs data|Nurture|Marketing qualified|Sales ready): /;
const SCORED_TEXT = /^([+-]\d+(?:\.\d+)?) (fit|engagement): /;

/** The kind of a reason recorded without one, from the product's own wording; `other` when it fits none. */
export function kindOfText(text: string, index: number): { kind: ReasonKind | 'other'; points?: number } {
  if (text.startsWith('Disqualifier: ')) return { kind: 'disqualifier' };
  if (text.startsWith('Missing required data: ')) return { kind: 'missing' };
  const scored = SCORED_TEXT.exec(text);
  if (scored) return { kind: scored[2] as 'fit' | 'engagement', points: Number(scored[1]) };
  if (STATUS_TEXT.test(text) || index === 0) return { kind: 'status' };
  return { kind: 'other' };
}

function groupOf(kind: ReasonKind | 'other'): Group {
  switch (kind) {
    case 'status':
      return 'status';
    case 'disqualifier':
      return 'disqualifiers';
    case 'missing':
      return 'missing';
    case 'fit':
      return 'fit';
    case 'engagement':
      return 'engagement';
    default:
      return 'other'; // caps, unreadable values, and texts of no known shape
  }
}

function cut(text: string): string {
  return text.length <= MAX_REASON_TEXT ? text : `${text.slice(0, MAX_REASON_TEXT - 1)}…`;
}

export function groupReasons(reasons: readonly StoredReason[]): ReasonGroups {
  const groups: ReasonGroups = { status: [], disqualifiers: [], missing: [], fit: [], engagement: [], other: [] };
  const dropped: Partial<Record<Group, number>> = {};
  reasons.forEach((r, i) => {
    const guessed = r.kind === null ? kindOfText(r.text, i) : { kind: r.kind, points: r.points };
    const group = groupOf(guessed.kind);
    if (groups[group].length >= MAX_REASONS_PER_GROUP) {
      dropped[group] = (dropped[group] ?? 0) + 1;
      return;
    }
    const points = r.points ?? guessed.points;
    const reason: CardReason = { text: cut(r.text), ref: r.ref ?? '' };
    if (points !== undefined) reason.points = points;
    groups[group].push(reason);
  });
  for (const [group, n] of Object.entries(dropped) as Array<[Group, number]>) {
    groups.other.push({ text: `${n} more ${group} reasons not shown (uld history has them all)`, ref: '' });
  }
  return groups;
}

import type { CardResponse, CardVerdict } from '../../../card/src/contract';
import { CARD_ROUTES } from '../../../card/src/contract';
import type { Store } from '../../store';

/**
 * The demo's sales reps. They work the hand-offs the way a rep does in HubSpot: open the contact's
 * qualification card, read it, and click Accept or Reject with a reason, through the card's backend and
 * signed as HubSpot signs `hubspot.fetch` calls. Some hand-offs they leave alone, so the SLA clock runs out
 * and the report shows breaches next to acceptance and rejection reasons.
 */

/** A `hubspot.fetch` call as a given HubSpot user makes it from the card: signed, with the user's context. */
export type CardCall = (path: string, init: { method: 'GET' | 'POST'; body?: Record<string, unknown> }, user: { id: number; email: string }) => Promise<{ status: number; body: CardResponse }>;

export type RepAction = CardVerdict | 'leave';

/**
 * What the reps do, in turn over the hand-offs ordered by record id: one in five is left alone (it will
 * breach the SLA), the rest are mostly accepted, and each rejection reason comes up in the first five
 * hand-offs and twice in every twenty, so even a short demo shows each.
 */
const PATTERN: readonly RepAction[] = [
  'accepted', 'rejected_misrouted', 'rejected_bad_data', 'rejected_below_definition', 'leave',
  'accepted', 'accepted', 'leave', 'accepted', 'accepted',
  'rejected_misrouted', 'accepted', 'leave', 'accepted', 'rejected_bad_data',
  'accepted', 'rejected_below_definition', 'accepted', 'leave', 'accepted',
];

export interface RepRound {
  opened: number;
  verdicts: Partial<Record<CardVerdict, number>>;
  leftAlone: number;
  failed: Array<{ contactId: string; status: number; message: string }>;
  /** The first contact whose card a rep opened, to point at its dashboard page. */
  firstOpened?: string;
}

export class DemoReps {
  /** Hand-offs already worked (or deliberately left): a rep looks at each hand-off once. */
  private readonly seen = new Set<string>();
  /** When each hand-off the reps left alone was handed off: its SLA clock runs out unanswered. */
  private readonly left: number[] = [];
  private turn = 0;

  constructor(private readonly o: { store: Store; call: CardCall; reps: ReadonlyArray<{ id: number; email: string }> }) {}

  /** When the first hand-off the reps left alone breaches an SLA of `slaMs`; null when they left none. */
  firstBreachAt(slaMs: number): number | null {
    return this.left.length === 0 ? null : Math.min(...this.left) + slaMs;
  }

  /** One pass over the hand-offs that arrived since the last one (sales_ready, no verdict yet). */
  async round(): Promise<RepRound> {
    const { contacts } = await this.o.store.listMirror({ decisions: false });
    const waiting = contacts
      .filter((c) => !c.deleted && c.qualifiedAt !== null && c.feedback === null && !this.seen.has(c.id))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const result: RepRound = { opened: 0, verdicts: {}, leftAlone: 0, failed: [] };
    for (const c of waiting) {
      this.seen.add(c.id);
      const action = PATTERN[this.turn % PATTERN.length]!;
      const rep = this.o.reps[this.turn % this.o.reps.length]!;
      this.turn++;
      if (action === 'leave') {
        result.leftAlone++;
        this.left.push(c.qualifiedAt!);
        continue;
      }
      // The rep opens the card first: the verdict is given by someone who read the reasons.
      const view = await this.o.call(CARD_ROUTES.view(c.id), { method: 'GET' }, rep);
      result.opened++;
      result.firstOpened ??= c.id;
      if (!view.body.ok || !view.body.card.actions.accept) {
        result.failed.push({ contactId: c.id, status: view.status, message: view.body.ok ? 'the card offers no verdict (no hand-off)' : view.body.error.message });
        continue;
      }
      const answer = await this.o.call(CARD_ROUTES.verdict(c.id), { method: 'POST', body: { verdict: action } }, rep);
      if (answer.body.ok) result.verdicts[action] = (result.verdicts[action] ?? 0) + 1;
      else result.failed.push({ contactId: c.id, status: answer.status, message: answer.body.error.message });
    }
    return result;
  }
}

/** One line for the demo's output: what the reps did in a round. */
export function repRoundLine(r: RepRound): string {
  const v = r.verdicts;
  const rejected = (v.rejected_misrouted ?? 0) + (v.rejected_bad_data ?? 0) + (v.rejected_below_definition ?? 0);
  const parts = [
    `${v.accepted ?? 0} accepted`,
    `${rejected} rejected (misrouted ${v.rejected_misrouted ?? 0}, bad data ${v.rejected_bad_data ?? 0}, below definition ${v.rejected_below_definition ?? 0})`,
    `${r.leftAlone} left to run past the SLA`,
  ];
  const failed = r.failed.length === 0 ? '' : `; ${r.failed.length} verdicts refused: ${r.failed.slice(0, 3).map((f) => `${f.contactId} ${f.status} ${f.message}`).join('; ')}`;
  return `  reps opened ${r.opened} cards: ${parts.join(', ')}${failed}`;
}

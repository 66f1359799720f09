import type { SalesFeedback } from './properties';

/**
 * Where a rep's verdict on a hand-off goes, whichever way it was given: the card's Accept and Reject buttons,
 * or a Lead moved to Qualified or Disqualified. The implementation writes `uld_sales_feedback` and
 * `uld_feedback_at` to HubSpot, records the write in the audit log with who gave it, updates the mirror the
 * metrics read, and queues the contact for re-evaluation (a rejection sends it back to nurture).
 */
export interface VerdictInput {
  contactId: string;
  verdict: SalesFeedback;
  /** Who gave it: "user:<HubSpot user id>" (card, or a rep's own edit), "lead:<lead id>" (a Lead's stage). */
  actor: string;
  at: number;
}

export interface VerdictSink {
  /**
   * Idempotent: the same verdict for a contact that already has it changes nothing and calls HubSpot not
   * at all (`changed: false`). HubSpot retries a card request once, and webhooks are delivered at least once.
   */
  giveVerdict(v: VerdictInput): Promise<{ changed: boolean }>;
}

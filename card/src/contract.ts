/**
 * The qualification card's contract with its backend on `uld serve`: the JSON every route answers, and the
 * bodies the card sends. Types only, no imports: the card (bundled by HubSpot from the project `uld init`
 * writes) and the backend (src/card/) both compile against this one file, so they cannot drift apart.
 *
 * Times are ISO 8601 strings (UTC): the card formats them in the rep's locale.
 */

/** The canonical statuses, worst to best (src/definition/types.ts STATUSES). */
export type CardStatus = 'disqualified' | 'needs_data' | 'nurture' | 'marketing_qualified' | 'sales_ready';

/** A rep's verdict on a hand-off: the values of `uld_sales_feedback`. */
export type CardVerdict = 'accepted' | 'rejected_misrouted' | 'rejected_bad_data' | 'rejected_below_definition';

/** One reason as the definition gave it. `points` after decay for engagement, as matched for fit. */
export interface CardReason {
  text: string;
  /** The criterion id, or the property for missing data. */
  ref: string;
  points?: number;
}

/** A score dimension against one ladder status's threshold. */
export interface CardThreshold {
  dimension: 'fit' | 'engagement' | 'total';
  required: number;
  actual: number;
  /** required - actual when short, else 0. */
  shortBy: number;
}

/** One rung of the ladder (marketing_qualified, sales_ready) and where the contact stands against it. */
export interface CardRung {
  status: 'marketing_qualified' | 'sales_ready';
  label: string;
  met: boolean;
  thresholds: CardThreshold[];
}

export interface CardHistoryEntry {
  /** When the status was entered; for `before_history`, the earliest instant known (it held by then). */
  at: string;
  /**
   * How `at` is known: `live`, the product saw the change; `first_look`, the status the contact held when the
   * product first saw it; `replayed`, from HubSpot's property history; `before_history`, it held before the
   * kept history began (when it was reached is unknown).
   */
  origin: 'live' | 'first_look' | 'replayed' | 'before_history';
  from: CardStatus | null;
  to: CardStatus;
  definitionVersion: string;
  totalScore: number;
}

/** The hand-off, once the contact first became sales_ready. */
export interface CardHandOff {
  /** HANDOFF_MODE when it was handed off: a task, a Lead, or nothing created in HubSpot. */
  mode: 'task' | 'lead' | 'none';
  /** HubSpot owner id of whoever got the hand-off; null when nobody was assigned. */
  ownerId: string | null;
  handedOffAt: string;
  /** handedOffAt + SLA_HOURS. */
  dueAt: string;
  slaHours: number;
  /** Hours left on the SLA clock (negative once breached); null once a verdict stopped the clock. */
  hoursLeft: number | null;
  breached: boolean;
  verdict: CardVerdict | null;
  verdictAt: string | null;
  /** Who gave the verdict: "user:<HubSpot user id>" from the card, "lead:<lead id>" from a Lead stage, or null. */
  verdictBy: string | null;
}

export interface CardView {
  contactId: string;
  status: CardStatus;
  statusLabel: string;
  scores: { total: number; fit: number; engagement: number };
  ladder: CardRung[];
  /**
   * The next status up the ladder and what would get the contact there, one sentence each
   * ("8 more engagement points", "a value for jobtitle"); null at sales_ready.
   */
  next: { status: CardStatus; label: string; needs: string[] } | null;
  /** The complete reasons, grouped the way a rep reads them. */
  reasons: {
    /** Why this status (thresholds met, or the one that fell short), and the sales feedback line if any. */
    status: CardReason[];
    disqualifiers: CardReason[];
    missing: CardReason[];
    fit: CardReason[];
    /** Points after decay; the text says how old the activity is and how much it decayed. */
    engagement: CardReason[];
    /** Caps and unreadable values. */
    other: CardReason[];
  };
  definitionVersion: string;
  evaluatedAt: string;
  /** Newest first, at most 20. */
  history: CardHistoryEntry[];
  handOff: CardHandOff | null;
  /** Which buttons apply now. */
  actions: { accept: boolean; reject: boolean; reEvaluate: boolean };
  /** A re-evaluation is queued and not yet done. */
  reEvaluationPending: boolean;
}

/** Every answer is JSON: `ok` tells which shape. */
export type CardResponse =
  | { ok: true; card: CardView; changed?: boolean; queued?: boolean }
  | { ok: false; error: { code: CardErrorCode; message: string } };

export type CardErrorCode =
  | 'unauthorized' // 401: signature missing, wrong or stale
  | 'forbidden' // 403: another app's id or another portal
  | 'payload_too_large' // 413
  | 'bad_request' // 400: a body or id the backend cannot use
  | 'not_found' // 404: no decision recorded for this contact yet
  | 'conflict' // 409: the action does not apply now (e.g. a verdict on a contact never handed off)
  | 'unavailable' // 503: the store or HubSpot could not be reached; safe to retry
  | 'internal_error'; // 500

/** POST /card/contacts/:contactId/verdict */
export interface VerdictBody {
  verdict: CardVerdict;
}

/** Routes, relative to the backend origin (the origin of WEBHOOK_PUBLIC_URL, listed in permittedUrls.fetch). */
export const CARD_ROUTES = {
  view: (contactId: string) => `/card/contacts/${contactId}`,
  verdict: (contactId: string) => `/card/contacts/${contactId}/verdict`,
  reEvaluate: (contactId: string) => `/card/contacts/${contactId}/re-evaluate`,
} as const;

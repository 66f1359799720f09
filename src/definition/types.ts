import type { AccountLadderStatus, AccountThresholds } from './account-types';

/**
 * The vocabulary of a lead decision. Pure data: nothing here knows about HubSpot's API, the store or HTTP.
 */

/** The canonical statuses, in ladder order from worst to best. Fixed: `uld_status` options use them. */
export const STATUSES = ['disqualified', 'needs_data', 'nurture', 'marketing_qualified', 'sales_ready'] as const;
export type LeadStatus = (typeof STATUSES)[number];

/** Statuses reached by scores; the others are reached by disqualifiers and missing data. */
export const LADDER_STATUSES = ['sales_ready', 'marketing_qualified'] as const;

/** Sales's three ways to reject a hand-off: the rejection values of `uld_sales_feedback` (src/sync/properties.ts). */
export const REJECTIONS = ['rejected_misrouted', 'rejected_bad_data', 'rejected_below_definition'] as const;
export type Rejection = (typeof REJECTIONS)[number];

/**
 * The lead definition's `hubspot.leads` (HANDOFF_MODE=lead): where a hand-off Lead is created, which stages
 * are sales's verdict, and how HubSpot's disqualification reasons map to our rejections.
 */
export interface LeadHandOffSettings {
  pipeline: string;
  /** The stage a hand-off Lead is created in. */
  stage: string;
  /** Stages that mean sales accepted the hand-off (Qualified). */
  accepted: string[];
  /** Stages that mean sales rejected it (Disqualified); the reason picks which rejection. */
  rejected: string[];
  /** hs_lead_disqualification_reason value -> rejection. */
  reasons: Record<string, Rejection>;
  /** The rejection for a reason the table does not name, or none given. */
  otherReason: Rejection;
}

/** HubSpot's default lead pipeline (shared platform doc §7): what `hubspot.leads` means when left out. */
export const DEFAULT_LEAD_HAND_OFF: LeadHandOffSettings = {
  pipeline: 'lead-pipeline-id',
  stage: 'new-stage-id',
  accepted: ['qualified-stage-id'],
  rejected: ['unqualified-stage-id'],
  reasons: {},
  otherReason: 'rejected_below_definition',
};
export type LadderStatus = (typeof LADDER_STATUSES)[number];

export interface Thresholds {
  fit?: number;
  engagement?: number;
  total?: number;
}
/** Threshold overrides from the environment: the contact ladder's, and the account ladder's under `accounts`. */
export type ThresholdOverrides = Partial<Record<LadderStatus, Thresholds>> & { accounts?: Partial<Record<AccountLadderStatus, AccountThresholds>> };

/**
 * A record's facts as HubSpot returns them: property name to string value. `null`, `undefined` and
 * the empty string all mean "no value" (HubSpot returns an unset property as null or "").
 */
export type Facts = Readonly<Record<string, string | null | undefined>>;

export type ReasonKind =
  | 'status' // why this status: the thresholds met, or the one that fell short
  | 'disqualifier' // a disqualifier matched
  | 'missing' // a required field is empty
  | 'fit' // a fit criterion matched, with its points
  | 'engagement' // an engagement criterion matched, with its points after decay
  | 'cap' // a group's points were capped
  | 'data'; // a value could not be read (not a number, not a date): the rule was not applied

export interface Reason {
  kind: ReasonKind;
  /** The criterion id, or the property for `missing`/`data`. */
  ref: string;
  /** Points this reason contributed (after decay and before caps), for `fit` and `engagement`. */
  points?: number;
  /** A sentence a rep can read on the record. */
  text: string;
}

export interface Decision {
  status: LeadStatus;
  fitScore: number;
  engagementScore: number;
  totalScore: number;
  definitionVersion: string;
  /** Complete: the status, every disqualifier, every missing field, every matched rule, every unreadable value. */
  reasons: Reason[];
  /** Values for HubSpot's own properties, when the definition maps them and a change is allowed. */
  hubspot: {
    hs_lead_status?: string;
    lifecyclestage?: string;
  };
}

import type { AccountStatus } from '../definition/account-types';
import type { LeadStatus, ReasonKind } from '../definition/types';
import type { WorkMark } from './changes';
import type { HandOffRecord } from './hand-off-types';

/**
 * The store's mirror, as the sync engine writes it and the metrics, the dashboard and the card read it: the
 * local copy of the facts the metrics need (so metrics never re-read the portal) and the audit log of every
 * decision and write. Plain data and the interface over it; the SQL lives in the other files of src/store/.
 * It imports types only and no I/O, so the pure core (src/metrics) may read it (eslint.config.mjs).
 */

export interface MirrorContact {
  id: string;
  createdAt: number | null;
  status: LeadStatus;
  fitScore: number;
  engagementScore: number;
  totalScore: number;
  definitionVersion: string;
  qualifiedAt: number | null;
  convertedAt: number | null;
  feedback: string | null;
  feedbackAt: number | null;
  /** hs_analytics_source: the cohort "by source". */
  source: string | null;
  companyId: string | null;
  evaluatedAt: number;
  deleted: boolean;
  /** hubspot_owner_id: who the card names for the hand-off. Read back as null when unknown. */
  ownerId?: string | null;
  /**
   * What the definition's account rules read of this contact (`hs_buying_role`, the group rules' window
   * dates) and what a rep knows it by (`label`), as read when it was last evaluated: its account is judged
   * from the mirror, with no HubSpot read of its contacts. Null without an `accounts` section (or for rows
   * evaluated before it was kept).
   */
  accountFacts?: AccountContactFacts | null;
}

export interface AccountContactFacts {
  /** Name or email, shown in the account's reasons. */
  label: string | null;
  /** Property name -> value, the properties `definition.accounts.contactProperties` names. */
  facts: Record<string, string | null>;
}

/**
 * A company as an account (the `accounts` section of the definition): its latest decision and when it first
 * reached each stage of the account funnel, as the worker saw it. Its contacts are the mirror's contacts
 * whose primary company it is.
 */
export interface MirrorAccount {
  /** The company's record id. */
  id: string;
  /** The company's `createdate`: the account's created-month cohort. */
  createdAt: number | null;
  status: AccountStatus;
  /** fit + engagement + coverage (`uld_account_score`). */
  score: number;
  fitScore: number;
  engagementScore: number;
  coverageScore: number;
  engagedContacts: number;
  rolesCovered: string[];
  definitionVersion: string;
  /** First time the account was `target` or better (engaged, qualified); null: never. */
  targetAt: number | null;
  /** First time it was `engaged` or better. */
  engagedAt: number | null;
  /** First time it was `qualified` (`uld_account_qualified_at`). */
  qualifiedAt: number | null;
  evaluatedAt: number;
  deleted: boolean;
}

export interface MirrorDeal {
  id: string;
  createdAt: number | null;
  closedAt: number | null;
  closed: boolean;
  won: boolean;
  amount: number | null;
  pipeline: string | null;
  stage: string | null;
  stageEnteredAt: number | null;
  companyId: string | null;
  contactIds: string[];
  statusAtCreation: LeadStatus | null;
  deleted: boolean;
}

/**
 * How a decision's time is known (docs/replay.md): `live`, the worker decided on a change; `first_look`, the
 * first evaluation of a contact that existed before the product saw it (the status it held, not when it was
 * entered); `replayed`, from HubSpot's property history, dated when the facts made it true; `before_history`,
 * it held before the kept history began (reached, no date).
 */
export type DecisionOrigin = 'live' | 'first_look' | 'replayed' | 'before_history';

/** Origins whose `decidedAt` is when the status was entered: only these date a stage. */
export const DATED_ORIGINS: readonly DecisionOrigin[] = ['live', 'replayed'];

export interface DecisionRecord {
  contactId: string;
  definitionVersion: string;
  previousStatus: LeadStatus | null;
  status: LeadStatus;
  fitScore: number;
  engagementScore: number;
  totalScore: number;
  reasons: string[];
  decidedAt: number;
  /** How `decidedAt` is known; absent reads as `live` (rows recorded before the store kept it). */
  origin?: DecisionOrigin;
  /**
   * The reasons as the definition gave them (same order as `reasons`). Read back always; decisions
   * recorded before the store kept them read as kind-less texts (`kind` and `ref` null).
   */
  reasonDetails?: StoredReason[];
}

/**
 * What the figures read of a contact: the fields behind the funnel, the hand-off and the groups, and the
 * dashboard's latest evaluation (evaluatedAt, definitionVersion); no scores, no account facts.
 */
export type MetricsContact = Pick<MirrorContact, 'id' | 'createdAt' | 'status' | 'qualifiedAt' | 'convertedAt' | 'feedback' | 'feedbackAt' | 'source' | 'deleted' | 'evaluatedAt' | 'definitionVersion'>;

/** What the figures read of a deal: no pipeline, stage or company (a million-contact portal keeps every deal in memory). */
export type MetricsDeal = Pick<MirrorDeal, 'id' | 'createdAt' | 'closedAt' | 'closed' | 'won' | 'amount' | 'contactIds' | 'statusAtCreation' | 'deleted'>;

/** A contact's first decision of a status by an origin: all the metrics read of the audit log. */
export type FirstDecision = Pick<DecisionRecord, 'status' | 'decidedAt' | 'origin'>;

/** One contact as the metrics stream it from the store: its fields and its first decisions. */
export interface ContactWithFirsts {
  contact: MetricsContact;
  firsts: FirstDecision[];
}

/** One reason as the audit log keeps it; `kind`/`ref` null for decisions recorded before they were kept. */
export interface StoredReason {
  kind: ReasonKind | null;
  ref: string | null;
  points?: number;
  text: string;
}

export interface WriteRecord {
  objectType: string;
  objectId: string;
  properties: Record<string, string>;
  /** written, missing (tombstone) or rejected (with the error). */
  outcome: 'written' | 'missing' | 'rejected';
  error?: string;
  writtenAt: number;
  /** Who caused it: "uld:sync" (the worker), "user:<HubSpot user id>" (a rep's verdict from the card); null when unknown. */
  actor?: string | null;
}

export interface ContactHistory {
  contact: MirrorContact | null;
  decisions: Array<DecisionRecord & { id: number }>;
  writes: Array<WriteRecord & { id: number }>;
}

/** A rep's verdict, written to HubSpot, as `recordVerdict` keeps it. */
export interface VerdictRecord {
  contactId: string;
  verdict: string;
  /** When it was given: uld_feedback_at. */
  at: number;
  actor: string;
  /** The properties written to HubSpot (uld_sales_feedback, uld_feedback_at). */
  properties: Record<string, string>;
  writtenAt: number;
}

/** Everything the qualification card shows about one contact, read in one call (`cardData`). */
export interface CardData {
  contact: MirrorContact | null;
  /** The latest decision, reasons structured. */
  decision: (DecisionRecord & { reasonDetails: StoredReason[] }) | null;
  /** Decisions that changed the status (or were the first), newest first, at most `historyLimit`. */
  statusHistory: DecisionRecord[];
  /** Our latest write of uld_sales_feedback: who gave the verdict, and when it was written. */
  lastVerdictWrite: { actor: string | null; verdict: string; writtenAt: number } | null;
  /** A unit of work for the contact is queued: a re-evaluation is pending. */
  pending: boolean;
  /** The recorded hand-off (the hand_offs table, migration 0007), when there is one. */
  handOff?: HandOffRecord | null;
}

export interface SyncStore {
  getContacts(ids: string[]): Promise<Map<string, MirrorContact>>;
  upsertContacts(rows: MirrorContact[]): Promise<void>;
  /** Deletions and merges: the mirror keeps the row (history matters) but counts it no more. */
  markDeleted(objectType: 'contact' | 'deal' | 'company', ids: string[]): Promise<void>;
  contactsOfCompanies(companyIds: string[]): Promise<MirrorContact[]>;
  getDeals(ids: string[]): Promise<Map<string, MirrorDeal>>;
  getAccounts(ids: string[]): Promise<Map<string, MirrorAccount>>;
  upsertAccounts(rows: MirrorAccount[]): Promise<void>;
  /** Every account (deleted rows included, flagged), for the account funnel. */
  listAccounts(): Promise<MirrorAccount[]>;
  upsertDeals(rows: MirrorDeal[]): Promise<void>;
  /** Deals associated with these contacts (from the mirror's contact lists). */
  dealsOfContacts(contactIds: string[]): Promise<MirrorDeal[]>;
  /** Each contact's status as decided at or before `at` (the audit log), for "status at deal creation". */
  statusesAt(contactIds: string[], at: number): Promise<Map<string, LeadStatus>>;
  recordDecisions(rows: DecisionRecord[]): Promise<void>;
  /**
   * A replay's decisions for these contacts, in one transaction: their earlier replayed and before_history
   * rows are deleted (a replay supersedes the last one), `rows` inserted, and each contact's earliest live
   * decision older than `firstLookBefore` (made before the replay ran) becomes `first_look`: the status the
   * product first saw, which the replay now dates.
   */
  replaceReplayedDecisions(contactIds: string[], rows: DecisionRecord[], firstLookBefore: number): Promise<void>;
  recordWrites(rows: WriteRecord[]): Promise<void>;
  /** Every definition version in the audit log: its first and last decision and how many decisions. */
  definitionVersions(): Promise<Array<{ version: string; firstAt: number; lastAt: number; decisions: number }>>;
  /**
   * When each record was last written by us (outcome `written`), by id; records never written are absent.
   * With `includeRejected`, also the writes HubSpot rejected: the last time we worked the record at all.
   */
  lastWrittenAt(objectType: string, ids: string[], options?: { includeRejected?: boolean }): Promise<Map<string, number>>;
  history(contactId: string, limit?: number): Promise<ContactHistory>;
  /** What the card shows for one contact, in one call (several reads inside, no write). */
  cardData(contactId: string, options?: { historyLimit?: number }): Promise<CardData>;
  /**
   * A verdict HubSpot has accepted, in one transaction: the mirror's feedback (so the metrics count it at
   * once), the audit row with its actor, and a unit of work so the worker re-evaluates the contact.
   * `changed: false` (and nothing written) when the mirror already had this verdict.
   */
  recordVerdict(v: VerdictRecord): Promise<{ changed: boolean }>;
  /** Creates or coalesces units of work without an event: follow-up work the worker itself finds. */
  markDirty(marks: WorkMark[], availableAt?: number): Promise<number>;
  /**
   * The mirror as the metrics read it: every contact and deal (deleted rows included, flagged, so the caller
   * decides), and each contact's first decision of each status by each origin (when each status was first reached; the
   * whole audit log grows with every re-evaluation and the metrics need only the firsts). `since` (epoch ms)
   * keeps contacts and deals created at or after it, and the decisions of those contacts. `decisions: false`
   * leaves the decisions out (an empty list), for callers that need only contacts and deals.
   */
  listMirror(options?: { since?: number; decisions?: false }): Promise<{ contacts: MirrorContact[]; deals: MirrorDeal[]; decisions: DecisionRecord[] }>;
  /**
   * The mirror's deals as the figures read them (deleted rows included, flagged), in id order; `since`/`until` (epoch ms) keep those
   * created at or after `since` and before `until`. The metrics hold the deals in memory and stream contacts.
   */
  listDeals(options?: { since?: number; until?: number }): Promise<MetricsDeal[]>;
  /**
   * Every contact (deleted rows included, flagged) with its first decision of each status by each origin,
   * in id order, a page at a time (`pageSize`, 1,000 by default): the metrics fold them one by one, so a
   * million contacts never sit in memory at once. `since`/`until` filter by creation as for `listDeals`.
   */
  contactsWithFirsts(options?: { since?: number; until?: number; pageSize?: number }): AsyncIterable<ContactWithFirsts[]>;
}

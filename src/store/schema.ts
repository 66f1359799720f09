import type { Generated, Selectable } from 'kysely';

/**
 * Table types for Kysely. Internal to src/store: nothing outside this folder sees them. Later issues add
 * their tables here and a migration module in ./migrations.
 */
export interface WebhookEventsTable {
  id: Generated<number>;
  portal_id: number;
  subscription_type: string;
  object_id: string;
  occurred_at: number;
  event_id: string;
  object_type: string;
  change_source: string | null;
  source_id: string | null;
  property_name: string | null;
  attempt_number: number | null;
  disposition: string;
  payload: string;
  /** The same change however it was delivered (migration window: once per app); null for events we ignore. */
  change_key: string | null;
  received_at: number;
}

/** One row per object that needs work. Coalescing many events into it is an upsert on (object_type, object_id). */
export interface WorkItemsTable {
  id: Generated<number>;
  object_type: string;
  object_id: string;
  /** Bit set of ChangeKind. */
  changes: number;
  /** JSON array of property names, sorted. */
  properties: string;
  merged_into: string | null;
  first_occurred_at: number;
  last_occurred_at: number;
  event_count: number;
  /** Bumped by every ingest touching the row; a completion that saw an older revision requeues instead. */
  revision: number;
  claimed_revision: number | null;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  available_at: number;
  lease_owner: string | null;
  lease_token: string | null;
  lease_expires_at: number | null;
}

export interface DeadLettersTable {
  id: Generated<number>;
  object_type: string;
  object_id: string;
  changes: number;
  properties: string;
  merged_into: string | null;
  first_occurred_at: number;
  last_occurred_at: number;
  event_count: number;
  attempts: number;
  last_error: string;
  failed_at: number;
}

/** The sync engine's mirror (issue 5): the facts the metrics need, so they never re-read the portal. */
export interface MirrorContactsTable {
  id: string;
  created_at: number | null;
  status: string;
  fit_score: number;
  engagement_score: number;
  total_score: number;
  definition_version: string;
  qualified_at: number | null;
  converted_at: number | null;
  feedback: string | null;
  feedback_at: number | null;
  source: string | null;
  company_id: string | null;
  evaluated_at: number;
  deleted: number;
  /** hubspot_owner_id (0006); null when unowned or mirrored before. */
  owner_id: string | null;
  /** JSON {label, facts}: what the account rules read of the contact (0010); null without accounts. */
  account_facts: string | null;
}

/** Each company's account decision and funnel stage dates (migration 0010). */
export interface MirrorAccountsTable {
  id: string;
  created_at: number | null;
  status: string;
  score: number;
  fit_score: number;
  engagement_score: number;
  coverage_score: number;
  engaged_contacts: number;
  /** JSON array of buying roles. */
  roles_covered: string;
  definition_version: string;
  target_at: number | null;
  engaged_at: number | null;
  qualified_at: number | null;
  evaluated_at: number;
  deleted: number;
}

export interface MirrorDealsTable {
  id: string;
  created_at: number | null;
  closed_at: number | null;
  closed: number;
  won: number;
  amount: number | null;
  pipeline: string | null;
  stage: string | null;
  stage_entered_at: number | null;
  company_id: string | null;
  /** JSON array of contact ids, as read; mirror_deal_contacts indexes the same pairs. */
  contact_ids: string;
  status_at_creation: string | null;
  deleted: number;
}

export interface MirrorDealContactsTable {
  deal_id: string;
  contact_id: string;
}

/** The audit log: every decision and every write. */
export interface DecisionsTable {
  id: Generated<number>;
  contact_id: string;
  definition_version: string;
  previous_status: string | null;
  status: string;
  fit_score: number;
  engagement_score: number;
  total_score: number;
  /** JSON array of the reasons' texts. */
  reasons: string;
  decided_at: number;
  /** JSON array of {kind, ref, points?, text} (0006); null on rows decided before. */
  reason_details: string | null;
  /** live (null on older rows), first_look, replayed or before_history (0008; DecisionOrigin). */
  origin: string | null;
}

export interface CrmWritesTable {
  id: Generated<number>;
  object_type: string;
  object_id: string;
  properties: string;
  outcome: string;
  error: string | null;
  written_at: number;
  /** Who caused the write (0006): "uld:sync", "user:<id>"; null on rows written before. */
  actor: string | null;
}

/** Scheduled job runs (issue 6): one row per job and tick, unique, so a tick runs once across instances. */
export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  tick_at: number;
  instance: string;
  started_at: number;
  finished_at: number | null;
  outcome: string;
  counts: string;
  error: string | null;
}

export interface CheckpointsTable {
  name: string;
  value: string;
  updated_at: number;
}

export interface MetricSnapshotsTable {
  id: Generated<number>;
  computed_at: number;
  /** The snapshot as JSON (MetricsSnapshot). */
  figures: string;
}

/** Every hand-off to sales (migration 0007): claimed before HubSpot creates its task or Lead. */
export interface HandOffsTable {
  contact_id: string;
  mode: string;
  owner_id: string | null;
  object_id: string | null;
  handed_off_at: number;
  due_at: number;
  attempted_at: number;
}

/** Each converted lead's facts at its first deal's creation (migration 0009), kept by the history replay. */
export interface AsOfFactsTable {
  contact_id: string;
  as_of: number;
  /** JSON object: property name to value (null: unset then). */
  contact: string;
  /** JSON object, or null without a company. */
  company: string | null;
}

export interface Database {
  webhook_events: WebhookEventsTable;
  work_items: WorkItemsTable;
  dead_letters: DeadLettersTable;
  mirror_contacts: MirrorContactsTable;
  mirror_deals: MirrorDealsTable;
  mirror_deal_contacts: MirrorDealContactsTable;
  decisions: DecisionsTable;
  crm_writes: CrmWritesTable;
  job_runs: JobRunsTable;
  checkpoints: CheckpointsTable;
  metric_snapshots: MetricSnapshotsTable;
  hand_offs: HandOffsTable;
  as_of_facts: AsOfFactsTable;
  mirror_accounts: MirrorAccountsTable;
}

export type WorkItemRow = Selectable<WorkItemsTable>;
export type DeadLetterRow = Selectable<DeadLettersTable>;

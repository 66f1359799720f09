/** The hand-off log's rows and interface (src/store/hand-off-store.ts implements it). */

/** HANDOFF_MODE as a hand-off recorded it: a task, a Lead, or nothing created in HubSpot. */
export type HandOffMode = 'task' | 'lead' | 'none';

/** One hand-off to sales: a contact's first sales_ready. */
export interface HandOffRecord {
  contactId: string;
  mode: HandOffMode;
  /** HubSpot owner id it went to; null when nobody was assigned. */
  ownerId: string | null;
  /** The HubSpot task or Lead created for it; null until HubSpot's answer named it (always null in mode none). */
  objectId: string | null;
  handedOffAt: number;
  /** handedOffAt + SLA_HOURS. */
  dueAt: number;
  /** When a create was last sent for it (the claim, or a retry). */
  attemptedAt: number;
}

/** The hand-off log (src/store/hand-off-store.ts): what makes a hand-off happen exactly once. */
export interface HandOffStore {
  /**
   * Claims hand-offs before anything is created: rows for contacts not handed off yet are inserted, the others
   * left as they are. Returns the contact ids claimed now; a contact missing from it was already handed off
   * (or claimed by a concurrent worker), and creating its task or Lead again would be a second one.
   */
  claimHandOffs(rows: HandOffRecord[]): Promise<string[]>;
  /** The task or Lead HubSpot created for a claimed hand-off. */
  setHandOffObject(contactId: string, objectId: string): Promise<void>;
  /** A create was sent again for these (the claim's attempt time moves, so it settles again before a retry). */
  markHandOffAttempt(contactIds: string[], at: number): Promise<void>;
  /** The hand-offs of these contacts, by contact id (absent: never handed off). For the card. */
  handOffs(contactIds: string[]): Promise<Map<string, HandOffRecord>>;
  /** The hand-off whose task or Lead is this HubSpot object (a Lead's stage change finds its contact so). */
  handOffByObject(objectId: string): Promise<HandOffRecord | null>;
  /** Claimed hand-offs of a mode with no object yet, last attempted before `attemptedBefore`, oldest first. */
  pendingHandOffs(mode: HandOffMode, attemptedBefore: number, limit?: number): Promise<HandOffRecord[]>;
}

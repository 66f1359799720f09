import type { Logger } from 'pino';
import type { HandOffMode as ConfiguredMode } from '../config/schema';
import type { LeadHandOffSettings } from '../definition/types';
import { BatchCreateError } from '../hubspot/errors';
import { waitingOutRateLimits } from '../hubspot/rate-limit-wait';
import type { CrmGateway, RecordCreate } from '../hubspot/types';
import type { HandOffMode, HandOffRecord } from '../store/types';
import { LeadHandOffs, recordHandOffFailures, type HandOffStorePort } from './lead-hand-off';

/** HubSpot's association type ids (v4, HUBSPOT_DEFINED): note-to-contact, task-to-contact. */
export const NOTE_TO_CONTACT = 202;
const TASK_TO_CONTACT = 204;
/** How long a hand-off waits out 429s: well inside the batch's lease, and a rolling window is 10 s. */
export const HAND_OFF_MAX_WAIT_MS = 30_000;

/** What happens when a contact first becomes sales_ready (HANDOFF_MODE, HANDOFF_TASK, HANDOFF_NOTE, HANDOFF_OWNER_IDS, SLA_HOURS). */
export interface HandOffOptions {
  /** HANDOFF_MODE; `task` when absent (what the product did before the setting existed). */
  mode?: ConfiguredMode;
  /** HANDOFF_TASK: with mode task, a task for the owner. */
  task: boolean;
  /** HANDOFF_NOTE: with mode task, a note with the reasons (mode lead always writes it). */
  note: boolean;
  ownerIds: readonly string[];
  slaHours: number;
}

/** A contact handed off to sales: its owner (if any), the reasons, and what a Lead needs (name, company). */
export interface HandOffContact {
  id: string;
  owner: string | null;
  reasons: string;
  /** How a rep reads who this is: the full name, else the email (a Lead's `hs_lead_name`). */
  name?: string;
  /** The primary company, associated to a Lead as its primary company. */
  companyId?: string | null;
}

/** A create that failed for these contacts, with HubSpot's words. */
export type CreateFailure = { id: string; error: string };

/**
 * The sales hand-off of the sync engine. Every hand-off is claimed in the store before HubSpot is asked for
 * anything (`hand_offs`, one row per contact): a batch retried after its status write, or a contact seen
 * again through a replayed webhook, finds its claim and creates nothing twice. Then, by HANDOFF_MODE: a task
 * (and note) as before, one Lead (src/sync/lead-hand-off.ts), or nothing.
 */
export class HandOffs {
  /** Next owner of the round-robin list for hand-offs of contacts without an owner. */
  private nextOwner = 0;
  readonly leads: LeadHandOffs;

  constructor(
    private readonly o: {
      gateway: CrmGateway;
      store: HandOffStorePort;
      logger: Logger;
      handOff?: HandOffOptions;
      /** The definition's `hubspot.leads` (pipeline, stage): read at each hand-off, so a new definition applies. */
      leadSettings: () => LeadHandOffSettings;
    },
  ) {
    this.leads = new LeadHandOffs({ gateway: o.gateway, store: o.store, logger: o.logger, settings: o.leadSettings });
  }

  /** The mode a hand-off is recorded with: what sales has to work (a task with HANDOFF_TASK=false is none). */
  private recordedMode(): HandOffMode {
    const h = this.o.handOff!;
    const mode = h.mode ?? 'task';
    if (mode === 'task') return h.task ? 'task' : 'none';
    return mode;
  }

  /**
   * The hand-off of contacts whose status write just succeeded (uld_qualified_at set, so the engine hands
   * each off once). Claims first; only the contacts claimed now get a task, a note or a Lead.
   */
  async handOff(contacts: HandOffContact[], now: number): Promise<void> {
    const h = this.o.handOff;
    if (!h || contacts.length === 0) return;
    const mode = this.recordedMode();
    const dueAt = now + h.slaHours * 3_600_000;
    const owners = new Map(contacts.map((c) => [c.id, c.owner ?? (h.ownerIds.length > 0 ? h.ownerIds[this.nextOwner++ % h.ownerIds.length]! : null)]));
    const rows: HandOffRecord[] = contacts.map((c) => ({ contactId: c.id, mode, ownerId: owners.get(c.id) ?? null, objectId: null, handedOffAt: now, dueAt, attemptedAt: now }));
    const claimed = new Set(await this.o.store.claimHandOffs(rows));
    const fresh = contacts.filter((c) => claimed.has(c.id)).map((c) => ({ ...c, owner: owners.get(c.id) ?? null }));
    if (fresh.length === 0) return;
    const failed: CreateFailure[] = [];
    const configured = h.mode ?? 'task';
    if (configured === 'task' && h.task) failed.push(...(await this.createTasks(fresh, dueAt)));
    if (configured === 'lead') failed.push(...(await this.leads.create(fresh)));
    if ((configured === 'task' && h.note) || configured === 'lead') failed.push(...(await this.createNotes(fresh, now)));
    await recordHandOffFailures(this.o.store, this.o.logger, failed, now);
  }

  /** Tasks due within the SLA, one batch create; each task's id goes into its hand-off row. */
  private async createTasks(contacts: HandOffContact[], dueAt: number): Promise<CreateFailure[]> {
    const due = new Date(dueAt).toISOString();
    const tasks = contacts.map((c) => ({
      properties: {
        hs_timestamp: due,
        hs_task_subject: 'Sales-ready lead: follow up',
        hs_task_body: c.reasons,
        hs_task_status: 'NOT_STARTED',
        hs_task_priority: 'HIGH',
        hs_task_type: 'TODO',
        ...(c.owner ? { hubspot_owner_id: c.owner } : {}),
      },
      associations: [{ toId: c.id, typeId: TASK_TO_CONTACT }],
    }));
    const { ids, failed } = await this.createAll('task', contacts, tasks);
    for (const [i, id] of ids.entries()) if (id) await this.o.store.setHandOffObject(contacts[i]!.id, id);
    return failed;
  }

  private async createNotes(contacts: HandOffContact[], now: number): Promise<CreateFailure[]> {
    const notes = contacts.map((c) => ({ properties: { hs_timestamp: new Date(now).toISOString(), hs_note_body: `Handed off to sales: sales ready.\n${c.reasons}` }, associations: [{ toId: c.id, typeId: NOTE_TO_CONTACT }] }));
    return (await this.createAll('note', contacts, notes)).failed;
  }

  /**
   * One batch create of tasks or notes; the new ids in input order and the contacts whose create failed. The
   * gateway isolates a rejected input (a portal validation rule, an unknown owner), so one contact's failure
   * does not cost the others theirs. A 429 created nothing, so it is waited out and the create sent again;
   * other failures are not retried here (a timeout may have created the records: at most once).
   */
  private async createAll(what: 'task' | 'note', contacts: HandOffContact[], inputs: RecordCreate[]): Promise<{ ids: Array<string | undefined>; failed: CreateFailure[] }> {
    try {
      return { ids: await waitingOutRateLimits(() => this.o.gateway.create(what === 'task' ? 'tasks' : 'notes', inputs), { maxWaitMs: HAND_OFF_MAX_WAIT_MS }), failed: [] };
    } catch (err) {
      if (err instanceof BatchCreateError) return { ids: err.ids, failed: err.failures.flatMap((f) => (contacts[f.index] ? [{ id: contacts[f.index]!.id, error: `${what}: ${f.error}` }] : [])) };
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { ids: [], failed: contacts.map((c) => ({ id: c.id, error: `${what}: ${error}` })) };
    }
  }
}

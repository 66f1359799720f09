import type { Logger } from 'pino';
import { BatchCreateError } from '../hubspot/errors';
import { waitingOutRateLimits } from '../hubspot/rate-limit-wait';
import type { CrmGateway, RecordCreate } from '../hubspot/types';
import type { Store } from '../store/types';
import { SYNC_ACTOR } from './write-outcome';

/** HubSpot's association type ids (v4, HUBSPOT_DEFINED): note-to-contact, task-to-contact. */
const NOTE_TO_CONTACT = 202;
const TASK_TO_CONTACT = 204;
/** How long a hand-off waits out 429s: well inside the batch's lease, and a rolling window is 10 s. */
const HAND_OFF_MAX_WAIT_MS = 30_000;

/** What happens when a contact first becomes sales_ready (HANDOFF_TASK, HANDOFF_NOTE, HANDOFF_OWNER_IDS, SLA_HOURS). */
export interface HandOffOptions {
  task: boolean;
  note: boolean;
  ownerIds: readonly string[];
  slaHours: number;
}

/** A contact handed off to sales: its owner (if any) and the reasons the task and note carry. */
export interface HandOffContact {
  id: string;
  owner: string | null;
  reasons: string;
}

/** The sales hand-off of the sync engine: the task and note it creates, and what it records when HubSpot refuses one. */
export class HandOffs {
  /** Next owner of the round-robin list for hand-offs of contacts without an owner. */
  private nextOwner = 0;

  constructor(private readonly o: { gateway: CrmGateway; store: Pick<Store, 'recordWrites'>; logger: Logger; handOff?: HandOffOptions }) {}

  /**
   * The hand-off: a task for the owner due within the SLA, and a note with the reasons, each created in one
   * batch call for the whole batch of contacts. Only after the status write succeeded, so a failed batch
   * that is retried does not hand off twice (uld_qualified_at is then set and handOff is false).
   */
  async handOff(contacts: HandOffContact[], now: number): Promise<void> {
    const h = this.o.handOff;
    if (!h || contacts.length === 0 || (!h.task && !h.note)) return;
    const failed: Array<{ id: string; error: string }> = [];
    if (h.task) {
      const due = new Date(now + h.slaHours * 3_600_000).toISOString();
      const tasks = contacts.map((c) => {
        const owner = c.owner ?? (h.ownerIds.length > 0 ? h.ownerIds[this.nextOwner++ % h.ownerIds.length]! : null);
        return {
          properties: {
            hs_timestamp: due,
            hs_task_subject: 'Sales-ready lead: follow up',
            hs_task_body: c.reasons,
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: 'HIGH',
            hs_task_type: 'TODO',
            ...(owner ? { hubspot_owner_id: owner } : {}),
          },
          associations: [{ toId: c.id, typeId: TASK_TO_CONTACT }],
        };
      });
      failed.push(...(await this.createHandOffs('task', contacts, tasks)));
    }
    if (h.note) {
      const notes = contacts.map((c) => ({ properties: { hs_timestamp: new Date(now).toISOString(), hs_note_body: `Handed off to sales: sales ready.\n${c.reasons}` }, associations: [{ toId: c.id, typeId: NOTE_TO_CONTACT }] }));
      failed.push(...(await this.createHandOffs('note', contacts, notes)));
    }
    if (failed.length === 0) return;
    // The status is written and uld_qualified_at set: failing the unit now would not hand off again on a
    // retry, it would only dead-letter a correctly qualified contact. Say so loudly and keep the record.
    this.o.logger.error({ failed }, 'hand-off task or note could not be created; the status was written');
    await this.o.store.recordWrites(failed.map((f) => ({ objectType: 'contacts', objectId: f.id, properties: {}, outcome: 'rejected' as const, error: `hand-off not created: ${f.error}`, writtenAt: now, actor: SYNC_ACTOR })));
  }

  /**
   * Creates one task or note per contact; returns the contacts whose create failed, with HubSpot's words.
   * The gateway isolates a rejected input (a portal validation rule, an unknown owner), so one contact's
   * failure does not cost the others theirs. A 429 created nothing, so it is waited out and the create sent
   * again; other failures are not retried here (a timeout may have created the records: at most once).
   */
  private async createHandOffs(what: 'task' | 'note', contacts: HandOffContact[], inputs: RecordCreate[]): Promise<Array<{ id: string; error: string }>> {
    try {
      await waitingOutRateLimits(() => this.o.gateway.create(what === 'task' ? 'tasks' : 'notes', inputs), { maxWaitMs: HAND_OFF_MAX_WAIT_MS });
      return [];
    } catch (err) {
      if (err instanceof BatchCreateError) return err.failures.flatMap((f) => (contacts[f.index] ? [{ id: contacts[f.index]!.id, error: `${what}: ${f.error}` }] : []));
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return contacts.map((c) => ({ id: c.id, error: `${what}: ${error}` }));
    }
  }
}

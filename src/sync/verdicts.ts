import type { Logger } from 'pino';
import { waitingOutRateLimits } from '../hubspot/rate-limit-wait';
import type { CrmGateway } from '../hubspot/types';
import type { SyncStore } from '../store/mirror-types';
import type { VerdictInput, VerdictSink } from './verdict-sink';

/**
 * Why a verdict was not given: the card's backend answers each with its own status.
 * - `not_found`: the mirror has no such contact, or HubSpot no longer has it;
 * - `conflict`: the contact was never handed off (never sales_ready): there is nothing to accept or reject;
 * - `refused`: HubSpot refused the write (e.g. `uld install` has not created the property): retrying cannot help;
 * - `unavailable`: HubSpot did not answer in time or asked us to wait: safe to retry (the verdict is idempotent).
 */
export class VerdictError extends Error {
  override name = 'VerdictError';
  constructor(
    readonly code: 'not_found' | 'conflict' | 'refused' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

export interface VerdictsOptions {
  gateway: Pick<CrmGateway, 'update'>;
  store: Pick<SyncStore, 'getContacts' | 'recordVerdict' | 'recordWrites'>;
  logger: Logger;
  /**
   * The whole verdict, rate-limit waits included, must end inside HubSpot's 15 s for a `hubspot.fetch`
   * (the proxy answers the card with a timeout after that): 10 s leaves room for the store and the answer.
   */
  deadlineMs?: number;
  /** How long a 429 from HubSpot is waited out before answering `unavailable`. */
  maxRateLimitWaitMs?: number;
}

/**
 * A rep's verdict on a hand-off: written to HubSpot (`uld_sales_feedback`, `uld_feedback_at`) through the
 * gateway (its limiter, its retries), then recorded in one store transaction: the mirror the metrics read,
 * the audit row naming the actor, and a unit of work so the worker re-evaluates the contact (a rejection
 * sends it back to nurture there, as a hand edit of the property always did).
 *
 * Idempotent: HubSpot retries a card request once on a 5xx or a dropped connection, so the same verdict
 * again is answered `changed: false` with no HubSpot call. Two deliveries racing in this process are
 * serialised per contact; across instances, the store's conditional update keeps the audit row single.
 */
export class Verdicts implements VerdictSink {
  private readonly queue = new Map<string, Promise<unknown>>();
  private readonly deadlineMs: number;

  constructor(private readonly o: VerdictsOptions) {
    this.deadlineMs = o.deadlineMs ?? 10_000;
  }

  giveVerdict(v: VerdictInput): Promise<{ changed: boolean }> {
    const before = this.queue.get(v.contactId) ?? Promise.resolve();
    const run = before.then(
      () => this.give(v),
      () => this.give(v),
    );
    const tail = run.catch(() => undefined);
    this.queue.set(v.contactId, tail);
    void tail.then(() => {
      if (this.queue.get(v.contactId) === tail) this.queue.delete(v.contactId);
    });
    return run;
  }

  private async give(v: VerdictInput): Promise<{ changed: boolean }> {
    const { store, logger } = this.o;
    const contact = (await store.getContacts([v.contactId])).get(v.contactId);
    if (!contact || contact.deleted) throw new VerdictError('not_found', `contact ${v.contactId} is not in the mirror (never synced, or deleted in HubSpot)`);
    if (contact.qualifiedAt === null) {
      throw new VerdictError('conflict', `contact ${v.contactId} was never handed off (it has never been sales_ready): there is no hand-off to accept or reject`);
    }
    if (contact.feedback === v.verdict) return { changed: false };

    const properties = { uld_sales_feedback: v.verdict, uld_feedback_at: new Date(v.at).toISOString() };
    const write = waitingOutRateLimits(() => this.o.gateway.update('contacts', [{ id: v.contactId, properties }]), { maxWaitMs: this.o.maxRateLimitWaitMs ?? 5_000 });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new VerdictError('unavailable', `HubSpot did not take the verdict within ${this.deadlineMs / 1000} s; try again`)), this.deadlineMs);
    });
    // A write still running after the deadline may land: the retry then finds HubSpot already right and writes the same value.
    write.catch((err: unknown) => logger.debug({ err, contactId: v.contactId }, 'verdict write ended after its answer'));
    let result: Awaited<typeof write>;
    try {
      result = await Promise.race([write, deadline]);
    } catch (err) {
      if (err instanceof VerdictError) throw err;
      logger.warn({ err, contactId: v.contactId }, 'verdict not written to HubSpot');
      throw new VerdictError('unavailable', `HubSpot could not be reached for the verdict (${err instanceof Error ? err.message : String(err)}); try again`);
    } finally {
      clearTimeout(timer);
    }
    const writtenAt = Date.now();
    if (result.missing.includes(v.contactId)) {
      await store.recordWrites([{ objectType: 'contacts', objectId: v.contactId, properties, outcome: 'missing', writtenAt, actor: v.actor }]);
      throw new VerdictError('not_found', `HubSpot no longer has contact ${v.contactId} (deleted or merged)`);
    }
    const refused = result.rejected.find((r) => r.id === v.contactId);
    if (refused) {
      await store.recordWrites([{ objectType: 'contacts', objectId: v.contactId, properties, outcome: 'rejected', error: refused.error, writtenAt, actor: v.actor }]);
      throw new VerdictError('refused', `HubSpot refused the verdict: ${refused.error} (has \`uld install\` created uld_sales_feedback?)`);
    }
    const recorded = await store.recordVerdict({ contactId: v.contactId, verdict: v.verdict, at: v.at, actor: v.actor, properties, writtenAt });
    logger.info({ contactId: v.contactId, verdict: v.verdict, actor: v.actor, changed: recorded.changed }, 'verdict given');
    return recorded;
  }
}

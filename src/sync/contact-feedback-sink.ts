import type { Logger } from 'pino';
import type { CrmGateway } from '../hubspot/types';
import type { Store } from '../store/types';
import type { VerdictInput, VerdictSink } from './verdict-sink';

/**
 * A minimal VerdictSink: the verdict as `uld_sales_feedback` and `uld_feedback_at` on the contact, the write
 * in the audit log, and the contact queued for re-evaluation (a rejection sends it back to nurture; the
 * re-evaluation also brings the feedback into the mirror the metrics read). It stands in until the Verdicts
 * service (the card's) takes its place behind the same interface; that one also records who gave the
 * verdict in the audit log, which this one only logs.
 *
 * Idempotent as the interface asks: a contact that already has the verdict is not written (one read, no write).
 */
export class ContactFeedbackSink implements VerdictSink {
  constructor(private readonly o: { gateway: CrmGateway; store: Pick<Store, 'recordWrites' | 'markDirty'>; logger?: Logger; now?: () => number }) {}

  async giveVerdict(v: VerdictInput): Promise<{ changed: boolean }> {
    const now = (this.o.now ?? Date.now)();
    const read = await this.o.gateway.read('contacts', [v.contactId], ['uld_sales_feedback']);
    const contact = read.records[0];
    if (!contact || contact.properties.uld_sales_feedback === v.verdict) return { changed: false };
    const properties = { uld_sales_feedback: v.verdict, uld_feedback_at: new Date(v.at).toISOString() };
    const result = await this.o.gateway.update('contacts', [{ id: v.contactId, properties }]);
    const rejected = result.rejected[0];
    const outcome = result.written.includes(v.contactId) ? 'written' : result.missing.includes(v.contactId) ? 'missing' : 'rejected';
    await this.o.store.recordWrites([{ objectType: 'contacts', objectId: v.contactId, properties, outcome, ...(rejected ? { error: rejected.error } : {}), writtenAt: now }]);
    if (outcome !== 'written') return { changed: false };
    this.o.logger?.info({ contactId: v.contactId, verdict: v.verdict, actor: v.actor }, 'sales verdict recorded');
    // Our own write comes back as a webhook we ignore (an echo): the re-evaluation is queued here instead.
    await this.o.store.markDirty([{ objectType: 'contact', objectId: v.contactId, change: 'property_changed', property: 'uld_sales_feedback', occurredAt: now }]);
    return { changed: true };
  }
}

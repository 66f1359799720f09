import type { CompiledDefinition } from '../src/definition';
import type { CrmGateway } from '../src/hubspot/types';
import type { Store } from '../src/store/types';
import { waitingOutRateLimits } from '../src/hubspot/rate-limit-wait';
import { REJECTED_WRITE } from '../src/sync/engine';

/**
 * `requalify` (nightly): decisions that change with time alone. Engagement decays and "within N days"
 * rules expire while nothing in HubSpot changes, so no webhook arrives: every contact of the mirror is
 * queued again (the worker writes only what changed). And hand-offs nobody answered: a sales_ready
 * contact without feedback after SLA_HOURS gets `uld_sla_breached`, and the breach is counted.
 */

export interface RequalifyOptions {
  gateway: CrmGateway;
  store: Store;
  definition: CompiledDefinition;
  now: number;
  slaHours: number;
}

/**
 * Contacts whose last write HubSpot rejected (a dead letter saying so, and no write of ours since): queueing
 * them nightly would send the same write to the same rejection every night, since a rejection is a record
 * HubSpot will not take as it is (a 2026-09 validation rule, an invalid value). They wait for a change of
 * the record (a webhook or reconcile queues it: one more try) or an admin's `uld dead-letters retry`.
 */
async function rejectedContacts(store: Store, ids: readonly string[]): Promise<Set<string>> {
  const dead = (await store.listDeadLetters({ objectType: 'contact', limit: Number.MAX_SAFE_INTEGER })).filter((d) => d.lastError.startsWith(REJECTED_WRITE));
  if (dead.length === 0) return new Set();
  const live = new Set(ids);
  const failedAt = new Map<string, number>();
  for (const d of dead) if (live.has(d.objectId)) failedAt.set(d.objectId, Math.max(failedAt.get(d.objectId) ?? 0, d.failedAt));
  const written = await store.lastWrittenAt('contacts', [...failedAt.keys()]);
  return new Set([...failedAt].filter(([id, at]) => (written.get(id) ?? -Infinity) <= at).map(([id]) => id));
}

export async function requalify(o: RequalifyOptions): Promise<Record<string, number>> {
  const { contacts } = await o.store.listMirror({ decisions: false });
  const live = contacts.filter((c) => !c.deleted);
  let queued = 0;
  let rejected = 0;
  // Whose decisions move with the clock alone, the compiler says (CompiledDefinition.dependsOnTime).
  if (o.definition.dependsOnTime.contacts) {
    const skip = await rejectedContacts(o.store, live.map((c) => c.id));
    rejected = skip.size;
    queued = await o.store.markDirty(live.filter((c) => !skip.has(c.id)).map((c) => ({ objectType: 'contact', objectId: c.id, change: 'property_changed' as const, occurredAt: o.now })));
  }
  // An account's group rule with a window ("engaged in the last 30 days") expires with the clock alone.
  let accountsQueued = 0;
  if (o.definition.dependsOnTime.accounts) {
    const accounts = (await o.store.listAccounts()).filter((a) => !a.deleted);
    accountsQueued = await o.store.markDirty(accounts.map((a) => ({ objectType: 'company', objectId: a.id, change: 'property_changed' as const, occurredAt: o.now })));
  }
  const deadline = o.now - o.slaHours * 3_600_000;
  const breached = live.filter((c) => c.status === 'sales_ready' && c.feedback === null && c.qualifiedAt !== null && c.qualifiedAt < deadline).map((c) => c.id);
  let flagged = 0;
  if (breached.length > 0) {
    // Read first: a flag already set is not written again (no write, no echo).
    const current = await waitingOutRateLimits(() => o.gateway.read('contacts', breached, ['uld_sla_breached']));
    const toFlag = current.records.filter((r) => r.properties.uld_sla_breached !== 'true').map((r) => ({ id: r.id, properties: { uld_sla_breached: 'true' } }));
    // A 429 means the batch was not applied; writing the same flag again is harmless.
    if (toFlag.length > 0) flagged = (await waitingOutRateLimits(() => o.gateway.update('contacts', toFlag))).written.length;
  }
  return { contacts: live.length, queued, rejected, ...(o.definition.accounts ? { accountsQueued } : {}), slaBreaches: breached.length, newlyFlagged: flagged };
}

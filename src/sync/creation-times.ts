import type { AssociatedRecord, CrmGateway } from '../hubspot/types';
import { readTime } from '../hubspot/records';
import type { MirrorContact, SyncStore } from '../store/mirror-types';
import type { RecordCache } from './record-cache';

/** Creation times the engine's figures need, from the mirror where it knows them, else read in batches. */

/** Each contact's first associated deal's creation, from the mirror where known, else one batch read. */
export async function firstDealCreated(store: Pick<SyncStore, 'getDeals'>, cache: RecordCache, dealLinks: Map<string, AssociatedRecord[]>): Promise<Map<string, number>> {
  const dealIds = [...new Set([...dealLinks.values()].flatMap((links) => links.map((l) => l.id)))];
  const out = new Map<string, number>();
  if (dealIds.length === 0) return out;
  const known = await store.getDeals(dealIds);
  const createdAt = new Map<string, number>();
  for (const [id, d] of known) if (d.createdAt !== null) createdAt.set(id, d.createdAt);
  const unknown = dealIds.filter((id) => !createdAt.has(id));
  if (unknown.length > 0) {
    for (const [id, p] of await cache.readLinked('deals', unknown, ['createdate'])) {
      const t = readTime(p.createdate);
      if (t !== null) createdAt.set(id, t);
    }
  }
  for (const [contactId, links] of dealLinks) {
    const times = links.map((l) => createdAt.get(l.id)).filter((t): t is number => t !== undefined);
    if (times.length > 0) out.set(contactId, Math.min(...times));
  }
  return out;
}

/** Each contact's creation time, from the mirror where known, else one batch read. */
export async function contactCreation(gateway: CrmGateway, ids: string[], known: Map<string, MirrorContact>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  for (const [id, c] of known) if (c.createdAt !== null) out.set(id, c.createdAt);
  const unknown = ids.filter((id) => !out.has(id));
  if (unknown.length > 0) {
    const read = await gateway.read('contacts', unknown, ['createdate']);
    for (const c of read.records) {
      const t = readTime(c.properties.createdate);
      if (t !== null) out.set(c.id, t);
    }
  }
  return out;
}

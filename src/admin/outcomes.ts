import type { MirrorContact, MirrorDeal } from '../store/mirror-types';

/** What became of a lead, from the mirror: did it reach an opportunity (any associated deal), was a deal won. */
export interface LeadOutcome {
  opportunity: boolean;
  won: boolean;
  /** When HubSpot created the contact, for leaving out leads too young to have converted. */
  createdAt: number | null;
}

/** Outcomes of every contact the mirror has (deleted contacts and deals left out: HubSpot no longer has them). */
export function outcomesFromMirror(mirror: { contacts: MirrorContact[]; deals: MirrorDeal[] }): Map<string, LeadOutcome> {
  const out = new Map<string, LeadOutcome>();
  for (const c of mirror.contacts) if (!c.deleted) out.set(c.id, { opportunity: false, won: false, createdAt: c.createdAt });
  for (const d of mirror.deals) {
    if (d.deleted) continue;
    for (const id of d.contactIds) {
      const o = out.get(id);
      if (!o) continue;
      o.opportunity = true;
      if (d.won) o.won = true;
    }
  }
  return out;
}

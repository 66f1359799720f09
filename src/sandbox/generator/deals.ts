import { OBJECT_TYPE_INFO } from '../crm/object-types';
import type { HistoryEntry, Owner, RecordSeed } from '../crm/portal';
import { setLater } from './history';
import { DEFAULT_DEAL_STAGES } from '../crm/pipelines';
import { Random } from '../random';
import type { ContactsOut } from './contacts';
import { DAY, idSequence, iso, sigmoid } from './util';
import { DEAL_PRODUCTS, LOST_REASONS } from './vocabulary';

/**
 * Deals: drawn from the contacts' conversion chances, moved through the default pipeline's stages with
 * timestamps, closed won or lost after a cycle that grows with company size. The contacts and companies
 * of a deal get their outcome properties here.
 */
export interface DealsOut {
  seeds: RecordSeed[];
  toContact: Array<[string, string]>;
  toCompany: Array<[string, string]>;
  won: number;
  lost: number;
  /** Contacts whose deal the buying-group effect added (see makeDeals). */
  added: Set<string>;
}

// Read once into module constants: under jest every global lookup goes through the vm context's interceptor
// (see ./contacts.ts).
const { exp, floor, log, log10, max, min, round } = Math;
const str = String;

const OPEN_STAGES = DEFAULT_DEAL_STAGES.filter((s) => s.id !== 'closedwon' && s.id !== 'closedlost');
const STAGE_PROBABILITY = new Map(DEFAULT_DEAL_STAGES.map((s) => [s.id, s.probability]));

/**
 * The factor on every base chance that makes the expected number of deals `target`, the buying-group
 * effect included: without it the base chances' sum gives the factor at once; with it, the expected count
 * grows with the factor, so it is found by bisection below that first guess.
 */
function scaleFor(target: number, probability: Float32Array, boost: DealBoost | undefined): number {
  let sum = 0;
  for (const p of probability) sum += p;
  if (sum === 0) return 1;
  const first = target / sum;
  if (!boost) return first;
  const expected = (scale: number): number => {
    let total = 0;
    for (let i = 0; i < probability.length; i += 1) {
      const p = min(1, (probability[i] as number) * scale);
      total += boost.boosted[i] === 1 ? boost.chance(p) : p;
    }
    return total;
  };
  let low = 0;
  let high = first;
  for (let k = 0; k < 40 && high - low > 1e-9 * first; k += 1) {
    const mid = (low + high) / 2;
    if (expected(mid) > target) high = mid;
    else low = mid;
  }
  return (low + high) / 2;
}

/** The buying-group effect (see ./roles.ts): contacts whose odds of a deal are raised, and its own stream. */
export interface DealBoost {
  random: Random;
  boosted: Uint8Array;
  chance: (p: number) => number;
}

export function makeDeals(random: Random, contacts: ContactsOut, now: number, owners: Owner[], target: number | undefined, boost?: DealBoost): DealsOut {
  const nextId = idSequence(OBJECT_TYPE_INFO.deals.firstId);
  const out: DealsOut = { seeds: [], toContact: [], toCompany: [], won: 0, lost: 0, added: new Set() };
  // Aim at the requested number of deals by scaling every chance alike (the ranking stays the same).
  const scale = target === undefined ? 1 : scaleFor(target, contacts.probability, boost);
  const ownerById = new Map(owners.map((o) => [o.id, o]));
  const drawn = new Uint8Array(contacts.seeds.length);

  // The base model's draws first, from `random` alone: the buying-group effect below leaves every one of
  // them (and every deal they make) as it was, and adds deals from its own stream.
  contacts.seeds.forEach((contact, index) => {
    const p = min(1, (contacts.probability[index] as number) * scale);
    if (!random.chance(p)) return;
    drawn[index] = 1;
    makeDeal(random, contact, index);
  });
  if (boost) {
    // P(base) + (1 - P(base)) * extra = P(boosted): a second chance for the contacts the base draw passed over.
    contacts.seeds.forEach((contact, index) => {
      if (boost.boosted[index] !== 1 || drawn[index] === 1) return;
      const p = min(1, (contacts.probability[index] as number) * scale);
      if (p <= 0 || p >= 1) return;
      const extra = (boost.chance(p) - p) / (1 - p);
      if (boost.random.chance(extra) && makeDeal(boost.random, contact, index)) out.added.add(contact.id);
    });
  }
  return out;

  /** Makes the contact's deal; false when it would be created after now (the contact has not converted yet). */
  function makeDeal(random: Random, contact: RecordSeed, index: number): boolean {
    const latent = contacts.latent[index] as ContactsOut['latent'][number];
    const createdAt = contact.createdAt + round((2 + -log(1 - random.next()) * 20) * DAY);
    if (createdAt > now - DAY / 2) return false; // not converted yet: the deal would be in the future
    const company = latent.company;
    const employees = company?.employees ?? 5;
    const cycleDays = (15 + 12 * log10(employees + 1)) * exp(random.normal(0, 0.35));
    const won = random.chance(sigmoid(-2.1 + 0.6 * latent.fit + 0.5 * latent.engagement - (latent.freeMail ? 1 : 0)));
    const lastOpenIndex = won ? OPEN_STAGES.length - 1 : random.int(0, OPEN_STAGES.length - 1);
    // Time spent in each stage: random shares of the cycle.
    const shares = Array.from({ length: lastOpenIndex + 2 }, () => 0.3 + random.next());
    const totalShare = shares.reduce((a, b) => a + b, 0);
    const owner = ownerById.get(contact.properties.hubspot_owner_id ?? '') ?? random.pick(owners);
    const byOwner = { sourceType: 'CRM_UI' as const, sourceId: `userId:${owner.userId}`, updatedByUserId: owner.userId };

    const entries: Array<{ stage: string; at: number }> = [];
    let at = createdAt;
    for (let s = 0; s <= lastOpenIndex; s += 1) {
      entries.push({ stage: (OPEN_STAGES[s] as (typeof OPEN_STAGES)[number]).id, at });
      at += round(((shares[s] as number) / totalShare) * cycleDays * DAY);
    }
    const closeAt = at;
    const closed = closeAt <= now;
    if (closed) entries.push({ stage: won ? 'closedwon' : 'closedlost', at: closeAt });
    const reached = entries.filter((e) => e.at <= now);
    const current = reached[reached.length - 1] as { stage: string; at: number };

    const id = nextId();
    const amountBase = employees < 50 ? 5_000 : employees < 200 ? 12_000 : employees < 1_000 ? 30_000 : employees < 5_000 ? 60_000 : 120_000;
    const properties: Record<string, string> = {
      hs_object_id: id,
      dealname: `${company?.name ?? `${contact.properties.firstname} ${contact.properties.lastname}`} - ${random.pick(DEAL_PRODUCTS)}`,
      amount: str(max(500, round((amountBase * exp(random.normal(0, 0.5))) / 100) * 100)),
      pipeline: 'default',
      dealstage: current.stage,
      dealtype: 'newbusiness',
      createdate: iso(createdAt),
      closedate: iso(closeAt),
      hubspot_owner_id: owner.id,
      hs_is_closed: str(closed),
      hs_is_closed_won: str(closed && won),
      hs_deal_stage_probability: STAGE_PROBABILITY.get(current.stage) ?? '0',
      hs_lastmodifieddate: iso(current.at),
    };
    reached.forEach((entry, k) => {
      properties[`hs_v2_date_entered_${entry.stage}`] = iso(entry.at);
      const nextEntry = reached[k + 1];
      if (nextEntry) properties[`hs_v2_date_exited_${entry.stage}`] = iso(nextEntry.at);
    });
    if (closed) {
      properties.days_to_close = str(floor((closeAt - createdAt) / DAY));
      if (!won) properties.closed_lost_reason = random.pick(LOST_REASONS);
      if (won) out.won += 1;
      else out.lost += 1;
    }
    const history: Record<string, HistoryEntry[]> = {
      dealstage: reached.map((e) => ({ value: e.stage, timestamp: e.at, ...byOwner })),
    };
    out.seeds.push({ id, properties, createdAt, updatedAt: current.at, origin: byOwner, history });
    out.toContact.push([id, contact.id]);
    if (company) out.toCompany.push([id, company.id]);

    // The contact (and company) now reflect the deal: these are the "outcome" properties.
    // Stage and lead status move when the deal does, and are kept in the contact's history with that time.
    const cp = contact.properties;
    const lifecycle = closed ? (won ? 'customer' : 'salesqualifiedlead') : 'opportunity';
    const rep = { sourceType: 'CRM_UI' as const, sourceId: byOwner.sourceId };
    setLater(contact, 'lifecyclestage', closed && !won ? 'salesqualifiedlead' : 'opportunity', createdAt, rep);
    if (closed && won) setLater(contact, 'lifecyclestage', 'customer', closeAt, rep);
    setLater(contact, 'hs_lead_status', 'OPEN_DEAL', createdAt, rep);
    if (closed) setLater(contact, 'hs_lead_status', won ? 'CONNECTED' : 'BAD_TIMING', closeAt, rep);
    setLater(contact, 'num_associated_deals', '1', createdAt, { sourceType: 'CALCULATED' });
    cp[`hs_lifecyclestage_salesqualifiedlead_date`] = iso(createdAt);
    cp[`hs_v2_date_entered_${lifecycle}`] = iso(closed ? closeAt : createdAt);
    if (lifecycle !== 'salesqualifiedlead') cp[`hs_lifecyclestage_${lifecycle}_date`] = iso(closed ? closeAt : createdAt);
    const touched = max(contact.updatedAt ?? contact.createdAt, current.at);
    cp.lastmodifieddate = iso(touched);
    contact.updatedAt = touched;
    if (company && won) {
      setLater(company.record, 'lifecyclestage', 'customer', closeAt, rep);
      company.record.properties.hs_lastmodifieddate = iso(max(company.record.createdAt, closeAt));
    }
    return true;
  }
}

/** Loads a generated portal into a (fresh) portal: owners, records and primary associations. */

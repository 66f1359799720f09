import type { HistoryEntry } from '../crm/portal';
import type { Random } from '../random';
import type { ContactsOut } from './contacts';
import { DAY } from './util';
import type { Seniority } from './vocabulary';

/**
 * Buying roles (HubSpot's contact property `hs_buying_role`, a multiple checkbox written `A;B`) and the
 * buying group's effect on conversion. Roles follow seniority (executives decide and sponsor, managers
 * champion and influence, individual contributors use the product); a rep recorded them for only part of
 * the contacts, so many have none. A company whose contacts hold every role of BUYING_GROUP.coveredRoles
 * (a decision maker and a champion) is a covered buying group: each of its contacts' odds of becoming a
 * deal are multiplied by BUYING_GROUP.oddsRatio (a causal effect, so a group-coverage rule has something
 * real to find). BUYING_GROUP.randomRole is given at the company level, to one contact of a company drawn
 * independently of everything, so its coverage is random by construction (a control for calibration).
 *
 * Everything here draws from its own stream, after the contacts: the contacts, companies and the deals
 * drawn from the base probabilities stay as they were; the effect adds deals (see ./deals.ts).
 */
export const BUYING_GROUP = {
  coveredRoles: ['DECISION_MAKER', 'CHAMPION'],
  /** Odds multiplier of a contact's chance of a deal when its company's contacts cover coveredRoles. */
  oddsRatio: 3,
  /** Held by one contact of a company with this chance, independent of everything: coverage of it is noise. */
  randomRole: 'LEGAL_AND_COMPLIANCE',
  randomRoleChance: 0.3,
  /** Share of contacts at a company whose roles a rep recorded at all. */
  recorded: 0.7,
} as const;

/** HubSpot's option order of `hs_buying_role`, the order values are written in. */
const ORDER = ['BLOCKER', 'BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER', 'LEGAL_AND_COMPLIANCE', 'OTHER'] as const;
type Role = (typeof ORDER)[number];

/** Per seniority: each role's chance, drawn independently (a contact can hold several). */
const ROLE_CHANCES: Record<Seniority, ReadonlyArray<readonly [Role, number]>> = {
  executive: [
    ['DECISION_MAKER', 0.6],
    ['EXECUTIVE_SPONSOR', 0.25],
    ['BUDGET_HOLDER', 0.3],
  ],
  vp: [
    ['DECISION_MAKER', 0.45],
    ['BUDGET_HOLDER', 0.35],
    ['EXECUTIVE_SPONSOR', 0.15],
    ['CHAMPION', 0.15],
  ],
  director: [
    ['DECISION_MAKER', 0.2],
    ['CHAMPION', 0.35],
    ['INFLUENCER', 0.25],
    ['BUDGET_HOLDER', 0.15],
  ],
  head: [
    ['DECISION_MAKER', 0.2],
    ['CHAMPION', 0.35],
    ['INFLUENCER', 0.25],
    ['BUDGET_HOLDER', 0.1],
  ],
  manager: [
    ['CHAMPION', 0.3],
    ['INFLUENCER', 0.3],
    ['END_USER', 0.15],
    ['BLOCKER', 0.05],
  ],
  individual: [
    ['END_USER', 0.35],
    ['INFLUENCER', 0.15],
    ['CHAMPION', 0.1],
    ['BLOCKER', 0.05],
  ],
  junior: [['END_USER', 0.2]],
  student: [],
  none: [
    ['INFLUENCER', 0.1],
    ['OTHER', 0.1],
  ],
};

export interface RolesOut {
  /** Company ids whose contacts cover BUYING_GROUP.coveredRoles. */
  covered: Set<string>;
  /** Per contact (same order as the contacts): 1 when its company is covered, so its odds of a deal are raised. */
  boosted: Uint8Array;
  counts: {
    withRole: number;
    coveredCompanies: number;
    randomRoleCompanies: number;
    companiesWithContacts: number;
  };
}

const { min, round } = Math;

/**
 * Writes `hs_buying_role` (and its history: one write by a rep within two days of the contact's creation
 * and not after its last activity, so before any deal, which comes two days after creation at the earliest)
 * and marks the contacts of covered companies, whose odds of a deal makeDeals raises.
 */
export function assignBuyingRoles(random: Random, contacts: ContactsOut): RolesOut {
  const n = contacts.seeds.length;
  const roles: Array<Set<Role> | undefined> = new Array(n);
  const members = new Map<string, number[]>();
  const out: RolesOut = {
    covered: new Set(),
    boosted: new Uint8Array(n),
    counts: {
      withRole: 0,
      coveredCompanies: 0,
      randomRoleCompanies: 0,
      companiesWithContacts: 0,
    },
  };
  for (let i = 0; i < n; i += 1) {
    const latent = contacts.latent[i]!;
    const company = latent.company;
    if (!company) continue;
    let list = members.get(company.id);
    if (!list) members.set(company.id, (list = []));
    list.push(i);
    // A competitor's staff are not buyers; a rep recorded roles for only part of the others.
    if (company.competitor || !random.chance(BUYING_GROUP.recorded)) continue;
    for (const [role, chance] of ROLE_CHANCES[latent.seniority]) {
      if (random.chance(chance)) (roles[i] ??= new Set()).add(role);
    }
  }
  for (const [companyId, list] of members) {
    out.counts.companiesWithContacts += 1;
    // Drawn for every company with contacts (competitors too), so holding it says nothing about conversion.
    if (random.chance(BUYING_GROUP.randomRoleChance)) {
      (roles[list[random.int(0, list.length - 1)]!] ??= new Set()).add(BUYING_GROUP.randomRole);
      out.counts.randomRoleCompanies += 1;
    }
    const held = new Set<Role>();
    for (const i of list) for (const r of roles[i] ?? []) held.add(r);
    if (BUYING_GROUP.coveredRoles.every((r) => held.has(r))) {
      out.covered.add(companyId);
      out.counts.coveredCompanies += 1;
      for (const i of list) out.boosted[i] = 1;
    }
  }
  for (let i = 0; i < n; i += 1) {
    const held = roles[i];
    if (!held) continue;
    const seed = contacts.seeds[i]!;
    const value = ORDER.filter((r) => held.has(r)).join(';');
    seed.properties.hs_buying_role = value;
    const span = min(2 * DAY, (seed.updatedAt ?? seed.createdAt) - seed.createdAt);
    const at = seed.createdAt + round(random.next() * span);
    const entry: HistoryEntry = { value, timestamp: at, sourceType: 'CRM_UI' };
    (seed.history ??= {}).hs_buying_role = [entry];
    out.counts.withRole += 1;
  }
  return out;
}

/** A contact's chance of a deal with its odds multiplied by BUYING_GROUP.oddsRatio (0 and 1 stay). */
export function boostedChance(p: number): number {
  if (p <= 0 || p >= 1) return p;
  const odds = (p / (1 - p)) * BUYING_GROUP.oddsRatio;
  return odds / (1 + odds);
}

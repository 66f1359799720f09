import { associationKind } from '../crm/associations';
import type { Owner, Portal, RecordSeed } from '../crm/portal';
import { Random } from '../random';
import { makeCompanies, makeOwners } from './companies';
import { makeContacts } from './contacts';
import { makeDeals } from './deals';
import { lifecycleHistory, skipLifecycleHistory } from './history';
import { assignBuyingRoles, boostedChance, BUYING_GROUP } from './roles';
import { PORTAL_SIGNALS, TARGET_PROFILE, type PropertySignal } from './signals';
import { COMPETITORS } from './vocabulary';

/**
 * The synthetic portal generator: a pure function of its options (no clock, no I/O, no global random),
 * so the same seed always builds the same portal. It draws companies, contacts and deals from a simple
 * causal model: a contact's fit (industry, size, seniority) and engagement set its chance of becoming a
 * deal, raised when its company's contacts cover the buying roles of ./roles.ts; fit and engagement also
 * set the deal's chance to be won; some properties are drawn independently of everything (see ./signals.ts).
 */
export interface GeneratePortalOptions {
  seed: number | string;
  contacts: number;
  /** Companies to create (default: one per six contacts, at least the competitors plus a few). */
  companies?: number;
  /** Approximate number of deals: scales every contact's conversion chance to aim at it. */
  deals?: number;
  owners?: number;
  /** "Now" of the portal, epoch ms. Defaults to a fixed instant so that the function stays pure. */
  now?: number;
}

export interface GeneratedPortal {
  seed: number | string;
  now: number;
  owners: Owner[];
  companies: RecordSeed[];
  contacts: RecordSeed[];
  deals: RecordSeed[];
  associations: {
    /** [contactId, companyId]: the contact's primary company. */
    contactToCompany: Array<[string, string]>;
    /** [dealId, contactId] */
    dealToContact: Array<[string, string]>;
    /** [dealId, companyId]: the deal's primary company. */
    dealToCompany: Array<[string, string]>;
  };
  metadata: PortalMetadata;
}

export interface PortalMetadata {
  seed: number | string;
  now: number;
  counts: { owners: number; companies: number; contacts: number; deals: number };
  funnel: { contactsWithDeal: number; won: number; lost: number; open: number; conversionRate: number; winRate: number };
  shares: { freeMail: number; students: number; competitors: number; noCompany: number; missingCountry: number };
  signals: readonly PropertySignal[];
  targetProfile: typeof TARGET_PROFILE;
  /** Per contact (same order as `contacts`): the model's probability that it becomes a deal (buying-group effect included). */
  conversionProbability: Float32Array;
  /**
   * The buying-group model (./roles.ts): contacts at a company whose contacts hold every role of
   * `coveredRoles` have their odds of a deal multiplied by `oddsRatio`; `randomRole` is held independently of
   * everything (coverage of it is noise). With the counts of this portal.
   */
  buyingGroup: typeof BUYING_GROUP & { contactsWithRole: number; companiesWithContacts: number; coveredCompanies: number; randomRoleCompanies: number };
}

/** 2025-06-01T00:00:00Z: the default "now" of a generated portal. */
export const DEFAULT_GENERATOR_NOW = Date.UTC(2025, 5, 1);

export function generatePortal(options: GeneratePortalOptions): GeneratedPortal {
  if (!Number.isInteger(options.contacts) || options.contacts < 0) throw new RangeError('contacts must be a non-negative integer');
  const now = options.now ?? DEFAULT_GENERATOR_NOW;
  const root = new Random(options.seed);
  const owners = makeOwners(root.fork('owners'), options.owners ?? 8, now);
  const companies = makeCompanies(root.fork('companies'), options.companies ?? Math.max(COMPETITORS.length + 3, Math.round(options.contacts / 6)), now, owners);
  const contactsOut = makeContacts(root.fork('contacts'), options.contacts, now, companies, owners);
  // Buying roles and their effect draw from their own streams: the contacts and the base model's deals stay as they were.
  const rolesRandom = root.fork('roles');
  const boostRandom = rolesRandom.fork('deals');
  const roles = assignBuyingRoles(rolesRandom, contactsOut);
  const dealsOut = makeDeals(root.fork('deals'), contactsOut, now, owners, options.deals, { random: boostRandom, boosted: roles.boosted, chance: boostedChance });
  const probability = contactsOut.probability.map((p, i) => (roles.boosted[i] === 1 ? boostedChance(p) : p));
  // After the deals: the lifecycle moves of the contacts no deal moved.
  const lifecycle = root.fork('lifecycle');
  for (const contact of contactsOut.seeds) {
    // A contact the buying-group effect gave a deal has no lifecycle moves of its own (its deal moved it).
    if (dealsOut.added.has(contact.id)) skipLifecycleHistory(lifecycle, contact);
    else lifecycleHistory(lifecycle, contact);
  }

  const n = contactsOut.seeds.length;
  const metadata: PortalMetadata = {
    seed: options.seed,
    now,
    counts: { owners: owners.length, companies: companies.length, contacts: n, deals: dealsOut.seeds.length },
    funnel: {
      contactsWithDeal: dealsOut.seeds.length,
      won: dealsOut.won,
      lost: dealsOut.lost,
      open: dealsOut.seeds.length - dealsOut.won - dealsOut.lost,
      conversionRate: n === 0 ? 0 : dealsOut.seeds.length / n,
      winRate: dealsOut.won + dealsOut.lost === 0 ? 0 : dealsOut.won / (dealsOut.won + dealsOut.lost),
    },
    shares: {
      freeMail: share(contactsOut.counts.freeMail, n),
      students: share(contactsOut.counts.students, n),
      competitors: share(contactsOut.counts.competitors, n),
      noCompany: share(contactsOut.counts.noCompany, n),
      missingCountry: share(contactsOut.counts.missingCountry, n),
    },
    signals: PORTAL_SIGNALS,
    targetProfile: TARGET_PROFILE,
    conversionProbability: probability,
    buyingGroup: {
      ...BUYING_GROUP,
      contactsWithRole: roles.counts.withRole,
      companiesWithContacts: roles.counts.companiesWithContacts,
      coveredCompanies: roles.counts.coveredCompanies,
      randomRoleCompanies: roles.counts.randomRoleCompanies,
    },
  };
  return {
    seed: options.seed,
    now,
    owners,
    companies: companies.map((c) => c.record),
    contacts: contactsOut.seeds,
    deals: dealsOut.seeds,
    associations: { contactToCompany: contactsOut.toCompany, dealToContact: dealsOut.toContact, dealToCompany: dealsOut.toCompany },
    metadata,
  };
}

function share(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}

export function loadGeneratedPortal(portal: Portal, generated: GeneratedPortal): void {
  portal.setOwners(generated.owners);
  portal.load('companies', generated.companies);
  portal.load('contacts', generated.contacts);
  portal.load('deals', generated.deals);
  const contactCompany = associationKind('contacts', 'companies', 1);
  const dealContact = associationKind('deals', 'contacts', 3);
  const dealCompany = associationKind('deals', 'companies', 5);
  if (!contactCompany || !dealContact || !dealCompany) throw new Error('association kinds missing');
  for (const [contactId, companyId] of generated.associations.contactToCompany) portal.loadAssociation('contacts', contactId, 'companies', companyId, contactCompany);
  for (const [dealId, contactId] of generated.associations.dealToContact) portal.loadAssociation('deals', dealId, 'contacts', contactId, dealContact);
  for (const [dealId, companyId] of generated.associations.dealToCompany) portal.loadAssociation('deals', dealId, 'companies', companyId, dealCompany);
}

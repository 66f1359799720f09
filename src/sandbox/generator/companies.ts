import { OBJECT_TYPE_INFO } from '../crm/object-types';
import type { Owner, RecordSeed } from '../crm/portal';
import { Random, WeightedTable } from '../random';
import { companyHistory } from './history';
import { DAY, idSequence, iso, slug } from './util';
import { CITIES, COMPANY_WORDS, COMPETITORS, COUNTRIES, EMPLOYEE_BANDS, FIRST_NAMES, INDUSTRY_WEIGHTS, LAST_NAMES } from './vocabulary';

/** Owners and companies of the synthetic portal (the competitors come first). */
export interface CompanyProfile {
  id: string;
  name: string;
  domain: string;
  industry: string;
  employees: number;
  country: string;
  competitor: boolean;
  record: RecordSeed;
}

export function makeOwners(random: Random, count: number, now: number): Owner[] {
  const owners: Owner[] = [];
  for (let i = 0; i < count; i += 1) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    owners.push({
      id: String(70_000_000 + i * 7_919 + random.int(0, 7_000)),
      email: `${slug(firstName)}.${slug(lastName)}${i}@sandbox-portal.example`,
      firstName,
      lastName,
      userId: 2_000_000 + i * 101,
      createdAt: now - 800 * DAY,
      updatedAt: now - 800 * DAY,
      archived: false,
    });
  }
  return owners;
}

function drawEmployees(random: Random, bands: WeightedTable<readonly [number, number, number]>): number {
  const [min, max] = bands.draw(random);
  // Log-uniform inside the band: small companies dominate each band as they do in reality.
  return Math.round(Math.exp(Math.log(min) + random.next() * (Math.log(max) - Math.log(min))));
}

export function makeCompanies(random: Random, count: number, now: number, owners: Owner[]): CompanyProfile[] {
  const nextId = idSequence(OBJECT_TYPE_INFO.companies.firstId);
  const industries = new WeightedTable(INDUSTRY_WEIGHTS);
  const countries = new WeightedTable(COUNTRIES);
  const bands = new WeightedTable(EMPLOYEE_BANDS.map((b) => [b, b[2]] as const));
  // Next free number per "First Second" base: a name is taken as `base`, then `base 2`, `base 3`, ...
  // (400 bases for thousands of companies, so probing a set from 2 upwards was quadratic).
  const taken = new Map<string, number>();
  const out: CompanyProfile[] = [];
  // Histories draw from their own stream: the draws above (and every figure built on them) stay as they were.
  const past = random.fork('history');
  const total = Math.max(count, COMPETITORS.length);
  for (let i = 0; i < total; i += 1) {
    const competitor = i < COMPETITORS.length ? COMPETITORS[i] : undefined;
    let name: string;
    let domain: string;
    if (competitor) {
      ({ name, domain } = competitor);
    } else {
      const base = `${random.pick(COMPANY_WORDS.first)} ${random.pick(COMPANY_WORDS.second)}`;
      const n = taken.get(base) ?? 1;
      taken.set(base, n + 1);
      const candidate = n === 1 ? base : `${base} ${n}`;
      name = candidate + random.pick(COMPANY_WORDS.suffix);
      domain = `${slug(base)}${n === 1 ? '' : n}${random.pick(COMPANY_WORDS.tld)}`;
    }
    const industry = competitor ? 'COMPUTER_SOFTWARE' : industries.draw(random);
    const employees = competitor ? random.int(150, 900) : drawEmployees(random, bands);
    const country = countries.draw(random);
    const revenuePerEmployee = Math.exp(random.normal(Math.log(150_000), 0.45));
    const createdAt = now - random.int(200, 1_500) * DAY - random.int(0, DAY - 1);
    const id = nextId();
    const properties: Record<string, string> = {
      hs_object_id: id,
      name,
      domain,
      industry,
      numberofemployees: String(employees),
      annualrevenue: String(Math.round((employees * revenuePerEmployee) / 1000) * 1000),
      country,
      createdate: iso(createdAt),
      hs_lastmodifieddate: iso(createdAt),
      lifecyclestage: 'lead',
    };
    const cities = CITIES[country];
    if (cities) properties.city = random.pick(cities);
    if (random.chance(0.7)) properties.hubspot_owner_id = random.pick(owners).id;
    const record: RecordSeed = { id, properties, createdAt, origin: { sourceType: 'IMPORT' } };
    companyHistory(past, record, now);
    out.push({ id, name, domain, industry, employees, country, competitor: competitor !== undefined, record });
  }
  return out;
}

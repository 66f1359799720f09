import { OBJECT_TYPE_INFO } from '../crm/object-types';
import type { Owner, RecordSeed } from '../crm/portal';
import { Random, WeightedTable } from '../random';
import type { CompanyProfile } from './companies';
import { contactHistory, type ContactMarks } from './history';
import { DAY, idSequence, iso, sigmoid, slug } from './util';
import {
  COMPANY_WORDS,
  CONVERSION_EVENTS,
  COUNTRIES,
  FIRST_NAMES,
  FREE_MAIL_DOMAINS,
  LAST_NAMES,
  SENIOR,
  SENIORITY_WEIGHTS,
  SOURCE_WEIGHTS,
  TARGET_INDUSTRIES,
  TITLES,
  UNIVERSITY_DOMAINS,
  type Seniority,
} from './vocabulary';

/**
 * Contacts: who they are (segment, employer, title, address), how engaged they are, and their modelled
 * chance of becoming a deal. The logit below is the ground truth that docs/sandbox.md and ./signals.ts
 * describe.
 */
export interface ContactsOut {
  seeds: RecordSeed[];
  toCompany: Array<[string, string]>;
  probability: Float32Array;
  /** Per contact: inputs the deal model needs. */
  latent: Array<{ company: CompanyProfile | undefined; fit: number; engagement: number; freeMail: boolean; seniority: Seniority }>;
  counts: { freeMail: number; students: number; competitors: number; noCompany: number; missingCountry: number };
}

// Read once into module constants: under jest every global lookup goes through the vm context's interceptor,
// and this loop makes millions of them (it ran several times slower there than in plain node).
const { exp, log, log10, max, min, round } = Math;
const str = String;

export function makeContacts(random: Random, count: number, now: number, companies: CompanyProfile[], owners: Owner[]): ContactsOut {
  const nextId = idSequence(OBJECT_TYPE_INFO.contacts.firstId);
  const regular = companies.filter((c) => !c.competitor);
  const competitors = companies.filter((c) => c.competitor);
  // Bigger companies have more people in the database.
  const employer = regular.length > 0 ? new WeightedTable(regular.map((c) => [c, 1 + log10(c.employees)] as const)) : undefined;
  const freeMail = new WeightedTable(FREE_MAIL_DOMAINS);
  const countries = new WeightedTable(COUNTRIES);
  const seniorities = new WeightedTable(SENIORITY_WEIGHTS);
  const sources = new WeightedTable(SOURCE_WEIGHTS);
  const emails = new Set<string>();
  // Histories draw from their own stream: the draws above (and every figure built on them) stay as they were.
  const past = random.fork('history');
  const out: ContactsOut = {
    seeds: [],
    toCompany: [],
    probability: new Float32Array(count),
    latent: [],
    counts: { freeMail: 0, students: 0, competitors: 0, noCompany: 0, missingCountry: 0 },
  };

  for (let i = 0; i < count; i += 1) {
    const id = nextId();
    const segment = random.next();
    const student = segment < 0.04;
    const atCompetitor = !student && segment < 0.055 && competitors.length > 0;
    let company: CompanyProfile | undefined;
    if (atCompetitor) company = random.pick(competitors);
    else if (!student && employer && random.chance(0.85)) company = employer.draw(random);

    const seniority: Seniority = student ? 'student' : seniorities.draw(random);
    const jobtitle = seniority === 'none' ? undefined : random.pick(TITLES[seniority]);
    const firstname = random.pick(FIRST_NAMES);
    const lastname = random.pick(LAST_NAMES);

    // Email domain: the employer's, a free-mail provider, a university, or a one-person business.
    let domain: string;
    let isFreeMail = false;
    if (atCompetitor && company) domain = company.domain;
    else if (student) {
      isFreeMail = random.chance(0.6);
      domain = isFreeMail ? freeMail.draw(random) : random.pick(UNIVERSITY_DOMAINS);
    } else if (company) {
      isFreeMail = random.chance(0.12);
      domain = isFreeMail ? freeMail.draw(random) : company.domain;
    } else {
      isFreeMail = random.chance(0.85);
      domain = isFreeMail ? freeMail.draw(random) : `${slug(lastname)}${slug(random.pick(COMPANY_WORDS.second))}.com`;
    }
    const first = slug(firstname);
    const last = slug(lastname);
    let local = isFreeMail ? `${first}${random.chance(0.5) ? '.' : ''}${last}${random.int(1, 999)}` : random.chance(0.7) ? `${first}.${last}` : `${first.charAt(0)}${last}`;
    let email = `${local}@${domain}`;
    for (let n = 2; emails.has(email); n += 1) {
      local = `${local.replace(/\d+$/, '')}${n}`;
      email = `${local}@${domain}`;
    }
    emails.add(email);

    const ageDays = 730 * random.next() ** 1.4 + 0.05;
    const createdAt = round(now - ageDays * DAY);
    const targetIndustry = company !== undefined && TARGET_INDUSTRIES.has(company.industry);
    const sizeFit = company !== undefined && company.employees >= 50 && company.employees <= 5000;
    const senior = SENIOR.has(seniority);
    const engagement = random.normal() + (targetIndustry ? 0.25 : 0);

    const pageViews = min(500, random.poisson(exp(1.1 + 0.75 * engagement)));
    const conversions = min(40, random.poisson(exp(-0.5 + 0.6 * engagement)));
    const fitCore = (targetIndustry ? 1 : 0) + (sizeFit ? 1 : 0) + (senior ? 1 : 0);
    const highIntent = conversions > 0 && random.chance(sigmoid(-1.6 + 0.9 * engagement + 0.45 * fitCore));

    const properties: Record<string, string> = { hs_object_id: id, email, firstname, lastname, createdate: iso(createdAt) };
    if (jobtitle) properties.jobtitle = jobtitle;
    if (company) properties.company = company.name;
    if (random.chance(0.92)) properties.country = company && random.chance(0.8) ? company.country : countries.draw(random);
    else out.counts.missingCountry += 1;
    properties.hs_analytics_source = sources.draw(random);
    properties.hs_analytics_num_page_views = str(pageViews);
    properties.hs_analytics_num_visits = str(max(pageViews > 0 ? 1 : 0, round(pageViews / (1.5 + random.next() * 2))));
    properties.num_conversion_events = str(conversions);
    let lastTouch = createdAt;
    const marks: ContactMarks = { createdAt, now, seniority, freeMail: isFreeMail };
    const ago = (meanDays: number): number => min(ageDays, -log(1 - random.next()) * meanDays);
    if (pageViews > 0) {
      const at = round(now - ago(45 / exp(0.6 * engagement)) * DAY);
      properties.hs_analytics_last_visit_timestamp = iso(at);
      marks.lastVisitAt = at;
      lastTouch = max(lastTouch, at);
    }
    if (conversions > 0) {
      const recentAt = round(now - ago(40 / exp(0.5 * engagement)) * DAY);
      properties.recent_conversion_event_name = random.pick(highIntent ? CONVERSION_EVENTS.highIntent : CONVERSION_EVENTS.lowIntent);
      properties.recent_conversion_date = iso(recentAt);
      const firstAt = conversions > 1 ? createdAt + round((recentAt - createdAt) * random.next() * 0.5) : recentAt;
      properties.first_conversion_event_name = conversions > 1 ? random.pick(CONVERSION_EVENTS.lowIntent) : properties.recent_conversion_event_name;
      properties.first_conversion_date = iso(firstAt);
      marks.firstConversionAt = firstAt;
      marks.recentConversionAt = recentAt;
      lastTouch = max(lastTouch, recentAt);
    }
    if (random.chance(min(0.9, max(0.1, 0.5 + 0.15 * engagement)))) {
      const openAt = round(now - ago(30 / exp(0.4 * engagement)) * DAY);
      properties.hs_email_last_open_date = iso(openAt);
      marks.lastOpenAt = openAt;
      lastTouch = max(lastTouch, openAt);
      if (random.chance(min(0.8, max(0.05, 0.35 + 0.1 * engagement)))) {
        // A click needs an open of the same email, so the last click is not after the last open.
        marks.lastClickAt = max(createdAt, openAt - round(random.next() * 10 * DAY));
        properties.hs_email_last_click_date = iso(marks.lastClickAt);
      }
    }
    if (random.chance(0.7)) properties.favorite_number = str(random.int(1, 100));
    if (random.chance(0.65)) properties.hubspot_owner_id = random.pick(owners).id;
    // Before any deal: lifecycle and lead status from engagement alone (deals overwrite them).
    const stage = conversions === 0 ? (random.chance(0.3) ? 'subscriber' : 'lead') : highIntent ? 'marketingqualifiedlead' : 'lead';
    properties.lifecyclestage = stage;
    // Named stores, one branch per stage: a computed key per contact was a visible cost.
    const created = properties.createdate as string;
    if (stage === 'lead') {
      properties.hs_lifecyclestage_lead_date = created;
      properties.hs_v2_date_entered_lead = created;
    } else if (stage === 'subscriber') {
      properties.hs_lifecyclestage_subscriber_date = created;
      properties.hs_v2_date_entered_subscriber = created;
    } else {
      properties.hs_lifecyclestage_marketingqualifiedlead_date = created;
      properties.hs_v2_date_entered_marketingqualifiedlead = created;
    }
    if (random.chance(0.8)) properties.hs_lead_status = ageDays < 14 ? 'NEW' : random.pick(['OPEN', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'UNQUALIFIED', 'BAD_TIMING'] as const);
    properties.num_associated_deals = '0';
    properties.lastmodifieddate = iso(lastTouch);

    const logit =
      -4.5 +
      1.3 * (targetIndustry ? 1 : 0) +
      1.0 * (sizeFit ? 1 : 0) +
      1.2 * (senior ? 1 : 0) +
      0.8 * engagement +
      1.0 * (highIntent ? 1 : 0) +
      0.25 * min(conversions, 3) -
      1.6 * (isFreeMail ? 1 : 0) -
      (student || seniority === 'junior' ? 3.0 : 0) -
      (company === undefined ? 0.8 : 0);
    out.probability[i] = atCompetitor ? 0 : sigmoid(logit);

    if (isFreeMail) out.counts.freeMail += 1;
    if (student) out.counts.students += 1;
    if (atCompetitor) out.counts.competitors += 1;
    if (!company) out.counts.noCompany += 1;
    const origin = { sourceType: random.chance(0.7) ? ('FORM' as const) : ('IMPORT' as const) };
    out.seeds.push({ id, properties, createdAt, updatedAt: lastTouch, origin, history: contactHistory(past, properties, marks, origin) });
    if (company) out.toCompany.push([id, company.id]);
    out.latent.push({ company, fit: fitCore, engagement, freeMail: isFreeMail, seniority });
  }
  return out;
}

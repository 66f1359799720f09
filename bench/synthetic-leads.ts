import type { Facts } from '../src/definition';

/**
 * Contacts and their primary companies as HubSpot would return them (all values strings), deterministic
 * from a seed. Enough variety to exercise every operator of the example definition, including odd data
 * (unparseable numbers and dates, empty values) at realistic rates.
 */
export interface SyntheticLead {
  contact: Record<string, string | null>;
  company: Record<string, string | null> | null;
}

/** mulberry32: a tiny, fast, well-distributed seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TITLES = ['VP Marketing', 'Director of Sales', 'Head of Growth', 'CEO', 'Founder', 'Marketing Manager', 'Team Lead', 'Engineer', 'Analyst', 'Student', 'Intern', 'Consultant', ''];
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'FINANCIAL_SERVICES', 'INTERNET', 'RETAIL', 'HOSPITAL_HEALTH_CARE', 'CONSTRUCTION', 'EDUCATION_MANAGEMENT', ''];
const COUNTRIES = ['United States', 'germany', 'United Kingdom', 'France', 'Brazil', 'India', 'Japan', 'Canada', ''];
const EVENTS = ['Demo request', 'Pricing page form', 'Ebook download', 'Webinar registration', 'Newsletter signup', ''];
const FREEMAIL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com'];

export function syntheticLeads(count: number, seed: number, now: number): SyntheticLead[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const daysAgo = (max: number) => now - Math.floor(rnd() * max * 86_400_000);
  const out: SyntheticLead[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    const domain = r < 0.2 ? pick(FREEMAIL) : r < 0.21 ? 'rivalscore.io' : `company${Math.floor(rnd() * 5000)}.com`;
    const email = rnd() < 0.01 ? 'not-an-email' : rnd() < 0.02 ? '' : `lead${i}@${domain}`;
    const converted = rnd() < 0.6;
    const dateStyle = rnd();
    const convertedAt = daysAgo(200);
    out.push({
      contact: {
        email,
        jobtitle: pick(TITLES),
        country: pick(COUNTRIES),
        recent_conversion_event_name: converted ? pick(EVENTS) : null,
        // HubSpot returns datetimes as epoch-ms strings or ISO; some imports leave junk.
        recent_conversion_date: converted ? (dateStyle < 0.5 ? String(convertedAt) : dateStyle < 0.98 ? new Date(convertedAt).toISOString() : 'last week') : null,
        num_conversion_events: converted ? String(1 + Math.floor(rnd() * 6)) : '0',
        hs_analytics_num_page_views: String(Math.floor(rnd() * 60)),
        hs_analytics_last_visit_timestamp: rnd() < 0.8 ? new Date(daysAgo(60)).toISOString() : null,
        hs_email_last_click_date: rnd() < 0.3 ? String(daysAgo(90)) : null,
        hs_email_hard_bounce_reason_enum: rnd() < 0.01 ? 'MAILBOX_FULL' : null,
        lifecyclestage: pick(['subscriber', 'lead', 'lead', 'marketingqualifiedlead', 'customer', '']),
      },
      company:
        rnd() < 0.1
          ? null
          : {
              industry: pick(INDUSTRIES),
              numberofemployees: rnd() < 0.02 ? 'about 50' : rnd() < 0.1 ? '' : String(Math.floor(Math.exp(rnd() * 10))),
              annualrevenue: rnd() < 0.5 ? String(Math.floor(rnd() * 1e8)) : null,
              country: pick(COUNTRIES),
            },
    });
  }
  return out;
}

export type { Facts };

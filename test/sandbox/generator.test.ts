import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FREE_MAIL_DOMAIN_SET, PORTAL_SIGNALS, Portal, generatePortal, loadGeneratedPortal, propertiesWithRole, type GeneratedPortal } from '../../src/sandbox';

/** The synthetic portal: deterministic, fast, realistic shares, and a funnel driven by fit as documented. */
const NOW = Date.UTC(2025, 5, 1);

function fingerprint(portal: GeneratedPortal): string {
  const { conversionProbability, ...metadata } = portal.metadata;
  return createHash('sha256')
    .update(JSON.stringify({ ...portal, metadata, probability: Array.from(conversionProbability) }))
    .digest('hex');
}

describe('determinism and speed', () => {
  // First in the file, so that it runs on a fresh heap and no other portal is alive while it is timed.
  it('when 100,000 contacts are generated, then it takes under 10 seconds of CPU', () => {
    // CPU time, not wall time: this machine's two cores are shared (load averages of 8 were seen), and
    // wall time there measures the neighbours. CPU time is what generating costs; it includes GC threads.
    const cpuBefore = process.cpuUsage();
    const portal = generatePortal({ seed: 1, contacts: 100_000, now: NOW });
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (cpu.user + cpu.system) / 1e6;
    expect(portal.contacts).toHaveLength(100_000);
    expect(portal.companies.length).toBeGreaterThan(16_000);
    expect(portal.deals.length).toBeGreaterThan(5_000);
    expect(new Set(portal.contacts.map((c) => c.properties.email)).size).toBe(100_000);
    expect(seconds).toBeLessThan(10);
  });

  it('when the same seed is used twice, then the same portal comes out; another seed gives another portal', () => {
    const a = generatePortal({ seed: 42, contacts: 5_000, now: NOW });
    const b = generatePortal({ seed: 42, contacts: 5_000, now: NOW });
    const c = generatePortal({ seed: 43, contacts: 5_000, now: NOW });
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(a.contacts[123]).toEqual(b.contacts[123]);
    expect(fingerprint(c)).not.toBe(fingerprint(a));
    expect(c.contacts[0]?.properties.email).not.toBe(a.contacts[0]?.properties.email);
  });
});

describe('shape and distributions', () => {
  // Built in beforeAll, not while jest collects the tests, so it is not alive while the 100,000 are timed.
  let portal: GeneratedPortal;
  let companies: Map<string, Record<string, string>>;
  let companyOf: Map<string, string>;
  let withDeal: Set<string>;
  beforeAll(() => {
    portal = generatePortal({ seed: 7, contacts: 30_000, now: NOW });
    companies = new Map(portal.companies.map((c) => [c.id, c.properties]));
    companyOf = new Map(portal.associations.contactToCompany);
    withDeal = new Set(portal.associations.dealToContact.map(([, contactId]) => contactId));
  });
  const rate = (predicate: (p: Record<string, string>, id: string) => boolean): number => {
    let n = 0;
    let k = 0;
    for (const c of portal.contacts) {
      if (!predicate(c.properties, c.id)) continue;
      n += 1;
      if (withDeal.has(c.id)) k += 1;
    }
    return k / n;
  };

  it('when a portal is generated, then values are HubSpot-style strings with the product\'s property names', () => {
    const contact = portal.contacts.find((c) => c.properties.recent_conversion_event_name)?.properties as Record<string, string>;
    expect(Object.values(contact).every((v) => typeof v === 'string')).toBe(true);
    for (const name of ['email', 'firstname', 'lastname', 'hs_analytics_source', 'hs_analytics_num_page_views', 'num_conversion_events', 'recent_conversion_date', 'lifecyclestage', 'createdate']) {
      expect(contact).toHaveProperty(name);
    }
    expect(contact.createdate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(contact.createdate as string)).toBeLessThanOrEqual(NOW);
    const company = portal.companies[5]?.properties as Record<string, string>;
    for (const name of ['name', 'domain', 'industry', 'numberofemployees', 'annualrevenue', 'country']) expect(company).toHaveProperty(name);
    expect(Number(portal.contacts[0]?.id)).toBeGreaterThan(2 ** 31);
  });

  it('when shares are measured, then free mail, students, competitors, missing company and country look like a real database', () => {
    const { shares } = portal.metadata;
    const measuredFreeMail = portal.contacts.filter((c) => FREE_MAIL_DOMAIN_SET.has((c.properties.email as string).split('@')[1] as string)).length / portal.contacts.length;
    expect(measuredFreeMail).toBeCloseTo(shares.freeMail, 5);
    expect(shares.freeMail).toBeGreaterThan(0.18);
    expect(shares.freeMail).toBeLessThan(0.28);
    expect(shares.students).toBeGreaterThan(0.02);
    expect(portal.contacts.filter((c) => c.properties.jobtitle === 'Student').length).toBeGreaterThan(0);
    expect(shares.competitors).toBeGreaterThan(0.005);
    expect(shares.noCompany).toBeGreaterThan(0.1);
    expect(portal.contacts.filter((c) => !c.properties.country).length / portal.contacts.length).toBeCloseTo(shares.missingCountry, 5);
    const industries = new Set(portal.companies.map((c) => c.properties.industry));
    expect(industries.size).toBeGreaterThan(15);
  });

  it('when conversion is compared by fit, then target industries, the size band, senior titles and high intent convert more', () => {
    const target = new Set(['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'FINANCIAL_SERVICES']);
    const industry = (id: string): string | undefined => companies.get(companyOf.get(id) ?? '')?.industry;
    const employees = (id: string): number => Number(companies.get(companyOf.get(id) ?? '')?.numberofemployees ?? 0);
    const senior = /\b(VP|Vice President|Director|Head|Chief|CEO|CTO|COO|Founder)\b/;
    expect(rate((_, id) => target.has(industry(id) ?? ''))).toBeGreaterThan(2 * rate((_, id) => industry(id) !== undefined && !target.has(industry(id) ?? '')));
    expect(rate((_, id) => employees(id) >= 50 && employees(id) <= 5000)).toBeGreaterThan(1.5 * rate((_, id) => employees(id) > 0 && employees(id) < 50));
    expect(rate((p) => senior.test(p.jobtitle ?? ''))).toBeGreaterThan(2 * rate((p) => !senior.test(p.jobtitle ?? '')));
    expect(rate((p) => p.recent_conversion_event_name === 'Demo request')).toBeGreaterThan(2 * rate((p) => p.recent_conversion_event_name === 'Ebook download'));
    expect(rate((p) => Number(p.hs_analytics_num_page_views) > 10)).toBeGreaterThan(3 * rate((p) => Number(p.hs_analytics_num_page_views) <= 2));
    expect(rate((p) => FREE_MAIL_DOMAIN_SET.has((p.email ?? '').split('@')[1] ?? ''))).toBeLessThan(0.5 * rate((p) => !FREE_MAIL_DOMAIN_SET.has((p.email ?? '').split('@')[1] ?? '')));
    expect(rate((p) => p.jobtitle === 'Student')).toBe(0);
    expect(rate((p) => /@(leadscope\.io|funnelforge\.com|scorelane\.io)$/.test(p.email ?? ''))).toBe(0);
  });

  it('when conversion is compared by the random properties, then it does not move', () => {
    const overall = portal.metadata.funnel.conversionRate;
    expect(overall).toBeGreaterThan(0.04);
    expect(overall).toBeLessThan(0.15);
    const near = (x: number): void => {
      expect(Math.abs(x - overall)).toBeLessThan(0.25 * overall);
    };
    near(rate((p) => (p.firstname ?? '') < 'M'));
    near(rate((p) => (p.firstname ?? '') >= 'M'));
    near(rate((p) => Number(p.favorite_number) <= 50));
    near(rate((p) => Number(p.favorite_number) > 50));
    for (const source of ['ORGANIC_SEARCH', 'DIRECT_TRAFFIC', 'PAID_SEARCH']) near(rate((p) => p.hs_analytics_source === source));
  });

  it('when deals are generated, then they carry stage histories, won and lost amounts, cycle lengths and closed flags', () => {
    const { funnel } = portal.metadata;
    expect(funnel.won).toBeGreaterThan(0);
    expect(funnel.lost).toBeGreaterThan(0);
    expect(funnel.open).toBeGreaterThan(0);
    expect(funnel.winRate).toBeGreaterThan(0.2);
    expect(funnel.winRate).toBeLessThan(0.6);
    // Problems are collected and compared once: thousands of expect() calls cost seconds.
    const problems: string[] = [];
    for (const deal of portal.deals) {
      const p = deal.properties;
      const stages = (deal.history?.dealstage ?? []).map((h) => h.value);
      const closed = p.dealstage === 'closedwon' || p.dealstage === 'closedlost';
      const fail = (what: string): void => void problems.push(`deal ${deal.id}: ${what}`);
      if (stages[0] !== 'appointmentscheduled') fail(`first stage ${stages[0]}`);
      if (stages[stages.length - 1] !== p.dealstage) fail(`last history stage ${stages[stages.length - 1]} is not dealstage ${p.dealstage}`);
      for (const stage of stages) if (p[`hs_v2_date_entered_${stage}`] === undefined) fail(`no hs_v2_date_entered_${stage}`);
      if (p.hs_is_closed !== String(closed)) fail(`hs_is_closed ${p.hs_is_closed}`);
      if (p.hs_is_closed_won !== String(p.dealstage === 'closedwon')) fail(`hs_is_closed_won ${p.hs_is_closed_won}`);
      if (closed && !(Number(p.days_to_close) >= 0)) fail(`days_to_close ${p.days_to_close}`);
      if (!(Number(p.amount) > 0)) fail(`amount ${p.amount}`);
    }
    expect(portal.deals.length).toBeGreaterThan(1_000);
    expect(problems).toEqual([]);
    const won = new Set(portal.deals.filter((d) => d.properties.dealstage === 'closedwon').map((d) => d.id));
    const wonContacts = new Set(portal.associations.dealToContact.filter(([d]) => won.has(d)).map(([, c]) => c));
    expect(portal.contacts.filter((c) => wonContacts.has(c.id)).every((c) => c.properties.lifecyclestage === 'customer')).toBe(true);
  });

  it('when buying roles are drawn, then a third of contacts hold HubSpot values, and accounts covering the model\'s roles convert more while the random role does not move', () => {
    const { buyingGroup } = portal.metadata;
    const options = new Set(['BLOCKER', 'BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER', 'LEGAL_AND_COMPLIANCE', 'OTHER']);
    const order = [...options];
    const problems: string[] = [];
    const accounts = new Map<string, { roles: Set<string>; converted: boolean }>();
    let withRole = 0;
    for (const c of portal.contacts) {
      const value = c.properties.hs_buying_role;
      const roles = value === undefined ? [] : value.split(';');
      if (value !== undefined) {
        withRole += 1;
        if (roles.some((r) => !options.has(r))) problems.push(`${c.id}: ${value}`);
        if (roles.map((r) => order.indexOf(r)).some((k, i, all) => i > 0 && k <= (all[i - 1] as number))) problems.push(`${c.id}: not in HubSpot's order: ${value}`);
        const history = c.history?.hs_buying_role ?? [];
        if (history.length !== 1 || history[0]?.value !== value || history[0].timestamp < c.createdAt || history[0].timestamp > c.createdAt + 2 * 86_400_000) problems.push(`${c.id}: history ${JSON.stringify(history)}`);
      }
      const companyId = companyOf.get(c.id);
      if (companyId === undefined) {
        if (value !== undefined) problems.push(`${c.id}: a role without a company`);
        continue;
      }
      const account = accounts.get(companyId) ?? { roles: new Set<string>(), converted: false };
      accounts.set(companyId, account);
      for (const r of roles) account.roles.add(r);
      if (withDeal.has(c.id)) account.converted = true;
    }
    expect(problems).toEqual([]);
    expect(withRole).toBe(buyingGroup.contactsWithRole);
    expect(withRole / portal.contacts.length).toBeGreaterThan(0.2);
    expect(withRole / portal.contacts.length).toBeLessThan(0.5);
    const accountRate = (predicate: (roles: Set<string>) => boolean): number => {
      const chosen = [...accounts.values()].filter((a) => predicate(a.roles));
      return chosen.filter((a) => a.converted).length / chosen.length;
    };
    const covered = (roles: Set<string>): boolean => buyingGroup.coveredRoles.every((r) => roles.has(r));
    expect([...accounts.values()].filter((a) => covered(a.roles)).length).toBe(buyingGroup.coveredCompanies);
    expect(accountRate(covered)).toBeGreaterThan(1.8 * accountRate((roles) => !covered(roles)));
    const overall = accountRate(() => true);
    expect(Math.abs(accountRate((roles) => roles.has(buyingGroup.randomRole)) - overall)).toBeLessThan(0.1 * overall);
    expect(Math.abs(accountRate((roles) => !roles.has(buyingGroup.randomRole)) - overall)).toBeLessThan(0.1 * overall);
  });

  it('when the deal count is requested, then the generator aims at it', () => {
    const aimed = generatePortal({ seed: 8, contacts: 20_000, deals: 500, now: NOW });
    expect(aimed.deals.length).toBeGreaterThan(400);
    expect(aimed.deals.length).toBeLessThan(600);
  });
});

describe('documented signals', () => {
  it('when the metadata lists predictive and random properties, then docs/sandbox.md lists the same ones', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'sandbox.md'), 'utf8');
    const section = (role: string): string[] => {
      const match = new RegExp(`<!-- signals:${role} -->([\\s\\S]*?)<!-- /signals:${role} -->`).exec(doc);
      if (!match) throw new Error(`docs/sandbox.md lacks the ${role} signals section`);
      return [...(match[1] as string).matchAll(/`([a-z_]+)`/g)].map((m) => m[1] as string).sort();
    };
    for (const role of ['predictive', 'random', 'outcome'] as const) {
      const fromMetadata = PORTAL_SIGNALS.filter((s) => s.role === role).map((s) => s.property).sort();
      expect(section(role)).toEqual(fromMetadata);
    }
    expect(propertiesWithRole('random')).toEqual(expect.arrayContaining(['firstname', 'hs_analytics_source', 'favorite_number']));
  });

  it('when a generated portal is loaded, then the portal holds every record and its primary associations', () => {
    const generated = generatePortal({ seed: 3, contacts: 2_000, now: NOW });
    const portal = new Portal(1, () => NOW);
    loadGeneratedPortal(portal, generated);
    expect(portal.count('contacts')).toBe(2_000);
    expect(portal.count('deals')).toBe(generated.deals.length);
    const [contactId, companyId] = generated.associations.contactToCompany[0] as [string, string];
    expect(portal.associations.primaryCompany('contacts', contactId)).toBe(companyId);
    const deal = generated.deals[0];
    expect(portal.historyOf(portal.get('deals', deal?.id as string) as NonNullable<ReturnType<Portal['get']>>, 'dealstage').length).toBeGreaterThan(0);
  });
});

import path from 'node:path';
import { compileDefinition, evaluate } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { replayContact } from '../../src/replay';
import { ActivitySimulator, Portal, generatePortal, loadGeneratedPortal, type HistoryEntry, type RecordSeed } from '../../src/sandbox';

/**
 * The generator and the simulator keep history: every value they set has its time and source, the newest
 * entry is today's value, and a replay of the example definition over a generated portal ends on today's
 * decision for every contact.
 */
const NOW = Date.UTC(2025, 5, 1);
const generated = generatePortal({ seed: 21, contacts: 2_000, now: NOW });
const def = compileDefinition(loadDefinitionFile(path.join(__dirname, '../../lead-definition.example.yaml')));

const histories = (seeds: RecordSeed[]) => seeds.flatMap((s) => Object.entries(s.history ?? {}).map(([name, list]) => ({ seed: s, name, list })));

describe('generated history', () => {
  it('when contacts are generated, then each kept history is oldest first, dated from creation to now, and ends on the current value', () => {
    const all = histories(generated.contacts);
    expect(all.length).toBeGreaterThan(generated.contacts.length * 3);
    const bad = all.filter(({ seed, name, list }) => {
      const ordered = list.every((e, i) => i === 0 || list[i - 1]!.timestamp <= e.timestamp);
      const dated = list.every((e) => e.timestamp >= seed.createdAt && e.timestamp <= NOW);
      return !ordered || !dated || list[list.length - 1]!.value !== seed.properties[name];
    });
    expect(bad.map(({ seed, name }) => `${seed.id}.${name}`)).toEqual([]);
  });

  it('when companies are generated, then each kept history of a definition input is oldest first, dated from creation to now, and ends on the current value', () => {
    const all = histories(generated.companies).filter(({ name }) => def.companyProperties.includes(name));
    expect(all.length).toBeGreaterThan(generated.companies.length);
    const bad = all.filter(({ seed, name, list }) => {
      const ordered = list.every((e, i) => i === 0 || list[i - 1]!.timestamp <= e.timestamp);
      const dated = list.every((e) => e.timestamp >= seed.createdAt && e.timestamp <= NOW);
      return !ordered || !dated || list[list.length - 1]!.value !== seed.properties[name];
    });
    expect(bad.map(({ seed, name }) => `${seed.id}.${name}`)).toEqual([]);
  });

  it('when the pasts are counted, then a contact has about 14 dated values across the example definition\'s inputs, about 20 with its company\'s', () => {
    const companyOf = new Map(generated.associations.contactToCompany);
    const companies = new Map(generated.companies.map((c) => [c.id, c]));
    const count = (seed: RecordSeed, props: string[]) => props.reduce((n, p) => n + (seed.history?.[p]?.length ?? (seed.properties[p] !== undefined ? 1 : 0)), 0);
    let own = 0;
    let withCompany = 0;
    for (const c of generated.contacts) {
      const company = companies.get(companyOf.get(c.id) ?? '');
      own += count(c, def.contactProperties);
      withCompany += count(c, def.contactProperties) + (company ? count(company, def.companyProperties) : 0);
    }
    expect(own / generated.contacts.length).toBeGreaterThan(12);
    expect(own / generated.contacts.length).toBeLessThan(17);
    expect(withCompany / generated.contacts.length).toBeGreaterThan(18);
    expect(withCompany / generated.contacts.length).toBeLessThan(24);
  });

  it('when a contact moved up the lifecycle without a deal, then its stage entry dates are the history\'s', () => {
    const moved = generated.contacts.filter((c) => (c.history?.lifecyclestage?.length ?? 0) > 1 && c.properties.num_associated_deals === '0');
    expect(moved.length).toBeGreaterThan(50);
    for (const c of moved) {
      for (const e of c.history!.lifecyclestage!) expect([e.value, c.properties[`hs_v2_date_entered_${e.value}`]]).toEqual([e.value, new Date(e.timestamp).toISOString()]);
    }
  });

  it('when a contact became a deal, then its lifecycle stage moved at the deal\'s creation, by the deal owner', () => {
    const dealOf = new Map(generated.associations.dealToContact.map(([deal, contact]) => [contact, deal]));
    const deals = new Map(generated.deals.map((d) => [d.id, d]));
    const converted = generated.contacts.filter((c) => dealOf.has(c.id));
    expect(converted.length).toBeGreaterThan(20);
    for (const c of converted) {
      const deal = deals.get(dealOf.get(c.id)!)!;
      const stages = c.history!.lifecyclestage!;
      expect(stages[0]!.timestamp).toBe(c.createdAt);
      expect(stages[1]).toMatchObject({ timestamp: deal.createdAt, sourceType: 'CRM_UI', sourceId: deal.origin!.sourceId });
    }
  });

  it('when generated twice with one seed, then the histories are the same, and the other draws did not move', () => {
    const again = generatePortal({ seed: 21, contacts: 2_000, now: NOW });
    expect(JSON.stringify(again.contacts.map((c) => c.history))).toBe(JSON.stringify(generated.contacts.map((c) => c.history)));
    expect(again.metadata.funnel).toEqual(generated.metadata.funnel);
  });

  it('when the example definition is replayed over every contact, then the replay ends on today\'s decision', () => {
    const companyOf = new Map(generated.associations.contactToCompany);
    const companies = new Map(generated.companies.map((c) => [c.id, c]));
    const pastOf = (seed: RecordSeed, props: string[]) => {
      const history: Record<string, HistoryEntry[]> = {};
      for (const p of props) {
        const kept = seed.history?.[p];
        const v = seed.properties[p];
        history[p] = (kept ?? (v === undefined ? [] : [{ value: v, timestamp: seed.createdAt, sourceType: 'IMPORT' as const }])).slice().reverse();
      }
      return { current: seed.properties, history };
    };
    const mismatched: string[] = [];
    let reachedWithDate = 0;
    for (const c of generated.contacts) {
      const company = companies.get(companyOf.get(c.id) ?? '');
      const result = replayContact(def, { contact: pastOf(c, def.contactProperties), company: company ? pastOf(company, def.companyProperties) : null, now: NOW, bound: 1_000 });
      const today = evaluate(def, c.properties, company?.properties ?? null, NOW).status;
      if (result.timeline[result.timeline.length - 1]!.status !== today) mismatched.push(c.id);
      if (result.firstMarketingQualified?.evidence === 'history') reachedWithDate += 1;
    }
    expect(mismatched).toEqual([]);
    expect(reachedWithDate).toBeGreaterThan(50);
  });
});

describe('simulated history', () => {
  it('when the simulator acts, then each change is kept with its time and source and served newest last in the portal', () => {
    let clock = NOW;
    const portal = new Portal(1, () => clock);
    loadGeneratedPortal(portal, generatePortal({ seed: 12, contacts: 300, now: NOW }));
    const simulator = new ActivitySimulator(portal, { seed: 3 });
    const seen: Array<{ type: 'contacts' | 'deals'; id: string; name: string; value: string; at: number; source: string }> = [];
    portal.onChange((c) => {
      if (c.kind === 'propertyChange' && (c.objectType === 'contacts' || c.objectType === 'deals')) seen.push({ type: c.objectType, id: c.objectId, name: c.propertyName, value: c.propertyValue, at: c.occurredAt, source: c.source.sourceType });
    });
    for (let i = 0; i < 5; i += 1) {
      clock += 3_600_000;
      simulator.step(40);
    }
    expect(seen.length).toBeGreaterThan(100);
    for (const s of seen) {
      const record = portal.get(s.type, s.id)!;
      const entry = portal.historyOf(record, s.name).find((e) => e.timestamp === s.at && e.value === s.value);
      expect(entry?.sourceType).toBe(s.source);
    }
  });
});

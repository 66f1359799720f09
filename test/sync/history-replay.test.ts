import path from 'node:path';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { createGateway, type HubSpotGateway } from '../../src/hubspot';
import { DEFAULT_HISTORY_BOUND, replayContact, type RecordPast } from '../../src/replay';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { HistoryReplay } from '../../src/sync/history-replay';

/**
 * The history replay across engine blocks, over the real SDK against a generated sandbox portal: a company
 * shared by contacts of several blocks is read once, and a contact whose company's past was kept from an
 * earlier block replays exactly as with the past read afresh.
 */
const def = compileDefinition(loadDefinitionFile(path.join(__dirname, '../../lead-definition.example.yaml')));

describe('HistoryReplay across blocks', () => {
  let sandbox: Sandbox;
  let gateway: HubSpotGateway;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 33, contacts: 400, companies: 30, deals: 20, rateLimit: { enabled: false } });
    gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 10_000 });
  });
  afterAll(async () => {
    gateway.close();
    await sandbox.stop();
  });

  const primaryCompanies = (ids: readonly string[]) => {
    const out = new Map<string, string>();
    for (const id of ids) {
      const company = sandbox.portal.associations.primaryCompany('contacts', id);
      if (company !== undefined) out.set(id, company);
    }
    return out;
  };
  const pastOf = (r: { properties: Record<string, string | null>; histories: RecordPast['history'] }): RecordPast => ({ current: r.properties, history: r.histories });

  it('when four blocks share their companies, then each company is read once and every contact replays as with its pasts read afresh', async () => {
    const ids = [...sandbox.portal.ids('contacts')];
    const companyOf = primaryCompanies(ids);
    const blocks = [0, 1, 2, 3].map((b) => ids.slice(b * 100, (b + 1) * 100));
    // Per block, the companies no earlier block had: the only ones to read. Most later contacts have none.
    const seen = new Set<string>();
    let expectedCalls = 0;
    let keptForLater = 0;
    for (const block of blocks) {
      const fresh = new Set<string>();
      for (const id of block) {
        const company = companyOf.get(id);
        if (company === undefined) continue;
        if (seen.has(company)) keptForLater += 1;
        else fresh.add(company);
      }
      for (const c of fresh) seen.add(c);
      expectedCalls += Math.ceil(fresh.size / 50);
    }
    expect(keptForLater).toBeGreaterThan(200);

    const replay = new HistoryReplay({ gateway });
    const now = Date.now();
    const before = gateway.calls()['companies.batch.read'] ?? 0;
    const results = [];
    for (const block of blocks) results.push(await replay.replay(def, block, companyOf, now));
    expect((gateway.calls()['companies.batch.read'] ?? 0) - before).toBe(expectedCalls);

    const contacts = await gateway.readHistories('contacts', ids, def.contactProperties);
    const companies = await gateway.readHistories('companies', [...seen], def.companyProperties);
    const companyPast = new Map(companies.records.map((r) => [r.id, pastOf(r)]));
    const mismatched: string[] = [];
    for (const record of contacts.records) {
      const company = companyOf.has(record.id) ? companyPast.get(companyOf.get(record.id)!)! : null;
      const fresh = replayContact(def, { contact: pastOf(record), company, now, bound: DEFAULT_HISTORY_BOUND });
      const kept = results.find((r) => r.has(record.id))!.get(record.id)!.result;
      if (JSON.stringify(kept) !== JSON.stringify(fresh)) mismatched.push(record.id);
    }
    expect(contacts.records).toHaveLength(400);
    expect(mismatched).toEqual([]);
    expect(replay.totals.contacts).toBe(400);
  });
});

import { startSandbox, PROPERTY_HISTORY_BOUND, type Sandbox } from '../../src/sandbox';
import { API_VERSIONS, apiPaths, createGateway, type HubSpotGateway } from '../../src/hubspot';
import { replayContact } from '../../src/replay';
import { definition } from '../support/definitions';

/**
 * The gateway's history read over the real SDK against the sandbox, on every API version: 50 ids per call,
 * histories newest first with epoch-ms timestamps and their sources, cut at HubSpot's per-property bound,
 * and usable as they come by the replay.
 */
const DAY = 86_400_000;
const T0 = Date.parse('2026-02-01T00:00:00Z');

describe.each(API_VERSIONS)('history read on %s', (version) => {
  const P = apiPaths(version);
  let sandbox: Sandbox;
  let gateway: HubSpotGateway;
  let ids: string[];
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, rateLimit: { enabled: false } });
    ids = [];
    for (let i = 0; i < 120; i += 1) {
      const c = sandbox.portal.create('contacts', { email: `h${i}@example.com`, jobtitle: 'Analyst' }, { sourceType: 'FORM' }, T0);
      ids.push(c.id);
    }
    // The first contact's title changes 25 times, a day apart, by a user: more than HubSpot keeps.
    for (let n = 1; n <= 25; n += 1) sandbox.portal.update('contacts', ids[0]!, { jobtitle: `Title ${n}` }, { sourceType: 'CRM_UI', sourceId: 'userId:7', userId: 7 }, T0 + n * DAY);
    // The second becomes a VP on day 3.
    sandbox.portal.update('contacts', ids[1]!, { jobtitle: 'VP Sales' }, { sourceType: 'CRM_UI', sourceId: 'userId:7', userId: 7 }, T0 + 3 * DAY);
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.calls.reset();
    gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, apiVersion: version, rateLimitPer10s: 100 });
  });
  afterEach(() => gateway.close());

  it('when 120 contacts are read with history, then 3 calls of at most 50 and every asked property has a history', async () => {
    const result = await gateway.readHistories('contacts', [...ids, '99999999999'], ['jobtitle', 'country']);
    expect(result.records).toHaveLength(120);
    expect(result.missing).toEqual(['99999999999']);
    expect(sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`)).toBe(3);
    const plain = result.records.find((r) => r.id === ids[5])!;
    expect(plain.histories.jobtitle).toEqual([{ value: 'Analyst', timestamp: T0, sourceType: 'FORM' }]);
    expect(plain.histories.country).toEqual([]);
  });

  it('when a property changed more often than HubSpot keeps, then the newest values only, newest first, with their source', async () => {
    const [record] = (await gateway.readHistories('contacts', [ids[0]!], ['jobtitle'])).records;
    const history = record!.histories.jobtitle!;
    expect(history).toHaveLength(PROPERTY_HISTORY_BOUND);
    expect(history[0]).toEqual({ value: 'Title 25', timestamp: T0 + 25 * DAY, sourceType: 'CRM_UI', sourceId: 'userId:7' });
    expect(history[history.length - 1]!.value).toBe(`Title ${25 - PROPERTY_HISTORY_BOUND + 1}`);
    expect(history.map((h) => h.timestamp)).toEqual([...history.map((h) => h.timestamp)].sort((a, b) => b - a));
    expect(record!.properties.jobtitle).toBe('Title 25');
  });

  it('when the read feeds the replay, then the VP change dates marketing_qualified and the cut history is no dated evidence', async () => {
    const def = definition({
      fit: [{ id: 'senior', label: 'Senior', when: { property: 'jobtitle', operator: 'contains_any', values: ['vp', 'title'], caseInsensitive: true }, points: 60 }],
      ladder: { sales_ready: { total: 90 }, marketing_qualified: { total: 50 } },
    });
    const { records } = await gateway.readHistories('contacts', ids.slice(0, 2), def.contactProperties);
    const replay = (i: number) => {
      const r = records.find((x) => x.id === ids[i])!;
      return replayContact(def, { contact: { current: r.properties, history: r.histories }, now: T0 + 30 * DAY, bound: PROPERTY_HISTORY_BOUND });
    };
    expect(replay(1).firstMarketingQualified).toEqual({ reachedAt: T0 + 3 * DAY, evidence: 'history' });
    expect(replay(0).firstMarketingQualified).toEqual({ reachedAt: null, evidence: 'before_history' });
  });
});

import path from 'node:path';
import { backfill, metricsJob, reconcile, requalify } from '../../jobs';
import { DEFAULT_API_VERSION, pathGeneration, type ApiVersion } from '../../src/hubspot';
import { generatePortal, type GeneratedPortal } from '../../src/sandbox';
import { PRODUCT_PROPERTIES } from '../../src/sync/properties';
import { assertBuilt, runUld } from '../server/child';
import { EXAMPLE, syncWorld } from './harness';

/**
 * Issue #12, acceptance 2: everything the product does to HubSpot, recorded by the sandbox's request log,
 * once on the default API version and once with HUBSPOT_API_VERSION=legacy: the end-to-end sync, a
 * backfill, every job (reconcile, requalify, metrics, backfill), `uld install` and `uld doctor`. The
 * default run calls no legacy path (/crm/v3, /crm/v4, /account-info/v3, ...: `pathGeneration`), the legacy
 * run no date-versioned one, and the portal ends up the same. The private-app token introspection is the
 * one call in neither family (see TOKEN_INFO_PATH in src/hubspot/api-version.ts).
 */
const CONTACTS = 400;
const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const DAY = 86_400_000;

interface Run {
  paths: Map<'legacy' | 'dated' | 'other', Set<string>>;
  /** The uld_* properties of every contact, deal and company, by object and id; timestamps as set/unset. */
  results: Record<string, Record<string, Record<string, string | null>>>;
  calls: number;
}

/** Everything on `version`, or with nothing chosen (the default) when it is undefined. */
async function everything(version: ApiVersion | undefined, portalData: GeneratedPortal, now: number): Promise<Run> {
  const world = await syncWorld({ sandbox: { generated: portalData, seed: 5, requestLog: { capacity: 1_000_000 } }, gateway: version ? { apiVersion: version } : {}, now });
  try {
    const { portal } = world.sandbox;
    // The end-to-end sync: every contact and deal changes in the portal, webhooks drive the engine.
    for (const id of [...portal.ids('contacts')]) portal.update('contacts', id, { hs_analytics_num_page_views: String(Number(portal.get('contacts', id)!.properties.hs_analytics_num_page_views ?? 0) + 3) }, USER);
    for (const id of [...portal.ids('deals')]) portal.update('deals', id, { amount: String(Number(portal.get('deals', id)!.properties.amount ?? 0) + 1) }, USER);
    const someCompany = [...portal.ids('companies')][0]!;
    portal.update('companies', someCompany, { industry: 'COMPUTER_SOFTWARE' }, USER);
    await world.settle();

    // Every job, then a backfill (itself a job).
    for (const t of ['contacts', 'companies', 'deals']) await world.store.setCheckpoint(`reconcile:${t}`, String(world.now - DAY));
    await reconcile({ gateway: world.gateway, store: world.store, now: Date.now(), overlapMs: 5 * 60_000 });
    await world.settle();
    await requalify({ gateway: world.gateway, store: world.store, definition: world.definition, now: world.now, slaHours: 24 });
    await world.settle();
    await metricsJob({ store: world.store, now: world.now, slaHours: 24, databaseUrl: world.databaseUrl });
    await backfill({ gateway: world.gateway, store: world.store, engine: world.engine });
    await world.settle();

    // The admin commands, as an admin runs them, choosing the version by environment.
    const env = { ...world.sandbox.environment(), ...(version ? { HUBSPOT_API_VERSION: version } : {}), DATABASE_URL: world.databaseUrl, LEAD_DEFINITION: EXAMPLE, LOG_LEVEL: 'silent' };
    const cwd = path.dirname(world.databaseUrl.replace(/^sqlite:/, ''));
    const install = await runUld(['install', '--no-backfill'], env, { cwd });
    expect(install).toMatchObject({ status: 0, stderr: '' });
    const doctor = await runUld(['doctor', '--json'], env, { cwd });
    const checks = JSON.parse(doctor.stdout) as Array<{ check: string; outcome: string }>;
    // The HubSpot checks ran (and passed) on this version: their calls are in the log below.
    for (const check of ['hubspot', 'scopes', 'properties', 'definition properties']) expect(checks.find((c) => c.check === check)?.outcome).toBe('pass');

    const entries = world.sandbox.requests.list();
    const paths = new Map<'legacy' | 'dated' | 'other', Set<string>>([['legacy', new Set()], ['dated', new Set()], ['other', new Set()]]);
    for (const e of entries) paths.get(pathGeneration(e.path))!.add(e.endpoint);

    const results: Run['results'] = {};
    for (const [objectType, definitions] of Object.entries(PRODUCT_PROPERTIES)) {
      const byId: Record<string, Record<string, string | null>> = {};
      for (const id of portal.ids(objectType as 'contacts')) {
        const props = portal.get(objectType as 'contacts', id)!.properties;
        byId[id] = Object.fromEntries(definitions.map((d) => [d.name, d.type === 'datetime' || d.type === 'date' ? (props[d.name] ? 'set' : null) : (props[d.name] ?? null)]));
      }
      results[objectType] = byId;
    }
    return { paths, results, calls: entries.length };
  } finally {
    await world.stop();
  }
}

describe('HubSpot API versions, end to end', () => {
  let dated: Run;
  let legacy: Run;
  beforeAll(async () => {
    assertBuilt();
    // One portal and one frozen time for both runs: decay and "days ago" in the reasons depend on the clock.
    const now = Date.now();
    // Generated afresh for each run: a loaded portal shares its records with the generated data.
    const portalData = () => generatePortal({ seed: 5, contacts: CONTACTS, deals: 90, now });
    dated = await everything(undefined, portalData(), now);
    legacy = await everything('legacy', portalData(), now);
  }, 300_000);

  it(`with the default version (${DEFAULT_API_VERSION}), then no call takes a legacy path`, () => {
    expect(dated.calls).toBeGreaterThan(50);
    expect([...dated.paths.get('legacy')!]).toEqual([]);
    expect(dated.paths.get('dated')!.size).toBeGreaterThan(5);
    expect([...dated.paths.get('dated')!].filter((e) => !e.includes(`/${DEFAULT_API_VERSION}/`))).toEqual([]);
    expect([...dated.paths.get('other')!]).toEqual(['POST /oauth/v2/private-apps/get/access-token-info']);
  });

  it('with HUBSPOT_API_VERSION=legacy, then no call takes a date-versioned path', () => {
    expect([...legacy.paths.get('dated')!]).toEqual([]);
    expect(legacy.paths.get('legacy')!.size).toBeGreaterThan(5);
    expect([...legacy.paths.get('other')!]).toEqual(['POST /oauth/v2/private-apps/get/access-token-info']);
  });

  it('then both versions leave every contact, deal and company with the same uld_* properties', () => {
    expect(Object.keys(dated.results.contacts!).length).toBe(CONTACTS);
    // Not vacuous: the runs qualified contacts and rolled up companies.
    expect(Object.values(dated.results.contacts!).filter((p) => p.uld_status !== null).length).toBe(CONTACTS);
    expect(legacy.results).toEqual(dated.results);
  });
});

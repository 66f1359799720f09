import path from 'node:path';
import { backfill, metricsJob, reconcile, requalify } from '../../jobs';
import { DEFAULT_API_VERSION, pathGeneration, type ApiVersion } from '../../src/hubspot';
import { VERSION_SHAPES, generatePortal, type GeneratedPortal } from '../../src/sandbox';
import { PRODUCT_PROPERTIES } from '../../src/sync/properties';
import { assertBuilt, runUld } from '../server/child';
import { EXAMPLE, syncWorld } from './harness';

/**
 * Issue #12, acceptance 2: everything the product does to HubSpot, recorded by the sandbox's request log,
 * once on the default API version and once with HUBSPOT_API_VERSION=legacy: the end-to-end sync, a
 * backfill, every job (reconcile, requalify, metrics, backfill), `uld install` and `uld doctor`, with the
 * hand-off on (HANDOFF_TASK, HANDOFF_NOTE: batch creates of tasks and notes). The
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
  /** Each handed-off contact's tasks and notes (their contents: ids differ between runs), by contact id. */
  handOffs: Record<string, { tasks: string[]; notes: string[] }>;
  /** The task and note create inputs the hand-offs sent, as the request log captured them, with the answer's status. */
  handOffCreates: Array<{ endpoint: string; status: number; inputs: Array<Record<string, unknown>> }>;
}

/** Everything on `version`, or with nothing chosen (the default) when it is undefined. */
async function everything(version: ApiVersion | undefined, portalData: GeneratedPortal, now: number): Promise<Run> {
  const world = await syncWorld({ sandbox: { generated: portalData, seed: 5, requestLog: { capacity: 1_000_000, captureBodies: true } }, gateway: version ? { apiVersion: version } : {}, now });
  try {
    const { portal } = world.sandbox;
    // The hand-off on: a contact's first sales_ready creates a task and a note (batch creates of tasks and notes).
    const engine = world.engine.with({ handOff: { task: true, note: true, ownerIds: portal.listOwners().map((o) => o.id).slice(0, 3), slaHours: 24 } });
    const settle = () => world.settle({ engine });
    // The end-to-end sync: every contact and deal changes in the portal, webhooks drive the engine.
    for (const id of [...portal.ids('contacts')]) portal.update('contacts', id, { hs_analytics_num_page_views: String(Number(portal.get('contacts', id)!.properties.hs_analytics_num_page_views ?? 0) + 3) }, USER);
    for (const id of [...portal.ids('deals')]) portal.update('deals', id, { amount: String(Number(portal.get('deals', id)!.properties.amount ?? 0) + 1) }, USER);
    const someCompany = [...portal.ids('companies')][0]!;
    portal.update('companies', someCompany, { industry: 'COMPUTER_SOFTWARE' }, USER);
    await settle();

    // Every job, then a backfill (itself a job).
    for (const t of ['contacts', 'companies', 'deals']) await world.store.setCheckpoint(`reconcile:${t}`, String(world.now - DAY));
    await reconcile({ gateway: world.gateway, store: world.store, now: Date.now(), overlapMs: 5 * 60_000 });
    await settle();
    await requalify({ gateway: world.gateway, store: world.store, definition: world.definition, now: world.now, slaHours: 24 });
    await settle();
    await metricsJob({ store: world.store, now: world.now, slaHours: 24, databaseUrl: world.databaseUrl });
    await backfill({ gateway: world.gateway, store: world.store, engine });
    await settle();

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
    // Each contact's hand-off: its tasks and notes (their ids differ between runs, their contents must not).
    const handOffs: Run['handOffs'] = {};
    for (const id of portal.ids('contacts')) {
      const linked = (type: 'tasks' | 'notes', fields: string[]) =>
        portal.associations.list('contacts', id, type).map((l) => fields.map((f) => portal.get(type, l.toId)!.properties[f] ?? '').join(' | '));
      const tasks = linked('tasks', ['hs_task_subject', 'hs_task_body', 'hubspot_owner_id', 'hs_timestamp']);
      const notes = linked('notes', ['hs_note_body', 'hs_timestamp']);
      if (tasks.length + notes.length > 0) handOffs[id] = { tasks, notes };
    }
    const handOffCreates = entries
      .filter((e) => /\/(tasks|notes)\/batch\/create$/.test(e.path))
      .map((e) => ({ endpoint: e.endpoint, status: e.status, inputs: (e.requestBody as { inputs?: Array<Record<string, unknown>> }).inputs ?? [] }));
    return { paths, results, calls: entries.length, handOffs, handOffCreates };
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

  it('with the hand-off on, then its task and note creates are on each version\'s paths, in the 2026-09 create shape', () => {
    const sent = (run: Run) => [...new Set(run.handOffCreates.map((c) => c.endpoint))].sort();
    expect(sent(dated)).toEqual([`POST /crm/objects/${DEFAULT_API_VERSION}/notes/batch/create`, `POST /crm/objects/${DEFAULT_API_VERSION}/tasks/batch/create`]);
    expect(sent(legacy)).toEqual(['POST /crm/v3/objects/notes/batch/create', 'POST /crm/v3/objects/tasks/batch/create']);
    // Every create accepted, and each input as SimplePublicObjectInputForCreate requires on 2026-09:
    // properties and an associations array, each association with its target and HUBSPOT_DEFINED types.
    const inputs = dated.handOffCreates.flatMap((c) => c.inputs);
    expect(dated.handOffCreates.filter((c) => c.status >= 300)).toEqual([]);
    expect(inputs.length).toBe(2 * Object.keys(dated.handOffs).length);
    for (const input of inputs) {
      for (const member of VERSION_SHAPES[DEFAULT_API_VERSION].createInputRequired) expect(input).toHaveProperty(member);
      expect(input).toMatchObject({ properties: expect.any(Object), objectWriteTraceId: expect.any(String), associations: [{ to: { id: expect.any(String) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: expect.any(Number) }] }] });
    }
  });

  it('with HUBSPOT_API_VERSION=legacy, then no call takes a date-versioned path', () => {
    expect([...legacy.paths.get('dated')!]).toEqual([]);
    expect(legacy.paths.get('legacy')!.size).toBeGreaterThan(5);
    expect([...legacy.paths.get('other')!]).toEqual(['POST /oauth/v2/private-apps/get/access-token-info']);
  });

  it('then both versions leave every contact, deal and company with the same uld_* properties, and the same hand-offs', () => {
    expect(Object.keys(dated.results.contacts!).length).toBe(CONTACTS);
    // Not vacuous: the runs qualified contacts and rolled up companies.
    expect(Object.values(dated.results.contacts!).filter((p) => p.uld_status !== null).length).toBe(CONTACTS);
    // ... and handed some off: one task and one note each, the same on both versions.
    const handOffs = Object.values(dated.handOffs);
    expect(handOffs.length).toBeGreaterThan(0);
    expect(handOffs.every((h) => h.tasks.length === 1 && h.notes.length === 1)).toBe(true);
    expect(legacy.handOffs).toEqual(dated.handOffs);
    expect(legacy.results).toEqual(dated.results);
  });
});

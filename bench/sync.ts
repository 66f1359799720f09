import { Client } from '@hubspot/api-client';
import { evaluate, type CompiledDefinition } from '../src/definition';
import type { DealPipeline } from '../src/hubspot/types';
import type { PortalChange, Sandbox } from '../src/sandbox';
import { CONTACT_SYNC_INPUTS, contactWriteback } from '../src/sync/contact-writeback';
import { DEAL_SYNC_INPUTS, dealFigures } from '../src/sync/deal-figures';
import type { Bench } from './lib';
import { seededRandom } from './synthetic-leads';
import { ASSOCIATION_BATCH, BATCH, ceilDiv, diff, shuffled, startWorld, total, USER, type FloorLine } from './sync-world';

/**
 * Issue 5, acceptance 5 and 6: the sync engine's HubSpot calls against a per-event baseline and the
 * floor, and change-to-write-back freshness under a steady stream. Everything runs against the sandbox
 * portal over the real SDK, with webhooks delivered to the real receiver (`startService`, SQLite file).
 * docs/sync.md explains the call budget.
 */

const EVENTS = 20_000;
/** Share of the events on deals (amount changes); the rest are contact changes. */
const DEAL_EVENT_SHARE = 0.15;
const FRESH_EPS = 100;
const FRESH_SECONDS = 30;
/** The default of DEBOUNCE_MS (src/config/schema.ts). */
const DEBOUNCE_MS = 2000;
/** Concurrent requests of the per-event baseline (a Zapier-style integration runs events in parallel). */
const BASELINE_CONCURRENCY = 10;
/** The baseline runs on every 5th event: 4,000 real sequences of 2 or 3 round trips. */
const BASELINE_SAMPLE = 5;

const TITLES = ['VP Sales', 'Head of Marketing', 'Director of IT', 'Software Engineer', 'Marketing Manager', 'Analyst', 'CTO', 'Team Lead', 'Consultant', 'Founder'];
const CONVERSIONS = ['Demo request', 'Pricing page form', 'Ebook download', 'Webinar registration', 'Newsletter signup', 'Contact sales'];

interface BenchEvent {
  objectType: 'contacts' | 'deals';
  id: string;
}

/**
 * One user change (CRM_UI) to a subscribed property, chosen so the value really changes (one webhook
 * event each). Records are picked with a skew (u², over a shuffled id list): a few records get many
 * events, most get a handful, some none, as in real portals.
 */
function makeChange(sandbox: Sandbox, rnd: () => number, contactIds: string[], dealIds: string[]): BenchEvent {
  const { portal } = sandbox;
  const pick = (ids: string[]) => ids[Math.floor(ids.length * rnd() ** 2)]!;
  if (rnd() < DEAL_EVENT_SHARE) {
    const id = pick(dealIds);
    const amount = Number(portal.get('deals', id)!.properties.amount ?? 0);
    portal.update('deals', id, { amount: String(Math.round(amount) + 1 + Math.floor(rnd() * 500)) }, USER);
    return { objectType: 'deals', id };
  }
  const id = pick(contactIds);
  const p = portal.get('contacts', id)!.properties;
  const r = rnd();
  let values: Record<string, string>;
  if (r < 0.55) values = { hs_analytics_num_page_views: String(Number(p.hs_analytics_num_page_views ?? 0) + 1) };
  else if (r < 0.7) values = { hs_analytics_last_visit_timestamp: new Date(Date.now() - Math.floor(rnd() * 86_400_000 * 20)).toISOString() };
  else if (r < 0.85) values = { jobtitle: TITLES.filter((t) => t !== p.jobtitle)[Math.floor(rnd() * (TITLES.length - 1))]! };
  else if (r < 0.93) values = { num_conversion_events: String(Number(p.num_conversion_events ?? 0) + 1) };
  else values = { recent_conversion_event_name: CONVERSIONS.filter((c) => c !== p.recent_conversion_event_name)[Math.floor(rnd() * (CONVERSIONS.length - 1))]! };
  portal.update('contacts', id, values, USER);
  return { objectType: 'contacts', id };
}

/**
 * The per-event baseline, as a workflow custom-code action or a Zapier-style integration does it: for
 * each event, one at a time (BASELINE_CONCURRENCY events in parallel, each its own sequence), read the
 * object with its associations, read what the evaluation needs (a contact's primary company), evaluate,
 * and write the object. Every call a real round trip to the sandbox over the SDK; counted by the sandbox.
 */
async function runBaseline(sandbox: Sandbox, definition: CompiledDefinition, events: BenchEvent[]): Promise<{ calls: number; byEndpoint: Record<string, number>; ms: number }> {
  const client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url });
  const before = { ...sandbox.calls.all() };
  const start = performance.now();
  const contactProps = [...new Set([...definition.contactProperties, ...CONTACT_SYNC_INPUTS])];
  // The integration loads the pipelines once at start (its own cache), as the engine does.
  const pipelines: DealPipeline[] = (await client.crm.pipelines.pipelinesApi.getAll('deals')).results.map((p) => ({
    id: p.id,
    label: p.label,
    stages: p.stages.map((s) => ({ id: s.id, label: s.label, displayOrder: s.displayOrder, isClosed: s.metadata?.isClosed === 'true', probability: s.metadata?.probability !== undefined ? Number(s.metadata.probability) : null })),
  }));
  const one = async (e: BenchEvent) => {
    const now = Date.now();
    if (e.objectType === 'contacts') {
      const contact = await client.crm.contacts.basicApi.getById(e.id, contactProps, undefined, ['companies']);
      const links = contact.associations?.companies?.results ?? [];
      const companyId = (links.find((l) => l.type === 'contact_to_company') ?? links[0])?.id;
      const company = companyId ? await client.crm.companies.basicApi.getById(companyId, definition.companyProperties) : null;
      const props = contact.properties as Record<string, string | null>;
      const decision = evaluate(definition, props, company ? (company.properties as Record<string, string | null>) : null, now);
      // It does not diff: it writes what it computed, every time.
      const wb = contactWriteback(decision, { current: {}, firstDealCreatedAt: null }, now);
      const properties: Record<string, string> = { ...wb.changes };
      delete properties.uld_qualified_at;
      await client.crm.contacts.basicApi.update(e.id, { properties });
    } else {
      const deal = await client.crm.deals.basicApi.getById(e.id, [...DEAL_SYNC_INPUTS], undefined, ['contacts']);
      const figures = dealFigures({ current: deal.properties as Record<string, string | null>, pipelines, contactCreatedAt: [], statusAtCreation: null }, now);
      const properties = Object.fromEntries(Object.entries(figures).filter((kv): kv is [string, string] => kv[1] !== null && kv[0] !== 'uld_lead_to_deal_days'));
      await client.crm.deals.basicApi.update(e.id, { properties });
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: BASELINE_CONCURRENCY }, async () => {
      while (next < events.length) await one(events[next++]!);
    }),
  );
  const byEndpoint = diff(sandbox.calls.all(), before);
  return { calls: total(byEndpoint), byEndpoint, ms: performance.now() - start };
}

async function efficiency(): Promise<{ figures: Record<string, number>; rows: Array<{ measure: string; value: string; note?: string }> }> {
  // DEBOUNCE_MS 0: every event is delivered before the engine drains, so coalescing does not depend on timing.
  const world = await startWorld({ seed: 11, debounceMs: 0, pollMs: 20 });
  try {
    const { sandbox, gateway, service, definition } = world;
    const { portal } = sandbox;
    const contactIds = shuffled([...portal.ids('contacts')], seededRandom(1));
    const dealIds = shuffled([...portal.ids('deals')], seededRandom(2));

    // From here on every call the engine makes counts (the install's calls are behind us).
    const gatewayBefore = { ...gateway.calls() };
    const sandboxBefore = { ...sandbox.calls.all() };
    const generatedBefore = sandbox.webhooks.stats.eventsGenerated;
    const rnd = seededRandom(3);
    const events: BenchEvent[] = [];
    for (let i = 0; i < EVENTS; i++) events.push(makeChange(sandbox, rnd, contactIds, dealIds));
    const generated = sandbox.webhooks.stats.eventsGenerated - generatedBefore;
    if (generated !== EVENTS) throw new Error(`expected ${EVENTS} webhook events, the portal generated ${generated}`);
    await sandbox.webhooks.idle(120_000);
    const received = await service.store.countEvents({ disposition: 'work' });

    // What the engine writes, record by record: the objects the update floor counts.
    const written = { contacts: new Set<string>(), deals: new Set<string>(), companies: new Set<string>() };
    const unsubscribe = portal.onChange((c: PortalChange) => {
      if (c.kind === 'propertyChange' && c.source.sourceType === 'INTEGRATION' && c.propertyName.startsWith('uld_') && c.objectType in written) written[c.objectType as keyof typeof written].add(c.objectId);
    });
    const t0 = performance.now();
    await world.settle();
    const engineMs = performance.now() - t0;
    unsubscribe();
    const engineCalls = diff(gateway.calls(), gatewayBefore);
    const engineSandboxCalls = total(diff(sandbox.calls.all(), sandboxBefore));
    const engineTotal = total(engineCalls);
    if (engineTotal !== engineSandboxCalls) throw new Error(`the gateway counted ${engineTotal} calls, the sandbox ${engineSandboxCalls}`);

    // The floor: each object the engine must carry, carried once, in full batches, per call kind.
    const touchedContacts = new Set(events.filter((e) => e.objectType === 'contacts').map((e) => e.id));
    const touchedDeals = new Set(events.filter((e) => e.objectType === 'deals').map((e) => e.id));
    // A deal seen for the first time converts its contacts: they are qualified too (uld_converted_at).
    const contacts = new Set(touchedContacts);
    for (const d of touchedDeals) for (const l of portal.associations.list('deals', d, 'contacts')) contacts.add(l.toId);
    // Deal creation dates: the touched deals, and the deals of every contact qualified.
    const deals = new Set(touchedDeals);
    for (const c of contacts) for (const l of portal.associations.list('contacts', c, 'deals')) deals.add(l.toId);
    const companies = new Set<string>();
    for (const c of contacts) {
      const co = portal.associations.primaryCompany('contacts', c);
      if (co) companies.add(co);
    }
    const line = (kind: string, objects: number, batch: number): FloorLine => ({ kind, objects, batch, calls: ceilDiv(objects, batch) });
    const floor: FloorLine[] = [
      line('pipelines.deals.read (stage metadata, cached)', 1, 1),
      line('deals.batch.read', deals.size, BATCH),
      line('associations.deals.contacts.batch.read', touchedDeals.size, ASSOCIATION_BATCH),
      line('associations.deals.companies.batch.read', touchedDeals.size, ASSOCIATION_BATCH),
      line('deals.batch.update', written.deals.size, BATCH),
      line('contacts.batch.read', contacts.size, BATCH),
      line('associations.contacts.companies.batch.read', contacts.size, ASSOCIATION_BATCH),
      line('associations.contacts.deals.batch.read', contacts.size, ASSOCIATION_BATCH),
      line('companies.batch.read (fit inputs of primary companies)', companies.size, BATCH),
      line('contacts.batch.update', written.contacts.size, BATCH),
      line('companies.batch.read (current roll-ups)', companies.size, BATCH),
      line('companies.batch.update', written.companies.size, BATCH),
    ].filter((l) => l.objects > 0);
    const floorTotal = floor.reduce((n, l) => n + l.calls, 0);

    // The baseline on every BASELINE_SAMPLE-th event (real round trips; all 20,000 take about 3 minutes here).
    const sample = events.filter((_, i) => i % BASELINE_SAMPLE === 0);
    // The baseline's own writes need no delivery: nothing consumes them.
    sandbox.webhooks.configure({ targetUrl: '' });
    const baseline = await runBaseline(sandbox, definition, sample);
    const per1000 = (n: number, of = EVENTS) => Math.round((n * 1000 * 100) / of) / 100;
    const baselinePer1000 = per1000(baseline.calls, sample.length);
    const ratioToFloor = Math.round((engineTotal / floorTotal) * 1000) / 1000;
    const ratioToBaseline = Math.round((baselinePer1000 / per1000(engineTotal)) * 10) / 10;
    const kinds = Object.entries(engineCalls).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
    return {
      figures: {
        'sync.calls_per_1000_events': per1000(engineTotal),
        'sync.baseline_calls_per_1000_events': baselinePer1000,
        'sync.floor_calls_per_1000_events': per1000(floorTotal),
        'sync.ratio_to_floor': ratioToFloor,
        'sync.ratio_to_baseline': ratioToBaseline,
      },
      rows: [
        {
          measure: `engine: HubSpot calls for ${EVENTS.toLocaleString('en-US')} events`,
          value: `${engineTotal} (${per1000(engineTotal)} per 1,000 events)`,
          note: `${touchedContacts.size} contacts and ${touchedDeals.size} deals touched, ${received} events received; drained in ${(engineMs / 1000).toFixed(1)} s; ${kinds}`,
        },
        {
          measure: 'floor: ceil(objects / batch) per call kind',
          value: `${floorTotal} (${per1000(floorTotal)} per 1,000 events)`,
          note: floor.map((l) => `${l.kind}: ${l.objects}/${l.batch} -> ${l.calls}`).join('; '),
        },
        { measure: 'engine / floor', value: ratioToFloor.toFixed(3), note: 'target <= 1.2' },
        {
          measure: 'baseline: per event, read with associations + write',
          value: `${baselinePer1000} per 1,000 events (${baseline.calls} calls for ${sample.length} events)`,
          note: `deterministic sample: every ${BASELINE_SAMPLE}th of the same ${EVENTS.toLocaleString('en-US')} events on the same portal, after the engine; real SDK round trips (${BASELINE_CONCURRENCY} in parallel, ${(baseline.ms / 1000).toFixed(1)} s): ${Object.entries(baseline.byEndpoint).map(([k, v]) => `${k} ${v}`).join(', ')}`,
        },
        { measure: 'baseline / engine', value: `${ratioToBaseline}x fewer calls`, note: 'target >= 50x' },
      ],
    };
  } finally {
    await world.stop();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * A steady FRESH_EPS user changes per second with the engine running (`start()`, the worker's default
 * poll) and DEBOUNCE_MS at its default. Each change is a job title that moves the fit score (senior <->
 * not senior), on a contact changed only once in the run, so each change must produce a write-back of
 * `uld_fit_score`; the time from the portal change to that write landing in the portal is its freshness.
 */
async function freshness(): Promise<{ figures: Record<string, number>; rows: Array<{ measure: string; value: string; note?: string }> }> {
  const world = await startWorld({ seed: 12, debounceMs: DEBOUNCE_MS });
  try {
    const { sandbox, engine, service, gateway } = world;
    const { portal } = sandbox;
    const ids = shuffled([...portal.ids('contacts')], seededRandom(4));
    // Steady state first: every record qualified once and in the mirror (what a backfill leaves).
    await service.store.markDirty([
      ...ids.map((id) => ({ objectType: 'contact', objectId: id, change: 'property_changed' as const, occurredAt: Date.now() })),
      ...[...portal.ids('deals')].map((id) => ({ objectType: 'deal', objectId: id, change: 'property_changed' as const, occurredAt: Date.now() })),
    ]);
    await world.settle();

    const changedAt = new Map<string, number>();
    const latency = new Map<string, number>();
    const unsubscribe = portal.onChange((c: PortalChange) => {
      if (c.kind !== 'propertyChange' || c.objectType !== 'contacts' || c.propertyName !== 'uld_fit_score' || c.source.sourceType !== 'INTEGRATION') return;
      const t = changedAt.get(c.objectId);
      if (t !== undefined && !latency.has(c.objectId)) latency.set(c.objectId, performance.now() - t);
    });
    const callsBefore = { ...gateway.calls() };
    engine.start();
    // Each change a job title that moves the contact's fit score, so its write-back is certain.
    const plan: Array<{ id: string; jobtitle: string }> = [];
    for (const id of ids) {
      const p = portal.get('contacts', id)!.properties;
      const companyId = portal.associations.primaryCompany('contacts', id);
      const company = companyId ? portal.get('companies', companyId)!.properties : null;
      const fit = (jobtitle: string | null) => evaluate(world.definition, { ...p, jobtitle }, company, Date.now()).fitScore;
      const jobtitle = ['VP Engineering', 'Software Engineer', 'Engineering Manager'].find((t) => t !== p.jobtitle && fit(t) !== fit(p.jobtitle ?? null));
      if (jobtitle) plan.push({ id, jobtitle });
    }
    const total = Math.min(plan.length, FRESH_EPS * FRESH_SECONDS);
    const intervalMs = 1000 / FRESH_EPS;
    const start = performance.now();
    let late = 0;
    for (let i = 0; i < total; i++) {
      const due = start + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -50) late++;
      const { id, jobtitle } = plan[i]!;
      changedAt.set(id, performance.now());
      portal.update('contacts', id, { jobtitle }, USER);
    }
    const sentMs = performance.now() - start;
    // Wait for the last write-backs (at most DEBOUNCE_MS + 10 s after the last change).
    const deadline = performance.now() + DEBOUNCE_MS + 10_000;
    while (latency.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    unsubscribe();
    await engine.stop();
    const calls = total === 0 ? 0 : Object.values(diff(gateway.calls(), callsBefore)).reduce((n, v) => n + v, 0);
    const missing = total - latency.size;
    // A change never written back counts as infinitely stale: it cannot improve the percentiles.
    const sorted = [...latency.values(), ...Array.from({ length: missing }, () => Infinity)].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const p99 = percentile(sorted, 99);
    const round = (x: number) => (Number.isFinite(x) ? Math.round(x) : -1);
    return {
      figures: {
        'sync.freshness_p50_ms': round(p50),
        'sync.freshness_p95_ms': round(p95),
        'sync.freshness_debounce_ms': DEBOUNCE_MS,
        'sync.freshness_missing': missing,
      },
      rows: [
        {
          measure: `freshness at ${FRESH_EPS} changes/s: p50 / p95 / p99 change to write-back`,
          value: `${round(p50)} / ${round(p95)} / ${round(p99)} ms`,
          note: `target p95 <= DEBOUNCE_MS + 1000 = ${DEBOUNCE_MS + 1000} ms; ${total} job-title changes in ${(sentMs / 1000).toFixed(1)} s (${late} sent >50 ms late), each on its own contact and moving its fit score, measured to uld_fit_score landing in the portal; ${missing} never written back; engine start(), pollMs default; ${calls} HubSpot calls (${Math.round((calls * 1000) / Math.max(1, total))} per 1,000 events, echoes included)`,
        },
      ],
    };
  } finally {
    await world.stop();
  }
}

export const syncBench: Bench = {
  name: 'sync',
  async run() {
    const a = await efficiency();
    const b = await freshness();
    return { figures: { ...a.figures, ...b.figures }, rows: [...a.rows, ...b.rows] };
  },
};

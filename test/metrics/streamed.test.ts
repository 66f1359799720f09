import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PORTAL_NOW, writePortal } from '../../bench/metrics-portal';
import { readFigures } from '../../src/dashboard';
import { runFigureTaskOn } from '../../src/figures-worker/tasks';
import { streamContacts } from '../../src/figures-worker/streamed';
import { computeMetrics, computeMetricsForPeriod, headerFigures, MetricsFold, snapshotOf, type Metrics } from '../../src/metrics';
import { openStore, type Store } from '../../src/store';
import type { DecisionRecord, MirrorContact, MirrorDeal } from '../../src/store/mirror-types';

/**
 * The metrics at scale stream the store (contacts a page at a time with their first decisions, through the
 * metrics fold) instead of reading the whole mirror and audit log into memory. On a 100,000-contact portal
 * (20,000 deals, their decisions, of every origin) the streamed figures equal computeMetrics over the
 * whole mirror in memory, field by field: the metrics job's snapshot, and the dashboard's figures for a period.
 */
const CONTACTS = 100_000;
const SLA_HOURS = 24;

let dir: string;
let store: Store;
let mirror: { contacts: MirrorContact[]; deals: MirrorDeal[]; decisions: DecisionRecord[] };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-metrics-streamed-'));
  const file = path.join(dir, 'uld.db');
  const written = await writePortal(file, { contacts: CONTACTS, deals: CONTACTS / 5 });
  expect(written).toMatchObject({ contacts: CONTACTS, deals: CONTACTS / 5 });
  store = await openStore(`sqlite:${file}`);
  mirror = await store.listMirror();
}, 60_000);

afterAll(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('when the metrics job streams a 100,000-contact store, then its figures equal computeMetrics over the whole mirror in memory, field by field', async () => {
  const expected: Metrics = computeMetrics({ ...mirror, now: PORTAL_NOW, slaHours: SLA_HOURS });
  // The portal has what every figure needs, so equal figures are not equal emptiness.
  expect(expected.overall.funnel.leads).toBeGreaterThan(0.95 * CONTACTS);
  expect(expected.overall.funnel.reached.won).toBeGreaterThan(1000);
  expect(expected.overall.handOff.slaBreaches).toBeGreaterThan(0);
  expect(expected.dealsWithoutContacts).toBeGreaterThan(0);
  expect(expected.byCohort.length).toBeGreaterThan(12);

  const fold = new MetricsFold({ deals: await store.listDeals(), now: PORTAL_NOW, slaHours: SLA_HOURS });
  expect(await streamContacts(store, fold)).toBe(CONTACTS);
  // The account funnel is computed beside the fold (figures-worker/streamed.ts); this portal has no accounts.
  expect(expected.accounts).toBeNull();
  expect({ ...fold.finish(), accounts: null }).toEqual(expected);

  // The job itself: the snapshot text it stores is the in-memory figures' JSON, byte for byte.
  const job = await runFigureTaskOn(store, { kind: 'metrics', now: PORTAL_NOW, slaHours: SLA_HOURS });
  expect(job.snapshotJson).toBe(JSON.stringify(snapshotOf(expected, PORTAL_NOW)));
  expect(job.counts).toEqual({ contacts: CONTACTS, deals: CONTACTS / 5, cohorts: expected.byCohort.length, slaBreaches: expected.slaBreachedContactIds.length });
}, 60_000);

it("when the dashboard streams the store for a period, then its figures and header equal the in-memory ones of the period", async () => {
  const period = { from: '2026-06-01', to: '2026-09-30' };
  const { period: _period, ...expected } = computeMetricsForPeriod({ ...mirror, now: PORTAL_NOW, slaHours: SLA_HOURS }, period);
  expect(expected.overall.funnel.leads).toBeGreaterThan(10_000);
  const figures = await readFigures(store, PORTAL_NOW, SLA_HOURS, period);
  expect(figures.snapshot).toEqual(snapshotOf(expected, PORTAL_NOW));
  expect(figures.header).toEqual(headerFigures({ ...mirror, now: PORTAL_NOW }, period));
  expect(figures.header.period.leads).toBe(expected.overall.funnel.leads);
}, 60_000);

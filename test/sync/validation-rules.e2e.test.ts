import { STATUSES } from '../../src/definition';
import type { RequestLogEntry } from '../../src/sandbox';
import { reconcile } from '../../jobs/reconcile';
import { requalify } from '../../jobs/requalify';
import { assertBuilt, runUld } from '../server/child';
import { syncWorld, type SyncWorld } from './harness';

/**
 * Issue 12, acceptance 3: a portal validation rule (2026-09 write validation enforcement) rejects one
 * contact of a batch of 100, in both of the sandbox's batch modes: the other 99 are written, the one is in
 * `uld dead-letters list` with HubSpot's message, and no call repeats it.
 *
 * The real gateway over the real SDK and HTTP, on its default version (2026-09), where HubSpot enforces rules.
 */

const USER = { sourceType: 'CRM_UI' as const, userId: 7 };
const BATCH_UPDATE = 'POST /crm/objects/2026-09/contacts/batch/update';
const RULE_MESSAGE = 'jobtitle is required because of a conditional property rule based on [uld_status]';

/** The sizes of the batches that hold input `index` while halving splits a batch of `size` down to it. */
function narrowing(size: number, index: number): number[] {
  const sizes = [size];
  while (size > 1) {
    const half = Math.ceil(size / 2);
    if (index < half) size = half;
    else {
      index -= half;
      size -= half;
    }
    sizes.push(size);
  }
  return sizes;
}

describe.each(['per-input', 'whole-batch'] as const)('a validation rule rejecting one contact of a batch of 100 (%s mode)', (mode) => {
  let world: SyncWorld;
  beforeAll(async () => {
    assertBuilt();
    world = await syncWorld({ sandbox: { requestLog: { captureBodies: true, capacity: 100_000 }, behaviour: { validationRules: mode } } });
  }, 60_000);
  afterAll(() => world?.stop());

  const inputsOf = (e: RequestLogEntry) => ((e.requestBody as { inputs?: Array<{ id: string }> }).inputs ?? []).map((i) => i.id);
  const updatesWith = (id: string, afterSeq = 0) => world.sandbox.requests.list(BATCH_UPDATE).filter((e) => e.seq > afterSeq && inputsOf(e).includes(id));
  const lastSeq = () => world.sandbox.requests.last()?.seq ?? 0;

  async function deadLetters(): Promise<string> {
    const r = await runUld(['dead-letters', 'list'], { DATABASE_URL: world.databaseUrl });
    expect(r.status).toBe(0);
    return r.stdout;
  }

  test('the 99 are written, the one is dead-lettered with HubSpot words, and only a change of it sends it again', async () => {
    const { sandbox } = world;
    const { portal } = sandbox;
    // The admin's rule: a contact with a lead status needs a job title. Every contact the engine qualifies gets one.
    sandbox.validationRules.requireWhen('contacts', 'jobtitle', { property: 'uld_status', values: STATUSES });
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const values: Record<string, string> = { email: `lead${i}@rules.example`, firstname: `Lead${i}` };
      if (i !== 37) values.jobtitle = 'Head of Operations';
      ids.push(portal.create('contacts', values, USER).id);
    }
    const bad = ids[37]!;
    await world.settle();

    // One batch of 100, then whatever the mode needs to tell the one from the others.
    const first = sandbox.requests.list(BATCH_UPDATE)[0]!;
    expect(inputsOf(first).sort()).toEqual([...ids].sort());
    const tries = updatesWith(bad);
    if (mode === 'per-input') {
      // The answer names the input (objectWriteTraceId): the one call is all.
      expect(tries.map((e) => inputsOf(e).length)).toEqual([100]);
    } else {
      // A whole-batch 400 names the property the rule requires, which we never sent, not the record: the
      // gateway halves the batch until the culprit stands alone, so every call on the way holds it.
      expect(tries.map((e) => inputsOf(e).length)).toEqual(narrowing(100, inputsOf(first).indexOf(bad)));
      expect(tries.every((e) => e.status === 400)).toBe(true);
    }
    expect(sandbox.requests.list().filter((e) => /^\/crm\/v[34]\//.test(e.path))).toEqual([]);

    // The other 99 are written; the one is not.
    for (const id of ids) expect({ id, status: portal.get('contacts', id)!.properties.uld_status !== undefined }).toEqual({ id, status: id !== bad });
    const listed = await deadLetters();
    expect(listed.match(/^\d+\s+contact\s+/gm)).toHaveLength(1);
    expect(listed).toMatch(new RegExp(`^\\d+\\s+contact\\s+${bad}\\s`, 'm'));
    expect(listed).toContain(RULE_MESSAGE);
    expect(listed).toContain('a validation rule of the portal requires jobtitle');

    // Nothing sends it again by itself: another settle, reconcile (its change was worked), requalify (its
    // last write was rejected).
    const rejectedAt = lastSeq();
    await world.settle();
    const found = await reconcile({ gateway: world.gateway, store: world.store, now: Date.now() + 1000, overlapMs: 5 * 60_000 });
    expect(found.queued).toBe(0);
    await world.settle();
    expect(world.definition.dependsOnTime.contacts).toBe(true);
    const nightly = await requalify({ gateway: world.gateway, store: world.store, definition: world.definition, now: world.now, slaHours: 24 });
    expect(nightly).toMatchObject({ contacts: 100, rejected: 1, queued: 99 });
    await world.settle();
    expect(updatesWith(bad, rejectedAt)).toEqual([]);

    // A change of the record is a fresh reason: one more try (alone, so one call in either mode), rejected again.
    const changedAt = lastSeq();
    portal.update('contacts', bad, { hs_analytics_num_page_views: '3' }, USER);
    await world.settle();
    expect(updatesWith(bad, changedAt).map((e) => inputsOf(e).length)).toEqual([1]);
    expect((await deadLetters()).match(new RegExp(`^\\d+\\s+contact\\s+${bad}\\s`, 'gm'))).toHaveLength(2);

    // The admin fixes the data: reconcile sees a change after the rejection, queues it, and it is written.
    portal.update('contacts', bad, { jobtitle: 'COO' }, USER);
    const fixed = await reconcile({ gateway: world.gateway, store: world.store, now: Date.now() + 1000, overlapMs: 5 * 60_000 });
    expect(fixed.queued).toBe(1);
    await world.settle();
    expect(portal.get('contacts', bad)!.properties.uld_status).toBeDefined();
  }, 60_000);
});

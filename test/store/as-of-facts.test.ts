import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type AsOfFactsRow, type Store } from '../../src/store';
import type { FreshDatabase } from './conformance';
import { describePostgres, dropSchema, postgresAvailability, uniqueSchema } from './postgres';

/**
 * The as-of facts (migration 0009), asserted the same way on SQLite and Postgres: rows come back as saved,
 * a later save replaces a contact's row whole, and the read can be narrowed to some contacts.
 */
function describeAsOfFactsConformance(backend: string, fresh: () => Promise<FreshDatabase>): void {
  describe(`as-of facts: ${backend}`, () => {
    let database: FreshDatabase;
    let store: Store;
    beforeEach(async () => {
      database = await fresh();
      store = await openStore(database.url, database.options);
    });
    afterEach(async () => {
      await store.close();
      await database.dispose();
    });

    const T = 1_767_225_600_000;
    const row = (contactId: string, over: Partial<AsOfFactsRow> = {}): AsOfFactsRow => ({
      contactId,
      asOf: T,
      contact: { jobtitle: 'VP Sales', hs_analytics_num_page_views: null },
      company: { numberofemployees: '80' },
      ...over,
    });

    test('when nothing was saved, then the read is empty', async () => {
      expect((await store.listAsOfFacts()).size).toBe(0);
    });

    test('when rows are saved, then each comes back as saved: times past 2^31, nulls kept, no company as null', async () => {
      const rows = [row('100000000001'), row('100000000002', { company: null, contact: { jobtitle: null } })];
      await store.saveAsOfFacts(rows);
      const got = await store.listAsOfFacts();
      expect([...got.keys()]).toEqual(['100000000001', '100000000002']);
      expect(got.get('100000000001')).toEqual(rows[0]);
      expect(got.get('100000000002')).toEqual(rows[1]);
    });

    test('when a contact is saved again, then its row is replaced whole (no key of the old facts is left)', async () => {
      await store.saveAsOfFacts([row('100000000001'), row('100000000002')]);
      const replacement = row('100000000001', { asOf: T + 86_400_000, contact: { firstname: 'Ada' }, company: null });
      await store.saveAsOfFacts([replacement]);
      const got = await store.listAsOfFacts();
      expect(got.get('100000000001')).toEqual(replacement);
      expect(got.get('100000000002')).toEqual(row('100000000002'));
    });

    test('when one save names a contact twice, then the later row wins', async () => {
      await store.saveAsOfFacts([row('100000000001'), row('100000000001', { asOf: T + 1 })]);
      expect((await store.listAsOfFacts()).get('100000000001')!.asOf).toBe(T + 1);
    });

    test('when more rows than one statement holds are saved and some are asked for, then exactly those come back', async () => {
      const ids = Array.from({ length: 1203 }, (_, i) => String(100000010000 + i));
      await store.saveAsOfFacts(ids.map((id, i) => row(id, { asOf: T + i })));
      expect((await store.listAsOfFacts()).size).toBe(1203);
      const asked = [...ids.filter((_, i) => i % 2 === 0), '100099999999'];
      const some = await store.listAsOfFacts(asked);
      expect(some.size).toBe(602);
      expect(some.get(ids[1200]!)!.asOf).toBe(T + 1200);
      expect(some.has(ids[1]!)).toBe(false);
    });
  });
}

describeAsOfFactsConformance('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-store-'));
  return { url: `sqlite:${path.join(dir, 'uld.sqlite')}`, options: {}, dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});

describePostgres('postgres as-of facts', postgresAvailability(), (url) => {
  describeAsOfFactsConformance('postgres', async () => {
    const pgSchema = uniqueSchema();
    return { url, options: { pgSchema, pgPoolSize: 4 }, dispose: () => dropSchema(url, pgSchema) };
  });
});

import { openStore } from '../../src/store';
import { describeStoreConformance } from './conformance';
import { describeMirrorConformance } from './mirror-conformance';
import { describeHandOffConformance } from './hand-off-conformance';
import { describeCardConformance } from './card-conformance';
import { incoming } from './fixtures';
import { describePostgres, dropSchema, postgresAvailability, uniqueSchema } from './postgres';

describePostgres('postgres store', postgresAvailability(), (url) => {
  describeStoreConformance('postgres', async () => {
    const pgSchema = uniqueSchema();
    return { url, options: { pgSchema, pgPoolSize: 4 }, dispose: () => dropSchema(url, pgSchema) };
  });

  describeMirrorConformance('postgres', async () => {
    const pgSchema = uniqueSchema();
    return { url, options: { pgSchema, pgPoolSize: 4 }, dispose: () => dropSchema(url, pgSchema) };
  });

  describeCardConformance('postgres', async () => {
    const pgSchema = uniqueSchema();
    return { url, options: { pgSchema, pgPoolSize: 4 }, dispose: () => dropSchema(url, pgSchema) };
  });

  describeHandOffConformance('postgres', async () => {
    const pgSchema = uniqueSchema();
    return { url, options: { pgSchema, pgPoolSize: 4 }, dispose: () => dropSchema(url, pgSchema) };
  });

  test('when another schema of the database already holds a migrated store, then this one still migrates its own', async () => {
    const [first, second] = [uniqueSchema(), uniqueSchema()];
    try {
      const a = await openStore(url, { pgSchema: first, pgPoolSize: 1 });
      const b = await openStore(url, { pgSchema: second, pgPoolSize: 1 });
      expect(await b.health()).toEqual({ reachable: true, pendingMigrations: 0 });
      expect((await b.ingest([incoming({ objectId: '1' })])).stored).toBe(1);
      expect(await a.countEvents()).toBe(0);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await Promise.all([dropSchema(url, first), dropSchema(url, second)]);
    }
  });
});

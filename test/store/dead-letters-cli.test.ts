import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';
import { assertBuilt, runUld } from '../server/child';
import { incoming } from './fixtures';

describe('uld dead-letters', () => {
  let dir: string;
  let url: string;

  async function uld(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const r = await runUld(['dead-letters', ...args], { DATABASE_URL: url }, { cwd: dir });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  beforeAll(async () => {
    assertBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-dl-'));
    url = `sqlite:${path.join(dir, 'uld.sqlite')}`;
    const store = await openStore(url);
    await store.ingest([incoming({ objectId: '11', propertyName: 'email' }), incoming({ objectId: '12' }), incoming({ objectId: '13' })]);
    const batch = await store.claim({ objectType: 'contact', owner: 'test' });
    await store.fail(batch.lease, batch.units.map((u) => ({ id: u.id, error: `Property values were not valid: uld_score (${u.objectId})`, permanent: true })));
    await store.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('list shows each dead letter with its object and last error; retry requeues; drop deletes', async () => {
    const listed = await uld('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^1\s+contact\s+11\s+1\s+\S+\s+property_changed,prop:email$/m);
    expect(listed.stdout).toContain('error: Property values were not valid: uld_score (12)');

    const json = (await uld('list', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; objectId: string });
    expect(json.map((d) => d.objectId)).toEqual(['11', '12', '13']);

    expect(await uld('retry', '1')).toMatchObject({ code: 0, stdout: 'requeued 1 dead letter\n' });
    expect(await uld('drop', '--all')).toMatchObject({ code: 0, stdout: 'dropped 2 dead letters\n' });
    expect((await uld('list')).stdout).toBe('no dead letters\n');

    const store = await openStore(url);
    expect((await store.listWork()).map((u) => [u.objectId, u.attempts])).toEqual([['11', 0]]);
    await store.close();
  });

  test('when neither ids nor --all are given, or an id is not a number, then exit 2 with the reason', async () => {
    expect(await uld('retry')).toMatchObject({ code: 2, stderr: expect.stringContaining('give the ids of the dead letters') });
    expect(await uld('drop', 'abc')).toMatchObject({ code: 2, stderr: expect.stringContaining('not a dead-letter id: "abc"') });
    expect(await uld('list', '--limit', 'ten')).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit must be a positive whole number, got "ten"') });
  });
});

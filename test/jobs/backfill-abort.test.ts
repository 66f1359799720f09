import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { backfill } from '../../jobs/backfill';
import { compileDefinition } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { createGateway } from '../../src/hubspot';
import { startSandbox } from '../../src/sandbox';
import { openStore } from '../../src/store';
import { SyncEngine } from '../../src/sync/engine';
import { ensureProductProperties } from '../../src/sync/install-properties';
import { EXAMPLE } from '../sync/harness';

/** Ctrl-C during a backfill (the demo, `uld install`'s offer): it stops at a block boundary and a later run resumes. */
it('when a backfill is aborted after its first block, then it stops there and the next run resumes and finishes', async () => {
  const sandbox = await startSandbox({ seed: 9, contacts: 2_500, rateLimit: { perWindow: 100_000 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-abort-'));
  const store = await openStore(`sqlite:${path.join(dir, 'store.db')}`);
  const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url, rateLimitPer10s: 100_000 });
  try {
    await ensureProductProperties(gateway);
    const engine = new SyncEngine({ gateway, store, definition: compileDefinition(loadDefinitionFile(EXAMPLE)), logger: pino({ level: 'silent' }), owner: 'test' });
    const controller = new AbortController();
    const first = await backfill({ gateway, store, engine, signal: controller.signal, onProgress: (p) => p.objectType === 'contacts' && controller.abort() });
    expect(first.stopped).toBe(1);
    const contacts = sandbox.portal.count('contacts');
    const qualified = () => [...sandbox.portal.ids('contacts')].filter((id) => sandbox.portal.get('contacts', id)!.properties.uld_status).length;
    expect(qualified()).toBeGreaterThan(0);
    expect(qualified()).toBeLessThan(contacts);
    const second = await backfill({ gateway, store, engine });
    expect(second.stopped).toBeUndefined();
    expect(second.resumed).toBeGreaterThan(0);
    expect(qualified()).toBe(contacts);
  } finally {
    gateway.close();
    await store.close();
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

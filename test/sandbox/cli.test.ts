import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { parseSubscriptionArgument } from '../../src/cli/commands/sandbox';
import { Receiver } from './helpers';

/**
 * `uld sandbox` as a separate process, built output and all, answering the SDK from this process and
 * sending signed webhooks back to it.
 */
const ROOT = path.join(__dirname, '..', '..');

function waitForLines(child: ChildProcess, until: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`uld sandbox did not print ${until} within ${timeoutMs} ms.\nstdout: ${output}\nstderr: ${errors}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`uld sandbox exited with ${code} before it was ready.\nstdout: ${output}\nstderr: ${errors}`));
    });
  });
}

it('when `uld sandbox` runs standalone, then it prints its URL, token and secret and answers the SDK from another process', async () => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'commands', 'sandbox.js'))).toBe(true); // `npm test` builds first (pretest)
  const receiver = await new Receiver().start();
  const child = spawn(
    process.execPath,
    ['bin/uld', 'sandbox', '--contacts', '200', '--port', '0', '--seed', '3', '--webhook-url', receiver.url, '--subscribe', 'contact.propertyChange:jobtitle'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const output = await waitForLines(child, /Press Ctrl\+C to stop/);
    const env = Object.fromEntries([...output.matchAll(/^(HUBSPOT_[A-Z_]+)=(.+)$/gm)].map((m) => [m[1], m[2]]));
    expect(env.HUBSPOT_API_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.HUBSPOT_ACCESS_TOKEN).toMatch(/^pat-na1-[0-9a-f-]{36}$/);
    expect(env.HUBSPOT_CLIENT_SECRET).toEqual(expect.any(String));
    expect(output).toContain('200 contacts');

    const client = new Client({ accessToken: env.HUBSPOT_ACCESS_TOKEN as string, basePath: env.HUBSPOT_API_BASE_URL as string });
    const page = await client.crm.contacts.basicApi.getPage(100, undefined, ['email']);
    expect(page.results).toHaveLength(100);
    const found = await client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.HasProperty }] }], limit: 1 });
    expect(found.total).toBe(200);
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(pipelines.results[0]?.id).toBe('default');

    // A write from this process comes back as a webhook signed with the printed secret.
    const target = page.results[0]?.id as string;
    await client.crm.contacts.basicApi.update(target, { properties: { jobtitle: 'Head of Revenue' } });
    await receiver.waitFor(() => receiver.events.some((e) => e.propertyValue === 'Head of Revenue'));
    const request = receiver.requests.find((r) => r.events.some((e) => e.propertyValue === 'Head of Revenue'));
    const ts = request?.headers['x-hubspot-request-timestamp'] as string;
    expect(request?.headers['x-hubspot-signature-v3']).toBe(createHmac('sha256', env.HUBSPOT_CLIENT_SECRET as string).update(`POST${receiver.url}${request?.rawBody}${ts}`).digest('base64'));
    expect(request?.events[0]).toMatchObject({ objectId: Number(target), changeSource: 'INTEGRATION', sourceId: env.HUBSPOT_APP_ID });

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await receiver.stop();
  }
}, 30_000);

describe('--subscribe arguments', () => {
  it('when legacy and generic forms are given, then they become HubSpot subscriptions', () => {
    let subs = parseSubscriptionArgument('contact.propertyChange:jobtitle');
    subs = parseSubscriptionArgument('object.propertyChange:deal:dealstage', subs);
    subs = parseSubscriptionArgument('deal.creation', subs);
    expect(subs).toEqual([
      { subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle' },
      { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'dealstage' },
      { subscriptionType: 'deal.creation' },
    ]);
    expect(() => parseSubscriptionArgument('object.creation')).toThrow('needs an object type');
    expect(() => parseSubscriptionArgument('nonsense')).toThrow('expected type');
  });
});

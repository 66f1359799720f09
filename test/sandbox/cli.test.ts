import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { parseSubscriptionArgument } from '../../src/cli/commands/sandbox';
import { freePort } from '../../src/server';
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


it('when `uld sandbox --contacts 5000 --port <n>` runs standalone, then it prints its URL, token and secret and answers the SDK from another process', async () => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'commands', 'sandbox.js'))).toBe(true); // `npm test` builds first (pretest)
  const receiver = await new Receiver().start();
  // The documented command is `--port 4010`; a free port stands in for 4010 so that two runs of the suite
  // (or a sandbox someone left running) do not collide. The default of 4010 is checked below.
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['bin/uld', 'sandbox', '--contacts', '5000', '--port', String(port), '--seed', '3', '--webhook-url', receiver.url, '--subscribe', 'contact.propertyChange:jobtitle'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const output = await waitForLines(child, /Press Ctrl\+C to stop/);
    const env = Object.fromEntries([...output.matchAll(/^(HUBSPOT_[A-Z_]+)=(.+)$/gm)].map((m) => [m[1], m[2]]));
    expect(env.HUBSPOT_API_BASE_URL).toBe(`http://127.0.0.1:${port}`);
    expect(env.HUBSPOT_ACCESS_TOKEN).toMatch(/^pat-na1-[0-9a-f-]{36}$/);
    expect(env.HUBSPOT_CLIENT_SECRET).toEqual(expect.any(String));
    expect(output).toContain('5000 contacts');

    const client = new Client({ accessToken: env.HUBSPOT_ACCESS_TOKEN as string, basePath: env.HUBSPOT_API_BASE_URL as string });
    const page = await client.crm.contacts.basicApi.getPage(100, undefined, ['email']);
    expect(page.results).toHaveLength(100);
    expect(page.paging?.next?.after).toEqual(expect.any(String));
    const found = await client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.HasProperty }] }], limit: 1 });
    expect(found.total).toBe(5000);
    // The token printed is the one it accepts: another is refused with HubSpot's 401.
    const stranger = new Client({ accessToken: 'pat-na1-00000000-0000-0000-0000-000000000000', basePath: env.HUBSPOT_API_BASE_URL as string });
    await expect(stranger.crm.contacts.basicApi.getPage(1)).rejects.toMatchObject({ code: 401 });
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

it('when `uld sandbox --help` is asked, then the port defaults to 4010 and the contacts to 5000', () => {
  const help = execFileSync(process.execPath, ['bin/uld', 'sandbox', '--help'], { cwd: ROOT, encoding: 'utf8' });
  expect(help).toMatch(/--port <n>\s+port to listen on \(0 picks a free one\)\s+\(default: 4010\)/);
  expect(help).toMatch(/--contacts <n>\s+synthetic contacts to generate\s+\(default: 5000\)/);
});

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

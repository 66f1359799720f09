import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { assertBuilt, runUld, startServeChild, type ServeChild } from './child';
import { PUBLIC_URL, SECRET } from './harness';

/** An address of this machine other than loopback, to see whether the server answers there too. */
function outsideAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;
}

/** True when a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * HOST: `uld serve` listens on the interface it names, on every interface without it; a value that is not
 * an address of this machine stops the start with one line and exit 2.
 */
describe('uld serve: HOST', () => {
  let dir: string;
  let server: ServeChild | null = null;
  const env = () => ({
    DATABASE_URL: `sqlite:${path.join(dir, 'uld.sqlite')}`,
    HUBSPOT_CLIENT_SECRET: SECRET,
    WEBHOOK_PUBLIC_URL: PUBLIC_URL,
    PORT: '0',
    SERVE_WORKER: 'false',
    SERVE_SCHEDULER: 'false',
  });
  beforeAll(() => {
    assertBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-host-'));
  });
  afterEach(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
      server = null;
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('when HOST=127.0.0.1, then the server is bound to loopback and does not answer on another address of the machine', async () => {
    server = await startServeChild({ ...env(), HOST: '127.0.0.1' }, dir);
    const listening = server.logs.find((l) => l.msg === 'listening')!;
    expect(listening.host).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
    const outside = outsideAddress();
    if (outside !== undefined) expect(await accepts(outside, server.port)).toBe(false);
  });

  test('when HOST is not set, then the server is bound to every interface, as before the setting existed', async () => {
    server = await startServeChild(env(), dir);
    const listening = server.logs.find((l) => l.msg === 'listening')!;
    expect(['::', '0.0.0.0']).toContain(listening.host);
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
    const outside = outsideAddress();
    if (outside !== undefined) expect(await accepts(outside, server.port)).toBe(true);
  });

  test.each([
    ['a URL', 'http://127.0.0.1', /^Invalid environment: HOST: expected an IP address .* found "http:\/\/127\.0\.0\.1"$/],
    ['an address with a port', '127.0.0.1:8080', /^Invalid environment: HOST: expected an IP address .*unset it to listen on every interface, found "127\.0\.0\.1:8080"$/],
    ['a name with a space', 'local host', /^Invalid environment: HOST: expected an IP address .* found "local host"$/],
    // A documentation address (RFC 5737): well-formed, but no interface of this machine has it.
    ['an address this machine does not have', '203.0.113.7', /^uld serve: HOST 203\.0\.113\.7 is not an address of this machine \(EADDRNOTAVAIL\); set HOST to one of its addresses, e\.g\. 127\.0\.0\.1, or unset it/],
  ])('when HOST is %s, then `uld serve` says so in one line and exits 2', async (_what, host, message) => {
    const { status, stdout, stderr } = await runUld(['serve'], { ...env(), HOST: host, LOG_LEVEL: 'silent' }, { cwd: dir });
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
    expect(stdout).toBe('');
    expect(status).toBe(2);
  });
});

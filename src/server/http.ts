import type { Server, ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningHttp {
  /** The address the server is bound to, as the operating system reports it (`::` or `0.0.0.0` for every interface). */
  host: string;
  port: number;
  server: Server;
  /** Stops accepting, lets in-flight requests finish, cuts what is left after `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

export function listen(app: Express, port: number, host?: string): Promise<RunningHttp> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const ready = (err?: Error) => {
      if (err) return reject(err);
      const bound = server.address() as AddressInfo;
      resolve({
        host: bound.address,
        port: bound.port,
        server,
        close: (timeoutMs) => {
          closing = true;
          return closeGracefully(server, timeoutMs);
        },
      });
    };
    // Without a host Node listens on every interface, IPv6 included where the machine has it.
    const server = host === undefined ? app.listen(port, ready) : app.listen(port, host, ready);
    server.once('error', reject);
    // server.close() closes the connections idle at that moment only. One answering an in-flight request
    // turns idle afterwards and would be held open by keep-alive until the deadline: close it then.
    server.on('request', (_req, res: ServerResponse) => {
      res.once('finish', () => closing && setImmediate(() => server.closeIdleConnections()));
    });
    // HubSpot gives a delivery 5 seconds; a client that trickles its body slower than that is not HubSpot.
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
  });
}

function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    // Idle keep-alive connections have nothing in flight: close them now rather than at the deadline.
    server.closeIdleConnections();
  });
}

/**
 * A port nobody listens on right now, for a server whose URL must be known before it starts (the URL
 * HubSpot signs, configured before the receiver listens). The machine is shared: a fixed port could be taken.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiVersion } from '../../src/sandbox/http/router';
import { prefix, type ApiFamily } from '../../src/sandbox/http/versions';

/**
 * A stop-gap seam until the gateway calls HubSpot's date-versioned paths itself (HUBSPOT_API_VERSION, issue
 * 12): an HTTP forwarder between the real gateway and the sandbox that moves each legacy path onto a dated
 * version (`/crm/v3/objects/contacts/batch/update` to `/crm/objects/2026-09/contacts/batch/update`), so the
 * sandbox answers with that version's rules and shapes. Nothing else is touched: bodies, headers and answers
 * pass through as they are.
 */

const FAMILIES: readonly ApiFamily[] = ['objects', 'recordAssociations', 'associations', 'associationLabels', 'properties', 'pipelines', 'owners', 'accountInfo'];

export function datedPath(path: string, version: ApiVersion): string {
  for (const family of FAMILIES) {
    const legacy = prefix(family, 'legacy');
    if (path === legacy || path.startsWith(`${legacy}/`) || path.startsWith(`${legacy}?`)) return `${prefix(family, version)}${path.slice(legacy.length)}`;
  }
  return path;
}

export interface DatedPathsForwarder {
  url: string;
  close(): Promise<void>;
}

export async function forwardOnDatedPaths(target: string, version: ApiVersion): Promise<DatedPathsForwarder> {
  const to = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const forwarded = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: datedPath(req.url ?? '/', version), headers: { ...req.headers, host: to.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (err) => res.destroy(err));
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { parentPort, workerData } from 'node:worker_threads';
import { CARD_ROUTES, type CardResponse } from '../card/src/contract';
import { HubSpotFetchProxy } from '../src/sandbox/card-fetch';

/**
 * The card side of the card bench, in a worker thread: HubSpot's `hubspot.fetch` proxy runs on HubSpot's
 * machines, not on `uld serve`'s event loop, so the bench's proxy gets a thread of its own and the
 * backend's time is not inflated by the client's signing and parsing.
 */
export interface CardClientJob {
  clientSecret: string;
  appId: number;
  portalId: number;
  origin: string;
  port: number;
  ids: string[];
  concurrency: number;
  rounds: number;
  offset: number;
}

export interface CardClientResult {
  times: number[];
  throttled: number;
  failures: string[];
}

async function run(job: CardClientJob): Promise<CardClientResult> {
  const proxy = new HubSpotFetchProxy({ clientSecret: job.clientSecret, appId: job.appId, portalId: job.portalId, permittedUrls: [job.origin], localMapping: { [job.origin]: `http://127.0.0.1:${job.port}` }, maxConcurrent: job.concurrency });
  const times: number[] = [];
  const failures: string[] = [];
  for (let round = 0; round < job.rounds; round++) {
    const batch = Array.from({ length: job.concurrency }, (_, i) => job.ids[(job.offset + round * job.concurrency + i) % job.ids.length]!);
    const done = await Promise.all(
      batch.map(async (id) => {
        const start = process.hrtime.bigint();
        const r = await proxy.fetch(`${job.origin}${CARD_ROUTES.view(id)}?portalId=${job.portalId}&userId=1`);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (r.status !== 200 || !(r.body as CardResponse).ok) failures.push(`${id}: ${r.status} ${JSON.stringify(r.envelope).slice(0, 200)}`);
        return ms;
      }),
    );
    times.push(...done);
  }
  proxy.close();
  return { times, throttled: proxy.stats.throttled, failures };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as CardClientJob).then(
    (result) => port.postMessage(result),
    (err: unknown) => port.postMessage({ times: [], throttled: 0, failures: [String(err)] }),
  );
}

import type { MetricsFold } from '../metrics';
import type { Store } from '../store';
import type { ContactWithFirsts } from '../sync/mirror';

/**
 * The figures over the store at scale (docs/metrics.md, "At scale"): the deals read once, then every contact
 * streamed a page at a time with its first decisions, through the metrics fold (the code computeMetrics runs
 * over arrays) and, for the dashboard, through the caller's own views. Memory holds the deals, one page of
 * contacts and the fold's counts and samples, never the whole mirror or audit log. The caller reads the deals
 * (`store.listDeals()`) and makes the fold with them; this returns how many contacts were read (deleted ones
 * included).
 */
export async function streamContacts(store: Pick<Store, 'contactsWithFirsts'>, fold: MetricsFold, visit: (c: ContactWithFirsts) => void = () => undefined): Promise<number> {
  let read = 0;
  for await (const page of store.contactsWithFirsts()) {
    read += page.length;
    for (const c of page) {
      fold.add(c.contact, c.firsts);
      visit(c);
    }
  }
  return read;
}

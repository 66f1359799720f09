import { accountsOf, type Metrics, type MetricsFold } from '../metrics';
import type { Store } from '../store';
import type { ContactWithFirsts } from '../store/mirror-types';

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

/**
 * The account funnel (docs/metrics.md, "Account funnel") of the accounts created within `scope`. It needs
 * each account's contacts and deals, so it reads the mirror's contacts and deals (no audit log) whole, and
 * only when there are accounts: a definition without an `accounts` section costs nothing here. At a million
 * contacts with accounts, this read, not the streamed fold, is what bounds the job's memory.
 */
export async function accountFigures(store: Pick<Store, 'listAccounts' | 'listMirror'>, now: number, scope: { start?: number; end?: number }): Promise<Metrics['accounts']> {
  const accounts = await store.listAccounts();
  if (accounts.length === 0) return null;
  const { contacts, deals } = await store.listMirror({ decisions: false });
  return accountsOf({ accounts, contacts, deals, now }, scope);
}

import type { Period } from '../metrics';
import type { Store } from '../store';
import type { FigureSource } from './figures';

/** What a page is built from: the figures, the store and the request (read by pages.ts and live-pages.ts). */
export interface PageContext {
  figures: FigureSource;
  store: Store;
  /** Query string parameters of the request (the decisions page's `q`). */
  query: Record<string, string | undefined>;
  /** The period of the request (`?from=&to=`), or the default one when `explicit` is false. */
  period: Period;
  explicit: boolean;
  /** Today (UTC day) by the dashboard's clock: the quick period choices end on it. */
  today: string;
  /** HubSpot ids of the contacts with this email; absent when the server has no HubSpot access for it. */
  findContactIdsByEmail?: (email: string) => Promise<string[]>;
}

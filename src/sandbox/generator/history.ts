import type { HistoryEntry, RecordSeed, WriteSource } from '../crm/portal';
import type { Random } from '../random';
import { iso } from './util';
import { CONVERSION_EVENTS, TITLES, type Seniority } from './vocabulary';

/**
 * The past of a generated contact, as HubSpot would keep it in property history: web visits counted up
 * over the months (ANALYTICS), form conversions one after another (FORM), email opens (EMAIL), and for
 * some contacts an earlier job title changed by a rep (CRM_UI). The last entry of every property is its
 * current value, and every entry lies between the contact's creation and the last activity the generator
 * drew. Drawn from its own Random so the portal's other draws (and every figure built on them) stay as
 * they were. Properties without an entry here were set once at creation (Portal.historyOf).
 */
export interface ContactMarks {
  createdAt: number;
  lastVisitAt?: number;
  firstConversionAt?: number;
  recentConversionAt?: number;
  lastOpenAt?: number;
  seniority: Seniority;
}

const ANALYTICS: WriteSource = { sourceType: 'ANALYTICS' };
const FORM: WriteSource = { sourceType: 'FORM' };
const EMAIL: WriteSource = { sourceType: 'EMAIL' };
const { log, max, min, round } = Math;
const str = String;

export function contactHistory(past: Random, p: Record<string, string>, m: ContactMarks, rep: WriteSource): Record<string, HistoryEntry[]> {
  const h: Record<string, HistoryEntry[]> = {};
  const visits = Number(p.hs_analytics_num_visits ?? '0');
  if (m.lastVisitAt !== undefined && visits > 0) {
    const times = spread(past, m.createdAt, m.lastVisitAt, min(visits, 12));
    const views = Number(p.hs_analytics_num_page_views);
    const k = times.length;
    for (let j = 0; j < k; j += 1) {
      const at = times[j]!;
      const share = (j + 1) / k;
      push(h, 'hs_analytics_num_visits', str(max(1, round(visits * share))), at, ANALYTICS);
      push(h, 'hs_analytics_num_page_views', str(max(1, round(views * share))), at, ANALYTICS);
      push(h, 'hs_analytics_last_visit_timestamp', iso(at), at, ANALYTICS);
    }
  }
  const conversions = Number(p.num_conversion_events ?? '0');
  if (m.firstConversionAt !== undefined && m.recentConversionAt !== undefined && conversions > 0) {
    const times = spread(past, m.firstConversionAt, m.recentConversionAt, min(conversions, 6));
    const k = times.length;
    for (let j = 0; j < k; j += 1) {
      const at = times[j]!;
      const last = j === k - 1;
      push(h, 'num_conversion_events', str(max(1, round((conversions * (j + 1)) / k))), at, FORM);
      push(h, 'recent_conversion_event_name', last ? p.recent_conversion_event_name! : j === 0 ? p.first_conversion_event_name! : past.pick(CONVERSION_EVENTS.lowIntent), at, FORM);
      push(h, 'recent_conversion_date', iso(at), at, FORM);
    }
  }
  if (m.lastOpenAt !== undefined && p.hs_email_last_open_date !== undefined) {
    for (const at of spread(past, m.createdAt, m.lastOpenAt, 2 + past.int(0, 4))) push(h, 'hs_email_last_open_date', iso(at), at, EMAIL);
  }
  // A promotion: a third of titled, working contacts held a more junior title when they were created.
  const title = p.jobtitle;
  if (title !== undefined && m.seniority !== 'student' && m.seniority !== 'junior' && past.chance(0.35)) {
    const earlier = past.pick(m.seniority === 'individual' ? TITLES.junior : TITLES.individual);
    const latest = max(m.createdAt + 1, m.lastVisitAt ?? 0, m.recentConversionAt ?? 0, m.lastOpenAt ?? 0);
    const changedAt = m.createdAt + 1 + round(past.next() * (latest - m.createdAt - 1));
    push(h, 'jobtitle', earlier, m.createdAt, rep);
    push(h, 'jobtitle', title, changedAt, { sourceType: 'CRM_UI' });
  }
  return h;
}

/** `count` instants from `from` to `to` (the last exactly `to`), increasing, gaps drawn exponential. */
function spread(random: Random, from: number, to: number, count: number): number[] {
  const start = min(from, to);
  const span = max(0, to - start);
  const gaps: number[] = [];
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    const g = -log(1 - random.next()) + 1e-9;
    gaps.push(g);
    total += g;
  }
  const out: number[] = [];
  let acc = 0;
  for (let i = 0; i < count; i += 1) {
    acc += gaps[i]!;
    out.push(i === count - 1 ? to : start + round((span * acc) / total));
  }
  return out;
}

/** Appends a value to a property's history, oldest first. */
function push(h: Record<string, HistoryEntry[]>, name: string, value: string, at: number, source: WriteSource): void {
  const list = (h[name] ??= []);
  // Instants come in increasing order here; HubSpot keeps no entry for a write of the same value.
  if (list.length > 0 && list[list.length - 1]!.value === value) return;
  const entry: HistoryEntry = { value, timestamp: at, sourceType: source.sourceType };
  if (source.sourceId !== undefined) entry.sourceId = source.sourceId;
  list.push(entry);
}

/**
 * A later change to a generated record (a deal moving its contact's lifecycle stage): appended to the
 * property's history, whose first entry is the value the record was created with.
 */
export function setLater(seed: RecordSeed, name: string, value: string, at: number, source: WriteSource): void {
  const history = (seed.history ??= {});
  let list = history[name];
  if (!list) {
    list = [];
    const before = seed.properties[name];
    const origin = seed.origin ?? { sourceType: 'IMPORT' };
    if (before !== undefined) list.push({ value: before, timestamp: seed.createdAt, sourceType: origin.sourceType, ...(origin.sourceId !== undefined ? { sourceId: origin.sourceId } : {}) });
    history[name] = list;
  }
  // Kept oldest first: a change dated before the last kept one goes in its place.
  let i = list.length;
  while (i > 0 && list[i - 1]!.timestamp > at) i -= 1;
  // A write of the value already held leaves no entry (a second won deal does not make a customer again).
  if (i > 0 && list[i - 1]!.value === value) return;
  const entry: HistoryEntry = { value, timestamp: at, sourceType: source.sourceType };
  if (source.sourceId !== undefined) entry.sourceId = source.sourceId;
  list.splice(i, 0, entry);
  seed.properties[name] = list[list.length - 1]!.value;
}


import type { HistoryEntry, RecordSeed, WriteSource } from '../crm/portal';
import type { Random } from '../random';
import { DAY, iso, slug } from './util';
import { CONVERSION_EVENTS, TITLES, type Seniority } from './vocabulary';

/**
 * The past of a generated contact, as HubSpot would keep it in property history: web visits counted up
 * over the months, page by page within a visit (ANALYTICS), form conversions one after another (FORM),
 * email opens and clicks (EMAIL), for some contacts an earlier job title changed by a rep (CRM_UI), a
 * personal address replaced by the work one (CRM_UI) or a country guessed from the visitor's IP and
 * corrected by a form. About 15 dated values per contact across the example definition's inputs, 20 with
 * its company's (companyHistory). The last entry of every property is its current value, and every entry
 * lies between the contact's creation and now. Drawn from its own Random so the portal's other draws (and
 * every figure built on them) stay as they were. Properties without an entry here were set once at
 * creation (Portal.historyOf).
 */
export interface ContactMarks {
  createdAt: number;
  now: number;
  lastVisitAt?: number;
  firstConversionAt?: number;
  recentConversionAt?: number;
  lastOpenAt?: number;
  lastClickAt?: number;
  seniority: Seniority;
  freeMail: boolean;
}

const ANALYTICS: WriteSource = { sourceType: 'ANALYTICS' };
const FORM: WriteSource = { sourceType: 'FORM' };
const EMAIL: WriteSource = { sourceType: 'EMAIL' };
const CRM_UI: WriteSource = { sourceType: 'CRM_UI' };
/** Data enrichment writes company facts through the API. */
const ENRICHMENT: WriteSource = { sourceType: 'API' };
const MINUTE = 60_000;
/**
 * The most values the generator keeps for one property: one under the bound the sandbox serves
 * (PROPERTY_HISTORY_BOUND, 20), so a generated history is complete and the replay dates every rung it can.
 */
const MAX_POINTS = 19;
/** Page views counted one by one within a visit, at most this many before the visit's total. */
const PAGES_PER_VISIT = 3;
const { exp, floor, log, max, min, round } = Math;
const str = String;

export function contactHistory(past: Random, p: Record<string, string>, m: ContactMarks, rep: WriteSource): Record<string, HistoryEntry[]> {
  const h: Record<string, HistoryEntry[]> = {};
  const visits = Number(p.hs_analytics_num_visits ?? '0');
  if (m.lastVisitAt !== undefined && visits > 0) {
    const times = spread(past, m.createdAt, m.lastVisitAt, min(visits, MAX_POINTS));
    const views = Number(p.hs_analytics_num_page_views);
    const k = times.length;
    // Page views beyond one per visit, while the property stays under MAX_POINTS values.
    let budget = MAX_POINTS - k;
    let counted = 0;
    for (let j = 0; j < k; j += 1) {
      const at = times[j]!;
      const total = max(1, round(views * ((j + 1) / k)));
      push(h, 'hs_analytics_last_visit_timestamp', iso(at), at, ANALYTICS);
      // The visit's pages, a minute apart, before the next visit and not after now.
      const room = floor(((j + 1 < k ? times[j + 1]! : m.now + 1) - at - 1) / MINUTE);
      const pages = max(0, min(total - counted - 1, PAGES_PER_VISIT, budget, room));
      for (let i = pages; i >= 1; i -= 1) push(h, 'hs_analytics_num_page_views', str(total - i), at + (pages - i) * MINUTE, ANALYTICS);
      budget -= pages;
      push(h, 'hs_analytics_num_page_views', str(total), at + pages * MINUTE, ANALYTICS);
      push(h, 'hs_analytics_num_visits', str(max(1, round(visits * ((j + 1) / k)))), at, ANALYTICS);
      counted = total;
    }
  }
  const conversions = Number(p.num_conversion_events ?? '0');
  if (m.firstConversionAt !== undefined && m.recentConversionAt !== undefined && conversions > 0) {
    const times = spread(past, m.firstConversionAt, m.recentConversionAt, min(conversions, MAX_POINTS));
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
  if (m.lastClickAt !== undefined && p.hs_email_last_click_date !== undefined) {
    // Earlier clicks on earlier emails: a clicker rarely clicks only once.
    for (const at of spread(past, m.createdAt, m.lastClickAt, 1 + past.int(0, 4))) push(h, 'hs_email_last_click_date', iso(at), at, EMAIL);
  }
  const latest = max(m.createdAt + 1, m.lastVisitAt ?? 0, m.recentConversionAt ?? 0, m.lastOpenAt ?? 0);
  const someTimeAfterCreation = () => m.createdAt + 1 + round(past.next() * (latest - m.createdAt - 1));
  // A promotion: a third of titled, working contacts held a more junior title when they were created.
  const title = p.jobtitle;
  if (title !== undefined && m.seniority !== 'student' && m.seniority !== 'junior' && past.chance(0.35)) {
    const earlier = past.pick(m.seniority === 'individual' ? TITLES.junior : TITLES.individual);
    push(h, 'jobtitle', earlier, m.createdAt, rep);
    push(h, 'jobtitle', title, someTimeAfterCreation(), CRM_UI);
  }
  // A personal address a rep later replaced by the work one (the contact was free mail until then).
  if (!m.freeMail && p.email !== undefined && past.chance(0.04)) {
    const personal = `${slug(p.firstname ?? 'x')}.${slug(p.lastname ?? 'y')}${past.int(1, 99)}@${past.pick(PERSONAL_DOMAINS)}`;
    push(h, 'email', personal, m.createdAt, rep);
    push(h, 'email', p.email, someTimeAfterCreation(), CRM_UI);
  }
  // A country guessed from the first visit's IP, corrected when a form asked.
  if (p.country !== undefined && past.chance(0.06)) {
    const guessed = past.pick(IP_COUNTRIES);
    if (guessed !== p.country) {
      push(h, 'country', guessed, m.createdAt, ANALYTICS);
      push(h, 'country', p.country, someTimeAfterCreation(), FORM);
    }
  }
  return h;
}

const PERSONAL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com'];
const IP_COUNTRIES = ['United States', 'Ireland', 'Netherlands', 'Germany', 'Singapore'];

/**
 * A contact that never became a deal and moved up the lifecycle on its own: a subscriber who became a
 * lead with a first form, or a lead that marketing qualified with its latest (high-intent) form. Run after
 * the deals (a deal's stage changes are kept by setLater), on the contacts it left alone; the entry dates
 * (`hs_lifecyclestage_<stage>_date`, `hs_v2_date_entered_<stage>`) follow the history.
 */
export function lifecycleHistory(past: Random, seed: RecordSeed): void {
  const p = seed.properties;
  if (seed.history?.lifecyclestage !== undefined || p.first_conversion_date === undefined) return;
  const stage = p.lifecyclestage;
  const origin = seed.origin ?? { sourceType: 'IMPORT' as const };
  const firstAt = Date.parse(p.first_conversion_date);
  const recentAt = Date.parse(p.recent_conversion_date ?? p.first_conversion_date);
  const steps: Array<[string, number, WriteSource]> = [];
  const wasSubscriber = firstAt > seed.createdAt && past.chance(0.45);
  if (wasSubscriber) steps.push(['subscriber', seed.createdAt, origin]);
  if (stage === 'lead' && wasSubscriber) steps.push(['lead', firstAt, FORM]);
  else if (stage === 'marketingqualifiedlead' && recentAt > seed.createdAt) {
    const leadAt = wasSubscriber && firstAt < recentAt ? firstAt : seed.createdAt;
    steps.push(['lead', leadAt, leadAt === seed.createdAt ? origin : FORM], ['marketingqualifiedlead', recentAt, CRM_UI]);
  }
  if (steps.length < 2) return;
  const list: HistoryEntry[] = [];
  for (const [value, at, source] of steps) {
    if (list.length === 0 || list[list.length - 1]!.timestamp < at) list.push({ value, timestamp: at, sourceType: source.sourceType });
  }
  if (list.length < 2 || list[list.length - 1]!.value !== stage) return;
  (seed.history ??= {}).lifecyclestage = list;
  for (const { value, timestamp } of list) {
    p[`hs_lifecyclestage_${value}_date`] = iso(timestamp);
    p[`hs_v2_date_entered_${value}`] = iso(timestamp);
  }
}

/**
 * The draws lifecycleHistory makes for a contact no deal moved, made without writing anything: for a contact
 * whose deal the buying-group effect added after the base draws (./roles.ts), so every later contact's
 * lifecycle moves stay what they were. Keep in step with lifecycleHistory.
 */
export function skipLifecycleHistory(past: Random, seed: RecordSeed): void {
  const first = seed.properties.first_conversion_date;
  if (first !== undefined && Date.parse(first) > seed.createdAt) past.next();
}

/**
 * The past of a generated company: its head count and revenue as data enrichment refreshed them over the
 * years (growing, with noise: a company can cross a size band in its history), and for a few an industry
 * reclassified once. Current values stay as drawn; the history leads up to them.
 */
export function companyHistory(past: Random, seed: RecordSeed, now: number): void {
  const p = seed.properties;
  const h: Record<string, HistoryEntry[]> = {};
  const origin = seed.origin ?? { sourceType: 'IMPORT' as const };
  const ageDays = (now - seed.createdAt) / DAY;
  // Head count: a refresh about every eight months, the value walking back from today's.
  const employees = Number(p.numberofemployees);
  if (Number.isFinite(employees) && employees > 0) {
    const refreshes = min(MAX_POINTS - 1, floor(ageDays / 240) + past.int(0, 1));
    const values = [employees];
    for (let i = 0; i < refreshes; i += 1) values.push(max(1, round(values[values.length - 1]! / exp(past.normal(0.05, 0.07)))));
    values.reverse();
    const times = [seed.createdAt, ...spread(past, seed.createdAt + DAY, now - past.int(1, 60) * DAY, refreshes)];
    for (let i = 0; i < values.length; i += 1) push(h, 'numberofemployees', str(values[i]!), times[i]!, i === 0 ? origin : ENRICHMENT);
  }
  // Revenue: refreshed about once a year.
  const revenue = Number(p.annualrevenue);
  if (Number.isFinite(revenue) && revenue > 0) {
    const refreshes = min(MAX_POINTS - 1, floor(ageDays / 365) + past.int(0, 1));
    const values = [revenue];
    for (let i = 0; i < refreshes; i += 1) values.push(round(values[values.length - 1]! / exp(past.normal(0.09, 0.1)) / 1000) * 1000);
    values.reverse();
    const times = [seed.createdAt, ...spread(past, seed.createdAt + DAY, now - past.int(1, 120) * DAY, refreshes)];
    for (let i = 0; i < values.length; i += 1) push(h, 'annualrevenue', str(values[i]!), times[i]!, i === 0 ? origin : ENRICHMENT);
  }
  const earlierIndustry = RECLASSIFIED[p.industry ?? ''];
  if (earlierIndustry !== undefined && past.chance(0.06)) {
    push(h, 'industry', earlierIndustry, seed.createdAt, origin);
    push(h, 'industry', p.industry!, seed.createdAt + round(past.next() * (now - seed.createdAt)), ENRICHMENT);
  }
  if (Object.keys(h).length > 0) seed.history = { ...seed.history, ...h };
}

/** The industry a company was first filed under before enrichment reclassified it. */
const RECLASSIFIED: Record<string, string> = {
  COMPUTER_SOFTWARE: 'INFORMATION_TECHNOLOGY_AND_SERVICES',
  INFORMATION_TECHNOLOGY_AND_SERVICES: 'COMPUTER_SOFTWARE',
  FINANCIAL_SERVICES: 'MARKETING_AND_ADVERTISING',
  MARKETING_AND_ADVERTISING: 'COMPUTER_SOFTWARE',
  RETAIL: 'CONSTRUCTION',
};

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


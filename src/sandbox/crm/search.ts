import { validationError } from '../errors';
import type { PropertyType } from './property-catalog';
import { parseHubSpotTime } from './schema';

/**
 * CRM search semantics, free of HTTP and storage: request validation with HubSpot's limits, filter
 * evaluation, the single sort, and offset paging with the 10,000-result ceiling.
 *
 * Limits: 5 filterGroups, 10 filters per group and 25 filters in all (HubSpot changelog "Breaking change:
 * expanded filtering capabilities and error messaging in HubSpot's search API", effective 2024-08-26, for
 * every version; the specs' "Up to 6 groups" text predates it), one sort, up to 200 results per page
 * (`limit` in the 2026-09 spec), and no paging past the 10,000th result (a 400).
 */
export const SEARCH_LIMITS = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 10,
  maxFilters: 25,
  maxSorts: 1,
  maxPageSize: 200,
  defaultPageSize: 10,
  maxResults: 10_000,
} as const;

export type FilterOperator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

const OPERATORS: readonly FilterOperator[] = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'];

export interface SearchFilter {
  propertyName: string;
  operator: FilterOperator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface ParsedSearch {
  filterGroups: SearchFilter[][];
  sort?: { propertyName: string; descending: boolean };
  query?: string;
  properties?: string[];
  limit: number;
  offset: number;
}

/** Validates a search body. `propertyType` answers undefined for a property the object type lacks. */
export function parseSearch(body: unknown, propertyType: (name: string) => PropertyType | undefined): ParsedSearch {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const groupsIn = Array.isArray(input.filterGroups) ? (input.filterGroups as unknown[]) : [];
  if (groupsIn.length > SEARCH_LIMITS.maxFilterGroups) {
    throw validationError(`Too many filter groups: ${groupsIn.length}. The maximum is ${SEARCH_LIMITS.maxFilterGroups}.`);
  }
  let total = 0;
  const filterGroups = groupsIn.map((groupIn) => {
    const filtersIn = Array.isArray((groupIn as { filters?: unknown }).filters) ? ((groupIn as { filters: unknown[] }).filters) : [];
    if (filtersIn.length > SEARCH_LIMITS.maxFiltersPerGroup) {
      throw validationError(`Too many filters in a filter group: ${filtersIn.length}. The maximum is ${SEARCH_LIMITS.maxFiltersPerGroup}.`);
    }
    total += filtersIn.length;
    return filtersIn.map((f) => parseFilter(f, propertyType));
  });
  if (total > SEARCH_LIMITS.maxFilters) throw validationError(`Too many filters: ${total}. The maximum across all filter groups is ${SEARCH_LIMITS.maxFilters}.`);

  const sortsIn = Array.isArray(input.sorts) ? (input.sorts as unknown[]) : [];
  if (sortsIn.length > SEARCH_LIMITS.maxSorts) throw validationError(`Only ${SEARCH_LIMITS.maxSorts} sort is supported per search.`);
  let sort: ParsedSearch['sort'];
  if (sortsIn.length === 1) {
    const s = sortsIn[0];
    // The SDK types sorts as strings, the REST docs show objects: both arrive in practice.
    if (typeof s === 'string') sort = s.startsWith('-') ? { propertyName: s.slice(1), descending: true } : { propertyName: s, descending: false };
    else if (typeof s === 'object' && s !== null && typeof (s as { propertyName?: unknown }).propertyName === 'string') {
      const o = s as { propertyName: string; direction?: string };
      sort = { propertyName: o.propertyName, descending: o.direction === 'DESCENDING' };
    } else throw validationError('A sort needs a propertyName');
  }

  const limit = input.limit === undefined ? SEARCH_LIMITS.defaultPageSize : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.maxPageSize) {
    throw validationError(`limit must be an integer from 0 to ${SEARCH_LIMITS.maxPageSize}, got ${String(input.limit)}`);
  }
  const after = input.after === undefined || input.after === null || input.after === '' ? 0 : Number(input.after);
  if (!Number.isInteger(after) || after < 0) throw validationError(`after must be a non-negative integer offset, got ${String(input.after)}`);
  if (after >= SEARCH_LIMITS.maxResults) {
    // HubSpot: "The search endpoints are limited to 10,000 total results for any given query. Attempting
    // to page beyond 10,000 will result in a 400 error."
    throw validationError(
      `Search results are limited to ${SEARCH_LIMITS.maxResults} for any given query; after=${after} pages past that limit. Narrow the query (for example by a date window) instead of paging further.`,
      { context: { after: [String(after)] } },
    );
  }
  const properties = Array.isArray(input.properties) ? (input.properties as unknown[]).map(String) : undefined;
  const query = typeof input.query === 'string' && input.query.trim() !== '' ? input.query.trim() : undefined;
  return { filterGroups, ...(sort ? { sort } : {}), ...(query ? { query } : {}), ...(properties ? { properties } : {}), limit, offset: after };
}

function parseFilter(raw: unknown, propertyType: (name: string) => PropertyType | undefined): SearchFilter {
  const f = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const propertyName = typeof f.propertyName === 'string' ? f.propertyName : '';
  const operator = (typeof f.operator === 'string' ? f.operator : 'EQ') as FilterOperator;
  if (!OPERATORS.includes(operator)) throw validationError(`Unknown filter operator ${String(f.operator)}. Allowed: ${OPERATORS.join(', ')}`);
  if (propertyType(propertyName) === undefined) throw validationError(`Filter on unknown property "${propertyName}"`, { context: { propertyName: [propertyName] } });
  const filter: SearchFilter = { propertyName, operator };
  if (f.value !== undefined && f.value !== null) filter.value = String(f.value);
  if (f.highValue !== undefined && f.highValue !== null) filter.highValue = String(f.highValue);
  if (Array.isArray(f.values)) filter.values = f.values.map(String);
  const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(operator);
  if (needsValue && filter.value === undefined) throw validationError(`Operator ${operator} on ${propertyName} needs a value`);
  if (operator === 'BETWEEN' && filter.highValue === undefined) throw validationError(`BETWEEN on ${propertyName} needs a value and a highValue`);
  if ((operator === 'IN' || operator === 'NOT_IN') && (!filter.values || filter.values.length === 0)) throw validationError(`${operator} on ${propertyName} needs values`);
  return filter;
}

/** Reads one property of one candidate (current value, or the value as of the index's lag). */
export type ValueReader<T> = (candidate: T, propertyName: string) => string | undefined;

export interface SearchOutcome<T> {
  total: number;
  page: T[];
  /** Offset of the next page, when there are more results (HubSpot's `paging.next.after`). */
  nextAfter?: string;
}

export function runSearch<T>(
  candidates: Iterable<T>,
  search: ParsedSearch,
  read: ValueReader<T>,
  propertyType: (name: string) => PropertyType | undefined,
  textProperties: readonly string[],
): SearchOutcome<T> {
  const matches: T[] = [];
  const query = search.query?.toLowerCase();
  for (const candidate of candidates) {
    if (search.filterGroups.length > 0 && !search.filterGroups.some((group) => group.every((f) => matchesFilter(read(candidate, f.propertyName), f, propertyType(f.propertyName))))) continue;
    if (query && !textProperties.some((p) => (read(candidate, p) ?? '').toLowerCase().includes(query))) continue;
    matches.push(candidate);
  }
  if (search.sort) {
    const { propertyName, descending } = search.sort;
    const type = propertyType(propertyName);
    // Dates and numbers are read once per record, not once per comparison: a sort of 10,000 records
    // otherwise parses 300,000 timestamps per page.
    const numeric = type === 'number' || type === 'datetime' || type === 'date';
    const keyed = matches.map((candidate, index) => {
      const key = read(candidate, propertyName);
      const num = numeric && key !== undefined ? (type === 'number' ? Number(key) : parseHubSpotTime(key)) : undefined;
      return { candidate, index, key, num };
    });
    keyed.sort((a, b) => {
      // Records without the value go last whatever the direction; ties keep id order.
      if (a.key === undefined || b.key === undefined) return a.key === b.key ? a.index - b.index : a.key === undefined ? 1 : -1;
      const c = a.num !== undefined && b.num !== undefined && !Number.isNaN(a.num) && !Number.isNaN(b.num) ? a.num - b.num : compareValues(a.key, b.key, type);
      return c === 0 ? a.index - b.index : descending ? -c : c;
    });
    matches.splice(0, matches.length, ...keyed.map((k) => k.candidate));
  }
  const end = Math.min(search.offset + search.limit, matches.length, SEARCH_LIMITS.maxResults);
  const page = matches.slice(search.offset, end);
  const outcome: SearchOutcome<T> = { total: matches.length, page };
  // Like HubSpot, the next cursor is offered even when it lands on the 10,000 ceiling; following it is the 400.
  if (end < matches.length && search.limit > 0) outcome.nextAfter = String(end);
  return outcome;
}

export function matchesFilter(value: string | undefined, filter: SearchFilter, type: PropertyType | undefined): boolean {
  const present = value !== undefined && value !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return !present;
    case 'NEQ':
      return !present || compareValues(value, filter.value as string, type) !== 0;
    case 'NOT_IN':
      return !present || !(filter.values as string[]).some((v) => compareValues(value, v, type) === 0);
    case 'NOT_CONTAINS_TOKEN':
      return !present || !containsToken(value, filter.value as string);
    default:
      break;
  }
  if (!present) return false;
  switch (filter.operator) {
    case 'EQ':
      return compareValues(value, filter.value as string, type) === 0;
    case 'LT':
      return compareValues(value, filter.value as string, type) < 0;
    case 'LTE':
      return compareValues(value, filter.value as string, type) <= 0;
    case 'GT':
      return compareValues(value, filter.value as string, type) > 0;
    case 'GTE':
      return compareValues(value, filter.value as string, type) >= 0;
    case 'BETWEEN':
      return compareValues(value, filter.value as string, type) >= 0 && compareValues(value, filter.highValue as string, type) <= 0;
    case 'IN':
      return (filter.values as string[]).some((v) => compareValues(value, v, type) === 0);
    case 'CONTAINS_TOKEN':
      return containsToken(value, filter.value as string);
    default:
      return false;
  }
}

/** Compares by the property's type: numbers numerically, dates by instant, text case-insensitively. */
export function compareValues(a: string, b: string, type: PropertyType | undefined): number {
  if (type === 'number') return Number(a) - Number(b);
  if (type === 'datetime' || type === 'date') {
    const x = parseHubSpotTime(a);
    const y = parseHubSpotTime(b);
    if (x !== undefined && y !== undefined) return x - y;
  }
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** CONTAINS_TOKEN matches a whole word of the value; `*` is a wildcard (HubSpot allows `*@hubspot.com`). */
function containsToken(value: string, token: string): boolean {
  const lower = value.toLowerCase();
  const wanted = token.toLowerCase();
  if (wanted.includes('*')) {
    const pattern = new RegExp(`^${wanted.split('*').map(escapeRegExp).join('.*')}$`);
    return pattern.test(lower) || lower.split(/[^a-z0-9@._-]+/).some((w) => pattern.test(w));
  }
  return lower.split(/[^a-z0-9]+/).includes(wanted) || lower === wanted;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

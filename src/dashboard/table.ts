import type { Period, PeriodHeader } from '../metrics';

/**
 * A dashboard figure as data: a titled table whose rows are plain values. The HTML page, its chart, the
 * JSON under /api/metrics and the CSV download are all rendered from the same table, so they cannot show
 * different numbers.
 */

export type Kind = 'text' | 'count' | 'rate' | 'days' | 'hours' | 'money' | 'time';
export type Value = string | number | null;

export interface Column {
  /** snake_case: the JSON field and the CSV header; stable, scripts read them. */
  key: string;
  header: string;
  kind: Kind;
  /** `contact`: the value is a contact's record id, shown as a link to its card page (/dashboard/contacts/<id>). */
  link?: 'contact';
}

/** A column, as the pages declare theirs. */
export const col = (key: string, header: string, kind: Kind): Column => ({ key, header, kind });

export interface Chart {
  type: 'bars' | 'line';
  /** The column naming each bar or point. */
  label: string;
  /** The column(s) drawn; several give grouped bars, each with its own fill pattern. */
  values: string[];
}

export interface Table {
  /** Unique in its page: the element id and the CSV file name. */
  id: string;
  title: string;
  note?: string;
  columns: Column[];
  rows: Value[][];
  chart?: Chart;
}

export interface Page {
  slug: string;
  title: string;
  intro: string;
  tables: Table[];
  /** When the figures were computed (ISO 8601), shown on every page that reads them. */
  computedAt: string | null;
  /** `stored`: the figures are the metrics job's latest snapshot (right after a start, until the dashboard's own are computed). */
  figuresFrom?: 'computed' | 'stored';
  /** The decisions page's search box and what it found. */
  search?: { query: string; message: string | null };
  /**
   * The period of the page (`explicit`: given in the address, so links carry it) and what its tables count:
   * `created` the records created in it, `accounts` the accounts created in it, `snapshots` the snapshots taken
   * in it, `all` everything.
   */
  period?: Period & { explicit: boolean; today: string; scope: 'created' | 'accounts' | 'snapshots' | 'all' };
  /** The period's header figures beside the previous period's; null while they are being computed. */
  header?: PeriodHeader | null;
}

/** null is unknown (an empty cohort's rate), never 0: it prints as a dash, as in `uld report`. */
export function formatValue(value: Value, kind: Kind): string {
  if (value === null) return '-';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'days':
    case 'hours':
      return value.toFixed(1);
    case 'money':
      return Math.round(value).toLocaleString('en-US');
    case 'time':
      return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    case 'count':
      return value.toLocaleString('en-US');
    default:
      return String(value);
  }
}

/** Rows as objects keyed by column, for JSON: raw values, rates as fractions, times as ISO 8601. */
export function tableRecords(table: Table): Array<Record<string, Value>> {
  return table.rows.map((row) =>
    Object.fromEntries(
      table.columns.map((c, i) => {
        const v = row[i] ?? null;
        return [c.key, c.kind === 'time' && typeof v === 'number' ? new Date(v).toISOString() : v];
      }),
    ),
  );
}

const csvField = (v: Value): string => {
  let s = v === null ? '' : String(v);
  // Text from HubSpot (a reason, a source, an error) that starts like a formula would run as one in a
  // spreadsheet (CSV injection): prefixed with an apostrophe, which spreadsheets show as text. Numbers are
  // numbers, so a negative figure keeps its minus sign.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180: CRLF line ends, quoted where needed; null is an empty cell; rates stay fractions, as in `uld report --format csv`. */
export function tableCsv(table: Table): string {
  const records = tableRecords(table);
  const lines = [table.columns.map((c) => csvField(c.key)).join(',')];
  for (const r of records) lines.push(table.columns.map((c) => csvField(r[c.key] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

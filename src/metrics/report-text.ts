/**
 * How `uld report` writes figures as text: the table's cells and columns, the CSV's cells. Shared by the contact
 * report (report.ts) and the account funnel's (account-report.ts), so both print a figure the same way.
 */

/** What a figure is, for its formatting. */
export type Kind = 'count' | 'rate' | 'days' | 'hours' | 'money';

/** Table cells: rates as percentages, durations and amounts to two decimals. */
export function cell(kind: Kind, v: number | null): string {
  if (v === null) return '-';
  if (kind === 'count') return String(v);
  if (kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  return v.toFixed(2);
}

/** CSV cells: rates as fractions; a few decimals, enough for a spreadsheet to recompute nothing wrongly. */
export function csvNumber(kind: Kind, v: number | null): string {
  if (v === null) return '';
  if (kind === 'count') return String(v);
  return String(Number(v.toFixed(kind === 'rate' ? 6 : 4)));
}

/** RFC 4180: quote a field holding a comma, a quote or a line break, doubling inner quotes. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

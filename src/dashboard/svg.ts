import { formatValue, type Table } from './table';

/**
 * Charts drawn on the server as inline SVG: no script, nothing fetched. Every bar and point carries its
 * label and value as text, and each series has its own fill pattern as well as its own shade, so a chart
 * reads in greyscale and to a screen reader (role="img" with a title listing the values).
 */

export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Solid, diagonal hatch, dots, cross-hatch: distinguishable without colour. */
const PATTERNS = [
  (id: string) => `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#1f4e79"/></pattern>`,
  (id: string) => `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><rect width="4" height="8" fill="#c55a11"/></pattern>`,
  (id: string) => `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#e2f0d9"/><circle cx="4" cy="4" r="2.2" fill="#375623"/></pattern>`,
  (id: string) => `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#ffffff"/><path d="M0 0L8 8M8 0L0 8" stroke="#7030a0" stroke-width="1.6"/></pattern>`,
];

function columnIndex(table: Table, key: string): number {
  const i = table.columns.findIndex((c) => c.key === key);
  if (i < 0) throw new Error(`chart of table ${table.id} names no column ${key}`);
  return i;
}

function summary(table: Table, labelAt: number, valueAts: number[]): string {
  return table.rows
    .map((r) => `${String(r[labelAt] ?? '-')}: ${valueAts.map((i) => `${table.columns[i]!.header} ${formatValue(r[i] ?? null, table.columns[i]!.kind)}`).join(', ')}`)
    .join('; ');
}

/** Horizontal bars, one group per row, one bar per value column; the value is written at the bar's end. */
function bars(table: Table, labelAt: number, valueAts: number[]): string {
  const barH = 16;
  const gap = 10;
  const labelW = 190;
  const plotW = 420;
  const groupH = valueAts.length * barH + gap;
  const legendH = valueAts.length > 1 ? 22 : 0;
  const height = legendH + table.rows.length * groupH + gap;
  const max = Math.max(0, ...table.rows.flatMap((r) => valueAts.map((i) => (typeof r[i] === 'number' ? (r[i] as number) : 0))));
  const defs = valueAts.map((_, s) => PATTERNS[s % PATTERNS.length]!(`${table.id}-p${s}`)).join('');
  const parts: string[] = [];
  if (legendH > 0) {
    valueAts.forEach((ci, s) => {
      const x = labelW + s * 150;
      parts.push(`<rect x="${x}" y="4" width="14" height="14" fill="url(#${table.id}-p${s})" stroke="#222"/><text x="${x + 20}" y="16">${escapeXml(table.columns[ci]!.header)}</text>`);
    });
  }
  table.rows.forEach((r, ri) => {
    const y0 = legendH + gap + ri * groupH;
    parts.push(`<text x="${labelW - 8}" y="${y0 + (valueAts.length * barH) / 2 + 4}" text-anchor="end">${escapeXml(String(r[labelAt] ?? '-'))}</text>`);
    valueAts.forEach((ci, s) => {
      const v = r[ci];
      const w = typeof v === 'number' && max > 0 ? Math.max(1, (v / max) * plotW) : 0;
      const y = y0 + s * barH;
      parts.push(`<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH - 3}" fill="url(#${table.id}-p${s})" stroke="#222" stroke-width="0.6"/>`);
      parts.push(`<text x="${(labelW + w + 6).toFixed(1)}" y="${y + barH - 5}">${escapeXml(formatValue(v ?? null, table.columns[ci]!.kind))}</text>`);
    });
  });
  const width = labelW + plotW + 110;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${escapeXml(`${table.title}: ${summary(table, labelAt, valueAts)}`)}</title><defs>${defs}</defs>${parts.join('')}</svg>`;
}

/** A line over the rows in order (oldest first), each point marked and labelled with its value. */
function line(table: Table, labelAt: number, valueAt: number): string {
  const width = 720;
  const height = 260;
  const left = 60;
  const right = 30;
  const top = 24;
  const bottom = 60;
  const points = table.rows.map((r, i) => ({ label: String(r[labelAt] ?? ''), value: typeof r[valueAt] === 'number' ? (r[valueAt] as number) : null, i }));
  const known = points.filter((p) => p.value !== null).map((p) => p.value!);
  const max = known.length === 0 ? 1 : Math.max(...known) || 1;
  const step = points.length > 1 ? (width - left - right) / (points.length - 1) : 0;
  const x = (i: number) => left + (points.length > 1 ? i * step : (width - left - right) / 2);
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const kind = table.columns[valueAt]!.kind;
  const parts = [
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#222"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#222"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${escapeXml(formatValue(max, kind))}</text>`,
    `<text x="${left - 6}" y="${height - bottom + 4}" text-anchor="end">${escapeXml(formatValue(0, kind))}</text>`,
  ];
  const path = points.filter((p) => p.value !== null).map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)} ${y(p.value!).toFixed(1)}`).join(' ');
  if (path) parts.push(`<path d="${path}" fill="none" stroke="#1f4e79" stroke-width="2" stroke-dasharray="6 3"/>`);
  // Label at most ~12 points on the axis so the text does not overlap; every point keeps its marker and title.
  const every = Math.max(1, Math.ceil(points.length / 12));
  for (const p of points) {
    if (p.value !== null) {
      parts.push(`<rect x="${(x(p.i) - 4).toFixed(1)}" y="${(y(p.value) - 4).toFixed(1)}" width="8" height="8" fill="#ffffff" stroke="#1f4e79" stroke-width="2"><title>${escapeXml(`${p.label}: ${formatValue(p.value, kind)}`)}</title></rect>`);
    }
    if (p.i % every === 0 || p.i === points.length - 1) {
      parts.push(`<text x="${x(p.i).toFixed(1)}" y="${height - bottom + 16}" text-anchor="end" transform="rotate(-30 ${x(p.i).toFixed(1)} ${height - bottom + 16})">${escapeXml(p.label)}</text>`);
      if (p.value !== null) parts.push(`<text x="${x(p.i).toFixed(1)}" y="${(y(p.value) - 9).toFixed(1)}" text-anchor="middle">${escapeXml(formatValue(p.value, kind))}</text>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${escapeXml(`${table.title}: ${summary(table, labelAt, [valueAt])}`)}</title>${parts.join('')}</svg>`;
}

export function chartOf(table: Table): string {
  const chart = table.chart;
  if (!chart || table.rows.length === 0) return '';
  const labelAt = columnIndex(table, chart.label);
  const valueAts = chart.values.map((k) => columnIndex(table, k));
  return chart.type === 'line' ? line(table, labelAt, valueAts[0]!) : bars(table, labelAt, valueAts);
}

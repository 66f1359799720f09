import { CHART_FONT_PX, LABEL_PAD_PX, LINE_PX, labelColumn, textWidth } from './label-width';
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

const svgOpen = (width: number, height: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="${CHART_FONT_PX}">`;

/**
 * Horizontal bars, one group per row, one bar per value column; the value is written at the bar's end. The
 * label column is as wide as the widest label (long ones wrap), and the chart as wide as its longest value
 * text and legend, so no text leaves the viewBox (an SVG clips it there).
 */
function bars(table: Table, labelAt: number, valueAts: number[]): string {
  const barH = 16;
  const gap = 10;
  const plotW = 420;
  const labels = labelColumn(table.rows.map((r) => String(r[labelAt] ?? '-')));
  const labelW = labels.width;
  const groupHs = labels.lines.map((ls) => Math.max(valueAts.length * barH, ls.length * LINE_PX) + gap);
  const legendH = valueAts.length > 1 ? 22 : 0;
  const height = legendH + groupHs.reduce((a, b) => a + b, 0) + gap;
  const max = Math.max(0, ...table.rows.flatMap((r) => valueAts.map((i) => (typeof r[i] === 'number' ? (r[i] as number) : 0))));
  const defs = valueAts.map((_, s) => PATTERNS[s % PATTERNS.length]!(`${table.id}-p${s}`)).join('');
  const parts: string[] = [];
  let right = labelW + plotW;
  if (legendH > 0) {
    let x = labelW;
    valueAts.forEach((ci, s) => {
      const header = table.columns[ci]!.header;
      parts.push(`<rect x="${x}" y="4" width="14" height="14" fill="url(#${table.id}-p${s})" stroke="#222"/><text x="${x + 20}" y="16">${escapeXml(header)}</text>`);
      right = Math.max(right, x + 20 + textWidth(header));
      x += Math.max(150, 20 + textWidth(header) + 16);
    });
  }
  let y0 = legendH + gap;
  table.rows.forEach((r, ri) => {
    const lines = labels.lines[ri]!;
    const contentH = groupHs[ri]! - gap;
    // The label's lines centred on its group of bars, the bars centred on the label.
    const textTop = y0 + (contentH - lines.length * LINE_PX) / 2;
    const tx = labelW - LABEL_PAD_PX;
    const tspans = lines.map((l, k) => `<tspan x="${tx}" y="${(textTop + k * LINE_PX + LINE_PX * 0.75).toFixed(1)}">${escapeXml(l)}</tspan>`).join('');
    parts.push(`<text text-anchor="end">${tspans}</text>`);
    const barsTop = y0 + (contentH - valueAts.length * barH) / 2;
    valueAts.forEach((ci, s) => {
      const v = r[ci];
      const w = typeof v === 'number' && max > 0 ? Math.max(1, (v / max) * plotW) : 0;
      const y = barsTop + s * barH;
      const text = formatValue(v ?? null, table.columns[ci]!.kind);
      parts.push(`<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH - 3}" fill="url(#${table.id}-p${s})" stroke="#222" stroke-width="0.6"/>`);
      parts.push(`<text x="${(labelW + w + 6).toFixed(1)}" y="${y + barH - 5}">${escapeXml(text)}</text>`);
      right = Math.max(right, labelW + w + 6 + textWidth(text));
    });
    y0 += groupHs[ri]!;
  });
  const width = Math.ceil(right + LABEL_PAD_PX);
  return `${svgOpen(width, height)}<title>${escapeXml(`${table.title}: ${summary(table, labelAt, valueAts)}`)}</title><defs>${defs}</defs>${parts.join('')}</svg>`;
}

/** The axis labels are turned this far (anticlockwise), so long ones do not overlap each other. */
const AXIS_ANGLE = (30 * Math.PI) / 180;

/**
 * A line over the rows in order (oldest first), each point marked and labelled with its value. The margins
 * are sized from the text they hold: the turned axis labels hang left and down from their point, the value
 * labels are centred on theirs.
 */
function line(table: Table, labelAt: number, valueAt: number): string {
  const plotW = 630;
  const plotH = 176;
  const top = 24;
  const points = table.rows.map((r, i) => ({ label: String(r[labelAt] ?? ''), value: typeof r[valueAt] === 'number' ? (r[valueAt] as number) : null, i }));
  const known = points.filter((p) => p.value !== null).map((p) => p.value!);
  const max = known.length === 0 ? 1 : Math.max(...known) || 1;
  const kind = table.columns[valueAt]!.kind;
  // Label at most ~12 points on the axis so the text does not overlap; every point keeps its marker and title.
  const every = Math.max(1, Math.ceil(points.length / 12));
  const labelled = points.filter((p) => p.i % every === 0 || p.i === points.length - 1);
  const axisW = Math.max(0, ...labelled.map((p) => textWidth(p.label)));
  const valueW = Math.max(0, ...labelled.filter((p) => p.value !== null).map((p) => textWidth(formatValue(p.value, kind))));
  const left = Math.ceil(Math.max(60, textWidth(formatValue(max, kind)) + 6 + LABEL_PAD_PX, axisW * Math.cos(AXIS_ANGLE) + CHART_FONT_PX + LABEL_PAD_PX));
  const right = Math.ceil(Math.max(30, valueW / 2 + LABEL_PAD_PX));
  const bottom = Math.ceil(16 + axisW * Math.sin(AXIS_ANGLE) + CHART_FONT_PX + LABEL_PAD_PX);
  const width = left + plotW + right;
  const height = top + plotH + bottom;
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const x = (i: number) => left + (points.length > 1 ? i * step : plotW / 2);
  const y = (v: number) => top + (1 - v / max) * plotH;
  const parts = [
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#222"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#222"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${escapeXml(formatValue(max, kind))}</text>`,
    `<text x="${left - 6}" y="${height - bottom + 4}" text-anchor="end">${escapeXml(formatValue(0, kind))}</text>`,
  ];
  const path = points.filter((p) => p.value !== null).map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)} ${y(p.value!).toFixed(1)}`).join(' ');
  if (path) parts.push(`<path d="${path}" fill="none" stroke="#1f4e79" stroke-width="2" stroke-dasharray="6 3"/>`);
  for (const p of points) {
    if (p.value !== null) {
      parts.push(`<rect x="${(x(p.i) - 4).toFixed(1)}" y="${(y(p.value) - 4).toFixed(1)}" width="8" height="8" fill="#ffffff" stroke="#1f4e79" stroke-width="2"><title>${escapeXml(`${p.label}: ${formatValue(p.value, kind)}`)}</title></rect>`);
    }
  }
  for (const p of labelled) {
    parts.push(`<text x="${x(p.i).toFixed(1)}" y="${height - bottom + 16}" text-anchor="end" transform="rotate(-30 ${x(p.i).toFixed(1)} ${height - bottom + 16})">${escapeXml(p.label)}</text>`);
    if (p.value !== null) parts.push(`<text x="${x(p.i).toFixed(1)}" y="${(y(p.value) - 9).toFixed(1)}" text-anchor="middle">${escapeXml(formatValue(p.value, kind))}</text>`);
  }
  return `${svgOpen(width, height)}<title>${escapeXml(`${table.title}: ${summary(table, labelAt, [valueAt])}`)}</title>${parts.join('')}</svg>`;
}

export function chartOf(table: Table): string {
  const chart = table.chart;
  if (!chart || table.rows.length === 0) return '';
  const labelAt = columnIndex(table, chart.label);
  const valueAts = chart.values.map((k) => columnIndex(table, k));
  return chart.type === 'line' ? line(table, labelAt, valueAts[0]!) : bars(table, labelAt, valueAts);
}

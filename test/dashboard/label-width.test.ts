import { CHART_FONT_PX, LABEL_PAD_PX, MAX_LABEL_PX, labelColumn, textWidth, wrapLabel } from '../../src/dashboard/label-width';
import { chartOf } from '../../src/dashboard/svg';
import type { Table } from '../../src/dashboard/table';

/**
 * The rule that keeps chart text inside its SVG: the label column is sized from the widest label, estimated
 * from its characters at the chart's font size (generously), long labels wrap at spaces, and the chart is as
 * wide as its longest value text. The browser test checks the rendered boxes; this checks the rule itself.
 */

// Widths in em of a few strings in DejaVu Sans (the widest usual system-ui font, Debian's), as Chromium's
// canvas measureText gives them at 100 px: the estimate must never fall below them.
const DEJAVU: Array<[string, number]> = [
  ['Handed off (became sales_ready)', 16.812],
  ['Marketing qualified', 9.619],
  ['WWW', 2.966],
  ['2026-12-05T08:00:00.000Z', 13.825],
  ['100.0%', 3.813],
  ['Accepted (inferred: verdict or deal)', 17.577],
];

describe('textWidth', () => {
  test.each(DEJAVU)('"%s" is estimated at least as wide as DejaVu Sans draws it (%f em)', (s, em) => {
    expect(textWidth(s)).toBeGreaterThanOrEqual(em * CHART_FONT_PX);
    // Generous, not absurd: within half again of the real width.
    expect(textWidth(s)).toBeLessThanOrEqual(em * CHART_FONT_PX * 1.5);
  });

  test('the hand-off label that the old fixed 190 px column cut is given more room than that', () => {
    expect(textWidth('Handed off (became sales_ready)') + 2 * LABEL_PAD_PX).toBeGreaterThan(190);
  });

  test('scales with the font size and grows with every character', () => {
    expect(textWidth('abc', 24)).toBe(2 * textWidth('abc', 12));
    expect(textWidth('abcd')).toBeGreaterThan(textWidth('abc'));
    expect(textWidth('')).toBe(0);
  });
});

describe('wrapLabel and labelColumn', () => {
  const long = 'Sales ready to Accepted (inferred: verdict or deal)';
  const word = 'x'.repeat(60);
  test.each<[string, string[], number]>([
    // [case, labels, expected lines of the first label]
    ['short labels stay on one line', ['Lead', 'Won'], 1],
    ['a label wider than MAX_LABEL_PX wraps at spaces', [long, 'Lead'], 2],
    ['a single word wider than MAX_LABEL_PX keeps its own line', [word], 1],
  ])('%s; the column holds the widest line plus padding', (_case, labels, firstLines) => {
    const col = labelColumn(labels);
    expect(col.lines[0]).toHaveLength(firstLines);
    const lines = col.lines.flat();
    expect(col.width).toBe(Math.max(...lines.map((l) => textWidth(l))) + 2 * LABEL_PAD_PX);
    // Nothing is lost or reordered by wrapping.
    expect(col.lines.map((ls) => ls.join(' '))).toEqual(labels);
    for (const l of lines) if (l.includes(' ')) expect(textWidth(l)).toBeLessThanOrEqual(MAX_LABEL_PX);
  });

  test('a word longer than the limit widens the column instead of being cut', () => {
    expect(wrapLabel(`a ${word} b`)).toEqual(['a', word, 'b']);
    expect(labelColumn([word]).width).toBeGreaterThan(MAX_LABEL_PX);
  });
});

/** Each `<text>`'s estimated horizontal extent (from x, its anchor and the estimate), and the SVG's width. */
function textBoxes(svg: string): { width: number; boxes: Array<{ text: string; left: number; right: number }> } {
  const width = Number(/viewBox="0 0 (\d+(?:\.\d+)?) /.exec(svg)![1]);
  const boxes: Array<{ text: string; left: number; right: number }> = [];
  for (const m of svg.matchAll(/<text([^>]*)>(.*?)<\/text>/g)) {
    const attrs = m[1]!;
    const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start';
    const spans = [...m[2]!.matchAll(/<tspan x="([\d.]+)"[^>]*>(.*?)<\/tspan>/g)].map((t) => ({ x: Number(t[1]), text: t[2]! }));
    const pieces = spans.length > 0 ? spans : [{ x: Number(/ x="([\d.-]+)"/.exec(attrs)![1]), text: m[2]! }];
    for (const p of pieces) {
      const text = p.text.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
      const w = textWidth(text);
      const left = anchor === 'end' ? p.x - w : anchor === 'middle' ? p.x - w / 2 : p.x;
      boxes.push({ text, left, right: left + w });
    }
  }
  return { width, boxes };
}

describe('bar charts', () => {
  const table = (labels: string[], values: Array<number | null>, kind: 'count' | 'money' = 'count'): Table => ({
    id: 't',
    title: 'T',
    columns: [
      { key: 'label', header: 'Label', kind: 'text' },
      { key: 'value', header: 'Value', kind },
    ],
    rows: labels.map((l, i) => [l, values[i] ?? null]),
    chart: { type: 'bars', label: 'label', values: ['value'] },
  });

  test.each<[string, Table]>([
    ['the hand-off measures', table(['Handed off (became sales_ready)', 'Accepted verdicts (recorded)', 'In SLA breach now'], [250, 40, 12])],
    ['a label that wraps', table(['Sales ready to Accepted (inferred: verdict or deal), and a good deal more than that', 'Lead'], [3, 1])],
    ['a label of one very long word', table(['x'.repeat(90)], [5])],
    ['a long money value at the longest bar', table(['Lead'], [123_456_789_012.34], 'money')],
    ['unknown values', table(['Lead', 'Won'], [null, null])],
  ])('%s: every text is estimated inside the viewBox', (_case, t) => {
    const { width, boxes } = textBoxes(chartOf(t));
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(width);
    }
  });
});

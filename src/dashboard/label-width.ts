/**
 * How wide a chart's text will be, estimated on the server from its characters: the charts are SVG drawn
 * without a browser, and an SVG clips whatever leaves its viewBox, so each chart sizes its label room from
 * these estimates. They are deliberately generous (above DejaVu Sans, the widest usual sans-serif and Debian's
 * default for system-ui): too much room costs a few pixels, too little cuts a label.
 */

/** The charts' font size in px. The SVG sets it itself (and the stylesheet agrees), so the estimate holds. */
export const CHART_FONT_PX = 12;

/** Line height of wrapped labels, px. */
export const LINE_PX = Math.ceil(CHART_FONT_PX * 1.25);

/** Labels wider than this wrap at spaces; a single longer word widens the column instead of being cut. */
export const MAX_LABEL_PX = 260;

// Advance widths in em, rounded up over DejaVu Sans (i 0.28, r 0.41, a 0.61, n 0.63, O 0.79, m 0.97, W 0.99).
const NARROW = /[ilIjtfr.,:;'!|()[\]{} -]/;
const WIDE = /[mwMW%@&#+<>=~\u2e80-\uffff]/;
const UPPER = /[A-Z]/;

/** Estimated width in px of `s` on one line at `fontPx`. */
export function textWidth(s: string, fontPx: number = CHART_FONT_PX): number {
  let em = 0;
  for (const ch of s) em += NARROW.test(ch) ? 0.42 : WIDE.test(ch) ? 1.0 : UPPER.test(ch) ? 0.8 : 0.66;
  return Math.ceil(em * fontPx);
}

/** `s` in lines of at most `maxPx` each, broken at spaces; a word longer than `maxPx` keeps a line of its own. */
export function wrapLabel(s: string, maxPx: number = MAX_LABEL_PX, fontPx: number = CHART_FONT_PX): string[] {
  const words = s.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [s];
  const lines: string[] = [];
  let current = words[0]!;
  for (const word of words.slice(1)) {
    const joined = `${current} ${word}`;
    if (textWidth(joined, fontPx) <= maxPx) current = joined;
    else {
      lines.push(current);
      current = word;
    }
  }
  lines.push(current);
  return lines;
}

export interface LabelColumn {
  /** Width of the column in px, padding on both sides included: the bars start here. */
  width: number;
  /** Each label's lines, in the order given. */
  lines: string[][];
}

/** Room left of the text, and between the text's end and the bars. */
export const LABEL_PAD_PX = 8;

/** The bar chart's label column: as wide as its widest line (wrapped at MAX_LABEL_PX), plus padding each side. */
export function labelColumn(labels: readonly string[], fontPx: number = CHART_FONT_PX): LabelColumn {
  const lines = labels.map((l) => wrapLabel(l, MAX_LABEL_PX, fontPx));
  const widest = Math.max(0, ...lines.flat().map((l) => textWidth(l, fontPx)));
  return { width: widest + 2 * LABEL_PAD_PX, lines };
}

import { HEADER_FIGURES, lastDays, parseDay, type Period, type PeriodHeader } from '../metrics';
import { headerChangeText, headerValueText } from '../metrics/report-header';
import { escapeXml as escapeHtml } from './svg';

/**
 * The period on every page: the switch (a form and quick links; no script) and the header of the figures the
 * domain doc names, this period beside the previous one. The numbers are `headerFigures`' (the same as
 * `uld report`'s header), formatted as the report formats them.
 */

/**
 * The period as the page was asked for it: `explicit` when the address gave it, so every link carries it;
 * `today` (UTC, by the dashboard's clock) for the quick choices.
 */
export type PagePeriod = Period & { explicit: boolean; today: string };

/** `?from=&to=` for links when the address gave a period; '' for the default one (it moves with the days). */
export function periodQuery(p: PagePeriod | undefined, extra = ''): string {
  const parts = p?.explicit ? [`from=${p.from}`, `to=${p.to}`] : [];
  if (extra) parts.push(extra);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** The quick choices, each the given number of days ending today. */
const QUICK_DAYS = [30, 90, 365];

/** A GET form on the page itself (`path`) (no script: the browser builds the address) and links for the usual periods. */
export function periodSwitchHtml(path: string, p: PagePeriod): string {
  const todayMs = parseDay(p.today)!;
  const quick = QUICK_DAYS.map((n) => {
    const q = lastDays(n, todayMs);
    const current = q.from === p.from && q.to === p.to;
    return `<a href="${escapeHtml(path)}?from=${q.from}&amp;to=${q.to}" data-days="${n}"${current ? ' aria-current="true"' : ''}>last ${n} days</a>`;
  }).join(' · ');
  return `<form class="period" id="period-switch" method="get" action="${escapeHtml(path)}" aria-label="Period">
<label>From <input type="date" name="from" value="${escapeHtml(p.from)}" required></label>
<label>to <input type="date" name="to" value="${escapeHtml(p.to)}" required></label>
<button type="submit">Show period</button>
<span class="quick">${quick}</span>
</form>`;
}

/** The header: one row per figure with `data-figure` and raw `data-value`s (rates as fractions), for tools and tests. */
export function periodHeaderHtml(h: PeriodHeader | null | undefined, p: PagePeriod): string {
  if (!h) {
    return `<section id="period-header" aria-label="Header figures"><p class="note" id="period-header-pending">The header figures for ${escapeHtml(p.from)} to ${escapeHtml(p.to)} are being computed; reload in a few seconds.</p></section>`;
  }
  const cell = (key: string, value: number | null, text: string) => `<td data-key="${key}" data-value="${value === null ? '' : String(value)}">${escapeHtml(text)}</td>`;
  const rows = HEADER_FIGURES.map((f) => {
    const c = h.compare[f.key];
    return `<tr data-figure="${f.key}"><td data-key="figure" class="text">${escapeHtml(f.label)}</td>${cell('current', c.current, headerValueText(f.kind, c.current))}${cell('previous', c.previous, headerValueText(f.kind, c.previous))}${cell('change', c.change, headerChangeText(f.kind, c.change))}<td data-key="scope" class="text">${escapeHtml(f.scope)}</td></tr>`;
  }).join('');
  const prev = h.previous;
  return `<section id="period-header" aria-labelledby="period-header-title">
<h2 id="period-header-title">${escapeHtml(`${h.period.from} to ${h.period.to} (${h.period.days} days) vs previous ${prev.days} days (${prev.from} to ${prev.to})`)}</h2>
<table id="period-figures" data-from="${escapeHtml(h.period.from)}" data-to="${escapeHtml(h.period.to)}"><thead><tr><th scope="col">Figure</th><th scope="col">This period</th><th scope="col">Previous ${prev.days} days</th><th scope="col">Change</th><th scope="col">Counted over</th></tr></thead><tbody>${rows}</tbody></table>
<p class="note">Qualified pipeline: ${escapeHtml(`${h.period.qualifiedPipeline.qualified} of ${h.period.qualifiedPipeline.created} deals created`)} in the period. Rates change in percentage points. Definitions: docs/metrics.md, "Header figures".</p>
</section>`;
}

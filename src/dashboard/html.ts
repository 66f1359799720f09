import { createHash } from 'node:crypto';
import { periodHeaderHtml, periodQuery, periodSwitchHtml, type PagePeriod } from './period-html';
import { chartOf, escapeXml } from './svg';
import { formatValue, type Page, type Table } from './table';

/**
 * The pages' HTML: one layout, one stylesheet served by the app itself (/dashboard/assets/dashboard.css),
 * system fonts, no script. Every dynamic string goes through `escapeHtml`.
 */

export const escapeHtml = escapeXml;

export const NAV: ReadonlyArray<{ slug: string; title: string }> = [
  { slug: 'funnel', title: 'Funnel' },
  { slug: 'accounts', title: 'Accounts' },
  { slug: 'trend', title: 'Lead-to-opportunity trend' },
  { slug: 'cycle', title: 'Sales cycle and days in stage' },
  { slug: 'velocity', title: 'Pipeline velocity' },
  { slug: 'status', title: 'Status distribution' },
  { slug: 'handoff', title: 'Hand-off health' },
  { slug: 'decisions', title: 'Decisions' },
  { slug: 'operations', title: 'Dead letters and job runs' },
];

export const STYLESHEET = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111; background: #fafafa; }
body { margin: 0; }
header { background: #1f2933; color: #fff; padding: 0.6rem 1.2rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header a { color: #fff; }
header nav a { margin-right: 0.9rem; text-decoration: none; border-bottom: 2px solid transparent; }
header nav a[aria-current="page"] { border-bottom-color: #fff; font-weight: 600; }
header form { margin-left: auto; }
main { padding: 1rem 1.2rem 3rem; max-width: 1200px; }
h1 { font-size: 1.5rem; margin: 0.4rem 0; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 0.4rem; }
.meta, .note { color: #444; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.4rem 0; font-variant-numeric: tabular-nums; background: #fff; }
th, td { border: 1px solid #c8ccd0; padding: 0.25rem 0.55rem; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
th { background: #eef1f4; }
td.reasons { text-align: left; white-space: pre-line; font-size: 0.85rem; }
.chart { max-width: 100%; height: auto; font-size: 12px; }
.chart text { fill: #111; }
.csv { font-size: 0.85rem; }
form.search input[type=search] { width: 22rem; }
form.period { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; margin: 0.6rem 0; font-size: 0.9rem; }
form.period .quick a[aria-current] { font-weight: 600; }
#period-figures td[data-key="change"] { white-space: nowrap; }
#period-figures th:last-child { text-align: left; }
h3 { font-size: 1rem; margin: 0.9rem 0 0.2rem; }
ul.reasons { margin: 0.2rem 0; padding-left: 1.2rem; }
dl.card-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.card-facts dt { font-weight: 600; }
dl.card-facts dd { margin: 0; }
`;

const STYLESHEET_HASH = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12);
export const STYLESHEET_PATH = `/dashboard/assets/dashboard.${STYLESHEET_HASH}.css`;

function tableHtml(page: Page, table: Table): string {
  const head = table.columns.map((c) => `<th scope="col">${escapeHtml(c.header)}</th>`).join('');
  const body = table.rows
    .map((row) => {
      const cells = table.columns.map((c, i) => {
        const v = row[i] ?? null;
        const cls = c.key === 'reasons' ? 'reasons' : c.kind === 'text' ? 'text' : '';
        // data-value keeps the raw figure (rates as fractions) next to the formatted text, for tools and tests.
        const raw = v === null ? '' : String(v);
        const text = escapeHtml(formatValue(v, c.kind));
        const shown = c.link === 'contact' && v !== null ? `<a href="/dashboard/contacts/${encodeURIComponent(String(v))}${periodQuery(page.period)}">${text}</a>` : text;
        return `<td data-key="${escapeHtml(c.key)}" data-value="${escapeHtml(raw)}"${cls ? ` class="${cls}"` : ''}>${shown}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('');
  const empty = table.rows.length === 0 ? '<p class="note">Nothing to show yet.</p>' : '';
  return `<section aria-labelledby="${table.id}-title">
<h2 id="${table.id}-title">${escapeHtml(table.title)}</h2>
${table.note ? `<p class="note">${escapeHtml(table.note)}</p>` : ''}
${chartOf(table)}
<table id="${table.id}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${empty}
<p class="csv"><a href="/dashboard/${page.slug}/${table.id}.csv${periodQuery(page.period)}" download>Download ${escapeHtml(table.title)} as CSV</a> · <a href="/api/metrics/${page.slug}${periodQuery(page.period)}">JSON</a></p>
</section>`;
}

/** What the page's tables count, given its period; a stored snapshot counts every record whatever the period. */
function scopeText(page: Page): string {
  const p = page.period;
  if (!p) return '';
  if (page.figuresFrom === 'stored') return ` The tables below count every record (the metrics job's latest snapshot), not only ${p.from} to ${p.to}: this period's figures are being computed.`;
  if (p.scope === 'created') return ` The tables below count the contacts and deals created from ${p.from} to ${p.to}.`;
  if (p.scope === 'accounts') return ` The tables below count the accounts (companies) created from ${p.from} to ${p.to}, each judged on all its contacts and deals.`;
  if (p.scope === 'snapshots') return ` The table below lists the snapshots taken from ${p.from} to ${p.to}.`;
  return ' The tables below are not limited to the period.';
}

export function pageHtml(page: Page): string {
  // The search keeps the period: a hidden field for each end, so the form's GET carries it.
  const keep = page.period?.explicit ? `<input type="hidden" name="from" value="${escapeHtml(page.period.from)}"><input type="hidden" name="to" value="${escapeHtml(page.period.to)}">` : '';
  const search = page.search
    ? `<form class="search" method="get" action="/dashboard/decisions" role="search">${keep}<label>Contact email or record id <input type="search" name="q" value="${escapeHtml(page.search.query)}"></label> <button type="submit">Search</button></form>${page.search.message ? `<p class="note" id="search-message">${escapeHtml(page.search.message)}</p>` : ''}`
    : '';
  return layoutHtml(
    page.title,
    page.slug,
    `${page.period ? periodHeaderHtml(page.header, page.period) : ''}
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.intro)}</p>
${page.computedAt ? `<p class="meta">Figures computed from the mirror at <time id="computed-at" datetime="${escapeHtml(page.computedAt)}">${escapeHtml(page.computedAt)}</time>${page.figuresFrom === 'stored' ? ' by the metrics job (its latest snapshot; newer figures are being computed)' : ''}.${escapeHtml(scopeText(page))} Formulas: docs/metrics.md.</p>` : page.period ? `<p class="meta">${escapeHtml(scopeText(page).trim())}</p>` : ''}
${search}
${page.tables.map((t) => tableHtml(page, t)).join('\n')}`,
    page.period,
  );
}

/**
 * Every signed-in page: the header with the navigation (`current` marked; each link carries the period the
 * address gave), the period switch, then `main`, already escaped.
 */
export function layoutHtml(title: string, current: string, main: string, period?: PagePeriod, selfPath = `/dashboard/${current}`): string {
  const nav = NAV.map((n) => `<a href="/dashboard/${n.slug}${periodQuery(period)}"${n.slug === current ? ' aria-current="page"' : ''}>${escapeHtml(n.title)}</a>`).join('');
  const switcher = period ? periodSwitchHtml(selfPath, period) : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Universal Lead Definition</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}"></head>
<body>
<header><strong>ULD dashboard</strong><nav aria-label="Pages">${nav}</nav>
<form method="post" action="/dashboard/logout"><button type="submit">Sign out</button></form></header>
<main>
${switcher}
${main}
</main>
</body>
</html>
`;
}

/** The login page's own style, allowed by its hash in the CSP: the stylesheet itself needs a session. */
export const LOGIN_STYLE = 'body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}input{width:100%;padding:.4rem;margin:.4rem 0 1rem}';
export const LOGIN_STYLE_CSP = `'sha256-${createHash('sha256').update(LOGIN_STYLE).digest('base64')}'`;

export function loginHtml(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · ULD dashboard</title><style>${LOGIN_STYLE}</style></head>
<body>
<h1>ULD dashboard</h1>
<p id="login-message">${escapeHtml(message)}</p>
<form method="post" action="/dashboard/login">
<label for="token">Admin token (ADMIN_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

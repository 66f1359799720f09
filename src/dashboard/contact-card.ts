import type { CardHandOff, CardReason, CardView } from '../../card/src/contract';
import { slaText } from '../metrics/stats';
import { escapeHtml } from './html';

/**
 * The qualification card as the dashboard shows it (/dashboard/contacts/<id>): the same `CardView` the card
 * inside HubSpot renders, from the same view model, so the sandbox demo shows exactly what a rep sees. No
 * script (the dashboard's CSP allows none): the buttons are shown as the rep sees them, but the verdicts are
 * given inside HubSpot, where HubSpot signs them as the rep's.
 */

const VERDICT_LABEL: Record<string, string> = {
  accepted: 'Accepted',
  rejected_misrouted: 'Rejected: misrouted',
  rejected_bad_data: 'Rejected: bad data',
  rejected_below_definition: 'Rejected: below definition',
};

const iso = (t: string) => `<time datetime="${escapeHtml(t)}">${escapeHtml(`${t.slice(0, 16).replace('T', ' ')} UTC`)}</time>`;

function reasonList(id: string, title: string, reasons: CardReason[]): string {
  if (reasons.length === 0) return '';
  const items = reasons
    // The sentence already says the points ("+10 fit: …"); data-points keeps the number for tools.
    .map((r) => `<li data-ref="${escapeHtml(r.ref)}"${r.points !== undefined ? ` data-points="${escapeHtml(String(r.points))}"` : ''}>${escapeHtml(r.text)}</li>`)
    .join('');
  return `<section aria-labelledby="${id}-title"><h3 id="${id}-title">${escapeHtml(title)} (${reasons.length})</h3><ul id="${id}" class="reasons">${items}</ul></section>`;
}

function handOffHtml(h: CardHandOff): string {
  const mode = h.mode === 'lead' ? 'a Lead' : h.mode === 'task' ? 'a task' : 'no HubSpot record';
  const clock =
    h.verdict !== null
      ? `Verdict: <strong id="verdict">${escapeHtml(VERDICT_LABEL[h.verdict] ?? h.verdict)}</strong>${h.verdictAt ? ` at ${iso(h.verdictAt)}` : ''}${h.verdictBy ? ` by ${escapeHtml(h.verdictBy)}` : ''}`
      : h.breached
        ? `<strong id="sla-state">SLA breached</strong>: due ${iso(h.dueAt)}, ${escapeHtml(String(Math.abs(Math.round(h.hoursLeft ?? 0))))} h overdue`
        : `<span id="sla-state">Within SLA</span>: due ${iso(h.dueAt)}, ${escapeHtml(String(Math.round(h.hoursLeft ?? 0)))} h left`;
  return `<section aria-labelledby="handoff-title"><h2 id="handoff-title">Hand-off</h2>
<dl class="card-facts">
<dt>Handed off</dt><dd>${iso(h.handedOffAt)} as ${mode}</dd>
<dt>Owner</dt><dd id="handoff-owner">${h.ownerId === null ? 'nobody assigned' : `HubSpot owner ${escapeHtml(h.ownerId)}`}</dd>
<dt>SLA (${escapeHtml(slaText(h.slaHours))})</dt><dd>${clock}</dd>
</dl></section>`;
}

export function contactCardHtml(view: CardView): string {
  // Rungs may set different dimensions (a total-only rung): one column per dimension any rung sets.
  const dimensions = (['fit', 'engagement', 'total'] as const).filter((d) => view.ladder.some((rung) => rung.thresholds.some((t) => t.dimension === d)));
  const ladder = view.ladder
    .map((rung) => {
      const dims = dimensions
        .map((d) => {
          const t = rung.thresholds.find((x) => x.dimension === d);
          return t === undefined ? `<td data-dimension="${d}">-</td>` : `<td data-dimension="${d}">${escapeHtml(`${t.actual} / ${t.required}`)}${t.shortBy > 0 ? ` <span class="meta">(${escapeHtml(String(t.shortBy))} short)</span>` : ''}</td>`;
        })
        .join('');
      return `<tr data-rung="${rung.status}"><td class="text">${escapeHtml(rung.label)}</td><td class="text">${rung.met ? 'met' : 'not met'}</td>${dims}</tr>`;
    })
    .join('');
  const next = view.next
    ? `<p id="next">To reach <strong>${escapeHtml(view.next.label)}</strong>: ${view.next.needs.length === 0 ? 'nothing the definition can name' : `<ul id="next-needs">${view.next.needs.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`}</p>`
    : '<p id="next">Top of the ladder: sales ready.</p>';
  const buttons = [
    view.actions.accept ? '<button type="button" disabled>Accept</button>' : '',
    view.actions.reject ? '<button type="button" disabled>Reject: misrouted</button> <button type="button" disabled>Reject: bad data</button> <button type="button" disabled>Reject: below definition</button>' : '',
    view.actions.reEvaluate ? '<button type="button" disabled>Re-evaluate now</button>' : '',
  ].filter((b) => b !== '');
  const history = view.history
    .map((e) => `<tr data-origin="${e.origin}"><td>${e.origin === 'before_history' ? 'by ' : ''}${iso(e.at)}</td><td class="text">${escapeHtml(e.from ?? '(none)')}</td><td class="text">${escapeHtml(e.to)}</td><td>${escapeHtml(String(e.totalScore))}</td><td class="text">${escapeHtml(e.definitionVersion)}</td><td class="text">${HOW_KNOWN[e.origin]}</td></tr>`)
    .join('');
  const r = view.reasons;
  return `<h1>Contact ${escapeHtml(view.contactId)}: <span id="card-status" data-status="${view.status}">${escapeHtml(view.statusLabel)}</span></h1>
<p class="meta">The qualification card, as a rep sees it on the contact record in HubSpot. Definition <span id="definition-version">${escapeHtml(view.definitionVersion)}</span>, evaluated ${iso(view.evaluatedAt)}${view.reEvaluationPending ? '; a re-evaluation is queued' : ''}.</p>
<p id="scores">Score <strong data-score="total">${escapeHtml(String(view.scores.total))}</strong> (fit <span data-score="fit">${escapeHtml(String(view.scores.fit))}</span>, engagement <span data-score="engagement">${escapeHtml(String(view.scores.engagement))}</span>)</p>
<table id="ladder"><thead><tr><th scope="col">Status</th><th scope="col">Thresholds</th>${dimensions.map((d) => `<th scope="col">${d}</th>`).join('')}</tr></thead><tbody>${ladder}</tbody></table>
${next}
${view.handOff ? handOffHtml(view.handOff) : ''}
${buttons.length > 0 ? `<p id="card-actions">${buttons.join(' ')} <span class="note">Reps act on the card inside HubSpot.</span></p>` : ''}
<section aria-labelledby="reasons-title"><h2 id="reasons-title">Why</h2>
${reasonList('reasons-status', 'Status', r.status)}
${reasonList('reasons-disqualifiers', 'Disqualifiers', r.disqualifiers)}
${reasonList('reasons-missing', 'Missing data', r.missing)}
${reasonList('reasons-fit', 'Fit', r.fit)}
${reasonList('reasons-engagement', 'Engagement (after decay)', r.engagement)}
${reasonList('reasons-other', 'Other', r.other)}
</section>
<section aria-labelledby="history-title"><h2 id="history-title">Status history</h2>
<table id="status-history"><thead><tr><th scope="col">Decided</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Score</th><th scope="col">Definition</th><th scope="col">How known</th></tr></thead><tbody>${history}</tbody></table>
<p class="csv"><a href="/dashboard/decisions?q=${encodeURIComponent(view.contactId)}">Every decision with its reasons</a></p></section>`;
}

/** How each status date is known (docs/replay.md), in words. */
const HOW_KNOWN: Record<CardView['history'][number]['origin'], string> = {
  live: 'seen as it happened',
  first_look: 'held when first seen',
  replayed: 'replayed from HubSpot history',
  before_history: 'held before the kept history (date unknown)',
};

import { evaluate, STATUSES, type CompiledDefinition, type LeadStatus } from '../definition';
import { factsUsed, renderFactsUsed, TODAY_ONLY, type FactsNote, type FactsUsed } from './as-of';
import { formatRate, proportion, type Proportion } from './evidence';
import type { LeadOutcome } from './outcomes';
import type { AccountWhatIf } from './what-if-accounts';
import type { LeadFacts } from './lead-facts';

/**
 * `uld what-if`: the current and a candidate definition evaluated over the same leads, nothing written. The
 * transition matrix says how many leads move from each status to each other; the conversion columns say
 * how the leads of each status converted historically, so an admin sees whether `sales_ready` got more
 * precise before publishing. Pure: leads, outcomes and `now` come in.
 */


export interface StatusConversion {
  leads: number;
  /** Leads with an outcome in the mirror (the others are not counted in the rates). */
  known: number;
  opportunity: Proportion;
  won: Proportion;
}

export interface WhatIfResult {
  current: { name: string; version: string };
  candidate: { name: string; version: string };
  total: number;
  /** matrix[from][to]: leads with status `from` now and `to` under the candidate. */
  matrix: Record<LeadStatus, Record<LeadStatus, number>>;
  /** Up to `examplesPerCell` leads behind each non-empty cell, keyed `from->to`. */
  examples: Record<string, Array<{ id: string; email: string | null }>>;
  moved: number;
  conversion: { current: Record<LeadStatus, StatusConversion>; candidate: Record<LeadStatus, StatusConversion> };
  /** Which facts judged the leads (as of conversion or today's), and how many of each. */
  facts: FactsUsed;
  /** The accounts' transition matrix, when either definition has an `accounts` section (./what-if-accounts.ts). */
  accounts?: AccountWhatIf;
}

const byStatus = <T>(make: () => T) => Object.fromEntries(STATUSES.map((s) => [s, make()])) as Record<LeadStatus, T>;

export function whatIf(current: CompiledDefinition, candidate: CompiledDefinition, leads: readonly LeadFacts[], outcomes: ReadonlyMap<string, LeadOutcome>, now: number, options: { examplesPerCell?: number; facts?: FactsNote } = {}): WhatIfResult {
  const perCell = options.examplesPerCell ?? 3;
  const matrix = byStatus(() => byStatus(() => 0));
  const examples: WhatIfResult['examples'] = {};
  const tally = { current: byStatus(() => ({ leads: 0, known: 0, opp: 0, won: 0 })), candidate: byStatus(() => ({ leads: 0, known: 0, opp: 0, won: 0 })) };
  let moved = 0;
  for (const lead of leads) {
    const at = lead.at ?? now;
    const from = evaluate(current, lead.contact, lead.company, at).status;
    const to = evaluate(candidate, lead.contact, lead.company, at).status;
    matrix[from][to] += 1;
    if (from !== to) moved += 1;
    const cell = (examples[`${from}->${to}`] ??= []);
    if (cell.length < perCell) cell.push({ id: lead.id, email: lead.email });
    const outcome = outcomes.get(lead.id);
    for (const [side, status] of [['current', from], ['candidate', to]] as const) {
      const t = tally[side][status];
      t.leads += 1;
      if (!outcome) continue;
      t.known += 1;
      if (outcome.opportunity) t.opp += 1;
      if (outcome.won) t.won += 1;
    }
  }
  const conversion = (side: 'current' | 'candidate') =>
    Object.fromEntries(STATUSES.map((s) => {
      const t = tally[side][s];
      return [s, { leads: t.leads, known: t.known, opportunity: proportion(t.opp, t.known), won: proportion(t.won, t.known) }];
    })) as Record<LeadStatus, StatusConversion>;
  return {
    current: { name: current.name, version: current.version },
    candidate: { name: candidate.name, version: candidate.version },
    total: leads.length,
    matrix,
    examples,
    moved,
    conversion: { current: conversion('current'), candidate: conversion('candidate') },
    facts: factsUsed(options.facts ?? TODAY_ONLY, leads),
  };
}

const pct = formatRate;

export function renderWhatIf(r: WhatIfResult): string {
  const out: string[] = [];
  out.push(`What if "${r.candidate.name}" (version ${r.candidate.version}) replaced "${r.current.name}" (version ${r.current.version}): ${r.total} leads evaluated, nothing written.`);
  out.push(`${r.moved} leads (${r.total === 0 ? 0 : ((100 * r.moved) / r.total).toFixed(1)}%) would change status.`);
  out.push(...renderFactsUsed(r.facts), '');
  const width = 20;
  out.push(`${'now \\ candidate'.padEnd(width)}${STATUSES.map((s) => s.padStart(width)).join('')}${'total'.padStart(9)}`);
  for (const from of STATUSES) {
    const row = STATUSES.map((to) => r.matrix[from][to]);
    out.push(`${from.padEnd(width)}${row.map((n) => String(n).padStart(width)).join('')}${String(row.reduce((a, b) => a + b, 0)).padStart(9)}`);
  }
  const columns = STATUSES.map((to) => STATUSES.reduce((n, from) => n + r.matrix[from][to], 0));
  out.push(`${'total'.padEnd(width)}${columns.map((n) => String(n).padStart(width)).join('')}${String(r.total).padStart(9)}`);

  const moves = Object.entries(r.examples).filter(([cell]) => cell.split('->')[0] !== cell.split('->')[1]);
  if (moves.length > 0) {
    out.push('\nExamples behind each move (`uld evaluate` or the contact record shows the reasons):');
    for (const [cell, leads] of moves) {
      const [from, to] = cell.split('->') as [LeadStatus, LeadStatus];
      out.push(`  ${from} -> ${to} (${r.matrix[from][to]}): ${leads.map((l) => (l.email ? `${l.id} <${l.email}>` : l.id)).join(', ')}`);
    }
  }

  out.push('\nHow the leads of each status converted historically (from the mirror; 95% intervals):');
  out.push(`${'status'.padEnd(width)}${'now: leads'.padStart(12)}${'to opportunity'.padStart(24)}${'won'.padStart(22)}   |${'candidate: leads'.padStart(18)}${'to opportunity'.padStart(24)}${'won'.padStart(22)}`);
  for (const s of [...STATUSES].reverse()) {
    const a = r.conversion.current[s];
    const b = r.conversion.candidate[s];
    out.push(`${s.padEnd(width)}${String(a.leads).padStart(12)}${pct(a.opportunity).padStart(24)}${pct(a.won).padStart(22)}   |${String(b.leads).padStart(18)}${pct(b.opportunity).padStart(24)}${pct(b.won).padStart(22)}`);
  }
  const unknown = r.total - STATUSES.reduce((n, s) => n + r.conversion.current[s].known, 0);
  if (unknown > 0) out.push(`(${unknown} leads are not in the mirror yet and count in no rate; run \`uld backfill\`.)`);
  const now = r.conversion.current.sales_ready.opportunity.rate;
  const next = r.conversion.candidate.sales_ready.opportunity.rate;
  if (now !== null && next !== null) {
    out.push(`\nsales_ready precision (lead to opportunity): ${(100 * now).toFixed(1)}% now, ${(100 * next).toFixed(1)}% with the candidate (${next > now ? 'more precise' : next < now ? 'less precise' : 'the same'}).`);
  }
  return `${out.join('\n')}\n`;
}

export function whatIfJson(r: WhatIfResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

import type { AsOfFactsRow } from '../store/types';
import type { LeadOutcome } from './outcomes';
import type { LeadFacts } from './lead-facts';

/**
 * Which facts `uld what-if` and `uld calibrate` judge a lead with. Judged on today's facts, a converted lead
 * carries what happened after it converted (engagement logged while sales worked it), so a rule that only
 * matches after conversion looks predictive. With `as-of` (the default) each converted lead is judged with
 * the facts it had at its first deal's creation, as the history replay stored them; the others, and every
 * lead under `--facts today`, with today's. Pure.
 */

export const FACTS_MODES = ['as-of', 'today'] as const;
export type FactsMode = (typeof FACTS_MODES)[number];

/** What the command knows before judging: the mode, what the store holds, what the stored facts miss. */
export interface FactsNote {
  mode: FactsMode;
  /** Rows of as-of facts in the store; 0 when no history replay has run. */
  storedAsOf: number;
  /**
   * Properties read (`company.` prefixed for companies) that the stored as-of facts of some lead judged as of
   * conversion do not cover: their value is today's even for those leads. Sorted.
   */
  todayOnly: string[];
}

/** Stated in the output (table and JSON): which facts judged the leads, and how many of each. */
export interface FactsUsed extends FactsNote {
  /** Leads judged with the facts they had at their first deal's creation. */
  leadsAsOfConversion: number;
  /** Leads judged with today's facts. */
  leadsToday: number;
}

export const TODAY_ONLY: FactsNote = { mode: 'today', storedAsOf: 0, todayOnly: [] };

/**
 * The leads as they are to be judged. In `as-of` mode, a lead that converted (the mirror has a deal for it)
 * and has stored as-of facts gets them over today's, and `at`, its first deal's creation, as the instant to
 * judge at (day windows and decay count from then). Properties the stored facts lack keep today's value and
 * are named in `todayOnly`: saying so beats mixing silently. HubSpot keeps no association history, so the
 * company is today's primary one in both.
 */
export function factsForJudging(
  leads: readonly LeadFacts[],
  stored: ReadonlyMap<string, AsOfFactsRow>,
  outcomes: ReadonlyMap<string, LeadOutcome>,
  mode: FactsMode,
  read: { contact: readonly string[]; company: readonly string[] },
): { leads: LeadFacts[]; note: FactsNote } {
  if (mode === 'today') return { leads: [...leads], note: { ...TODAY_ONLY, storedAsOf: stored.size } };
  const todayOnly = new Set<string>();
  const judged = leads.map((lead): LeadFacts => {
    const row = stored.get(lead.id);
    // A lead whose deals are gone from the mirror did not convert: there is no conversion to judge it at.
    if (!row || outcomes.get(lead.id)?.opportunity !== true) return lead;
    for (const p of read.contact) if (!(p in row.contact)) todayOnly.add(p);
    if (row.company !== null || lead.company !== null) {
      for (const p of read.company) if (row.company === null || !(p in row.company)) todayOnly.add(`company.${p}`);
    }
    const company = row.company === null ? lead.company : { ...(lead.company ?? {}), ...row.company };
    return { ...lead, contact: { ...lead.contact, ...row.contact }, company, at: row.asOf };
  });
  return { leads: judged, note: { mode, storedAsOf: stored.size, todayOnly: [...todayOnly].sort() } };
}

/** The note with the counts of the leads actually judged. */
export function factsUsed(note: FactsNote, judged: ReadonlyArray<Pick<LeadFacts, 'at'>>): FactsUsed {
  const asOf = judged.filter((l) => l.at !== undefined).length;
  return { ...note, leadsAsOfConversion: asOf, leadsToday: judged.length - asOf };
}

/** One or two lines for the table output: the facts used, and the properties read as they are today. */
export function renderFactsUsed(f: FactsUsed, outside: ReadonlySet<string> = new Set()): string[] {
  const lines: string[] = [];
  if (f.mode === 'today') {
    lines.push(`Facts: today's for every lead (--facts today): a rule that only matches after conversion looks predictive.`);
    return lines;
  }
  const total = f.leadsAsOfConversion + f.leadsToday;
  lines.push(
    `Facts: as of conversion (the first deal's creation) for ${f.leadsAsOfConversion} of ${total} leads; today's for ${f.leadsToday} (no deal${f.storedAsOf === 0 ? '; no history replay has run' : ', or no stored as-of facts'}).`,
  );
  const inside = f.todayOnly.filter((p) => !outside.has(p));
  const outsideCount = f.todayOnly.length - inside.length;
  const parts = [
    ...(inside.length > 0 ? [`${inside.join(', ')} (not in the stored as-of facts)`] : []),
    ...(outsideCount > 0 ? [`the ${outsideCount} ${outsideCount === 1 ? 'property' : 'properties'} outside the definition tested below`] : []),
  ];
  if (parts.length > 0) lines.push(`Today's values even for leads judged as of conversion: ${parts.join('; ')}.`);
  return lines;
}

/** The stderr note when the store has no as-of facts at all (as-of mode only). */
export const NO_AS_OF_FACTS_NOTE = 'note: the store has no as-of facts (no history replay has run), so every lead is judged on today\'s facts; `uld backfill` or `uld replay` keeps them';

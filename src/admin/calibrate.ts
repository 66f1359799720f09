import { evaluate, type CompiledDefinition } from '../definition';
import type { AccountCalibration } from './calibrate-accounts';
import { byEvidence, evidenceHeader, evidenceRow, judgedRows, judgeRule, split, type RuleEvidence } from './rule-evidence';
import { factsUsed, renderFactsUsed, TODAY_ONLY, type FactsNote, type FactsUsed } from './as-of';
import { formatLift, formatRate, lift, proportion, twoProportionZ, type Lift, type Proportion } from './evidence';
import type { LeadOutcome } from './outcomes';
import type { LeadFacts } from './lead-facts';

/**
 * `uld calibrate`: how each criterion of the definition relates to conversion (lead to opportunity) in the
 * portal's own history, which criteria do not predict it, which properties outside the definition do, and
 * the point changes that would follow. Suggestions are printed, never applied: the definition is a reviewed
 * file that sales and marketing agree on. Pure.
 */

export interface CriterionEvidence extends RuleEvidence {
  kind: 'fit' | 'engagement' | 'disqualifier';
  /** Suggested points (fit and engagement), or a sentence for disqualifiers; null when nothing to change. */
  suggestion: string | null;
}

export interface CandidateProperty {
  objectType: 'contacts' | 'companies';
  name: string;
  type: string;
}

export interface PropertyEvidence {
  /** `jobtitle`, or `company.industry`. */
  property: string;
  /** The segment that stands out: a value, `>= median`, or `(empty)`. */
  segment: string;
  segmentLeads: Proportion;
  rest: Proportion;
  lift: Lift;
  z: number;
}

export interface CalibrationResult {
  leads: number;
  /** Leads left out as too young to have converted (created within `minAgeDays`). */
  tooYoung: number;
  /** Leads without an outcome in the mirror. */
  unknown: number;
  baseline: Proportion;
  /** Strongest evidence first: by the lower bound of the lift (disqualifiers and penalties by the upper bound, inverted). */
  criteria: CriterionEvidence[];
  /** Properties outside the definition whose values predict conversion, strongest first. */
  properties: PropertyEvidence[];
  /** Candidate properties skipped because their values are free text (too many distinct values). */
  freeText: string[];
  /** Which facts judged the leads (as of conversion or today's), counted over the judged leads. */
  facts: FactsUsed;
  /** The account rules' evidence, when the definition has an `accounts` section (./calibrate-accounts.ts). */
  accounts?: AccountCalibration;
}

export interface CalibrateOptions {
  /** Leave out leads created fewer than this many days before `now` (default 30): they had no time to convert. */
  minAgeDays?: number;
  /** A criterion or segment needs this many matching leads to be judged (default 30). */
  minSupport?: number;
  /** |z| for a criterion's verdict (default 2.58, 99% two-sided). */
  z?: number;
  /** |z| for naming a property outside the definition (default 4: many values are tried, so the bar is higher). */
  propertyZ?: number;
  /** Properties outside the definition to test. */
  candidates?: readonly CandidateProperty[];
  /** More distinct values than this and a string property counts as free text (default 40). */
  maxDistinct?: number;
  /** Which facts the leads carry (see ./as-of); default: today's for every lead. */
  facts?: FactsNote;
}

const DAY_MS = 86_400_000;

export function calibrate(def: CompiledDefinition, leads: readonly LeadFacts[], outcomes: ReadonlyMap<string, LeadOutcome>, now: number, options: CalibrateOptions = {}): CalibrationResult {
  const minAge = (options.minAgeDays ?? 30) * DAY_MS;
  const minSupport = options.minSupport ?? 30;
  const zCrit = options.z ?? 2.58;
  const rows = judgedRows(leads, outcomes, now, minAge, (lead) => evaluate(def, lead.contact, lead.company, lead.at ?? now).reasons, ['fit', 'engagement', 'disqualifier']);
  const { tooYoung, unknown } = rows;
  const judged = rows.judged.map((j) => ({ lead: j.item, converted: j.converted, refs: j.refs }));
  const baseline = proportion(judged.filter((j) => j.converted).length, judged.length);

  const criteria: CriterionEvidence[] = [];
  const all = [
    ...def.fit.map((c) => ({ kind: 'fit' as const, id: c.id, label: c.label, points: c.points })),
    ...def.engagement.map((c) => ({ kind: 'engagement' as const, id: c.id, label: c.label, points: c.points })),
    ...def.disqualifiers.map((d) => ({ kind: 'disqualifier' as const, id: d.id, label: d.reason, points: null })),
  ];
  for (const c of all) {
    const key = `${c.kind}:${c.id}`;
    const { yes, no } = split(judged, (j) => j.refs.has(key));
    criteria.push({ ...c, matched: yes, unmatched: no, ...judgeRule(c, yes, no, minSupport, zCrit), suggestion: null });
  }
  suggest(criteria);
  criteria.sort(byEvidence);

  const { properties, freeText } = propertyEvidence(judged, options.candidates ?? [], minSupport, options.propertyZ ?? 4, options.maxDistinct ?? 40);
  const facts = factsUsed(options.facts ?? TODAY_ONLY, judged.map((j) => j.lead));
  return { leads: leads.length, tooYoung, unknown, baseline, criteria, properties, freeText, facts };
}

/**
 * Points in proportion to the log of the lift (what a logistic model's weight measures), scaled so each
 * kind keeps its total points and the ladder's thresholds keep their meaning; rounded to 5. Criteria without
 * evidence are suggested 0; a backwards one is flagged for removal.
 */
function suggest(criteria: CriterionEvidence[]): void {
  for (const kind of ['fit', 'engagement'] as const) {
    // Rewards and penalties are scaled apart: each keeps its own total, so neither swallows the other.
    for (const sign of [1, -1]) {
      const group = criteria.filter((c) => c.kind === kind && c.verdict !== 'too few' && Math.sign(c.points ?? 0) === sign);
      const weight = (c: CriterionEvidence) => (c.verdict === 'predicts' && c.lift.lift !== null && c.lift.lift > 0 ? Math.max(0, sign * Math.log(c.lift.lift)) : 0);
      const totalWeight = group.reduce((s, c) => s + weight(c), 0);
      const totalPoints = group.reduce((s, c) => s + Math.abs(c.points ?? 0), 0);
      for (const c of group) {
        if (c.verdict === 'backwards') {
          c.suggestion = sign > 0 ? 'remove: matching leads convert less than the others' : 'remove: the leads it penalises convert more than the others';
          continue;
        }
        const points = sign * (totalWeight === 0 ? 0 : Math.round((totalPoints * weight(c)) / totalWeight / 5) * 5);
        if (points !== c.points) c.suggestion = `${c.points} -> ${points} points`;
      }
    }
  }
  for (const c of criteria) {
    if (c.kind !== 'disqualifier') continue;
    if (c.verdict === 'no evidence') c.suggestion = 'review: the leads it disqualifies convert about as often as the others';
    if (c.verdict === 'backwards') c.suggestion = 'review: the leads it disqualifies convert more often than the others (keep it only if it exists for another reason, such as existing customers)';
  }
}

function propertyEvidence(judged: ReadonlyArray<{ lead: LeadFacts; converted: boolean }>, candidates: readonly CandidateProperty[], minSupport: number, zCrit: number, maxDistinct: number): { properties: PropertyEvidence[]; freeText: string[] } {
  const properties: PropertyEvidence[] = [];
  const freeText: string[] = [];
  const withCompany = judged.filter((j) => j.lead.company !== null);
  for (const candidate of candidates) {
    const label = candidate.objectType === 'companies' ? `company.${candidate.name}` : candidate.name;
    // A company property is judged among leads with a company: otherwise every one of them would "predict"
    // through the leads without any company, which is one fact (and the required-data rule's business).
    const rows = candidate.objectType === 'companies' ? withCompany : judged;
    const valueOf = (lead: LeadFacts): string | null => {
      const raw = candidate.objectType === 'companies' ? lead.company?.[candidate.name] : lead.contact[candidate.name];
      return raw === null || raw === undefined || raw === '' ? null : raw;
    };
    let segments: Array<{ name: string; test: (v: string | null) => boolean }>;
    if (candidate.type === 'number') {
      const values = rows.flatMap((j) => {
        const v = valueOf(j.lead);
        return v === null || !Number.isFinite(Number(v)) ? [] : [Number(v)];
      }).sort((a, b) => a - b);
      if (values.length === 0) continue;
      // Quartiles, each against the rest: an effect inside a band (50 to 5,000 employees) shows as well as a
      // monotone one, which a single split at the median would blur.
      const q = [0.25, 0.5, 0.75].map((f) => values[Math.floor(f * (values.length - 1))]!);
      const bounds = [-Infinity, ...q, Infinity];
      segments = [0, 1, 2, 3]
        .filter((i) => bounds[i]! < bounds[i + 1]!)
        .map((i) => ({
          name: i === 0 ? `< ${q[0]}` : i === 3 ? `>= ${q[2]}` : `${bounds[i]} to < ${bounds[i + 1]}`,
          test: (v: string | null) => v !== null && Number(v) >= bounds[i]! && Number(v) < bounds[i + 1]!,
        }));
      segments.push({ name: '(empty)', test: (v) => v === null });
    } else {
      const distinct = new Set(rows.map((j) => valueOf(j.lead)?.trim().toLowerCase() ?? null));
      if (distinct.size > maxDistinct) {
        freeText.push(label);
        continue;
      }
      segments = [...distinct].map((d) => ({ name: d ?? '(empty)', test: (v) => (v?.trim().toLowerCase() ?? null) === d }));
    }
    let best: PropertyEvidence | undefined;
    for (const s of segments) {
      const { yes, no } = split(rows, (j) => s.test(valueOf(j.lead)));
      if (yes.n < minSupport || no.n < minSupport) continue;
      const z = twoProportionZ(yes, no);
      if (Math.abs(z) < zCrit) continue;
      if (!best || Math.abs(z) > Math.abs(best.z)) best = { property: label, segment: s.name, segmentLeads: yes, rest: no, lift: lift(yes, no), z };
    }
    if (best) properties.push(best);
  }
  properties.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  return { properties, freeText };
}

const pct = formatRate;

export function renderCalibration(r: CalibrationResult, def: Pick<CompiledDefinition, 'name' | 'version' | 'contactProperties' | 'companyProperties'>): string {
  const out: string[] = [];
  out.push(`Calibration of "${def.name}" (version ${def.version}) against the portal's history: lead to opportunity.`);
  out.push(`${r.baseline.n} leads judged, ${pct(r.baseline)} converted; left out: ${r.tooYoung} too young to have converted, ${r.unknown} not in the mirror.`);
  const inputs = new Set([...def.contactProperties, ...def.companyProperties.map((p) => `company.${p}`)]);
  out.push(...renderFactsUsed(r.facts, new Set(r.facts.todayOnly.filter((p) => !inputs.has(p)))), '');
  out.push(evidenceHeader('criterion', 28));
  for (const c of r.criteria) out.push(evidenceRow(c, 28));
  const weak = r.criteria.filter((c) => c.verdict === 'no evidence' || c.verdict === 'backwards');
  out.push(weak.length === 0 ? '\nEvery judged criterion predicts conversion.' : `\nDo not predict conversion: ${weak.map((c) => `${c.id} (${c.verdict})`).join(', ')}.`);
  const suggestions = r.criteria.filter((c) => c.suggestion !== null);
  if (suggestions.length > 0) {
    out.push('\nSuggested changes (printed, never applied; edit the definition, review it, then `uld what-if`):');
    for (const c of suggestions) out.push(`  ${c.id}: ${c.suggestion}`);
  }
  if (r.properties.length > 0) {
    out.push('\nProperties outside the definition that predict conversion:');
    for (const p of r.properties) out.push(`  ${p.property} = ${p.segment}: ${p.segmentLeads.n} leads, ${pct(p.segmentLeads)} vs ${pct(p.rest)} for the rest, lift ${formatLift(p.lift)}`);
  } else out.push('\nNo property outside the definition stands out.');
  if (r.freeText.length > 0) out.push(`(Free-text properties not tested: ${r.freeText.join(', ')}.)`);
  return `${out.join('\n')}\n`;
}

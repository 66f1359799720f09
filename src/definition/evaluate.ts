import type { CompiledCriterion, CompiledDefinition } from './compile';
import { loadValues, type DataProblem, type EvalContext } from './conditions';
import { climb, DecayedReason, DisqualifierReason, StatusReason, UndatedReason } from './reasons';
import { LIFECYCLE_STAGES } from './schema';
import type { Decision, Facts, LeadStatus, Reason } from './types';
import { DAY_MS, formatPoints, parseTimestamp, round2 } from './values';

/**
 * Qualifies one contact. Pure: the same definition, facts and `now` (epoch ms) give the same decision.
 * It never throws on odd data: unreadable numbers and dates become reasons and the rule is not applied.
 * Scores are computed even for disqualified and needs-data leads so a rep sees the whole picture.
 */
export function evaluate(def: CompiledDefinition, contact: Facts, company: Facts | null | undefined, now: number): Decision {
  if (!Number.isFinite(now)) throw new TypeError(`evaluate: now must be epoch milliseconds, got ${String(now)}`);
  const companyFacts = company ?? null;
  const ctx: EvalContext = { contact, company: companyFacts, now, rule: '', problems: null, caps: null, values: loadValues(def.load, contact, companyFacts) };
  // Slot 0 is the status reason, filled in once the status is known; the rest follow in reading order.
  const reasons: Reason[] = [STATUS_PLACEHOLDER];

  let disqualifiedBy: string[] | undefined;
  for (const d of def.disqualifiers) {
    ctx.rule = d.id;
    if (d.matches(ctx)) {
      (disqualifiedBy ??= []).push(d.reason);
      reasons.push(new DisqualifierReason(d.id, d.reason, d.shows?.ref, d.shows?.read(ctx)));
    }
  }

  let missing: string[] | undefined;
  for (const r of def.required) {
    if (r.read(ctx) === undefined) {
      (missing ??= []).push(r.label);
      reasons.push(r.reason);
    }
  }

  const fitScore = scoreSection(def, def.fit, 'fit', def.caps.fit, ctx, reasons);
  const engagementScore = scoreSection(def, def.engagement, 'engagement', def.caps.engagement, ctx, reasons);
  const totalScore = round2(fitScore + engagementScore);
  if (ctx.caps) reasons.push(...ctx.caps);
  if (ctx.problems) reasons.push(...dataReasons(ctx.problems));

  const status: LeadStatus = disqualifiedBy ? 'disqualified' : missing ? 'needs_data' : climb(def.ladder, fitScore, engagementScore, totalScore);
  reasons[0] = new StatusReason(status, def.ladder, fitScore, engagementScore, totalScore, disqualifiedBy ?? missing);

  const decision: Decision = { status, fitScore, engagementScore, totalScore, definitionVersion: def.version, reasons, hubspot: {} };
  const leadStatus = def.leadStatusMap[status];
  if (leadStatus !== undefined) decision.hubspot.hs_lead_status = leadStatus;
  const stage = def.lifecycleStageMap[status];
  if (stage !== undefined) {
    const move = forwardLifecycleStage(def.readLifecycleStage!(ctx), stage);
    if (move.set) decision.hubspot.lifecyclestage = stage;
    else if (move.why) reasons.push({ kind: 'data', ref: 'lifecyclestage', text: move.why });
  }
  return decision;
}

const STATUS_PLACEHOLDER: Reason = Object.freeze({ kind: 'status', ref: '', text: '' });

/** Adds the section's matched rules to `reasons` and returns its score after group and section caps. */
function scoreSection(def: CompiledDefinition, criteria: CompiledCriterion[], kind: 'fit' | 'engagement', cap: number, ctx: EvalContext, reasons: Reason[]): number {
  let raw = 0;
  // Per-group sums live in a scratch array owned by the compiled definition: evaluation is synchronous,
  // so no two evaluations ever share it at once, and no Map is allocated per record.
  const sums = def.groupScratch;
  let grouped = false;
  for (const c of criteria) {
    ctx.rule = c.id;
    if (!c.matches(ctx)) continue;
    const reason = c.fixedReason ?? decayedReason(c, ctx);
    reasons.push(reason);
    if (c.cappedGroup >= 0) {
      if (!grouped) {
        sums.fill(0);
        grouped = true;
      }
      sums[c.cappedGroup] += reason.points!;
    } else raw += reason.points!;
  }
  if (grouped) {
    for (let g = 0; g < sums.length; g++) {
      const pts = sums[g]!;
      const groupCap = def.caps.groupCaps[g]!;
      if (pts > groupCap) {
        (ctx.caps ??= []).push({ kind: 'cap', ref: def.caps.groupNames[g]!, text: `${kind} group "${def.caps.groupNames[g]}" capped at ${formatPoints(groupCap)} (its rules added ${formatPoints(pts)})` });
        raw += groupCap;
      } else raw += pts;
    }
  }
  // Negative points can lower a section to zero, never below: a score below zero reads as a bug to reps.
  let score = Math.max(0, round2(raw));
  if (score > cap) {
    (ctx.caps ??= []).push({ kind: 'cap', ref: kind, text: `${kind} points capped at ${formatPoints(cap)} (rules added ${formatPoints(score)})` });
    score = cap;
  }
  return score;
}

/** Engagement fades from its timestamp: half-life or linear to zero. Without a readable date, 0 points. */
function decayedReason(c: CompiledCriterion, ctx: EvalContext): Reason {
  const decay = c.decay!;
  const text = decay.read(ctx);
  let t = NaN;
  if (text !== undefined) {
    const memo = ctx.values[decay.slot] as number | undefined;
    t = memo === undefined ? (ctx.values[decay.slot] = parseTimestamp(text)) as number : memo;
  }
  if (Number.isNaN(t)) return new UndatedReason(c.id, c.label, c.points, decay.from, text);
  const ageDays = Math.max(0, ctx.now - t) / DAY_MS;
  const factor = decay.type === 'half_life' ? Math.pow(0.5, ageDays / decay.days) : Math.max(0, 1 - ageDays / decay.days);
  return new DecayedReason(c.id, c.label, c.points, round2(c.points * factor), ageDays, decay.how);
}

function dataReasons(problems: DataProblem[]): Reason[] {
  // One reason per unreadable value, naming every rule it kept from applying.
  const byValue = new Map<string, { p: DataProblem; rules: string[] }>();
  for (const p of problems) {
    const key = `${p.property}\u0000${p.value}`;
    const entry = byValue.get(key);
    if (entry) {
      if (!entry.rules.includes(p.rule)) entry.rules.push(p.rule);
    } else byValue.set(key, { p, rules: [p.rule] });
  }
  return [...byValue.values()].map(({ p, rules }) => ({
    kind: 'data' as const,
    ref: p.property,
    text: `${p.property} is "${p.value}", not ${p.expected}: ${rules.length === 1 ? 'rule' : 'rules'} ${rules.join(', ')} not applied`,
  }));
}

/**
 * HubSpot's lifecycle stages only move forward; moving one back breaks funnel reports. A custom stage
 * (not in HubSpot's default order) is left alone because its place in the order is unknown here.
 */
const STAGE_RANK: ReadonlyMap<string, number> = new Map(LIFECYCLE_STAGES.map((s, i) => [s, i]));
const MOVE: { set: boolean; why?: string } = Object.freeze({ set: true });
const STAY: { set: boolean; why?: string } = Object.freeze({ set: false });

export function forwardLifecycleStage(current: string | undefined, target: string): { set: boolean; why?: string } {
  if (current === undefined) return MOVE;
  if (current === target) return STAY;
  const from = STAGE_RANK.get(current);
  if (from === undefined) return { set: false, why: `lifecyclestage "${current}" is not one of HubSpot's default stages; not moved to ${target}` };
  return (STAGE_RANK.get(target) ?? -1) > from ? MOVE : STAY;
}

/** The reasons as a rep reads them on the record: one per line. */
export function renderReasons(decision: Decision): string {
  return decision.reasons.map((r) => r.text).join('\n');
}

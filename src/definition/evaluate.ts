import type { CompiledDefinition } from './compile';
import type { DataProblem } from './conditions';
import { climb, StatusReason } from './reasons';
import { LIFECYCLE_STAGES } from './schema';
import type { Decision, Facts, LeadStatus, Reason } from './types';
import { round2 } from './values';

/**
 * Qualifies one contact. Pure: the same definition, facts and `now` (epoch ms) give the same decision.
 * It never throws on odd data: unreadable numbers and dates become reasons and the rule is not applied.
 * Scores are computed even for disqualified and needs-data leads so a rep sees the whole picture.
 * The rules run in the evaluator generated for the definition (see generate.ts); this assembles the decision.
 */
export function evaluate(def: CompiledDefinition, contact: Facts, company: Facts | null | undefined, now: number): Decision {
  if (!Number.isFinite(now)) throw new TypeError(`evaluate: now must be epoch milliseconds, got ${String(now)}`);
  // Slot 0 is the status reason, filled in once the status is known; the rest follow in reading order.
  const reasons: Reason[] = [STATUS_PLACEHOLDER];
  const s = def.run.evaluate(contact, company ?? null, now, reasons);
  const { disqualifiedBy, missing, fitScore, engagementScore } = s;
  const totalScore = round2(fitScore + engagementScore);
  if (s.caps) reasons.push(...s.caps);
  if (s.problems) pushDataReasons(s.problems, reasons);

  const status: LeadStatus = disqualifiedBy ? 'disqualified' : missing ? 'needs_data' : climb(def.ladder, fitScore, engagementScore, totalScore);
  reasons[0] = new StatusReason(status, def.ladder, fitScore, engagementScore, totalScore, disqualifiedBy ?? missing);

  const leadStatus = byStatus(def.leadStatusMap, status);
  const stage = byStatus(def.lifecycleStageMap, status);
  let setStage = false;
  if (stage !== undefined) {
    const move = forwardLifecycleStage(s.lifecycleStage, stage);
    if (move.set) setStage = true;
    else if (move.why) reasons.push({ kind: 'data', ref: 'lifecyclestage', text: move.why });
  }
  // Built whole rather than filled in one property at a time: each property added to an object
  // literal after it is made is a change of its shape.
  const hubspot: Decision['hubspot'] =
    leadStatus === undefined ? (setStage ? { lifecyclestage: stage } : {}) : setStage ? { hs_lead_status: leadStatus, lifecyclestage: stage } : { hs_lead_status: leadStatus };
  return { status, fitScore, engagementScore, totalScore, definitionVersion: def.version, reasons, hubspot };
}

const STATUS_PLACEHOLDER: Reason = Object.freeze({ kind: 'status', ref: '', text: '' });

/** `map[status]`, read by name: a lookup by a varying key was a megamorphic keyed load on every evaluation. */
function byStatus(map: Partial<Record<LeadStatus, string>>, status: LeadStatus): string | undefined {
  switch (status) {
    case 'disqualified':
      return map.disqualified;
    case 'needs_data':
      return map.needs_data;
    case 'nurture':
      return map.nurture;
    case 'marketing_qualified':
      return map.marketing_qualified;
    case 'sales_ready':
      return map.sales_ready;
  }
}

export function pushDataReasons(problems: DataProblem[], into: Reason[]): void {
  // Nearly always one problem: its reason needs no grouping.
  if (problems.length === 1) {
    const p = problems[0]!;
    into.push({ kind: 'data' as const, ref: p.property, text: `${p.property} is "${p.value}", not ${p.expected}: rule ${p.rule} not applied` });
    return;
  }
  // One reason per unreadable value, naming every rule it kept from applying.
  const byValue = new Map<string, { p: DataProblem; rules: string[] }>();
  for (const p of problems) {
    const key = `${p.property}\u0000${p.value}`;
    const entry = byValue.get(key);
    if (entry) {
      if (!entry.rules.includes(p.rule)) entry.rules.push(p.rule);
    } else byValue.set(key, { p, rules: [p.rule] });
  }
  for (const { p, rules } of byValue.values()) {
    into.push({
      kind: 'data' as const,
      ref: p.property,
      text: `${p.property} is "${p.value}", not ${p.expected}: ${rules.length === 1 ? 'rule' : 'rules'} ${rules.join(', ')} not applied`,
    });
  }
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

import type { ParsedDefinition } from './schema';
import { signed } from './reasons';
import type { Reason } from './types';

/**
 * Rules compiled as the generated evaluator (generate.ts) and the reasons need them: criteria, required
 * fields and caps. Shared by a contact's definition (compile.ts) and a company's rules in the accounts section
 * (account-compile.ts), both of which generate an evaluator from them.
 */
export interface CompiledCriterion {
  id: string;
  label: string;
  group: string | undefined;
  points: number;
  /** For fit, and engagement without decay: the same reason object for every record it matches. */
  fixedReason: Reason | undefined;
  decay: { type: 'half_life' | 'linear'; days: number; from: string; how: string } | undefined;
}

/** What the generated evaluator runs, of a contact's definition or of the accounts section's company rules. */
export interface CompiledRules {
  fit: CompiledCriterion[];
  engagement: CompiledCriterion[];
  required: Array<{ ref: string; label: string; reason: Reason }>;
  caps: { fit: number; engagement: number; groupNames: string[]; groupCaps: number[] };
}

type CriterionInput = NonNullable<ParsedDefinition['engagement']>[number];

/** Criteria as the generated evaluator and the reasons need them; shared by contact and account fit. */
export function compileCriteria(kind: 'fit' | 'engagement', rules: readonly CriterionInput[]): CompiledCriterion[] {
  return rules.map((c) => ({
    id: c.id,
    label: c.label,
    group: c.group,
    points: c.points,
    fixedReason: c.decay ? undefined : Object.freeze({ kind, ref: c.id, points: c.points, text: `${signed(c.points)} ${kind}: ${c.label}` }),
    decay: c.decay ? { ...c.decay, how: c.decay.type === 'half_life' ? `half-life ${c.decay.days} days` : `linear over ${c.decay.days} days` } : undefined,
  }));
}

export function compileRequired(required: NonNullable<ParsedDefinition['required']>): CompiledRules['required'] {
  return required.map((r) => {
    const ref = typeof r === 'string' ? r : r.property;
    const label = (typeof r === 'string' ? undefined : r.label) ?? ref;
    return { ref, label, reason: Object.freeze({ kind: 'missing' as const, ref, text: `Missing required data: ${label}` }) as Reason };
  });
}

export function compileCaps(caps: { fit?: number; engagement?: number; groups?: Record<string, number> } | undefined): CompiledRules['caps'] {
  const groupNames = Object.keys(caps?.groups ?? {});
  return { fit: caps?.fit ?? Infinity, engagement: caps?.engagement ?? Infinity, groupNames, groupCaps: groupNames.map((g) => caps!.groups![g]!) };
}

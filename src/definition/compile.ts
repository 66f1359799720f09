import { createHash } from 'node:crypto';
import { compileCondition, compileGetter, loadPlan, propertiesOf, Slots, type Getter, type LoadPlan, type Predicate } from './conditions';
import type { ParsedDefinition } from './schema';
import { LADDER_STATUSES, type LadderStatus, type LeadStatus, type Reason, type ThresholdOverrides, type Thresholds } from './types';
import { signed } from './reasons';

/**
 * A definition compiled once for many evaluations. Everything that does not depend on the record is
 * decided here: predicates, decay constants, and the reasons whose text never changes.
 */
export interface CompiledCriterion {
  id: string;
  label: string;
  group: string | undefined;
  /** Index into caps.groupCaps when the criterion's group has a cap, else -1. */
  cappedGroup: number;
  points: number;
  matches: Predicate;
  /** For fit, and engagement without decay: the same reason object for every record it matches. */
  fixedReason: Reason | undefined;
  decay: { type: 'half_life' | 'linear'; days: number; from: string; read: Getter; slot: number; how: string } | undefined;
}

export interface CompiledDisqualifier {
  id: string;
  reason: string;
  matches: Predicate;
  /** The property of a plain condition, shown with its value so a rep sees what tripped it. */
  shows: { ref: string; read: Getter } | undefined;
}

export interface CompiledDefinition {
  name: string;
  /** Written to `uld_definition_version`: the file's version, plus a marker when env overrides apply. */
  version: string;
  /** Hash of the effective definition (file and overrides): equal hashes decide identically. */
  fingerprint: string;
  fit: CompiledCriterion[];
  engagement: CompiledCriterion[];
  disqualifiers: CompiledDisqualifier[];
  required: Array<{ ref: string; label: string; read: Getter; reason: Reason }>;
  caps: { fit: number; engagement: number; groupNames: string[]; groupCaps: number[] };
  /** Scratch space for per-group sums during one (synchronous) evaluation. */
  groupScratch: Float64Array;
  ladder: Record<LadderStatus, Thresholds>;
  overridden: ThresholdOverrides;
  leadStatusMap: Partial<Record<LeadStatus, string>>;
  lifecycleStageMap: Partial<Record<LeadStatus, string>>;
  /** Contact properties the definition reads (HubSpot internal names), including decay timestamps. */
  contactProperties: string[];
  /** Properties of the primary associated company the definition reads, without the `company.` prefix. */
  companyProperties: string[];
  /** Reads the contact's lifecyclestage, when the definition maps statuses to lifecycle stages. */
  readLifecycleStage: Getter | undefined;
  /** Which property values an evaluation loads, in slot order. */
  load: LoadPlan;
  source: ParsedDefinition;
}

export interface CompileOptions {
  overrides?: ThresholdOverrides;
}

export function compileDefinition(def: ParsedDefinition, options: CompileOptions = {}): CompiledDefinition {
  const lists = def.lists ?? {};
  const slots = new Slots();
  const groupNames = Object.keys(def.caps?.groups ?? {});
  const compileCriterion = (kind: 'fit' | 'engagement') => (c: NonNullable<ParsedDefinition['engagement']>[number]): CompiledCriterion => {
    const decay =
      'decay' in c && c.decay
        ? {
            ...c.decay,
            read: compileGetter(c.decay.from, slots),
            slot: slots.derived(c.decay.from, 'date'),
            how: c.decay.type === 'half_life' ? `half-life ${c.decay.days} days` : `linear over ${c.decay.days} days`,
          }
        : undefined;
    return {
      id: c.id,
      label: c.label,
      group: c.group,
      cappedGroup: c.group === undefined ? -1 : groupNames.indexOf(c.group),
      points: c.points,
      matches: compileCondition(c.when, lists, slots),
      fixedReason: decay ? undefined : Object.freeze({ kind, ref: c.id, points: c.points, text: `${signed(c.points)} ${kind}: ${c.label}` }),
      decay,
    };
  };

  const overrides = options.overrides ?? {};
  const ladder = {} as Record<LadderStatus, Thresholds>;
  for (const s of LADDER_STATUSES) ladder[s] = { ...def.ladder[s], ...overrides[s] };
  const overridden = Object.fromEntries(Object.entries(overrides).filter(([, t]) => t && Object.keys(t).length > 0)) as ThresholdOverrides;

  const properties = new Set<string>();
  for (const c of [...(def.fit ?? []), ...(def.engagement ?? []), ...(def.disqualifiers ?? [])]) propertiesOf(c.when, properties);
  for (const c of def.engagement ?? []) if (c.decay) properties.add(c.decay.from);
  for (const r of def.required ?? []) properties.add(typeof r === 'string' ? r : r.property);
  // lifecyclestage is read so that the mapping only ever moves it forward.
  if (def.hubspot?.lifecycleStage) properties.add('lifecyclestage');

  const effective = JSON.stringify({ def, ladder });
  const fingerprint = createHash('sha256').update(effective).digest('hex').slice(0, 12);
  const overrideMarker = Object.keys(overridden).length > 0 ? `+env.${createHash('sha256').update(JSON.stringify(overridden)).digest('hex').slice(0, 6)}` : '';

  return {
    name: def.name,
    version: `${def.version}${overrideMarker}`,
    fingerprint,
    fit: (def.fit ?? []).map(compileCriterion('fit')),
    engagement: (def.engagement ?? []).map(compileCriterion('engagement')),
    disqualifiers: (def.disqualifiers ?? []).map((d) => ({
      id: d.id,
      reason: d.reason,
      matches: compileCondition(d.when, lists, slots),
      shows: d.when.property ? { ref: d.when.property, read: compileGetter(d.when.property, slots) } : undefined,
    })),
    required: (def.required ?? []).map((r) => {
      const ref = typeof r === 'string' ? r : r.property;
      const label = (typeof r === 'string' ? undefined : r.label) ?? ref;
      return { ref, label, read: compileGetter(ref, slots), reason: Object.freeze({ kind: 'missing' as const, ref, text: `Missing required data: ${label}` }) };
    }),
    caps: {
      fit: def.caps?.fit ?? Infinity,
      engagement: def.caps?.engagement ?? Infinity,
      groupNames,
      groupCaps: groupNames.map((g) => def.caps!.groups![g]!),
    },
    groupScratch: new Float64Array(groupNames.length),
    ladder,
    overridden,
    leadStatusMap: def.hubspot?.leadStatus ?? {},
    lifecycleStageMap: def.hubspot?.lifecycleStage ?? {},
    contactProperties: [...properties].filter((p) => !p.startsWith('company.')).sort(),
    companyProperties: [...properties].filter((p) => p.startsWith('company.')).map((p) => p.slice('company.'.length)).sort(),
    readLifecycleStage: def.hubspot?.lifecycleStage ? compileGetter('lifecyclestage', slots) : undefined,
    load: loadPlan(slots),
    source: def,
  };
}


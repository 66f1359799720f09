import { Constants, SectionScope, Slots, type DataProblem } from './conditions';
import { DecayedReason, DisqualifierReason, UndatedReason, type DecayPlan, type DisqualifierPlan } from './reasons';
import type { CompiledCriterion, CompiledRules } from './criteria';
import type { ParsedDefinition } from './schema';
import type { Facts, Reason } from './types';
import { ACCOUNT_REFS, type AccountRef } from './account-types';
import { DAY_MS, formatPoints, parseNumber, parseTimestamp, round2, textOf } from './values';

/**
 * The evaluator of one definition, generated as JavaScript source when the definition is compiled.
 *
 * Why generate code: an evaluator built from one closure per condition spends most of its time on what is
 * not the rules themselves: a call per condition through a megamorphic call site, a generic slot array of
 * boxed numbers for memoised values, a lookup per rule and derived value. The generated evaluator is one
 * straight-line function per section with every condition inlined as an expression, property values and
 * derived values in local variables, and its own type feedback per definition, so V8 optimises it as if
 * the rules had been written by hand.
 *
 * Why it is safe: the source is assembled only from the fixed templates in conditions.ts and here, slot
 * and rule numbers, and names of constants. Every value of the definition (ids, labels, property names,
 * list items, patterns, numbers) is passed to the generated code in the constants array `K` and read from
 * there, never written into the source, so no definition can change what the code does beyond its data.
 * Why it cannot fail at evaluation time: the source is compiled (so checked for syntax) when the
 * definition is compiled, and then run on probe records (selfCheck) that take every section through the
 * empty and the filled path of each property. The templates read only locals they declare, `K` and the
 * helpers in HELPERS; every method call on a property value is guarded by the value being a string, and
 * every helper is total over its inputs. As before, only a contact that is not an object makes an
 * evaluation throw.
 *
 * Shape of the generated code (`compiled.run.source` shows it for a given definition):
 *
 *   load(contact, company, now)     reads every property once, in slot order, into the state `s`
 *   disqualifiers(s, reasons)       pushes a reason per matching disqualifier; returns their texts or undefined
 *   required(s, reasons)            pushes a reason per empty required field; returns their labels or undefined
 *   fit(s, reasons)                 pushes a reason per matching rule; returns the capped score
 *   engagement(s, reasons)          the same, with decay
 *   lifecycleStage(s)               the contact's lifecyclestage, when the definition maps statuses to stages
 */

/** Per-evaluation state: the property values (fields p0, p1, ... of the generated shape) and what the sections report. */
export interface EvalState {
  readonly now: number;
  problems: DataProblem[] | null;
  /** Reasons for capped groups and sections, rare, so allocated only when needed. */
  caps: CapReason[] | null;
}

export interface CapReason {
  kind: 'cap';
  ref: string;
  text: string;
}

/** What `evaluate` reports besides the reasons: the state's data problems and caps, and each section's result. */
export interface EvalResult extends EvalState {
  disqualifiedBy: string[] | undefined;
  missing: string[] | undefined;
  fitScore: number;
  engagementScore: number;
  lifecycleStage: string | undefined;
}

export interface GeneratedEvaluator {
  /**
   * The whole evaluation, the sections below run in order in one function: pushes every section's reasons
   * (after the status reason evaluate() puts first) and returns their results.
   */
  evaluate(contact: Facts, company: Facts | null, now: number, reasons: Reason[]): EvalResult;
  load(contact: Facts, company: Facts | null, now: number): EvalState;
  disqualifiers(s: EvalState, reasons: Reason[]): string[] | undefined;
  required(s: EvalState, reasons: Reason[]): string[] | undefined;
  fit(s: EvalState, reasons: Reason[]): number;
  engagement(s: EvalState, reasons: Reason[]): number;
  lifecycleStage(s: EvalState): string | undefined;
  /** The generated source, for reading and debugging. */
  readonly source: string;
}

function report(s: EvalState, property: string, value: string, expected: DataProblem['expected'], rule: string): false {
  (s.problems ??= []).push({ property, value, expected, rule });
  return false;
}

/** Engagement fades from its timestamp: half-life or linear to zero. Without a readable date, 0 points. */
function decayed(c: DecayPlan, text: string | undefined, t: number, now: number): DecayedReason | UndatedReason {
  if (t !== t) return new UndatedReason(c, text); // NaN: no readable date
  const ageDays = Math.max(0, now - t) / DAY_MS;
  const points = c.halfLife ? halfLifePoints(c.points, ageDays / c.days) : round2(c.points * Math.max(0, 1 - ageDays / c.days));
  return new DecayedReason(c, points, t);
}

/**
 * `round2(points * Math.pow(0.5, halfLives))`, the half-life decay, with Math.exp in place of Math.pow
 * (five times faster, and the largest cost of a decayed rule). The two factors differ by a few units in
 * the last place, far less than the tolerance below, so the rounded points are the same, except when the
 * product lies within that tolerance of a rounding boundary (x.xx5): there Math.pow decides, as it always
 * has. Anything not finite fails the comparison and takes Math.pow too.
 */
function halfLifePoints(points: number, halfLives: number): number {
  const hundredths = points * Math.exp(halfLives * -Math.LN2) * 100;
  const fraction = hundredths - Math.floor(hundredths);
  if (Math.abs(fraction - 0.5) > 1e-9 * (1 + Math.abs(hundredths)) * (1 + halfLives)) return Math.round(hundredths) / 100;
  return round2(points * Math.pow(0.5, halfLives));
}

/** Adds a group's points to the section's, at most the group's cap. */
function capGroup(s: EvalState, raw: number, pts: number, cap: number, kind: string, group: string): number {
  if (pts > cap) {
    (s.caps ??= []).push({ kind: 'cap', ref: group, text: `${kind} group "${group}" capped at ${formatPoints(cap)} (its rules added ${formatPoints(pts)})` });
    return raw + cap;
  }
  return raw + pts;
}

/** The section's score: rounded, never below zero (negative points can lower a section to zero), at most its cap. */
function capSection(s: EvalState, raw: number, cap: number, kind: string): number {
  let score = Math.max(0, round2(raw));
  if (score > cap) {
    (s.caps ??= []).push({ kind: 'cap', ref: kind, text: `${kind} points capped at ${formatPoints(cap)} (rules added ${formatPoints(score)})` });
    score = cap;
  }
  return score;
}

/** The only names the generated code uses besides its own locals, `K`, `s`, `reasons`, `now` and Math. */
const HELPERS = { textOf, parseNumber, parseTimestamp, report, decayed, capGroup, capSection, DisqualifierReason };

type Criterion = NonNullable<ParsedDefinition['engagement']>[number];

let generated = 0;

/**
 * Generates the evaluator of a definition: its conditions from `def`, its reasons, decay and caps from what
 * compileDefinition made of them. Properties are numbered in the order the definition mentions them (fit,
 * engagement, disqualifiers, required, lifecyclestage), which is the order `load` reads them.
 */
export function generateEvaluator(
  def: ParsedDefinition,
  compiled: CompiledRules,
): GeneratedEvaluator {
  const k = new Constants();
  const slots = new Slots();
  const lists = def.lists ?? {};
  const scope = () => new SectionScope(k, slots, lists);

  // Sections are compiled in the order that numbers the property slots (see Slots), then laid out in
  // evaluation order. Each section's rules are compiled twice from the same templates: into its own
  // function (the sections of GeneratedEvaluator) and into `evaluate`, the whole evaluation in one function.
  const sectionBody = (kind: 'fit' | 'engagement', rules: readonly Criterion[], criteria: readonly CompiledCriterion[], cap: number, sc: SectionScope, result: string): string[] => {
    const body: string[] = [];
    const groupsUsed = new Set<number>();
    rules.forEach((rule, i) => {
      const c = criteria[i]!;
      // The decay's property is numbered before the condition's, as the definition lists them.
      const decay = c.decay ? { p: sc.property(c.decay.from), t: sc.date(c.decay.from) } : undefined;
      const cond = sc.condition(rule.when, k.add(c.id));
      const g = c.group === undefined ? -1 : compiled.caps.groupNames.indexOf(c.group);
      if (g >= 0) groupsUsed.add(g);
      const into = g >= 0 ? `g${g}` : 'raw';
      body.push(`  // ${kind}[${i}]`);
      if (c.decay) {
        const plan: DecayPlan = Object.freeze({ id: c.id, label: c.label, points: c.points, halfLife: c.decay.type === 'half_life', days: c.decay.days, from: c.decay.from, how: c.decay.how });
        body.push(`  if (${cond}) {`, `    const r = decayed(${k.add(plan)}, ${decay!.p}, ${decay!.t}, now);`, `    reasons.push(r);`, `    ${into} += r.points;`, `  }`);
      } else {
        // The same frozen reason object for every record the rule matches.
        body.push(`  if (${cond}) {`, `    reasons.push(${k.add(c.fixedReason)});`, `    ${into} += ${k.add(c.points)};`, `  }`);
      }
    });
    const groups = [...groupsUsed].sort((a, b) => a - b);
    return [
      `  let raw = 0;`,
      ...groups.map((g) => `  let g${g} = 0; // group ${g} of caps.groups`),
      ...body,
      // Capped groups join the section's points after its rules, in the order caps.groups lists them.
      ...groups.map((g) => `  raw = capGroup(s, raw, g${g}, ${k.add(compiled.caps.groupCaps[g])}, '${kind}', ${k.add(compiled.caps.groupNames[g])});`),
      `  ${result}capSection(s, raw, ${k.add(cap)}, '${kind}');`,
    ];
  };
  const section = (kind: 'fit' | 'engagement', rules: readonly Criterion[], criteria: readonly CompiledCriterion[], cap: number): string => {
    const sc = scope();
    const body = sectionBody(kind, rules, criteria, cap, sc, 'return ');
    return [`function ${kind}(s, reasons) {`, `  const now = s.now;`, ...sc.prelude().map((l) => `  ${l}`), ...body, `}`].join('\n');
  };

  const disqualifiersBody = (sc: SectionScope): string[] => {
    const body: string[] = [];
    (def.disqualifiers ?? []).forEach((d, i) => {
      const cond = sc.condition(d.when, k.add(d.id));
      // A plain condition's property is shown with its value, so a rep sees what tripped it.
      const plan: DisqualifierPlan = Object.freeze({ id: d.id, reason: d.reason, shownRef: d.when.property });
      const shown = d.when.property ? sc.property(d.when.property) : 'undefined';
      // Nearly always one disqualifier matches: `[reason]` is allocated at its size, where `[]` and a
      // push would allocate room for 17.
      const reason = k.add(d.reason);
      body.push(
        `  // disqualifiers[${i}]`,
        `  if (${cond}) {`,
        `    if (by === undefined) by = [${reason}];`,
        `    else by.push(${reason});`,
        `    reasons.push(new DisqualifierReason(${k.add(plan)}, ${shown}));`,
        `  }`,
      );
    });
    return body;
  };
  const requiredBody = (sc: SectionScope): string[] => {
    const body: string[] = [];
    compiled.required.forEach((r, i) => {
      const label = k.add(r.label);
      body.push(
        `  // required[${i}]`,
        `  if (${sc.property(r.ref)} === undefined) {`,
        `    if (missing === undefined) missing = [${label}];`,
        `    else missing.push(${label});`,
        `    reasons.push(${k.add(r.reason)});`,
        `  }`,
      );
    });
    return body;
  };

  const fit = section('fit', def.fit ?? [], compiled.fit, compiled.caps.fit);
  const engagement = section('engagement', def.engagement ?? [], compiled.engagement, compiled.caps.engagement);

  const dq = scope();
  const dqBody = disqualifiersBody(dq);
  const disqualifiers = [`function disqualifiers(s, reasons) {`, `  const now = s.now;`, ...dq.prelude().map((l) => `  ${l}`), `  let by;`, ...dqBody, `  return by;`, `}`].join('\n');

  const rq = scope();
  const rqBody = requiredBody(rq);
  const required = [`function required(s, reasons) {`, ...rq.prelude().map((l) => `  ${l}`), `  let missing;`, ...rqBody, `  return missing;`, `}`].join('\n');

  // lifecyclestage is read so that the mapping only ever moves it forward.
  const stageSlot = def.hubspot?.lifecycleStage ? slots.property('lifecyclestage') : -1;
  const lifecycleStage = [`function lifecycleStage(s) {`, `  return ${stageSlot >= 0 ? `s.p${stageSlot}` : 'undefined'};`, `}`].join('\n');

  // Each property is read once, in slot order; a non-empty string (nearly every value) is kept without
  // calling textOf, and so is the absence of a value (null from HubSpot, undefined when not fetched, ""),
  // which is as common as a value in some properties. textOf decides the rest (numbers, booleans, other).
  // account.status and account.score are read from the company's write-back of its account decision.
  const reads = slots.refs.map((ref, i) =>
    ref.startsWith('company.') || ref.startsWith('account.')
      ? `  const v${i} = company === null ? undefined : company[${k.add(companyPropertyOf(ref))}];`
      : `  const v${i} = contact[${k.add(ref)}];`,
  );
  const text = (i: number) => `typeof v${i} === 'string' ? (v${i} !== '' ? v${i} : undefined) : v${i} == null ? undefined : textOf(v${i})`;
  const load = [
    `function load(contact, company, now) {`,
    ...reads,
    `  return {`,
    `    now,`,
    `    problems: null,`,
    `    caps: null,`,
    ...slots.refs.map((_, i) => `    p${i}: ${text(i)},`),
    `  };`,
    `}`,
  ].join('\n');

  // The whole evaluation in one function, which is what evaluate() runs: the property values stay in
  // locals instead of a state object of one field per property, each derived value (number, date, lower
  // case, domain) is computed once for all sections instead of once per section that reads it, and there
  // is one call per evaluation instead of six. The sections run in the same order as above, so reasons
  // and data problems come out in the same order. Every slot is already numbered, so this pass reuses them.
  const all = scope();
  const allFit = sectionBody('fit', def.fit ?? [], compiled.fit, compiled.caps.fit, all, 'fitScore = ');
  const allEngagement = sectionBody('engagement', def.engagement ?? [], compiled.engagement, compiled.caps.engagement, all, 'engagementScore = ');
  const allDq = disqualifiersBody(all);
  const allRq = requiredBody(all);
  const block = (lines: string[]) => [`  {`, ...lines.map((l) => `  ${l}`), `  }`];
  const whole = [
    `function evaluate(contact, company, now, reasons) {`,
    ...reads,
    ...slots.refs.map((_, i) => `  const p${i} = ${text(i)};`),
    // The result's fields are all set here, so every result has one shape; the scores are doubles.
    `  const s = { now, problems: null, caps: null, disqualifiedBy: undefined, missing: undefined, fitScore: 0.5, engagementScore: 0.5, lifecycleStage: ${stageSlot >= 0 ? `p${stageSlot}` : 'undefined'} };`,
    ...all.prelude(false).map((l) => `  ${l}`),
    `  let by;`,
    `  let missing;`,
    `  let fitScore;`,
    `  let engagementScore;`,
    ...allDq,
    ...allRq,
    ...block(allFit),
    ...block(allEngagement),
    `  s.disqualifiedBy = by;`,
    `  s.missing = missing;`,
    `  s.fitScore = fitScore;`,
    `  s.engagementScore = engagementScore;`,
    `  return s;`,
    `}`,
  ].join('\n');

  const source = [
    `'use strict';`,
    `// Generated by compileDefinition (src/definition/generate.ts). Definition values live in K, never in this text.`,
    `const { ${Object.keys(HELPERS).join(', ')} } = H;`,
    `const [${k.values.map((_, i) => `K${i}`).join(', ')}] = K;`,
    load,
    whole,
    disqualifiers,
    required,
    fit,
    engagement,
    lifecycleStage,
    `return { load, evaluate, disqualifiers, required, fit, engagement, lifecycleStage };`,
    `//# sourceURL=uld-definition-${++generated}.js`,
  ].join('\n\n');

  // A syntax error in the source throws here, when the definition is compiled.
  const factory = new Function('K', 'H', source) as (K: readonly unknown[], H: typeof HELPERS) => Sections;
  const sections = factory(Object.freeze(k.values.slice()), HELPERS);
  selfCheck(sections, slots.refs);
  return Object.freeze({ ...sections, source });
}

type Sections = Omit<GeneratedEvaluator, 'source'>;

/** The company property a `company.` or `account.` reference reads. */
export function companyPropertyOf(ref: string): string {
  return ref.startsWith('account.') ? ACCOUNT_REFS[ref as AccountRef] : ref.slice('company.'.length);
}

/**
 * Runs every section on probe records: every property empty, then every property set to a number, an
 * address, a date and a word, so that each condition's empty and filled paths run. A mistake in the
 * generator then fails compileDefinition instead of an evaluation. The sections are pure, so the probes
 * leave nothing behind but one more record shape in their type feedback.
 */
function selfCheck(sections: Sections, refs: readonly string[]): void {
  for (const value of [undefined, '12', 'name@example.com', '2024-05-01T10:20:30.456Z', 'Word']) {
    const contact: Record<string, string | undefined> = {};
    const company: Record<string, string | undefined> = {};
    for (const ref of refs) {
      if (ref.startsWith('company.') || ref.startsWith('account.')) company[companyPropertyOf(ref)] = value;
      else contact[ref] = value;
    }
    try {
      const s = sections.load(contact, value === undefined ? null : company, 0);
      const reasons: Reason[] = [];
      sections.disqualifiers(s, reasons);
      sections.required(s, reasons);
      sections.fit(s, reasons);
      sections.engagement(s, reasons);
      sections.lifecycleStage(s);
      sections.evaluate(contact, value === undefined ? null : company, 0, []);
    } catch (err) {
      throw new Error(`internal error: the evaluator generated for this definition failed its self-check: ${(err as Error).message}`);
    }
  }
}

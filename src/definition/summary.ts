import type { CompiledDefinition } from './compile';
import { compileCaps, compileCriteria, compileRequired, type CompiledCriterion } from './criteria';
import type { CompiledAccounts } from './account-compile';
import { ACCOUNT_LADDER_STATUSES, type AccountLadderStatus, type AccountThresholds } from './account-types';
import { LEAD_STATUS_VALUES, walkConditions } from './schema';
import { LADDER_STATUSES, type LadderStatus } from './types';

/** What a reviewer needs to see of a definition, and what is probably a mistake in it. */
export interface DefinitionSummary {
  name: string;
  version: string;
  fingerprint: string;
  required: string[];
  disqualifiers: Array<{ id: string; reason: string }>;
  fit: { criteria: number; maxPoints: number; cap: number | null };
  engagement: { criteria: number; maxPoints: number; cap: number | null; decaying: string[] };
  ladder: Array<{ status: LadderStatus; fit?: number; engagement?: number; total?: number; overridden: string[] }>;
  contactProperties: string[];
  companyProperties: string[];
  /** Present only when the file has an `accounts` section. */
  accounts?: AccountsSummary;
  warnings: string[];
}

export interface AccountsSummary {
  required: string[];
  disqualifiers: string[];
  fit: { criteria: number; maxPoints: number };
  engagement: string[];
  coverage: string[];
  ladder: Array<{ status: AccountLadderStatus; overridden: string[] } & AccountThresholds>;
  companyProperties: string[];
  contactProperties: string[];
}

function summarizeAccounts(def: CompiledDefinition, a: CompiledAccounts): AccountsSummary {
  const source = def.source.accounts!;
  const fit = compileCriteria('fit', source.fit ?? []);
  const caps = compileCaps({ fit: source.caps?.fit, groups: source.caps?.groups });
  return {
    required: compileRequired(source.required ?? []).map((r) => r.label),
    disqualifiers: (source.disqualifiers ?? []).map((d) => d.id),
    fit: { criteria: fit.length, maxPoints: maxPoints(fit, caps, caps.fit) },
    engagement: a.engagement.map((r) => {
      const which = `contacts with ${r.score} ${r.min !== undefined ? `>= ${r.min}` : '> 0'}${r.window ? ` within ${r.window.days} days of ${r.window.from}` : ''}`;
      return `${r.id} (${r.measure === 'count' ? `${which}: at least ${r.atLeast}` : `${r.score} of ${which}: at least ${r.atLeast} in all`}, ${r.points} points)`;
    }),
    coverage: a.coverage.map((r) => `${r.id} (${r.atLeast} of ${r.roles.join(', ')}${r.engagedOnly ? ', held by engaged contacts' : ''}, ${r.points} points)`),
    ladder: ACCOUNT_LADDER_STATUSES.map((status) => ({ status, ...a.ladder[status], overridden: Object.keys(a.overridden[status] ?? {}) })),
    companyProperties: a.companyProperties,
    contactProperties: a.contactProperties,
  };
}

/** The most points a section can give: positive points, within group caps and the section cap. */
function maxPoints(criteria: CompiledCriterion[], def: Pick<CompiledDefinition['caps'], 'groupNames' | 'groupCaps'>, cap: number): number {
  const groups = new Map<number, number>();
  let raw = 0;
  for (const c of criteria) {
    if (c.points <= 0) continue;
    const g = def.groupNames.indexOf(c.group ?? '\u0000');
    if (g >= 0) groups.set(g, (groups.get(g) ?? 0) + c.points);
    else raw += c.points;
  }
  for (const [g, pts] of groups) raw += Math.min(pts, def.groupCaps[g]!);
  return Math.min(raw, cap);
}

export function summarizeDefinition(def: CompiledDefinition): DefinitionSummary {
  const fitMax = maxPoints(def.fit, def.caps, def.caps.fit);
  const engagementMax = maxPoints(def.engagement, def.caps, def.caps.engagement);
  const warnings: string[] = [];
  const ladder = LADDER_STATUSES.map((status) => ({
    status,
    ...def.ladder[status],
    overridden: Object.keys(def.overridden[status] ?? {}),
  }));
  for (const rung of ladder) {
    const unreachable: string[] = [];
    if (rung.fit !== undefined && rung.fit > fitMax) unreachable.push(`fit ${rung.fit} > the most fit points possible (${fitMax})`);
    if (rung.engagement !== undefined && rung.engagement > engagementMax) unreachable.push(`engagement ${rung.engagement} > the most engagement points possible (${engagementMax})`);
    if (rung.total !== undefined && rung.total > fitMax + engagementMax) unreachable.push(`total ${rung.total} > the most points possible (${fitMax + engagementMax})`);
    if (unreachable.length) warnings.push(`no lead can ever be ${rung.status}: ${unreachable.join('; ')}`);
  }
  const sr = def.ladder.sales_ready;
  const mql = def.ladder.marketing_qualified;
  const laxer = (['fit', 'engagement', 'total'] as const).every((k) => (sr[k] ?? -Infinity) <= (mql[k] ?? -Infinity));
  if (laxer) warnings.push('sales_ready is no stricter than marketing_qualified on any score: every marketing-qualified lead would be sales ready');
  for (const [status, value] of Object.entries(def.leadStatusMap)) {
    if (!(LEAD_STATUS_VALUES as readonly string[]).includes(value as string)) {
      warnings.push(`hubspot.leadStatus.${status} "${value}" is not one of HubSpot's default hs_lead_status options; make sure the portal has it (uld doctor checks)`);
    }
  }
  for (const c of def.source.engagement ?? []) {
    let dated = false;
    walkConditions(c.when, [], (w) => {
      if (w.operator === 'within_days') dated = true;
    });
    // A "within N days" rule expires by itself; anything else without decay keeps its points forever.
    if (!c.decay && !dated && c.points > 0) warnings.push(`engagement ${c.id} has no decay and no within_days condition: its points never fade`);
  }
  return {
    name: def.name,
    version: def.version,
    fingerprint: def.fingerprint,
    required: def.required.map((r) => r.label),
    disqualifiers: def.disqualifiers.map((d) => ({ id: d.id, reason: d.reason })),
    fit: { criteria: def.fit.length, maxPoints: fitMax, cap: Number.isFinite(def.caps.fit) ? def.caps.fit : null },
    engagement: {
      criteria: def.engagement.length,
      maxPoints: engagementMax,
      cap: Number.isFinite(def.caps.engagement) ? def.caps.engagement : null,
      decaying: def.engagement.filter((c) => c.decay).map((c) => `${c.id} (${c.decay!.type === 'half_life' ? 'half-life' : 'linear'} ${c.decay!.days} days from ${c.decay!.from})`),
    },
    ladder,
    contactProperties: def.contactProperties,
    companyProperties: def.companyProperties,
    ...(def.accounts ? { accounts: summarizeAccounts(def, def.accounts) } : {}),
    warnings,
  };
}

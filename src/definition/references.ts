import type { z } from 'zod';
import { checkAccounts } from './account-check';
import { definitionShape, LIFECYCLE_STAGES, walkConditions, type ParsedDefinition } from './schema';
import { LADDER_STATUSES } from './types';

/**
 * The definition file's schema: its shape (./schema) and the checks that need the whole file. Kept apart from
 * the shape because the checks read the parsed type the shape defines, and the accounts section's own checks
 * (./account-check) read it too: both point at ./schema, nothing points back.
 */
export const definitionSchema = definitionShape.superRefine(checkDefinitionReferences);

/** Cross-references that need the whole file: ids unique, lists and groups defined, thresholds present. */
function checkDefinitionReferences(d: z.output<z.ZodObject<Record<string, z.ZodType>>>, ctx: z.RefinementCtx): void {
  const def = d as unknown as Omit<ParsedDefinition, 'version'> & { version: string };
  const lists = new Set(Object.keys(def.lists ?? {}));
  const seen = new Map<string, string>();
  const sections = [
    ['fit', def.fit ?? []],
    ['engagement', def.engagement ?? []],
    ['disqualifiers', def.disqualifiers ?? []],
    ['accounts.disqualifiers', def.accounts?.disqualifiers ?? []],
    ['accounts.fit', def.accounts?.fit ?? []],
  ] as const;
  for (const [section, rules] of sections) {
    rules.forEach((rule, i) => {
      const where = `${section}[${i}]`;
      const at = [...section.split('.'), i];
      const first = seen.get(rule.id);
      if (first) ctx.addIssue({ code: 'custom', path: [...at, 'id'], message: `duplicate id "${rule.id}" (also ${first})` });
      else seen.set(rule.id, where);
      walkConditions(rule.when, [...at, 'when'], (c, path) => {
        if (c.list !== undefined && !lists.has(c.list)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'list'],
            message: `unknown list "${c.list}"${lists.size ? ` (lists: ${[...lists].join(', ')})` : ' (the file defines no lists)'}`,
          });
        }
      });
    });
  }
  const groups = new Set([...(def.fit ?? []), ...(def.engagement ?? [])].map((r) => r.group).filter((g): g is string => !!g));
  for (const g of Object.keys(def.caps?.groups ?? {})) {
    if (!groups.has(g)) ctx.addIssue({ code: 'custom', path: ['caps', 'groups', g], message: `no criterion is in group "${g}"` });
  }
  for (const s of LADDER_STATUSES) {
    const t = def.ladder[s];
    if (t.fit === undefined && t.engagement === undefined && t.total === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ladder', s], message: `expected at least one of fit, engagement, total` });
    }
  }
  const leads = def.hubspot?.leads;
  if (leads) {
    for (const id of leads.accepted.filter((s) => leads.rejected.includes(s))) {
      ctx.addIssue({ code: 'custom', path: ['hubspot', 'leads', 'rejected'], message: `stage "${id}" is also in accepted: a stage is one verdict` });
    }
    if ([...leads.accepted, ...leads.rejected].includes(leads.stage)) {
      ctx.addIssue({ code: 'custom', path: ['hubspot', 'leads', 'stage'], message: `"${leads.stage}" is a verdict stage (accepted or rejected): hand-off Leads must start in an open stage such as new-stage-id` });
    }
  }
  checkAccounts(def, seen, ctx);
  const lifecycle = def.hubspot?.lifecycleStage ?? {};
  for (const [status, stage] of Object.entries(lifecycle)) {
    if (!(LIFECYCLE_STAGES as readonly string[]).includes(stage as string)) {
      ctx.addIssue({ code: 'custom', path: ['hubspot', 'lifecycleStage', status], message: `expected one of ${LIFECYCLE_STAGES.join(', ')}; found "${stage}"` });
    }
  }
}

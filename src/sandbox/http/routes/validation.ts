import type { ObjectType } from '../../crm/object-types';
import type { Portal } from '../../crm/portal';
import type { RuleViolation, RuleWrite } from '../../crm/validation-rules';
import { HubSpotHttpError, batchError, errorBody, type BatchErrorJson } from '../../errors';
import type { RouteContext } from '../router';

/**
 * How the write routes answer a broken portal validation rule (`crm/validation-rules.ts`). Only the
 * `/2026-09/` paths enforce them: "Starting with the /2026-09/ API version ... HubSpot will enforce
 * admin-configured validation rules on all CRM API write paths"; v3 and 2026-03 keep ignoring them
 * (developers.hubspot.com/changelog/crm-api-write-validation-enforcement).
 */

/**
 * The top-level message of the 400. The changelog's example elides it ("message": "..."); a third-party
 * reproduction of a Create Record form rejection gives this one, used for both kinds (platform doc §2.3).
 */
export const RULES_MESSAGE = 'The property values provided are invalid';

/** The rules a write on this route breaks: none unless the path is a 2026-09 one. */
export function enforcedRules(ctx: RouteContext, portal: Portal, type: ObjectType, write: RuleWrite): RuleViolation[] {
  if (ctx.apiVersion !== '2026-09') return [];
  return portal.validationRules.check(type, write);
}

function details(violations: readonly RuleViolation[]): BatchErrorJson['errors'] {
  return violations.map((v) => ({ message: v.message, code: v.code, context: { propertyName: [v.propertyName] } }));
}

/**
 * HubSpot's 400 VALIDATION_ERROR for broken rules: one `errors[]` item per rule, naming its property.
 * Several inputs of a batch breaking the same rule give one item: the answer names properties, not records.
 */
export function rulesRejected(violations: readonly RuleViolation[]): HubSpotHttpError {
  const distinct = [...new Map(violations.map((v) => [`${v.code}\u0000${v.message}`, v])).values()];
  return new HubSpotHttpError(400, errorBody('VALIDATION_ERROR', RULES_MESSAGE, { errors: details(distinct) }));
}

/** A single-object write (create, update) that breaks a rule fails whole, as any invalid write does. */
export function throwIfRulesBroken(violations: readonly RuleViolation[]): void {
  if (violations.length > 0) throw rulesRejected(violations);
}

/** The same answer as one input's entry in a batch answer's `errors[]` (per-input mode). */
export function rulesBatchError(violations: readonly RuleViolation[], context: Record<string, string[]>): BatchErrorJson {
  return batchError('VALIDATION_ERROR', RULES_MESSAGE, context, { errors: details(violations) });
}

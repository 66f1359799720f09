import type { ObjectType } from './object-types';

/**
 * The validation rules a portal's admin sets up in HubSpot's UI and that HubSpot enforces on API writes
 * from the 2026-09 API version on (developers.hubspot.com/changelog/crm-api-write-validation-enforcement,
 * "Breaking Change: CRM API Write Validation Enforcement Starting with the 2026-09 API Version"; summarised
 * in the shared platform doc, §2.3):
 * - conditional required properties: when a property has one of some values, another property must have a
 *   value ("close_date becomes required when dealstage is set to closedwon");
 * - required fields of the object's Create Record form, enforced on creates.
 * Neither kind can be read or written through HubSpot's API (the property-validations API returns format
 * rules only), so the sandbox holds them as portal settings a test sets directly.
 *
 * Pure evaluation: nothing here knows about HTTP or API versions. Which paths enforce the rules (only
 * `/2026-09/` ones) and how a violation is answered live in `http/routes/validation.ts`.
 */

/** When `when.property` has one of `when.values` after the write, `property` must have a value. */
export interface ConditionalRequirement {
  objectType: ObjectType;
  property: string;
  when: { property: string; values: readonly string[] };
}

export type RuleViolationCode = 'MISSING_CONDITIONAL_REQUIRED_PROPERTY' | 'MISSING_REQUIRED_PROPERTY';

/** One broken rule, in the words HubSpot answers with (one `errors[]` item of its VALIDATION_ERROR). */
export interface RuleViolation {
  code: RuleViolationCode;
  propertyName: string;
  message: string;
}

/** A write as the rules see it: the record's values before (none for a create) and the values written. */
export interface RuleWrite {
  before?: Readonly<Record<string, string>>;
  values: Readonly<Record<string, string>>;
}

export interface ValidationRuleSet {
  conditional: readonly ConditionalRequirement[];
  createForm: Readonly<Partial<Record<ObjectType, readonly string[]>>>;
}

/** An empty string clears a property at HubSpot: it counts as no value. */
function hasValue(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/** A multiple-checkbox value is `a;b`: it matches when any chosen option is among the rule's values. */
function matches(value: string | undefined, values: readonly string[]): boolean {
  if (!hasValue(value)) return false;
  return values.includes(value as string) || (value as string).split(';').some((v) => values.includes(v));
}

/**
 * The rules a write breaks, checked on the record's state after the write (its values merged with the
 * input), as a rule in HubSpot's UI is: a write that leaves the controlling property alone can still break
 * the rule if it clears the required one, and a record that already has the required value passes.
 * One violation per required property; its message names every controlling property that requires it.
 */
export function evaluateRules(rules: ValidationRuleSet, objectType: ObjectType, write: RuleWrite): RuleViolation[] {
  const after: Record<string, string> = { ...(write.before ?? {}), ...write.values };
  const violations: RuleViolation[] = [];
  if (write.before === undefined) {
    for (const property of rules.createForm[objectType] ?? []) {
      // Words of HubSpot's answer for a required Create Record field (platform doc §2.3, 3P).
      if (!hasValue(after[property])) violations.push({ code: 'MISSING_REQUIRED_PROPERTY', propertyName: property, message: `A value for ${property} must be provided` });
    }
  }
  const controllers = new Map<string, string[]>();
  for (const rule of rules.conditional) {
    if (rule.objectType !== objectType || hasValue(after[rule.property]) || !matches(after[rule.when.property], rule.when.values)) continue;
    if (violations.some((v) => v.propertyName === rule.property)) continue;
    const list = controllers.get(rule.property) ?? [];
    if (!list.includes(rule.when.property)) list.push(rule.when.property);
    controllers.set(rule.property, list);
  }
  for (const [property, by] of controllers) {
    // The changelog's example answer: "<prop> is required because of a conditional property rule based on [<controlling prop>]".
    violations.push({ code: 'MISSING_CONDITIONAL_REQUIRED_PROPERTY', propertyName: property, message: `${property} is required because of a conditional property rule based on [${by.join(', ')}]` });
  }
  return violations;
}

/**
 * The portal's rules, settable at run time (`sandbox.validationRules`). Empty by default: "If no
 * conditional required property rules, record creator requirements, or association permission restrictions
 * exist on a portal, there is no behavior change" (the changelog).
 */
export class ValidationRules {
  private conditional: ConditionalRequirement[] = [];
  private createForm: Partial<Record<ObjectType, string[]>> = {};

  /** A conditional required property: `property` is required when `when.property` is one of `when.values`. */
  requireWhen(objectType: ObjectType, property: string, when: { property: string; values: readonly string[] }): void {
    if (when.values.length === 0) throw new Error(`a conditional rule for ${property} needs at least one value of ${when.property}`);
    this.conditional.push({ objectType, property, when: { property: when.property, values: [...when.values] } });
  }

  /** Fields the Create Record form of an object type requires (added to those already required). */
  requireOnCreate(objectType: ObjectType, ...properties: string[]): void {
    const list = this.createForm[objectType] ?? [];
    for (const p of properties) if (!list.includes(p)) list.push(p);
    this.createForm[objectType] = list;
  }

  /** Removes every rule, or those of one object type. */
  clear(objectType?: ObjectType): void {
    if (objectType === undefined) {
      this.conditional = [];
      this.createForm = {};
      return;
    }
    this.conditional = this.conditional.filter((r) => r.objectType !== objectType);
    delete this.createForm[objectType];
  }

  list(): ValidationRuleSet {
    return { conditional: this.conditional.map((r) => ({ ...r, when: { ...r.when } })), createForm: Object.fromEntries(Object.entries(this.createForm).map(([k, v]) => [k, [...v]])) };
  }

  check(objectType: ObjectType, write: RuleWrite): RuleViolation[] {
    if (this.conditional.length === 0 && Object.keys(this.createForm).length === 0) return [];
    return evaluateRules({ conditional: this.conditional, createForm: this.createForm }, objectType, write);
  }
}

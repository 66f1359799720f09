import { z } from 'zod';
import { DEFAULT_LEAD_HAND_OFF, LADDER_STATUSES, REJECTIONS, STATUSES } from './types';
import { ACCOUNT_LADDER_STATUSES, BUYING_ROLES, CONTACT_SCORES } from './account-types';

/**
 * The lead definition file, as sales and marketing review it. Every object is strict: an unknown field
 * is an error, never silently ignored, because a misspelt `operater` would otherwise disable a rule.
 */

export const OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'contains',
  'contains_any',
  'regex',
  'between',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'missing',
  'within_days',
  'older_than_days',
  'domain_in',
  'domain_not_in',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Which fields each operator takes; anything else given is an error that names the operator. */
const OPERATOR_FIELDS: Record<Operator, { required: string[][]; allowed: string[] }> = {
  equals: { required: [['value']], allowed: ['value', 'caseInsensitive'] },
  not_equals: { required: [['value']], allowed: ['value', 'caseInsensitive'] },
  in: { required: [['values', 'list']], allowed: ['values', 'list', 'caseInsensitive'] },
  not_in: { required: [['values', 'list']], allowed: ['values', 'list', 'caseInsensitive'] },
  contains: { required: [['value']], allowed: ['value', 'caseInsensitive'] },
  contains_any: { required: [['values', 'list']], allowed: ['values', 'list', 'caseInsensitive'] },
  regex: { required: [['pattern']], allowed: ['pattern', 'flags'] },
  between: { required: [['min', 'max']], allowed: ['min', 'max'] },
  gt: { required: [['value']], allowed: ['value'] },
  gte: { required: [['value']], allowed: ['value'] },
  lt: { required: [['value']], allowed: ['value'] },
  lte: { required: [['value']], allowed: ['value'] },
  exists: { required: [], allowed: [] },
  missing: { required: [], allowed: [] },
  within_days: { required: [['days']], allowed: ['days'] },
  older_than_days: { required: [['days']], allowed: ['days'] },
  domain_in: { required: [['values', 'list']], allowed: ['values', 'list'] },
  domain_not_in: { required: [['values', 'list']], allowed: ['values', 'list'] },
};
const NUMERIC_VALUE_OPERATORS: ReadonlySet<Operator> = new Set(['gt', 'gte', 'lt', 'lte']);
const OPERAND_FIELDS = ['value', 'values', 'list', 'min', 'max', 'days', 'pattern', 'flags', 'caseInsensitive'] as const;

/** HubSpot internal property names, optionally prefixed `company.` for the primary associated company. */
const PROPERTY_REF = /^(company\.)?[a-z0-9_]+$/;
export const propertyRef = z
  .string()
  .regex(PROPERTY_REF, {
    message: 'expected a HubSpot internal property name (lowercase letters, digits, underscores, e.g. jobtitle or company.industry)',
  });
/** What a condition reads: a property, or what the contact's account decided (`account.status`, `account.score`). */
const conditionRef = z
  .string()
  .regex(/^((company|account)\.)?[a-z0-9_]+$/, {
    message: 'expected a HubSpot internal property name (lowercase letters, digits, underscores, e.g. jobtitle or company.industry)',
  })
  .refine((ref) => !ref.startsWith('account.') || ref === 'account.status' || ref === 'account.score', {
    message: 'a contact rule reads only account.status or account.score of its account',
  });

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export interface ConditionInput {
  all?: ConditionInput[];
  any?: ConditionInput[];
  not?: ConditionInput;
  property?: string;
  operator?: Operator;
  value?: string | number | boolean;
  values?: Array<string | number>;
  list?: string;
  min?: number;
  max?: number;
  days?: number;
  pattern?: string;
  flags?: string;
  caseInsensitive?: boolean;
}

export const conditionSchema: z.ZodType<ConditionInput> = z.lazy(() =>
  z
    .object({
      all: z.array(conditionSchema).min(1).optional(),
      any: z.array(conditionSchema).min(1).optional(),
      not: conditionSchema.optional(),
      property: conditionRef.optional(),
      operator: z.enum(OPERATORS).optional(),
      value: scalar.optional(),
      values: z.array(z.union([z.string(), z.number()])).min(1).optional(),
      list: z.string().min(1).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      days: z.number().positive().optional(),
      pattern: z.string().min(1).optional(),
      flags: z.string().regex(/^[imsu]*$/, { message: 'expected regex flags from i, m, s, u' }).optional(),
      caseInsensitive: z.boolean().optional(),
    })
    .strict()
    .superRefine(checkConditionShape),
);

function checkConditionShape(c: ConditionInput, ctx: z.RefinementCtx): void {
  const forms = (['all', 'any', 'not', 'property'] as const).filter((k) => c[k] !== undefined);
  if (forms.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        forms.length === 0
          ? 'expected a condition: {property, operator, ...} or one of all / any / not'
          : `expected exactly one of property, all, any, not; found ${forms.join(' and ')}`,
    });
    return;
  }
  if (c.property === undefined) {
    const stray = [...OPERAND_FIELDS, 'operator' as const].filter((k) => c[k] !== undefined);
    for (const k of stray) ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" belongs to a property condition, not to all/any/not` });
    return;
  }
  if (c.operator === undefined) {
    ctx.addIssue({ code: 'custom', path: ['operator'], message: `expected one of ${OPERATORS.join(', ')}; found nothing` });
    return;
  }
  const spec = OPERATOR_FIELDS[c.operator];
  for (const k of OPERAND_FIELDS) {
    if (c[k] !== undefined && !spec.allowed.includes(k)) {
      ctx.addIssue({ code: 'custom', path: [k], message: `operator ${c.operator} takes no "${k}" (it takes ${spec.allowed.join(', ') || 'nothing else'})` });
    }
  }
  for (const alternatives of spec.required) {
    const given = alternatives.filter((k) => c[k as keyof ConditionInput] !== undefined);
    if (given.length === 0) {
      ctx.addIssue({ code: 'custom', path: [alternatives[0]!], message: `operator ${c.operator} needs ${alternatives.join(' or ')}` });
    } else if (given.length > 1 && (alternatives.includes('list') || alternatives.includes('values'))) {
      ctx.addIssue({ code: 'custom', path: [given[1]!], message: `give either values or list, not both` });
    }
  }
  if (NUMERIC_VALUE_OPERATORS.has(c.operator) && c.value !== undefined && typeof c.value !== 'number') {
    ctx.addIssue({ code: 'custom', path: ['value'], message: `operator ${c.operator} compares numbers; expected a number, found ${JSON.stringify(c.value)}` });
  }
  if (c.operator === 'between' && c.min !== undefined && c.max !== undefined && c.min > c.max) {
    ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${c.max}) is below min (${c.min})` });
  }
  if (c.operator === 'regex' && c.pattern !== undefined) {
    try {
      new RegExp(c.pattern, c.flags);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${(err as Error).message}` });
    }
  }
}

export const ruleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'expected an id of lowercase letters, digits, - and _ (e.g. target-industry)' });

const decaySchema = z
  .object({
    type: z.enum(['half_life', 'linear']),
    days: z.number().positive(),
    from: propertyRef,
  })
  .strict();

const criterionBase = {
  id: ruleId,
  label: z.string().min(1),
  group: z.string().min(1).optional(),
  when: conditionSchema,
  points: z.number().finite(),
};

export const fitCriterionSchema = z.object(criterionBase).strict();
export const engagementCriterionSchema = z.object({ ...criterionBase, decay: decaySchema.optional() }).strict();

export const disqualifierSchema = z
  .object({
    id: ruleId,
    reason: z.string().min(1),
    when: conditionSchema,
  })
  .strict();

export const requiredFieldSchema = z.union([
  propertyRef,
  z.object({ property: propertyRef, label: z.string().min(1).optional() }).strict(),
]);

const thresholdsSchema = z
  .object({ fit: z.number().finite().optional(), engagement: z.number().finite().optional(), total: z.number().finite().optional() })
  .strict();

const statusMap = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(STATUSES), value);

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] as const;
export const LEAD_STATUS_VALUES = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'] as const;

const rejection = z.enum(REJECTIONS, { message: `expected one of ${REJECTIONS.join(', ')}` });
const stageId = z.string().min(1, { message: 'expected a stage id of the lead pipeline (GET /crm/pipelines/2026-09/leads)' });

/** `hubspot.leads`: every key optional, HubSpot's default lead pipeline where left out. */
const leadsSchema = z
  .object({
    pipeline: z.string().min(1).default(DEFAULT_LEAD_HAND_OFF.pipeline),
    stage: stageId.default(DEFAULT_LEAD_HAND_OFF.stage),
    accepted: z.array(stageId).min(1).default(DEFAULT_LEAD_HAND_OFF.accepted),
    rejected: z.array(stageId).min(1).default(DEFAULT_LEAD_HAND_OFF.rejected),
    disqualificationReasons: z.record(z.string().min(1), rejection).default({}),
    otherReason: rejection.default(DEFAULT_LEAD_HAND_OFF.otherReason),
  })
  .strict();

/** A rung of the account ladder: every threshold it sets must be met. */
const accountThresholdsSchema = z
  .object({ fit: z.number().finite().optional(), engagement: z.number().finite().optional(), coverage: z.number().finite().optional(), total: z.number().finite().optional() })
  .strict();

/**
 * A group engagement rule: over the account's contacts, those whose current score (`score`) is at least
 * `min` (above 0 when left out) and, with a `window`, whose date property is at most `days` old; the rule
 * matches when their number (`measure: count`) or the sum of their scores (`measure: sum`) reaches `atLeast`.
 */
const groupEngagementSchema = z
  .object({
    id: ruleId,
    label: z.string().min(1),
    measure: z.enum(['count', 'sum']),
    score: z.enum(CONTACT_SCORES).default('engagement'),
    min: z.number().finite().optional(),
    window: z.object({ days: z.number().positive(), from: propertyRef }).strict().optional(),
    atLeast: z.number().positive(),
    points: z.number().finite(),
  })
  .strict();


/** A buying-role coverage rule: the account's contacts hold `atLeast` of `roles` (all of them when left out). */
const coverageSchema = z
  .object({
    id: ruleId,
    label: z.string().min(1),
    roles: z.array(z.enum(BUYING_ROLES)).min(1),
    atLeast: z.number().int().positive().optional(),
    engagedOnly: z.boolean().optional(),
    points: z.number().finite(),
  })
  .strict();

/** `accounts`: the company judged with its buying group. Conditions read the company's own properties. */
const accountsSchema = z
  .object({
    required: z.array(requiredFieldSchema).optional(),
    disqualifiers: z.array(disqualifierSchema).optional(),
    fit: z.array(fitCriterionSchema).optional(),
    engagement: z.array(groupEngagementSchema).optional(),
    coverage: z.array(coverageSchema).optional(),
    caps: z
      .object({
        fit: z.number().positive().optional(),
        engagement: z.number().positive().optional(),
        coverage: z.number().positive().optional(),
        groups: z.record(z.string().min(1), z.number().positive()).optional(),
      })
      .strict()
      .optional(),
    ladder: z
      .object(Object.fromEntries(ACCOUNT_LADDER_STATUSES.map((s) => [s, accountThresholdsSchema])) as Record<(typeof ACCOUNT_LADDER_STATUSES)[number], typeof accountThresholdsSchema>)
      .strict(),
  })
  .strict();
export type AccountsInput = z.output<typeof accountsSchema>;

/**
 * The shape of a definition file, field by field. The checks that need the whole file (ids unique, lists and
 * groups defined, the accounts section) are added in ./references, which reads this shape: the schema to
 * parse with is `definitionSchema` there.
 */
export const definitionShape = z
  .object({
    version: z.union([z.string().min(1), z.number()]).transform(String),
    name: z.string().min(1),
    description: z.string().optional(),
    lists: z.record(z.string().regex(/^[a-z0-9_-]+$/, { message: 'expected a list name of lowercase letters, digits, - and _' }), z.array(z.union([z.string(), z.number()])).min(1)).optional(),
    required: z.array(requiredFieldSchema).optional(),
    fit: z.array(fitCriterionSchema).optional(),
    engagement: z.array(engagementCriterionSchema).optional(),
    disqualifiers: z.array(disqualifierSchema).optional(),
    caps: z
      .object({
        fit: z.number().positive().optional(),
        engagement: z.number().positive().optional(),
        groups: z.record(z.string().min(1), z.number().positive()).optional(),
      })
      .strict()
      .optional(),
    ladder: z.object(Object.fromEntries(LADDER_STATUSES.map((s) => [s, thresholdsSchema])) as Record<(typeof LADDER_STATUSES)[number], typeof thresholdsSchema>).strict(),
    hubspot: z
      .object({
        leadStatus: statusMap(z.string().min(1)).optional(),
        lifecycleStage: statusMap(z.string().min(1)).optional(),
        leads: leadsSchema.optional(),
      })
      .strict()
      .optional(),
    accounts: accountsSchema.optional(),
  })
  .strict();

export type DefinitionInput = z.input<typeof definitionShape>;
export type ParsedDefinition = z.output<typeof definitionShape>;

export function walkConditions(c: ConditionInput, path: Array<string | number>, visit: (c: ConditionInput, path: Array<string | number>) => void): void {
  visit(c, path);
  c.all?.forEach((child, i) => walkConditions(child, [...path, 'all', i], visit));
  c.any?.forEach((child, i) => walkConditions(child, [...path, 'any', i], visit));
  if (c.not) walkConditions(c.not, [...path, 'not'], visit);
}

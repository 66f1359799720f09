import { z } from 'zod';

/**
 * The webhook body: a JSON array of events, in the legacy format (`contact.creation`, `deal.propertyChange`,
 * ...) or the generic one (`object.creation` with `objectTypeId`). Fields common to every event are checked
 * for every event, including subscription types we do not act on; the fields a kind needs are checked only
 * for the kinds we act on. Unknown fields pass through (HubSpot adds fields; rejecting them would make it
 * retry forever).
 */

/** Ids are JSON numbers in webhooks but strings everywhere else, and exceed 2^31: kept as decimal strings. */
const hubspotId = z.unknown().transform((v, ctx) => {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return v;
  ctx.addIssue({
    code: 'custom',
    message: v === undefined ? 'is required' : `must be a non-negative integer id, got ${JSON.stringify(v)?.slice(0, 40) ?? typeof v}`,
  });
  return z.NEVER;
});
const portalId = z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/).transform(Number)]);
const epochMs = z.number().int().nonnegative();
const optionalText = z.string().nullish().transform((v) => v ?? null);
const objectTypeId = z.string().regex(/^\d+-\d+$/, 'must look like 0-1');

const common = z.looseObject({
  eventId: hubspotId,
  portalId,
  occurredAt: epochMs,
  // Letters only would refuse a well-formed type HubSpot adds with a digit or hyphen in it (custom object
  // names carry them), and a 4xx makes HubSpot retry it for a day: such types must pass and be ignored.
  subscriptionType: z.string().regex(/^[\w-]+\.[\w-]+$/, 'must look like contact.propertyChange'),
  // Optional here only because association changes (and, defensively, merges) may come without it (see
  // objectIdOf); every other event without one is refused.
  objectId: hubspotId.optional(),
  attemptNumber: z.number().int().nonnegative().nullish().transform((v) => v ?? null),
  changeSource: optionalText,
  sourceId: optionalText,
});

const propertyChange = z.looseObject({ propertyName: z.string().min(1), propertyValue: optionalText });
const merge = z.looseObject({
  primaryObjectId: hubspotId,
  mergedObjectIds: z.array(hubspotId),
  newObjectId: hubspotId.optional(),
});
const associationChange = z.looseObject({
  fromObjectId: hubspotId,
  toObjectId: hubspotId,
  associationType: z.string().min(1).optional(),
  fromObjectTypeId: objectTypeId.optional(),
  toObjectTypeId: objectTypeId.optional(),
  // Optional on purpose: the generic format's fields are not fully documented. Without it a change is
  // still work; it just cannot be called a conversion.
  associationRemoved: z.boolean().optional(),
  isPrimaryAssociation: z.boolean().optional(),
});
const generic = z.looseObject({ objectTypeId });

export type CommonFields = z.output<typeof common>;
export type PropertyChangeFields = z.output<typeof propertyChange>;
export type MergeFields = z.output<typeof merge>;
export type AssociationChangeFields = z.output<typeof associationChange>;

/** One event, validated, with the fields of its kind. `raw` is the element exactly as received. */
export interface WebhookEvent extends CommonFields {
  /** Always set: from the event, or when it has none, an association's `fromObjectId` or a merge's primary. */
  objectId: string;
  /** Legacy prefix (`contact`) or `object`. */
  family: string;
  /** `creation`, `propertyChange`, ... */
  action: string;
  /** Generic format only. */
  objectTypeId?: string;
  propertyChange?: PropertyChangeFields;
  merge?: MergeFields;
  association?: AssociationChangeFields;
  raw: unknown;
}

/**
 * The same checks as `common` and `propertyChange`, by hand, for the events nearly every batch is made of.
 * Zod's generic object walk costs ~20 us an event, a third of a 100-event batch's CPU. A fast check only
 * ever says "valid, and this is what zod would output" or "not sure": anything it does not accept (it is
 * stricter than the schemas, never looser) goes through zod, which then decides and words the message.
 * test/webhooks checks both paths agree.
 */
const ID_TEXT = /^\d{1,20}$/;
const PORTAL_TEXT = /^\d{1,18}$/;
const SUBSCRIPTION_TYPE = /^[\w-]+\.[\w-]+$/;
const fastId = (v: unknown): string | undefined =>
  typeof v === 'number' ? (Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined) : typeof v === 'string' && ID_TEXT.test(v) ? v : undefined;
const fastText = (v: unknown): string | null | undefined => (v === undefined || v === null ? null : typeof v === 'string' ? v : undefined);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function fastCommon(raw: unknown): CommonFields | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const eventId = fastId(r.eventId);
  if (eventId === undefined) return undefined;
  const p = r.portalId;
  let portal: number;
  if (typeof p === 'number' && Number.isSafeInteger(p) && p > 0) portal = p;
  else if (typeof p === 'string' && PORTAL_TEXT.test(p)) portal = Number(p);
  else return undefined;
  if (!isCount(r.occurredAt)) return undefined;
  if (typeof r.subscriptionType !== 'string' || !SUBSCRIPTION_TYPE.test(r.subscriptionType)) return undefined;
  let objectId: string | undefined;
  if (r.objectId !== undefined) {
    objectId = fastId(r.objectId);
    if (objectId === undefined) return undefined;
  }
  const a = r.attemptNumber;
  if (!(a === undefined || a === null || isCount(a))) return undefined;
  const changeSource = fastText(r.changeSource);
  const sourceId = fastText(r.sourceId);
  if (changeSource === undefined || sourceId === undefined) return undefined;
  const out: CommonFields = {
    ...r,
    eventId,
    portalId: portal,
    occurredAt: r.occurredAt,
    subscriptionType: r.subscriptionType,
    attemptNumber: a ?? null,
    changeSource,
    sourceId,
  };
  if (objectId !== undefined) out.objectId = objectId;
  return out;
}

export function fastPropertyChange(raw: unknown): PropertyChangeFields | undefined {
  const r = raw as Record<string, unknown>;
  if (typeof r.propertyName !== 'string' || r.propertyName.length === 0) return undefined;
  const propertyValue = fastText(r.propertyValue);
  if (propertyValue === undefined) return undefined;
  return { ...r, propertyName: r.propertyName, propertyValue };
}

/** The families whose events we act on; events of other families are stored as ignored. */
export const ACTED_FAMILIES = new Set(['contact', 'company', 'deal', 'object']);

export type ParseResult = { ok: true; events: WebhookEvent[] } | { ok: false; message: string };

const MAX_REPORTED_ISSUES = 5;

function describeIssue(index: number, issue: z.core.$ZodIssue): string {
  const where = `body[${index}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
  const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? `is required (${issue.expected})` : issue.message;
  return `${where} ${message}`;
}

function kindSchema(family: string, action: string): z.ZodType | undefined {
  if (!ACTED_FAMILIES.has(family)) return undefined;
  switch (action) {
    case 'propertyChange':
      return propertyChange;
    case 'merge':
      return merge;
    case 'associationChange':
      return associationChange;
    default:
      return undefined;
  }
}

/**
 * The object an event without `objectId` is about. Association changes carry `fromObjectId` and
 * `toObjectId`, and deliveries recorded from production portals come without `objectId` (for example a
 * `deal.associationChange` with `DEAL_TO_LINE_ITEM`; HubSpot's reference is silent on it). Refusing them
 * would make HubSpot retry each for a day and then drop it, and a new contact-deal association is the
 * conversion signal, so the `from` end stands in (the event is "about" that object). Merges get the same
 * treatment with their primary id, since losing one would leave the merged-away records mirrored.
 */
function objectIdOf(action: string, raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const field = action === 'associationChange' ? 'fromObjectId' : action === 'merge' ? 'primaryObjectId' : undefined;
  if (field === undefined) return undefined;
  const id = hubspotId.safeParse((raw as Record<string, unknown>)[field]);
  return id.success ? id.data : undefined;
}

/** Parses the raw body. A message names every problem (up to five) precisely, for the 400 answer. */
export function parseEventBatch(rawBody: Buffer): ParseResult {
  if (rawBody.length === 0) return { ok: false, message: 'empty body: expected a JSON array of events' };
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (err) {
    return { ok: false, message: `body is not valid JSON: ${(err as Error).message}` };
  }
  if (!Array.isArray(json)) {
    return { ok: false, message: `body must be a JSON array of events, got ${json === null ? 'null' : typeof json}` };
  }
  const events: WebhookEvent[] = [];
  const problems: string[] = [];
  json.forEach((raw, index) => {
    if (problems.length >= MAX_REPORTED_ISSUES) return;
    const quick = fastCommon(raw);
    const base = quick !== undefined ? ({ success: true, data: quick } as const) : common.safeParse(raw);
    if (!base.success) {
      problems.push(...base.error.issues.map((i) => describeIssue(index, i)));
      return;
    }
    const [family, action] = base.data.subscriptionType.split('.') as [string, string];
    const objectId = base.data.objectId ?? objectIdOf(action, raw);
    if (objectId === undefined) {
      problems.push(`body[${index}].objectId is required`);
      return;
    }
    const event: WebhookEvent = { ...base.data, objectId, family, action, raw };
    if (family === 'object') {
      const g = generic.safeParse(raw);
      if (!g.success) {
        problems.push(...g.error.issues.map((i) => describeIssue(index, i)));
        return;
      }
      event.objectTypeId = g.data.objectTypeId;
    }
    const schema = kindSchema(family, action);
    const quickChange = schema === propertyChange ? fastPropertyChange(raw) : undefined;
    if (quickChange !== undefined) {
      event.propertyChange = quickChange;
    } else if (schema) {
      const k = schema.safeParse(raw);
      if (!k.success) {
        problems.push(...k.error.issues.map((i) => describeIssue(index, i)));
        return;
      }
      if (action === 'propertyChange') event.propertyChange = k.data as PropertyChangeFields;
      if (action === 'merge') event.merge = k.data as MergeFields;
      if (action === 'associationChange') event.association = k.data as AssociationChangeFields;
    }
    events.push(event);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_ISSUES);
    return { ok: false, message: `invalid event${shown.length > 1 ? 's' : ''}: ${shown.join('; ')}` };
  }
  return { ok: true, events };
}

/** For tests: the zod schemas the fast checks stand in for. */
export const schemasForTests = { common, propertyChange };

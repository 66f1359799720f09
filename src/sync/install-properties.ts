import { HubSpotError } from '../hubspot/errors';
import type { CrmGateway, CrmObjectType, PropertyDefinition } from '../hubspot/types';
import { PRODUCT_PROPERTIES, PROPERTY_GROUP } from './properties';

export interface PropertyPlanLine {
  objectType: CrmObjectType;
  name: string;
  action: 'create' | 'update' | 'ok';
  /** For updates: what differs (label, description, options). */
  differences?: string[];
}

/** What differs between the property we need and the one the portal has. Never the type: that would lose data. */
function differences(want: PropertyDefinition, have: PropertyDefinition): string[] {
  const out: string[] = [];
  if (want.label !== have.label) out.push('label');
  if ((want.description ?? '') !== (have.description ?? '')) out.push('description');
  const options = (p: PropertyDefinition) => JSON.stringify((p.options ?? []).map((o) => [o.value, o.label]).sort());
  const missingOptions = (want.options ?? []).some((o) => !(have.options ?? []).some((h) => h.value === o.value && h.label === o.label));
  if (want.options && (missingOptions || options(want) !== options(have))) out.push('options');
  return out;
}

/**
 * Creates the `uld` group and every product property that is missing, updates labels, descriptions and
 * enumeration options that changed, and never deletes anything (an admin's reports may use an old option).
 * Idempotent: a second run changes nothing and reports every line as `ok`.
 */
export async function ensureProductProperties(gateway: CrmGateway, options: { dryRun?: boolean } = {}): Promise<PropertyPlanLine[]> {
  const plan: PropertyPlanLine[] = [];
  for (const [objectType, wanted] of Object.entries(PRODUCT_PROPERTIES) as Array<[CrmObjectType, PropertyDefinition[]]>) {
    if (!options.dryRun) await gateway.ensurePropertyGroup(objectType, PROPERTY_GROUP);
    const existing = new Map((await gateway.listProperties(objectType)).map((p) => [p.name, p]));
    for (const want of wanted) {
      const have = existing.get(want.name);
      if (!have) {
        if (!options.dryRun) await createOnce(gateway, objectType, want);
        plan.push({ objectType, name: want.name, action: 'create' });
        continue;
      }
      const diff = differences(want, have);
      if (diff.length === 0) {
        plan.push({ objectType, name: want.name, action: 'ok' });
        continue;
      }
      if (!options.dryRun) {
        // Options are merged, never dropped: values already on records must stay valid.
        const mergedOptions = want.options ? [...want.options, ...(have.options ?? []).filter((h) => !want.options!.some((w) => w.value === h.value))] : undefined;
        await gateway.updateProperty(objectType, want.name, { label: want.label, description: want.description, ...(mergedOptions ? { options: mergedOptions } : {}) });
      }
      plan.push({ objectType, name: want.name, action: 'update', differences: diff });
    }
  }
  return plan;
}

/**
 * A create whose first attempt landed but whose answer was lost (a deadline, a dropped connection) is retried
 * by the transport, and HubSpot answers the retry 409 OBJECT_ALREADY_EXISTS: the property is there, as wanted.
 */
async function createOnce(gateway: CrmGateway, objectType: CrmObjectType, want: PropertyDefinition): Promise<void> {
  try {
    await gateway.createProperty(objectType, want);
  } catch (err) {
    // Any 409 on a property create is that conflict: the category is not relied on (not found in HubSpot's reference).
    if (err instanceof HubSpotError && err.status === 409) return;
    throw err;
  }
}

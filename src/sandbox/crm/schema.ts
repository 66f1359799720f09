import { conflict, notFound, validationError, type PropertyValueError } from '../errors';
import { OBJECT_TYPES, type ObjectType } from './object-types';
import { builtInProperties, GROUPS, type PropertyOption, type PropertySeed, type PropertyType } from './property-catalog';

/** A property definition as the portal keeps it (and as the properties API returns it). */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hubspotDefined: boolean;
  readOnlyValue: boolean;
  calculated: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  externalOptions: boolean;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

const PROPERTY_TYPES: readonly PropertyType[] = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'];
const FIELD_TYPES = ['textarea', 'text', 'date', 'file', 'number', 'select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation', 'phonenumber', 'html'];
/** HubSpot property names: lower case letters, digits and underscores, starting with a letter. */
const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/;
/** A loose email shape: HubSpot refuses values it cannot read as an address (INVALID_EMAIL). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface PropertyCreateInput {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description?: string;
  options?: Array<Partial<PropertyOption> & { label: string; value: string }>;
  displayOrder?: number;
  hasUniqueValue?: boolean;
  hidden?: boolean;
  formField?: boolean;
}

export type PropertyUpdateInput = Partial<Omit<PropertyCreateInput, 'name'>>;

/**
 * The property schema of every object type: definitions, groups, and the validation and normalisation of
 * values written to objects. Options of `hubspot_owner_id`, `dealstage` and `pipeline` are supplied by
 * the portal (owners and pipelines live elsewhere) through `dynamicOptions`.
 */
export class PropertySchema {
  private readonly properties = new Map<ObjectType, Map<string, PropertyDefinition>>();
  private readonly groups = new Map<ObjectType, Map<string, PropertyGroupDefinition>>();

  constructor(
    private readonly clock: () => number,
    private readonly portalId: number,
    private readonly dynamicOptions: (type: ObjectType, name: string) => PropertyOption[] | undefined,
  ) {
    const catalog = builtInProperties();
    const createdAt = clock();
    for (const type of OBJECT_TYPES) {
      this.properties.set(type, new Map());
      const groups = new Map<string, PropertyGroupDefinition>();
      GROUPS[type].forEach((g, index) => groups.set(g.name, { ...g, displayOrder: index, archived: false }));
      this.groups.set(type, groups);
      catalog[type].forEach((seed, index) => this.addBuiltIn(type, seed, index, createdAt));
    }
  }

  /** Adds a HubSpot-calculated property (deal stage entry dates appear when a pipeline gains a stage). */
  addBuiltIn(type: ObjectType, seed: PropertySeed, displayOrder = -1, createdAt = this.clock()): void {
    const defs = this.map(type);
    if (defs.has(seed.name)) return;
    defs.set(seed.name, {
      name: seed.name,
      label: seed.label,
      type: seed.type,
      fieldType: seed.fieldType,
      groupName: seed.groupName,
      description: seed.description ?? '',
      options: seed.options ?? [],
      displayOrder,
      hubspotDefined: seed.hubspotDefined ?? true,
      readOnlyValue: seed.readOnly ?? false,
      calculated: seed.readOnly ?? false,
      hasUniqueValue: seed.hasUniqueValue ?? false,
      hidden: false,
      formField: !(seed.readOnly ?? false),
      externalOptions: false,
      createdAt,
      updatedAt: createdAt,
      archived: false,
    });
  }

  get(type: ObjectType, name: string): PropertyDefinition | undefined {
    const def = this.map(type).get(name);
    return def && !def.archived ? def : undefined;
  }

  list(type: ObjectType, archived = false): PropertyDefinition[] {
    return [...this.map(type).values()].filter((d) => d.archived === archived);
  }

  /** Options as HubSpot would show them right now (owners and stages change over time). */
  optionsOf(type: ObjectType, def: PropertyDefinition): PropertyOption[] {
    return this.dynamicOptions(type, def.name) ?? def.options;
  }

  create(type: ObjectType, input: PropertyCreateInput): PropertyDefinition {
    const problems: string[] = [];
    if (typeof input.name !== 'string' || !PROPERTY_NAME.test(input.name)) problems.push(`name "${String(input.name)}" must be lower case letters, digits and underscores`);
    if (typeof input.label !== 'string' || input.label.length === 0) problems.push('label is required');
    if (!PROPERTY_TYPES.includes(input.type as PropertyType)) problems.push(`type must be one of ${PROPERTY_TYPES.join(', ')}`);
    if (!FIELD_TYPES.includes(input.fieldType)) problems.push(`fieldType must be one of ${FIELD_TYPES.join(', ')}`);
    if (!this.groupMap(type).get(input.groupName) || this.groupMap(type).get(input.groupName)?.archived) problems.push(`group "${String(input.groupName)}" does not exist`);
    if (input.type === 'enumeration' && (!input.options || input.options.length === 0)) problems.push('an enumeration property needs options');
    if (problems.length > 0) throw validationError(`Invalid input JSON on line 1: ${problems.join('; ')}`);
    const existing = this.map(type).get(input.name);
    if (existing && !existing.archived) {
      throw conflict(`A property named '${input.name}' already exists.`, { subCategory: 'ObjectAlreadyExists.PROPERTY_EXISTS', context: { name: [input.name] } });
    }
    const now = this.clock();
    const def: PropertyDefinition = {
      name: input.name,
      label: input.label,
      type: input.type as PropertyType,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: normaliseOptions(input.options ?? (input.type === 'bool' ? [{ label: 'Yes', value: 'true' }, { label: 'No', value: 'false' }] : [])),
      displayOrder: input.displayOrder ?? -1,
      hubspotDefined: false,
      readOnlyValue: false,
      calculated: false,
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? true,
      externalOptions: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    this.map(type).set(def.name, def);
    return def;
  }

  update(type: ObjectType, name: string, input: PropertyUpdateInput): PropertyDefinition {
    const def = this.get(type, name);
    if (!def) throw notFound(`Unable to find property ${name} for object type ${type}`, { context: { propertyName: [name] } });
    if (input.groupName !== undefined && !this.groupMap(type).get(input.groupName)) throw validationError(`group "${input.groupName}" does not exist`);
    if (input.type !== undefined && def.hubspotDefined && input.type !== def.type) throw validationError(`The type of HubSpot-defined property ${name} cannot be changed`);
    if (input.type !== undefined && !PROPERTY_TYPES.includes(input.type as PropertyType)) throw validationError(`type must be one of ${PROPERTY_TYPES.join(', ')}`);
    if (input.label !== undefined) def.label = input.label;
    if (input.description !== undefined) def.description = input.description;
    if (input.groupName !== undefined) def.groupName = input.groupName;
    if (input.type !== undefined) def.type = input.type as PropertyType;
    if (input.fieldType !== undefined) def.fieldType = input.fieldType;
    if (input.options !== undefined) def.options = normaliseOptions(input.options);
    if (input.displayOrder !== undefined) def.displayOrder = input.displayOrder;
    if (input.hidden !== undefined) def.hidden = input.hidden;
    if (input.formField !== undefined) def.formField = input.formField;
    def.updatedAt = this.clock();
    return def;
  }

  archive(type: ObjectType, name: string): void {
    const def = this.get(type, name);
    if (!def) throw notFound(`Unable to find property ${name} for object type ${type}`);
    if (def.hubspotDefined) throw validationError(`HubSpot-defined property ${name} cannot be archived`);
    def.archived = true;
    def.archivedAt = this.clock();
  }

  getGroup(type: ObjectType, name: string): PropertyGroupDefinition | undefined {
    const group = this.groupMap(type).get(name);
    return group && !group.archived ? group : undefined;
  }

  listGroups(type: ObjectType): PropertyGroupDefinition[] {
    return [...this.groupMap(type).values()].filter((g) => !g.archived);
  }

  createGroup(type: ObjectType, input: { name: string; label: string; displayOrder?: number }): PropertyGroupDefinition {
    if (typeof input.name !== 'string' || !PROPERTY_NAME.test(input.name) || typeof input.label !== 'string' || input.label === '') {
      throw validationError('A property group needs a name (lower case letters, digits, underscores) and a label');
    }
    const existing = this.groupMap(type).get(input.name);
    if (existing && !existing.archived) throw conflict(`A property group named '${input.name}' already exists.`, { context: { name: [input.name] } });
    const group = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    this.groupMap(type).set(group.name, group);
    return group;
  }

  updateGroup(type: ObjectType, name: string, input: { label?: string; displayOrder?: number }): PropertyGroupDefinition {
    const group = this.getGroup(type, name);
    if (!group) throw notFound(`Unable to find property group ${name} for object type ${type}`);
    if (input.label !== undefined) group.label = input.label;
    if (input.displayOrder !== undefined) group.displayOrder = input.displayOrder;
    return group;
  }

  archiveGroup(type: ObjectType, name: string): void {
    const group = this.getGroup(type, name);
    if (!group) throw notFound(`Unable to find property group ${name} for object type ${type}`);
    if (this.list(type).some((d) => d.groupName === name)) throw validationError(`Property group ${name} still has properties and cannot be archived`);
    group.archived = true;
  }

  /**
   * Checks one value written through the API and returns its stored form (HubSpot keeps every value as a
   * string; datetimes come back as ISO-8601 whatever form they were written in), or the problem in
   * HubSpot's per-property error shape. An empty string clears the property.
   */
  normalise(type: ObjectType, name: string, raw: unknown, { allowReadOnly = false } = {}): { value: string } | { problem: PropertyValueError } {
    const problem = (error: PropertyValueError['error'], message: string): { problem: PropertyValueError } => ({
      problem: { isValid: false, message, error, name, localizedErrorMessage: message, portalId: this.portalId },
    });
    const def = this.get(type, name);
    if (!def) return problem('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
    if (def.readOnlyValue && !allowReadOnly) return problem('READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`);
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (value === '') return { value: '' };
    switch (def.type) {
      case 'number': {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n)) return problem('INVALID_FLOAT', `${value} was not a valid number.`);
        return { value };
      }
      case 'datetime': {
        const at = parseHubSpotTime(value);
        if (at === undefined) return problem('INVALID_DATE', `${value} was not a valid date or datetime (ISO 8601 or milliseconds since the epoch).`);
        return { value: new Date(at).toISOString() };
      }
      case 'date': {
        const at = parseHubSpotTime(value);
        if (at === undefined || at % 86_400_000 !== 0) return problem('INVALID_DATE', `${value} is not a valid date: dates must be at midnight UTC.`);
        return { value: new Date(at).toISOString().slice(0, 10) };
      }
      case 'bool': {
        const lower = value.toLowerCase();
        if (lower !== 'true' && lower !== 'false') return problem('INVALID_BOOLEAN', `${value} was not a valid boolean (true or false).`);
        return { value: lower };
      }
      case 'enumeration': {
        const allowed = this.optionsOf(type, def).map((o) => o.value);
        const chosen = def.fieldType === 'checkbox' ? value.split(';') : [value];
        const bad = chosen.find((v) => !allowed.includes(v));
        if (bad !== undefined) return problem('INVALID_OPTION', `${bad} was not one of the allowed options: [${allowed.join(', ')}]`);
        return { value };
      }
      default:
        if (name === 'email' && !EMAIL.test(value)) return problem('INVALID_EMAIL', `Email address ${value} is invalid`);
        return { value };
    }
  }

  private map(type: ObjectType): Map<string, PropertyDefinition> {
    return this.properties.get(type) as Map<string, PropertyDefinition>;
  }

  private groupMap(type: ObjectType): Map<string, PropertyGroupDefinition> {
    return this.groups.get(type) as Map<string, PropertyGroupDefinition>;
  }
}

function normaliseOptions(input: Array<Partial<PropertyOption> & { label: string; value: string }>): PropertyOption[] {
  return input.map((o, index) => ({
    label: String(o.label),
    value: String(o.value),
    displayOrder: o.displayOrder ?? index,
    hidden: o.hidden ?? false,
    ...(o.description !== undefined ? { description: o.description } : {}),
  }));
}

/** Reads a HubSpot time value: epoch milliseconds (as digits) or an ISO-8601 date or datetime. */
export function parseHubSpotTime(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

import type { ObjectType } from './object-types';

/**
 * Associations between records, stored in both directions, with HubSpot's association type ids
 * (HUBSPOT_DEFINED category). A primary association implies the unlabeled one too, and each record has
 * at most one primary company.
 */
export interface AssociationKind {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  /** The mirrored type id HubSpot records on the other side. */
  reverseTypeId: number;
  primary: boolean;
  /** v3 style name (`contact_to_company`, `contact_to_company_unlabeled`) used by `?associations=`. */
  v3Name: string;
  /** Webhook `associationType` (`CONTACT_TO_COMPANY`). */
  webhookName: string;
}

const KINDS: AssociationKind[] = [];
function pair(from: ObjectType, to: ObjectType, typeId: number, reverseTypeId: number, primary = false): void {
  const singular = (t: ObjectType): string => ({ contacts: 'contact', companies: 'company', deals: 'deal', notes: 'note', tasks: 'task', leads: 'lead' })[t];
  const base = `${singular(from)}_to_${singular(to)}`;
  const mirrorBase = `${singular(to)}_to_${singular(from)}`;
  // Only the company links of contacts and deals have a primary flavour; for those the plain name
  // belongs to the primary and the unlabeled one gets a suffix, as HubSpot's v3 reads show them.
  const hasPrimary = (from === 'contacts' || from === 'deals') && to === 'companies';
  const mirrorHasPrimary = (to === 'contacts' || to === 'deals') && from === 'companies';
  KINDS.push({
    from,
    to,
    typeId,
    reverseTypeId,
    primary,
    v3Name: hasPrimary && !primary ? `${base}_unlabeled` : base,
    webhookName: base.toUpperCase(),
  });
  KINDS.push({
    from: to,
    to: from,
    typeId: reverseTypeId,
    reverseTypeId: typeId,
    primary,
    v3Name: mirrorHasPrimary && !primary ? `${mirrorBase}_unlabeled` : mirrorBase,
    webhookName: mirrorBase.toUpperCase(),
  });
}
// Type ids from HubSpot's associations v4 reference ("Association type id values").
pair('contacts', 'companies', 279, 280);
pair('contacts', 'companies', 1, 2, true);
pair('deals', 'companies', 341, 342);
pair('deals', 'companies', 5, 6, true);
pair('deals', 'contacts', 3, 4);
pair('contacts', 'notes', 201, 202);
pair('companies', 'notes', 189, 190);
pair('deals', 'notes', 213, 214);
pair('contacts', 'tasks', 203, 204);
pair('companies', 'tasks', 191, 192);
pair('deals', 'tasks', 215, 216);
// Leads: HubSpot's leads guide creates a lead with HUBSPOT_DEFINED 578 to its contact; public code uses 578 =
// lead to primary contact and 580 = lead to primary company (shared platform doc §7). The reverse ids (579,
// 581) are not documented: the sandbox needs some, and they follow HubSpot's habit of pairing n and n+1
// (UNCONFIRMED). A lead has exactly these two kinds in the sandbox: no unlabeled flavour is known.
pair('leads', 'contacts', 578, 579);
pair('leads', 'companies', 580, 581);

export const ASSOCIATION_KINDS: readonly AssociationKind[] = KINDS;

export function associationKind(from: ObjectType, to: ObjectType, typeId: number): AssociationKind | undefined {
  return KINDS.find((k) => k.from === from && k.to === to && k.typeId === typeId);
}

/** The unlabeled (default) kind between two types, used by `associate/default` and plain creates. */
export function defaultKind(from: ObjectType, to: ObjectType): AssociationKind | undefined {
  return KINDS.find((k) => k.from === from && k.to === to && !k.primary);
}

function primaryKind(from: ObjectType, to: ObjectType): AssociationKind | undefined {
  return KINDS.find((k) => k.from === from && k.to === to && k.primary);
}

export interface AssociationEdge {
  fromType: ObjectType;
  fromId: string;
  toType: ObjectType;
  toId: string;
  kind: AssociationKind;
}

export class AssociationStore {
  /** `${type}:${id}` -> target type -> target id -> type ids. */
  private readonly edges = new Map<string, Map<ObjectType, Map<string, Set<number>>>>();

  /**
   * Adds an association and its mirror. A primary also adds the unlabeled kind and demotes any other
   * primary of the same record. Returns the edges that did not exist before (for change events).
   */
  add(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, kind: AssociationKind): { added: AssociationEdge[]; removed: AssociationEdge[] } {
    const added: AssociationEdge[] = [];
    const removed: AssociationEdge[] = [];
    if (kind.primary) {
      for (const [otherId, types] of this.targets(fromType, fromId, toType)) {
        if (otherId !== toId && types.has(kind.typeId)) removed.push(...this.removeKind(fromType, fromId, toType, otherId, kind));
      }
      const plain = defaultKind(fromType, toType);
      if (plain) added.push(...this.addOne(fromType, fromId, toType, toId, plain));
    }
    added.push(...this.addOne(fromType, fromId, toType, toId, kind));
    return { added, removed };
  }

  /** Removes every association between two records (both directions). */
  removeAll(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): AssociationEdge[] {
    const types = this.targets(fromType, fromId, toType).get(toId);
    if (!types) return [];
    const removed: AssociationEdge[] = [];
    for (const typeId of [...types]) {
      const kind = associationKind(fromType, toType, typeId);
      if (kind) removed.push(...this.removeKind(fromType, fromId, toType, toId, kind));
    }
    return removed;
  }

  /**
   * Removes one association type between two records (both directions): a label. The unlabeled type
   * underlies every label, so removing it removes them all.
   */
  removeType(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, kind: AssociationKind): AssociationEdge[] {
    if (!kind.primary) return this.removeAll(fromType, fromId, toType, toId);
    return this.removeKind(fromType, fromId, toType, toId, kind);
  }

  /** Targets of one record of one type, with their type ids, in insertion order. */
  list(fromType: ObjectType, fromId: string, toType: ObjectType): Array<{ toId: string; kinds: AssociationKind[] }> {
    const out: Array<{ toId: string; kinds: AssociationKind[] }> = [];
    for (const [toId, types] of this.targets(fromType, fromId, toType)) {
      const kinds = [...types].map((t) => associationKind(fromType, toType, t)).filter((k): k is AssociationKind => k !== undefined);
      if (kinds.length > 0) out.push({ toId, kinds });
    }
    return out;
  }

  /** The primary company of a contact or deal, when it has one. */
  primaryCompany(fromType: 'contacts' | 'deals', fromId: string): string | undefined {
    const kind = primaryKind(fromType, 'companies');
    if (!kind) return undefined;
    for (const [toId, types] of this.targets(fromType, fromId, 'companies')) if (types.has(kind.typeId)) return toId;
    return undefined;
  }

  /** Moves the associations of a merged record to the surviving one. */
  moveAll(type: ObjectType, fromId: string, intoId: string): void {
    const node = this.edges.get(key(type, fromId));
    if (!node) return;
    for (const [toType, targets] of node) {
      for (const [toId, types] of targets) {
        for (const typeId of [...types]) {
          const kind = associationKind(type, toType, typeId);
          if (!kind) continue;
          this.removeKind(type, fromId, toType, toId, kind);
          if (!(toType === type && toId === intoId)) this.addOne(type, intoId, toType, toId, kind);
        }
      }
    }
  }

  private addOne(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, kind: AssociationKind): AssociationEdge[] {
    const types = this.targetSet(fromType, fromId, toType, toId);
    if (types.has(kind.typeId)) return [];
    types.add(kind.typeId);
    this.targetSet(toType, toId, fromType, fromId).add(kind.reverseTypeId);
    const mirror = associationKind(toType, fromType, kind.reverseTypeId) as AssociationKind;
    return [
      { fromType, fromId, toType, toId, kind },
      { fromType: toType, fromId: toId, toType: fromType, toId: fromId, kind: mirror },
    ];
  }

  private removeKind(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, kind: AssociationKind): AssociationEdge[] {
    const forward = this.targets(fromType, fromId, toType);
    const backward = this.targets(toType, toId, fromType);
    if (!forward.get(toId)?.delete(kind.typeId)) return [];
    if (forward.get(toId)?.size === 0) forward.delete(toId);
    backward.get(fromId)?.delete(kind.reverseTypeId);
    if (backward.get(fromId)?.size === 0) backward.delete(fromId);
    const mirror = associationKind(toType, fromType, kind.reverseTypeId) as AssociationKind;
    return [
      { fromType, fromId, toType, toId, kind },
      { fromType: toType, fromId: toId, toType: fromType, toId: fromId, kind: mirror },
    ];
  }

  private targets(fromType: ObjectType, fromId: string, toType: ObjectType): Map<string, Set<number>> {
    return this.edges.get(key(fromType, fromId))?.get(toType) ?? EMPTY;
  }

  private targetSet(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): Set<number> {
    let node = this.edges.get(key(fromType, fromId));
    if (!node) {
      node = new Map();
      this.edges.set(key(fromType, fromId), node);
    }
    let targets = node.get(toType);
    if (!targets) {
      targets = new Map();
      node.set(toType, targets);
    }
    let types = targets.get(toId);
    if (!types) {
      types = new Set();
      targets.set(toId, types);
    }
    return types;
  }
}

const EMPTY: Map<string, Set<number>> = new Map();

function key(type: ObjectType, id: string): string {
  return `${type}:${id}`;
}

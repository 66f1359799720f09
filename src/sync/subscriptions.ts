import type { HandOffMode } from '../config/schema';
import type { CompiledDefinition } from '../definition';
import { ACCOUNT_REFS } from '../definition/account-types';

/**
 * A webhook subscription as HubSpot's app settings hold it: the legacy format (`contact.propertyChange`), or
 * the generic one (`object.propertyChange` with an `objectType`) for objects that have no legacy type (leads).
 */
export interface SubscriptionSpec {
  subscriptionType: string;
  /** Generic format only: the object's name (`lead`). */
  objectType?: string;
  propertyName?: string;
}

/**
 * HANDOFF_MODE=lead: a hand-off Lead's stage and disqualification reason, the two properties its verdict is
 * read from (src/sync/lead-verdict.ts). Generic format: HubSpot has no legacy `lead.*` subscription types; its
 * events carry objectTypeId 0-136. Whether a project's webhooks-hsmeta.json accepts `objectType: "lead"` is
 * not confirmed (shared platform doc §4.3, §7); the reconcile job finds stage moves a missing subscription
 * would not deliver.
 */
export const LEAD_SUBSCRIPTIONS: readonly SubscriptionSpec[] = ['hs_pipeline_stage', 'hs_lead_disqualification_reason'].map((propertyName) => ({
  subscriptionType: 'object.propertyChange',
  objectType: 'lead',
  propertyName,
}));

/**
 * Exactly the webhook subscriptions the definition needs: a property change per input property (contact
 * and company), the rep's feedback, deal stage moves, and the lifecycle events (creation, deletion, merge,
 * association changes) of contacts, companies and deals; with HANDOFF_MODE=lead, the hand-off Leads' stages.
 */
export function subscriptionsFor(def: CompiledDefinition, options: { handOffMode?: HandOffMode } = {}): SubscriptionSpec[] {
  // With accounts: the contact properties the account rules read (hs_buying_role, the windows' dates) and
  // the company's own inputs. `account.status` and `account.score` are the product's own writes: their
  // changes are passed down by the worker, not by an event (events of our own writes are ignored anyway).
  const contactProps = [...new Set([...def.contactProperties, ...(def.accounts?.contactProperties ?? []), 'uld_sales_feedback'])].sort();
  const ownWrites = new Set<string>(Object.values(ACCOUNT_REFS));
  const companyProps = [...new Set([...def.companyProperties, ...(def.accounts?.companyProperties ?? [])])].filter((p) => !ownWrites.has(p)).sort();
  return [
    ...['creation', 'deletion', 'merge', 'associationChange', 'restore'].map((k) => ({ subscriptionType: `contact.${k}` })),
    ...contactProps.map((propertyName) => ({ subscriptionType: 'contact.propertyChange', propertyName })),
    ...['creation', 'deletion', 'merge', 'associationChange', 'restore'].map((k) => ({ subscriptionType: `company.${k}` })),
    ...companyProps.map((propertyName) => ({ subscriptionType: 'company.propertyChange', propertyName })),
    ...['creation', 'deletion', 'merge', 'associationChange', 'restore'].map((k) => ({ subscriptionType: `deal.${k}` })),
    ...['dealstage', 'amount', 'closedate', 'pipeline'].map((propertyName) => ({ subscriptionType: 'deal.propertyChange', propertyName })),
    ...(options.handOffMode === 'lead' ? LEAD_SUBSCRIPTIONS.map((s) => ({ ...s })) : []),
  ];
}

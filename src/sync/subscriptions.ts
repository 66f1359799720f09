import type { CompiledDefinition } from '../definition';

/** A webhook subscription as HubSpot's app settings hold it (legacy format). */
export interface SubscriptionSpec {
  subscriptionType: string;
  propertyName?: string;
}

/**
 * Exactly the webhook subscriptions the definition needs: a property change per input property (contact
 * and company), the rep's feedback, deal stage moves, and the lifecycle events (creation, deletion, merge,
 * association changes) of contacts, companies and deals.
 */
export function subscriptionsFor(def: CompiledDefinition): SubscriptionSpec[] {
  const contactProps = [...new Set([...def.contactProperties, 'uld_sales_feedback'])].sort();
  return [
    ...['creation', 'deletion', 'merge', 'associationChange', 'restore'].map((k) => ({ subscriptionType: `contact.${k}` })),
    ...contactProps.map((propertyName) => ({ subscriptionType: 'contact.propertyChange', propertyName })),
    ...['creation', 'deletion', 'merge', 'associationChange', 'restore'].map((k) => ({ subscriptionType: `company.${k}` })),
    ...def.companyProperties.map((propertyName) => ({ subscriptionType: 'company.propertyChange', propertyName })),
    ...['creation', 'deletion', 'merge', 'associationChange', 'restore'].map((k) => ({ subscriptionType: `deal.${k}` })),
    ...['dealstage', 'amount', 'closedate', 'pipeline'].map((propertyName) => ({ subscriptionType: 'deal.propertyChange', propertyName })),
  ];
}

import type { CrmRecord } from '../../crm/portal';
import type { PropertyType } from '../../crm/property-catalog';
import { parseSearch, runSearch } from '../../crm/search';
import type { RouteEnv, Router } from '../router';
import { objectJson } from '../serialize';
import { addVersioned, prefix } from '../versions';
import { objectTypeParam } from './objects';

/** Properties a free-text `query` looks in, per object type (HubSpot searches a similar default set). */
const TEXT_PROPERTIES: Record<string, readonly string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain'],
  deals: ['dealname'],
  notes: ['hs_note_body'],
  tasks: ['hs_task_subject', 'hs_task_body'],
};

export function registerSearchRoutes(router: Router, env: RouteEnv): void {
  const { portal, behaviour } = env;
  addVersioned(router, 'POST', 'objects', '/{objectType}/search',
    (ctx) => {
      const type = objectTypeParam(ctx);
      const typeOf = (name: string): PropertyType | undefined => portal.schema.get(type, name)?.type;
      const search = parseSearch(ctx.body, typeOf);
      // The search index is eventually consistent: with a lag, it sees the portal as it was `searchLagMs` ago.
      const asOf = behaviour.searchLagMs > 0 ? portal.clock() - behaviour.searchLagMs : undefined;
      const candidates = asOf === undefined ? portal.all(type) : visibleAt(portal.all(type), asOf);
      const read = asOf === undefined ? (r: CrmRecord, name: string) => r.properties[name] : (r: CrmRecord, name: string) => portal.valueAt(r, name, asOf);
      const outcome = runSearch(candidates, search, read, typeOf, TEXT_PROPERTIES[type] ?? []);
      const view = { properties: search.properties && search.properties.length > 0 ? search.properties : undefined, ...(asOf !== undefined ? { asOf } : {}) };
      const body: Record<string, unknown> = { total: outcome.total, results: outcome.page.map((r) => objectJson(portal, r, view)) };
      if (outcome.nextAfter !== undefined) body.paging = { next: { after: outcome.nextAfter, link: `${ctx.baseUrl}${prefix('objects', ctx.apiVersion)}/${ctx.params.objectType}/search?after=${outcome.nextAfter}` } };
      return { status: 200, body };
    },
    { search: true },
  );
}

function* visibleAt(records: Iterable<CrmRecord>, asOf: number): IterableIterator<CrmRecord> {
  for (const record of records) if (record.createdAt <= asOf) yield record;
}

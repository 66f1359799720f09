import path from 'node:path';
import type { PortalChange } from '../src/sandbox';
import { BUYING_ROLES } from '../src/definition/account-types';
import type { Bench } from './lib';
import { seededRandom } from './synthetic-leads';
import { ASSOCIATION_BATCH, BATCH, ceilDiv, diff, shuffled, startWorld, total, USER, type FloorLine } from './sync-world';

/**
 * Issue 15, acceptance 6: the worker's HubSpot calls for a stream of contact and company changes that move
 * accounts (buying roles, engagement, company fit), against the floor: each object the change needs carried
 * once, in full batches, per call kind. The definition is lead-definition.accounts.example.yaml, whose
 * contacts read their account's status (pass-down), so an account's change re-qualifies its contacts.
 * docs/sync.md (Accounts) explains the budget.
 */

const EVENTS = 4000;
const CONTACTS = 3000;
const DEALS = 600;
const DEFINITION = path.join(__dirname, '..', '..', 'lead-definition.accounts.example.yaml');
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'RETAIL', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'INTERNET', 'CONSTRUCTION'];

async function accountsEfficiency(): Promise<{ figures: Record<string, number>; rows: Array<{ measure: string; value: string; note?: string }> }> {
  const world = await startWorld({ seed: 21, debounceMs: 0, pollMs: 20, definitionFile: DEFINITION, contacts: CONTACTS, deals: DEALS });
  try {
    const { sandbox, gateway, service, definition } = world;
    const { portal } = sandbox;
    // The installed state, not counted: every record qualified and every account judged (a backfill's work).
    const at = Date.now();
    await service.store.markDirty([
      ...[...portal.ids('deals')].map((id) => ({ objectType: 'deal' as const, objectId: id, change: 'created' as const, occurredAt: at })),
      ...[...portal.ids('contacts')].map((id) => ({ objectType: 'contact' as const, objectId: id, change: 'created' as const, occurredAt: at })),
      ...[...portal.ids('companies')].map((id) => ({ objectType: 'company' as const, objectId: id, change: 'created' as const, occurredAt: at })),
    ]);
    await world.settle();

    const contactIds = shuffled([...portal.ids('contacts')], seededRandom(5));
    const companyOf = new Map<string, string>();
    for (const id of contactIds) {
      const co = portal.associations.primaryCompany('contacts', id);
      if (co) companyOf.set(id, co);
    }
    const companyIds = shuffled([...new Set(companyOf.values())], seededRandom(6));
    const contactsOf = new Map<string, string[]>();
    for (const [c, co] of companyOf) contactsOf.set(co, [...(contactsOf.get(co) ?? []), c]);
    const statusBefore = new Map(companyIds.map((id) => [id, portal.get('companies', id)!.properties.uld_account_status ?? null]));

    const gatewayBefore = { ...gateway.calls() };
    const sandboxBefore = { ...sandbox.calls.all() };
    const generatedBefore = sandbox.webhooks.stats.eventsGenerated;
    const rnd = seededRandom(7);
    const touchedContacts = new Set<string>();
    const touchedCompanies = new Set<string>();
    /** Companies whose contact-rule input (company.industry) changed: their contacts are re-qualified. */
    const fitInputCompanies = new Set<string>();
    const pick = (ids: string[]) => ids[Math.floor(ids.length * rnd() ** 2)]!;
    for (let i = 0; i < EVENTS; i++) {
      const r = rnd();
      if (r < 0.7) {
        // A contact of a company (companies skewed, as records are in real portals): the changes gather in
        // buying groups, so accounts move.
        const people = contactsOf.get(pick(companyIds))!;
        const id = people[Math.floor(rnd() * people.length)]!;
        const p = portal.get('contacts', id)!.properties;
        const recent = () => new Date(Date.now() - Math.floor(rnd() * 86_400_000 * 10)).toISOString();
        let values: Record<string, string>;
        if (r < 0.25) {
          // A role given, changed or taken away (always a different value: one event).
          const roles = ['', ...BUYING_ROLES.filter((x) => x !== 'OTHER')].filter((x) => x !== (p.hs_buying_role ?? ''));
          values = { hs_buying_role: roles[Math.floor(rnd() * roles.length)]! };
        } else if (r < 0.4) values = { recent_conversion_date: recent() };
        else if (r < 0.5) values = { recent_conversion_event_name: p.recent_conversion_event_name === 'Demo request' ? 'Ebook download' : 'Demo request' };
        else if (r < 0.6) values = { hs_analytics_last_visit_timestamp: rnd() < 0.7 ? recent() : new Date(Date.now() - 86_400_000 * (31 + Math.floor(rnd() * 60))).toISOString() };
        else values = { hs_analytics_num_page_views: String(Number(p.hs_analytics_num_page_views ?? 0) + 5) };
        portal.update('contacts', id, values, USER);
        touchedContacts.add(id);
      } else {
        const id = pick(companyIds);
        const p = portal.get('companies', id)!.properties;
        if (r < 0.85) {
          const choices = INDUSTRIES.filter((x) => x !== p.industry);
          portal.update('companies', id, { industry: choices[Math.floor(rnd() * choices.length)]! }, USER);
          fitInputCompanies.add(id);
        } else {
          portal.update('companies', id, { numberofemployees: String(Number(p.numberofemployees ?? 0) > 100 ? 20 + Math.floor(rnd() * 30) : 100 + Math.floor(rnd() * 3000)) }, USER);
        }
        touchedCompanies.add(id);
      }
    }
    const generated = sandbox.webhooks.stats.eventsGenerated - generatedBefore;
    if (generated !== EVENTS) throw new Error(`expected ${EVENTS} webhook events, the portal generated ${generated}`);
    await sandbox.webhooks.idle(120_000);

    const written = { contacts: new Set<string>(), companies: new Set<string>() };
    const unsubscribe = portal.onChange((c: PortalChange) => {
      if (c.kind === 'propertyChange' && c.source.sourceType === 'INTEGRATION' && c.propertyName.startsWith('uld_') && c.objectType in written) written[c.objectType as keyof typeof written].add(c.objectId);
    });
    const t0 = performance.now();
    // A new engine, as after a restart: nothing it read while installing serves the stream.
    await world.settle(world.engine.with({}));
    const engineMs = performance.now() - t0;
    unsubscribe();
    const engineCalls = diff(gateway.calls(), gatewayBefore);
    const engineTotal = total(engineCalls);
    const sandboxTotal = total(diff(sandbox.calls.all(), sandboxBefore));
    if (engineTotal !== sandboxTotal) throw new Error(`the gateway counted ${engineTotal} calls, the sandbox ${sandboxTotal}`);

    // The floor. Accounts to judge: the companies changed and the companies of the contacts changed.
    const accounts = new Set(touchedCompanies);
    for (const c of touchedContacts) if (companyOf.has(c)) accounts.add(companyOf.get(c)!);
    // Contacts to qualify: those changed, those of a company whose fit input changed, and those of an
    // account whose status (what the contacts read) moved.
    const moved = companyIds.filter((id) => (portal.get('companies', id)!.properties.uld_account_status ?? null) !== statusBefore.get(id));
    const tally = (statuses: Iterable<string | null>) => {
      const n = new Map<string, number>();
      for (const s of statuses) n.set(s ?? '(none)', (n.get(s ?? '(none)') ?? 0) + 1);
      return [...n].sort().map(([s, k]) => `${k} ${s}`).join(', ');
    };
    const statusesNote = `accounts before: ${tally(statusBefore.values())}; after: ${tally(companyIds.map((id) => portal.get('companies', id)!.properties.uld_account_status ?? null))}`;
    const movedSet = new Set(moved);
    const contacts = new Set(touchedContacts);
    for (const [c, co] of companyOf) if (fitInputCompanies.has(co) || movedSet.has(co)) contacts.add(c);
    const contactCompanies = new Set([...contacts].filter((c) => companyOf.has(c)).map((c) => companyOf.get(c)!));
    const line = (kind: string, objects: number, batch: number): FloorLine => ({ kind, objects, batch, calls: ceilDiv(objects, batch) });
    const floor: FloorLine[] = [
      line('contacts.batch.read', contacts.size, BATCH),
      line('associations.contacts.companies.batch.read', contacts.size, ASSOCIATION_BATCH),
      line('associations.contacts.deals.batch.read', contacts.size, ASSOCIATION_BATCH),
      line('companies.batch.read (fit inputs of primary companies)', definition.companyProperties.some((p) => !p.startsWith('uld_')) ? contactCompanies.size : 0, BATCH),
      line('contacts.batch.update', written.contacts.size, BATCH),
      line('associations.companies.contacts.batch.read (fit input changed)', fitInputCompanies.size, ASSOCIATION_BATCH),
      line('companies.batch.read (account inputs, roll-ups)', accounts.size, BATCH),
      line('companies.batch.update', written.companies.size, BATCH),
    ].filter((l) => l.objects > 0);
    const floorTotal = floor.reduce((n, l) => n + l.calls, 0);
    const ratio = Math.round((engineTotal / floorTotal) * 1000) / 1000;
    const kinds = Object.entries(engineCalls).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
    return {
      figures: { 'sync.accounts_ratio_to_floor': ratio, 'sync.accounts_calls': engineTotal, 'sync.accounts_floor_calls': floorTotal },
      rows: [
        {
          measure: `engine: HubSpot calls for ${EVENTS.toLocaleString('en-US')} changes that move accounts`,
          value: String(engineTotal),
          note: `${touchedContacts.size} contacts and ${touchedCompanies.size} companies changed; ${moved.length} accounts changed status; ${written.contacts.size} contacts and ${written.companies.size} companies written; drained in ${(engineMs / 1000).toFixed(1)} s; ${statusesNote}; ${kinds}`,
        },
        { measure: 'floor: ceil(objects / batch) per call kind', value: String(floorTotal), note: floor.map((l) => `${l.kind}: ${l.objects}/${l.batch} -> ${l.calls}`).join('; ') },
        { measure: 'engine / floor (accounts)', value: ratio.toFixed(3), note: 'target <= 1.2' },
      ],
    };
  } finally {
    await world.stop();
  }
}

export const syncAccountsBench: Bench = {
  name: 'sync-accounts',
  run: accountsEfficiency,
};

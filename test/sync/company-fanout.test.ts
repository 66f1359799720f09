import { apiPaths } from '../../src/hubspot';
import { ASSOCIATION_KINDS } from '../../src/sandbox';
import { syncWorld, type SyncWorld } from './harness';

/**
 * Issue #12, acceptance 4: a company with 1,500 contacts changes industry. HubSpot pages a batch
 * association read per input, so reading only the first page would leave most of the company's contacts
 * with yesterday's fit. Every one of them must be re-qualified, in ceil(1,500 / 100) contact batch reads.
 */
const CONTACTS = 1500;
const USER = { sourceType: 'CRM_UI' as const, userId: 7 };

describe('a company with 1,500 contacts changes industry', () => {
  let world: SyncWorld;
  let companyId: string;
  let contactIds: string[];
  beforeAll(async () => {
    world = await syncWorld();
    const { portal } = world.sandbox;
    const company = portal.create('companies', { name: 'Big Co', domain: 'big.example', industry: 'RETAIL', numberofemployees: '5000', annualrevenue: '900000000', country: 'Germany' }, USER);
    companyId = company.id;
    const primary = ASSOCIATION_KINDS.find((k) => k.from === 'contacts' && k.to === 'companies' && k.primary)!;
    contactIds = [];
    for (let i = 0; i < CONTACTS; i++) {
      const contact = portal.create('contacts', { email: `person${i}@big.example`, firstname: `P${i}`, lastname: 'Big', jobtitle: i % 3 === 0 ? 'VP Engineering' : 'Engineer', country: 'Germany', hs_analytics_num_page_views: String(i % 40) }, USER);
      portal.associate('contacts', contact.id, 'companies', company.id, primary, USER);
      contactIds.push(contact.id);
    }
    await world.settle();
  }, 180_000);
  afterAll(() => world?.stop());

  it('then all 1,500 contacts are re-qualified, with 15 contact batch reads and every association page read', async () => {
    const { portal } = world.sandbox;
    const P = apiPaths(world.gateway.apiVersion);
    const fitBefore = new Map(contactIds.map((id) => [id, portal.get('contacts', id)!.properties.uld_fit_score]));
    // Each contact was qualified against the old industry.
    for (const id of contactIds) expect(Number(fitBefore.get(id))).toBe(world.expected(id).fitScore);

    const readsBefore = world.gateway.calls()['contacts.batch.read'] ?? 0;
    const loggedBefore = world.sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`);
    const pagesBefore = world.gateway.calls()['associations.companies.contacts.batch.read'] ?? 0;
    portal.update('companies', companyId, { industry: 'COMPUTER_SOFTWARE' }, USER);
    await world.settle();

    let changed = 0;
    for (const id of contactIds) {
      const want = world.expected(id);
      const props = portal.get('contacts', id)!.properties;
      expect({ id, fit: Number(props.uld_fit_score), score: Number(props.uld_score) }).toEqual({ id, fit: want.fitScore, score: want.totalScore });
      if (props.uld_fit_score !== fitBefore.get(id)) changed++;
    }
    // A target industry adds fit points to every one of them: all 1,500 were written again, not a first page.
    expect(changed).toBe(CONTACTS);
    expect((world.gateway.calls()['contacts.batch.read'] ?? 0) - readsBefore).toBe(Math.ceil(CONTACTS / 100));
    expect(world.sandbox.calls.count(`POST ${P.batch('contacts', 'read')}`) - loggedBefore).toBe(Math.ceil(CONTACTS / 100));
    // The company's contacts did not fit in one page of its association read.
    expect((world.gateway.calls()['associations.companies.contacts.batch.read'] ?? 0) - pagesBefore).toBeGreaterThan(1);
  }, 180_000);
});

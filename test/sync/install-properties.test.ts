import { createGateway, type CrmGateway } from '../../src/hubspot';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { ensureProductProperties } from '../../src/sync/install-properties';

/**
 * A create whose answer was lost (a deadline at 300 ms under load, seen in CI) is retried by the transport;
 * the first attempt had landed, so HubSpot answers the retry 409 OBJECT_ALREADY_EXISTS. The install must take
 * that as "there", not fail.
 */
describe('ensureProductProperties', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 4, contacts: 1 });
  });
  afterAll(() => sandbox.stop());

  it('when a property it creates already exists (an earlier attempt landed), then the install goes on and every property is there', async () => {
    const gateway = createGateway({ accessToken: sandbox.accessToken, baseUrl: sandbox.url });
    try {
      await ensureProductProperties(gateway);
      // The portal has every property; a list read before the earlier attempt landed would not show them.
      const staleList: CrmGateway = Object.assign(Object.create(gateway) as CrmGateway, { listProperties: async () => [] });
      const plan = await ensureProductProperties(staleList);
      expect(plan.filter((l) => l.action === 'create').length).toBeGreaterThan(10);
      const names = (await gateway.listProperties('contacts')).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['uld_status', 'uld_reasons']));
    } finally {
      gateway.close();
    }
  });
});

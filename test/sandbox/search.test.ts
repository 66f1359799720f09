import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { startSandbox } from '../../src/sandbox';
import { matchesFilter, parseSearch, runSearch } from '../../src/sandbox/crm/search';
import { sdk } from './helpers';

/** Search semantics in isolation (table-driven), and the eventual consistency of the index. */
describe('filter operators', () => {
  const cases: Array<[string, string | undefined, Parameters<typeof matchesFilter>[1], Parameters<typeof matchesFilter>[2], boolean]> = [
    ['EQ on text ignores case', 'Demo Request', { propertyName: 'p', operator: 'EQ', value: 'demo request' }, 'string', true],
    ['NEQ matches a missing value', undefined, { propertyName: 'p', operator: 'NEQ', value: 'x' }, 'string', true],
    ['GT compares numbers numerically', '10', { propertyName: 'p', operator: 'GT', value: '9' }, 'number', true],
    ['LT compares numbers numerically', '10', { propertyName: 'p', operator: 'LT', value: '9' }, 'number', false],
    ['GTE on a datetime takes epoch ms', '2025-01-02T00:00:00.000Z', { propertyName: 'p', operator: 'GTE', value: String(Date.UTC(2025, 0, 2)) }, 'datetime', true],
    ['LTE on a datetime takes ISO', '2025-01-02T00:00:00.000Z', { propertyName: 'p', operator: 'LTE', value: '2025-01-01T23:59:59.000Z' }, 'datetime', false],
    ['BETWEEN is inclusive', '50', { propertyName: 'p', operator: 'BETWEEN', value: '50', highValue: '5000' }, 'number', true],
    ['BETWEEN excludes above', '5001', { propertyName: 'p', operator: 'BETWEEN', value: '50', highValue: '5000' }, 'number', false],
    ['IN any of the values', 'FINANCIAL_SERVICES', { propertyName: 'p', operator: 'IN', values: ['computer_software', 'financial_services'] }, 'enumeration', true],
    ['NOT_IN none of them', 'RETAIL', { propertyName: 'p', operator: 'NOT_IN', values: ['COMPUTER_SOFTWARE'] }, 'enumeration', true],
    ['HAS_PROPERTY needs a value', undefined, { propertyName: 'p', operator: 'HAS_PROPERTY' }, 'string', false],
    ['NOT_HAS_PROPERTY on a missing value', undefined, { propertyName: 'p', operator: 'NOT_HAS_PROPERTY' }, 'string', true],
    ['CONTAINS_TOKEN matches a word', 'VP of Sales', { propertyName: 'p', operator: 'CONTAINS_TOKEN', value: 'vp' }, 'string', true],
    ['CONTAINS_TOKEN with a wildcard', 'ada@acme.io', { propertyName: 'p', operator: 'CONTAINS_TOKEN', value: '*@acme.io' }, 'string', true],
    ['NOT_CONTAINS_TOKEN', 'VP of Sales', { propertyName: 'p', operator: 'NOT_CONTAINS_TOKEN', value: 'director' }, 'string', true],
  ];
  it.each(cases)('%s', (_name, value, filter, type, expected) => {
    expect(matchesFilter(value, filter, type)).toBe(expected);
  });

  it('when values are missing, then sorting puts them last in both directions', () => {
    const rows = [{ v: '3' }, { v: undefined }, { v: '10' }];
    const read = (r: { v?: string }): string | undefined => r.v;
    const asc = runSearch(rows, parseSearch({ sorts: [{ propertyName: 'v', direction: 'ASCENDING' }], limit: 10 }, () => 'number'), read, () => 'number', []);
    const desc = runSearch(rows, parseSearch({ sorts: [{ propertyName: 'v', direction: 'DESCENDING' }], limit: 10 }, () => 'number'), read, () => 'number', []);
    expect(asc.page.map((r) => r.v)).toEqual(['3', '10', undefined]);
    expect(desc.page.map((r) => r.v)).toEqual(['10', '3', undefined]);
  });
});

describe('eventual consistency', () => {
  it('when a search lag is set, then search sees a write only once the lag has passed, while reads see it at once', async () => {
    let now = Date.UTC(2025, 3, 1);
    const sandbox = await startSandbox({ clock: () => now, behaviour: { searchLagMs: 2_000 }, rateLimit: { enabled: false } });
    try {
      const client = sdk(sandbox);
      const created = await client.crm.contacts.basicApi.create({ properties: { email: 'lag@example.com', jobtitle: 'Analyst' } });
      const byTitle = (title: string): Promise<number> =>
        client.crm.contacts.searchApi
          .doSearch({ filterGroups: [{ filters: [{ propertyName: 'jobtitle', operator: FilterOperatorEnum.Eq, value: title }] }], properties: ['jobtitle'] })
          .then((r) => r.total);
      expect(await byTitle('Analyst')).toBe(0);
      expect((await client.crm.contacts.basicApi.getById(created.id, ['jobtitle'])).properties.jobtitle).toBe('Analyst');
      now += 2_000;
      expect(await byTitle('Analyst')).toBe(1);
      await client.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'Director of Data' } });
      now += 1_000;
      expect(await byTitle('Analyst')).toBe(1);
      expect(await byTitle('Director of Data')).toBe(0);
      now += 1_000;
      expect(await byTitle('Director of Data')).toBe(1);
    } finally {
      await sandbox.stop();
    }
  });
});

import { fastCommon, fastPropertyChange, schemasForTests } from '../../webhooks/events';

const base = {
  eventId: 12,
  subscriptionId: 1,
  portalId: 62515,
  appId: 1,
  occurredAt: 1_700_000_000_000,
  subscriptionType: 'contact.propertyChange',
  attemptNumber: 0,
  objectId: 901,
  propertyName: 'jobtitle',
  propertyValue: 'CTO',
  changeSource: 'IMPORT',
  sourceId: 'userId:1',
};

const variants: unknown[] = [
  base,
  { ...base, eventId: '123456789012345678', portalId: '62515', objectId: '77' },
  { ...base, attemptNumber: null, changeSource: null, sourceId: undefined, propertyValue: null },
  (({ objectId: _o, attemptNumber: _a, changeSource: _c, sourceId: _s, propertyValue: _v, ...rest }) => rest)(base),
  { ...base, extra: { nested: [1, 2] } },
  // Not accepted by zod: the fast check must not accept them either.
  { ...base, eventId: -1 },
  { ...base, eventId: 1.5 },
  { ...base, portalId: 0 },
  { ...base, portalId: 'x' },
  { ...base, occurredAt: -5 },
  { ...base, occurredAt: '1700000000000' },
  { ...base, subscriptionType: 'contact' },
  { ...base, objectId: null },
  { ...base, attemptNumber: -1 },
  { ...base, changeSource: 5 },
  { ...base, propertyName: '' },
  { ...base, propertyName: 3 },
  { ...base, propertyValue: 7 },
  null,
  [base],
  'event',
];

describe('fast event checks agree with the zod schemas', () => {
  it.each(variants.map((v, i) => [i, v]))('variant %i', (_i, raw) => {
    const zCommon = schemasForTests.common.safeParse(raw);
    const fCommon = fastCommon(raw);
    if (fCommon !== undefined) {
      expect(zCommon.success).toBe(true);
      expect(fCommon).toEqual(zCommon.data);
    }
    if (zCommon.success) {
      const zChange = schemasForTests.propertyChange.safeParse(raw);
      const fChange = fastPropertyChange(raw);
      if (fChange !== undefined) {
        expect(zChange.success).toBe(true);
        expect(fChange).toEqual(zChange.data);
      }
    }
  });

  it('takes the fast path for well-formed events', () => {
    expect(fastCommon(base)).toBeDefined();
    expect(fastPropertyChange(base)).toBeDefined();
  });
});

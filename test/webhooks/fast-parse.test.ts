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

/**
 * Each row: an event, whether it is a valid event (the common fields), and, when it is, whether it is a valid
 * property change. The fast checks must give the same verdict as the zod schemas on every row, and the same
 * data where they accept; the receiver checks the common fields first, as here.
 */
const rows: Array<[name: string, raw: unknown, common: boolean, change: boolean]> = [
  ['well formed', base, true, true],
  ['ids as strings (HubSpot sends large ids so)', { ...base, eventId: '123456789012345678', portalId: '62515', objectId: '77' }, true, true],
  ['optional fields null', { ...base, attemptNumber: null, changeSource: null, sourceId: undefined, propertyValue: null }, true, true],
  ['optional fields absent', (({ objectId: _o, attemptNumber: _a, changeSource: _c, sourceId: _s, propertyValue: _v, ...rest }) => rest)(base), true, true],
  ['unknown fields kept out', { ...base, extra: { nested: [1, 2] } }, true, true],
  ['negative eventId', { ...base, eventId: -1 }, false, false],
  ['fractional eventId', { ...base, eventId: 1.5 }, false, false],
  ['portalId 0', { ...base, portalId: 0 }, false, false],
  ['portalId not a number', { ...base, portalId: 'x' }, false, false],
  ['negative occurredAt', { ...base, occurredAt: -5 }, false, false],
  ['occurredAt as a string', { ...base, occurredAt: '1700000000000' }, false, false],
  ['subscriptionType without an action', { ...base, subscriptionType: 'contact' }, false, false],
  ['objectId null', { ...base, objectId: null }, false, false],
  ['negative attemptNumber', { ...base, attemptNumber: -1 }, false, false],
  ['changeSource not a string', { ...base, changeSource: 5 }, false, false],
  ['empty propertyName', { ...base, propertyName: '' }, true, false],
  ['propertyName not a string', { ...base, propertyName: 3 }, true, false],
  ['propertyValue not a string', { ...base, propertyValue: 7 }, true, false],
  ['null', null, false, false],
  ['an array', [base], false, false],
  ['a string', 'event', false, false],
];

describe('fast event checks agree with the zod schemas', () => {
  it.each(rows)('%s', (_name, raw, common, change) => {
    const zCommon = schemasForTests.common.safeParse(raw);
    const fCommon = fastCommon(raw);
    expect({ zod: zCommon.success, fast: fCommon !== undefined }).toEqual({ zod: common, fast: common });
    if (!common) return;
    expect(fCommon).toEqual(zCommon.data);
    const zChange = schemasForTests.propertyChange.safeParse(raw);
    const fChange = fastPropertyChange(raw);
    expect({ zod: zChange.success, fast: fChange !== undefined }).toEqual({ zod: change, fast: change });
    if (change) expect(fChange).toEqual(zChange.data);
  });
});

import { lift, proportion, twoProportionZ } from '../../src/admin/evidence';

/** The statistics behind calibrate and what-if, against values computed by hand from the formulas. */
describe('proportion (Wilson 95% interval)', () => {
  it.each([
    // k, n, rate, low, high
    [5, 10, 0.5, 0.2366, 0.7634],
    [0, 10, 0, 0, 0.2775],
    [10, 10, 1, 0.7225, 1],
    [1, 100, 0.01, 0.0018, 0.0545],
  ])('%i of %i', (...[k, n, rate, low, high]: [number, number, number, number, number]) => {
    const p = proportion(k, n);
    expect(p.rate).toBeCloseTo(rate, 4);
    expect(p.low).toBeCloseTo(low, 4);
    expect(p.high).toBeCloseTo(high, 4);
  });
  it('an empty group has no rate and no interval (unknown, not 0)', () => {
    expect(proportion(0, 0)).toEqual({ n: 0, k: 0, rate: null, low: null, high: null });
  });
});

describe('lift (risk ratio, Katz interval) and the two-proportion z', () => {
  it('10 of 100 against 5 of 100', () => {
    const a = proportion(10, 100);
    const b = proportion(5, 100);
    const l = lift(a, b);
    expect(l.lift).toBeCloseTo(2, 10);
    // se = sqrt(1/10 - 1/100 + 1/5 - 1/100) = sqrt(0.28); 2 * exp(±1.959964 * 0.52915)
    expect(l.low).toBeCloseTo(0.7089, 3);
    expect(l.high).toBeCloseTo(5.6421, 3);
    // pooled 0.075: (0.10 - 0.05) / sqrt(0.075 * 0.925 * 0.02)
    expect(twoProportionZ(a, b)).toBeCloseTo(1.3423, 3);
    expect(twoProportionZ(b, a)).toBeCloseTo(-1.3423, 3);
  });
  it('a group that never converted against one that did: lift 0 with a finite interval; against nobody converting: no point lift', () => {
    const none = proportion(0, 50);
    const some = proportion(10, 50);
    expect(lift(none, some).lift).toBe(0);
    expect(lift(none, some).high).toBeLessThan(1);
    expect(lift(some, none).lift).toBeNull();
    expect(lift(some, none).low).toBeGreaterThan(1);
    expect(lift(proportion(0, 0), some)).toEqual({ lift: null, low: null, high: null });
    expect(twoProportionZ(proportion(0, 0), some)).toBe(0);
  });
});

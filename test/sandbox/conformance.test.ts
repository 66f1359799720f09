import { conformanceProblems } from './helpers';

/** The conformance checker itself: it must catch what it is there to catch. */
describe('SDK model conformance checker', () => {
  const good = { id: '1', properties: { email: 'a@b.c', x: null }, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', archived: false };

  it('when an answer matches the model, then there is no problem', () => {
    expect(conformanceProblems(good, 'contacts', 'SimplePublicObject')).toEqual([]);
  });

  it.each([
    ['an unknown field', { ...good, createdate: 'x' }, '$.createdate: not an attribute of SimplePublicObject'],
    ['a number id', { ...good, id: 1 }, '$.id: expected string'],
    ['a non-ISO date', { ...good, createdAt: '1735689600000' }, '$.createdAt: expected an ISO-8601 date-time'],
    ['a missing required field', { id: '1', properties: {}, createdAt: good.createdAt }, '$.updatedAt: required by SimplePublicObject, missing'],
    ['a non-string property value', { ...good, properties: { n: 5 } }, '$.properties.n: expected string'],
  ])('when an answer has %s, then it is reported', (_name, raw, problem) => {
    expect(conformanceProblems(raw, 'contacts', 'SimplePublicObject').join('\n')).toContain(problem);
  });

  it('when an enum value is outside the model, then it is reported, and allowances cover documented departures', () => {
    const batch = { status: 'DONE', results: [], startedAt: good.createdAt, completedAt: good.createdAt };
    expect(conformanceProblems(batch, 'contacts', 'BatchResponseSimplePublicObject')).toEqual(['$.status: "DONE" is not a value of BatchResponseSimplePublicObjectStatusEnum']);
    const v4 = { results: [{ toObjectId: 5, associationTypes: [] }] };
    expect(conformanceProblems(v4, 'associations/v4', 'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging')).toHaveLength(1);
    expect(conformanceProblems(v4, 'associations/v4', 'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging', [{ path: '$.results[].toObjectId', type: 'number', reason: 'v4' }])).toEqual([]);
  });
});

import { DEFAULT_LEAD_HAND_OFF, type LeadHandOffSettings } from '../../src/definition';
import { leadName, nameOf } from '../../src/sync/lead-hand-off';
import { leadActor, leadVerdict } from '../../src/sync/lead-verdict';

/** The pure parts of the Lead hand-off, table-driven, nothing mocked. */

const settings: LeadHandOffSettings = {
  pipeline: 'lead-pipeline-id',
  stage: 'new-stage-id',
  accepted: ['qualified-stage-id', '1213103916'],
  rejected: ['unqualified-stage-id'],
  reasons: { NOT_A_GOOD_FIT: 'rejected_below_definition', WRONG_CONTACT: 'rejected_misrouted', INVALID_CONTACT_INFO: 'rejected_bad_data' },
  otherReason: 'rejected_bad_data',
};

describe('leadVerdict', () => {
  test.each([
    ['qualified-stage-id', null, 'accepted'],
    ['1213103916', 'WRONG_CONTACT', 'accepted'],
    ['unqualified-stage-id', 'WRONG_CONTACT', 'rejected_misrouted'],
    ['unqualified-stage-id', 'NOT_A_GOOD_FIT', 'rejected_below_definition'],
    ['unqualified-stage-id', 'INVALID_CONTACT_INFO', 'rejected_bad_data'],
    ['unqualified-stage-id', ' WRONG_CONTACT ', 'rejected_misrouted'],
    ['unqualified-stage-id', 'BAD_TIMING', 'rejected_bad_data'],
    ['unqualified-stage-id', null, 'rejected_bad_data'],
    ['unqualified-stage-id', '', 'rejected_bad_data'],
    ['new-stage-id', null, null],
    ['connected-stage-id', 'WRONG_CONTACT', null],
    [null, 'WRONG_CONTACT', null],
  ] as const)('stage %s with reason %s gives %s', (stage, reason, expected) => {
    expect(leadVerdict(settings, { stage, reason })).toBe(expected);
  });

  test('with the default settings, Qualified accepts and Disqualified rejects as below definition', () => {
    expect(leadVerdict(DEFAULT_LEAD_HAND_OFF, { stage: 'qualified-stage-id', reason: null })).toBe('accepted');
    expect(leadVerdict(DEFAULT_LEAD_HAND_OFF, { stage: 'unqualified-stage-id', reason: 'NOT_A_GOOD_FIT' })).toBe('rejected_below_definition');
  });
});

describe('leadActor', () => {
  test.each([
    [{ sourceId: 'userId:456', updatedByUserId: 456 }, 'lead:123 by user:456'],
    [{ updatedByUserId: 789 }, 'lead:123 by user:789'],
    [{ sourceId: '3100001' }, 'lead:123'],
    [undefined, 'lead:123'],
  ])('last move %j is %s', (lastMove, expected) => {
    expect(leadActor('123', lastMove)).toBe(expected);
  });
});

describe('a Lead’s name', () => {
  test.each([
    [{ firstname: 'Ada', lastname: 'Byron', email: 'ada@x.example' }, 'Ada Byron'],
    [{ firstname: ' Ada ', lastname: null, email: 'ada@x.example' }, 'Ada'],
    [{ firstname: '', lastname: '', email: 'ada@x.example' }, 'ada@x.example'],
    [{}, undefined],
  ])('%j is named %s', (properties, expected) => {
    expect(nameOf(properties)).toBe(expected);
  });

  test('a contact without a name or email is named by its id', () => {
    expect(leadName({ id: '42', owner: null })).toBe('Contact 42');
  });
});

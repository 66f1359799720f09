import type { CardView } from '../../card/src/contract';
import { buildCardView, MAX_REASON_TEXT, type CardViewInput, type HandOffRecord } from '../../src/card';
import { evaluate, type Facts } from '../../src/definition';
import { contactWriteback } from '../../src/sync/contact-writeback';
import type { CardData, DecisionRecord, MirrorContact, StoredReason } from '../../src/store/mirror-types';
import { definition, daysAgo, NOW } from '../support/definitions';

/**
 * The card's view model, as tables: contacts evaluated by the real definition (evaluate + the write-back
 * that turns a rejection into nurture), the store's data built from those decisions, and what a rep must read.
 */

const HOUR = 3_600_000;
const ID = '600000000001';
const def = definition({
  ladder: { sales_ready: { fit: 40, engagement: 25, total: 75 }, marketing_qualified: { fit: 25, total: 45 } },
  lists: { freemail: ['gmail.com'] },
  required: [{ property: 'email', label: 'email address' }, 'jobtitle'],
  disqualifiers: [
    { id: 'free-mail', reason: 'Personal email address', when: { property: 'email', operator: 'domain_in', list: 'freemail' } },
    { id: 'student', reason: 'Student', when: { property: 'jobtitle', operator: 'contains', value: 'student', caseInsensitive: true } },
  ],
  fit: [
    { id: 'senior', label: 'Senior title', when: { property: 'jobtitle', operator: 'contains', value: 'head', caseInsensitive: true }, points: 30 },
    { id: 'size', label: '100+ employees', when: { property: 'numemployees', operator: 'gte', value: 100 }, points: 20 },
  ],
  engagement: [
    { id: 'demo', label: 'Requested a demo', when: { property: 'recent_conversion_event_name', operator: 'exists' }, points: 40, decay: { type: 'half_life', days: 30, from: 'recent_conversion_date' } },
    { id: 'visits', label: 'Visited often', when: { property: 'hs_analytics_num_page_views', operator: 'gte', value: 10 }, points: 10 },
  ],
});

const SR: Facts = { email: 'a@acme.com', jobtitle: 'Head of Ops', numemployees: '500', recent_conversion_event_name: 'Demo', recent_conversion_date: daysAgo(0), hs_analytics_num_page_views: '12' };
const MQL: Facts = { ...SR, recent_conversion_event_name: null };
const NURTURE: Facts = { ...MQL, jobtitle: 'Analyst' };
const NEEDS_DATA: Facts = { ...SR, email: null };
const TWO_DISQUALIFIERS: Facts = { ...SR, email: 'a@gmail.com', jobtitle: 'Student' };

/** The store's data for a contact evaluated now, as the engine would have recorded it. */
function stored(facts: Facts, over: Partial<MirrorContact> = {}, extra: Partial<CardData> = {}): CardData {
  const decision = evaluate(def, facts, null, NOW);
  const wb = contactWriteback(decision, { current: { ...facts, uld_sales_feedback: over.feedback ?? null }, firstDealCreatedAt: null }, NOW);
  const contact: MirrorContact = {
    id: ID,
    createdAt: NOW - 40 * 24 * HOUR,
    status: wb.status,
    fitScore: decision.fitScore,
    engagementScore: decision.engagementScore,
    totalScore: decision.totalScore,
    definitionVersion: decision.definitionVersion,
    qualifiedAt: null,
    convertedAt: null,
    feedback: null,
    feedbackAt: null,
    source: null,
    companyId: null,
    evaluatedAt: NOW - HOUR,
    deleted: false,
    ownerId: '77',
    ...over,
  };
  const record: DecisionRecord & { reasonDetails: StoredReason[] } = {
    contactId: ID,
    definitionVersion: decision.definitionVersion,
    previousStatus: null,
    status: wb.status,
    fitScore: decision.fitScore,
    engagementScore: decision.engagementScore,
    totalScore: decision.totalScore,
    reasons: wb.reasons,
    reasonDetails: wb.reasonDetails,
    decidedAt: NOW - HOUR,
  };
  return { contact, decision: record, statusHistory: [record], lastVerdictWrite: null, pending: false, ...extra };
}

const view = (data: CardData, over: Partial<CardViewInput> = {}): CardView =>
  buildCardView({ contactId: ID, data, ladder: def.ladder, slaHours: 24, now: NOW, defaultHandOffMode: 'task', ...over })!;

describe('status, scores, ladder and what gets the contact to the next status', () => {
  type Row = [name: string, facts: Facts, status: CardView['status'], next: CardView['next']];
  const rows: Row[] = [
    ['when sales ready, then every rung is met and there is no next status', SR, 'sales_ready', null],
    ['when marketing qualified, then the points short of sales ready per dimension', MQL, 'marketing_qualified', { status: 'sales_ready', label: 'Sales ready', needs: ['15 more engagement points', '15 more total points'] }],
    ['when nurture, then the points short of marketing qualified', NURTURE, 'nurture', { status: 'marketing_qualified', label: 'Marketing qualified', needs: ['5 more fit points', '15 more total points'] }],
    ['when data is missing, then the missing fields, and the status the scores would give', NEEDS_DATA, 'needs_data', { status: 'sales_ready', label: 'Sales ready', needs: ['a value for email address'] }],
    [
      'when two disqualifiers match, then both are to clear, toward the status the scores give (fit 20 without the senior title: nurture)',
      TWO_DISQUALIFIERS,
      'disqualified',
      { status: 'nurture', label: 'Nurture', needs: ['clear the disqualifier: Personal email address (email: a@gmail.com)', 'clear the disqualifier: Student (jobtitle: Student)'] },
    ],
  ];
  it.each(rows)('%s', (...[, facts, status, next]: Row) => {
    const v = view(stored(facts));
    expect(v.status).toBe(status);
    expect(v.next).toEqual(next);
    expect(v.ladder.map((r) => r.status)).toEqual(['marketing_qualified', 'sales_ready']);
  });

  it('when marketing qualified, then each rung shows required, actual and short-by per dimension', () => {
    const v = view(stored(MQL));
    expect(v.scores).toEqual({ total: 60, fit: 50, engagement: 10 });
    expect(v.statusLabel).toBe('Marketing qualified');
    expect(v.ladder).toEqual([
      { status: 'marketing_qualified', label: 'Marketing qualified', met: true, thresholds: [{ dimension: 'fit', required: 25, actual: 50, shortBy: 0 }, { dimension: 'total', required: 45, actual: 60, shortBy: 0 }] },
      {
        status: 'sales_ready',
        label: 'Sales ready',
        met: false,
        thresholds: [
          { dimension: 'fit', required: 40, actual: 50, shortBy: 0 },
          { dimension: 'engagement', required: 25, actual: 10, shortBy: 15 },
          { dimension: 'total', required: 75, actual: 60, shortBy: 15 },
        ],
      },
    ]);
  });

  it('when the environment overrides a threshold, then the rung and the sentence use the override', () => {
    const overridden = definition({ ...def.source, ladder: def.source.ladder } as Record<string, unknown>, { sales_ready: { engagement: 30 } });
    const v = view(stored(MQL), { ladder: overridden.ladder });
    expect(v.ladder[1]!.thresholds[1]).toEqual({ dimension: 'engagement', required: 30, actual: 10, shortBy: 20 });
    expect(v.next!.needs).toEqual(['20 more engagement points', '15 more total points']);
  });

  it('when a fractional point is short, then the sentence says it as the definition writes points', () => {
    const v = view(stored(MQL, { engagementScore: 24, totalScore: 74 }));
    expect(v.next!.needs).toEqual(['1 more engagement point', '1 more total point']);
  });
});

describe('reasons, grouped as a rep reads them', () => {
  it('when disqualified twice and missing data, then each group holds its reasons with refs and points', () => {
    const v = view(stored({ ...TWO_DISQUALIFIERS, numemployees: '500', jobtitle: 'Student' }));
    expect(v.reasons.status).toEqual([{ text: 'Disqualified: Personal email address; Student', ref: 'disqualified' }]);
    expect(v.reasons.disqualifiers.map((r) => r.ref)).toEqual(['free-mail', 'student']);
    expect(v.reasons.fit).toEqual([{ text: '+20 fit: 100+ employees', ref: 'size', points: 20 }]);
    expect(v.reasons.engagement).toEqual([
      { text: `+40 engagement: Requested a demo (40 points on ${new Date(NOW).toISOString().slice(0, 10)}, half-life 30 days)`, ref: 'demo', points: 40 },
      { text: '+10 engagement: Visited often', ref: 'visits', points: 10 },
    ]);
    expect(v.reasons.missing).toEqual([]);
  });

  it('when data is missing, then the missing group names the property', () => {
    expect(view(stored(NEEDS_DATA)).reasons.missing).toEqual([{ text: 'Missing required data: email address', ref: 'email' }]);
  });

  it('when sales rejected a sales-ready hand-off, then the status group starts with the feedback line', () => {
    const v = view(stored(SR, { feedback: 'rejected_bad_data', feedbackAt: NOW - 2 * HOUR, qualifiedAt: NOW - 10 * HOUR }));
    expect(v.status).toBe('nurture');
    expect(v.reasons.status[0]).toEqual({ text: 'Nurture: sales rejected the hand-off (bad data)', ref: 'uld_sales_feedback' });
    expect(v.next).toEqual({ status: 'sales_ready', label: 'Sales ready', needs: ['a new verdict: sales rejected the hand-off (bad data); the scores already meet sales ready'] });
  });

  it('when the decision was recorded before reasons were kept structured, then its texts are grouped by their wording', () => {
    const texts = ['Disqualified: Student', 'Disqualifier: Student (jobtitle: Student)', 'Missing required data: email address', '+30 fit: Senior title', '+12.5 engagement: Requested a demo (40 points, 50 days ago, half-life 30 days)', 'fit points capped at 60 (rules added 70)'];
    const data = stored(SR);
    data.decision = { ...data.decision!, reasons: texts, reasonDetails: texts.map((text) => ({ kind: null, ref: null, text })) };
    const r = view(data).reasons;
    expect(r.status).toEqual([{ text: 'Disqualified: Student', ref: '' }]);
    expect(r.disqualifiers).toEqual([{ text: 'Disqualifier: Student (jobtitle: Student)', ref: '' }]);
    expect(r.missing).toEqual([{ text: 'Missing required data: email address', ref: '' }]);
    expect(r.fit).toEqual([{ text: '+30 fit: Senior title', ref: '', points: 30 }]);
    expect(r.engagement[0]!.points).toBe(12.5);
    expect(r.other).toEqual([{ text: 'fit points capped at 60 (rules added 70)', ref: '' }]);
  });

  it('when a decision has thousands of long reasons, then each group is capped, texts are cut, the rest counted, and the card stays far below 1 MB', () => {
    const data = stored(SR);
    const many: StoredReason[] = Array.from({ length: 3000 }, (_, i) => ({ kind: 'fit', ref: `r${i}`, points: 1, text: `+1 fit: ${'x'.repeat(5000)}` }));
    data.decision = { ...data.decision!, reasonDetails: [data.decision!.reasonDetails[0]!, ...many] };
    const v = view(data);
    expect(v.reasons.fit).toHaveLength(100);
    expect(v.reasons.fit[0]!.text).toHaveLength(MAX_REASON_TEXT);
    expect(v.reasons.other).toEqual([{ text: '2900 more fit reasons not shown (uld history has them all)', ref: '' }]);
    expect(Buffer.byteLength(JSON.stringify({ ok: true, card: v }))).toBeLessThan(200_000);
  });
});

describe('hand-off, SLA clock, verdict and the buttons', () => {
  const handedOff = (over: Partial<MirrorContact> = {}, extra: Partial<CardData> = {}) => stored(SR, { qualifiedAt: NOW - 30 * HOUR, ...over }, extra);
  type Row = [name: string, data: CardData, handOff: Partial<NonNullable<CardView['handOff']>> | null, actions: CardView['actions'], record?: HandOffRecord];
  const rows: Row[] = [
    ['when never sales ready, then no hand-off and no verdict buttons', stored(MQL), null, { accept: false, reject: false, reEvaluate: true }],
    [
      'when handed off 30 h ago with a 24 h SLA and no verdict, then breached 6 h ago, owner the contact owner',
      handedOff(),
      { mode: 'task', ownerId: '77', handedOffAt: new Date(NOW - 30 * HOUR).toISOString(), dueAt: new Date(NOW - 6 * HOUR).toISOString(), slaHours: 24, hoursLeft: -6, breached: true, verdict: null, verdictAt: null, verdictBy: null },
      { accept: true, reject: true, reEvaluate: true },
    ],
    [
      'when accepted from the card in time, then the clock stops and names the user',
      handedOff({ feedback: 'accepted', feedbackAt: NOW - 20 * HOUR }, { lastVerdictWrite: { actor: 'user:9', verdict: 'accepted', writtenAt: NOW - 20 * HOUR } }),
      { hoursLeft: null, breached: false, verdict: 'accepted', verdictAt: new Date(NOW - 20 * HOUR).toISOString(), verdictBy: 'user:9' },
      { accept: false, reject: true, reEvaluate: true },
    ],
    [
      'when rejected by a hand edit in HubSpot after the SLA, then breached, and nobody we know gave it',
      handedOff({ feedback: 'rejected_misrouted', feedbackAt: NOW - HOUR }, { lastVerdictWrite: { actor: 'user:9', verdict: 'accepted', writtenAt: NOW - 20 * HOUR } }),
      { hoursLeft: null, breached: true, verdict: 'rejected_misrouted', verdictBy: null },
      { accept: true, reject: false, reEvaluate: true },
    ],
    [
      'when a hand-off record exists, then its mode, owner and due time win',
      handedOff(),
      { mode: 'lead', ownerId: '5', dueAt: new Date(NOW + 2 * HOUR).toISOString(), hoursLeft: 2, breached: false },
      { accept: true, reject: true, reEvaluate: true },
      { mode: 'lead', ownerId: '5', handedOffAt: NOW - 30 * HOUR, dueAt: NOW + 2 * HOUR },
    ],
    ['when the contact was deleted in HubSpot, then no button applies', handedOff({ deleted: true }), { verdict: null }, { accept: false, reject: false, reEvaluate: false }],
  ];
  it.each(rows)('%s', (...[, data, handOff, actions, record]: Row) => {
    const v = view(data, record ? { handOff: record } : {});
    if (handOff === null) expect(v.handOff).toBeNull();
    else expect(v.handOff).toMatchObject(handOff);
    expect(v.actions).toEqual(actions);
  });
});

describe('history, version, evaluation time, pending re-evaluation', () => {
  it('when 25 status changes are recorded, then the newest 20 are shown, newest first', () => {
    const data = stored(SR);
    const statuses = ['nurture', 'marketing_qualified'] as const;
    data.statusHistory = Array.from({ length: 25 }, (_, i) => ({ ...data.decision!, previousStatus: statuses[(i + 1) % 2]!, status: statuses[i % 2]!, decidedAt: NOW - i * HOUR, totalScore: i }));
    const v = view({ ...data, pending: true });
    expect(v.history).toHaveLength(20);
    expect(v.history[0]).toEqual({ at: new Date(NOW).toISOString(), origin: 'live', from: 'marketing_qualified', to: 'nurture', definitionVersion: '7', totalScore: 0 });
    expect(v.history[19]!.at).toBe(new Date(NOW - 19 * HOUR).toISOString());
    expect(v.definitionVersion).toBe('7');
    expect(v.evaluatedAt).toBe(new Date(NOW - HOUR).toISOString());
    expect(v.reEvaluationPending).toBe(true);
  });

  it('when the store has nothing for the contact, then there is no card', () => {
    expect(buildCardView({ contactId: ID, data: { contact: null, decision: null, statusHistory: [], lastVerdictWrite: null, pending: false }, ladder: def.ladder, slaHours: 24, now: NOW, defaultHandOffMode: 'none' })).toBeNull();
  });
});

import type { DecisionRecord, MirrorContact, MirrorDeal } from '../../src/store/mirror-types';

/**
 * A small portal whose figures are computed by hand in test/metrics/metrics.test.ts: 8 live contacts over
 * January to March 2025 (February has none), 4 live deals (won, lost, open, and one without contacts), plus a
 * deleted contact and a deleted deal that must count nowhere. `now` is 2025-03-31 00:00 UTC; SLA 24 h.
 */
export const at = (month: number, day: number, hour = 0): number => Date.UTC(2025, month - 1, day, hour);
export const NOW = at(3, 31);
export const SLA_HOURS = 24;

export const contact = (over: Partial<MirrorContact> & { id: string }): MirrorContact => ({
  createdAt: null,
  status: 'nurture',
  fitScore: 0,
  engagementScore: 0,
  totalScore: 0,
  definitionVersion: '1',
  qualifiedAt: null,
  convertedAt: null,
  feedback: null,
  feedbackAt: null,
  source: null,
  companyId: null,
  evaluatedAt: NOW,
  deleted: false,
  ...over,
});

export const deal = (over: Partial<MirrorDeal> & { id: string }): MirrorDeal => ({
  createdAt: null,
  closedAt: null,
  closed: false,
  won: false,
  amount: null,
  pipeline: 'default',
  stage: 'appointmentscheduled',
  stageEnteredAt: null,
  companyId: null,
  contactIds: [],
  statusAtCreation: null,
  deleted: false,
  ...over,
});

export const decision = (contactId: string, status: DecisionRecord['status'], decidedAt: number): DecisionRecord => ({
  contactId,
  definitionVersion: '1',
  previousStatus: null,
  status,
  fitScore: 0,
  engagementScore: 0,
  totalScore: 0,
  reasons: [],
  decidedAt,
});

export const CONTACTS: MirrorContact[] = [
  // January: c1 goes all the way to won; c2 to a lost deal; c3 is rejected; c4 stays a lead.
  contact({ id: 'c1', createdAt: at(1, 1), source: 'ORGANIC_SEARCH', status: 'sales_ready', qualifiedAt: at(1, 5), convertedAt: at(1, 10), feedback: 'accepted', feedbackAt: at(1, 5, 12) }),
  contact({ id: 'c2', createdAt: at(1, 2), source: 'PAID_SEARCH', status: 'sales_ready', qualifiedAt: at(1, 6), convertedAt: at(1, 12), feedback: 'accepted', feedbackAt: at(1, 7, 6) }),
  contact({ id: 'c3', createdAt: at(1, 3), source: 'ORGANIC_SEARCH', status: 'marketing_qualified', qualifiedAt: at(1, 9), feedback: 'rejected_bad_data', feedbackAt: at(1, 9, 6) }),
  contact({ id: 'c4', createdAt: at(1, 20), source: null, status: 'nurture' }),
  // Deleted: would be an SLA breach and a January lead if it counted.
  contact({ id: 'c9', createdAt: at(1, 15), source: 'ORGANIC_SEARCH', status: 'sales_ready', qualifiedAt: at(1, 16), deleted: true }),
  // March: c5 is in SLA breach; c6 skips marketing_qualified and has the open deal (no convertedAt in the
  // mirror yet: the deal is the evidence); c7 stops at marketing_qualified; c8 is disqualified.
  contact({ id: 'c5', createdAt: at(3, 1), source: 'ORGANIC_SEARCH', status: 'sales_ready', qualifiedAt: at(3, 4) }),
  contact({ id: 'c6', createdAt: at(3, 5), source: 'PAID_SEARCH', status: 'sales_ready', qualifiedAt: at(3, 6), feedback: 'accepted', feedbackAt: at(3, 6, 2) }),
  contact({ id: 'c7', createdAt: at(3, 10), source: 'PAID_SEARCH', status: 'marketing_qualified' }),
  contact({ id: 'c8', createdAt: at(3, 15), source: 'ORGANIC_SEARCH', status: 'disqualified' }),
];

export const DEALS: MirrorDeal[] = [
  deal({ id: 'd1', createdAt: at(1, 10), closedAt: at(1, 30), closed: true, won: true, amount: 10000, contactIds: ['c1'], statusAtCreation: 'sales_ready' }),
  deal({ id: 'd2', createdAt: at(1, 12), closedAt: at(2, 11), closed: true, won: false, amount: 5000, contactIds: ['c2'], statusAtCreation: 'sales_ready' }),
  deal({ id: 'd3', createdAt: at(3, 10), amount: 8000, contactIds: ['c6'], statusAtCreation: 'sales_ready' }),
  // No contacts: counts in the deal figures, in no cohort or source.
  deal({ id: 'd4', createdAt: at(2, 1), closedAt: at(3, 3), closed: true, won: true, amount: 20000, contactIds: [], statusAtCreation: null }),
  // Deleted: c4 must not reach opportunity through it, and its amount must count nowhere.
  deal({ id: 'd5', createdAt: at(1, 25), closedAt: at(2, 1), closed: true, won: true, amount: 999, contactIds: ['c4'], statusAtCreation: 'nurture', deleted: true }),
];

export const DECISIONS: DecisionRecord[] = [
  decision('c1', 'nurture', at(1, 1)),
  decision('c1', 'marketing_qualified', at(1, 3)),
  decision('c1', 'sales_ready', at(1, 5)),
  decision('c2', 'marketing_qualified', at(1, 4)),
  decision('c2', 'sales_ready', at(1, 6)),
  decision('c3', 'marketing_qualified', at(1, 5)),
  decision('c3', 'sales_ready', at(1, 9)),
  decision('c3', 'marketing_qualified', at(1, 20)), // a later re-entry: the first time counts
  decision('c4', 'nurture', at(1, 20)),
  decision('c9', 'sales_ready', at(1, 16)),
  decision('c5', 'marketing_qualified', at(3, 2)),
  decision('c5', 'sales_ready', at(3, 4)),
  decision('c6', 'sales_ready', at(3, 6)),
  decision('c7', 'marketing_qualified', at(3, 12)),
  decision('c8', 'disqualified', at(3, 15)),
];

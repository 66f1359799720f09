import type { DecisionRecord, MirrorContact, MirrorDeal } from '../../src/store/mirror-types';
import { contact, deal, decision } from './portal';

/**
 * A hand-built portal for qualified pipeline created (issue 14, acceptance 5): 6 contacts and 10 deals over
 * April to June 2025. Each deal's statusAtCreation is written here by hand from the decisions below (the
 * status of its lead, the earliest-created associated contact, at the deal's create date: the latest decision
 * at or before it); test/cli/report.test.ts checks that the store's `statusesAt` gives the same.
 *
 *   contact  created  source          decisions (UTC, 2025)
 *   p1       Apr 1    ORGANIC_SEARCH  mql Apr 3, sales_ready Apr 10
 *   p2       Apr 2    PAID_SEARCH     nurture Apr 2, mql May 20
 *   p3       Apr 5    ORGANIC_SEARCH  sales_ready Apr 6, disqualified May 1
 *   p4       Apr 8    (none)          mql Apr 9
 *   p5       May 1    PAID_SEARCH     nurture May 1
 *   p6       May 3    REFERRALS       (none)
 *
 *   deal  created  contacts  lead  status at creation  qualified  amount  source
 *   q1    Apr 5    p1        p1    marketing_qualified yes         1000   ORGANIC_SEARCH
 *   q2    Apr 10   p1        p1    sales_ready (same instant as the decision: at or before)  yes  3000  ORGANIC_SEARCH
 *   q3    Apr 20   p2        p2    nurture             no          2000   PAID_SEARCH
 *   q7    Apr 15   -         -     (none)              no          6000   - (no contacts: overall and month only)
 *   q4    May 2    p3        p3    disqualified        no          4000   ORGANIC_SEARCH (sales_ready before, not at creation)
 *   q5    May 25   p2        p2    marketing_qualified yes         -      PAID_SEARCH (no amount: counts 0)
 *   q6    May 10   p5, p4    p4    marketing_qualified yes         5000   (none) (p4 created before p5)
 *   q8    Jun 3    p6        p6    (none)              no          1500   REFERRALS (no decision yet)
 *   q10   Jun 20   p1        p1    sales_ready         yes          500   ORGANIC_SEARCH
 *   q9    Jun 10   p4        deleted: counts nowhere                2500
 */
const at = (month: number, day: number, hour = 0): number => Date.UTC(2025, month - 1, day, hour);

export const PIPELINE_CONTACTS: MirrorContact[] = [
  contact({ id: 'p1', createdAt: at(4, 1), source: 'ORGANIC_SEARCH', status: 'sales_ready', qualifiedAt: at(4, 10) }),
  contact({ id: 'p2', createdAt: at(4, 2), source: 'PAID_SEARCH', status: 'marketing_qualified' }),
  contact({ id: 'p3', createdAt: at(4, 5), source: 'ORGANIC_SEARCH', status: 'disqualified', qualifiedAt: at(4, 6) }),
  contact({ id: 'p4', createdAt: at(4, 8), source: null, status: 'marketing_qualified' }),
  contact({ id: 'p5', createdAt: at(5, 1), source: 'PAID_SEARCH', status: 'nurture' }),
  contact({ id: 'p6', createdAt: at(5, 3), source: 'REFERRALS', status: 'nurture' }),
];

export const PIPELINE_DECISIONS: DecisionRecord[] = [
  decision('p1', 'marketing_qualified', at(4, 3)),
  decision('p1', 'sales_ready', at(4, 10)),
  decision('p2', 'nurture', at(4, 2)),
  decision('p2', 'marketing_qualified', at(5, 20)),
  decision('p3', 'sales_ready', at(4, 6)),
  decision('p3', 'disqualified', at(5, 1)),
  decision('p4', 'marketing_qualified', at(4, 9)),
  decision('p5', 'nurture', at(5, 1)),
];

export const PIPELINE_DEALS: MirrorDeal[] = [
  deal({ id: 'q1', createdAt: at(4, 5), amount: 1000, contactIds: ['p1'], statusAtCreation: 'marketing_qualified' }),
  deal({ id: 'q2', createdAt: at(4, 10), amount: 3000, contactIds: ['p1'], statusAtCreation: 'sales_ready', closed: true, won: true, closedAt: at(4, 30) }),
  deal({ id: 'q3', createdAt: at(4, 20), amount: 2000, contactIds: ['p2'], statusAtCreation: 'nurture', closed: true, closedAt: at(5, 2) }),
  deal({ id: 'q7', createdAt: at(4, 15), amount: 6000, contactIds: [], statusAtCreation: null }),
  deal({ id: 'q4', createdAt: at(5, 2), amount: 4000, contactIds: ['p3'], statusAtCreation: 'disqualified' }),
  deal({ id: 'q5', createdAt: at(5, 25), amount: null, contactIds: ['p2'], statusAtCreation: 'marketing_qualified' }),
  deal({ id: 'q6', createdAt: at(5, 10), amount: 5000, contactIds: ['p5', 'p4'], statusAtCreation: 'marketing_qualified' }),
  deal({ id: 'q8', createdAt: at(6, 3), amount: 1500, contactIds: ['p6'], statusAtCreation: null }),
  deal({ id: 'q10', createdAt: at(6, 20), amount: 500, contactIds: ['p1'], statusAtCreation: 'sales_ready' }),
  deal({ id: 'q9', createdAt: at(6, 10), amount: 2500, contactIds: ['p4'], statusAtCreation: 'marketing_qualified', deleted: true }),
];

/** Figures in the order created, createdAmount, qualified, qualifiedAmount, countShare, amountShare. */
export type PipelineRow = [number, number, number, number, number | null, number | null];

/**
 * The hand computation, by deal-created month:
 *   2025-04: q1 1000 Q, q2 3000 Q, q3 2000, q7 6000   -> 4 deals 12000; 2 qualified 4000; 2/4; 4000/12000
 *   2025-05: q4 4000, q5 - Q (0), q6 5000 Q           -> 3 deals  9000; 2 qualified 5000; 2/3; 5000/9000
 *   2025-06: q8 1500, q10 500 Q (q9 deleted)          -> 2 deals  2000; 1 qualified  500; 1/2;  500/2000
 *   later months: no deal                             -> 0 deals     0; 0; shares unknown (null)
 */
export const EXPECTED_BY_MONTH: Record<string, PipelineRow> = {
  '2025-04': [4, 12000, 2, 4000, 0.5, 1 / 3],
  '2025-05': [3, 9000, 2, 5000, 2 / 3, 5 / 9],
  '2025-06': [2, 2000, 1, 500, 0.5, 0.25],
};

/**
 * By source (the lead's hs_analytics_source; q7 has no lead and is in no source):
 *   ORGANIC_SEARCH: q1 1000 Q, q2 3000 Q, q4 4000, q10 500 Q -> 4 deals 8500; 3 qualified 4500; 3/4; 4500/8500
 *   PAID_SEARCH:    q3 2000, q5 - Q                          -> 2 deals 2000; 1 qualified    0; 1/2;    0/2000
 *   REFERRALS:      q8 1500                                  -> 1 deal  1500; 0 qualified    0; 0;      0/1500
 *   (none):         q6 5000 Q                                -> 1 deal  5000; 1 qualified 5000; 1;   5000/5000
 * Overall: 9 deals (the 8 above + q7) 23000 (17000 + 6000); 5 qualified 9500; 5/9; 9500/23000.
 */
export const EXPECTED_BY_SOURCE: Record<string, PipelineRow> = {
  ORGANIC_SEARCH: [4, 8500, 3, 4500, 0.75, 9 / 17],
  PAID_SEARCH: [2, 2000, 1, 0, 0.5, 0],
  REFERRALS: [1, 1500, 0, 0, 0, 0],
  '(none)': [1, 5000, 1, 5000, 1, 1],
};
export const EXPECTED_OVERALL: PipelineRow = [9, 23000, 5, 9500, 5 / 9, 9500 / 23000];

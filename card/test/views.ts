import type { CardHandOff, CardRung, CardStatus, CardView } from '../src/contract';

/**
 * Card views as the backend answers them, one per situation a rep meets. Built by hand from the contract so the
 * card's tests do not depend on the backend: what the card shows must come from these values alone.
 */

const LABELS: Record<CardStatus, string> = {
  disqualified: 'Disqualified',
  needs_data: 'Needs data',
  nurture: 'Nurture',
  marketing_qualified: 'Marketing qualified (MQL)',
  sales_ready: 'Sales ready (SQL)',
};

function rungs(fit: number, engagement: number): CardRung[] {
  const total = fit + engagement;
  const t = (dimension: 'fit' | 'engagement' | 'total', required: number, actual: number) => ({ dimension, required, actual, shortBy: Math.max(0, required - actual) });
  const mql = [t('total', 40, total)];
  const sql = [t('total', 70, total), t('fit', 30, fit), t('engagement', 20, engagement)];
  return [
    { status: 'marketing_qualified', label: LABELS.marketing_qualified, met: mql.every((x) => x.shortBy === 0), thresholds: mql },
    { status: 'sales_ready', label: LABELS.sales_ready, met: sql.every((x) => x.shortBy === 0), thresholds: sql },
  ];
}

export const HAND_OFF: CardHandOff = {
  mode: 'task',
  ownerId: '7001',
  handedOffAt: '2026-12-04T09:00:00.000Z',
  dueAt: '2026-12-06T09:00:00.000Z',
  slaHours: 48,
  hoursLeft: 26.5,
  breached: false,
  verdict: null,
  verdictAt: null,
  verdictBy: null,
};

const base = (status: CardStatus, fit: number, engagement: number): CardView => ({
  contactId: '501',
  status,
  statusLabel: LABELS[status],
  scores: { total: fit + engagement, fit, engagement },
  ladder: rungs(fit, engagement),
  next: null,
  reasons: { status: [], disqualifiers: [], missing: [], fit: [], engagement: [], other: [] },
  definitionVersion: '7',
  evaluatedAt: '2026-12-05T08:30:00.000Z',
  history: [],
  handOff: null,
  actions: { accept: false, reject: false, reEvaluate: true },
  reEvaluationPending: false,
});

export const VIEWS: Record<CardStatus, CardView> = {
  disqualified: {
    ...base('disqualified', 10, 4),
    next: { status: 'nurture', label: LABELS.nurture, needs: ['no disqualifier: Email is on a free-mail domain (gmail.com)', 'no disqualifier: Company is a competitor (Rival Inc)'] },
    reasons: {
      ...base('disqualified', 10, 4).reasons,
      status: [{ text: 'A disqualifier matched: the status is disqualified whatever the score', ref: 'status' }],
      disqualifiers: [
        { text: 'Email is on a free-mail domain (gmail.com)', ref: 'free_email' },
        { text: 'Company is a competitor (Rival Inc)', ref: 'competitor' },
      ],
      fit: [{ text: 'Company size 50 to 200', ref: 'size_mid', points: 10 }],
      engagement: [{ text: 'Visited pricing 40 days ago (half-life 30 days: 10 -> 4)', ref: 'pricing_visit', points: 4 }],
    },
    history: [{ at: '2026-12-05T08:30:00.000Z', origin: 'live', from: 'nurture', to: 'disqualified', definitionVersion: '7', totalScore: 14 }],
  },
  needs_data: {
    ...base('needs_data', 0, 12),
    next: { status: 'nurture', label: LABELS.nurture, needs: ['a value for jobtitle', 'a value for company.industry'] },
    reasons: {
      ...base('needs_data', 0, 12).reasons,
      status: [{ text: 'Required data is missing', ref: 'status' }],
      missing: [
        { text: 'Job title is empty', ref: 'jobtitle' },
        { text: 'Company industry is empty', ref: 'company.industry' },
      ],
      engagement: [{ text: 'Opened 3 emails in the last 14 days', ref: 'email_opens', points: 12 }],
    },
  },
  nurture: {
    ...base('nurture', 20, 8),
    next: { status: 'marketing_qualified', label: LABELS.marketing_qualified, needs: ['12 more points in total'] },
    reasons: {
      ...base('nurture', 20, 8).reasons,
      status: [{ text: 'Total 28 is below 40 (Marketing qualified)', ref: 'status' }],
      fit: [{ text: 'Job title contains "Director"', ref: 'seniority', points: 20 }],
      engagement: [{ text: 'Webinar attended 20 days ago (10 -> 8 after decay)', ref: 'webinar', points: 8 }],
      other: [{ text: 'Engagement capped at 30', ref: 'cap' }],
    },
  },
  marketing_qualified: {
    ...base('marketing_qualified', 30, 12),
    next: { status: 'sales_ready', label: LABELS.sales_ready, needs: ['28 more points in total', '8 more engagement points'] },
    reasons: {
      ...base('marketing_qualified', 30, 12).reasons,
      status: [{ text: 'Total 42 reaches 40 (Marketing qualified)', ref: 'status' }],
      fit: [{ text: 'Company size 200+', ref: 'size_large', points: 30 }],
      engagement: [{ text: 'Demo page viewed 2 days ago', ref: 'demo_view', points: 12.4 }],
    },
    history: [
      { at: '2026-12-05T08:30:00.000Z', origin: 'live', from: 'nurture', to: 'marketing_qualified', definitionVersion: '7', totalScore: 42 },
      { at: '2026-12-01T10:00:00.000Z', origin: 'live', from: null, to: 'nurture', definitionVersion: '6', totalScore: 25 },
    ],
  },
  sales_ready: {
    ...base('sales_ready', 40, 35),
    reasons: {
      ...base('sales_ready', 40, 35).reasons,
      status: [{ text: 'Total 75 reaches 70, fit 40 reaches 30, engagement 35 reaches 20 (Sales ready)', ref: 'status' }],
      fit: [{ text: 'Company size 200+', ref: 'size_large', points: 40 }],
      engagement: [{ text: 'Requested a demo yesterday', ref: 'demo_request', points: 35 }],
    },
    handOff: HAND_OFF,
    actions: { accept: true, reject: true, reEvaluate: true },
    history: [
      { at: '2026-12-04T09:00:00.000Z', origin: 'live', from: 'marketing_qualified', to: 'sales_ready', definitionVersion: '7', totalScore: 75 },
      { at: '2026-09-14T11:00:00.000Z', origin: 'replayed', from: 'nurture', to: 'marketing_qualified', definitionVersion: '7', totalScore: 48 },
      { at: '2026-06-02T08:00:00.000Z', origin: 'before_history', from: null, to: 'nurture', definitionVersion: '7', totalScore: 20 },
    ],
  },
};

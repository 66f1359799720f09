import type { CardHandOff, CardHistoryEntry, CardRung, CardStatus, CardThreshold, CardVerdict, CardView } from '../../card/src/contract';
import { climb, meets, STATUS_LABEL } from '../definition/reasons';
import { LADDER_STATUSES, type LadderStatus, type LeadStatus, type Thresholds } from '../definition/types';
import { formatPoints } from '../definition/values';
import type { CardData } from '../store/mirror-types';
import { SALES_FEEDBACK } from '../sync/properties';
import { groupReasons } from './reasons';

/**
 * The qualification card's view model: what card/src/contract.ts `CardView` says, built from what the store
 * holds for one contact (`cardData`) and the compiled definition's ladder. Pure: no I/O, `now` a parameter.
 */

const HOUR_MS = 3_600_000;
export const MAX_HISTORY = 20;

/** A hand-off as recorded when it happened (the hand_offs table); times epoch ms. */
export interface HandOffRecord {
  mode: CardHandOff['mode'];
  ownerId: string | null;
  handedOffAt: number;
  dueAt: number;
}

export interface CardViewInput {
  contactId: string;
  data: CardData;
  /** The compiled definition's ladder, environment overrides included (`CompiledDefinition.ladder`). */
  ladder: Record<LadderStatus, Thresholds>;
  slaHours: number;
  now: number;
  /** The recorded hand-off, when there is one; otherwise it is derived from the first sales_ready. */
  handOff?: HandOffRecord | null;
  /** What a derived hand-off created in HubSpot: `task` when HANDOFF_TASK is on, else `none`. */
  defaultHandOffMode: CardHandOff['mode'];
}

const DIMENSIONS = ['fit', 'engagement', 'total'] as const;
const iso = (t: number): string => new Date(t).toISOString();
const round2 = (n: number): number => Math.round(n * 100) / 100;

function isVerdict(v: string | null | undefined): v is CardVerdict {
  return v !== null && v !== undefined && (SALES_FEEDBACK as readonly string[]).includes(v);
}

function rung(status: LadderStatus, t: Thresholds, scores: Record<(typeof DIMENSIONS)[number], number>): CardRung {
  const thresholds: CardThreshold[] = [];
  for (const dimension of DIMENSIONS) {
    const required = t[dimension];
    if (required === undefined) continue;
    const actual = round2(scores[dimension]);
    thresholds.push({ dimension, required, actual, shortBy: Math.max(0, round2(required - scores[dimension])) });
  }
  return { status, label: STATUS_LABEL[status], met: meets(t, scores.fit, scores.engagement, scores.total), thresholds };
}

/** "8 more engagement points", "1 more fit point". */
function pointsSentence(t: CardThreshold): string {
  return `${formatPoints(t.shortBy)} more ${t.dimension} point${t.shortBy === 1 ? '' : 's'}`;
}

function verdictWords(v: CardVerdict): string {
  return v.replace('rejected_', '').replace(/_/g, ' ');
}

function nextStep(status: LeadStatus, ladder: CardRung[], groups: CardView['reasons'], scores: { fit: number; engagement: number; total: number }, ladderThresholds: Record<LadderStatus, Thresholds>, verdict: CardVerdict | null): CardView['next'] {
  const byScore = climb(ladderThresholds, scores.fit, scores.engagement, scores.total);
  const next = (s: CardStatus, needs: string[]) => ({ status: s, label: STATUS_LABEL[s], needs });
  if (status === 'sales_ready') return null;
  if (status === 'disqualified') {
    const target: CardStatus = groups.missing.length > 0 ? 'needs_data' : byScore;
    return next(target, groups.disqualifiers.map((d) => `clear the disqualifier: ${d.text.replace(/^Disqualifier: /, '')}`));
  }
  if (status === 'needs_data') {
    return next(byScore, groups.missing.map((m) => `a value for ${m.text.replace(/^Missing required data: /, '') || m.ref}`));
  }
  const target: LadderStatus = status === 'nurture' ? 'marketing_qualified' : 'sales_ready';
  const short = ladder.find((r) => r.status === target)!.thresholds.filter((t) => t.shortBy > 0);
  if (short.length > 0) return next(target, short.map(pointsSentence));
  // The scores reach the rung, yet the status is below it: a rep rejected the hand-off.
  const srShort = ladder.find((r) => r.status === 'sales_ready')!.thresholds.filter((t) => t.shortBy > 0);
  if (srShort.length > 0) return next('sales_ready', srShort.map(pointsSentence));
  const why = verdict !== null && verdict !== 'accepted' ? `sales rejected the hand-off (${verdictWords(verdict)})` : 'the next evaluation';
  return next('sales_ready', [`a new verdict: ${why}; the scores already meet sales ready`]);
}

function handOffOf(input: CardViewInput, verdict: CardVerdict | null): CardHandOff | null {
  const { data, slaHours, now } = input;
  const c = data.contact;
  const record: HandOffRecord | null =
    input.handOff ??
    (c && c.qualifiedAt !== null ? { mode: input.defaultHandOffMode, ownerId: c.ownerId ?? null, handedOffAt: c.qualifiedAt, dueAt: c.qualifiedAt + slaHours * HOUR_MS } : null);
  if (!record) return null;
  const verdictAt = verdict !== null ? (c?.feedbackAt ?? null) : null;
  // Who gave it is known when our last verdict write is the verdict the contact has; a hand edit in HubSpot is nobody we know.
  const verdictBy = verdict !== null && data.lastVerdictWrite?.verdict === verdict ? data.lastVerdictWrite.actor : null;
  return {
    mode: record.mode,
    ownerId: record.ownerId,
    handedOffAt: iso(record.handedOffAt),
    dueAt: iso(record.dueAt),
    slaHours,
    hoursLeft: verdict !== null ? null : Math.round(((record.dueAt - now) / HOUR_MS) * 10) / 10,
    breached: verdict === null ? now > record.dueAt : verdictAt !== null && verdictAt > record.dueAt,
    verdict,
    verdictAt: verdictAt !== null ? iso(verdictAt) : null,
    verdictBy,
  };
}

/** The card for one contact, or null when the store has never decided it (the route's 404). */
export function buildCardView(input: CardViewInput): CardView | null {
  const { data, ladder: thresholds } = input;
  const c = data.contact;
  const d = data.decision;
  if (!c && !d) return null;
  const status = (c?.status ?? d!.status) as LeadStatus;
  const scores = { total: c?.totalScore ?? d!.totalScore, fit: c?.fitScore ?? d!.fitScore, engagement: c?.engagementScore ?? d!.engagementScore };
  const ladder = [...LADDER_STATUSES].reverse().map((s) => rung(s, thresholds[s], scores));
  const reasons = groupReasons(d?.reasonDetails ?? []);
  const verdict = isVerdict(c?.feedback) ? c!.feedback as CardVerdict : null;
  const handOff = handOffOf(input, verdict);
  const deleted = c?.deleted ?? false;
  const history: CardHistoryEntry[] = data.statusHistory.slice(0, MAX_HISTORY).map((h) => ({
    at: iso(h.decidedAt),
    origin: h.origin ?? 'live',
    from: h.previousStatus,
    to: h.status,
    definitionVersion: h.definitionVersion,
    totalScore: h.totalScore,
  }));
  return {
    contactId: input.contactId,
    status,
    statusLabel: STATUS_LABEL[status],
    scores,
    ladder,
    next: nextStep(status, ladder, reasons, scores, thresholds, verdict),
    reasons,
    definitionVersion: c?.definitionVersion ?? d!.definitionVersion,
    evaluatedAt: iso(c?.evaluatedAt ?? d!.decidedAt),
    history,
    handOff,
    actions: {
      accept: handOff !== null && !deleted && verdict !== 'accepted',
      reject: handOff !== null && !deleted && (verdict === null || verdict === 'accepted'),
      reEvaluate: !deleted,
    },
    reEvaluationPending: data.pending,
  };
}

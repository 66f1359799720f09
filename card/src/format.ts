import type { CardHandOff, CardReason, CardStatus, CardThreshold, CardVerdict, CardView } from './contract';

/**
 * How the card words and colours a CardView. Pure (the clock and the locale are parameters), so the wording is
 * tested without rendering. The card never decides qualification: every number and status comes from the view.
 */

export type TagVariant = 'danger' | 'warning' | 'info' | 'success' | 'default';

/** Worst to best, the way a rep reads urgency: red, amber, grey, blue, green. */
export const STATUS_VARIANT: Record<CardStatus, TagVariant> = {
  disqualified: 'danger',
  needs_data: 'warning',
  nurture: 'default',
  marketing_qualified: 'info',
  sales_ready: 'success',
};

export const VERDICT_LABEL: Record<CardVerdict, string> = {
  accepted: 'Accepted',
  rejected_misrouted: 'Rejected: misrouted',
  rejected_bad_data: 'Rejected: bad data',
  rejected_below_definition: 'Rejected: below definition',
};

/** What the hand-off created in HubSpot (HANDOFF_MODE when it was handed off). */
export const HAND_OFF_MODE: Record<CardHandOff['mode'], string> = {
  task: 'a task for the owner',
  lead: 'a Lead',
  none: 'nothing (hand-off recorded here only)',
};

/** The three reasons a rep can reject a hand-off for, in the order the Select shows them. */
export const REJECT_REASONS: Array<{ label: string; value: Exclude<CardVerdict, 'accepted'> }> = [
  { label: 'Misrouted (wrong owner or team)', value: 'rejected_misrouted' },
  { label: 'Bad data (the record is wrong)', value: 'rejected_bad_data' },
  { label: 'Below definition (not ready for sales)', value: 'rejected_below_definition' },
];

const DIMENSION_LABEL: Record<CardThreshold['dimension'], string> = { total: 'Total', fit: 'Fit', engagement: 'Engagement' };

/** One threshold as a progress bar: filled up to the requirement, red while short. */
export function thresholdBar(t: CardThreshold): { title: string; value: number; maxValue: number; valueDescription: string; variant: 'success' | 'danger' } {
  const maxValue = Math.max(t.required, 1);
  return {
    title: `${DIMENSION_LABEL[t.dimension]} ${formatPoints(t.actual)} of ${formatPoints(t.required)}`,
    value: Math.max(0, Math.min(t.actual, maxValue)),
    maxValue,
    valueDescription: t.shortBy > 0 ? `${formatPoints(t.shortBy)} short` : 'met',
    variant: t.shortBy > 0 ? 'danger' : 'success',
  };
}

/** Points as a rep reads them: whole numbers plain, others to one decimal (decayed engagement is fractional). */
export function formatPoints(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function reasonLine(r: CardReason): string {
  if (r.points === undefined) return r.text;
  const sign = r.points > 0 ? '+' : r.points < 0 ? '−' : '±';
  return `${r.text} (${sign}${formatPoints(Math.abs(r.points))})`;
}

export interface ReasonGroup {
  key: keyof CardView['reasons'];
  title: string;
  lines: string[];
}

const GROUP_TITLES: Array<[keyof CardView['reasons'], string]> = [
  ['status', 'Why this status'],
  ['disqualifiers', 'Disqualifiers'],
  ['missing', 'Missing data'],
  ['fit', 'Fit'],
  ['engagement', 'Engagement (after decay)'],
  ['other', 'Other'],
];

/** Every reason, grouped in the order a rep reads them; a group with nothing in it is left out. */
export function reasonGroups(reasons: CardView['reasons']): ReasonGroup[] {
  return GROUP_TITLES.map(([key, title]) => ({ key, title, lines: reasons[key].map(reasonLine) })).filter((g) => g.lines.length > 0);
}

/** A time in the rep's locale and the portal's time zone; the raw string if the runtime cannot format it. */
export function formatTime(iso: string, locale: string | undefined, timeZone: string | undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale ?? 'en-US', { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(d);
  } catch {
    // An unknown locale or time zone: the ISO string still says when.
    return iso;
  }
}

function hours(h: number): string {
  const abs = Math.abs(h);
  return `${abs < 10 ? abs.toFixed(1) : Math.round(abs)} ${abs === 1 ? 'hour' : 'hours'}`;
}

/** The SLA clock in one line: running, breached, or stopped by a verdict. */
export function slaLine(h: CardHandOff): string {
  if (h.verdict !== null || h.hoursLeft === null) return h.breached ? 'SLA breached; clock stopped by the verdict' : 'Clock stopped by the verdict';
  if (h.breached || h.hoursLeft < 0) return `SLA breached ${hours(h.hoursLeft)} ago (${h.slaHours} h SLA)`;
  return `${hours(h.hoursLeft)} left of a ${h.slaHours} h SLA`;
}

/** "user:123" as the card shows it. */
export function actorLabel(by: string | null): string {
  if (by === null) return 'unknown';
  const [kind, id] = by.split(':', 2);
  if (kind === 'user') return `HubSpot user ${id}`;
  if (kind === 'lead') return `Lead ${id}`;
  return by;
}

/** Default names; the definition's own labels (on the view) win where the view carries them. */
const STATUS_NAME: Record<CardStatus, string> = {
  disqualified: 'Disqualified',
  needs_data: 'Needs data',
  nurture: 'Nurture',
  marketing_qualified: 'Marketing qualified',
  sales_ready: 'Sales ready',
};

/** The status names this view knows: the definition's labels for the current, next and ladder statuses. */
export function statusNames(view: CardView): Record<CardStatus, string> {
  const names = { ...STATUS_NAME };
  for (const rung of view.ladder) names[rung.status] = rung.label;
  if (view.next) names[view.next.status] = view.next.label;
  names[view.status] = view.statusLabel;
  return names;
}

export function historyLine(from: CardStatus | null, to: CardStatus, names: Record<CardStatus, string>): string {
  const name = (s: CardStatus) => names[s];
  return from === null ? `First evaluated: ${name(to)}` : `${name(from)} → ${name(to)}`;
}

import type { LeadHandOffSettings } from '../definition/types';
import type { SalesFeedback } from './properties';

/**
 * What a hand-off Lead's current stage says about the hand-off. Pure: the definition's `hubspot.leads` and the
 * Lead as read, nothing else. A stage in `accepted` is an acceptance; a stage in `rejected` is the rejection
 * its disqualification reason maps to (`otherReason` when the table does not name it or none was given); any
 * other stage (New, Attempting, Connected, or a Lead moved back out of a verdict) says nothing, and no verdict
 * is taken back: sales's last word stands until it gives another.
 */
export function leadVerdict(settings: LeadHandOffSettings, lead: { stage: string | null; reason: string | null }): SalesFeedback | null {
  if (lead.stage === null) return null;
  if (settings.accepted.includes(lead.stage)) return 'accepted';
  if (!settings.rejected.includes(lead.stage)) return null;
  const reason = lead.reason?.trim() ?? '';
  return (reason !== '' ? settings.reasons[reason] : undefined) ?? settings.otherReason;
}

/**
 * Who gave a Lead's verdict, as the audit log and the card show it: `lead:<lead id>`, and ` by user:<id>` when
 * the stage was last moved by a person (HubSpot's history names the user of a UI change: `sourceId`
 * `userId:<id>` or `updatedByUserId`). Always starts with `lead:<id>`, so a reader can split on " by ".
 */
export function leadActor(leadId: string, lastMove: { sourceId?: string; updatedByUserId?: number | string } | undefined): string {
  const fromSource = /^userId:(\d+)$/.exec(lastMove?.sourceId ?? '')?.[1];
  const user = fromSource ?? (lastMove?.updatedByUserId !== undefined ? String(lastMove.updatedByUserId) : undefined);
  return user !== undefined ? `lead:${leadId} by user:${user}` : `lead:${leadId}`;
}

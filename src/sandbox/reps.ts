import type { Portal } from './crm/portal';

/**
 * Sales reps working the portal's leads in HubSpot's UI, for tests and the demo: what a rep's click changes
 * and how HubSpot records it (source `CRM_UI`, `sourceId` `userId:<id>`, the user on each history entry), so
 * the change reaches subscribed apps as a webhook like any person's edit.
 */
export class SalesReps {
  constructor(private readonly portal: Portal) {}

  /**
   * A rep moves a lead to another stage of its pipeline; disqualifying, they pick a reason (HubSpot's UI asks
   * for `hs_lead_disqualification_reason` there; whether a portal requires it is its admin's choice). Values
   * are checked as an API write would be: an unknown stage or reason throws. Returns the properties changed.
   */
  moveLead(leadId: string, stageId: string, by: { userId: number; disqualificationReason?: string }): string[] {
    const lead = this.portal.get('leads', leadId);
    if (!lead) throw new Error(`no lead ${leadId} in the portal`);
    const input: Record<string, string> = { hs_pipeline_stage: stageId };
    if (by.disqualificationReason !== undefined) input.hs_lead_disqualification_reason = by.disqualificationReason;
    const { values, problems } = this.portal.checkWrite('leads', input, lead);
    if (problems.length > 0) throw new Error(`the UI refuses this move: ${problems.map((p) => p.message).join('; ')}`);
    return this.portal.update('leads', lead.id, values, { sourceType: 'CRM_UI', sourceId: `userId:${by.userId}`, userId: by.userId }).changed;
  }
}

import { OBJECT_TYPE_INFO } from './object-types';
import type { PipelineRegistry } from './pipelines';
import type { CrmRecord } from './records';

/**
 * The values HubSpot calculates after a write (its `CALCULATED` source): the last-modified date; for
 * deals entering a stage, `hs_v2_date_entered_<stage>` and `hs_v2_date_exited_<previous>`, the closed
 * flags, the stage probability, a close date when a deal closes without one, and `days_to_close`; for
 * contacts changing lifecycle stage, `hs_lifecyclestage_<stage>_date` (first time) and
 * `hs_v2_date_entered_<stage>`. `record` already holds the new values; `previous` the ones before.
 */
export function derivedValues(
  record: CrmRecord,
  previous: { dealstage: string | undefined; lifecyclestage: string | undefined },
  pipelines: PipelineRegistry,
  at: number,
): Record<string, string> {
  const derived: Record<string, string> = {};
  const iso = new Date(at).toISOString();
  const { properties } = record;
  if (record.type === 'deals' && properties.dealstage && properties.dealstage !== previous.dealstage) {
    const stageId = properties.dealstage;
    const pipeline = pipelines.get(properties.pipeline ?? 'default') ?? pipelines.pipelineOfStage(stageId);
    const stage = pipeline?.stages.find((s) => s.id === stageId);
    derived[`hs_v2_date_entered_${stageId}`] = iso;
    if (previous.dealstage) derived[`hs_v2_date_exited_${previous.dealstage}`] = iso;
    if (stage) {
      const closed = stage.metadata.isClosed === 'true';
      derived.hs_is_closed = String(closed);
      derived.hs_is_closed_won = String(pipelines.isClosedWon(stage));
      if (stage.metadata.probability !== undefined) derived.hs_deal_stage_probability = stage.metadata.probability;
      // HubSpot fills an empty close date when a deal closes.
      if (closed && !properties.closedate) derived.closedate = iso;
      const closeAt = Date.parse(derived.closedate ?? properties.closedate ?? iso);
      if (closed) derived.days_to_close = String(Math.max(0, Math.floor((closeAt - record.createdAt) / 86_400_000)));
    }
  }
  if (record.type === 'contacts' && properties.lifecyclestage && properties.lifecyclestage !== previous.lifecyclestage) {
    const stage = properties.lifecyclestage;
    if (!properties[`hs_lifecyclestage_${stage}_date`]) derived[`hs_lifecyclestage_${stage}_date`] = iso;
    derived[`hs_v2_date_entered_${stage}`] = iso;
  }
  derived[OBJECT_TYPE_INFO[record.type].lastModifiedProperty] = iso;
  return derived;
}

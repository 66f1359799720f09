import type { Logger } from 'pino';
import type { LeadHandOffSettings } from '../definition/types';
import type { CrmGateway } from '../hubspot/types';
import type { HandOffStore, WorkUnit } from '../store/types';
import { readTime } from '../hubspot/records';
import { leadActor, leadVerdict } from './lead-verdict';
import type { VerdictSink } from './verdict-sink';

/** The Lead properties a verdict is read from; the stage with its history, to know who moved it and when. */
export const LEAD_VERDICT_PROPERTIES = ['hs_pipeline', 'hs_pipeline_stage', 'hs_lead_disqualification_reason'];

/**
 * Lead units of work (a stage or disqualification reason changed, by webhook or found by reconcile): reads
 * each Lead as it is now, and when it is one of our hand-offs in a verdict stage, gives the contact that
 * verdict through the VerdictSink. Reading the Lead's current stage, not the event's value, is what keeps a
 * replayed or late event from flipping a verdict back: every event of a Lead leads to the same read. The
 * sink is idempotent, so the same verdict twice changes nothing.
 */
export class LeadVerdicts {
  constructor(
    private readonly o: {
      gateway: CrmGateway;
      store: Pick<HandOffStore, 'handOffByObject'>;
      sink?: VerdictSink;
      settings: () => LeadHandOffSettings;
      logger: Logger;
    },
  ) {}

  /** Returns how many verdicts changed something. Leads that are not our hand-offs are left alone. */
  async process(units: WorkUnit[], now: number): Promise<{ verdicts: number; changed: number }> {
    const counts = { verdicts: 0, changed: 0 };
    const sink = this.o.sink;
    if (!sink) {
      if (units.length > 0) this.o.logger.warn({ leads: units.length }, 'Lead stage changes arrived but no verdict sink is wired; they are not recorded');
      return counts;
    }
    const read = await this.o.gateway.read('leads', units.map((u) => u.objectId), LEAD_VERDICT_PROPERTIES, ['hs_pipeline_stage']);
    const settings = this.o.settings();
    for (const lead of read.records) {
      const verdict = leadVerdict(settings, { stage: lead.properties.hs_pipeline_stage ?? null, reason: lead.properties.hs_lead_disqualification_reason ?? null });
      if (verdict === null) continue;
      const handOff = await this.o.store.handOffByObject(lead.id);
      if (!handOff || handOff.mode !== 'lead') continue;
      // Newest first, as HubSpot returns history: the move that put the Lead where it is.
      const lastMove = lead.propertiesWithHistory?.hs_pipeline_stage?.[0];
      const at = readTime(lastMove?.timestamp) ?? now;
      let result: { changed: boolean };
      try {
        result = await sink.giveVerdict({ contactId: handOff.contactId, verdict, actor: leadActor(lead.id, lastMove), at });
      } catch (err) {
        // A verdict that can never be given (the contact deleted, HubSpot refusing the property) must not hold
        // up the other Leads of the batch or come back forever; one worth retrying (unavailable) fails the batch.
        const code = (err as { code?: unknown }).code;
        if (code !== 'not_found' && code !== 'conflict' && code !== 'refused') throw err;
        this.o.logger.warn({ leadId: lead.id, contactId: handOff.contactId, verdict, err }, 'Lead verdict not given');
        continue;
      }
      counts.verdicts += 1;
      if (result.changed) counts.changed += 1;
    }
    return counts;
  }
}

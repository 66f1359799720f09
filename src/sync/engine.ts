import type { Logger } from 'pino';
import { evaluate, type CompiledDefinition, type Decision, type LeadStatus } from '../definition';
import type { AssociatedRecord, CrmGateway, CrmRecord, DealPipeline, RecordUpdate } from '../hubspot/types';
import type { ClaimedBatch, Failure, Store, WorkMark, WorkUnit } from '../store/types';
import { CONTACT_SYNC_INPUTS, contactWriteback } from './contact-writeback';
import { readTime } from '../hubspot/records';
import { COMPANY_SYNC_INPUTS } from './company-rollup';
import type { DecisionRecord, MirrorContact, MirrorDeal, SyncStore } from '../store/mirror-types';
import { classifyFailure } from './failures';
import { HandOffs, type HandOffContact, type HandOffOptions } from './hand-off';
import { LEAD_NAME_PROPERTIES, nameOf } from './lead-hand-off';
import { LeadVerdicts } from './lead-verdicts';
import type { VerdictSink } from './verdict-sink';
import { firstDealCreated } from './creation-times';
import { RecordCache, type PreloadType } from './record-cache';
import { unique, type Plan, type PlannerContext } from './plan';
import { dealProperties, planDeals } from './deal-planner';
import { planCompanies } from './company-planner';
import { asOfRows, BlockPast, replayedDecisions, type HistoryReplay } from './history-replay';
import { accountCompanyProperties, accountFactsOf, accountInputsChanged, linkedCompanies } from './account-planner';
import { rejectedUnits, writeAndRecord } from './write-outcome';
import { fencedGateway, LeaseHeartbeat } from './lease-heartbeat';

export { REJECTED_WRITE } from './write-outcome';
export type { PreloadType } from './record-cache';

/**
 * The worker: claims units of work, reads what it needs in as few HubSpot calls as HubSpot allows (batch
 * reads of 100, associations of 1,000), qualifies, and writes only what changed in batch updates of 100.
 *
 * Contacts are planned here; deals in deal-planner.ts, companies in company-planner.ts, Leads' verdicts in
 * lead-verdicts.ts, each past replayed in history-replay.ts.
 *
 * Order per round: deals, then contacts, then companies. Deals first because a new deal is a conversion
 * for its contacts; companies last because their roll-ups count the contacts just qualified.
 */

export type SyncObjectType = 'lead' | 'deal' | 'contact' | 'company';
/** Leads first: a Lead's verdict queues its contact, which this same round then re-evaluates. */
const ROUND: readonly SyncObjectType[] = ['lead', 'deal', 'contact', 'company'];
/** Units per claim: HubSpot's batch size (the store's MAX_CLAIM). */
const CLAIM = 100;
/** Units worked together per type and round: one associations v4 batch read (1,000 inputs). */
const BLOCK = 1000;

/** HubSpot's association type id (v4, HUBSPOT_DEFINED) of the primary contact-to-company link. */
const PRIMARY_CONTACT_TO_COMPANY = 1;

export interface SyncEngineOptions {
  gateway: CrmGateway;
  store: Store & SyncStore;
  definition: CompiledDefinition;
  logger: Logger;
  /** Lease owner (the instance id). */
  owner: string;
  /** Idle wait between empty rounds. */
  pollMs?: number;
  /** What happens when a contact first becomes sales_ready (HANDOFF_MODE, HANDOFF_TASK, HANDOFF_NOTE, HANDOFF_OWNER_IDS, SLA_HOURS). */
  handOff?: HandOffOptions;
  /** Where a hand-off Lead's Qualified or Disqualified stage goes (HANDOFF_MODE=lead). */
  verdicts?: VerdictSink;
  /**
   * How contacts that predate the product are met (docs/replay.md): one never seen and created over an hour
   * ago is a first sight, whose first decision is a `first_look` (the status held, not when it was entered)
   * and whose past, with `replay`, is replayed from HubSpot's property history first, so its stage dates come
   * from it. `rewrite` (`uld replay`): every contact is replayed and the replay's dates replace those
   * written before. Absent (tests of the live path alone): every decision is `live`.
   */
  past?: { replay: HistoryReplay | null; rewrite: boolean };
  now?: () => number;
}

export interface RoundResult {
  processed: Record<SyncObjectType, number>;
  /** Units given back because HubSpot asked us to wait (429), by object type. */
  deferred: number;
  failed: number;
}

/** The object types whose records a caller can hand to the engine (`preload`). */
export class SyncEngine {
  private readonly now: () => number;
  /** Records handed over by `preload`, by type and id, until a unit of the record is worked. */
  private readonly cache: RecordCache;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly handOffs: HandOffs;
  private readonly leadVerdicts: LeadVerdicts;
  /** What the engine was built with; `o` is the same with the gateway fenced by the block's leases. */
  private readonly options: SyncEngineOptions;
  private readonly o: SyncEngineOptions;
  /** The leases of the block being worked, renewed while it is (lease-heartbeat.ts). */
  private block: LeaseHeartbeat | null = null;

  constructor(options: SyncEngineOptions) {
    this.options = options;
    // Every HubSpot write first checks that the block's units are still this instance's.
    const o = (this.o = { ...options, gateway: fencedGateway(options.gateway, async () => this.block?.confirm()) });
    this.now = o.now ?? Date.now;
    const leadSettings = () => this.o.definition.leadHandOff;
    this.handOffs = new HandOffs({ ...o, leadSettings });
    this.leadVerdicts = new LeadVerdicts({ gateway: o.gateway, store: o.store, ...(o.verdicts ? { sink: o.verdicts } : {}), settings: leadSettings, logger: o.logger });
    this.cache = new RecordCache(o.gateway);
  }

  /** The same engine with another definition (a new version): what a restart with the new file does. */
  withDefinition(definition: CompiledDefinition): SyncEngine {
    return this.with({ definition });
  }

  /** The same engine with some options changed (tests, `uld` commands that run one drain). */
  with(overrides: Partial<SyncEngineOptions>): SyncEngine {
    return new SyncEngine({ ...this.options, ...overrides });
  }

  /**
   * The properties the engine reads of each object type: what a caller that pages through records (the
   * backfill) asks for, so the pages can be handed over with `preload` instead of being read again. For
   * companies: the definition's fit inputs and the current roll-ups.
   */
  async readProperties(objectType: PreloadType): Promise<string[]> {
    if (objectType === 'contacts') return this.contactProperties();
    if (objectType === 'companies') return unique([...this.o.definition.companyProperties, ...COMPANY_SYNC_INPUTS, ...accountCompanyProperties(this.o.definition)]);
    return dealProperties(await this.o.gateway.dealPipelines());
  }

  /** Records the caller has just read (a backfill's pages), used instead of reading: see `RecordCache.preload`. */
  preload(objectType: PreloadType, records: readonly CrmRecord[], readAt: number): void {
    this.cache.preload(objectType, records, readAt);
  }

  /**
   * One block of each object type. Returns how much was done; 0 everywhere means the queue is empty.
   *
   * A block is up to BLOCK units (claims of 100, HubSpot's batch size), worked together: its reads go out
   * in full batches of 100 and its association reads in one call of up to 1,000, instead of one call per
   * 100 units. While a type has more than a block waiting (a backlog: an import, a backfill), the types
   * after it in ROUND wait, so their follow-up work (a deal's contacts, a contact's company) is coalesced
   * and each record is read and written once when the backlog is through, not once per block.
   */
  async round(only?: readonly SyncObjectType[]): Promise<RoundResult> {
    const result: RoundResult = { processed: { lead: 0, deal: 0, contact: 0, company: 0 }, deferred: 0, failed: 0 };
    for (const objectType of ROUND) {
      if (only && !only.includes(objectType)) continue;
      const batches = await this.claimBlock(objectType);
      const units = batches.flatMap((b) => b.units);
      if (units.length === 0) continue;
      try {
        const outcome = await this.process(objectType, batches);
        result.processed[objectType] += outcome.done;
        result.failed += outcome.failed;
      } catch (err) {
        const failure = classifyFailure(err, this.now());
        for (const batch of batches) {
          if (failure.kind === 'wait') {
            // HubSpot asked us to wait: the units go back without spending an attempt, claimable after the window.
            await this.o.store.defer(batch.lease, batch.units.map((u) => u.id), failure.until);
            result.deferred += batch.units.length;
          } else {
            const r = await this.o.store.fail(batch.lease, batch.units.map((u) => ({ id: u.id, error: failure.message, permanent: failure.kind === 'permanent' })));
            result.failed += r.deadLettered.length + r.retrying.length;
            this.o.logger.warn({ objectType, units: batch.units.length, error: failure.message, deadLettered: r.deadLettered.length }, 'batch failed');
          }
        }
      } finally {
        this.block?.stop();
        this.block = null;
      }
      // A backlog of this type: the later types wait for the next round (see above).
      if (units.length >= BLOCK) break;
    }
    return result;
  }

  /** Claims of 100 until a block is full or the type has nothing more claimable, on leases `this.block` renews. */
  private async claimBlock(objectType: SyncObjectType): Promise<ClaimedBatch[]> {
    this.block = new LeaseHeartbeat(this.o.store, this.o.logger);
    return this.block.claim({ objectType, owner: this.o.owner }, CLAIM, BLOCK);
  }

  /**
   * Runs rounds until the queue is empty (tests, backfill, benchmarks). With `only`, works only those
   * object types and leaves the others queued (a backfill qualifies every contact before the deals and
   * companies that depend on them).
   */
  async drain(maxRounds = 10_000, only?: readonly SyncObjectType[]): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.round(only);
      if (r.processed.lead + r.processed.deal + r.processed.contact + r.processed.company + r.deferred + r.failed === 0) return;
      if (r.deferred > 0) await sleep(this.o.pollMs ?? 250);
    }
    throw new Error(`the queue did not drain in ${maxRounds} rounds`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let r: RoundResult | null = null;
        try {
          r = await this.round();
        } catch (err) {
          this.o.logger.error({ err }, 'worker round failed; retrying');
        }
        const idle = r === null || r.processed.lead + r.processed.deal + r.processed.contact + r.processed.company === 0;
        if (idle && this.running) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            setTimeout(resolve, this.o.pollMs ?? 250);
          });
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async process(objectType: SyncObjectType, batches: ClaimedBatch[]): Promise<{ done: number; failed: number }> {
    const now = this.now();
    const units = batches.flatMap((b) => b.units);
    const plan = objectType === 'contact' ? await this.contacts(units, now) : objectType === 'deal' ? await planDeals(this.planner(), units, now) : objectType === 'lead' ? await this.leads(units, now) : await planCompanies(this.planner(), units, now);
    const failures: Failure[] = plan.rejected.map((r) => ({ id: r.unitId, error: r.error, permanent: true }));
    const failedIds = new Set(failures.map((f) => f.id));
    if (plan.followUp.length > 0) await this.o.store.markDirty(plan.followUp, now);
    let done = 0;
    for (const batch of batches) {
      const ids = new Set(batch.units.map((u) => u.id));
      const completed = batch.units.filter((u) => !failedIds.has(u.id)).map((u) => u.id);
      await this.o.store.complete(batch.lease, completed);
      done += completed.length;
      const failed = failures.filter((f) => ids.has(f.id));
      if (failed.length > 0) await this.o.store.fail(batch.lease, failed);
    }
    return { done, failed: failures.length };
  }

  // ---- contacts ---------------------------------------------------------------------------------

  private async contacts(units: WorkUnit[], now: number): Promise<Plan> {
    const { gateway, store, definition: def } = this.o;
    const ids = units.map((u) => u.objectId);
    // Follow-ups are dated by the change that caused them (see RecordCache.recent).
    const changedAt = new Map<string, number>();
    for (const u of units) changedAt.set(u.objectId, Math.max(changedAt.get(u.objectId) ?? -Infinity, u.lastOccurredAt));
    const read = await this.cache.readUnits('contacts', units, this.contactProperties());
    const live = read.records;
    const liveIds = live.map((r) => r.id);
    const followUp: WorkMark[] = [];
    // A merged-away record is gone; the survivor carries its history now and needs a look.
    for (const u of units) if (u.mergedInto) followUp.push({ objectType: 'contact', objectId: u.mergedInto, change: 'merged', occurredAt: now });

    const [companyLinks, dealLinks, mirrored] = await Promise.all([
      liveIds.length > 0 ? gateway.associations('contacts', 'companies', liveIds) : new Map<string, AssociatedRecord[]>(),
      liveIds.length > 0 ? gateway.associations('contacts', 'deals', liveIds) : new Map<string, AssociatedRecord[]>(),
      store.getContacts(ids),
    ]);
    const primaryCompany = new Map<string, string>();
    for (const id of liveIds) {
      const links = companyLinks.get(id) ?? [];
      const primary = links.find((l) => l.typeIds.includes(PRIMARY_CONTACT_TO_COMPANY)) ?? links[0];
      if (primary) primaryCompany.set(id, primary.id);
    }
    const companyIds = unique([...primaryCompany.values()]);
    const companyById = await linkedCompanies(def, this.cache, store, companyIds);
    const firstDeal = await firstDealCreated(this.o.store, this.cache, dealLinks);
    const past = this.o.past ? await BlockPast.of(this.o.past, def, live.map((c) => ({ id: c.id, createdAt: readTime(c.properties.createdate), seen: mirrored.has(c.id) })), primaryCompany, now) : null;

    const updates: RecordUpdate[] = [];
    const decisions: DecisionRecord[] = [];
    const rows: MirrorContact[] = [];
    const decided = new Map<string, { decision: Decision; status: LeadStatus }>();
    const handOffs: HandOffContact[] = [];
    for (const c of live) {
      const companyId = primaryCompany.get(c.id) ?? null;
      const decision = evaluate(def, c.properties, companyId ? (companyById.get(companyId) ?? null) : null, now);
      const salesReady = past?.salesReady(c.id);
      const wb = contactWriteback(decision, { current: c.properties, firstDealCreatedAt: firstDeal.get(c.id) ?? null, ...(salesReady ? { salesReady } : {}) }, now);
      decided.set(c.id, { decision, status: wb.status });
      if (Object.keys(wb.changes).length > 0) updates.push({ id: c.id, properties: wb.changes });
      if (wb.handOff) {
        const name = nameOf(c.properties);
        handOffs.push({ id: c.id, owner: c.properties.hubspot_owner_id || null, reasons: wb.changes.uld_reasons ?? c.properties.uld_reasons ?? '', companyId, ...(name !== undefined ? { name } : {}) });
      }
      const before = mirrored.get(c.id);
      const previousStatus = (c.properties.uld_status as LeadStatus | null) ?? before?.status ?? null;
      const reasonsChanged = 'uld_reasons' in wb.changes || 'uld_status' in wb.changes || 'uld_score' in wb.changes;
      if (reasonsChanged || before === undefined) {
        decisions.push({
          contactId: c.id,
          definitionVersion: decision.definitionVersion,
          previousStatus,
          status: wb.status,
          fitScore: decision.fitScore,
          engagementScore: decision.engagementScore,
          totalScore: decision.totalScore,
          reasons: wb.reasons,
          decidedAt: now,
          reasonDetails: wb.reasonDetails,
          origin: past?.firstSight.has(c.id) ? 'first_look' : 'live',
        });
      }
      const row: MirrorContact = {
        id: c.id,
        createdAt: readTime(c.properties.createdate),
        status: wb.status,
        fitScore: decision.fitScore,
        engagementScore: decision.engagementScore,
        totalScore: decision.totalScore,
        definitionVersion: decision.definitionVersion,
        qualifiedAt: readTime(wb.changes.uld_qualified_at ?? c.properties.uld_qualified_at),
        convertedAt: readTime(wb.changes.uld_converted_at ?? c.properties.uld_converted_at),
        feedback: wb.feedback,
        feedbackAt: readTime(c.properties.uld_feedback_at),
        source: c.properties.hs_analytics_source ?? null,
        companyId,
        evaluatedAt: now,
        deleted: false,
        ownerId: c.properties.hubspot_owner_id || null,
        accountFacts: accountFactsOf(def, c.properties, nameOf(c.properties)),
      };
      rows.push(row);
      // A company's roll-up counts its contacts: it needs a look when one joins, leaves, qualifies or converts.
      const touched = [row.companyId, before?.companyId].filter((x): x is string => !!x);
      // Its account (accounts section) when what the account's rules read of it changed.
      if (!before || before.companyId !== row.companyId || (before.qualifiedAt === null) !== (row.qualifiedAt === null) || (before.convertedAt === null) !== (row.convertedAt === null) || before.deleted || accountInputsChanged(def, before, row)) {
        for (const companyId of unique(touched)) followUp.push({ objectType: 'company', objectId: companyId, change: 'association_changed', occurredAt: changedAt.get(c.id) ?? now });
      }
    }

    const written = await writeAndRecord(this.o.gateway, this.o.store, 'contacts', updates);
    this.cache.applyWrites('contacts', updates, written.written);
    const handedOff = new Set(written.written);
    await this.handOffs.handOff(handOffs.filter((h) => handedOff.has(h.id)), now);
    await store.upsertContacts(rows);
    if (past?.pasts) {
      // Their deals' status at creation reads the replayed timeline: a deal already worked before it was
      // stored (by another instance, racing a backfill) found no status and wrote none, so it gets another
      // look. Deals not worked yet (a backfill queues them after its contacts) will read it anyway.
      const dealIds = unique([...past.pasts.keys()].flatMap((id) => (dealLinks.get(id) ?? []).map((l) => l.id)));
      const worked = dealIds.length > 0 ? await store.getDeals(dealIds) : new Map<string, MirrorDeal>();
      for (const d of worked.values()) if (d.statusAtCreation === null && !d.deleted) followUp.push({ objectType: 'deal', objectId: d.id, change: 'conversion_signal', occurredAt: now });
      await store.replaceReplayedDecisions([...past.pasts.keys()], [...past.pasts].flatMap(([id, p]) => replayedDecisions(id, p)), now);
      await store.saveAsOfFacts(asOfRows(def, past.pasts, firstDeal, this.o.past!.replay!.bound));
    }
    await store.recordDecisions(decisions);
    const gone = [...read.missing, ...written.missing];
    if (gone.length > 0) {
      const goneRows = await store.getContacts(gone);
      await store.markDeleted('contact', gone);
      for (const g of goneRows.values()) if (g.companyId) followUp.push({ objectType: 'company', objectId: g.companyId, change: 'association_changed', occurredAt: now });
    }
    return { followUp, rejected: rejectedUnits(units, written) };
  }

  // ---- leads -------------------------------------------------------------------------------------

  /** A hand-off Lead's stage or reason changed: its verdict, if any, through the VerdictSink (lead-verdicts.ts). */
  private async leads(units: WorkUnit[], now: number): Promise<Plan> {
    await this.leadVerdicts.process(units, now);
    return { followUp: [], rejected: [] };
  }

  // ---- shared -----------------------------------------------------------------------------------

  private contactProperties(): string[] {
    const accounts = this.o.definition.accounts;
    // A Lead is named after its contact (hs_lead_name), and an account's reasons name its contacts: only
    // then is the name read.
    const named = this.o.handOff?.mode === 'lead' || accounts ? LEAD_NAME_PROPERTIES : [];
    return unique([...this.o.definition.contactProperties, ...CONTACT_SYNC_INPUTS, 'hs_analytics_source', ...named, ...(accounts?.contactProperties ?? [])]);
  }


  /** What the deal and company planners work with: the engine's own gateway, store, definition and cache. */
  private planner(): PlannerContext {
    return { gateway: this.o.gateway, store: this.o.store, definition: this.o.definition, cache: this.cache, rewrite: this.o.past?.rewrite ?? false };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type { CrmRecord, DealPipeline };

import type { BackgroundRole, RoleContext, RunningRole } from './role-types';
import { SyncEngine } from '../sync/engine';
import { HistoryReplay } from '../sync/history-replay';
import { Verdicts } from '../sync/verdicts';

/**
 * The worker role of `uld serve` (SERVE_WORKER): one sync engine over the shared store, through the
 * process's gateway (HUBSPOT_RATE_LIMIT_PER_10S is the app's budget, not each role's).
 */
export const workerRole: BackgroundRole = {
  name: 'worker',
  async start(ctx: RoleContext): Promise<RunningRole> {
    const definition = ctx.graph.definition();
    const gateway = ctx.graph.gateway('the worker (SERVE_WORKER)');
    const engine = new SyncEngine({
      gateway,
      store: ctx.store,
      definition,
      logger: ctx.logger,
      owner: ctx.instanceId,
      handOff: { mode: ctx.config.sync.handOffMode, task: ctx.config.sync.handOffTask, note: ctx.config.sync.handOffNote, ownerIds: ctx.config.sync.handOffOwnerIds, slaHours: ctx.config.sync.slaHours },
      // A hand-off Lead's Qualified or Disqualified stage is a verdict like the card's Accept and Reject.
      verdicts: new Verdicts({ gateway, store: ctx.store, logger: ctx.logger.child({ component: 'verdicts' }) }),
      // A contact it has never seen that predates the install (a backfill's unit it claims, one reconcile
      // finds) gets its past replayed, as the backfill would: no stage is ever dated at first sight.
      past: { replay: new HistoryReplay({ gateway }), rewrite: false },
    });
    ctx.logger.info({ definition: definition.name, version: definition.version }, 'worker qualifying with this definition');
    engine.start();
    return {
      stop: async () => {
        await engine.stop();
      },
    };
  },
};

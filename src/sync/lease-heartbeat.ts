import type { Logger } from 'pino';
import type { CrmGateway } from '../hubspot/types';
import type { ClaimedBatch, Store } from '../store/types';

/**
 * The worker's leases while it works a block (docs/sync.md, "Leases and crashes"). A block is claimed with
 * a short lease that a live worker renews every few seconds: a worker killed mid-block stops renewing, so
 * its units are claimable by another instance within seconds, not after QUEUE_LEASE_SECONDS. A live worker
 * that is slow (a 429 wait, a long HubSpot call) keeps renewing and keeps its units, up to
 * QUEUE_LEASE_SECONDS after its first claim: past that, a worker stuck on a block that never ends (a call
 * that never answers) lets it go, as the one long lease did before.
 */

/** A claim's lease without a renewal: a killed worker's units wait at most this long (issue 16: under 10 s, work done). */
export const HEARTBEAT_LEASE_MS = 5_000;
/** Renewals per lease: two in a row may be late (a busy database, a long synchronous stretch) before it lapses. */
const BEATS_PER_LEASE = 3;

/** A unit of the block was taken over by another instance: this one must not write for it. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

export class LeaseHeartbeat {
  /** The lease each claim asks for; never longer than QUEUE_LEASE_SECONDS. */
  readonly leaseMs: number;
  private readonly batches: ClaimedBatch[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** QUEUE_LEASE_SECONDS after the block's first claim: renewals stop there. */
  private holdUntil = Infinity;
  private beating = false;

  constructor(
    private readonly store: Pick<Store, 'claim' | 'renewLeases' | 'now' | 'policy'>,
    private readonly logger: Logger,
    /** Tests: a lease shorter than HEARTBEAT_LEASE_MS, so that beats and lapses take milliseconds. */
    options: { leaseMs?: number } = {},
  ) {
    this.leaseMs = Math.min(options.leaseMs ?? HEARTBEAT_LEASE_MS, store.policy.leaseMs);
  }

  /**
   * Claims of `perClaim` until `blockSize` units or nothing more is claimable, each on this short lease and
   * held until `stop`. Nothing claimed, or a claim failed: stopped at once (units claimed before a failure
   * lapse in seconds and another claim takes them).
   */
  async claim(request: { objectType: string; owner: string }, perClaim: number, blockSize: number): Promise<ClaimedBatch[]> {
    let holding = false;
    try {
      for (let n = 0; n < blockSize; ) {
        const batch = await this.store.claim({ ...request, limit: Math.min(perClaim, blockSize - n), leaseMs: this.leaseMs });
        this.hold(batch);
        n += batch.units.length;
        if (batch.units.length < perClaim) break;
      }
      holding = this.batches.length > 0;
      return [...this.batches];
    } finally {
      if (!holding) {
        this.stop();
        // Not worked: nothing to fence either.
        this.batches.length = 0;
      }
    }
  }

  /** Keeps a claim's lease alive until `stop`; the first claim starts the beat. */
  private hold(batch: ClaimedBatch): void {
    if (batch.units.length === 0) return;
    this.batches.push(batch);
    this.holdUntil = Math.min(this.holdUntil, batch.lease.expiresAt - this.leaseMs + this.store.policy.leaseMs);
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.beat(), Math.max(1, Math.floor(this.leaseMs / BEATS_PER_LEASE)));
    // A beat alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  /**
   * The fence before a write HubSpot will see: renews now, and throws LeaseLostError when a unit of the
   * block is no longer this worker's (its leases lapsed and another instance claimed it). That instance
   * reads the record and writes what is still to write; writing here too would be a second update. After
   * this returns the lease runs at least `leaseMs` more (short of QUEUE_LEASE_SECONDS) and the beat keeps
   * it, so no takeover can happen during the write unless every renewal fails for that long.
   */
  async confirm(): Promise<void> {
    if (this.batches.length === 0) return;
    const lost = await this.renew();
    if (lost.length > 0) {
      throw new LeaseLostError(`${lost.length} of this block's ${this.batches.reduce((n, b) => n + b.units.length, 0)} units were taken over by another instance after this one's leases lapsed (no renewal for ${this.leaseMs / 1000} s, or past QUEUE_LEASE_SECONDS); the block is not written, the other instance works them`);
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.renew();
    } catch (err) {
      // The next beat tries again; `confirm` before a write says whether the units are still ours.
      this.logger.warn({ err }, 'lease renewal failed');
    } finally {
      this.beating = false;
    }
  }

  /** Renews every lease of the block; returns the ids of its units no longer held. */
  private async renew(): Promise<number[]> {
    const until = Math.min(this.store.now() + this.leaseMs, this.holdUntil);
    const held = new Set(await this.store.renewLeases(this.batches.map((b) => b.lease), until));
    return this.batches.flatMap((b) => b.units.filter((u) => !held.has(u.id)).map((u) => u.id));
  }
}

/**
 * The gateway as the engine uses it: every write (batch update, batch create: tasks, notes, Leads) first
 * passes the current block's fence (`confirm`). Reads go straight through.
 */
export function fencedGateway(gateway: CrmGateway, fence: () => Promise<void>): CrmGateway {
  return new Proxy(gateway, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (prop === 'update' || prop === 'create') {
        return async (...args: unknown[]) => {
          await fence();
          return method.apply(target, args);
        };
      }
      return method.bind(target);
    },
  });
}

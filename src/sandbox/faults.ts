import type { RateLimitPolicy } from './errors';
import { Random } from './random';

/**
 * Faults injected into API calls on demand, so the product's retries, timeouts and dead-lettering can be
 * exercised against the real SDK. Random faults draw from a seeded stream: the same seed and the same
 * sequence of calls give the same faults.
 */
export type ApiFault =
  /** Answer with this status (5xx by default) and a HubSpot-shaped error body. */
  | { kind: 'error'; status: number }
  /** Never answer (until the sandbox stops): the client's own timeout must fire. */
  | { kind: 'hang' }
  /** Answer normally, but only after this long (a "6-second response"). */
  | { kind: 'delay'; ms: number }
  /** Answer 429 with HubSpot's body for this policy, whatever the real counters say. */
  | { kind: 'rateLimit'; policy: RateLimitPolicy }
  /** Drop the connection without an answer (a network error for the client). */
  | { kind: 'disconnect' };

export interface ApiFaultSettings {
  /** Share of calls answered with a 5xx (0..1). */
  errorRate?: number;
  /** Statuses drawn from for `errorRate` faults. */
  errorStatuses?: number[];
  /** Added latency on every call: a fixed number of ms or a [min, max] range. */
  latencyMs?: number | [number, number];
  /** Share of calls that never get an answer (0..1). */
  hangRate?: number;
  /** Endpoints (call-counter keys, `*` suffix allowed) the random faults apply to; all when absent. */
  endpoints?: string[];
}

interface ScriptedFault {
  endpoint: string;
  fault: ApiFault;
  remaining: number;
}

export interface FaultDecision {
  latencyMs: number;
  fault?: ApiFault;
}

export class ApiFaults {
  private random: Random;
  private settings: ApiFaultSettings = {};
  private scripts: ScriptedFault[] = [];
  /** How many faults were injected, by kind (for assertions and benchmark reports). */
  readonly injected: Record<ApiFault['kind'], number> = { error: 0, hang: 0, delay: 0, rateLimit: 0, disconnect: 0 };

  constructor(private readonly seed: number | string = 1) {
    this.random = new Random(`${seed}:api-faults`);
  }

  /** Replaces the random fault settings (scripted faults are kept). */
  set(settings: ApiFaultSettings): void {
    for (const rate of [settings.errorRate, settings.hangRate]) {
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError('fault rates are shares from 0 to 1');
    }
    this.settings = { ...settings };
  }

  /**
   * The next `times` calls to `endpoint` (a call-counter key such as
   * `POST /crm/v3/objects/contacts/batch/update`, a prefix ending in `*`, or `*` for any) get `fault`.
   */
  script(endpoint: string, fault: ApiFault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError('times must be a positive integer');
    this.scripts.push({ endpoint, fault, remaining: times });
  }

  /** Removes every fault and restarts the random stream from the seed. */
  clear(): void {
    this.settings = {};
    this.scripts = [];
    this.random = new Random(`${this.seed}:api-faults`);
  }

  /** Scripted faults not yet used up. */
  pending(): Array<{ endpoint: string; fault: ApiFault; remaining: number }> {
    return this.scripts.map((s) => ({ ...s }));
  }

  /** Decides the fate of one call. Scripted faults come first, then the random ones. */
  decide(endpoint: string): FaultDecision {
    const latency = this.latency();
    const script = this.scripts.find((s) => matches(s.endpoint, endpoint));
    if (script) {
      script.remaining -= 1;
      if (script.remaining === 0) this.scripts.splice(this.scripts.indexOf(script), 1);
      this.injected[script.fault.kind] += 1;
      return { latencyMs: latency, fault: script.fault };
    }
    const { endpoints, errorRate = 0, hangRate = 0 } = this.settings;
    if (endpoints && !endpoints.some((e) => matches(e, endpoint))) return { latencyMs: 0 };
    if (hangRate > 0 && this.random.chance(hangRate)) {
      this.injected.hang += 1;
      return { latencyMs: latency, fault: { kind: 'hang' } };
    }
    if (errorRate > 0 && this.random.chance(errorRate)) {
      this.injected.error += 1;
      return { latencyMs: latency, fault: { kind: 'error', status: this.random.pick(this.settings.errorStatuses ?? [500, 502, 503, 504]) } };
    }
    return { latencyMs: latency };
  }

  private latency(): number {
    const { latencyMs } = this.settings;
    if (latencyMs === undefined) return 0;
    if (typeof latencyMs === 'number') return latencyMs;
    return this.random.int(latencyMs[0], latencyMs[1]);
  }
}

function matches(pattern: string, endpoint: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return endpoint.startsWith(pattern.slice(0, -1));
  return pattern === endpoint;
}

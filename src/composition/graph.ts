import type { Config } from '../config';
import { requireSettings } from '../config/settings';
import { compileDefinition, type CompiledDefinition } from '../definition';
import { loadDefinitionFile } from '../definition-file';
import { createGateway, gatewayOptionsFromConfig, type CallPolicy, type HubSpotGateway } from '../hubspot';
import { openStore, type Store } from '../store';

/**
 * The one place the product's parts are built from the configuration: `uld serve` and every command ask it
 * for the gateway, the compiled definition and the store, and pass them down. Each is built once, on first
 * use (a command that never calls HubSpot needs no token), and `close` closes whatever was opened.
 *
 * One gateway because HubSpot counts one rate budget per app and portal: the worker, the scheduler, the
 * dashboard's e-mail search and a backfill in one process draw from it together (gateways with other
 * attempts, such as the card's short ones, borrow its budget through `gatewayWith`). One definition because
 * the worker, the jobs and the card must judge by the same rules. One store because the roles of one process
 * share its connections, leases and migrations.
 */
export class ObjectGraph {
  private gatewayBuilt: HubSpotGateway | undefined;
  private readonly borrowers: HubSpotGateway[] = [];
  private readonly definitions = new Map<string, CompiledDefinition>();
  private storeOpened: Promise<Store> | undefined;
  private readonly extraStores: Array<Promise<Store>> = [];
  private closing: Promise<void> | undefined;

  /**
   * `built.definition` is LEAD_DEFINITION already compiled, for a caller that needed it before the
   * configuration existed (the demo subscribes its sandbox to what the definition reads).
   */
  constructor(
    readonly config: Config,
    built: { definition?: CompiledDefinition } = {},
  ) {
    if (built.definition) this.definitions.set(config.leadDefinitionPath, built.definition);
  }

  /** Whether a gateway can be built (HUBSPOT_ACCESS_TOKEN is set): parts that can do without one ask first. */
  get canCallHubSpot(): boolean {
    return Boolean(this.config.hubspot.accessToken);
  }

  /**
   * The process's gateway. Without HUBSPOT_ACCESS_TOKEN it throws MissingSettingError naming `neededBy`
   * (which the command line prints as one line, exit 2).
   */
  gateway(neededBy: string): HubSpotGateway {
    this.open();
    requireSettings(this.config, ['HUBSPOT_ACCESS_TOKEN'], neededBy);
    return (this.gatewayBuilt ??= createGateway(gatewayOptionsFromConfig(this.config)));
  }

  /** The same app and budget with other attempts: a card request has 15 s in all, a doctor should not wait out an outage. */
  gatewayWith(neededBy: string, policy: CallPolicy): HubSpotGateway {
    const borrower = this.gateway(neededBy).withPolicy(policy);
    this.borrowers.push(borrower);
    return borrower;
  }

  /**
   * LEAD_DEFINITION, or the file a command names (what-if's candidate, `--definition`), with the environment's
   * threshold overrides; each compiled once. Throws DefinitionError listing every problem.
   */
  definition(file: string = this.config.leadDefinitionPath): CompiledDefinition {
    this.open();
    let compiled = this.definitions.get(file);
    if (!compiled) {
      compiled = compileDefinition(loadDefinitionFile(file), { overrides: this.config.thresholdOverrides });
      this.definitions.set(file, compiled);
    }
    return compiled;
  }

  /**
   * The store at DATABASE_URL with the queue's settings, opened (and migrated) once. `migrate: false` is for
   * tools that read and must not change the schema; it holds only when this call opens the store.
   */
  store(options: { migrate?: boolean } = {}): Promise<Store> {
    this.open();
    return (this.storeOpened ??= openStore(this.config.databaseUrl, {
      queue: { leaseMs: this.config.queue.leaseMs, maxAttempts: this.config.queue.maxAttempts, backoffBaseMs: this.config.queue.backoffBaseMs },
      ...(options.migrate === false ? { migrate: false } : {}),
    }));
  }

  /** A store somewhere else (a dry run's throw-away SQLite file), closed with the graph. */
  storeAt(databaseUrl: string): Promise<Store> {
    this.open();
    const opened = openStore(databaseUrl);
    this.extraStores.push(opened);
    return opened;
  }

  /**
   * Closes what was opened: borrowing gateways before the one whose budget they use (pending waits are
   * rejected, timers stop), then the stores. Idempotent; a store that failed to open has nothing to close.
   */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      for (const g of this.borrowers.splice(0)) g.close();
      this.gatewayBuilt?.close();
      const stores = [this.storeOpened, ...this.extraStores].filter((s): s is Promise<Store> => s !== undefined);
      await Promise.allSettled(stores.map(async (s) => (await s).close()));
    })());
  }

  private open(): void {
    if (this.closing) throw new Error('the object graph is closed: build a new one');
  }
}

/** Builds the graph, runs `use` with it, and closes it whatever happens. */
export async function withGraph<T>(config: Config, use: (graph: ObjectGraph) => Promise<T>): Promise<T> {
  const graph = new ObjectGraph(config);
  try {
    return await use(graph);
  } finally {
    await graph.close();
  }
}

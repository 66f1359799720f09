import dotenv from 'dotenv';
import type { Command } from 'commander';
import { runDoctor, renderDoctor, type DoctorInputs } from '../../admin/doctor';
import { ConfigError, loadConfig, type Config } from '../../config';
import { DefinitionError } from '../../definition';
import { ObjectGraph } from '../graph';

/** `uld doctor`: one line per check, pass or what to do; exit 1 when any check fails. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Check configuration, store, HubSpot token and scopes, properties, the webhook endpoint, queue and jobs')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      dotenv.config({ quiet: true });
      // Unlike other commands, an invalid environment is a failed check here, not an early exit.
      let config: Config | { error: string };
      try {
        config = loadConfig(process.env);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        config = { error: err.message };
      }
      let definition: DoctorInputs['definition'];
      let gateway: DoctorInputs['gateway'];
      // Without a valid configuration there is nothing to build; the doctor still reports the problems.
      const graph = 'error' in config ? null : new ObjectGraph(config);
      if (graph) {
        try {
          definition = graph.definition();
        } catch (err) {
          if (!(err instanceof DefinitionError)) throw err;
          definition = { error: err.message };
        }
        // Short deadline and no retries: a doctor should answer, not wait out an outage.
        if (graph.canCallHubSpot) gateway = graph.gatewayWith('`uld doctor`', { timeoutMs: 10_000, retry: { maxRetries: 0 } });
      }
      try {
        // The doctor never changes anything: the store is opened without migrating.
        const lines = await runDoctor({ config, definition, gateway, openStore: () => (graph ? graph.store({ migrate: false }) : Promise.reject(new Error('no configuration'))) });
        process.stdout.write(opts.json ? `${JSON.stringify(lines, null, 2)}\n` : renderDoctor(lines));
        // A missing or invalid setting exits 2, as it does for every command; any other failed check exits 1.
        if (lines.some((l) => l.outcome === 'fail' && l.setting !== undefined)) process.exitCode = 2;
        else if (lines.some((l) => l.outcome === 'fail')) process.exitCode = 1;
      } finally {
        await graph?.close();
      }
    });
}

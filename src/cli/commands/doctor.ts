import dotenv from 'dotenv';
import type { Command } from 'commander';
import { runDoctor, renderDoctor, type DoctorInputs } from '../../admin/doctor';
import { ConfigError, loadConfig, type Config } from '../../config';
import { compileDefinition, DefinitionError } from '../../definition';
import { loadDefinitionFile } from '../../definition-file';
import { createGateway, gatewayOptionsFromConfig } from '../../hubspot';
import { openStore } from '../../store';

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
      let gateway: ReturnType<typeof createGateway> | undefined;
      if (!('error' in config)) {
        try {
          definition = compileDefinition(loadDefinitionFile(config.leadDefinitionPath), { overrides: config.thresholdOverrides });
        } catch (err) {
          if (!(err instanceof DefinitionError)) throw err;
          definition = { error: err.message };
        }
        // Short deadline and no retries: a doctor should answer, not wait out an outage.
        if (config.hubspot.accessToken) gateway = createGateway(gatewayOptionsFromConfig(config, { timeoutMs: 10_000, retry: { maxRetries: 0 } }));
      }
      try {
        const lines = await runDoctor({ config, definition, gateway, openStore: (url) => openStore(url, { migrate: false }) });
        process.stdout.write(opts.json ? `${JSON.stringify(lines, null, 2)}\n` : renderDoctor(lines));
        // A missing or invalid setting exits 2, as it does for every command; any other failed check exits 1.
        if (lines.some((l) => l.outcome === 'fail' && l.setting !== undefined)) process.exitCode = 2;
        else if (lines.some((l) => l.outcome === 'fail')) process.exitCode = 1;
      } finally {
        gateway?.close();
      }
    });
}

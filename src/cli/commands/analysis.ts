import type { Command } from 'commander';
import { calibrate, renderCalibration } from '../../admin/calibrate';
import { candidateProperties } from '../../admin/candidates';
import { outcomesFromMirror } from '../../admin/outcomes';
import { readPortalLeads } from '../../admin/portal-leads';
import { renderWhatIf, whatIf, whatIfJson } from '../../admin/what-if';
import type { Config } from '../../config';
import type { HubSpotGateway } from '../../hubspot';
import { openStore } from '../../store';
import { definitionForCommand } from '../definition';
import { configFromEnvironment } from '../env';
import { gatewayForCommand } from '../gateway';

/**
 * `uld what-if` and `uld calibrate`: facts read from the portal (read-only), outcomes from the mirror,
 * definitions evaluated locally. Neither writes to HubSpot or to the store.
 */
export function registerAnalysisCommands(program: Command): void {
  program
    .command('what-if')
    .description('Evaluate the current and a candidate definition over every lead, writing nothing: the status transition matrix and historical conversion per status')
    .requiredOption('--definition <file>', 'the candidate definition')
    .option('--current <file>', 'the definition to compare with (default: LEAD_DEFINITION)')
    .option('--examples <n>', 'example leads shown per moved cell', '3')
    .option('--format <format>', 'table or json', 'table')
    .action(async (opts: { definition: string; current?: string; examples: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) return fail('what-if', `--format must be table or json, found ${JSON.stringify(opts.format)}`);
      if (!/^\d{1,3}$/.test(opts.examples)) return fail('what-if', `--examples must be a whole number from 0 to 999, found ${JSON.stringify(opts.examples)}`);
      const config = configFromEnvironment();
      const current = definitionForCommand(config, opts.current);
      const candidate = definitionForCommand(config, opts.definition);
      const overridden = Object.keys(config.thresholdOverrides).length > 0;
      if (overridden) process.stderr.write(`note: the ULD_* threshold overrides of this environment apply to both definitions (${JSON.stringify(config.thresholdOverrides)}); unset them to compare the files as written\n`);
      const { leads, outcomes } = await gather(config, gatewayForCommand(config, 'what-if'), [...current.contactProperties, ...candidate.contactProperties], [...current.companyProperties, ...candidate.companyProperties]);
      const result = whatIf(current, candidate, leads, outcomes, Date.now(), { examplesPerCell: Number(opts.examples) });
      process.stdout.write(opts.format === 'json' ? whatIfJson(result) : renderWhatIf(result));
    });

  program
    .command('calibrate')
    .description("Each criterion's conversion rate for matching versus other leads, with intervals and lift; non-predictive criteria and predictive properties outside the definition; suggested points (never applied)")
    .option('--definition <file>', 'the definition to calibrate (default: LEAD_DEFINITION)')
    .option('--min-age-days <n>', 'leave out leads created within this many days (they had no time to convert)', '30')
    .option('--format <format>', 'table or json', 'table')
    .action(async (opts: { definition?: string; minAgeDays: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) return fail('calibrate', `--format must be table or json, found ${JSON.stringify(opts.format)}`);
      if (!/^\d{1,4}$/.test(opts.minAgeDays)) return fail('calibrate', `--min-age-days must be a whole number of days, found ${JSON.stringify(opts.minAgeDays)}`);
      const config = configFromEnvironment();
      const def = definitionForCommand(config, opts.definition);
      const gateway = gatewayForCommand(config, 'calibrate');
      let candidates;
      try {
        candidates = [
          ...candidateProperties('contacts', await gateway.listProperties('contacts'), def.contactProperties),
          ...candidateProperties('companies', await gateway.listProperties('companies'), def.companyProperties),
        ];
      } catch (err) {
        gateway.close();
        throw err;
      }
      const { leads, outcomes } = await gather(
        config,
        gateway,
        [...def.contactProperties, ...candidates.filter((c) => c.objectType === 'contacts').map((c) => c.name)],
        [...def.companyProperties, ...candidates.filter((c) => c.objectType === 'companies').map((c) => c.name)],
      );
      const result = calibrate(def, leads, outcomes, Date.now(), { minAgeDays: Number(opts.minAgeDays), candidates });
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderCalibration(result, def));
    });
}

/** The portal's leads and the mirror's outcomes; closes the gateway, which the caller made first (so a missing token stops before the store is opened). */
async function gather(config: Config, gateway: HubSpotGateway, contactProperties: string[], companyProperties: string[]) {
  try {
    return await gatherWith(config, gateway, contactProperties, companyProperties);
  } finally {
    gateway.close();
  }
}

async function gatherWith(config: Config, gateway: HubSpotGateway, contactProperties: string[], companyProperties: string[]) {
  // Read-only: never create or migrate a database here (a wrong DATABASE_URL should fail, not start afresh).
  const store = await openStore(config.databaseUrl, { migrate: false });
  let outcomes;
  try {
    const health = await store.health();
    if (health.pendingMigrations > 0) {
      process.stderr.write(`uld: the store at DATABASE_URL has ${health.pendingMigrations} migrations not applied: start \`uld serve\` once (it migrates), or point DATABASE_URL at the product's store\n`);
      process.exit(2);
    }
    outcomes = outcomesFromMirror(await store.listMirror({ decisions: false }));
  } finally {
    await store.close();
  }
  if (outcomes.size === 0) process.stderr.write('note: the mirror is empty, so no historical conversion can be shown; run `uld backfill` first\n');
  const leads = await readPortalLeads(gateway, [...new Set(contactProperties)], [...new Set(companyProperties)], (p) => {
    if (process.stderr.isTTY) process.stderr.write(`\rreading ${p.phase}: ${p.records}   `);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  return { leads, outcomes };
}

function fail(command: string, message: string): void {
  process.stderr.write(`uld ${command}: ${message}\n`);
  process.exitCode = 2;
}

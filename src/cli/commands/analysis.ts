import type { Command } from 'commander';
import { FACTS_MODES, factsForJudging, NO_AS_OF_FACTS_NOTE, type FactsMode } from '../../admin/as-of';
import { accountOutcomes, CONTACT_LABEL_PROPERTIES, portalAccounts } from '../../admin/accounts';
import { calibrate, renderCalibration } from '../../admin/calibrate';
import { calibrateAccounts, renderAccountCalibration } from '../../admin/calibrate-accounts';
import { candidateProperties } from '../../admin/candidates';
import { outcomesFromMirror } from '../../admin/outcomes';
import { readPortalLeads } from '../../admin/portal-leads';
import { renderWhatIf, whatIf, whatIfJson } from '../../admin/what-if';
import { renderAccountWhatIf, whatIfAccounts } from '../../admin/what-if-accounts';
import type { CompiledDefinition } from '../../definition';
import type { HubSpotGateway } from '../../hubspot';
import { commandGraph, type ObjectGraph } from '../graph';

/**
 * `uld what-if` and `uld calibrate`: facts read from the portal (read-only), outcomes and the as-of facts the
 * history replay kept from the store, definitions evaluated locally. Neither writes to HubSpot or to the store.
 */
export function registerAnalysisCommands(program: Command): void {
  program
    .command('what-if')
    .description('Evaluate the current and a candidate definition over every lead, writing nothing: the status transition matrix and historical conversion per status (and the accounts\' when a definition has accounts)')
    .requiredOption('--definition <file>', 'the candidate definition')
    .option('--current <file>', 'the definition to compare with (default: LEAD_DEFINITION)')
    .option('--examples <n>', 'example leads shown per moved cell', '3')
    .option('--facts <facts>', FACTS_HELP, 'as-of')
    .option('--format <format>', 'table or json', 'table')
    .action(async (opts: { definition: string; current?: string; examples: string; facts: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) return fail('what-if', `--format must be table or json, found ${JSON.stringify(opts.format)}`);
      if (!/^\d{1,3}$/.test(opts.examples)) return fail('what-if', `--examples must be a whole number from 0 to 999, found ${JSON.stringify(opts.examples)}`);
      if (!isFactsMode(opts.facts)) return fail('what-if', FACTS_ERROR(opts.facts));
      const facts = opts.facts;
      await commandGraph(async (graph) => {
        const { config } = graph;
        const current = graph.definition(opts.current);
        const candidate = graph.definition(opts.definition);
        const overridden = Object.keys(config.thresholdOverrides).length > 0;
        if (overridden) process.stderr.write(`note: the ULD_* threshold overrides of this environment apply to both definitions (${JSON.stringify(config.thresholdOverrides)}); unset them to compare the files as written\n`);
        const read = await gather(graph, graph.gateway('`uld what-if`'), facts, [...current.contactProperties, ...candidate.contactProperties], [...current.companyProperties, ...candidate.companyProperties], [current, candidate]);
        const now = Date.now();
        const result = whatIf(current, candidate, read.leads, read.outcomes, now, { examplesPerCell: Number(opts.examples), facts: read.note });
        if (read.accounts) result.accounts = whatIfAccounts(current, candidate, read.accounts.list, read.accounts.outcomes, now, { examplesPerCell: Number(opts.examples) });
        process.stdout.write(opts.format === 'json' ? whatIfJson(result) : renderWhatIf(result) + (result.accounts ? `${renderAccountWhatIf(result.accounts).join('\n')}\n` : ''));
      });
    });

  program
    .command('calibrate')
    .description("Each criterion's conversion rate for matching versus other leads, with intervals and lift; non-predictive criteria and predictive properties outside the definition; suggested points (never applied); each account rule's lift when the definition has accounts")
    .option('--definition <file>', 'the definition to calibrate (default: LEAD_DEFINITION)')
    .option('--min-age-days <n>', 'leave out leads created within this many days (they had no time to convert)', '30')
    .option('--facts <facts>', FACTS_HELP, 'as-of')
    .option('--format <format>', 'table or json', 'table')
    .action(async (opts: { definition?: string; minAgeDays: string; facts: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) return fail('calibrate', `--format must be table or json, found ${JSON.stringify(opts.format)}`);
      if (!/^\d{1,4}$/.test(opts.minAgeDays)) return fail('calibrate', `--min-age-days must be a whole number of days, found ${JSON.stringify(opts.minAgeDays)}`);
      if (!isFactsMode(opts.facts)) return fail('calibrate', FACTS_ERROR(opts.facts));
      const facts = opts.facts;
      await commandGraph(async (graph) => {
        const def = graph.definition(opts.definition);
        const gateway = graph.gateway('`uld calibrate`');
        const candidates = [
          ...candidateProperties('contacts', await gateway.listProperties('contacts'), def.contactProperties),
          ...candidateProperties('companies', await gateway.listProperties('companies'), def.companyProperties),
        ];
        const read = await gather(
          graph,
          gateway,
          facts,
          [...def.contactProperties, ...candidates.filter((c) => c.objectType === 'contacts').map((c) => c.name)],
          [...def.companyProperties, ...candidates.filter((c) => c.objectType === 'companies').map((c) => c.name)],
          [def],
        );
        const now = Date.now();
        const result = calibrate(def, read.leads, read.outcomes, now, { minAgeDays: Number(opts.minAgeDays), candidates, facts: read.note });
        if (read.accounts) result.accounts = calibrateAccounts(def, read.accounts.list, read.accounts.outcomes, now, { minAgeDays: Number(opts.minAgeDays) });
        process.stdout.write(opts.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderCalibration(result, def) + (result.accounts ? `${renderAccountCalibration(result.accounts).join('\n')}\n` : ''));
      });
    });
}

const FACTS_HELP = "as-of: judge each lead that converted with the facts it had at its first deal's creation (kept by the history replay), the others with today's; today: every lead with today's";
const isFactsMode = (v: string): v is FactsMode => (FACTS_MODES as readonly string[]).includes(v);
const FACTS_ERROR = (v: string) => `--facts must be ${FACTS_MODES.join(' or ')}, found ${JSON.stringify(v)}`;

/**
 * The portal's leads as they are to be judged (see src/admin/as-of.ts), the mirror's outcomes and what the
 * output says about the facts. The caller asks for the gateway first, so a missing token stops the command
 * before the store is opened. When a definition has an `accounts` section, also the portal's accounts (from
 * the same reads: the leads grouped by primary company, with the account rules' properties) and their
 * outcomes.
 */
async function gather(graph: ObjectGraph, gateway: HubSpotGateway, mode: FactsMode, contactProperties: string[], companyProperties: string[], defs: CompiledDefinition[]) {
  const withAccounts = defs.flatMap((d) => (d.accounts ? [d.accounts] : []));
  const contact = [...contactProperties, ...withAccounts.flatMap((a) => [...a.contactProperties, ...CONTACT_LABEL_PROPERTIES])];
  const company = [...companyProperties, ...withAccounts.flatMap((a) => a.companyProperties), ...(withAccounts.length > 0 ? ['name'] : [])];
  return gatherWith(graph, gateway, mode, [...new Set(contactProperties)], [...new Set(companyProperties)], { contact: [...new Set(contact)], company: [...new Set(company)], accounts: withAccounts.length > 0 });
}

async function gatherWith(graph: ObjectGraph, gateway: HubSpotGateway, mode: FactsMode, contactProperties: string[], companyProperties: string[], reading: { contact: string[]; company: string[]; accounts: boolean }) {
  // Read-only: never create or migrate a database here (a wrong DATABASE_URL should fail, not start afresh).
  const store = await graph.store({ migrate: false });
  const health = await store.health();
  if (health.pendingMigrations > 0) {
    process.stderr.write(`uld: the store at DATABASE_URL has ${health.pendingMigrations} migrations not applied: start \`uld serve\` once (it migrates), or point DATABASE_URL at the product's store\n`);
    process.exit(2);
  }
  const mirror = await store.listMirror({ decisions: false });
  // Kept by the history replay: as-of facts cost no HubSpot call here.
  const asOf = await store.listAsOfFacts();
  const outcomes = outcomesFromMirror(mirror);
  if (outcomes.size === 0) process.stderr.write('note: the mirror is empty, so no historical conversion can be shown; run `uld backfill` first\n');
  if (mode === 'as-of' && asOf.size === 0) process.stderr.write(`${NO_AS_OF_FACTS_NOTE}\n`);
  const today = await readPortalLeads(
    gateway,
    reading.contact,
    reading.company,
    (p) => {
      if (process.stderr.isTTY) process.stderr.write(`\rreading ${p.phase}: ${p.records}   `);
    },
    { companyIds: reading.accounts },
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  const { leads, note } = factsForJudging(today, asOf, outcomes, mode, { contact: contactProperties, company: companyProperties });
  if (!reading.accounts) return { leads, outcomes, note, accounts: undefined };
  // Accounts are judged on today's facts: as-of facts are kept per contact, not per account.
  const list = portalAccounts(today);
  return { leads, outcomes, note, accounts: { list, outcomes: accountOutcomes(list, outcomes, mirror) } };
}

function fail(command: string, message: string): void {
  process.stderr.write(`uld ${command}: ${message}\n`);
  process.exitCode = 2;
}

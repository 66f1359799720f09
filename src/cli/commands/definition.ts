import type { Command } from 'commander';
import { evaluate, STATUSES, summarizeDefinition, type AccountsSummary, type Decision, type LeadStatus } from '../../definition';
import { commandGraph } from '../graph';
import { InputError, readLeads } from '../lead-input';

export function registerDefinitionCommands(program: Command): void {
  program
    .command('check-definition')
    .argument('[file]', 'definition file (default: LEAD_DEFINITION)')
    .description('Validate a lead definition and summarise it: rules, ladder, overrides, properties read, likely mistakes')
    .option('--json', 'print the summary as JSON')
    .action((file: string | undefined, opts: { json?: boolean }) => commandGraph((graph) => {
      const def = graph.definition(file);
      const s = summarizeDefinition(def);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      const lines = [
        `OK: ${s.name} (version ${s.version}, fingerprint ${s.fingerprint})`,
        `  required data:  ${s.required.join(', ') || '(none)'}`,
        `  disqualifiers:  ${s.disqualifiers.map((d) => d.id).join(', ') || '(none)'}`,
        `  fit:            ${s.fit.criteria} criteria, at most ${s.fit.maxPoints} points${s.fit.cap !== null ? ` (capped at ${s.fit.cap})` : ''}; never decays`,
        `  engagement:     ${s.engagement.criteria} criteria, at most ${s.engagement.maxPoints} points${s.engagement.cap !== null ? ` (capped at ${s.engagement.cap})` : ''}`,
        ...s.engagement.decaying.map((d) => `                  decays: ${d}`),
        '  ladder:',
        ...s.ladder.map(
          (r) =>
            `    ${r.status.padEnd(20)} ${(['fit', 'engagement', 'total'] as const)
              .filter((k) => r[k] !== undefined)
              .map((k) => `${k} >= ${r[k]}${r.overridden.includes(k) ? ' (env override)' : ''}`)
              .join(', ')}`,
        ),
        `    otherwise            nurture`,
        `  reads contact:  ${s.contactProperties.join(', ')}`,
        `  reads company:  ${s.companyProperties.join(', ') || '(none)'}`,
        ...(s.accounts ? accountLines(s.accounts) : []),
        ...s.warnings.map((w) => `  warning: ${w}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }));

  program
    .command('evaluate')
    .description('Evaluate contacts from a file (HubSpot contact export CSV, CSV of internal names, or JSON) and print statuses with reasons')
    .requiredOption('-i, --input <file>', 'contacts: .csv or .json; associated company values in company.<name> columns')
    .option('-d, --definition <file>', 'definition file (default: LEAD_DEFINITION)')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('--now <datetime>', 'evaluate as of this ISO date-time (default: now)')
    .action(async (opts: { input: string; definition?: string; format: string; now?: string }) => {
      if (opts.format !== 'table' && opts.format !== 'json') {
        process.stderr.write(`uld evaluate: --format expected table or json, found "${opts.format}"\n`);
        process.exit(2);
      }
      const now = opts.now === undefined ? Date.now() : Date.parse(opts.now);
      if (Number.isNaN(now)) {
        process.stderr.write(`uld evaluate: --now expected an ISO date-time such as 2026-01-31T12:00:00Z, found "${opts.now}"\n`);
        process.exit(2);
      }
      const def = await commandGraph((graph) => graph.definition(opts.definition));
      let leads;
      try {
        leads = readLeads(opts.input);
      } catch (err) {
        if (err instanceof InputError) {
          process.stderr.write(`uld evaluate: ${err.message}\n`);
          process.exit(2);
        }
        throw err;
      }
      warnAboutMissingColumns(def.contactProperties, def.companyProperties, leads);
      const results = leads.map((l) => ({ id: l.id, email: l.contact.email ?? '', decision: evaluate(def, l.contact, l.company, now) }));
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(results.map((r) => ({ id: r.id, email: r.email, ...r.decision })), null, 2)}\n`);
        return;
      }
      printTable(results);
    });
}

/** The accounts section as check-definition prints it. */
function accountLines(a: AccountsSummary): string[] {
  return [
    '  accounts:',
    `    required data:  ${a.required.join(', ') || '(none)'}`,
    `    disqualifiers:  ${a.disqualifiers.join(', ') || '(none)'}`,
    `    fit:            ${a.fit.criteria} criteria, at most ${a.fit.maxPoints} points`,
    ...a.engagement.map((r) => `    engagement:     ${r}`),
    ...a.coverage.map((r) => `    coverage:       ${r}`),
    '    ladder:',
    ...a.ladder.map(
      (r) =>
        `      ${r.status.padEnd(18)} ${(['fit', 'engagement', 'coverage', 'total'] as const)
          .filter((k) => r[k] !== undefined)
          .map((k) => `${k} >= ${r[k]}${r.overridden.includes(k) ? ' (env override)' : ''}`)
          .join(', ')}`,
    ),
    `      otherwise          target`,
    `    reads company:  ${a.companyProperties.join(', ') || '(none)'}`,
    `    reads contacts: ${a.contactProperties.join(', ')}`,
  ];
}

/** Rules that read a property the file lacks see an empty value; say so, or every lead looks like needs_data. */
function warnAboutMissingColumns(contactProps: string[], companyProps: string[], leads: Array<{ contact: object; company: object | null }>): void {
  if (leads.length === 0) return;
  const contactCols = new Set(leads.flatMap((l) => Object.keys(l.contact)));
  const companyCols = new Set(leads.flatMap((l) => Object.keys(l.company ?? {})));
  const absent = [
    ...contactProps.filter((p) => !contactCols.has(p)),
    ...companyProps.filter((p) => !companyCols.has(p)).map((p) => `company.${p}`),
  ];
  if (absent.length > 0) {
    process.stderr.write(`note: the input has no values for ${absent.join(', ')}; rules reading them see an empty value\n`);
  }
}

function printTable(results: Array<{ id: string; email: string; decision: Decision }>): void {
  const out: string[] = [];
  const head = `${'id'.padEnd(12)} ${'email'.padEnd(32)} ${'status'.padEnd(20)} ${'fit'.padStart(6)} ${'engage'.padStart(6)} ${'total'.padStart(6)}  reasons`;
  out.push(head, '-'.repeat(head.length + 20));
  const counts = new Map<LeadStatus, number>();
  for (const r of results) {
    const d = r.decision;
    counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
    const [first, ...rest] = d.reasons.map((x) => x.text);
    out.push(
      `${r.id.slice(0, 12).padEnd(12)} ${r.email.slice(0, 32).padEnd(32)} ${d.status.padEnd(20)} ${String(d.fitScore).padStart(6)} ${String(d.engagementScore).padStart(6)} ${String(d.totalScore).padStart(6)}  ${first}`,
    );
    for (const line of rest) out.push(`${' '.repeat(86)}  ${line}`);
  }
  out.push('', `${results.length} contacts: ${STATUSES.map((s) => `${s} ${counts.get(s) ?? 0}`).join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

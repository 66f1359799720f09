import type { Command } from 'commander';
import type { DecisionOrigin } from '../../store/mirror-types';
import { commandGraph } from '../graph';

/**
 * `uld history <contactId>`: the audit log of one contact, newest first: every decision (definition
 * version, previous and new status, scores, the complete reasons) and every write made to HubSpot, with
 * who caused it (`uld:sync` for the worker, `user:<HubSpot user id>` for a rep's verdict from the card),
 * and where the dashboard shows the contact's card.
 */

/** The dashboard's card page of a contact: on WEBHOOK_PUBLIC_URL's origin, else this machine's PORT. */
export function cardPageUrl(contactId: string, config: { webhookPublicUrl?: string; port: number }): string {
  const origin = config.webhookPublicUrl ? new URL(config.webhookPublicUrl).origin : `http://localhost:${config.port}`;
  return `${origin}/dashboard/contacts/${contactId}`;
}
export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .argument('<contactId>', 'the HubSpot record id of the contact')
    .description('Every decision and every write for one contact, newest first, with the complete reasons')
    .option('--limit <n>', 'at most this many decisions and writes', '20')
    .option('--json', 'print JSON')
    .action(async (contactId: string, opts: { limit: string; json?: boolean }) => {
      if (!/^\d+$/.test(contactId)) {
        process.stderr.write(`uld history: expected a contact's record id (digits), found ${JSON.stringify(contactId)}\n`);
        process.exitCode = 2;
        return;
      }
      if (!/^[1-9]\d{0,5}$/.test(opts.limit)) {
        process.stderr.write(`uld history: --limit must be a positive whole number, found ${JSON.stringify(opts.limit)}\n`);
        process.exitCode = 2;
        return;
      }
      await commandGraph(async (graph) => {
        const { config } = graph;
        const store = await graph.store();
        const h = await store.history(contactId, Number(opts.limit));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(h, null, 2)}\n`);
          return;
        }
        if (!h.contact && h.decisions.length === 0) {
          process.stdout.write(`contact ${contactId}: no decisions recorded (not yet synced, or another store)\n`);
          return;
        }
        const out: string[] = [];
        if (h.contact) {
          const c = h.contact;
          out.push(`contact ${contactId}: ${c.status}${c.deleted ? ' (deleted in HubSpot)' : ''}, score ${c.totalScore} (fit ${c.fitScore}, engagement ${c.engagementScore}), definition ${c.definitionVersion}`);
          if (c.qualifiedAt) out.push(`  first sales ready ${new Date(c.qualifiedAt).toISOString()}`);
          if (c.convertedAt) out.push(`  first deal        ${new Date(c.convertedAt).toISOString()}`);
          if (c.feedback) {
            // Who gave it: our latest write of the verdict, when the verdict is ours (a hand edit in HubSpot is not).
            const by = h.writes.find((w) => w.outcome === 'written' && w.properties.uld_sales_feedback !== undefined);
            const actor = by && by.properties.uld_sales_feedback === c.feedback && by.actor ? ` (by ${by.actor})` : '';
            out.push(`  sales feedback    ${c.feedback}${c.feedbackAt ? ` at ${new Date(c.feedbackAt).toISOString()}` : ''}${actor}`);
          }
          if (c.ownerId) out.push(`  owner             ${c.ownerId}`);
        }
        out.push(`  card              ${cardPageUrl(contactId, config)}`);
        out.push('', 'decisions:');
        for (const d of h.decisions) {
          out.push(`  ${new Date(d.decidedAt).toISOString()}  ${d.previousStatus ?? '(none)'} -> ${d.status}  score ${d.totalScore} (fit ${d.fitScore}, engagement ${d.engagementScore})  definition ${d.definitionVersion}${ORIGIN_LABEL[d.origin ?? 'live']}`);
          for (const r of d.reasons) out.push(`      ${r}`);
        }
        out.push('', 'writes to HubSpot:');
        for (const w of h.writes) {
          const what = w.properties.uld_sales_feedback !== undefined ? ` (verdict ${w.properties.uld_sales_feedback})` : '';
          out.push(`  ${new Date(w.writtenAt).toISOString()}  ${w.outcome} by ${w.actor ?? 'unknown'}${w.error ? ` (${w.error})` : ''}: ${Object.keys(w.properties).join(', ')}${what}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });
}

/** How a decision's time is known (docs/replay.md), as the log shows it: live decisions need no label. */
const ORIGIN_LABEL: Record<DecisionOrigin, string> = {
  live: '',
  first_look: '  [first look: held when the product first saw it]',
  replayed: '  [replayed from HubSpot history]',
  before_history: '  [replayed: held before the kept history, date unknown]',
};

import { STATUSES, type CompiledDefinition, type LeadStatus } from '../../definition';
import { ACCOUNT_STATUSES } from '../../definition/account-types';
import type { CrmGateway } from '../../hubspot';
import { choosePeriod, headerFigures, renderReport, type MetricsSnapshot } from '../../metrics';
import type { Store } from '../../store';

/**
 * What the demo prints of its figures: the statuses read back from HubSpot with their deals, the accounts, and
 * the funnel report from a metrics snapshot. Shared by `uld demo` and the test that pins the demo's report for
 * a seed (test/cli/demo-report.test.ts).
 */

export interface Qualified {
  statuses: Map<string, LeadStatus>;
  /** Contacts with at least one associated deal, per status. */
  withDeal: Map<LeadStatus, number>;
  calls: number;
}

/** Reads uld_status back from HubSpot, as a rep or a report sees it, with each contact's deals (through the gateway's limiter). */
export async function readFunnel(gateway: CrmGateway): Promise<Qualified> {
  const statuses = new Map<string, LeadStatus>();
  const withDeal = new Map<LeadStatus, number>();
  const before = Object.values(gateway.calls()).reduce((a, b) => a + b, 0);
  let after: string | undefined;
  do {
    const page = await gateway.page('contacts', ['uld_status'], after);
    for (const c of page.records) {
      const status = (c.properties.uld_status ?? null) as LeadStatus | null;
      if (status !== null) statuses.set(c.id, status);
    }
    after = page.after;
  } while (after);
  const deals = await gateway.associations('contacts', 'deals', [...statuses.keys()]);
  for (const [id, status] of statuses) if ((deals.get(id)?.length ?? 0) > 0) withDeal.set(status, (withDeal.get(status) ?? 0) + 1);
  return { statuses, withDeal, calls: Object.values(gateway.calls()).reduce((a, b) => a + b, 0) - before };
}

export function funnelLines(q: Qualified): string[] {
  const counts = new Map<LeadStatus, number>();
  for (const s of q.statuses.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
  const lines = [`  ${'status'.padEnd(22)}${'contacts'.padStart(9)}${'with a deal'.padStart(13)}${'conversion'.padStart(12)}`];
  for (const s of [...STATUSES].reverse()) {
    const n = counts.get(s) ?? 0;
    const d = q.withDeal.get(s) ?? 0;
    lines.push(`  ${s.padEnd(22)}${String(n).padStart(9)}${String(d).padStart(13)}${(n === 0 ? '-' : `${((100 * d) / n).toFixed(1)}%`).padStart(12)}`);
  }
  lines.push(`  ${q.statuses.size} contacts qualified (read back with ${q.calls} API calls)`);
  return lines;
}

/** The accounts as HubSpot now shows them (uld_account_status on every company), from the worker's account mirror. */
export async function accountLines(store: Store): Promise<string[]> {
  const accounts = (await store.listAccounts()).filter((a) => !a.deleted);
  const by = new Map<string, number>();
  for (const a of accounts) by.set(a.status, (by.get(a.status) ?? 0) + 1);
  const covered = accounts.filter((a) => a.rolesCovered.includes('DECISION_MAKER') && a.rolesCovered.includes('CHAMPION')).length;
  return [
    `\nAccounts (uld_account_status on every company, judged with its buying group): ${ACCOUNT_STATUSES.map((s) => `${by.get(s) ?? 0} ${s}`).join(', ')}`,
    `  ${covered} of ${accounts.length} have a decision maker and a champion among their contacts (hs_buying_role)`,
  ];
}

/**
 * The funnel report as `uld report --by source` prints it, with the header the dashboard opens on (the last 90
 * days beside the 90 before), and with accounts the account funnel as `uld report --by account` prints it.
 */
export async function reportText(store: Store, def: CompiledDefinition, figures: string, now: number): Promise<string> {
  const snapshot = JSON.parse(figures) as MetricsSnapshot;
  const choice = choosePeriod(undefined, undefined, now);
  const header = choice.ok ? headerFigures({ ...(await store.listMirror()), now }, choice.period) : undefined;
  let text = '\nThe funnel report (as `uld report --by source` prints it; `--by cohort` and `--by status` too), from the metrics job:\n';
  text += renderReport(snapshot, { format: 'table', by: 'source', ...(header ? { header } : {}) });
  if (def.accounts) {
    text += '\nThe account funnel (as `uld report --by account` prints it): each company once, however many of its contacts qualify:\n';
    text += renderReport(snapshot, { format: 'table', by: 'account' });
  }
  return text;
}

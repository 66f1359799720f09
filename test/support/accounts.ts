import { evaluateAccount, type CompiledDefinition } from '../../src/definition';
import type { AccountStatus } from '../../src/definition/account-types';
import type { Portal } from '../../src/sandbox';
import type { Store } from '../../src/store';
import type { MirrorAccount } from '../../src/sync/mirror';

/**
 * Issue 15 has the worker evaluate each company's account and write it to the account mirror; until it does,
 * a test of what reads the account mirror (the account funnel) writes the rows the worker is to write, with
 * this helper: every company of the sandbox portal evaluated by the definition's `accounts` section
 * (`evaluateAccount`, the worker's function) over the mirror's contacts whose primary company it is, as of
 * `now`, each stage first reached at `now`.
 *
 * It writes nothing when the account mirror already holds rows: once the worker evaluates accounts, the test
 * reads the worker's rows (and its own assertions on them, such as each account's status, check the worker).
 * Returns who wrote the rows, so a test can say so.
 */
export async function writeAccountsUntilTheWorkerDoes(store: Store, portal: Portal, definition: CompiledDefinition, now: number): Promise<'worker' | 'test'> {
  if ((await store.listAccounts()).length > 0) return 'worker';
  const { contacts } = await store.listMirror({ decisions: false });
  const rows: MirrorAccount[] = [];
  for (const id of portal.ids('companies')) {
    const company = portal.get('companies', id)!;
    const people = contacts
      .filter((c) => !c.deleted && c.companyId === id)
      .map((c) => {
        const properties = portal.get('contacts', c.id)?.properties ?? {};
        return { id: c.id, label: properties.email ?? c.id, facts: properties, decision: { fitScore: c.fitScore, engagementScore: c.engagementScore, totalScore: c.totalScore } };
      });
    const d = evaluateAccount(definition, company.properties, people, now);
    const reached = (...statuses: AccountStatus[]) => (statuses.includes(d.status) ? now : null);
    rows.push({
      id,
      createdAt: Date.parse(company.properties.createdate!),
      status: d.status,
      score: d.score,
      fitScore: d.fitScore,
      engagementScore: d.engagementScore,
      coverageScore: d.coverageScore,
      engagedContacts: d.engagedContacts,
      rolesCovered: d.rolesCovered,
      definitionVersion: d.definitionVersion,
      targetAt: reached('target', 'engaged', 'qualified'),
      engagedAt: reached('engaged', 'qualified'),
      qualifiedAt: reached('qualified'),
      evaluatedAt: now,
      deleted: false,
    });
  }
  await store.upsertAccounts(rows);
  return 'test';
}

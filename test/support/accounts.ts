import { evaluateAccount, type CompiledDefinition } from '../../src/definition';
import type { AccountStatus } from '../../src/definition/account-types';
import type { Portal } from '../../src/sandbox';
import type { Store } from '../../src/store';
import type { MirrorAccount } from '../../src/store/mirror-types';

/**
 * The account mirror as the worker would write it under another definition than the one its world runs (a
 * page test that needs accounts in a world whose definition has none): every company of the sandbox portal
 * evaluated by the definition's `accounts` section (`evaluateAccount`, the worker's function) over the
 * mirror's contacts whose primary company it is, as of `now`, each stage first reached at `now`.
 */
export async function writeAccountRows(store: Store, portal: Portal, definition: CompiledDefinition, now: number): Promise<void> {
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
}

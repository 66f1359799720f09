import type { CompiledDefinition } from '../definition';
import { evaluateAccount } from '../definition/account-evaluate';
import { ACCOUNT_REFS, type AccountContact, type AccountStatus } from '../definition/account-types';
import type { CrmRecord } from '../hubspot/types';
import type { WorkMark } from '../store/types';
import { accountWriteback, ACCOUNT_SYNC_INPUTS } from './account-writeback';
import { readTime } from '../hubspot/records';
import type { AccountContactFacts, MirrorAccount, MirrorContact, SyncStore } from '../store/mirror-types';
import type { RecordCache } from './record-cache';
import { unique } from './plan';

/**
 * Accounts (the definition's `accounts` section) in the worker: each company of a block judged with the
 * contacts whose primary company it is, read from the mirror (each contact's scores and the facts the
 * account rules read, kept when it was evaluated), so an account costs no HubSpot read beyond its company.
 *
 * Pass-down: when the status or score contacts read (`account.status`, `account.score`) changes, every
 * contact of the account is queued once (`account_changed`) and re-qualified in the next round, in batch
 * updates of 100. The definition check rejects a cycle (an account rule reading a contact score that reads
 * the account), so the contacts' re-qualification does not move the account again: nothing flaps.
 */

/** The company properties the worker reads for accounts: the account rules' inputs and what it compares. */
export function accountCompanyProperties(def: CompiledDefinition): string[] {
  return def.accounts ? unique([...def.accounts.companyProperties, ...ACCOUNT_SYNC_INPUTS]) : [];
}

/** What the account rules read of a contact, as the mirror keeps it (null without accounts). */
export function accountFactsOf(def: CompiledDefinition, properties: Readonly<Record<string, string | null | undefined>>, label: string | undefined): AccountContactFacts | null {
  if (!def.accounts) return null;
  const facts: Record<string, string | null> = {};
  for (const name of def.accounts.contactProperties) facts[name] = properties[name] ?? null;
  return { label: label ?? null, facts };
}

/**
 * Whether a contact's re-evaluation changed anything its account reads: the facts the account rules read,
 * its name (in the account's reasons), or a score a group rule reads. Only then is the account judged again.
 */
export function accountInputsChanged(def: CompiledDefinition, before: MirrorContact | undefined, after: MirrorContact): boolean {
  if (!def.accounts) return false;
  if (!before) return true;
  // The facts, and the name: the account's reasons name the contacts they count.
  if (JSON.stringify(before.accountFacts ?? null) !== JSON.stringify(after.accountFacts ?? null)) return true;
  const read = new Set(def.accounts.engagement.map((r) => r.score));
  return (read.has('fit') && before.fitScore !== after.fitScore) || (read.has('engagement') && before.engagementScore !== after.engagementScore) || (read.has('total') && before.totalScore !== after.totalScore);
}

export interface AccountPlan {
  /** Changes per company id, to merge with the company's other write-back. */
  changes: Map<string, Record<string, string>>;
  rows: MirrorAccount[];
  followUp: WorkMark[];
}

const RANK: Record<AccountStatus, number> = { disqualified: 0, needs_data: 0, target: 1, engaged: 2, qualified: 3 };

function accountContact(c: MirrorContact): AccountContact {
  return {
    id: c.id,
    ...(c.accountFacts?.label ? { label: c.accountFacts.label } : {}),
    facts: c.accountFacts?.facts ?? {},
    decision: { fitScore: c.fitScore, engagementScore: c.engagementScore, totalScore: c.totalScore },
  };
}

/** Whether a change of the account is one its contacts' rules read: only `account.status`, only `account.score`, or both. */
function passedDown(def: CompiledDefinition, changes: Readonly<Record<string, string>>): boolean {
  if (!def.readsAccount) return false;
  return Object.values(ACCOUNT_REFS).some((property) => property in changes && def.companyProperties.includes(property));
}

/**
 * `changedAt`: each company unit's last change; the pass-down is dated by it, not now, since the contacts
 * themselves did not change (their records, just read, serve again: see RecordCache.recent).
 */
export function planAccounts(def: CompiledDefinition, companies: readonly CrmRecord[], contactsByCompany: ReadonlyMap<string, readonly MirrorContact[]>, changedAt: ReadonlyMap<string, number>, now: number): AccountPlan {
  const plan: AccountPlan = { changes: new Map(), rows: [], followUp: [] };
  if (!def.accounts) return plan;
  for (const co of companies) {
    const contacts = contactsByCompany.get(co.id) ?? [];
    const decision = evaluateAccount(def, co.properties, contacts.map(accountContact), now);
    const wb = accountWriteback(decision, co.properties, now);
    if (Object.keys(wb.changes).length > 0) plan.changes.set(co.id, wb.changes);
    const rank = RANK[decision.status];
    plan.rows.push({
      id: co.id,
      createdAt: readTime(co.properties.createdate),
      status: decision.status,
      score: decision.score,
      fitScore: decision.fitScore,
      engagementScore: decision.engagementScore,
      coverageScore: decision.coverageScore,
      engagedContacts: decision.engagedContacts,
      rolesCovered: decision.rolesCovered,
      definitionVersion: decision.definitionVersion,
      targetAt: rank >= 1 ? now : null,
      engagedAt: rank >= 2 ? now : null,
      qualifiedAt: wb.qualifiedAt,
      evaluatedAt: now,
      deleted: false,
    });
    if (passedDown(def, wb.changes)) {
      for (const c of contacts) plan.followUp.push({ objectType: 'contact', objectId: c.id, change: 'account_changed', occurredAt: changedAt.get(co.id) ?? now });
    }
  }
  return plan;
}

/**
 * The primary companies' facts the contacts' rules read: `company.*` from HubSpot (preloaded or one batch
 * read), and `account.status`/`account.score` from the account mirror, which the company planner updates
 * before it queues the pass-down: fresher than a read racing our own write, and no call when the rules
 * read nothing else of the company.
 */
export async function linkedCompanies(def: CompiledDefinition, cache: RecordCache, store: SyncStore, companyIds: string[]): Promise<Map<string, Record<string, string | null>>> {
  const passedDown = new Set<string>(Object.values(ACCOUNT_REFS));
  const read = def.companyProperties.filter((p) => !passedDown.has(p));
  const byId = read.length > 0 ? await cache.readLinked('companies', companyIds, read) : new Map<string, Record<string, string | null>>();
  if (!def.readsAccount || companyIds.length === 0) return byId;
  const accounts = await store.getAccounts(companyIds);
  for (const id of companyIds) {
    const base = byId.get(id);
    // A company HubSpot no longer has stays absent; without other reads, every linked company is an account.
    if (read.length > 0 && base === undefined) continue;
    const a = accounts.get(id);
    const known = a !== undefined && !a.deleted;
    byId.set(id, { ...base, [ACCOUNT_REFS['account.status']]: known ? a.status : null, [ACCOUNT_REFS['account.score']]: known ? String(a.score) : null });
  }
  return byId;
}

import type { AccountDecision } from '../definition/account-types';
import { reasonsText, sameValue } from './contact-writeback';
import { readTime } from '../hubspot/records';

/**
 * What to write on a company from its account decision and what the record holds now. Pure, like
 * contactWriteback: only values that differ from the record are returned, so an unchanged account costs
 * no write and causes no echo. `uld_account_qualified_at` is set the first time the account is qualified
 * and never cleared: a fact about the past.
 */

/** The company properties the worker reads to compare an account decision with the record. */
export const ACCOUNT_SYNC_INPUTS = ['createdate', 'uld_account_status', 'uld_account_score', 'uld_account_reasons', 'uld_engaged_contacts', 'uld_roles_covered', 'uld_account_qualified_at'] as const;

export interface AccountWriteback {
  /** Properties whose value changes, as HubSpot strings. */
  changes: Record<string, string>;
  /** When the account was first qualified (the record's date, or now when it is qualified for the first time). */
  qualifiedAt: number | null;
}

const numberText = (n: number) => String(Math.round(n * 100) / 100);

/** HubSpot returns a multiple checkbox's values `;`-separated, in its own order: compare them as sets. */
function sameRoles(current: string | null | undefined, next: string): boolean {
  const set = (v: string) => [...new Set(v.split(';').filter((x) => x !== ''))].sort().join(';');
  return set(current ?? '') === set(next);
}

export function accountWriteback(decision: AccountDecision, current: Readonly<Record<string, string | null | undefined>>, now: number): AccountWriteback {
  const recorded = readTime(current.uld_account_qualified_at);
  const qualifiedAt = recorded ?? (decision.status === 'qualified' ? now : null);
  const next: Record<string, string> = {
    uld_account_status: decision.status,
    uld_account_score: numberText(decision.score),
    uld_account_reasons: reasonsText(decision),
    uld_engaged_contacts: String(decision.engagedContacts),
    uld_roles_covered: decision.rolesCovered.join(';'),
  };
  if (qualifiedAt !== null) next.uld_account_qualified_at = new Date(qualifiedAt).toISOString();
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(next)) {
    const same =
      name === 'uld_roles_covered'
        ? sameRoles(current[name], value)
        : name === 'uld_engaged_contacts'
          ? current[name] !== null && current[name] !== undefined && current[name] !== '' && Number(current[name]) === Number(value)
          : sameValue(name, current[name], value);
    if (!same) changes[name] = value;
  }
  return { changes, qualifiedAt };
}

import { sql, type Kysely } from 'kysely';
import type { AccountStatus } from '../definition/account-types';
import type { MirrorAccount } from './mirror-types';
import { chunks, num } from './rows';
import type { Database, MirrorAccountsTable } from './schema';

/** The account mirror (migration 0010) in SQL: each company's latest account decision and funnel dates. */

function accountFromRow(r: MirrorAccountsTable): MirrorAccount {
  return {
    id: r.id,
    createdAt: num(r.created_at),
    status: r.status as AccountStatus,
    score: Number(r.score),
    fitScore: Number(r.fit_score),
    engagementScore: Number(r.engagement_score),
    coverageScore: Number(r.coverage_score),
    engagedContacts: Number(r.engaged_contacts),
    rolesCovered: JSON.parse(r.roles_covered) as string[],
    definitionVersion: r.definition_version,
    targetAt: num(r.target_at),
    engagedAt: num(r.engaged_at),
    qualifiedAt: num(r.qualified_at),
    evaluatedAt: Number(r.evaluated_at),
    deleted: Number(r.deleted) === 1,
  };
}

export async function getAccounts(db: Kysely<Database>, ids: string[]): Promise<Map<string, MirrorAccount>> {
  const out = new Map<string, MirrorAccount>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('mirror_accounts').selectAll().where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, accountFromRow(r));
  }
  return out;
}

export async function upsertAccounts(db: Kysely<Database>, rows: MirrorAccount[]): Promise<void> {
  for (const part of chunks(rows, 200)) {
    await db
      .insertInto('mirror_accounts')
      .values(
        part.map((a) => ({
          id: a.id,
          created_at: a.createdAt,
          status: a.status,
          score: a.score,
          fit_score: a.fitScore,
          engagement_score: a.engagementScore,
          coverage_score: a.coverageScore,
          engaged_contacts: a.engagedContacts,
          roles_covered: JSON.stringify(a.rolesCovered),
          definition_version: a.definitionVersion,
          target_at: a.targetAt,
          engaged_at: a.engagedAt,
          qualified_at: a.qualifiedAt,
          evaluated_at: a.evaluatedAt,
          deleted: a.deleted ? 1 : 0,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          created_at: eb.ref('excluded.created_at'),
          status: eb.ref('excluded.status'),
          score: eb.ref('excluded.score'),
          fit_score: eb.ref('excluded.fit_score'),
          engagement_score: eb.ref('excluded.engagement_score'),
          coverage_score: eb.ref('excluded.coverage_score'),
          engaged_contacts: eb.ref('excluded.engaged_contacts'),
          roles_covered: eb.ref('excluded.roles_covered'),
          definition_version: eb.ref('excluded.definition_version'),
          // A stage once reached stays reached, at the first time it was.
          target_at: sql`coalesce(mirror_accounts.target_at, excluded.target_at)`,
          engaged_at: sql`coalesce(mirror_accounts.engaged_at, excluded.engaged_at)`,
          qualified_at: sql`coalesce(mirror_accounts.qualified_at, excluded.qualified_at)`,
          evaluated_at: eb.ref('excluded.evaluated_at'),
          deleted: eb.ref('excluded.deleted'),
        })),
      )
      .execute();
  }
}

export async function listAccounts(db: Kysely<Database>): Promise<MirrorAccount[]> {
  const rows = await db.selectFrom('mirror_accounts').selectAll().orderBy('id').execute();
  return rows.map(accountFromRow);
}

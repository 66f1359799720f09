import { accountOutcomes, contactLabel, judgeAccount, portalAccounts, type PortalAccount } from '../../src/admin/accounts';
import { calibrateAccounts } from '../../src/admin/calibrate-accounts';
import type { LeadOutcome } from '../../src/admin/outcomes';
import type { LeadFacts } from '../../src/admin/lead-facts';
import { whatIfAccounts } from '../../src/admin/what-if-accounts';
import type { MirrorContact, MirrorDeal } from '../../src/store/mirror-types';
import { DAY, definition, NOW } from '../support/definitions';

/** The account parts of what-if and calibrate on hand-made portals: every count is chosen, nothing random. */
const OLD = NOW - 90 * DAY;

const contactPart = {
  fit: [{ id: 'senior', label: 'Senior', when: { property: 'jobtitle', operator: 'contains', value: 'vp', caseInsensitive: true }, points: 20 }],
  engagement: [{ id: 'visits', label: 'Visits', when: { property: 'visits', operator: 'gte', value: 5 }, points: 10 }],
};
const accountsPart = {
  disqualifiers: [{ id: 'competitor', reason: 'A competitor', when: { property: 'domain', operator: 'equals', value: 'rival.example' } }],
  fit: [
    { id: 'software', label: 'Software', when: { property: 'industry', operator: 'equals', value: 'COMPUTER_SOFTWARE' }, points: 20 },
    { id: 'coin', label: 'Coin', when: { property: 'coin', operator: 'equals', value: 'heads' }, points: 5 },
  ],
  engagement: [{ id: 'two-engaged', label: 'Two engaged', measure: 'count', score: 'engagement', min: 10, atLeast: 2, points: 20 }],
  coverage: [{ id: 'dm-champion', label: 'DM and champion', roles: ['DECISION_MAKER', 'CHAMPION'], points: 20 }],
  ladder: { qualified: { coverage: 20, total: 40 }, engaged: { engagement: 20 } },
};
const withAccounts = definition({ ...contactPart, accounts: accountsPart });
const without = definition(contactPart);

let nextId = 0;
function lead(companyId: string | null | undefined, contact: Record<string, string>, company: Record<string, string> | null = null): LeadFacts {
  nextId += 1;
  return { id: `c${String(nextId).padStart(4, '0')}`, email: contact.email ?? null, contact, company, ...(companyId !== undefined ? { companyId } : {}) };
}
function account(id: string, company: Record<string, string>, contacts: Array<Record<string, string>>): PortalAccount {
  return { id, company, contacts: contacts.map((c) => lead(id, c, company)) };
}

describe('portalAccounts: the leads grouped by primary company', () => {
  it.each([
    ['no company id asked for', [lead(undefined, {}), lead(undefined, {})], []],
    ['contacts without a company are no account', [lead(null, {}), lead('9', {}, { name: 'Nine' })], [['9', 1]]],
    ['several contacts of one company are one account, companies by id', [lead('20', {}, { name: 'B' }), lead('10', {}), lead('20', {}, { name: 'B' })], [['10', 1], ['20', 2]]],
  ] as const)('%s', (_, leads, expected) => {
    expect(portalAccounts(leads as readonly LeadFacts[]).map((a) => [a.id, a.contacts.length])).toEqual(expected);
  });

  it('carries the company facts, and none when none were read', () => {
    const [a, b] = portalAccounts([lead('1', {}, { name: 'One' }), lead('2', {}, null)]);
    expect(a!.company).toEqual({ name: 'One' });
    expect(b!.company).toEqual({});
  });
});

describe('contactLabel', () => {
  it.each([
    [{ firstname: 'Ann', lastname: 'Lee', email: 'ann@x.example' }, 'Ann Lee'],
    [{ firstname: 'Ann', lastname: ' ' }, 'Ann'],
    [{ email: 'bob@x.example' }, 'bob@x.example'],
    [{}, null],
  ])('%j -> %s', (facts, label) => expect(contactLabel(facts)).toBe(label));
});

describe('judgeAccount: each contact through evaluate(), then evaluateAccount', () => {
  it.each([
    ['DM and champion engaged: qualified', { industry: 'COMPUTER_SOFTWARE' }, [{ hs_buying_role: 'DECISION_MAKER', visits: '9' }, { hs_buying_role: 'CHAMPION;INFLUENCER', visits: '7', jobtitle: 'VP' }], 'qualified', 60],
    ['two engaged, no champion: engaged', {}, [{ hs_buying_role: 'DECISION_MAKER', visits: '9' }, { visits: '7' }], 'engaged', 20],
    ['one engaged contact: target', { coin: 'heads' }, [{ visits: '9' }, { visits: '1' }], 'target', 5],
    ['a competitor: disqualified, scores still computed', { domain: 'rival.example' }, [{ hs_buying_role: 'DECISION_MAKER;CHAMPION', visits: '9' }], 'disqualified', 20],
  ] as const)('%s', (_, company, contacts, status, score) => {
    const decision = judgeAccount(withAccounts, account('1', company, contacts as unknown as Array<Record<string, string>>), NOW);
    expect([decision.status, decision.score]).toEqual([status, score]);
  });
});

describe('accountOutcomes: a deal at the company or any of its contacts', () => {
  const a = account('1', {}, [{}, {}]);
  const [x, y] = a.contacts.map((c) => c.id) as [string, string];
  const contactRow = (id: string, convertedAt: number | null = null, deleted = false) => ({ id, convertedAt, deleted }) as MirrorContact;
  const deal = (companyId: string | null, contactIds: string[], won = false, deleted = false) => ({ companyId, contactIds, won, deleted }) as MirrorDeal;
  const outcome = (o: Partial<LeadOutcome>): LeadOutcome => ({ opportunity: false, won: false, createdAt: OLD, ...o });
  it.each([
    ['no contact in the mirror, no deal: unknown', new Map<string, LeadOutcome>(), [], [], undefined],
    ['a deal names the company although no contact is in the mirror', new Map<string, LeadOutcome>(), [], [deal('1', [], true)], { opportunity: true, won: true, createdAt: null }],
    ['a deleted deal counts no more', new Map([[x, outcome({})]]), [contactRow(x)], [deal('1', [], true, true)], { opportunity: false, won: false, createdAt: OLD }],
    ['a contact with a deal', new Map([[x, outcome({})], [y, outcome({ opportunity: true, createdAt: OLD + DAY })]]), [contactRow(x), contactRow(y)], [], { opportunity: true, won: false, createdAt: OLD }],
    ['a contact the worker marked converted', new Map([[x, outcome({})]]), [contactRow(x, OLD + DAY)], [], { opportunity: true, won: false, createdAt: OLD }],
    ['neither: known, not converted', new Map([[x, outcome({})], [y, outcome({})]]), [contactRow(x), contactRow(y)], [deal('2', [], true)], { opportunity: false, won: false, createdAt: OLD }],
  ] as const)('%s', (_, leads, contacts, deals, expected) => {
    expect(accountOutcomes([a], leads, { contacts: [...contacts], deals: [...deals] }).get('1')).toEqual(expected);
  });
});

describe('whatIfAccounts: the account status matrix', () => {
  const accounts = [
    account('1', { industry: 'COMPUTER_SOFTWARE', name: 'One' }, [{ hs_buying_role: 'DECISION_MAKER', visits: '9' }, { hs_buying_role: 'CHAMPION', visits: '7' }]),
    account('2', { name: 'Two' }, [{ visits: '9' }, { visits: '7' }]),
    account('3', { name: 'Three' }, [{ visits: '1' }]),
    account('4', { domain: 'rival.example' }, [{ visits: '9' }]),
  ];
  const outcomes = new Map<string, LeadOutcome>([
    ['1', { opportunity: true, won: false, createdAt: OLD }],
    ['2', { opportunity: false, won: false, createdAt: OLD }],
    ['3', { opportunity: true, won: false, createdAt: OLD }],
  ]);
  it.each([
    ['no accounts now, accounts in the candidate', without, withAccounts, { none: { disqualified: 1, needs_data: 0, target: 1, engaged: 1, qualified: 1 } }, 4],
    ['accounts now, none in the candidate', withAccounts, without, { disqualified: { none: 1 }, needs_data: { none: 0 }, target: { none: 1 }, engaged: { none: 1 }, qualified: { none: 1 } }, 4],
    ['the same definition: nothing moves', withAccounts, withAccounts, { disqualified: { disqualified: 1 }, target: { target: 1 }, engaged: { engaged: 1 }, qualified: { qualified: 1 } }, 0],
  ] as const)('%s', (_, current, candidate, cells, moved) => {
    const r = whatIfAccounts(current, candidate, accounts, outcomes, NOW, { examplesPerCell: 1 });
    expect(r.total).toBe(4);
    expect(r.moved).toBe(moved);
    for (const [from, row] of Object.entries(cells)) for (const [to, n] of Object.entries(row)) expect([from, to, r.matrix[from]![to]]).toEqual([from, to, n]);
    const sum = Object.values(r.matrix).reduce((s, row) => s + Object.values(row).reduce((a, b) => a + b, 0), 0);
    expect(sum).toBe(4);
  });

  it('names example accounts and counts conversion per status over the accounts with an outcome', () => {
    const r = whatIfAccounts(without, withAccounts, accounts, outcomes, NOW, { examplesPerCell: 1 });
    expect(r.examples['none->qualified']).toEqual([{ id: '1', name: 'One' }]);
    expect(r.examples['none->disqualified']).toEqual([{ id: '4', name: null }]);
    expect(r.conversion.current.none).toMatchObject({ accounts: 4, known: 3, opportunity: { k: 2, n: 3 } });
    expect(r.conversion.candidate.qualified).toMatchObject({ accounts: 1, known: 1, opportunity: { k: 1, n: 1 } });
    expect(r.conversion.candidate.disqualified).toMatchObject({ accounts: 1, known: 0, opportunity: { n: 0, rate: null } });
  });
});

describe('calibrateAccounts: each account rule against the account\'s conversion', () => {
  /** `n` accounts with these contacts and company, `converted` of them reached an opportunity. */
  function accountsOf(prefix: string, n: number, converted: number, company: Record<string, string>, contacts: Array<Record<string, string>>) {
    return Array.from({ length: n }, (_, i) => ({
      account: account(`${prefix}${i}`, { ...company, coin: i % 2 === 0 ? 'heads' : 'tails' }, contacts),
      outcome: { opportunity: i < converted, won: false, createdAt: OLD },
    }));
  }
  const rows = [
    ...accountsOf('covered', 100, 60, {}, [{ hs_buying_role: 'DECISION_MAKER' }, { hs_buying_role: 'CHAMPION' }]),
    ...accountsOf('plain', 300, 60, {}, [{ hs_buying_role: 'END_USER' }]),
    ...accountsOf('soft', 100, 20, { industry: 'COMPUTER_SOFTWARE' }, [{}]),
    ...accountsOf('rival', 10, 0, { domain: 'rival.example' }, [{}]),
    ...accountsOf('new', 20, 0, {}, [{}]).map((r) => ({ ...r, outcome: { ...r.outcome, createdAt: NOW - DAY } })),
  ];
  const accounts = [...rows.map((r) => r.account), account('unknown', {}, [{}])];
  const result = calibrateAccounts(withAccounts, accounts, new Map(rows.map((r) => [r.account.id, r.outcome])), NOW);
  const by = new Map(result.rules.map((r) => [r.id, r]));

  it('counts the judged accounts and leaves out the too young and the unknown', () => {
    expect([result.accounts, result.tooYoung, result.unknown, result.baseline.n, result.baseline.k]).toEqual([531, 20, 1, 510, 140]);
  });

  it.each([
    // 60 of 100 covered accounts converted, 80 of the 410 others.
    ['dm-champion', 'coverage', 100, 60, 'predicts'],
    // Half of every group is heads: 70 of 255 against 70 of 255.
    ['coin', 'fit', 255, 70, 'no evidence'],
    // 20 of 100 software accounts, against 120 of 410.
    ['software', 'fit', 100, 20, 'no evidence'],
    ['two-engaged', 'engagement', 0, 0, 'too few'],
    ['competitor', 'disqualifier', 10, 0, 'too few'],
  ] as const)('%s (%s): %d matching, %d converted: %s', (id, kind, n, k, verdict) => {
    const rule = by.get(id)!;
    expect([rule.kind, rule.matched.n, rule.matched.k, rule.verdict]).toEqual([kind, n, k, verdict]);
    expect(rule.matched.n + rule.unmatched.n).toBe(510);
  });

  it('gives the predictive rule a lift above 1 with its lower bound, and ranks it first; too few last', () => {
    const dm = by.get('dm-champion')!;
    expect(dm.lift.lift).toBeCloseTo(0.6 / (80 / 410), 6);
    expect(dm.lift.low!).toBeGreaterThan(1);
    expect(result.rules[0]!.id).toBe('dm-champion');
    expect(result.rules.slice(-2).map((r) => r.verdict)).toEqual(['too few', 'too few']);
  });

  it('has no account rules for a definition without accounts', () => {
    expect(calibrateAccounts(without, accounts, new Map(), NOW).rules).toEqual([]);
  });
});

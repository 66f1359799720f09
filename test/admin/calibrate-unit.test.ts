import { calibrate } from '../../src/admin/calibrate';
import type { LeadOutcome } from '../../src/admin/outcomes';
import type { LeadFacts } from '../../src/admin/lead-facts';
import { compileDefinition, parseDefinitionText } from '../../src/definition';

/** calibrate's verdicts on a hand-made history, nothing random: every count is chosen. */
const NOW = Date.parse('2026-11-01T00:00:00Z');
const OLD = NOW - 90 * 86_400_000;

const def = compileDefinition(
  parseDefinitionText(
    `version: t
name: calibrate unit
fit:
  - { id: senior, label: Senior, when: { property: jobtitle, operator: contains, value: vp, caseInsensitive: true }, points: 20 }
  - { id: student-penalty, label: Student, when: { property: jobtitle, operator: contains, value: student, caseInsensitive: true }, points: -20 }
  - { id: coin, label: Coin, when: { property: coin, operator: equals, value: heads }, points: 10 }
disqualifiers:
  - { id: gmail, reason: Free mail, when: { property: email, operator: contains, value: gmail } }
ladder:
  sales_ready: { total: 20 }
  marketing_qualified: { total: 10 }
`,
    'unit.yaml',
  ),
);

/** `n` leads with these facts, `converted` of them with a deal. */
function group(prefix: string, n: number, converted: number, facts: Record<string, string>): Array<[LeadFacts, LeadOutcome]> {
  return Array.from({ length: n }, (_, i) => [
    { id: `${prefix}${i}`, email: null, contact: { ...facts, coin: i % 2 === 0 ? 'heads' : 'tails' }, company: null },
    { opportunity: i < converted, won: false, createdAt: OLD },
  ]);
}

const rows = [
  ...group('vp', 200, 60, { jobtitle: 'VP Sales', email: 'a@acme.example' }),
  ...group('student', 200, 2, { jobtitle: 'Student', email: 'b@uni.example' }),
  ...group('other', 400, 40, { jobtitle: 'Engineer', email: 'c@acme.example' }),
  ...group('gmail', 100, 1, { jobtitle: 'Engineer', email: 'd@gmail.com' }),
  // Too young to have converted: left out of every rate.
  ...group('new', 50, 0, { jobtitle: 'VP Sales', email: 'e@acme.example' }).map(([l, o]) => [l, { ...o, createdAt: NOW - 86_400_000 }] as [LeadFacts, LeadOutcome]),
];
const result = calibrate(
  def,
  rows.map(([l]) => l),
  new Map(rows.map(([l, o]) => [l.id, o])),
  NOW,
);
const by = new Map(result.criteria.map((c) => [c.id, c]));

it('leaves out leads too young to have converted and counts the rest', () => {
  expect(result.tooYoung).toBe(50);
  expect(result.baseline.n).toBe(900);
  expect(result.baseline.k).toBe(103);
});

it('a rule with positive points whose leads convert more predicts; its counts are the hand-made ones', () => {
  const senior = by.get('senior')!;
  expect(senior.verdict).toBe('predicts');
  expect([senior.matched.n, senior.matched.k, senior.unmatched.n, senior.unmatched.k]).toEqual([200, 60, 700, 43]);
  expect(senior.lift.lift).toBeCloseTo(0.3 / (43 / 700), 10);
});

it('a penalty (negative points) whose leads convert less predicts too, and is not suggested for removal', () => {
  const penalty = by.get('student-penalty')!;
  expect(penalty.verdict).toBe('predicts');
  // The only penalty keeps the penalties' total: nothing to change.
  expect(penalty.suggestion).toBeNull();
  const order = result.criteria.map((c) => c.id);
  expect(order.indexOf('student-penalty')).toBeLessThan(order.indexOf('coin'));
});

it('a coin flip has no evidence and is suggested 0 points; a disqualifier whose leads convert less predicts', () => {
  expect(by.get('coin')!.verdict).toBe('no evidence');
  expect(by.get('coin')!.suggestion).toBe('10 -> 0 points');
  expect(by.get('gmail')!.verdict).toBe('predicts');
});

it('ranks by the lower bound of the lift: the strong rule first, the coin after it', () => {
  const order = result.criteria.map((c) => c.id);
  expect(order.indexOf('senior')).toBeLessThan(order.indexOf('coin'));
});

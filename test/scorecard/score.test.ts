// The scoring model: unit tests and properties (fast-check): monotone, independent
// of input order, damped, and explained to the point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type CheckResult,
  type Scorecard,
  type ScoredFinding,
  type ScoredRuleMeta,
  DIMENSIONS,
  DIMENSION_WEIGHTS,
  ScorecardSchema,
  computeScorecard,
  dampedPoints,
  gradeFor,
  ruleCap,
} from '../../server/src/engine/scorecard/index';
import type { Dimension, Severity } from '../../server/src/engine/types';

const RULES: ScoredRuleMeta[] = [
  { id: 'sql-injection', dimension: 'security', title: 'SQL injection' },
  { id: 'hardcoded-secret', dimension: 'security', title: 'Hardcoded secret' },
  { id: 'unbounded-query', dimension: 'data' },
  { id: 'missing-timeout', dimension: 'reliability' },
  { id: 'console-logging', dimension: 'observability' },
  { id: 'invalid-suppression', dimension: 'delivery' },
  { id: 'pii-in-logs', dimension: 'compliance' },
  { id: 'llm-in-loop', dimension: 'cost' },
];

const severity = fc.constantFrom<Severity>('error', 'warning', 'info');
const findingArb: fc.Arbitrary<ScoredFinding> = fc.record({
  ruleId: fc.constantFrom(...RULES.map((rule) => rule.id), 'not-a-rule'),
  severity,
  path: fc.constantFrom('a.ts', 'b.ts', 'src/c.ts'),
  message: fc.constantFrom('m1', 'm2'),
  range: fc.record({ start: fc.record({ line: fc.nat(40), character: fc.nat(3) }) }),
});
const checkArb: fc.Arbitrary<CheckResult> = fc.record({
  id: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10'),
  dimension: fc.constantFrom(...DIMENSIONS),
  title: fc.constant('a check'),
  weight: fc.integer({ min: 0, max: 40 }),
  status: fc.constantFrom<CheckResult['status']>('pass', 'fail', 'not-applicable', 'unknown'),
  summary: fc.constant('summary'),
  evidence: fc.constant([]),
  remedy: fc.constant('remedy'),
});
const inputArb = fc.record({
  findings: fc.array(findingArb, { maxLength: 60 }),
  checks: fc.uniqueArray(checkArb, { selector: (check) => check.id, maxLength: 10 }),
});

const score = (findings: readonly ScoredFinding[], checks: readonly CheckResult[]): Scorecard => computeScorecard({ findings, checks, ruleMeta: RULES });

function assertNotLower(after: Scorecard, before: Scorecard, what: string): void {
  assert.ok(after.score >= before.score, `${what}: overall ${before.score} → ${after.score}`);
  for (const dimension of before.dimensions) {
    const next = after.dimensions.find((entry) => entry.dimension === dimension.dimension);
    assert.ok(next && next.score >= dimension.score, `${what}: ${dimension.dimension} ${dimension.score} → ${next?.score}`);
  }
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

test('property: removing any finding never lowers any dimension or the overall', () => {
  fc.assert(
    fc.property(inputArb, fc.nat(), ({ findings, checks }, pick) => {
      fc.pre(findings.length > 0);
      const index = pick % findings.length;
      assertNotLower(score(findings.filter((_, i) => i !== index), checks), score(findings, checks), `without finding ${index}`);
    }),
    { numRuns: 400 },
  );
});

test('property: turning any failed check into pass (or unknown) never lowers any dimension or the overall', () => {
  fc.assert(
    fc.property(inputArb, fc.nat(), fc.constantFrom<CheckResult['status']>('pass', 'unknown'), ({ findings, checks }, pick, to) => {
      const failed = checks.map((check, i) => ({ check, i })).filter(({ check }) => check.status === 'fail');
      fc.pre(failed.length > 0);
      const index = failed[pick % failed.length]?.i ?? 0;
      const fixed = checks.map((check, i) => (i === index ? { ...check, status: to } : check));
      assertNotLower(score(findings, fixed), score(findings, checks), `check ${checks[index]?.id} → ${to}`);
    }),
    { numRuns: 400 },
  );
});

test('property: the scorecard does not depend on the order of findings or checks', () => {
  fc.assert(
    fc.property(inputArb, fc.integer(), ({ findings, checks }, seed) => {
      assert.deepEqual(score(shuffle(findings, seed), shuffle(checks, seed ^ 0x5f3759df)), score(findings, checks));
    }),
    { numRuns: 300 },
  );
});

test('property: deductions add up to exactly 100 − score in every dimension, and each traces to a finding or a failed check', () => {
  fc.assert(
    fc.property(inputArb, ({ findings, checks }) => {
      const card = score(findings, checks);
      ScorecardSchema.parse(card);
      for (const dimension of card.dimensions) {
        const lost = card.deductions.filter((deduction) => deduction.dimension === dimension.dimension).reduce((sum, deduction) => sum + deduction.points, 0);
        assert.equal(lost, 100 - dimension.score, dimension.dimension);
      }
      for (const { source } of card.deductions) {
        if (source.kind === 'finding') assert.ok(findings.some((finding) => finding.ruleId === source.ruleId && finding.path === source.path && finding.range.start.line + 1 === source.line && finding.severity === source.severity));
        else assert.ok(checks.some((check) => check.id === source.checkId && check.status === 'fail'));
      }
      // The overall is the weighted mean of the applicable dimensions, rounded half up.
      const applicable = card.dimensions.filter((dimension) => dimension.applicable);
      const weight = applicable.reduce((sum, dimension) => sum + dimension.weight, 0);
      const mean = applicable.reduce((sum, dimension) => sum + dimension.weight * dimension.score, 0) / weight;
      assert.ok(Math.abs(card.score - mean) <= 0.5, `${card.score} vs ${mean}`);
      assert.equal(card.grade, gradeFor(card.score));
      assert.equal(card.unscoredFindings, findings.filter((finding) => finding.ruleId === 'not-a-rule').length);
    }),
    { numRuns: 400 },
  );
});

test('property: n findings of one rule cost no more than the cap, and more findings never cost less', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 400 }), severity, (n, level) => {
      const findings = Array.from({ length: n }, (_, i): ScoredFinding => ({ ruleId: 'console-logging', severity: level, path: `f${i % 7}.ts`, message: 'console', range: { start: { line: i, character: 0 } } }));
      const lost = (count: number): number => 100 - (score(findings.slice(0, count), []).dimensions.find((dimension) => dimension.dimension === 'observability')?.score ?? 0);
      assert.ok(lost(n) <= ruleCap(level), `${n} × ${level}: ${lost(n)} > cap ${ruleCap(level)}`);
      assert.ok(lost(n) < 2 * dampedPoints(level, 0));
      assert.ok(lost(n) >= lost(n - 1));
    }),
    { numRuns: 200 },
  );
});

test('300 console.log findings cost less than twice one', () => {
  const many = Array.from({ length: 300 }, (_, i): ScoredFinding => ({ ruleId: 'console-logging', severity: 'warning', path: 'a.ts', message: 'console', range: { start: { line: i, character: 0 } } }));
  const observability = (card: Scorecard): number => card.dimensions.find((dimension) => dimension.dimension === 'observability')?.score ?? -1;
  assert.equal(observability(score(many.slice(0, 1), [])), 92);
  assert.equal(observability(score(many, [])), 85);
  assert.equal(ruleCap('warning'), 15);
  assert.equal(ruleCap('error'), 31);
  assert.equal(ruleCap('info'), 3);
});

test('grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F', () => {
  assert.deepEqual([100, 90, 89, 80, 79, 70, 69, 60, 59, 0].map(gradeFor), ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
  assert.equal(Object.values(DIMENSION_WEIGHTS).reduce((sum, weight) => sum + weight, 0), 100);
});

const failed = (id: string, dimension: Dimension, weight: number): CheckResult => ({ id, dimension, title: id, weight, status: 'fail', summary: '', evidence: [{ path: 'package.json', detail: 'x' }], remedy: `fix ${id}` });
const na = (id: string, dimension: Dimension): CheckResult => ({ id, dimension, title: id, weight: 10, status: 'not-applicable', summary: '', evidence: [], remedy: '' });

test('a dimension whose checks are all not-applicable is left out of the overall', () => {
  const card = score([], [failed('a', 'security', 40), na('paid', 'cost')]);
  const cost = card.dimensions.find((dimension) => dimension.dimension === 'cost');
  assert.equal(cost?.applicable, false);
  // security 60 (weight 30), the other five at 100 (weight 65): (1800 + 6500) / 95 = 87.37 → 87
  assert.equal(card.score, 87);
  assert.equal(card.grade, 'B');
});

test('when costs exceed 100 the dimension is 0 and the deductions are scaled to add up to exactly 100', () => {
  const checks = [failed('a', 'data', 40), failed('b', 'data', 40), failed('c', 'data', 40)];
  const card = score([], checks);
  assert.equal(card.dimensions.find((dimension) => dimension.dimension === 'data')?.score, 0);
  assert.deepEqual(card.deductions.map((deduction) => deduction.points), [34, 33, 33]);
  assert.deepEqual(card.deductions.map((deduction) => (deduction.source.kind === 'check' ? deduction.source.checkId : '')), ['a', 'b', 'c']);
});

test('top risks group a rule\'s findings, rank by overall cost and point at every location', () => {
  const findings: ScoredFinding[] = [
    { ruleId: 'sql-injection', severity: 'error', path: 'b.ts', message: 'sqli', range: { start: { line: 4, character: 0 } } },
    { ruleId: 'sql-injection', severity: 'error', path: 'a.ts', message: 'sqli', range: { start: { line: 9, character: 0 } } },
    { ruleId: 'console-logging', severity: 'warning', path: 'a.ts', message: 'console', range: { start: { line: 1, character: 0 } } },
  ];
  const card = score(findings, [failed('ci-runs-tests', 'delivery', 15)]);
  assert.deepEqual(
    card.topRisks.map((risk) => [risk.kind, risk.id, risk.points, risk.count]),
    [
      ['rule', 'sql-injection', 24, 2],
      ['check', 'ci-runs-tests', 15, 1],
      ['rule', 'console-logging', 8, 1],
    ],
  );
  assert.deepEqual(card.topRisks[0]?.locations, [
    { path: 'a.ts', line: 10 },
    { path: 'b.ts', line: 5 },
  ]);
  assert.equal(card.topRisks[0]?.title, 'SQL injection');
  assert.equal(card.topRisks[1]?.remedy, 'fix ci-runs-tests');
  // sql-injection: 24 security points × 30 / 100 = 7.2 overall points.
  assert.equal(card.topRisks[0]?.overallPoints, 7.2);
  // The first finding in path order is the full-cost one.
  const first = card.deductions.find((deduction) => deduction.source.kind === 'finding' && deduction.source.ruleId === 'sql-injection' && deduction.source.occurrence === 1);
  assert.equal(first?.source.kind === 'finding' ? first.source.path : '', 'a.ts');
  assert.equal(first?.points, 16);
});

test('no findings and no checks: every dimension 100, grade A', () => {
  const card = score([], []);
  assert.equal(card.score, 100);
  assert.equal(card.grade, 'A');
  assert.deepEqual(card.deductions, []);
  assert.ok(card.dimensions.every((dimension) => dimension.applicable && dimension.score === 100));
});

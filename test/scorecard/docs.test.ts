// docs/scoring.md is compared against the model: the weight tables, the grade
// thresholds, the checks table and the worked example (recomputed from its own
// input block), so the documentation cannot drift from the code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ALL_CHECKS,
  type CheckResult,
  DIMENSIONS,
  DIMENSION_WEIGHTS,
  GRADE_THRESHOLDS,
  SEVERITY_POINTS,
  type ScoredFinding,
  computeScorecard,
  explainScorecard,
  ruleCap,
} from '../../server/src/engine/scorecard/index';
import type { Dimension, Severity } from '../../server/src/engine/types';

const DOC_PATH = join(__dirname, '..', '..', 'docs', 'scoring.md');
const doc = readFileSync(DOC_PATH, 'utf8');

function fencedAfter(marker: string): string {
  const start = doc.indexOf(marker);
  assert.ok(start >= 0, `docs/scoring.md lost its ${marker} marker`);
  const block = /```\w*\n([\s\S]*?)\n```/.exec(doc.slice(start));
  assert.ok(block?.[1] !== undefined, `no fenced block after ${marker}`);
  return block[1];
}

interface ExampleInput {
  ruleMeta: { id: string; dimension: Dimension }[];
  findings: { ruleId: string; severity: Severity; path: string; line: number }[];
  checks: { id: string; dimension: Dimension; weight: number; status: CheckResult['status'] }[];
}

function example() {
  const input = JSON.parse(fencedAfter('<!-- worked-example:input -->')) as ExampleInput;
  const findings: ScoredFinding[] = input.findings.map((finding) => ({ ruleId: finding.ruleId, severity: finding.severity, path: finding.path, message: finding.ruleId, range: { start: { line: finding.line - 1, character: 0 } } }));
  const checks: CheckResult[] = input.checks.map((check) => ({ ...check, title: check.id, summary: '', evidence: [], remedy: '' }));
  return { input, scorecard: computeScorecard({ findings, checks, ruleMeta: input.ruleMeta }) };
}

test('the worked example in docs/scoring.md is what the model computes', () => {
  const { scorecard } = example();
  assert.equal(fencedAfter('<!-- worked-example:output -->'), explainScorecard(scorecard), 'docs/scoring.md worked example is stale: paste the output of explainScorecard for its input');
  const risk = /is `([\w-]+)`: (\d+) \w+ points, (\d+) × (\d+) \/ (\d+) = ([\d.]+)\s+overall points/.exec(doc);
  assert.ok(risk, 'the top-risk sentence of the worked example');
  const top = scorecard.topRisks[0];
  assert.equal(top?.id, risk[1]);
  assert.equal(top?.points, Number(risk[2]));
  assert.equal(top?.overallPoints.toFixed(2), risk[6]);
});

test('the example checks use the real weights of the checks they name', () => {
  const { input } = example();
  for (const check of input.checks) {
    const real = ALL_CHECKS.find((candidate) => candidate.id === check.id);
    assert.ok(real, check.id);
    assert.equal(check.weight, real.weight, check.id);
    assert.equal(check.dimension, real.dimension, check.id);
  }
});

test('the weight, severity and grade tables match the model', () => {
  for (const dimension of DIMENSIONS) assert.match(doc, new RegExp(`^\\| ${dimension} \\| ${DIMENSION_WEIGHTS[dimension]} \\|$`, 'm'), dimension);
  for (const severity of ['error', 'warning', 'info'] as const) assert.match(doc, new RegExp(`^\\| ${severity} \\| ${SEVERITY_POINTS[severity]} \\| ${ruleCap(severity)} \\|$`, 'm'), severity);
  const grades = GRADE_THRESHOLDS.map((threshold) => `${threshold.grade} ≥ ${threshold.min}`).join(', ');
  assert.ok(doc.includes(`**Grade**: ${grades}, F below`), grades);
});

test('the checks table lists every check with its dimension, weight and title, and nothing else', () => {
  const rows = [...doc.matchAll(/^\| `([\w-]+)` \| (\w+) \| (\d+) \| (.+) \|$/gm)];
  assert.deepEqual(
    rows.map((row) => row.slice(1, 5).join(' | ')),
    ALL_CHECKS.map((check) => [check.id, check.dimension, String(check.weight), check.title].join(' | ')),
  );
});

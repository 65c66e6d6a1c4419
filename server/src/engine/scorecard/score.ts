// The score: findings and check results in, a scorecard out. Pure and integer
// arithmetic throughout, so it is deterministic and every point is accounted for.
//
//   rule cost    the k-th finding (k = 0, 1, …) of one rule at one severity costs
//                floor(SEVERITY_POINTS[severity] / 2^k): damped, and capped below
//                2 × the first finding's cost however often the rule fires
//   check cost   a failed check costs its weight; pass, unknown and
//                not-applicable cost nothing
//   dimension    100 − the sum of its costs; when the costs exceed 100 the score
//                is 0 and each cost is scaled down (largest remainder) so the
//                deductions still add up to exactly 100
//   overall      the weighted mean of the applicable dimensions, rounded half up
//   grade        A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, F below
//
// Monotone: removing a finding lowers (or keeps) its group's cost, and a check
// going from fail to pass removes its cost; neither changes which dimensions are
// applicable, so no dimension and not the overall can go down.
import type { Dimension, Finding, RuleMeta, Severity } from '../types';
import { SEVERITY_RANK } from '../types';
import { DIMENSIONS, DIMENSION_WEIGHTS, dampedPoints, gradeFor } from './model';
import { type CheckResult, type Deduction, type DeductionSource, type DimensionScore, type Risk, type Scorecard, SCORECARD_VERSION } from './schema';

/** The parts of a finding the score reads. */
export type ScoredFinding = Pick<Finding, 'ruleId' | 'severity' | 'path' | 'message'> & { range: { start: { line: number; character: number } } };

/** The parts of rule meta the score reads. */
export type ScoredRuleMeta = Pick<RuleMeta, 'id' | 'dimension'> & Partial<Pick<RuleMeta, 'title'>>;

export interface ScorecardInput {
  findings: readonly ScoredFinding[];
  checks: readonly CheckResult[];
  /** Maps each finding's rule to its dimension; findings of rules not listed are counted in `unscoredFindings`. */
  ruleMeta: readonly ScoredRuleMeta[];
}

/** Top risks kept in the scorecard. */
export const TOP_RISKS = 10;
/** Locations kept per risk. */
const MAX_LOCATIONS = 50;

interface Cost {
  dimension: Dimension;
  points: number;
  source: DeductionSource;
  /** Total order used for every tie-break: no input order leaks into the output. */
  key: string;
}

const pad = (value: number): string => String(value).padStart(10, '0');
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const round3 = (value: number): number => Math.round(value * 1000) / 1000;

function findingKey(finding: ScoredFinding): string {
  return [finding.path, pad(finding.range.start.line), pad(finding.range.start.character), finding.message].join('\u0000');
}

function checkKey(check: CheckResult): string {
  return [check.id, check.status, check.summary, JSON.stringify(check.evidence), String(check.weight), check.title, check.remedy].join('\u0000');
}

export function computeScorecard(input: ScorecardInput): Scorecard {
  const meta = new Map(input.ruleMeta.map((rule) => [rule.id, rule]));
  const costs: Cost[] = [];
  let unscoredFindings = 0;
  const findingCounts = new Map<Dimension, number>();

  // Findings: group by (rule, severity), sort canonically, damp by position.
  const groups = new Map<string, { dimension: Dimension; findings: ScoredFinding[] }>();
  for (const finding of input.findings) {
    const rule = meta.get(finding.ruleId);
    if (!rule) {
      unscoredFindings++;
      continue;
    }
    findingCounts.set(rule.dimension, (findingCounts.get(rule.dimension) ?? 0) + 1);
    const groupKey = `${finding.ruleId}\u0000${finding.severity}`;
    const group = groups.get(groupKey) ?? { dimension: rule.dimension, findings: [] };
    group.findings.push(finding);
    groups.set(groupKey, group);
  }
  for (const { dimension, findings } of groups.values()) {
    const sorted = findings.map((finding) => ({ finding, key: findingKey(finding) })).sort((a, b) => compareText(a.key, b.key));
    sorted.forEach(({ finding, key }, k) => {
      costs.push({
        dimension,
        points: dampedPoints(finding.severity, k),
        source: { kind: 'finding', ruleId: finding.ruleId, severity: finding.severity, path: finding.path, line: finding.range.start.line + 1, message: finding.message, occurrence: k + 1 },
        key: `f\u0000${finding.ruleId}\u0000${SEVERITY_RANK[finding.severity]}\u0000${pad(k)}\u0000${key}`,
      });
    });
  }

  // Checks: a failure costs its weight.
  const checks = [...input.checks].sort((a, b) => DIMENSIONS.indexOf(a.dimension) - DIMENSIONS.indexOf(b.dimension) || compareText(checkKey(a), checkKey(b)));
  for (const check of checks) {
    if (check.status === 'fail') costs.push({ dimension: check.dimension, points: check.weight, source: { kind: 'check', checkId: check.id, title: check.title }, key: `c\u0000${checkKey(check)}` });
  }

  // Dimensions: applicable unless every one of its checks is not-applicable.
  const applicable = new Map<Dimension, boolean>();
  for (const dimension of DIMENSIONS) {
    const own = checks.filter((check) => check.dimension === dimension);
    applicable.set(dimension, own.length === 0 || own.some((check) => check.status !== 'not-applicable'));
  }
  if (![...applicable.values()].some(Boolean)) for (const dimension of DIMENSIONS) applicable.set(dimension, true);

  const scaled = new Map<Dimension, Cost[]>();
  const scores = new Map<Dimension, number>();
  for (const dimension of DIMENSIONS) {
    const own = scaleToHundred(costs.filter((cost) => cost.dimension === dimension));
    scaled.set(dimension, own);
    scores.set(dimension, 100 - own.reduce((sum, cost) => sum + cost.points, 0));
  }

  const totalWeight = DIMENSIONS.reduce((sum, dimension) => sum + (applicable.get(dimension) ? DIMENSION_WEIGHTS[dimension] : 0), 0);
  const weightedSum = DIMENSIONS.reduce((sum, dimension) => sum + (applicable.get(dimension) ? DIMENSION_WEIGHTS[dimension] * (scores.get(dimension) ?? 100) : 0), 0);
  const score = totalWeight === 0 ? 100 : Math.floor((2 * weightedSum + totalWeight) / (2 * totalWeight));
  const overallShare = (dimension: Dimension, points: number): number => (applicable.get(dimension) && totalWeight > 0 ? round3((points * DIMENSION_WEIGHTS[dimension]) / totalWeight) : 0);

  const deductions: (Deduction & { key: string })[] = DIMENSIONS.flatMap((dimension) =>
    (scaled.get(dimension) ?? []).filter((cost) => cost.points > 0).map((cost) => ({ dimension, points: cost.points, overallPoints: overallShare(dimension, cost.points), source: cost.source, key: cost.key })),
  );
  deductions.sort((a, b) => b.overallPoints - a.overallPoints || b.points - a.points || DIMENSIONS.indexOf(a.dimension) - DIMENSIONS.indexOf(b.dimension) || compareText(a.key, b.key));

  const dimensions: DimensionScore[] = DIMENSIONS.map((dimension) => {
    const own = checks.filter((check) => check.dimension === dimension);
    const count = (status: CheckResult['status']): number => own.filter((check) => check.status === status).length;
    return {
      dimension,
      score: scores.get(dimension) ?? 100,
      weight: DIMENSION_WEIGHTS[dimension],
      applicable: applicable.get(dimension) ?? true,
      findings: findingCounts.get(dimension) ?? 0,
      checks: { pass: count('pass'), fail: count('fail'), unknown: count('unknown'), notApplicable: count('not-applicable') },
    };
  });

  return {
    version: SCORECARD_VERSION,
    score,
    grade: gradeFor(score),
    dimensions,
    deductions: deductions.map(({ key: _key, ...deduction }) => deduction),
    topRisks: topRisks(input, meta, scaled, checks, overallShare),
    checks,
    unscoredFindings,
  };
}

/** Scales costs that add up to more than 100 down to exactly 100 (largest remainder; ties by key). */
function scaleToHundred(costs: Cost[]): Cost[] {
  const total = costs.reduce((sum, cost) => sum + cost.points, 0);
  if (total <= 100) return costs;
  const shares = costs.map((cost) => ({ cost, base: Math.floor((cost.points * 100) / total), remainder: (cost.points * 100) % total }));
  let left = 100 - shares.reduce((sum, share) => sum + share.base, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || compareText(a.cost.key, b.cost.key));
  for (const share of byRemainder) {
    if (left === 0) break;
    share.base++;
    left--;
  }
  return shares.map((share) => ({ ...share.cost, points: share.base }));
}

function topRisks(
  input: ScorecardInput,
  meta: ReadonlyMap<string, ScoredRuleMeta>,
  scaled: ReadonlyMap<Dimension, Cost[]>,
  checks: readonly CheckResult[],
  overallShare: (dimension: Dimension, points: number) => number,
): Risk[] {
  const risks: (Risk & { key: string })[] = [];
  const ruleIds = [...new Set(input.findings.map((finding) => finding.ruleId))].filter((id) => meta.has(id)).sort(compareText);
  for (const ruleId of ruleIds) {
    const rule = meta.get(ruleId);
    if (!rule) continue;
    const findings = input.findings.filter((finding) => finding.ruleId === ruleId);
    const points = (scaled.get(rule.dimension) ?? []).reduce((sum, cost) => sum + (cost.source.kind === 'finding' && cost.source.ruleId === ruleId ? cost.points : 0), 0);
    if (points === 0) continue;
    const severity = findings.reduce<Severity>((worst, finding) => (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst] ? finding.severity : worst), 'info');
    const locations = [...new Map(findings.map((finding) => [`${finding.path}\u0000${pad(finding.range.start.line)}`, { path: finding.path, line: finding.range.start.line + 1 }])).entries()]
      .sort(([a], [b]) => compareText(a, b))
      .slice(0, MAX_LOCATIONS)
      .map(([, location]) => location);
    risks.push({ kind: 'rule', id: ruleId, title: rule.title ?? ruleId, dimension: rule.dimension, points, overallPoints: overallShare(rule.dimension, points), severity, count: findings.length, locations, key: `r\u0000${ruleId}` });
  }
  for (const dimension of scaled.keys()) {
    for (const cost of scaled.get(dimension) ?? []) {
      if (cost.source.kind !== 'check' || cost.points === 0) continue;
      const checkId = cost.source.checkId;
      const check = checks.find((candidate) => candidate.id === checkId && candidate.status === 'fail' && candidate.dimension === dimension);
      if (!check) continue;
      const locations = check.evidence.flatMap((evidence) => (evidence.path ? [{ path: evidence.path, line: evidence.line ?? 1 }] : [])).slice(0, MAX_LOCATIONS);
      risks.push({ kind: 'check', id: check.id, title: check.title, dimension, points: cost.points, overallPoints: overallShare(dimension, cost.points), count: 1, locations, remedy: check.remedy, key: cost.key });
    }
  }
  risks.sort((a, b) => b.overallPoints - a.overallPoints || b.points - a.points || compareText(a.key, b.key));
  return risks.slice(0, TOP_RISKS).map(({ key: _key, ...risk }) => risk);
}

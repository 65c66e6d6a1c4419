// The scoring model's numbers, in one place. docs/scoring.md explains them and its
// worked example is recomputed by test/scorecard/docs.test.ts, so neither can drift.
import type { Dimension, Severity } from '../types';
import type { CheckStatus, Grade, Scorecard } from './schema';
import { DimensionSchema } from './schema';

/** The fixed display order; also the order of `Scorecard.dimensions`. */
export const DIMENSIONS: readonly Dimension[] = ['security', 'data', 'reliability', 'observability', 'delivery', 'compliance', 'cost'];

/** How each dimension is named to people: the CLI reports and the editor panel say the same words. */
export const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = {
  security: 'Security',
  data: 'Data',
  reliability: 'Reliability',
  observability: 'Observability',
  delivery: 'Delivery',
  compliance: 'Compliance',
  cost: 'Cost',
};

/** The checklist order: what needs doing first, then what to verify by hand, then the rest. */
export const STATUS_ORDER: readonly CheckStatus[] = ['fail', 'unknown', 'pass', 'not-applicable'];

/** The checks in checklist order: by dimension (the scorecard's order), then status, then as the engine listed them. */
export function checklist(scorecard: Scorecard): Scorecard['checks'] {
  const dimensions = scorecard.dimensions.map((dimension) => dimension.dimension);
  return scorecard.checks
    .map((check, index) => ({ check, index }))
    .sort((a, b) => dimensions.indexOf(a.check.dimension) - dimensions.indexOf(b.check.dimension) || STATUS_ORDER.indexOf(a.check.status) - STATUS_ORDER.indexOf(b.check.status) || a.index - b.index)
    .map(({ check }) => check);
}

// The schema's enum and the engine's Dimension type must name the same seven dimensions.
type SchemaDimension = (typeof DimensionSchema.options)[number];
const _sameDimensions: [SchemaDimension, Dimension] extends [Dimension, SchemaDimension] ? true : never = true;
void _sameDimensions;

/**
 * Weight of each dimension in the overall score (they add up to 100). A breach or
 * lost data ends a young company; slow deploys and missing logs hurt, but later.
 */
export const DIMENSION_WEIGHTS: Readonly<Record<Dimension, number>> = {
  security: 30,
  data: 20,
  reliability: 15,
  observability: 10,
  delivery: 10,
  compliance: 10,
  cost: 5,
};

/**
 * Points the first finding of a rule costs its dimension, by severity. The k-th
 * finding (k = 0, 1, …) of the same rule and severity costs floor(points / 2^k),
 * so a rule can never cost more than 2 × points − 1, however often it fires.
 */
export const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { error: 16, warning: 8, info: 2 };

/** Lowest overall score for each grade, best first; anything lower is an F. */
export const GRADE_THRESHOLDS: readonly { grade: Exclude<Grade, 'F'>; min: number }[] = [
  { grade: 'A', min: 90 },
  { grade: 'B', min: 80 },
  { grade: 'C', min: 70 },
  { grade: 'D', min: 60 },
];

export function gradeFor(score: number): Grade {
  return GRADE_THRESHOLDS.find((threshold) => score >= threshold.min)?.grade ?? 'F';
}

/** Cost of the k-th (0-based) finding of one rule at one severity. */
export function dampedPoints(severity: Severity, k: number): number {
  return k >= 31 ? 0 : Math.floor(SEVERITY_POINTS[severity] / 2 ** k);
}

/** Most a rule can cost at one severity, however many findings it has. */
export function ruleCap(severity: Severity): number {
  let total = 0;
  for (let k = 0; dampedPoints(severity, k) > 0; k++) total += dampedPoints(severity, k);
  return total;
}

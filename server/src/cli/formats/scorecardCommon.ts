// What the text and Markdown scorecards share: labels, bars and number formats, so
// both print the same words and the same numbers as the JSON. The checklist order
// lives in the scoring model, where the editor's panel reads it too.
import type { CheckStatus, DimensionScore, Risk, Scorecard } from '../../engine/scorecard/schema';
import { STATUS_ORDER } from '../../engine/scorecard/model';

export { checklist, DIMENSION_LABELS as DIMENSION_LABEL } from '../../engine/scorecard/model';

export const STATUS_LABEL: Readonly<Record<CheckStatus, string>> = { pass: 'pass', fail: 'fail', unknown: 'unknown', 'not-applicable': 'n/a' };


/** `█████░░░░░` — `width` cells, filled in proportion to the score (rounded down, so only 100 fills every cell). */
export function bar(score: number, width: number): string {
  const filled = Math.min(width, Math.max(0, Math.floor((score * width) / 100)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** A dimension's score as shown: the number, or `n/a` when it is left out of the overall. */
export function dimensionScore(dimension: DimensionScore): string {
  return dimension.applicable ? String(dimension.score) : 'n/a';
}

/** Points as lost: `−33`. */
export function minus(points: number): string {
  return `−${points}`;
}

/** Overall points, one decimal: `−10.4`. */
export function minusOverall(points: number): string {
  return `−${points.toFixed(1)}`;
}

/** `3 findings`, `1 finding`. */
export function count(value: number, word: string): string {
  return `${value} ${value === 1 ? word : `${word}s`}`;
}

/** `12 fail, 3 unknown, 8 pass, 5 n/a`, for the checklist heading. */
export function statusCounts(scorecard: Scorecard): string {
  return STATUS_ORDER.map((status) => `${scorecard.checks.filter((check) => check.status === status).length} ${STATUS_LABEL[status]}`).join(', ');
}

/** `security −33, 5 findings` / `security −13, failed check`. */
export function riskCost(risk: Risk): string {
  return `${risk.dimension} ${minus(risk.points)}, ${risk.kind === 'rule' ? count(risk.count, 'finding') : 'failed check'}`;
}

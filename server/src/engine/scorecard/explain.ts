// A plain-text account of a scorecard: every dimension with each point it lost,
// then the overall arithmetic. docs/scoring.md's worked example is this text, and
// a test recomputes it, so the documentation cannot drift from the model.
import { DIMENSIONS } from './model';
import type { Deduction, Scorecard } from './schema';

function describe(deduction: Deduction): string {
  const source = deduction.source;
  if (source.kind === 'check') return `check ${source.checkId} failed`;
  return `${source.ruleId} ${source.path}:${source.line} (${source.severity}, #${source.occurrence})`;
}

export function explainScorecard(scorecard: Scorecard): string {
  const lines: string[] = [];
  for (const dimension of DIMENSIONS) {
    const score = scorecard.dimensions.find((entry) => entry.dimension === dimension);
    if (!score) continue;
    const own = scorecard.deductions.filter((deduction) => deduction.dimension === dimension);
    const arithmetic = own.length === 0 ? '100' : `100 − ${own.map((deduction) => deduction.points).join(' − ')}`;
    const status = score.applicable ? `weight ${score.weight}` : 'not applicable';
    lines.push(`${dimension.padEnd(13)} ${String(score.score).padStart(3)}  = ${arithmetic}  (${status})`);
    for (const deduction of own) lines.push(`    −${String(deduction.points).padEnd(3)} ${describe(deduction)}`);
  }
  const applicable = scorecard.dimensions.filter((entry) => entry.applicable);
  const weight = applicable.reduce((sum, entry) => sum + entry.weight, 0);
  const sum = applicable.reduce((total, entry) => total + entry.weight * entry.score, 0);
  const terms = applicable.map((entry) => `${entry.weight}×${entry.score}`).join(' + ');
  const exact = weight === 0 ? 100 : sum / weight;
  lines.push(`overall = (${terms}) / ${weight} = ${sum} / ${weight} = ${exact.toFixed(2)} → ${scorecard.score} (${scorecard.grade})`);
  return lines.join('\n');
}

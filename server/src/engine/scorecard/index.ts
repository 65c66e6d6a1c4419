// The scorecard's public face: run the workspace checks, compute the score, explain it.
// Pure engine code: no editor imports; the language server and the CLI render it.
export { runChecks, CheckCache, type RunChecksOptions } from './run';
export { computeScorecard, TOP_RISKS, type ScorecardInput, type ScoredFinding, type ScoredRuleMeta } from './score';
export { explainScorecard } from './explain';
export { scorecardForWorkspace, type WorkspaceScorecardOptions } from './forWorkspace';
export { ALL_CHECKS, type CheckDefinition, type CheckOutcome } from './checks/index';
export { DIMENSIONS, DIMENSION_WEIGHTS, GRADE_THRESHOLDS, SEVERITY_POINTS, dampedPoints, gradeFor, ruleCap } from './model';
export * from './schema';

// The scorecard's shape: one zod schema per value that crosses a boundary (engine →
// language server → webview, engine → CLI). The TypeScript types are inferred from
// the schemas, so the validator and the type cannot disagree.
//
// Conventions (as in the CLI's JSON report): paths are workspace-relative with
// forward slashes; lines are 1-based. Points are whole numbers on a dimension's
// 0–100 scale unless the field says otherwise.
import { z } from 'zod';

export const SCORECARD_VERSION = 1;

export const DimensionSchema = z.enum(['security', 'data', 'reliability', 'observability', 'delivery', 'compliance', 'cost']);
export const SeveritySchema = z.enum(['error', 'warning', 'info']);

const RelativePath = z.string().refine((path) => !path.startsWith('/') && !path.includes('\\'), 'a root-relative path with forward slashes');
const Line = z.number().int().min(1);
const Points = z.number().int().min(0).max(100);

/**
 * pass: proven by a file. fail: proven absent or wrong. not-applicable: the check
 * does not apply to this app (no database, no paid API, …). unknown: not found in
 * the repository, but it could live elsewhere (the host's dashboard, infra repo):
 * a manual check, which costs no points.
 */
export const CheckStatusSchema = z.enum(['pass', 'fail', 'not-applicable', 'unknown']);

/** One piece of evidence: the file (and line) that proved the result, or what was looked for. */
export const EvidenceSchema = z
  .object({
    path: RelativePath.optional(),
    line: Line.optional(),
    detail: z.string(),
  })
  .strict();

export const CheckResultSchema = z
  .object({
    /** Stable kebab-case id, e.g. `ci-runs-tests`. */
    id: z.string().min(1),
    dimension: DimensionSchema,
    /** What is checked, as a short statement: "CI runs the tests". */
    title: z.string(),
    /** Points the dimension loses while this check fails. */
    weight: Points,
    status: CheckStatusSchema,
    /** One line: what was found. */
    summary: z.string(),
    evidence: z.array(EvidenceSchema),
    /** One line: what to do about it. */
    remedy: z.string(),
  })
  .strict();

/** What a deduction traces to: one finding, or one workspace check. */
export const DeductionSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('finding'),
      ruleId: z.string().min(1),
      severity: SeveritySchema,
      path: RelativePath,
      line: Line,
      message: z.string(),
      /** 1-based position among the findings of the same rule and severity (damping halves the cost of each next one). */
      occurrence: z.number().int().min(1),
    })
    .strict(),
  z.object({ kind: z.literal('check'), checkId: z.string().min(1), title: z.string() }).strict(),
]);

export const DeductionSchema = z
  .object({
    dimension: DimensionSchema,
    /** Points this item costs its dimension; a dimension's deductions add up to exactly 100 − its score. */
    points: Points,
    /** The same cost on the overall scale: points × the dimension's weight ÷ the applicable weights (fractional; 0 when the dimension is not applicable). */
    overallPoints: z.number().min(0).max(100),
    source: DeductionSourceSchema,
  })
  .strict();

export const DimensionScoreSchema = z
  .object({
    dimension: DimensionSchema,
    score: Points,
    /** Weight in the overall mean (before normalising over the applicable dimensions). */
    weight: z.number().int().min(0),
    /** False when every check of the dimension is not-applicable (e.g. cost without a paid API): it is then left out of the overall. */
    applicable: z.boolean(),
    /** Findings that count towards this dimension. */
    findings: z.number().int().min(0),
    checks: z
      .object({
        pass: z.number().int().min(0),
        fail: z.number().int().min(0),
        unknown: z.number().int().min(0),
        notApplicable: z.number().int().min(0),
      })
      .strict(),
  })
  .strict();

export const RiskLocationSchema = z.object({ path: RelativePath, line: Line }).strict();

/** A rule's findings (grouped) or a failed check, ranked by what it costs the overall score. */
export const RiskSchema = z
  .object({
    kind: z.enum(['rule', 'check']),
    /** Rule id or check id. */
    id: z.string().min(1),
    title: z.string(),
    dimension: DimensionSchema,
    /** Points lost in the dimension. */
    points: Points,
    /** Points lost on the overall scale. */
    overallPoints: z.number().min(0).max(100),
    /** Rules: the highest severity among the findings. Checks: absent. */
    severity: SeveritySchema.optional(),
    /** Rules: number of findings. Checks: 1. */
    count: z.number().int().min(1),
    /** Where to jump: every finding (sorted, at most 50), or the check's evidence files. */
    locations: z.array(RiskLocationSchema),
    /** Checks: the remedy. Rules: absent (the rule's docs say how to fix it). */
    remedy: z.string().optional(),
  })
  .strict();

export const GradeSchema = z.enum(['A', 'B', 'C', 'D', 'F']);

export const ScorecardSchema = z
  .object({
    version: z.literal(SCORECARD_VERSION),
    /** Overall score: the weighted mean of the applicable dimensions, rounded half up. */
    score: Points,
    grade: GradeSchema,
    /** Every dimension, in the fixed order security, data, reliability, observability, delivery, compliance, cost. */
    dimensions: z.array(DimensionScoreSchema).length(7),
    /** Every point lost, largest first; per dimension they add up to 100 − its score. Findings damped to 0 points are left out. */
    deductions: z.array(DeductionSchema),
    /** Rules and failed checks by overall cost, largest first (at most 10). */
    topRisks: z.array(RiskSchema),
    /** The checklist: every workspace check with its result, by dimension then id. */
    checks: z.array(CheckResultSchema),
    /** Findings whose rule is not in the rule meta: shown nowhere in the score. */
    unscoredFindings: z.number().int().min(0),
  })
  .strict();

export type CheckStatus = z.infer<typeof CheckStatusSchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
export type CheckResult = z.infer<typeof CheckResultSchema>;
export type DeductionSource = z.infer<typeof DeductionSourceSchema>;
export type Deduction = z.infer<typeof DeductionSchema>;
export type DimensionScore = z.infer<typeof DimensionScoreSchema>;
export type RiskLocation = z.infer<typeof RiskLocationSchema>;
export type Risk = z.infer<typeof RiskSchema>;
export type Grade = z.infer<typeof GradeSchema>;
export type Scorecard = z.infer<typeof ScorecardSchema>;

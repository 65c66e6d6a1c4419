// The `--format json` report: one zod schema, the single source of truth for its
// shape. The CLI validates every report against it before printing, and tools that
// consume the report can import the schema (or read the comments below) to do the same.
//
// Conventions: paths are relative to `root`, with forward slashes. Lines and
// columns are 1-based; columns count UTF-16 code units (as JavaScript strings and
// editors do); `endColumn` is the column just after the last flagged character.
// Snippets never contain a secret in full: rules that flag secrets redact them.
// The shape changes only with a new `version`.
import { z } from 'zod';

export const JSON_REPORT_VERSION = 1;

const Severity = z.enum(['error', 'warning', 'info']);
const RelativePath = z.string().refine((path) => !path.startsWith('/') && !path.includes('\\'), 'a root-relative path with forward slashes');
const Line = z.number().int().min(1);

export const JsonFixSchema = z
  .object({
    /** Stable fix id, e.g. `parameterize-query`. */
    id: z.string().min(1),
    title: z.string(),
    /** Safe fixes are applied by `--fix`; unsafe ones only when a person picks them in the editor. */
    safe: z.boolean(),
    /** The fix the editor offers first. */
    preferred: z.boolean(),
  })
  .strict();

export const JsonFindingSchema = z
  .object({
    ruleId: z.string().min(1),
    severity: Severity,
    message: z.string(),
    path: RelativePath,
    line: Line,
    column: Line,
    endLine: Line,
    endColumn: Line,
    /** The flagged source text (first line, at most 200 characters), secrets redacted. */
    snippet: z.string(),
    /** The fixes the rule proposes (each verified before `--fix` or the editor applies it); empty when there is none. */
    fixes: z.array(JsonFixSchema),
  })
  .strict();

export const JsonReportSchema = z
  .object({
    version: z.literal(JSON_REPORT_VERSION),
    tool: z.object({ name: z.literal('shipshape'), version: z.string() }).strict(),
    /** Absolute path of the workspace root. */
    root: z.string(),
    /** Every file analyzed, sorted. */
    files: z.array(RelativePath),
    /** Files and folders left out, with the reason (ignored by .gitignore, binary, too large, …). */
    skipped: z.array(z.object({ path: z.string(), reason: z.string() }).strict()),
    /** Sorted by path, then position. */
    findings: z.array(JsonFindingSchema),
    /** Rules that crashed or ran out of time on a file; the scan is incomplete there (exit code 2). */
    internalErrors: z.array(z.object({ ruleId: z.string(), path: RelativePath, message: z.string() }).strict()),
    /** Problems in `.shipshape.json`; `path` is the JSON path of the offending value (`''` = the whole file). */
    configProblems: z.array(z.object({ file: z.string(), path: z.string(), message: z.string() }).strict()),
    /** Present with `--fix`: the safe fixes applied and the files written. */
    fixes: z
      .object({
        applied: z.array(z.object({ ruleId: z.string(), fixId: z.string(), path: RelativePath }).strict()),
        filesWritten: z.array(RelativePath),
        /** Files whose fixes were not written (not UTF-8, or changed on disk while fixing); left as they were. */
        filesNotWritten: z.array(z.object({ path: RelativePath, reason: z.string() }).strict()),
      })
      .strict()
      .optional(),
    /** Present with `--baseline` or `--write-baseline`: `findings` and `summary` then count only findings not in the baseline. */
    baseline: z
      .object({
        /** The baseline file, as given on the command line. */
        file: z.string(),
        /** Findings left out because the baseline records them. */
        baselined: z.number().int().min(0),
      })
      .strict()
      .optional(),
    summary: z
      .object({
        filesAnalyzed: z.number().int().min(0),
        filesSkipped: z.number().int().min(0),
        problems: z.number().int().min(0),
        errors: z.number().int().min(0),
        warnings: z.number().int().min(0),
        infos: z.number().int().min(0),
        /** Findings with a safe fix proposed (`--fix` verifies each before applying it). */
        safelyFixable: z.number().int().min(0),
        internalErrors: z.number().int().min(0),
      })
      .strict(),
  })
  .strict()
  .superRefine((report, context) => {
    const { summary } = report;
    if (summary.problems !== report.findings.length) context.addIssue({ code: 'custom', path: ['summary', 'problems'], message: 'must equal the number of findings' });
    if (summary.errors + summary.warnings + summary.infos !== summary.problems) context.addIssue({ code: 'custom', path: ['summary'], message: 'severity counts must add up to problems' });
    for (const [index, finding] of report.findings.entries()) {
      if (finding.endLine < finding.line || (finding.endLine === finding.line && finding.endColumn < finding.column)) {
        context.addIssue({ code: 'custom', path: ['findings', index], message: 'the end lies before the start' });
      }
    }
  });

export type JsonReport = z.infer<typeof JsonReportSchema>;
export type JsonFinding = z.infer<typeof JsonFindingSchema>;

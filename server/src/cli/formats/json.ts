// `--format json`: the scan result mapped onto the documented schema in
// ../jsonReport.ts, validated before it is printed.
import { CONFIG_FILE } from '../../engine/config';
import { type JsonReport, JSON_REPORT_VERSION, JsonReportSchema } from '../jsonReport';
import type { ScanResult } from '../scanResult';
import { countFindings } from '../summary';
import { TOOL_NAME, TOOL_VERSION } from '../version';

export function buildJsonReport(result: ScanResult): JsonReport {
  const counts = countFindings(result.findings);
  const report: JsonReport = {
    version: JSON_REPORT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: result.root,
    files: result.files,
    skipped: result.skipped.map(({ path, reason }) => ({ path, reason })),
    findings: result.findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      path: finding.path,
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      snippet: finding.snippet,
      fixes: finding.fixes.map((fix) => ({ id: fix.id, title: fix.title, safe: fix.safe, preferred: fix.preferred })),
    })),
    internalErrors: result.errors.map(({ ruleId, path, message }) => ({ ruleId, path, message })),
    configProblems: result.configProblems.map(({ path, message }) => ({ file: CONFIG_FILE, path, message })),
    fixes: result.fixes ? { applied: result.fixes.applied, filesWritten: result.fixes.written, filesNotWritten: result.fixes.notWritten } : undefined,
    baseline: result.baseline ? { file: result.baseline.file, baselined: result.baseline.baselined } : undefined,
    summary: {
      filesAnalyzed: result.files.length,
      filesSkipped: result.skipped.length,
      problems: counts.problems,
      errors: counts.errors,
      warnings: counts.warnings,
      infos: counts.infos,
      safelyFixable: counts.safelyFixable,
      internalErrors: result.errors.length,
    },
  };
  if (report.fixes === undefined) delete report.fixes;
  if (report.baseline === undefined) delete report.baseline;
  return report;
}

/** Throws (an internal error, exit 2) if the report does not match its schema. */
export function formatJson(result: ScanResult): string {
  const report = JsonReportSchema.parse(buildJsonReport(result));
  return `${JSON.stringify(report, null, 2)}\n`;
}

// Human-readable report in the shape of ESLint's "stylish" formatter: findings
// grouped by file, aligned `line:col  severity  message  rule-id` rows, and a
// one-line summary.
import type { Finding, Severity } from '../../engine';
import type { ScanResult } from '../scanResult';
import { countFindings, plural } from '../summary';
import type { Style } from './ansi';

export interface TextOptions {
  style: Style;
  /** How to show a root-relative path (relative to the working directory). */
  displayPath: (path: string) => string;
  /** The scan ran with `--fix`: do not suggest running it. */
  fixed: boolean;
}

export function formatText(result: ScanResult, options: TextOptions): string {
  const { style } = options;
  const out: string[] = [];
  for (const [path, findings] of groupByFile(result.findings)) {
    out.push('', style.underline(options.displayPath(path)));
    const rows = findings.map((finding) => ({
      position: `${finding.range.start.line + 1}:${finding.range.start.character + 1}`,
      severity: finding.severity,
      message: oneLine(finding.message),
      ruleId: finding.ruleId,
    }));
    const width = (pick: (row: (typeof rows)[number]) => string): number => Math.max(...rows.map((row) => pick(row).length));
    const positionWidth = width((row) => row.position);
    const severityWidth = width((row) => row.severity);
    const messageWidth = width((row) => row.message);
    for (const row of rows) {
      const severity = colorSeverity(row.severity, style)(row.severity.padEnd(severityWidth));
      out.push(`  ${style.dim(row.position.padEnd(positionWidth))}  ${severity}  ${row.message.padEnd(messageWidth)}  ${style.dim(row.ruleId)}`);
    }
  }
  out.push('', summaryLine(result, style));
  const counts = countFindings(result.findings);
  if (counts.safelyFixable > 0 && !options.fixed) {
    const subject = counts.safelyFixable === 1 ? '1 problem has' : `${counts.safelyFixable} problems have`;
    out.push(`  ${subject} a safe fix: run with --fix to verify and apply.`);
  }
  // The leading blank line separates the report from the command; the summary alone needs none.
  return `${(result.findings.length > 0 ? out : out.slice(1)).join('\n')}\n`;
}

function summaryLine(result: ScanResult, style: Style): string {
  const counts = countFindings(result.findings);
  // With a baseline, the counts are of new problems and the baselined ones are named.
  const baselined = result.baseline ? `, ${result.baseline.baselined} baselined` : '';
  const problem = result.baseline ? 'new problem' : 'problem';
  if (counts.problems === 0) return style.green(`✔ No ${problem}s found in ${plural(result.files.length, 'file')}${result.baseline ? ` (${result.baseline.baselined} baselined)` : ''}`);
  const parts = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning')];
  if (counts.infos > 0) parts.push(plural(counts.infos, 'info', 'infos'));
  const line = `✖ ${plural(counts.problems, problem)} (${parts.join(', ')})${baselined}`;
  return style.bold(counts.errors > 0 ? style.red(line) : style.yellow(line));
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.path);
    if (group) group.push(finding);
    else groups.set(finding.path, [finding]);
  }
  return groups;
}

function colorSeverity(severity: Severity, style: Style): (text: string) => string {
  return severity === 'error' ? style.red : severity === 'warning' ? style.yellow : style.blue;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

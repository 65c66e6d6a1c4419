// Counts shared by every report format and the exit code.
import { type Finding, SEVERITY_RANK, type Severity } from '../engine/types';
import type { FailOn } from './args';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './errors';

export interface Counts {
  problems: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings with a safe fix proposed; `--fix` verifies each before applying it. */
  safelyFixable: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let safelyFixable = 0;
  for (const finding of findings) {
    bySeverity[finding.severity]++;
    if (finding.fixes.some((fix) => fix.safe)) safelyFixable++;
  }
  return { problems: findings.length, errors: bySeverity.error, warnings: bySeverity.warning, infos: bySeverity.info, safelyFixable };
}

/** Whether any finding is at or above the `--fail-on` threshold. */
export function failsOn(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((finding) => SEVERITY_RANK[finding.severity] >= threshold);
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** 2 when the scan is incomplete (a rule crashed), else 1 if findings reach `--fail-on`, else 0. */
export function exitCode(result: { findings: readonly Finding[]; errors: readonly unknown[] }, failOn: FailOn): number {
  if (result.errors.length > 0) return EXIT_ERROR;
  return failsOn(result.findings, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

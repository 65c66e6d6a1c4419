// What a scan hands the report formats, and how it is put together from per-file
// results. The same assembly serves an in-process scan and one run in worker
// threads, so every report lists the same files, findings and skips either way.
// Runs on the CLI's main thread: no analysis code here (see analysis.ts).
import { classifyFile } from '../engine/files/kinds';
import type { Skipped } from '../engine/files/walk';
import type { ConfigProblem } from '../engine/config';
import type { FileResult } from '../engine/runner';
import type { Finding, InternalError, RuleMeta } from '../engine/types';
import { ALL_RULE_META } from '../../../rules/meta';
import { contains, isSelected, type Target } from './targets';

export interface SkippedPath {
  path: string;
  reason: string;
}

export interface AppliedFix {
  ruleId: string;
  fixId: string;
  path: string;
}

export interface FixSummary {
  applied: AppliedFix[];
  /** Root-relative paths of files rewritten or created on disk. */
  written: string[];
  created: string[];
  /** Files a fix would have created but which appeared meanwhile; left alone. */
  notCreated: string[];
  /** Edited files not written (not UTF-8, or changed on disk meanwhile), with the reason; left alone. */
  notWritten: { path: string; reason: string }[];
}

export interface ScanResult {
  /** Absolute workspace root; every path below is relative to it. */
  root: string;
  /** Files analyzed, sorted. */
  files: string[];
  skipped: SkippedPath[];
  /** Sorted by path, then position. */
  findings: Finding[];
  /** Rules that crashed or ran out of time: the scan is incomplete where these occurred. */
  errors: InternalError[];
  configProblems: readonly ConfigProblem[];
  /** The config file was unusable as a whole (not JSON, wrong shape): the defaults apply. */
  configIgnored: boolean;
  /** Meta of the rules this scan ran (all, or those named by `--rule`). */
  rules: readonly RuleMeta[];
  fixes: FixSummary | undefined;
  /** Fixes the engine did not offer because they failed verification. */
  droppedFixes: number;
  /** Set when a baseline applies: `findings` then holds only the findings not in it. */
  baseline?: BaselineSummary;
}

export interface BaselineSummary {
  /** The baseline file as the user named it. */
  file: string;
  /** Findings left out of `findings` because the baseline records them. */
  baselined: number;
  /** Every finding of the scan, baselined ones included, sorted like `findings` (SARIF fingerprints count occurrences over these). */
  all: readonly Finding[];
}

/** What a report needs of one file's analysis (a worker sends no more: the rest serves only an editor's later edits). */
export type ScanFileResult = Pick<FileResult, 'findings' | 'errors' | 'droppedFixes'>;

export interface ScanParts {
  root: string;
  targets: readonly Target[];
  /** Limit to these rules; undefined: every rule. */
  ruleIds: ReadonlySet<string> | undefined;
  /** Per analyzed file, in scan order. */
  results: ReadonlyMap<string, ScanFileResult>;
  /** Files the walk or the analysis left out, with the reason. */
  skipped: readonly Skipped[];
  configProblems: readonly ConfigProblem[];
  configIgnored: boolean;
  fixes: FixSummary | undefined;
}

export function assembleScanResult(parts: ScanParts): ScanResult {
  const { ruleIds } = parts;
  const findings: Finding[] = [];
  const errors: InternalError[] = [];
  let droppedFixes = 0;
  for (const result of parts.results.values()) {
    findings.push(...result.findings.filter((finding) => !ruleIds || ruleIds.has(finding.ruleId)));
    errors.push(...result.errors);
    droppedFixes += result.droppedFixes;
  }
  findings.sort(
    (a, b) => compare(a.path, b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || compare(a.ruleId, b.ruleId),
  );
  errors.sort((a, b) => compare(a.path, b.path) || compare(a.ruleId, b.ruleId));
  return {
    root: parts.root,
    files: [...parts.results.keys()].sort(compare),
    skipped: skippedPaths(parts.skipped, parts.targets),
    findings,
    errors,
    configProblems: parts.configProblems,
    configIgnored: parts.configIgnored,
    rules: ruleIds ? ALL_RULE_META.filter((meta) => ruleIds.has(meta.id)) : ALL_RULE_META,
    fixes: parts.fixes,
    droppedFixes,
  };
}

/**
 * What the walk and the analysis left out under the targets, plus why a path the
 * user named explicitly produced nothing (ignored folder, unknown file kind).
 */
function skippedPaths(skipped: readonly Skipped[], targets: readonly Target[]): SkippedPath[] {
  const byPath = new Map<string, SkippedPath>();
  for (const skip of skipped) if (isSelected(skip.path, targets)) byPath.set(skip.path, skip);
  for (const target of targets) {
    if (byPath.has(target.path) || target.path === '') continue;
    const enclosing = skipped.find((skip) => skip.path !== target.path && contains(skip.path, target.path));
    if (enclosing) byPath.set(target.path, { path: target.path, reason: `inside ${enclosing.path}: ${enclosing.reason}` });
    else if (target.kind === 'file' && !classifyFile(target.path)) byPath.set(target.path, { path: target.path, reason: 'not a kind of file Shipshape analyzes' });
  }
  return [...byPath.values()].sort((a, b) => compare(a.path, b.path));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

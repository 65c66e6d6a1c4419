// One scan: open the workspace, analyze the selected files, optionally apply and
// write the safe fixes, and collect everything the report formats need. Deciding
// what is wrong is the engine's job; this module only drives it. `scan` and
// `scorecard` both start here, so they analyze exactly the same files the same way.
import { classifyFile, type ConfigProblem, DEFAULT_CONFIG, type FileResult, type Finding, type InternalError, type RuleMeta, Workspace } from '../engine';
import { fixAll } from '../engine/fixes/fixAll';
import { ALL_RULE_META, KNOWN_RULE_IDS, RULES } from '../../../rules/index';
import { analyzeInWorkers, workerCount, workerHeapMb } from './parallel';
import type { Progress } from './progress';
import { contains, isSelected, type Target } from './targets';
import { writeFiles } from './writeFiles';

/**
 * Per-file rule budget. The editor keeps the engine's tight default to stay
 * responsive; a CI scan would rather wait than silently skip a rule.
 */
const CLI_TIME_BUDGET_MS = 30_000;

export interface ScanRequest {
  root: string;
  targets: readonly Target[];
  /** Limit to these rules; undefined runs every rule. */
  ruleIds: ReadonlySet<string> | undefined;
  fix: boolean;
  /** Root-relative paths of files this run reads or writes (`--output`, a baseline): reports are not source code. */
  ownFiles?: ReadonlySet<string>;
  progress?: Progress;
  /**
   * Worker threads for the analysis: a count (1: in-process) or `auto` (one per core
   * on large workspaces). `--fix` and the scorecard analyze in-process: they build on
   * the in-process workspace's results.
   */
  jobs?: number | 'auto';
  /** Told about problems that did not stop the scan (a failed worker). */
  onWarning?: (message: string) => void;
  /** The script a worker thread runs (the CLI bundle); required when `jobs` may start workers. */
  workerScript?: string;
}

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

/** A finished scan and the engine state behind it, for commands that build on the analysis (the scorecard). */
export interface ScanSession {
  result: ScanResult;
  workspace: Workspace;
  /** The files the scan selected (root-relative), analyzed or skipped while reading. */
  selected: readonly string[];
}

export async function runScan(request: ScanRequest): Promise<ScanResult> {
  return (await scanWorkspace(request)).result;
}

export async function scanWorkspace(request: ScanRequest): Promise<ScanSession> {
  const { root, targets, ruleIds, progress } = request;
  const workspace = new Workspace(root, {
    rules: ruleIds ? RULES.filter((rule) => ruleIds.has(rule.meta.id)) : RULES,
    knownRules: KNOWN_RULE_IDS,
    timeBudgetMs: CLI_TIME_BUDGET_MS,
    retainSyntaxTrees: 'none',
  });
  const selected = workspace.discover().filter((path) => isSelected(path, targets) && !request.ownFiles?.has(path));
  const workers = request.fix || !request.workerScript ? 0 : workerCount(selected.length, request.jobs ?? 1);
  let results: Map<string, FileResult>;
  if (workers > 0 && request.workerScript) {
    const parallel = await analyzeInWorkers(
      request.workerScript,
      { root, ruleIds: ruleIds ? [...ruleIds] : null, timeBudgetMs: CLI_TIME_BUDGET_MS, heapMb: workerHeapMb(process.env) },
      selected,
      workers,
      (path) => workspace.analyzeFile(path),
      (done, total) => progress?.files(done, total),
    );
    // Kept in the scan order, so every report lists files the same way whatever the worker count.
    results = new Map(selected.flatMap((path) => { const result = parallel.results.get(path); return result ? [[path, result] as const] : []; }));
    workspace.skipped.push(...parallel.skipped);
    if (parallel.workerFailure) request.onWarning?.(`an analysis worker failed (${parallel.workerFailure}); its remaining files were analyzed in-process`);
  } else {
    results = analyzeAll(workspace, selected, progress);
  }

  let fixes: FixSummary | undefined;
  if (request.fix) {
    progress?.phase('applying safe fixes');
    const fixed = fixAll(workspace, { safeOnly: true, paths: [...results.keys()], ruleIds });
    const written = writeFiles(root, fixed.files, fixed.created);
    fixes = { applied: fixed.applied, written: [...written.written, ...written.created], created: written.created, notCreated: written.notCreated };
    results = analyzeAll(workspace, selected, progress);
  }

  const findings: Finding[] = [];
  const errors: InternalError[] = [];
  let droppedFixes = 0;
  for (const result of results.values()) {
    findings.push(...result.findings.filter((finding) => !ruleIds || ruleIds.has(finding.ruleId)));
    errors.push(...result.errors);
    droppedFixes += result.droppedFixes;
  }
  findings.sort(
    (a, b) => compare(a.path, b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || compare(a.ruleId, b.ruleId),
  );
  errors.sort((a, b) => compare(a.path, b.path) || compare(a.ruleId, b.ruleId));

  const result: ScanResult = {
    root,
    files: [...results.keys()].sort(compare),
    skipped: skippedPaths(workspace, targets),
    findings,
    errors,
    configProblems: workspace.configProblems,
    configIgnored: workspace.configProblems.length > 0 && workspace.config === DEFAULT_CONFIG,
    rules: ruleIds ? ALL_RULE_META.filter((meta) => ruleIds.has(meta.id)) : ALL_RULE_META,
    fixes,
    droppedFixes,
  };
  return { result, workspace, selected };
}

function analyzeAll(workspace: Workspace, paths: readonly string[], progress: Progress | undefined): Map<string, FileResult> {
  const results = new Map<string, FileResult>();
  for (const [index, path] of paths.entries()) {
    progress?.files(index, paths.length);
    const result = workspace.analyzeFile(path);
    if (result) results.set(path, result);
  }
  progress?.files(paths.length, paths.length);
  return results;
}

/**
 * What the walk and the analysis left out under the targets, plus why a path the
 * user named explicitly produced nothing (ignored folder, unknown file kind).
 */
function skippedPaths(workspace: Workspace, targets: readonly Target[]): SkippedPath[] {
  const byPath = new Map<string, SkippedPath>();
  for (const skip of workspace.skipped) if (isSelected(skip.path, targets)) byPath.set(skip.path, skip);
  for (const target of targets) {
    if (byPath.has(target.path) || target.path === '') continue;
    const enclosing = workspace.skipped.find((skip) => skip.path !== target.path && contains(skip.path, target.path));
    if (enclosing) byPath.set(target.path, { path: target.path, reason: `inside ${enclosing.path}: ${enclosing.reason}` });
    else if (target.kind === 'file' && !classifyFile(target.path)) byPath.set(target.path, { path: target.path, reason: 'not a kind of file Shipshape analyzes' });
  }
  return [...byPath.values()].sort((a, b) => compare(a.path, b.path));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

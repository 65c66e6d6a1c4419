// The analysis side of a scan: a Workspace over the scan's root, opened the same way
// for an in-process scan, for each worker thread and for the fallback after a failed
// worker, so a file's result never depends on where it was analyzed. Loaded with the
// analysis bundle (analysis.ts), never by the CLI's main thread on its own.
import { Workspace } from '../engine/workspace';
import type { Skipped, WalkResult } from '../engine/files/walk';
import type { FileResult } from '../engine/runner';
import { fixAll } from '../engine/fixes/fixAll';
import { RULES } from '../../../rules/index';
import { KNOWN_RULE_IDS } from '../../../rules/meta';
import type { Progress } from './progress';
import { assembleScanResult, type FixSummary, type ScanResult } from './scanResult';
import type { ScanPlan } from './scanPlan';
import type { Target } from './targets';
import { writeFiles } from './writeFiles';

/**
 * Per-file rule budget. The editor keeps the engine's tight default to stay
 * responsive; a CI scan would rather wait than silently skip a rule.
 */
const CLI_TIME_BUDGET_MS = 30_000;

/**
 * A workspace for one scan: the chosen rules, the CLI's budget, no syntax tree kept
 * past its file's analysis, and the files of the scan plan's walk.
 */
export function openScanWorkspace(root: string, ruleIds: ReadonlySet<string> | undefined, walk: WalkResult): Workspace {
  const workspace = new Workspace(root, {
    rules: ruleIds ? RULES.filter((rule) => ruleIds.has(rule.meta.id)) : RULES,
    knownRules: KNOWN_RULE_IDS,
    timeBudgetMs: CLI_TIME_BUDGET_MS,
    retainSyntaxTrees: 'none',
  });
  // Every workspace of a scan knows the same files: cross-file facts see the same project.
  workspace.discover(walk);
  return workspace;
}

/** One file's analysis, or why it was skipped (unreadable, unparsable). */
export function analyzeOrSkip(workspace: Workspace, path: string): { path: string; result: FileResult } | { path: string; skipped: Skipped } {
  const result = workspace.analyzeFile(path);
  if (result) return { path, result };
  return { path, skipped: workspace.skipped.find((skip) => skip.path === path) ?? { path, reason: 'could not be read' } };
}

export interface InProcessRequest {
  root: string;
  targets: readonly Target[];
  ruleIds: ReadonlySet<string> | undefined;
  /** Apply the safe fixes, write them, and analyze again. */
  fix: boolean;
  plan: ScanPlan;
  progress?: Progress;
}

/** A finished in-process scan and the workspace behind it, for commands that build on the analysis (the scorecard). */
export interface InProcessScan {
  result: ScanResult;
  workspace: Workspace;
}

export function scanInProcess(request: InProcessRequest): InProcessScan {
  const { root, ruleIds, plan, progress } = request;
  const workspace = openScanWorkspace(root, ruleIds, plan.walk);
  let results = analyzeAll(workspace, plan.selected, progress);

  let fixes: FixSummary | undefined;
  if (request.fix) {
    progress?.phase('applying safe fixes');
    const fixed = fixAll(workspace, { safeOnly: true, paths: [...results.keys()], ruleIds });
    const written = writeFiles(root, fixed.files, fixed.created, fixed.originals);
    // What was not written stays as it is on disk, and the report after the fixes says so.
    const unwritten = new Set([...written.notCreated, ...written.notWritten.map((skip) => skip.path)]);
    for (const path of unwritten) workspace.reload(path);
    fixes = {
      applied: fixed.applied.filter((fix) => !unwritten.has(fix.path)),
      written: [...written.written, ...written.created],
      created: written.created,
      notCreated: written.notCreated,
      notWritten: written.notWritten,
    };
    results = analyzeAll(workspace, plan.selected, progress);
  }

  const result = assembleScanResult({
    root,
    targets: request.targets,
    ruleIds,
    results,
    skipped: workspace.skipped,
    configProblems: plan.configProblems,
    configIgnored: plan.configIgnored,
    fixes,
  });
  return { result, workspace };
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

// One scan, driven from the CLI's main thread: plan it (config and walk), then
// analyze the selected files in worker threads, or in-process by loading the
// analysis bundle into this thread (analysis.ts). Deciding what is wrong is the
// engine's job; this module only drives it. `scan` and `scorecard` both start here,
// so they analyze exactly the same files the same way.
import { join } from 'node:path';
import type { Scorecard } from '../engine/scorecard/schema';
import { analyzeInWorkers, workerCount, workerHeapMb } from './parallel';
import type { Progress } from './progress';
import { assembleScanResult, type ScanFileResult, type ScanResult } from './scanResult';
import { planScan } from './scanPlan';
import type { Target } from './targets';

/**
 * The analysis bundle, next to this one in dist/ (scripts/build.mjs builds it under
 * this name and resolves `import('./analysis.js')` below to it).
 */
const ANALYSIS_SCRIPT = join(__dirname, 'cli-analysis.js');

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
   * Worker threads for the analysis: a count (1: in-process) or `auto` (one worker on
   * large workspaces). `--fix` analyzes in-process: it builds on the in-process
   * workspace's results.
   */
  jobs?: number | 'auto';
  /** Told about problems that did not stop the scan (a failed worker). */
  onWarning?: (message: string) => void;
}

export async function runScan(request: ScanRequest): Promise<ScanResult> {
  const { root, targets, ruleIds, progress } = request;
  const plan = planScan(root, targets, request.ownFiles);
  const workers = request.fix ? 0 : workerCount(plan.selected.length, request.jobs ?? 1);
  if (workers === 0) return (await loadAnalysis()).scanInProcess({ root, targets, ruleIds, fix: request.fix, plan, progress }).result;

  const parallel = await analyzeInWorkers(
    ANALYSIS_SCRIPT,
    { root, ruleIds: ruleIds ? [...ruleIds] : null, heapMb: workerHeapMb(process.env), walk: plan.walk },
    plan.selected,
    workers,
    async () => (await loadAnalysis()).openFallback(root, ruleIds, plan.walk),
    (done, total) => progress?.files(done, total),
  );
  if (parallel.workerFailure) request.onWarning?.(`an analysis worker failed (${parallel.workerFailure}); its remaining files were analyzed in-process`);
  // Kept in the scan order, so every report lists files the same way whatever the worker count.
  const results = new Map<string, ScanFileResult>();
  for (const path of plan.selected) {
    const result = parallel.results.get(path);
    if (result) results.set(path, result);
  }
  return assembleScanResult({
    root,
    targets,
    ruleIds,
    results,
    skipped: [...plan.walk.skipped, ...parallel.skipped],
    configProblems: plan.configProblems,
    configIgnored: plan.configIgnored,
    fixes: undefined,
  });
}

/** The analysis behind a scorecard, in-process whatever `jobs` and `fix` say: the workspace checks read this workspace's results. */
export async function runScorecardScan(request: ScanRequest): Promise<{ result: ScanResult; card: Scorecard }> {
  const plan = planScan(request.root, request.targets, request.ownFiles);
  return (await loadAnalysis()).scanForScorecard({ root: request.root, targets: request.targets, ruleIds: request.ruleIds, fix: false, plan, progress: request.progress });
}

/** The analysis bundle, loaded into this thread on first use (it brings the compiler). */
async function loadAnalysis(): Promise<typeof import('./analysis.js')> {
  return await import('./analysis.js');
}

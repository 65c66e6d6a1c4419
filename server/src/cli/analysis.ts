// The CLI's analysis bundle (dist/cli-analysis.js): the engine, the rules and the
// compiler. The CLI bundle (main.ts) parses arguments, walks the workspace and
// formats reports without them; it loads this bundle into its own thread only for an
// in-process scan (small workspaces, --fix, the scorecard, a failed worker), and
// otherwise starts it as the worker script. Loading it costs a thread ~50 MB before
// reading a file (a process started at 110 MB resident with it, 58 MB with the CLI
// bundle alone), so the main thread of a worker scan should not.
import { isMainThread, workerData } from 'node:worker_threads';
import { stopKeepingFactsAcrossEdits } from '../engine/facts/editCaching';
import { scorecardForWorkspace } from '../engine/scorecard/forWorkspace';
import { type Scorecard, ScorecardSchema } from '../engine/scorecard/schema';
import type { WalkResult } from '../engine/files/walk';
import { ALL_RULE_META } from '../../../rules/meta';
import { runAnalysisWorker } from './analysisWorker';
import { analyzeOrSkip, type InProcessRequest, openScanWorkspace, scanInProcess } from './inProcess';
import { type FileAnalyzer, WORKER_KIND } from './parallel';
import type { ScanResult } from './scanResult';

export { scanInProcess };

/** An in-process analyzer over a fresh workspace, for the files a failed worker left. */
export function openFallback(root: string, ruleIds: ReadonlySet<string> | undefined, walk: WalkResult): FileAnalyzer {
  const workspace = openScanWorkspace(root, ruleIds, walk);
  return (path) => analyzeOrSkip(workspace, path);
}

/** The scan behind a scorecard and the scorecard itself: the same function the language server calls for its panel, so the same files give the same numbers. */
export function scanForScorecard(request: InProcessRequest): { result: ScanResult; card: Scorecard } {
  const scan = scanInProcess(request);
  return { result: scan.result, card: ScorecardSchema.parse(scorecardForWorkspace(scan.workspace, request.plan.selected, { ruleMeta: ALL_RULE_META })) };
}

// A scan analyzes each file once: nothing is kept for a next version, in a worker or in-process.
stopKeepingFactsAcrossEdits();
if (!isMainThread && isRecord(workerData) && workerData.kind === WORKER_KIND) runAnalysisWorker(workerData);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

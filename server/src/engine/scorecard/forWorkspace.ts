// The scorecard of a whole workspace: the one function every front end calls, so
// the CLI (`shipshape scorecard`) and the editor's panel show the same numbers for
// the same files. Findings come from the workspace's own (cached) analysis, the
// checks from runChecks, the score from computeScorecard.
import type { Finding } from '../types';
import type { Workspace } from '../workspace';
import type { CheckCache } from './context';
import { runChecks } from './run';
import { computeScorecard, type ScoredRuleMeta } from './score';
import type { Scorecard } from './schema';

export interface WorkspaceScorecardOptions {
  /**
   * Meta of every rule the workspace can report, engine-reported ones included
   * (the registry's `ALL_RULE_META`): it maps each finding to its dimension.
   */
  ruleMeta: readonly ScoredRuleMeta[];
  /** Keep one per workspace and pass it on every call: checks then re-derive only what edited files contribute. */
  cache?: CheckCache;
  signal?: AbortSignal;
}

/**
 * Analyzes `paths` (workspace-relative; results already computed are reused),
 * runs every workspace check over them and scores the result. `paths` is the
 * set of files the scorecard covers: the CLI passes what it scanned, the language
 * server the workspace's known files. Rules turned off in the configuration count
 * as not run, so checks that rely on them say "unknown" rather than "pass".
 */
export function scorecardForWorkspace(workspace: Workspace, paths: readonly string[], options: WorkspaceScorecardOptions): Scorecard {
  const findings: Finding[] = [];
  for (const path of paths) {
    options.signal?.throwIfAborted();
    const result = workspace.analyzeFile(path, options.signal);
    if (result) findings.push(...result.findings);
  }
  const rulesRun = new Set(options.ruleMeta.map((meta) => meta.id).filter((id) => workspace.config.rules[id] !== 'off'));
  const checks = runChecks(workspace.project, paths, findings, { cache: options.cache, signal: options.signal, rulesRun });
  return computeScorecard({ findings, checks, ruleMeta: options.ruleMeta });
}

// Running the workspace checks. Never throws for a broken check: it reports the
// check as unknown with the reason, and the others still run.
import type { Finding, ProjectView } from '../types';
import { type CheckDefinition, lookedFor, unknown } from './checks/check';
import { ALL_CHECKS } from './checks/index';
import { CheckCache, CheckContext } from './context';
import type { CheckResult } from './schema';

export interface RunChecksOptions {
  /** Keep one per workspace and pass it on every run: per-file evidence is then re-derived only for files whose text changed. */
  cache?: CheckCache;
  signal?: AbortSignal;
  /** Rules that ran to produce `findings`; checks that rely on a rule report unknown when it did not run. Undefined: all rules ran. */
  rulesRun?: ReadonlySet<string>;
  /** Defaults to every check. */
  checks?: readonly CheckDefinition[];
}

/**
 * Evaluates the workspace checks over a project. `files` are workspace-relative
 * paths (the workspace's known files); files outside the list that checks look for
 * by name (README.md, .nvmrc, yarn.lock, Jenkinsfile, …) are read through
 * `project.readFile`. `findings` feed checks such as secrets-from-env.
 */
export function runChecks(project: ProjectView, files: readonly string[], findings: readonly Finding[], options: RunChecksOptions = {}): CheckResult[] {
  const cache = options.cache ?? new CheckCache();
  const ctx = new CheckContext(project, files, findings, cache, options.rulesRun);
  const results: CheckResult[] = [];
  for (const check of options.checks ?? ALL_CHECKS) {
    options.signal?.throwIfAborted();
    let outcome;
    try {
      outcome = check.evaluate(ctx);
    } catch (error) {
      outcome = unknown(`The check could not run: ${error instanceof Error ? error.message : String(error)}`, lookedFor('see the language server log'));
    }
    results.push({ id: check.id, dimension: check.dimension, title: check.title, weight: check.weight, status: outcome.status, summary: outcome.summary, evidence: outcome.evidence, remedy: check.remedy });
  }
  cache.retain(ctx.readPaths);
  return results;
}

export { CheckCache };

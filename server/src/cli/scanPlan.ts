// What a scan covers, decided before any file is analyzed: the workspace's config
// and the walk of its files, exactly as a Workspace on the same root reads them
// (`configFromFile`, `walkWorkspace`), so the main thread can pick in-process or
// worker analysis, and hand the workers their files, without loading the compiler.
import { join } from 'node:path';
import { CONFIG_FILE, type ConfigProblem, DEFAULT_CONFIG, configFromFile } from '../engine/config';
import { readText, type WalkResult, walkWorkspace } from '../engine/files/walk';
import { KNOWN_RULE_IDS } from '../../../rules/meta';
import { isSelected, type Target } from './targets';

export interface ScanPlan {
  /** Root-relative paths of the files to analyze, in walk order. */
  selected: string[];
  /** The whole walk (what it left out too, with the reason), for the workspaces that analyze the files: they need not walk again. */
  walk: WalkResult;
  configProblems: readonly ConfigProblem[];
  /** The config file was unusable as a whole: the defaults apply. */
  configIgnored: boolean;
}

/** `ownFiles`: root-relative paths this run writes or reads as reports, never analyzed. */
export function planScan(root: string, targets: readonly Target[], ownFiles: ReadonlySet<string> | undefined): ScanPlan {
  const { config, problems } = configFromFile(readText(join(root, CONFIG_FILE)), KNOWN_RULE_IDS);
  const walk = walkWorkspace(root, { exclude: config.exclude });
  return {
    selected: walk.files.map((file) => file.path).filter((path) => isSelected(path, targets) && !ownFiles?.has(path)),
    walk,
    configProblems: problems,
    configIgnored: problems.length > 0 && config === DEFAULT_CONFIG,
  };
}

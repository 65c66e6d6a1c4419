// Applying many fixes at once, ESLint-style: each pass applies the preferred fix
// of findings in files no other fix touched yet in that pass (their offsets are
// still true), re-analyses, and repeats until nothing fixable remains or the pass
// limit is hit. A pass creates files for one fix at most: what a fix creates can
// depend on which files exist (the next migration's number), so each such fix is
// built with the files the previous one created. Works on the in-memory
// workspace; the caller decides whether and how to write the result to disk.
import { applyEdits } from '../files/text';
import type { Workspace } from '../workspace';
import type { Finding, Fix } from '../types';

export interface FixAllOptions {
  /** Only fixes marked safe (fix-all, on save, `--fix`). */
  safeOnly: boolean;
  /** Restrict to these files (default: every file the workspace knows). */
  paths?: readonly string[];
  /** Restrict to these rules. */
  ruleIds?: ReadonlySet<string>;
  /** False leaves out fixes that create files (an editor that cannot create them); the others still apply. */
  createFiles?: boolean;
  /** Only fixes that change nothing but their finding's file (fix-on-save: saving one file changes that file alone). */
  sameFileOnly?: boolean;
  /** Passes are bounded so a fix that re-creates its finding cannot loop. */
  maxPasses?: number;
  signal?: AbortSignal;
}

export interface FixAllResult {
  /** Final text of every file the fixes touched, including created ones. */
  files: Map<string, string>;
  /** Files that did not exist before. */
  created: Set<string>;
  /** The text each edited file had before the first fix touched it: what a writer checks the file on disk against. */
  originals: Map<string, string>;
  applied: { ruleId: string; fixId: string; path: string }[];
}

/** Whether a fix writes a file that does not exist yet (an editor without CreateFile cannot apply it). */
export function createsFiles(fix: Fix): boolean {
  return fix.changes.some((change) => change.kind === 'create');
}

export function fixAll(workspace: Workspace, options: FixAllOptions): FixAllResult {
  const result: FixAllResult = { files: new Map(), created: new Set(), originals: new Map(), applied: [] };
  const maxPasses = options.maxPasses ?? 100;
  for (let pass = 0; pass < maxPasses; pass++) {
    options.signal?.throwIfAborted();
    const touched = new Set<string>();
    let created = false;
    for (const { finding, fix } of collectCandidates(workspace, options)) {
      if (touched.has(finding.path) || fix.changes.some((change) => touched.has(change.path))) continue;
      if (options.sameFileOnly && fix.changes.some((change) => change.path !== finding.path)) continue;
      const creates = createsFiles(fix);
      if (creates && (created || options.createFiles === false)) continue;
      if (!applyFix(workspace, fix, result)) continue;
      created ||= creates;
      touched.add(finding.path);
      for (const change of fix.changes) touched.add(change.path);
      result.applied.push({ ruleId: finding.ruleId, fixId: fix.id, path: finding.path });
    }
    if (touched.size === 0) break;
  }
  return result;
}

function collectCandidates(workspace: Workspace, options: FixAllOptions): { finding: Finding; fix: Fix }[] {
  const candidates: { finding: Finding; fix: Fix }[] = [];
  for (const path of options.paths ?? workspace.paths) {
    const analysis = workspace.analyzeFile(path, options.signal);
    for (const finding of analysis?.findings ?? []) {
      if (options.ruleIds && !options.ruleIds.has(finding.ruleId)) continue;
      // Verification is the expensive part: only findings whose preferred fix qualifies pay for it.
      const proposed = finding.fixes.find((candidate) => candidate.preferred && (!options.safeOnly || candidate.safe));
      const fix = proposed && workspace.verifiedFixes(path, finding).find((candidate) => candidate === proposed);
      if (fix) candidates.push({ finding, fix });
    }
  }
  return candidates;
}

/** Applies all of a fix's changes, or none when one no longer fits (a file to create now exists). */
function applyFix(workspace: Workspace, fix: Fix, result: FixAllResult): boolean {
  const next = new Map<string, string>();
  for (const change of fix.changes) {
    const current = workspace.readFile(change.path);
    if (change.kind === 'create') {
      if (current !== undefined) return false; // never clobber what a user wrote
      next.set(change.path, change.text);
    } else {
      if (current === undefined) return false;
      next.set(change.path, applyEdits(current, change.edits));
    }
  }
  for (const [path, text] of next) {
    const before = workspace.readFile(path);
    if (before === undefined) result.created.add(path);
    else if (!result.created.has(path) && !result.originals.has(path)) result.originals.set(path, before);
    workspace.setText(path, text);
    result.files.set(path, text);
  }
  return true;
}

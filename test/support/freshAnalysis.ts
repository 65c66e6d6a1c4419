// Differential checks for incremental analysis: what an edited Workspace reports for a
// file must equal what a fresh Workspace reports for the same texts.
import assert from 'node:assert/strict';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { contextToken, reparseInContext } from '../../server/src/engine/facts/editContext';
import { parseCode } from '../../server/src/engine/files/parse';
import { Workspace } from '../../server/src/engine/workspace';
import { makeWorkspace } from './tempWorkspace';

/** A file's findings as comparable lines: rule, offsets, message, snippet and proposed fixes. */
export function findingsOf(workspace: Workspace, path: string): string[] {
  const result = workspace.analyzeFile(path);
  assert.ok(result, `no result for ${path}`);
  return result.findings.map((finding) => `${finding.ruleId} ${finding.offset.start}-${finding.offset.end} ${finding.severity} ${finding.message} ${finding.snippet} ${JSON.stringify(finding.fixes)}`);
}

/**
 * The findings of `path` in a fresh Workspace over a temp folder holding `files`, every
 * file discovered first as the language server does on open: the route graph spans
 * files, so a route mounted or guarded in another one is seen.
 */
export function freshFindings(files: Record<string, string>, path: string): string[] {
  const workspace = new Workspace(makeWorkspace(files, 'shipshape-fresh-'), { rules: RULES, knownRules: KNOWN_RULE_IDS });
  workspace.discover();
  return findingsOf(workspace, path);
}

/**
 * Applies each `[find, replace]` edit in turn to `path`'s buffer (starting from `text`)
 * and checks after each that its findings are those `fresh` gives for the edited text.
 * Returns the findings after each edit, for the caller to check the edits moved them.
 */
export function assertEditsMatchFresh(workspace: Workspace, path: string, text: string, edits: readonly (readonly [string, string])[], fresh: (text: string) => string[]): string[][] {
  workspace.setText(path, text);
  assert.deepEqual(findingsOf(workspace, path), fresh(text));
  const after: string[][] = [];
  for (const [find, replace] of edits) {
    assert.ok(text.includes(find), `edit target missing: ${find}`);
    text = text.replace(find, replace);
    workspace.setText(path, text);
    const incremental = findingsOf(workspace, path);
    assert.deepEqual(incremental, fresh(text), `after replacing ${JSON.stringify(find)}`);
    after.push(incremental);
  }
  return after;
}

/**
 * Types one letter at every `step`th position of `text` (each on top of the original,
 * both analyzed, and undone after) and checks the findings against `fresh` each time.
 */
export function assertTypingMatchesFresh(workspace: Workspace, path: string, text: string, step: number, fresh: (text: string) => string[]): void {
  workspace.setText(path, text);
  workspace.analyzeFile(path);
  for (let at = 0; at < text.length; at += step) {
    const typed = `${text.slice(0, at)}x${text.slice(at)}`;
    workspace.setText(path, typed);
    assert.deepEqual(findingsOf(workspace, path), fresh(typed), `after typing at ${at}`);
    workspace.setText(path, text);
    workspace.analyzeFile(path);
  }
}

/**
 * How many of the edits, applied in turn to `text` and reparsed incrementally, keep the
 * file's context token (editContext.ts): a cache test's edits should both keep it (kept
 * facts are used) and break it (they must be computed again).
 */
export function editsKeepingContext(path: string, text: string, edits: readonly (readonly [string, string])[]): number {
  let tree = parseCode(path, text, 'ts');
  let kept = 0;
  for (const [find, replace] of edits) {
    text = text.replace(find, replace);
    const previous = tree;
    tree = reparseInContext(tree, text);
    if (contextToken(tree) === contextToken(previous)) kept++;
  }
  return kept;
}

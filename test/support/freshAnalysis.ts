// Differential checks for incremental analysis: what an edited Workspace reports for a
// file must equal what a fresh Workspace reports for the same texts.
import assert from 'node:assert/strict';
import { KNOWN_RULE_IDS, RULES } from '../../rules/index';
import { Workspace } from '../../server/src/engine/workspace';
import { makeWorkspace } from './tempWorkspace';

/** A file's findings as comparable lines: rule, offsets, message, snippet and proposed fixes. */
export function findingsOf(workspace: Workspace, path: string): string[] {
  const result = workspace.analyzeFile(path);
  assert.ok(result, `no result for ${path}`);
  return result.findings.map((finding) => `${finding.ruleId} ${finding.offset.start}-${finding.offset.end} ${finding.severity} ${finding.message} ${finding.snippet} ${JSON.stringify(finding.fixes)}`);
}

/** The findings of `path` in a fresh Workspace over a temp folder holding `files`. */
export function freshFindings(files: Record<string, string>, path: string): string[] {
  return findingsOf(new Workspace(makeWorkspace(files, 'shipshape-fresh-'), { rules: RULES, knownRules: KNOWN_RULE_IDS }), path);
}

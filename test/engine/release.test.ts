// Workspace.release: a scan's worker forgets each file's analysis once the result is
// sent, its text included (a later file's cross-file facts read it from disk again).
// What every later file finds must not change, and a released file analyzed again
// must find the same.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import type { FileResult } from '../../server/src/engine/runner';
import { Workspace } from '../../server/src/engine/workspace';
import { generateWorkspace } from '../bench/generate';

const generated = realpathSync(mkdtempSync(join(tmpdir(), 'shipshape-release-')));
after(() => rmSync(generated, { recursive: true, force: true }));
generateWorkspace(generated, { lines: 20_000, seed: 11 });
const roots = [join(__dirname, '..', '..', 'examples', 'shop-api'), generated];

function describe(path: string, result: FileResult | undefined): string[] {
  return (result?.findings ?? []).map((finding) => `${path} ${finding.ruleId} ${finding.offset.start}-${finding.offset.end} ${finding.message} ${JSON.stringify(finding.fixes)}`);
}

function scan(root: string, release: boolean): string[] {
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'none' });
  return workspace.discover().flatMap((path) => {
    const findings = describe(path, workspace.analyzeFile(path));
    if (release) workspace.release(path);
    return findings;
  });
}

test('releasing each file after its analysis changes no finding of any file', () => {
  for (const root of roots) {
    const kept = scan(root, false);
    assert.ok(kept.length > 10, `the comparison needs findings, got ${kept.length} in ${root}`);
    assert.deepEqual(scan(root, true), kept, root);
  }
});

test('a released file is analyzed afresh, with the same findings', () => {
  const workspace = new Workspace(roots[0] ?? '', { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'none' });
  const paths = workspace.discover();
  const before = new Map(paths.map((path) => [path, workspace.analyzeFile(path)] as const));
  for (const path of paths) workspace.release(path);
  for (const path of paths) {
    const again = workspace.analyzeFile(path);
    const first = before.get(path);
    if (first) assert.notEqual(again, first, `${path}: release kept the result`);
    assert.deepEqual(describe(path, again), describe(path, first), path);
  }
});

test('a released file\'s text is not held: another file asking for it later reads the disk', () => {
  const copy = realpathSync(mkdtempSync(join(tmpdir(), 'shipshape-release-copy-')));
  after(() => rmSync(copy, { recursive: true, force: true }));
  cpSync(roots[0] ?? '', copy, { recursive: true });
  const workspace = new Workspace(copy, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'none' });
  const path = workspace.discover().find((candidate) => candidate.endsWith('.ts')) ?? '';
  workspace.analyzeFile(path);
  workspace.release(path);
  writeFileSync(join(copy, path), 'export const changed = 1;\n');
  assert.equal(workspace.readFile(path), 'export const changed = 1;\n');
});

test('an editor buffer is never released', () => {
  const workspace = new Workspace(roots[0] ?? '', { rules: RULES, knownRules: KNOWN_RULE_IDS });
  const path = workspace.discover().find((candidate) => candidate.endsWith('.ts')) ?? '';
  workspace.setText(path, 'const password = "hunter2-Zq8#kLm4vX";\n');
  const result = workspace.analyzeFile(path);
  workspace.release(path);
  assert.equal(workspace.analyzeFile(path), result);
  assert.equal(workspace.readFile(path), 'const password = "hunter2-Zq8#kLm4vX";\n');
});

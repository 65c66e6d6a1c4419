// A one-shot scan stops keeping facts for a next version of each file (editCaching.ts).
// The findings must be exactly those of an analysis that keeps them: the sample app and
// a generated workspace of every kind of code the benchmark holds, analyzed both ways.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { keepingFactsAcrossEdits, stopKeepingFactsAcrossEdits } from '../../server/src/engine/facts/editCaching';
import { Workspace } from '../../server/src/engine/workspace';
import { generateWorkspace } from '../bench/generate';

const generated = realpathSync(mkdtempSync(join(tmpdir(), 'shipshape-one-shot-')));
after(() => rmSync(generated, { recursive: true, force: true }));
generateWorkspace(generated, { lines: 30_000, seed: 7 });
const roots = [join(__dirname, '..', '..', 'examples', 'shop-api'), generated];

function scan(root: string): string[] {
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'none' });
  return workspace.discover().flatMap((path) =>
    (workspace.analyzeFile(path)?.findings ?? []).map((finding) => `${path} ${finding.ruleId} ${finding.offset.start}-${finding.offset.end} ${finding.message} ${JSON.stringify(finding.fixes)}`),
  );
}

test('a scan that keeps nothing across edits finds exactly what one that keeps facts finds', () => {
  assert.equal(keepingFactsAcrossEdits(), true);
  const keeping = roots.map(scan);
  stopKeepingFactsAcrossEdits();
  const oneShot = roots.map(scan);
  for (const findings of keeping) assert.ok(findings.length > 10, `the comparison needs findings to compare, got ${findings.length}`);
  assert.deepEqual(oneShot, keeping);
});

// Typing in a big file must not make the server hold on to earlier versions of it: the
// facts kept across edits (editContext.ts AcrossEdits, sql-injection's kept findings,
// unbounded-query's kept page sizes, kept DB facts) are keyed by nodes that live on from version to version, so anything
// they hold of one version would pile up with every keystroke.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { Workspace } from '../../server/src/engine/workspace';
import { generateRouterModule } from '../bench/generate';
import { makeWorkspace } from '../support/tempWorkspace';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('typing in a 2,000-line router keeps no earlier versions of it alive', () => {
  const module = generateRouterModule({ seed: 42, lines: 2_000, injectable: 2 });
  const file = 'src/routes/operations.ts';
  const root = makeWorkspace({ 'package.json': JSON.stringify({ dependencies: { express: '4', pg: '8', stripe: '14' } }), [file]: module.text });
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  workspace.discover();
  let text = module.text;
  // One letter at a time into strings spread over the file, as the latency bench types.
  const sites: number[] = [];
  for (let at = text.indexOf("'", 1_000); at !== -1 && sites.length < 12; at = text.indexOf("'", at + 5_000)) sites.push(at + 1);
  assert.ok(sites.length >= 8);
  const type = (edits: number, from: number): void => {
    for (let round = from; round < from + edits; round++) {
      const at = sites[round % sites.length] ?? 0;
      text = `${text.slice(0, at)}x${text.slice(at)}`;
      for (let k = 0; k < sites.length; k++) if ((sites[k] ?? 0) >= at) sites[k] = (sites[k] ?? 0) + 1;
      workspace.setText(file, text);
      assert.ok(workspace.analyzeFile(file));
    }
  };
  type(40, 0);
  const before = heapAfterGc();
  type(160, 40);
  const grown = (heapAfterGc() - before) / 1e6;
  // Each version of this file is ~75 KB of text plus its tree; keeping them all grew the heap by ~35 MB here.
  assert.ok(grown < 8, `the heap grew by ${grown.toFixed(1)} MB over 160 edits`);
});

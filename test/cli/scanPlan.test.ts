// The CLI's main thread plans a scan (config and walk) without the engine, then hands
// the files to workers: its plan must be exactly what a Workspace on the same root
// discovers, and its bundle must not carry the compiler it exists to avoid loading.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { RULES } from '../../rules/index';
import { planScan } from '../../server/src/cli/scanPlan';
import { Workspace } from '../../server/src/engine/workspace';
import { makeWorkspace } from '../support/tempWorkspace';
import { SHOP } from './support';

function discovered(root: string): { paths: string[]; skipped: string[]; problems: string[] } {
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS });
  const paths = workspace.discover();
  return { paths, skipped: workspace.skipped.map((skip) => `${skip.path}: ${skip.reason}`), problems: workspace.configProblems.map((problem) => problem.message) };
}

test('a scan plan selects, skips and reads the config exactly as a Workspace does', () => {
  const excluding = makeWorkspace({
    '.shipshape.json': JSON.stringify({ exclude: ['legacy/**'] }),
    'src/app.ts': 'export const a = 1;\n',
    'legacy/old.ts': 'export const b = 2;\n',
    'dist/bundle.js': 'var c = 3;\n',
    '.gitignore': 'generated/\n',
    'generated/client.ts': 'export const d = 4;\n',
  });
  const broken = makeWorkspace({ '.shipshape.json': '{ "rules": { "no-such-rule": "off" } }', 'src/app.ts': 'export const a = 1;\n' });
  // Saved by a Windows editor: the plan must not call the file invalid JSON while the Workspace applies it.
  const withBom = makeWorkspace({ '.shipshape.json': `\uFEFF${JSON.stringify({ exclude: ['legacy/**'] })}`, 'src/app.ts': 'export const a = 1;\n', 'legacy/old.ts': 'export const b = 2;\n' });
  for (const root of [SHOP, excluding, broken, withBom]) {
    const plan = planScan(root, [{ path: '', kind: 'dir' }], undefined);
    const workspace = discovered(root);
    assert.deepEqual(plan.selected, workspace.paths, root);
    assert.deepEqual(plan.walk.skipped.map((skip) => `${skip.path}: ${skip.reason}`), workspace.skipped, root);
    assert.deepEqual(plan.configProblems.map((problem) => problem.message), workspace.problems, root);
  }
  assert.ok(!planScan(excluding, [{ path: '', kind: 'dir' }], undefined).selected.includes('legacy/old.ts'));
  assert.equal(planScan(broken, [{ path: '', kind: 'dir' }], undefined).configProblems.length, 1);
  assert.ok(!planScan(withBom, [{ path: '', kind: 'dir' }], undefined).selected.includes('legacy/old.ts'));
});

test('targets and the files a run writes narrow the plan', () => {
  const root = makeWorkspace({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n', 'lib/c.ts': 'export const c = 1;\n' });
  assert.deepEqual(planScan(root, [{ path: 'src', kind: 'dir' }], new Set(['src/b.ts'])).selected, ['src/a.ts']);
});

test('the CLI bundle leaves the compiler and the rules to the analysis bundle', () => {
  const dist = join(__dirname, '..', '..', 'dist');
  const cli = readFileSync(join(dist, 'cli.js'), 'latin1');
  const analysis = readFileSync(join(dist, 'cli-analysis.js'), 'latin1');
  for (const marker of ['createSourceFile', 'forEachChild', 'parameterize-query']) assert.ok(analysis.includes(marker), `cli-analysis.js lacks ${marker}`);
  for (const marker of ['createSourceFile', 'forEachChild']) assert.ok(!cli.includes(marker), `cli.js carries ${marker}`);
  assert.ok(cli.length < 2_000_000, `cli.js is ${cli.length} bytes`);
});

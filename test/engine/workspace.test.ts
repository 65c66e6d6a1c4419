// Loading a workspace: .gitignore, default and configured excludes, git's tracked
// set, suppressions, config problems and incremental invalidation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ts } from '../../server/src/engine/ts';
import { readTrackedPaths } from '../../server/src/engine/files/gitIndex';
import { defineRule } from '../../server/src/engine/rule';
import { Workspace } from '../../server/src/engine/workspace';
import { DEFAULT_CONFIG, parseConfig } from '../../server/src/engine/config';
import { makeWorkspace } from '../support/tempWorkspace';

const makeRoot = (files: Record<string, string>): string => makeWorkspace(files, 'shipshape-ws-');

const probe = defineRule({
  meta: {
    id: 'probe',
    title: 'probe',
    dimension: 'security',
    defaultSeverity: 'error',
    fileKinds: ['ts', 'js'],
    docs: { summary: 's', why: 'w', howToFix: 'h', references: [] },
    fixes: [],
  },
  check(context) {
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) && node.text === 'flag') context.report({ start: node.getStart(), end: node.getEnd(), message: 'flagged' });
      ts.forEachChild(node, visit);
    };
    if (context.file.sourceFile) visit(context.file.sourceFile);
  },
});
const known = new Set(['probe', 'invalid-suppression']);
const open = (root: string): Workspace => new Workspace(root, { rules: [probe], knownRules: known });

test('honours root and nested .gitignore, default folders and configured excludes, each with a reason', () => {
  const root = makeRoot({
    '.gitignore': 'secret-dir/\n*.gen.ts\n',
    'src/app.ts': '',
    'src/types.gen.ts': '',
    'src/legacy/.gitignore': 'old.ts\n',
    'src/legacy/old.ts': '',
    'src/legacy/kept.ts': '',
    'secret-dir/a.ts': '',
    'node_modules/pkg/index.js': '',
    '.next/server.js': '',
    'scripts/seed.ts': '',
    'vendor/jquery.js': '',
    'src/modules/vendor/vendor.routes.ts': '',
    '.shipshape.json': JSON.stringify({ exclude: ['scripts/'] }),
    '.env': 'A=1\n',
    'README.md': '',
  });
  const workspace = open(root);
  const files = workspace.discover();
  assert.deepEqual(files.sort(), ['.env', '.shipshape.json', 'src/app.ts', 'src/legacy/kept.ts', 'src/modules/vendor/vendor.routes.ts'].sort());
  const reasons = Object.fromEntries(workspace.skipped.map((skip) => [skip.path, skip.reason]));
  assert.equal(reasons['src/types.gen.ts'], 'ignored by .gitignore');
  assert.equal(reasons['src/legacy/old.ts'], 'ignored by .gitignore');
  assert.equal(reasons['secret-dir'], 'ignored by .gitignore');
  assert.equal(reasons['node_modules'], 'dependency, build or cache folder');
  assert.equal(reasons['.next'], 'dependency, build or cache folder');
  assert.equal(reasons['vendor'], 'dependency, build or cache folder');
  assert.equal(reasons['scripts'], 'excluded by configuration');
});

test('symbolic links are not followed but listed as skipped with the reason, dangling and looping ones included', () => {
  const root = makeRoot({ 'shared/db.ts': 'export const db = 1;\n', 'src/app.ts': '' });
  symlinkSync('../shared/db.ts', join(root, 'src/db.ts'));
  symlinkSync('../shared', join(root, 'src/shared'));
  symlinkSync('missing.ts', join(root, 'src/dangling.ts'));
  symlinkSync('loop', join(root, 'src/loop'));
  symlinkSync('notes.txt', join(root, 'src/notes.md'));
  const workspace = open(root);
  assert.deepEqual(workspace.discover().sort(), ['shared/db.ts', 'src/app.ts']);
  const reasons = Object.fromEntries(workspace.skipped.map((skip) => [skip.path, skip.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), ['src/dangling.ts', 'src/db.ts', 'src/shared'], 'a link to a code file or a folder is listed; a dangling code link too; one to nothing analyzable is not');
  assert.match(reasons['src/db.ts'] ?? '', /^symbolic link \(not followed/);
});

test('.env files are kept even when ignored, and the project view knows ignored and tracked paths', () => {
  const root = makeRoot({ '.gitignore': '.env\n', '.env': 'A=1\n', '.env.local': 'B=2\n', 'src/app.ts': '' });
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-f', '.env.local', 'src/app.ts'], { cwd: root });
  const workspace = open(root);
  assert.ok(workspace.discover().includes('.env'));
  assert.equal(workspace.project.isIgnored('.env'), true);
  assert.equal(workspace.project.isIgnored('.env.local'), false);
  assert.equal(workspace.project.isTracked('.env.local'), true);
  assert.equal(workspace.project.isTracked('.env'), false);
});

test('reads git index versions 2, 3 and 4 without running git', () => {
  for (const version of ['2', '3', '4']) {
    const root = makeRoot({ 'a.ts': '', 'src/deep/b.ts': '', 'src/deep/c.ts': '' });
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['update-index', '--index-version', version], { cwd: root });
    execFileSync('git', ['add', '.'], { cwd: root });
    execFileSync('git', ['update-index', '--index-version', version], { cwd: root });
    if (version === '3') execFileSync('git', ['update-index', '--skip-worktree', 'a.ts'], { cwd: root }); // sets the extended flags of v3
    assert.deepEqual([...(readTrackedPaths(root) ?? [])].sort(), ['a.ts', 'src/deep/b.ts', 'src/deep/c.ts'], `index v${version}`);
  }
  assert.equal(readTrackedPaths(makeRoot({ 'a.ts': '' })), undefined);
});

test('suppressions: next-line and file-wide; a missing reason or unknown rule is itself reported', () => {
  const root = makeRoot({
    'a.ts': [
      '// shipshape-ignore-next-line probe -- fixture data, never reaches SQL',
      'const a = "flag";',
      'const b = "flag";',
      '// shipshape-ignore-next-line probe',
      'const c = "flag";',
      '/* shipshape-ignore-next-line nope -- typo */',
      'const d = "flag";',
    ].join('\n'),
    'b.ts': '// shipshape-ignore-file probe -- generated seed data\nconst a = "flag";\nconst b = "flag";\n',
  });
  const workspace = open(root);
  const a = workspace.analyzeFile('a.ts')?.findings ?? [];
  assert.deepEqual(
    a.map((finding) => [finding.ruleId, finding.range.start.line]),
    [
      ['probe', 2],
      ['invalid-suppression', 3],
      ['invalid-suppression', 5],
      ['probe', 6],
    ],
  );
  assert.match(a[1]?.message ?? '', /gives no reason/);
  assert.match(a[2]?.message ?? '', /unknown rule "nope"/);
  assert.deepEqual(workspace.analyzeFile('b.ts')?.findings, []);
});

test('a suppression that suppresses nothing is reported, for rules that ran on the file only', () => {
  const root = makeRoot({
    'a.ts': [
      '// shipshape-ignore-next-line probe -- formatted over two lines',
      'const a = [',
      '  "flag",',
      '];',
      '// shipshape-ignore-next-line probe, invalid-suppression -- nothing here',
      'const b = 1;',
      '// shipshape-ignore-next-line probe -- used',
      'const c = "flag";',
    ].join('\n'),
    'b.ts': '// shipshape-ignore-file probe -- generated seed data\nconst a = 1;\n',
    // a rule that does not analyze this kind of file cannot tell: no finding
    'c.sql': '-- shipshape-ignore-next-line probe -- not run on SQL\nSELECT 1;\n',
    'd.ts': '// shipshape-ignore-file probe -- covers all\n// shipshape-ignore-next-line probe -- redundant, not unused\nconst d = "flag";\n',
  });
  const workspace = open(root);
  const a = workspace.analyzeFile('a.ts')?.findings ?? [];
  assert.deepEqual(
    a.map((finding) => [finding.ruleId, finding.range.start.line]),
    [
      ['invalid-suppression', 0],
      ['probe', 2],
      ['invalid-suppression', 4],
    ],
  );
  assert.match(a[0]?.message ?? '', /^This shipshape-ignore-next-line probe suppresses nothing: no probe problem starts on line 2\. Put it right above the line/);
  assert.equal(a.filter((finding) => /invalid-suppression suppresses/.test(finding.message)).length, 0, 'the engine\'s own rule is not judged');
  assert.match(workspace.analyzeFile('b.ts')?.findings[0]?.message ?? '', /^This shipshape-ignore-file probe suppresses nothing/);
  assert.deepEqual(workspace.analyzeFile('c.sql')?.findings, []);
  assert.deepEqual(workspace.analyzeFile('d.ts')?.findings, []);

  const quiet = new Workspace(makeRoot({ '.shipshape.json': '{ "rules": { "invalid-suppression": "off" } }', 'a.ts': '// shipshape-ignore-next-line probe -- x\nconst a = 1;\n' }), { rules: [probe], knownRules: known });
  assert.deepEqual(quiet.analyzeFile('a.ts')?.findings, []);
});

test('a broken .shipshape.json yields precise problems and the defaults keep working', () => {
  const root = makeRoot({ '.shipshape.json': '{ "rules": { "probe": "loud" } }', 'a.ts': 'const a = "flag";' });
  const workspace = open(root);
  assert.deepEqual(workspace.configProblems.map((problem) => problem.path), ['rules.probe']);
  assert.equal(workspace.analyzeFile('a.ts')?.findings.length, 1);

  const invalidJson = open(makeRoot({ '.shipshape.json': '{ "rules": ', 'a.ts': '' }));
  assert.match(invalidJson.configProblems[0]?.message ?? '', /not valid JSON/);
  const unknownRule = open(makeRoot({ '.shipshape.json': '{ "rules": { "nope": "off" } }' }));
  assert.deepEqual(unknownRule.configProblems, [{ path: 'rules.nope', message: 'unknown rule "nope"' }]);
});

test('parseConfig keeps every valid entry of a file with invalid ones, and reports each invalid one', () => {
  const known = new Set(['a', 'b']);
  const mixed = parseConfig(JSON.stringify({ rules: { a: 'off', b: 'loud', c: 'error' }, exclude: ['gen/', 3], publicRoutes: '/api/*', extra: true }), known);
  assert.equal(mixed.ok, false);
  assert.deepEqual(mixed.config, { rules: { a: 'off' }, exclude: ['gen/'] });
  assert.deepEqual(
    mixed.ok ? [] : mixed.problems.map((problem) => problem.path),
    ['rules.b', 'exclude.1', 'publicRoutes', 'extra', 'rules.c'],
  );
  assert.deepEqual(parseConfig('[1]', known), { ok: false, config: DEFAULT_CONFIG, problems: [{ path: '', message: 'expected a JSON object' }] });
  assert.deepEqual(parseConfig('{ "rules": { "a": "warning" }, "exclude": ["x"] }', known), { ok: true, config: { rules: { a: 'warning' }, exclude: ['x'] } });
  const broken = parseConfig('{\n  "rules": {\n    "a": "off",\n  }\n}', known);
  assert.equal(broken.config, DEFAULT_CONFIG);
  assert.match(broken.ok ? '' : (broken.problems[0]?.message ?? ''), /^not valid JSON: .* at line 4, column 3$/);
});

test('config turns rules off and changes severity', () => {
  const root = makeRoot({ '.shipshape.json': '{ "rules": { "probe": "info" } }', 'a.ts': 'const a = "flag";' });
  assert.equal(open(root).analyzeFile('a.ts')?.findings[0]?.severity, 'info');
  const off = makeRoot({ '.shipshape.json': '{ "rules": { "probe": "off" } }', 'a.ts': 'const a = "flag";' });
  assert.deepEqual(open(off).analyzeFile('a.ts')?.findings, []);
});

test('an edit re-analyzes only that file; project inputs invalidate everything', () => {
  const root = makeRoot({ 'a.ts': 'const a = "flag";', 'b.ts': 'const b = "flag";', 'package.json': '{}' });
  const workspace = open(root);
  const first = workspace.analyzeFile('b.ts');
  assert.deepEqual(workspace.setText('a.ts', 'const a = "safe";'), { projectWide: false, dependents: [] });
  assert.deepEqual(workspace.analyzeFile('a.ts')?.findings, []);
  assert.equal(workspace.analyzeFile('b.ts'), first, 'b.ts result reused');
  assert.deepEqual(workspace.setText('package.json', '{ "dependencies": { "pg": "^8" } }'), { projectWide: true, dependents: ['a.ts', 'b.ts'] });
  assert.notEqual(workspace.analyzeFile('b.ts'), first, 'b.ts re-analyzed after package.json changed');
  assert.ok(workspace.project.dependencies.has('pg'));
});

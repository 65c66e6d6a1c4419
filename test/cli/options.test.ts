// Paths (root and union), --rule, --output, --verbose and skipped files, and
// .shipshape.json problems reported as a warning while the scan goes on.
import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonReportSchema, type JsonReport } from '../../server/src/cli/jsonReport';
import { makeWorkspace, runCli, SHOP, WARNING_ONLY } from './support';

const suppression = WARNING_ONLY['src/util.ts'];

function json(args: readonly string[], cwd?: string): JsonReport {
  const run = runCli(['scan', ...args, '--format', 'json'], { cwd });
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  return JsonReportSchema.parse(JSON.parse(run.stdout));
}

test('several paths: the first sets the root, the report covers the union of the rest', () => {
  const root = makeWorkspace({ 'src/a.ts': suppression, 'src/b.ts': suppression, 'src/lib/c.ts': suppression, 'src/lib/deep/d.ts': suppression, 'other/e.ts': suppression });
  const report = json([join(root, 'src', 'a.ts'), join(root, 'src', 'lib')]);
  assert.equal(report.root, join(root, 'src'));
  assert.deepEqual(report.files, ['a.ts', 'lib/c.ts', 'lib/deep/d.ts']);
  assert.deepEqual(report.findings.map((finding) => finding.path), ['a.ts', 'lib/c.ts', 'lib/deep/d.ts']);

  const relativeRun = json(['.', 'src/b.ts', 'other'], root);
  assert.equal(relativeRun.root, root);
  assert.deepEqual(relativeRun.files, ['other/e.ts', 'src/a.ts', 'src/b.ts', 'src/lib/c.ts', 'src/lib/deep/d.ts'], 'the root itself covers everything');
  assert.deepEqual(json(['src', 'src/lib/c.ts'], root).files, ['a.ts', 'b.ts', 'lib/c.ts', 'lib/deep/d.ts']);
});

test('--rule limits findings to the named rules (repeatable, comma-separated)', () => {
  const onlySecrets = json([SHOP, '--rule', 'hardcoded-secret']);
  assert.ok(onlySecrets.findings.length > 0);
  assert.ok(onlySecrets.findings.every((finding) => finding.ruleId === 'hardcoded-secret'));
  const both = json([SHOP, '--rule', 'hardcoded-secret,sql-injection']);
  assert.deepEqual([...new Set(both.findings.map((finding) => finding.ruleId))].sort(), ['hardcoded-secret', 'sql-injection']);
  assert.deepEqual(json([SHOP, '--rule', 'hardcoded-secret', '--rule', 'sql-injection']).findings, both.findings);

  const root = makeWorkspace(WARNING_ONLY);
  assert.equal(json([root, '--rule', 'sql-injection']).findings.length, 0, 'engine-reported findings are filtered too');
  assert.equal(json([root, '--rule', 'invalid-suppression']).findings.length, 1);
});

test('--output writes the report to the file and nothing to stdout', () => {
  const root = makeWorkspace(WARNING_ONLY);
  const run = runCli(['scan', root, '--format', 'json', '--output', 'report.json'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '');
  const report = JsonReportSchema.parse(JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')));
  assert.equal(report.findings.length, 1);

  const again = runCli(['scan', root, '--format', 'json', '--output', 'report.json'], { cwd: root });
  assert.deepEqual(JsonReportSchema.parse(JSON.parse(readFileSync(join(root, 'report.json'), 'utf8'))).files, ['src/util.ts'], 'the previous report is not scanned');
  assert.equal(again.status, 0);

  const elsewhere = makeWorkspace({});
  const text = runCli(['scan', makeWorkspace(WARNING_ONLY), '-o', join(elsewhere, 'report.txt')]);
  assert.equal(text.stdout, '');
  assert.match(readFileSync(join(elsewhere, 'report.txt'), 'utf8'), /✖ 1 problem \(0 errors, 1 warning\)/);
});

test('skipped files: a count on stderr, and --verbose lists each with its reason', () => {
  const root = makeWorkspace({
    'src/app.ts': 'export const app = 1;\n',
    'src/logo.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
    'node_modules/pkg/index.js': 'module.exports = 1;\n',
  });
  const quiet = runCli(['scan', root]);
  assert.equal(quiet.status, 0);
  assert.match(quiet.stderr, /^shipshape: skipped 2 paths .*--verbose lists them$/m);
  assert.match(quiet.stdout, /No problems found in 1 file/);

  const verbose = runCli(['scan', root, '--verbose']);
  assert.match(verbose.stderr, /^shipshape: skipped 2 paths:$/m);
  assert.match(verbose.stderr, /^ {2}\S*node_modules: dependency, build or cache folder$/m);
  assert.match(verbose.stderr, /^ {2}\S*src\/logo\.ts: binary file$/m);

  const report = json([root]);
  assert.deepEqual(report.skipped, [
    { path: 'node_modules', reason: 'dependency, build or cache folder' },
    { path: 'src/logo.ts', reason: 'binary file' },
  ]);
  assert.equal(report.summary.filesSkipped, 2);
});

test('a named file that is not analyzable is reported as skipped, with the reason', () => {
  const root = makeWorkspace({ 'README.md': '# hi\n', 'dist/bundle.ts': 'export {};\n', 'src/a.ts': '' });
  const report = json([root, join(root, 'README.md'), join(root, 'dist', 'bundle.ts')]);
  assert.ok(report.skipped.some((skip) => skip.path === 'README.md' && /not a kind of file/.test(skip.reason)));
  assert.ok(report.skipped.some((skip) => skip.path === 'dist'));
  const onlyIgnored = json([join(root, 'README.md')]);
  assert.deepEqual(onlyIgnored.files, []);
});

test('.shipshape.json is honoured: rules off, severities, excludes', () => {
  const files = { ...WARNING_ONLY, 'scripts/seed.ts': suppression };
  const off = makeWorkspace({ ...files, '.shipshape.json': JSON.stringify({ rules: { 'invalid-suppression': 'off' } }) });
  assert.equal(json([off]).findings.length, 0);
  const raised = makeWorkspace({ ...files, '.shipshape.json': JSON.stringify({ rules: { 'invalid-suppression': 'error' }, exclude: ['scripts/'] }) });
  const report = json([raised]);
  assert.deepEqual(report.findings.map((finding) => [finding.path, finding.severity]), [['src/util.ts', 'error']]);
  assert.ok(report.skipped.some((skip) => skip.path === 'scripts' && skip.reason === 'excluded by configuration'));
  assert.equal(runCli(['scan', raised]).status, 1);
});

test('a broken .shipshape.json is a clear warning (file, JSON path, message); its valid entries still apply', () => {
  const badValue = makeWorkspace({ ...WARNING_ONLY, 'scripts/seed.ts': 'export {};\n', '.shipshape.json': JSON.stringify({ rules: { 'invalid-suppression': 'loud' }, exclude: ['scripts/'] }) });
  const run = runCli(['scan', badValue, '--verbose']);
  assert.equal(run.status, 0, 'the warning does not fail the scan');
  assert.match(run.stderr, /^shipshape: warning: \S*\.shipshape\.json has problems; the invalid entries are ignored:$/m);
  assert.match(run.stderr, /^ {2}\S*\.shipshape\.json: rules\.invalid-suppression: .+$/m);
  assert.match(run.stdout, /✖ 1 problem \(0 errors, 1 warning\)/, 'default severity used for the rule whose setting is invalid');
  assert.match(run.stderr, /scripts: excluded by configuration/, 'the valid exclude beside it applies');

  const notJson = makeWorkspace({ ...WARNING_ONLY, '.shipshape.json': '{\n  "rules": {},\n}\n' });
  const notJsonRun = runCli(['scan', notJson]);
  assert.match(notJsonRun.stderr, /^shipshape: warning: ignoring \S*\.shipshape\.json and using the default configuration:$/m);
  assert.match(notJsonRun.stderr, /\.shipshape\.json: not valid JSON: .* at line 3, column 1$/m);
  assert.match(notJsonRun.stdout, /1 problem/);

  const unknownRule = makeWorkspace({ ...WARNING_ONLY, '.shipshape.json': JSON.stringify({ rules: { 'no-such-rule': 'off' } }) });
  const unknownRun = runCli(['scan', unknownRule, '--format', 'json']);
  assert.match(unknownRun.stderr, /has problems; the invalid entries are ignored:\n {2}\S*\.shipshape\.json: rules\.no-such-rule: unknown rule "no-such-rule"/);
  const report = JsonReportSchema.parse(JSON.parse(unknownRun.stdout));
  assert.deepEqual(report.configProblems, [{ file: '.shipshape.json', path: 'rules.no-such-rule', message: 'unknown rule "no-such-rule"' }]);
});

test('nothing but the report on stdout, and no progress line on a non-terminal stderr', () => {
  const run = runCli(['scan', SHOP, '--format', 'json']);
  assert.doesNotThrow(() => JSON.parse(run.stdout));
  assert.ok(!run.stderr.includes('\r') && !run.stderr.includes('analyzing'), 'no progress when stderr is not a TTY');
});

test('scanning files from the project folder keeps the project around them: its config, package.json, schema and routers', () => {
  const root = makeWorkspace({
    'package.json': '{ "dependencies": { "express": "^4.19.2", "pg": "^8.12.0" } }\n',
    '.shipshape.json': JSON.stringify({ rules: { 'sql-injection': 'warning' } }),
    'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
    'src/routes/orders.ts': [
      "import { Router } from 'express';",
      "import { pool } from '../db';",
      'export const orders = Router();',
      "orders.get('/:id', async (req, res) => res.json(await pool.query(`SELECT * FROM orders WHERE id = ${req.params.id}`)));",
      '',
    ].join('\n'),
    'lib/util.ts': 'export const one = 1;\n',
  });
  const run = runCli(['scan', 'src/routes/orders.ts', 'lib/util.ts', '--format', 'json', '--fail-on', 'none'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  const report = JsonReportSchema.parse(JSON.parse(run.stdout));
  assert.equal(report.root, realpathSync(root), 'the project folder is the root, not src/routes');
  assert.deepEqual(report.files, ['lib/util.ts', 'src/routes/orders.ts'], 'only the named files are reported on, wherever they are');
  const injection = report.findings.find((finding) => finding.ruleId === 'sql-injection');
  assert.equal(injection?.severity, 'warning', "the project's .shipshape.json applies");

  // Run from elsewhere, the paths' shared folder stays the root, as before.
  const outside = runCli(['scan', join(root, 'src/routes/orders.ts'), '--format', 'json', '--fail-on', 'none']);
  assert.equal(JsonReportSchema.parse(JSON.parse(outside.stdout)).root, join(realpathSync(root), 'src/routes'));
});

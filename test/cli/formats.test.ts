// Each report format on the sample app: every sql-injection and hardcoded-secret
// finding promised by examples/shop-api/expected-findings.json is reported, at its
// line, and nothing from those rules lands on the safe look-alikes in EXPECTED.md.
import assert from 'node:assert/strict';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { Log } from 'sarif';
import { JsonReportSchema } from '../../server/src/cli/jsonReport';
import { COVERED_RULES, EXPECTED, type ExpectedFinding, key, makeWorkspace, REPO, runCli, SAFE_LINES, SHOP } from './support';

const shopPath = relative(REPO, SHOP).split('\\').join('/');

function checkAgainstExpected(reported: readonly ExpectedFinding[]): void {
  const found = new Set(reported.filter((row) => COVERED_RULES.has(row.ruleId)).map(key));
  const missing = EXPECTED.filter((row) => !found.has(key(row))).map(key);
  assert.deepEqual(missing, [], `expected findings not reported:\n${missing.join('\n')}\nreported:\n${[...found].join('\n')}`);
  const onSafeLines = SAFE_LINES.filter((row) => found.has(key(row))).map(key);
  assert.deepEqual(onSafeLines, [], `findings on safe look-alikes:\n${onSafeLines.join('\n')}`);
  // users.ts builds the SQL on line 41 and runs it on 42: one finding, not two.
  assert.ok(!(found.has('src/routes/users.ts:41 sql-injection') && found.has('src/routes/users.ts:42 sql-injection')), 'users.ts:41/42 reported twice');
}

test('text: findings grouped by file as `line:col  severity  message  rule-id`, with a summary', () => {
  const run = runCli(['scan', shopPath]);
  assert.equal(run.status, 1, run.stderr);
  assert.doesNotMatch(run.stdout, /\x1b\[/, 'no colors when stdout is not a terminal');
  const rows: ExpectedFinding[] = [];
  let file: string | undefined;
  let summary: string | undefined;
  for (const line of run.stdout.split('\n')) {
    const row = /^ {2}(\d+):(\d+) +(error|warning|info) +(\S.*?) +([a-z0-9-]+)$/.exec(line);
    if (row) {
      assert.ok(file, `row before any file header: ${line}`);
      rows.push({ path: relative(shopPath, file).split('\\').join('/'), line: Number(row[1]), ruleId: row[5] ?? '' });
    } else if (/^[✖✔]/.test(line)) summary = line;
    else if (line.trim() !== '' && !line.startsWith('  ')) file = line;
  }
  checkAgainstExpected(rows);
  assert.ok(rows.every((row) => !isAbsolute(row.path) && !row.path.startsWith('..')), 'paths shown relative to the working directory');
  const counts = /^✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?(?:, (\d+) infos?)?\)$/.exec(summary ?? '');
  assert.ok(counts, `summary line: ${summary}`);
  assert.equal(Number(counts[1]), rows.length);
  assert.equal(Number(counts[2]) + Number(counts[3]) + Number(counts[4] ?? 0), rows.length);
});

test('text: a clean workspace says so and exits 0', () => {
  const root = makeWorkspace({ 'src/index.ts': 'export const greeting = "hello";\n' });
  const run = runCli(['scan', root]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.equal(run.stdout, '✔ No problems found in 1 file\n');
  assert.equal(run.stderr, '');
});

test('json: validates against the exported schema and lists the expected findings with 1-based positions', () => {
  const run = runCli(['scan', shopPath, '--format', 'json']);
  assert.equal(run.status, 1, run.stderr);
  const report = JsonReportSchema.parse(JSON.parse(run.stdout));
  assert.equal(report.version, 1);
  assert.equal(report.root, SHOP);
  checkAgainstExpected(report.findings);
  for (const row of EXPECTED) assert.ok(report.files.includes(row.path), `${row.path} analyzed`);
  for (const finding of report.findings) {
    assert.ok(finding.line >= 1 && finding.column >= 1, key(finding));
    for (const fix of finding.fixes) assert.equal(typeof fix.safe, 'boolean');
  }
  assert.equal(report.summary.filesAnalyzed, report.files.length);
  assert.equal(report.summary.problems, report.findings.length);
  assert.equal(report.summary.errors, report.findings.filter((finding) => finding.severity === 'error').length);
  assert.equal(report.summary.safelyFixable, report.findings.filter((finding) => finding.fixes.some((fix) => fix.safe)).length);
  assert.equal(report.fixes, undefined, 'no fixes section without --fix');
});

test('sarif: results at the expected files and lines', () => {
  const run = runCli(['scan', shopPath, '--format', 'sarif']);
  assert.equal(run.status, 1, run.stderr);
  const log = JSON.parse(run.stdout) as Log;
  const run0 = log.runs[0];
  assert.ok(run0);
  const base = run0.originalUriBaseIds?.['%SRCROOT%']?.uri;
  assert.ok(base, 'originalUriBaseIds.%SRCROOT%');
  const rows = (run0.results ?? []).map((result) => {
    const location = result.locations?.[0]?.physicalLocation;
    const absolute = fileURLToPath(new URL(location?.artifactLocation?.uri ?? '', base));
    return { path: relative(SHOP, absolute).split('\\').join('/'), line: location?.region?.startLine ?? 0, ruleId: result.ruleId ?? '' };
  });
  checkAgainstExpected(rows);
});

test('json: no sql-injection or hardcoded-secret finding beyond expected-findings.json', () => {
  const report = JsonReportSchema.parse(JSON.parse(runCli(['scan', shopPath, '--format', 'json']).stdout));
  const expected = new Set(EXPECTED.map(key));
  const extra = report.findings.filter((finding) => COVERED_RULES.has(finding.ruleId) && !expected.has(key(finding))).map(key);
  assert.deepEqual(extra, [], `reported but not in expected-findings.json:\n${extra.join('\n')}`);
});

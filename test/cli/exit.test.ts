// Exit codes (0 clean, 1 findings at/above --fail-on, 2 usage or internal error)
// and one-line usage errors with no stack trace.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import packageJson from '../../package.json';
import { makeWorkspace, runCli, SHOP, WARNING_ONLY } from './support';

const NO_STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

test('--fail-on: errors fail by default; warnings only with warning or info; none never fails', () => {
  assert.equal(runCli(['scan', SHOP]).status, 1, 'the sample app has errors');
  assert.equal(runCli(['scan', SHOP, '--fail-on', 'none']).status, 0);
  assert.equal(runCli(['scan', SHOP, '--fail-on', 'warning']).status, 1);

  const warningsOnly = makeWorkspace(WARNING_ONLY);
  const byDefault = runCli(['scan', warningsOnly]);
  assert.equal(byDefault.status, 0, 'a warning does not fail the default --fail-on error');
  assert.match(byDefault.stdout, /^✖ 1 problem \(0 errors, 1 warning\)$/m);
  assert.equal(runCli(['scan', warningsOnly, '--fail-on', 'error']).status, 0);
  assert.equal(runCli(['scan', warningsOnly, '--fail-on', 'warning']).status, 1);
  assert.equal(runCli(['scan', warningsOnly, '--fail-on', 'info']).status, 1);
  assert.equal(runCli(['scan', warningsOnly, '--fail-on', 'none']).status, 0);

  const clean = makeWorkspace({ 'index.ts': 'export const ok = true;\n' });
  assert.equal(runCli(['scan', clean, '--fail-on', 'info']).status, 0);
});

const usageErrors: { args: string[]; message: string | RegExp }[] = [
  { args: ['scan', 'does-not-exist'], message: 'shipshape: path does not exist: does-not-exist' },
  { args: ['scan', '.', 'also/missing.ts'], message: 'shipshape: path does not exist: also/missing.ts' },
  { args: ['scan', '--frobnicate'], message: 'shipshape: unknown option: --frobnicate' },
  { args: ['scan', '-x'], message: 'shipshape: unknown option: -x' },
  { args: ['scan', '--format', 'xml'], message: 'shipshape: invalid --format value "xml" (expected text, json or sarif)' },
  { args: ['scan', '--format'], message: 'shipshape: --format needs a value' },
  { args: ['scan', '--fail-on', 'critical'], message: 'shipshape: invalid --fail-on value "critical" (expected error, warning, info or none)' },
  { args: ['scan', '--fix=yes'], message: 'shipshape: --fix does not take a value' },
  { args: ['scan', '--rule', 'sql-injections'], message: 'shipshape: unknown rule id: sql-injections' },
  { args: ['scan', '--output', 'no/such/folder/report.json'], message: 'shipshape: cannot write output file no/such/folder/report.json: folder no/such/folder does not exist' },
  { args: ['scan', '--output', 'examples'], message: 'shipshape: cannot write output file examples: it is a folder' },
  { args: ['scan', 'examples/shop-api', '--output', 'examples/shop-api/src/db.ts'], message: "shipshape: cannot write output file examples/shop-api/src/db.ts: it is one of the project's own files (source, schema, env or config), not a report; choose another path" },
  { args: ['scan', 'examples/shop-api', '--write-baseline', 'package.json'], message: "shipshape: cannot write baseline package.json: it is one of the project's own files (source, schema, env or config), not a report; choose another path" },
  { args: ['scna'], message: 'shipshape: unknown command: scna' },
  { args: [], message: 'shipshape: missing command' },
];

for (const { args, message } of usageErrors) {
  test(`usage error: shipshape ${args.join(' ')}`, () => {
    const run = runCli(args);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '', 'nothing on stdout');
    const [first] = run.stderr.split('\n');
    if (typeof message === 'string') assert.equal(first, message);
    else assert.match(first ?? '', message);
    assert.doesNotMatch(run.stderr, NO_STACK, 'no stack trace');
    assert.ok(run.stderr.split('\n').filter(Boolean).length <= 2, `at most a message and a hint:\n${run.stderr}`);
  });
}

test('an unknown rule id lists the valid ids', () => {
  const run = runCli(['scan', '--rule', 'nope,sql-injection']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^shipshape: unknown rule id: nope$/m);
  for (const id of KNOWN_RULE_IDS) assert.ok(run.stderr.includes(id), `lists ${id}`);
});

test('SHIPSHAPE_DEBUG=1 adds the stack; without it user errors never show one', () => {
  const plain = runCli(['scan', 'missing-path']);
  assert.doesNotMatch(plain.stderr, NO_STACK);
  const debug = runCli(['scan', 'missing-path'], { env: { SHIPSHAPE_DEBUG: '1' } });
  assert.equal(debug.status, 2);
  assert.match(debug.stderr, /^shipshape: path does not exist: missing-path$/m);
  assert.match(debug.stderr, /CliError/);
});

test('--help and --version exit 0 on stdout', () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const run = runCli(args);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: shipshape <command>/);
  }
  for (const args of [['scan', '--help'], ['help', 'scan']]) {
    const run = runCli(args);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: shipshape scan \[paths\.\.\.\] \[options\]/);
    for (const flag of ['--format', '--output', '--fail-on', '--rule', '--fix', '--verbose']) assert.ok(run.stdout.includes(flag), flag);
  }
  for (const args of [['--version'], ['-v']]) {
    const run = runCli(args);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, `${packageJson.version}\n`);
  }
});

test('a file path works as the root too, and --fail-on none still exits 2 on usage errors', () => {
  const root = makeWorkspace(WARNING_ONLY);
  const run = runCli(['scan', join(root, 'src', 'util.ts'), '--format', 'json']);
  assert.equal(run.status, 0);
  assert.equal(runCli(['scan', join(root, 'nope'), '--fail-on', 'none']).status, 2);
});

// In-process tests of the CLI's pure parts: argument parsing, the text formatter's
// colors, the TTY progress line and error reporting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandLine, type ScanCommand } from '../../server/src/cli/args';
import { CliError, reportError } from '../../server/src/cli/errors';
import { COLOR, PLAIN, useColor } from '../../server/src/cli/formats/ansi';
import { formatText } from '../../server/src/cli/formats/text';
import { Progress } from '../../server/src/cli/progress';
import { formatConfigNotes, formatNotes } from '../../server/src/cli/notes';
import type { ScanResult } from '../../server/src/cli/scanResult';
import { exitCode } from '../../server/src/cli/summary';
import type { Finding } from '../../server/src/engine';

const known = new Set(['sql-injection', 'hardcoded-secret', 'invalid-suppression']);

test('parseCommandLine: defaults, short flags, repeated and comma-separated --rule', () => {
  const scan = parseCommandLine(['scan'], known) as ScanCommand;
  assert.deepEqual(scan, { command: 'scan', paths: ['.'], format: 'text', output: undefined, failOn: 'error', rules: [], fix: false, verbose: false, baseline: undefined, writeBaseline: undefined, jobs: 'auto' });
  const full = parseCommandLine(['scan', 'src', 'lib/a.ts', '-f', 'sarif', '-o', 'out.sarif', '--fail-on', 'warning', '--rule', 'sql-injection,hardcoded-secret', '--rule', 'sql-injection', '--fix', '--verbose'], known);
  assert.deepEqual(full, {
    command: 'scan',
    paths: ['src', 'lib/a.ts'],
    format: 'sarif',
    output: 'out.sarif',
    failOn: 'warning',
    rules: ['sql-injection', 'hardcoded-secret'],
    fix: true,
    verbose: true,
    baseline: undefined,
    writeBaseline: undefined,
    jobs: 'auto',
  });
  assert.deepEqual(parseCommandLine(['scan', '--jobs', '1'], known), { ...scan, jobs: 1 });
  assert.deepEqual(parseCommandLine(['scan', '--jobs=3'], known), { ...scan, jobs: 3 });
  assert.deepEqual(parseCommandLine(['scan', '--format=json'], known), { ...scan, format: 'json' });
  assert.deepEqual(parseCommandLine(['scan', '--', '--odd-name'], known), { ...scan, paths: ['--odd-name'] });
  assert.deepEqual(parseCommandLine(['--version'], known), { command: 'version' });
  assert.deepEqual(parseCommandLine(['scan', '-h'], known), { command: 'help', topic: 'scan' });
});

test('parseCommandLine: usage errors are CliErrors with one-line messages', () => {
  const cases: [string[], string][] = [
    [['scan', '--rule', ''], '--rule needs a rule id'],
    [['scan', '--rule', 'a,b'], 'unknown rule ids: a, b'],
    [['scan', '--output', ''], '--output needs a file name'],
    [['scan', '-f', 'html'], 'invalid --format value "html" (expected text, json or sarif)'],
    [['scan', '-o'], '--output needs a value'],
    [['lint'], 'unknown command: lint'],
    [['--bogus'], 'unknown option: --bogus'],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseCommandLine(argv, known), (error: unknown) => error instanceof CliError && error.message === message && !error.message.includes('\n'), argv.join(' '));
  }
});

test('reportError: a CliError is its message; anything else one line, with the stack only under SHIPSHAPE_DEBUG=1', () => {
  let out = '';
  const write = (text: string): void => {
    out += text;
  };
  assert.equal(reportError(new CliError('path does not exist: x', 'a hint'), {}, write), 2);
  assert.equal(out, 'shipshape: path does not exist: x\na hint\n');
  out = '';
  assert.equal(reportError(new TypeError('cannot read properties of undefined'), {}, write), 2);
  assert.equal(out, 'shipshape: internal error: cannot read properties of undefined\n(set SHIPSHAPE_DEBUG=1 to print the stack trace)\n');
  out = '';
  reportError(new TypeError('boom'), { SHIPSHAPE_DEBUG: '1' }, write);
  assert.match(out, /^shipshape: internal error: TypeError: boom\n\s+at /);
});

function finding(path: string, line: number, severity: Finding['severity'], ruleId: string, safeFix = false): Finding {
  return {
    ruleId,
    severity,
    message: `${ruleId} message`,
    path,
    range: { start: { line, character: 4 }, end: { line, character: 10 } },
    offset: { start: 0, end: 6 },
    snippet: 'x',
    fixes: safeFix ? [{ id: 'f', title: 'Fix it', safe: true, preferred: true, changes: [] }] : [],
  };
}

function result(findings: Finding[], files = ['a.ts', 'b.ts']): ScanResult {
  return { root: '/r', files, skipped: [], findings, errors: [], configProblems: [], configIgnored: false, rules: [], fixes: undefined, droppedFixes: 0 };
}

test('text: aligned rows per file, summary counts, fix hint; colors only with the color style', () => {
  const findings = [finding('a.ts', 8, 'error', 'sql-injection', true), finding('a.ts', 119, 'warning', 'invalid-suppression'), finding('b.ts', 0, 'info', 'x')];
  const plain = formatText(result(findings), { style: PLAIN, displayPath: (path) => `src/${path}`, fixed: false });
  assert.equal(
    plain,
    [
      '',
      'src/a.ts',
      '  9:5    error    sql-injection message        sql-injection',
      '  120:5  warning  invalid-suppression message  invalid-suppression',
      '',
      'src/b.ts',
      '  1:5  info  x message  x',
      '',
      '✖ 3 problems (1 error, 1 warning, 1 info)',
      '  1 problem has a safe fix: run with --fix to verify and apply.',
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(plain, /\x1b\[/);
  const colored = formatText(result(findings), { style: COLOR, displayPath: (path) => path, fixed: true });
  assert.match(colored, /\x1b\[31merror/);
  assert.match(colored, /\x1b\[33mwarning/);
  assert.doesNotMatch(colored, /--fix/, 'no hint after --fix');
  assert.equal(formatText(result([], ['a.ts']), { style: PLAIN, displayPath: (path) => path, fixed: false }), '✔ No problems found in 1 file\n');
  assert.equal(formatText(result([], []), { style: PLAIN, displayPath: (path) => path, fixed: false }), '✔ No problems found in 0 files\n');
});

test('useColor: only on a TTY, and NO_COLOR (non-empty) turns it off', () => {
  assert.equal(useColor({ isTTY: true }, {}), true);
  assert.equal(useColor({ isTTY: false }, {}), false);
  assert.equal(useColor({}, {}), false);
  assert.equal(useColor({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(useColor({ isTTY: true }, { NO_COLOR: '' }), true);
});

test('progress: silent off a TTY; on a TTY, appears after the delay, throttles, and clears', () => {
  let clock = 0;
  const writes: string[] = [];
  const pipe = new Progress({ isTTY: false, write: (text: string) => writes.push(text) }, { now: () => clock });
  clock = 10_000;
  pipe.files(1, 2);
  pipe.phase('applying safe fixes');
  pipe.clear();
  assert.equal(writes.length, 0);

  clock = 0;
  const tty = new Progress({ isTTY: true, columns: 80, write: (text: string) => writes.push(text) }, { now: () => clock, delayMs: 100, intervalMs: 50 });
  tty.files(1, 10);
  assert.equal(writes.length, 0, 'short scans print nothing');
  tty.clear();
  assert.equal(writes.length, 0, 'nothing to clear');
  clock = 150;
  tty.files(2, 10);
  clock = 160;
  tty.files(3, 10);
  clock = 210;
  tty.files(4, 10);
  assert.deepEqual(writes, ['\rshipshape: analyzing 2/10 files\x1b[K', '\rshipshape: analyzing 4/10 files\x1b[K']);
  tty.phase('applying safe fixes');
  tty.clear();
  assert.deepEqual(writes.slice(2), ['\rshipshape: applying safe fixes\x1b[K', '\r\x1b[K']);

  const unknownWidth: string[] = [];
  new Progress({ isTTY: true, columns: 0, write: (text: string) => unknownWidth.push(text) }, { now: () => 1_000, delayMs: 0 }).files(12, 345);
  assert.deepEqual(unknownWidth, ['\rshipshape: analyzing 12/345 files\x1b[K'], 'a terminal of unknown width is not truncated to nothing');
});

test('exit code: internal errors make it 2 (the scan is incomplete), else --fail-on decides', () => {
  const warning = finding('a.ts', 0, 'warning', 'x');
  const crash = { ruleId: 'x', path: 'a.ts', message: 'rule crashed: boom' };
  assert.equal(exitCode({ findings: [], errors: [] }, 'error'), 0);
  assert.equal(exitCode({ findings: [warning], errors: [] }, 'error'), 0);
  assert.equal(exitCode({ findings: [warning], errors: [] }, 'warning'), 1);
  assert.equal(exitCode({ findings: [], errors: [crash] }, 'none'), 2);
  assert.equal(exitCode({ findings: [warning], errors: [crash] }, 'warning'), 2);
});

test('stderr notes: config problems first, then fixes, skipped paths and internal errors', () => {
  const show = (path: string): string => `app/${path}`;
  const base = result([]);
  assert.equal(formatConfigNotes(base, show), '');
  assert.equal(formatNotes(base, true, show), '');
  const broken: ScanResult = { ...base, configProblems: [{ path: 'rules.sql-injection', message: 'Invalid option' }, { path: '', message: 'not valid JSON' }], configIgnored: true };
  assert.equal(
    formatConfigNotes(broken, show),
    'shipshape: warning: ignoring app/.shipshape.json and using the default configuration:\n  app/.shipshape.json: rules.sql-injection: Invalid option\n  app/.shipshape.json: not valid JSON\n',
  );
  const full: ScanResult = {
    ...base,
    fixes: { applied: [{ ruleId: 'r', fixId: 'f', path: 'a.ts' }, { ruleId: 'r', fixId: 'f', path: 'a.ts' }], written: ['a.ts', '.env.example'], created: ['.env.example'], notCreated: ['.env'], notWritten: [{ path: 'c.ts', reason: 'it changed on disk while fixing' }] },
    skipped: [{ path: 'node_modules', reason: 'dependency, build or cache folder' }],
    errors: [{ ruleId: 'sql-injection', path: 'b.ts', message: 'rule crashed: boom' }],
    droppedFixes: 1,
  };
  const quiet = formatNotes(full, false, show);
  assert.match(quiet, /^shipshape: applied 2 safe fixes in 2 files: app\/a\.ts, app\/\.env\.example$/m);
  assert.match(quiet, /^shipshape: warning: did not create app\/\.env: it appeared while fixing; nothing was overwritten$/m);
  assert.match(quiet, /^shipshape: warning: did not write the fixes for app\/c\.ts: it changed on disk while fixing; the file is unchanged$/m);
  assert.match(quiet, /^shipshape: skipped 1 path \(.*\); --verbose lists them$/m);
  assert.match(quiet, /^shipshape: error: 1 internal error; the scan is incomplete for these files:\n {2}app\/b\.ts: sql-injection: rule crashed: boom$/m);
  assert.doesNotMatch(quiet, /verification/);
  const verbose = formatNotes(full, true, show);
  assert.match(verbose, /^shipshape: skipped 1 path:\n {2}app\/node_modules: dependency, build or cache folder$/m);
  assert.match(verbose, /^shipshape: 1 fix failed verification and was not offered$/m);
});

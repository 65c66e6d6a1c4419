// `shipshape scorecard` on the sample app: the same numbers in text, Markdown and
// JSON, and the same as the engine's scorecardForWorkspace (what the editor panel
// calls); --min-score as a CI gate; Markdown that workspace content cannot break.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { ALL_RULE_META, KNOWN_RULE_IDS } from '../../rules/meta';
import { PLAIN, COLOR } from '../../server/src/cli/formats/ansi';
import { mdCode, mdInline, mdText } from '../../server/src/cli/formats/markdown';
import { formatScorecardMarkdown } from '../../server/src/cli/formats/scorecardMarkdown';
import { formatScorecardText } from '../../server/src/cli/formats/scorecardText';
import { type Scorecard, ScorecardSchema, scorecardForWorkspace } from '../../server/src/engine/scorecard/index';
import { Workspace } from '../../server/src/engine/workspace';
import { INJECTABLE_APP, makeWorkspace, REPO, runCli, SHOP } from './support';

const shopPath = relative(REPO, SHOP).split('\\').join('/');
const LABELS = ['Security', 'Data', 'Reliability', 'Observability', 'Delivery', 'Compliance', 'Cost'];

interface Numbers {
  score: number;
  grade: string;
  /** Dimension label → score, or `n/a`. */
  dimensions: Record<string, string>;
}

function fromJson(card: Scorecard): Numbers {
  const dimensions: Record<string, string> = {};
  for (const [index, dimension] of card.dimensions.entries()) dimensions[LABELS[index] ?? ''] = dimension.applicable ? String(dimension.score) : 'n/a';
  return { score: card.score, grade: card.grade, dimensions };
}

function fromText(text: string): Numbers {
  const overall = /^Production readiness: (\d+)\/100 \(([A-F])\)$/m.exec(text);
  assert.ok(overall, `no overall line in:\n${text}`);
  const dimensions: Record<string, string> = {};
  for (const match of text.matchAll(/^ {2}([A-Z][a-z]+) +[█░·]{20} +(\d+|n\/a) {2}/gm)) dimensions[match[1] ?? ''] = match[2] ?? '';
  return { score: Number(overall[1]), grade: overall[2] ?? '', dimensions };
}

function fromMarkdown(md: string): Numbers {
  const overall = /^## Production readiness: (\d+)\/100 \(([A-F])\)$/m.exec(md);
  assert.ok(overall, `no heading in:\n${md}`);
  const dimensions: Record<string, string> = {};
  for (const match of md.matchAll(/^\| ([A-Z][a-z]+) \| (\d+|n\/a) \|/gm)) dimensions[match[1] ?? ''] = match[2] ?? '';
  return { score: Number(overall[1]), grade: overall[2] ?? '', dimensions };
}

/** Cells of a Markdown table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

test('scorecard: text, md and json report the same numbers, the same as scorecardForWorkspace', () => {
  const json = runCli(['scorecard', shopPath, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  const card = ScorecardSchema.parse(JSON.parse(json.stdout));
  assert.equal(card.version, 1);
  assert.equal(card.dimensions.length, 7);

  const text = runCli(['scorecard', shopPath]);
  assert.equal(text.status, 0, text.stderr);
  const md = runCli(['scorecard', shopPath, '-f', 'md']);
  assert.equal(md.status, 0, md.stderr);

  const expected = fromJson(card);
  assert.deepEqual(Object.keys(expected.dimensions), LABELS);
  assert.deepEqual(fromText(text.stdout), expected, 'text');
  assert.deepEqual(fromMarkdown(md.stdout), expected, 'markdown');

  // The single source: the engine function the language server calls gives the very same scorecard.
  const workspace = new Workspace(SHOP, { rules: RULES, knownRules: KNOWN_RULE_IDS });
  const inProcess = scorecardForWorkspace(workspace, workspace.discover(), { ruleMeta: ALL_RULE_META });
  assert.deepEqual(card, JSON.parse(JSON.stringify(inProcess)));
});

test('scorecard text: bars, top risks with path:line, the checklist with statuses and remedies; no colors on a pipe', () => {
  const run = runCli(['scorecard', shopPath]);
  assert.equal(run.status, 0, run.stderr);
  const out = run.stdout;
  assert.doesNotMatch(out, /\x1b\[/);
  assert.match(out, /^ {2}Security +[█░]{20} +\d+ {2}\d+ findings?/m);
  assert.match(out, /^ {2}Cost +·{20} +n\/a {2}not applicable/m, 'no paid API in the sample: cost does not apply');
  assert.match(out, /^Top risks$/m);
  assert.match(out, /^ +1 +−\d+\.\d +sql-injection +SQL built from untrusted input/m, 'the costliest risk first');
  // Paths relative to the working directory, so a terminal can open them.
  assert.match(out, new RegExp(`^ +${shopPath}/src/routes/search\\.ts:12$`, 'm'));
  assert.match(out, /auth-rate-limit +✖ .*\(security −\d+, failed check\)/);
  assert.match(out, /^Checklist \(\d+ fail, \d+ unknown, \d+ pass, \d+ n\/a\)$/m);
  assert.match(out, /^ {4}✖ fail +CI runs the tests on every push \(ci-runs-tests\)\n +No CI configuration found\.\n +→ Add \.github\/workflows\/ci\.yml/m);
  assert.match(out, /^ {4}✔ pass +A health or readiness route exists \(health-route\)$/m);
  assert.match(out, /^ {4}\? unknown +Errors are reported to an error tracker \(error-tracking\)$/m);
  assert.match(out, /^ {4}– n\/a +Every Supabase table has row-level security \(supabase-rls\)$/m);
});

test('scorecard md: a dimensions table, top risks with `path:line`, the checklist table; every row well-formed', () => {
  const run = runCli(['scorecard', shopPath, '--format', 'md']);
  assert.equal(run.status, 0, run.stderr);
  const md = run.stdout;
  assert.match(md, /^\| Dimension \| Score \|/m);
  assert.match(md, /^### Top risks$/m);
  assert.match(md, /^\| 1 \| SQL built from untrusted input \(`sql-injection`, \d+ findings?\) \| security \| −\d+ \(−\d+\.\d overall\) \| .*`src\/routes\/search\.ts:12`/m);
  assert.match(md, /`src\/routes\/users\.ts:9`/, 'a failed check points at its evidence');
  assert.match(md, /^### Checklist/m);
  assert.match(md, /^\| ❌ fail \| CI runs the tests on every push `ci-runs-tests` \| delivery \| No CI configuration found\. \| Add \.github\/workflows\/ci\.yml that installs with `npm ci`/m);
  // Every row of a table has as many cells as its header.
  let width = 0;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      width = 0;
      continue;
    }
    if (width === 0) width = cells(line).length;
    else assert.equal(cells(line).length, width, line);
  }
  assert.ok(!md.includes(SHOP), 'paths are workspace-relative');
});

test('scorecard --min-score: exit 1 below, 0 at or above; --output writes the file', () => {
  const card = ScorecardSchema.parse(JSON.parse(runCli(['scorecard', shopPath, '-f', 'json']).stdout));
  assert.ok(card.score < 100, 'the flawed sample does not score 100');
  const at = runCli(['scorecard', shopPath, '--min-score', String(card.score), '-f', 'json']);
  assert.equal(at.status, 0, at.stderr);
  const above = runCli(['scorecard', shopPath, '--min-score', String(card.score + 1), '-f', 'json']);
  assert.equal(above.status, 1);
  assert.equal(above.stderr, `shipshape: score ${card.score} is below --min-score ${card.score + 1}\n`);
  ScorecardSchema.parse(JSON.parse(above.stdout));

  const dir = makeWorkspace({});
  const file = join(dir, 'SCORECARD.md');
  const written = runCli(['scorecard', shopPath, '-f', 'md', '-o', file, '--min-score', '0']);
  assert.equal(written.status, 0, written.stderr);
  assert.equal(written.stdout, '');
  assert.ok(existsSync(file));
  assert.match(readFileSync(file, 'utf8'), new RegExp(`^## Production readiness: ${card.score}/100 \\(${card.grade}\\)$`, 'm'));
});

const usageErrors: { args: string[]; message: string }[] = [
  { args: ['scorecard', shopPath, '--min-score', 'high'], message: 'shipshape: invalid --min-score value "high" (expected a whole number from 0 to 100)' },
  { args: ['scorecard', shopPath, '--min-score', '101'], message: 'shipshape: invalid --min-score value "101" (expected a whole number from 0 to 100)' },
  { args: ['scorecard', shopPath, '--min-score', '-1'], message: 'shipshape: --min-score needs a value (write --min-score=-… for one that starts with a dash)' },
  { args: ['scorecard', shopPath, '--min-score=-1'], message: 'shipshape: invalid --min-score value "-1" (expected a whole number from 0 to 100)' },
  { args: ['scorecard', shopPath, '--format', 'sarif'], message: 'shipshape: invalid --format value "sarif" (expected text, md or json)' },
  { args: ['scorecard', shopPath, 'src'], message: 'shipshape: scorecard takes one folder, got 2 paths' },
  { args: ['scorecard', `${shopPath}/src/db.ts`], message: `shipshape: scorecard needs a folder, not a file: ${shopPath}/src/db.ts` },
  { args: ['scorecard', 'no-such-folder'], message: 'shipshape: path does not exist: no-such-folder' },
  { args: ['scorecard', '--fix'], message: 'shipshape: unknown option: --fix' },
];

for (const { args, message } of usageErrors) {
  test(`scorecard usage error: shipshape ${args.join(' ')}`, () => {
    const run = runCli(args);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.split('\n')[0], message);
  });
}

test('scorecard on a folder without code is a clear error, not a grade', () => {
  const root = makeWorkspace({ 'README.md': '# notes\n', 'db/schema.sql': 'CREATE TABLE t (id int);\n' });
  const run = runCli(['scorecard', root]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '', 'no scorecard');
  assert.match(run.stderr, /^shipshape: nothing to score in \S+: no JavaScript or TypeScript files found$/m);
});

test('scorecard --help, and the main help lists the command', () => {
  for (const args of [['scorecard', '--help'], ['help', 'scorecard']]) {
    const run = runCli(args);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: shipshape scorecard \[path\] \[options\]/);
    for (const flag of ['--format', '--output', '--min-score']) assert.ok(run.stdout.includes(flag), flag);
  }
  assert.match(runCli(['--help']).stdout, /^ {2}scorecard \[path\]/m);
});

test('scorecard md: paths, scripts and names from the workspace cannot break the tables or inject HTML', () => {
  const root = makeWorkspace({
    ...INJECTABLE_APP,
    'package.json': JSON.stringify({ name: 'evil', dependencies: { express: '^4.19.2', pg: '^8.11.0' }, scripts: { test: 'echo "<img src=x onerror=alert(1)>" | tee `out` ``x``' } }),
    'src/a|b<i>.ts': INJECTABLE_APP['src/app.ts'],
  });
  const run = runCli(['scorecard', root, '-f', 'md']);
  assert.equal(run.status, 0, run.stderr);
  const md = run.stdout;
  const outsideCode = md.replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
  assert.ok(!/<(img|i)\b/.test(outsideCode), `raw HTML from the workspace:\n${md}`);
  assert.match(md, /`src\/a\\\|b<i>\.ts:8`/, 'the path stays one code span, its pipe escaped');
  for (const line of md.split('\n').filter((row) => row.startsWith('| ❌') || row.startsWith('| ✅') || row.startsWith('| ❔') || row.startsWith('| ➖'))) assert.equal(cells(line).length, 5, line);
  const tests = md.split('\n').find((line) => line.startsWith('| ❌ fail | There are tests')) ?? '';
  assert.match(tests, /&lt;img src=x onerror=alert\(1\)&gt;|`[^`]*<img/, 'the script is shown escaped or as code');
});

test('markdown helpers: escaping, code spans whatever they hold, intended code kept', () => {
  assert.equal(mdText('a|b <b>x</b> *y* [l](u) `c` &'), 'a\\|b &lt;b&gt;x&lt;/b&gt; \\*y\\* \\[l\\](u) \\`c\\` &amp;');
  assert.equal(mdText('two\nlines'), 'two lines');
  assert.equal(mdCode('src/a.ts:3'), '`src/a.ts:3`');
  assert.equal(mdCode('a`b'), '``a`b``');
  assert.equal(mdCode('`x'), '`` `x ``');
  assert.equal(mdCode('a|b'), '`a\\|b`');
  assert.equal(mdInline('Run `npm test` & <go>'), 'Run `npm test` &amp; &lt;go&gt;');
  assert.equal(mdInline('odd ` tick'), 'odd \\` tick');
  // Back-to-back spans stay apart, so a later fence cannot close an earlier span and expose its content.
  assert.equal(mdInline('`a``b`'), '`a` `b`');
  assert.equal(mdInline('`a`\n`b<x>`'), '`a` `b<x>`');
});

test('text formatter: colors only with the color style', () => {
  const workspace = new Workspace(makeWorkspace(INJECTABLE_APP), { rules: RULES, knownRules: KNOWN_RULE_IDS });
  const card = scorecardForWorkspace(workspace, workspace.discover(), { ruleMeta: ALL_RULE_META });
  const plain = formatScorecardText(card, { style: PLAIN, displayPath: (path) => path });
  assert.doesNotMatch(plain, /\x1b\[/);
  assert.match(plain, /^ +src\/app\.ts:8$/m);
  assert.match(formatScorecardText(card, { style: COLOR, displayPath: (path) => path }), /\x1b\[31m/);
  assert.match(formatScorecardMarkdown(card), /`src\/app\.ts:8`/);
});

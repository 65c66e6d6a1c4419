// `scan --write-baseline` / `--baseline`: a round trip on a small app, fingerprints
// that survive unrelated edits, only new findings reported and failing, twins told
// apart by occurrence, one fingerprint for baselines and SARIF, and a bad baseline
// as a one-line exit-2 error.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Log } from 'sarif';
import { BaselineSchema } from '../../server/src/cli/baseline';
import { FINGERPRINT_KEY } from '../../server/src/cli/formats/sarif';
import { JsonReportSchema } from '../../server/src/cli/jsonReport';
import { INJECTABLE_APP, makeWorkspace, runCli } from './support';

const APP = 'src/app.ts';

/** A temp copy of the injectable app plus a folder for baselines outside it. */
function setup(): { root: string; baseline: string } {
  const root = makeWorkspace(INJECTABLE_APP);
  const dir = makeWorkspace({});
  return { root, baseline: join(dir, 'baseline.json') };
}

function edit(root: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')));
}

function jsonScan(root: string, ...args: string[]) {
  const run = runCli(['scan', root, '--format', 'json', ...args]);
  return { status: run.status, stderr: run.stderr, report: JsonReportSchema.parse(JSON.parse(run.stdout)) };
}

test('baseline round trip: write, scan clean, survive an edit above, report only a new finding', () => {
  const { root, baseline } = setup();
  const before = jsonScan(root);
  assert.equal(before.status, 1, 'the app has an error to baseline');
  assert.ok(before.report.findings.length > 0);

  const write = runCli(['scan', root, '--write-baseline', baseline]);
  assert.equal(write.status, 0, write.stderr);
  assert.equal(write.stdout, `✔ No new problems found in 2 files (${before.report.findings.length} baselined)\n`);
  assert.match(write.stderr, new RegExp(`^shipshape: wrote baseline ${escapeRegExp(baseline)} with ${before.report.findings.length} findings?$`, 'm'));
  const saved = BaselineSchema.parse(JSON.parse(readFileSync(baseline, 'utf8')));
  assert.equal(saved.version, 1);
  assert.deepEqual(
    saved.findings.map(({ ruleId, path, line }) => ({ ruleId, path, line })),
    before.report.findings.map(({ ruleId, path, line }) => ({ ruleId, path, line })),
  );

  const clean = runCli(['scan', root, '--baseline', baseline]);
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.equal(clean.stdout, `✔ No new problems found in 2 files (${saved.findings.length} baselined)\n`);
  const cleanJson = jsonScan(root, '--baseline', baseline);
  assert.equal(cleanJson.status, 0);
  assert.deepEqual(cleanJson.report.findings, []);
  assert.deepEqual(cleanJson.report.baseline, { file: baseline, baselined: saved.findings.length });
  assert.equal(cleanJson.report.summary.problems, 0);

  // Unrelated lines above the finding move it down; its fingerprint does not change.
  edit(root, APP, (text) => text.replace("import { Pool } from 'pg';\n", "import { Pool } from 'pg';\n\n// Users API.\n// Reads one user by id.\nconst unused = 1;\n"));
  const moved = jsonScan(root);
  assert.ok(moved.report.findings.every((finding, index) => finding.line === (before.report.findings[index]?.line ?? 0) + 4), 'the finding moved down 4 lines');
  const stillClean = runCli(['scan', root, '--baseline', baseline, '--fail-on', 'info']);
  assert.equal(stillClean.status, 0, stillClean.stdout);
  assert.match(stillClean.stdout, /^✔ No new problems found in 2 files \(\d+ baselined\)$/m);

  // A new route with its own injection: only it is reported, and it fails the run.
  edit(root, APP, (text) =>
    text.replace(
      'app.listen(3000);',
      "app.get('/accounts/:id', async (req, res) => {\n  const { rows } = await pool.query(`SELECT id, email FROM accounts WHERE id = ${req.params.id}`);\n  res.json(rows);\n});\n\napp.listen(3000);",
    ),
  );
  const newLine = readFileSync(join(root, APP), 'utf8').split('\n').findIndex((line) => line.includes('FROM accounts')) + 1;
  const fresh = jsonScan(root, '--baseline', baseline);
  assert.equal(fresh.status, 1);
  assert.deepEqual(
    fresh.report.findings.map((finding) => `${finding.path}:${finding.line} ${finding.ruleId}`),
    [`${APP}:${newLine} sql-injection`],
  );
  assert.deepEqual(fresh.report.baseline, { file: baseline, baselined: saved.findings.length });
  const text = runCli(['scan', root, '--baseline', baseline]);
  assert.equal(text.status, 1);
  assert.match(text.stdout, new RegExp(`^ {2}${newLine}:\\d+ +error +SQL built from request input`, 'm'));
  assert.match(text.stdout, /^✖ 1 new problem \(1 error, 0 warnings\), 1 baselined$/m);
  assert.equal(text.stdout.match(/sql-injection$/gm)?.length, 1, 'the baselined finding is not printed');
});

test('identical findings in one file are told apart by occurrence; SARIF uses the same fingerprints', () => {
  const route = (path: string): string =>
    `app.get('${path}', async (req, res) => {\n  const { rows } = await pool.query(\`SELECT id, email FROM users WHERE id = \${req.params.id}\`);\n  res.json(rows);\n});\n`;
  const root = makeWorkspace({
    ...INJECTABLE_APP,
    [APP]: `import express from 'express';\nimport { Pool } from 'pg';\n\nconst pool = new Pool();\nconst app = express();\n\n${route('/a/:id')}${route('/b/:id')}\napp.listen(3000);\n`,
  });
  const baseline = join(makeWorkspace({}), 'baseline.json');
  assert.equal(runCli(['scan', root, '--write-baseline', baseline]).status, 0);
  const saved = BaselineSchema.parse(JSON.parse(readFileSync(baseline, 'utf8')));
  const injections = saved.findings.filter((entry) => entry.ruleId === 'sql-injection');
  assert.equal(injections.length, 2);
  assert.deepEqual(
    injections.map((entry) => entry.fingerprint.split(':')[1]),
    ['1', '2'],
  );
  assert.equal(injections[0]?.fingerprint.split(':')[0], injections[1]?.fingerprint.split(':')[0], 'same rule, file and text: same hash');

  // Outside a git repository SARIF hashes the same workspace-relative paths: the fingerprints are identical.
  const sarif = JSON.parse(runCli(['scan', root, '--format', 'sarif']).stdout) as Log;
  const sarifPrints = (sarif.runs[0]?.results ?? []).map((result) => result.partialFingerprints?.[FINGERPRINT_KEY]).sort();
  assert.deepEqual(sarifPrints, saved.findings.map((entry) => entry.fingerprint).sort());

  // A third twin is new; it is the third occurrence, in the baseline run's SARIF too.
  edit(root, APP, (text) => text.replace('\napp.listen(3000);', `${route('/c/:id')}\napp.listen(3000);`));
  const third = readFileSync(join(root, APP), 'utf8').split('\n').findIndex((line) => line.startsWith("app.get('/c/:id'")) + 2;
  const fresh = jsonScan(root, '--baseline', baseline);
  assert.equal(fresh.status, 1);
  assert.deepEqual(
    fresh.report.findings.map((finding) => `${finding.line} ${finding.ruleId}`),
    [`${third} sql-injection`],
  );
  const baselinedSarif = JSON.parse(runCli(['scan', root, '--format', 'sarif', '--baseline', baseline]).stdout) as Log;
  const results = baselinedSarif.runs[0]?.results ?? [];
  assert.equal(results.length, 1);
  assert.equal(results[0]?.baselineState, 'new');
  assert.match(results[0]?.partialFingerprints?.[FINGERPRINT_KEY] ?? '', /:3$/, 'occurrences count the baselined twins');
});

test('a missing or corrupt baseline is a one-line exit-2 error, before any output', () => {
  const { root } = setup();
  const dir = makeWorkspace({
    'not-json.json': '{"version": 1, "findings": [',
    'wrong-shape.json': JSON.stringify({ version: 1, tool: { name: 'shipshape', version: '0.1.0' }, findings: [{ fingerprint: 'abc', ruleId: 'x', path: 'a.ts', line: 1 }] }),
    'newer.json': JSON.stringify({ version: 2, findings: [] }),
    'array.json': '[]',
  });
  mkdirSync(join(dir, 'folder.json'));
  const cases: [string, RegExp][] = [
    ['missing.json', /^shipshape: cannot read baseline .*missing\.json: no such file \(create one with --write-baseline\)$/],
    ['not-json.json', /^shipshape: baseline .*not-json\.json is not valid JSON: .+$/],
    ['wrong-shape.json', /^shipshape: baseline .*wrong-shape\.json is not a Shipshape baseline: findings\.0\.fingerprint: .+$/],
    ['newer.json', /^shipshape: baseline .*newer\.json has version 2; this shipshape reads version 1 \(rewrite it with --write-baseline\)$/],
    ['array.json', /^shipshape: baseline .*array\.json is not a Shipshape baseline: .+$/],
    ['folder.json', /^shipshape: cannot read baseline .*folder\.json: it is a folder$/],
  ];
  for (const [name, message] of cases) {
    const run = runCli(['scan', root, '--baseline', join(dir, name)]);
    assert.equal(run.status, 2, name);
    assert.equal(run.stdout, '', name);
    assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, `one line for ${name}:\n${run.stderr}`);
    assert.match(run.stderr.trimEnd(), message);
  }
});

test('baseline flags: usage errors', () => {
  const { root, baseline } = setup();
  const both = runCli(['scan', root, '--baseline', baseline, '--write-baseline', baseline]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /^shipshape: --baseline and --write-baseline cannot be combined$/m);
  const empty = runCli(['scan', root, '--baseline=']);
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /^shipshape: --baseline needs a file name$/m);
  const noFolder = runCli(['scan', root, '--write-baseline', join(root, 'no', 'such', 'b.json')]);
  assert.equal(noFolder.status, 2);
  assert.match(noFolder.stderr, /^shipshape: cannot write baseline .*b\.json: folder .* does not exist$/m);
  assert.equal(noFolder.stdout, '', 'checked before the scan');
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

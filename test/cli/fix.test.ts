// `--fix` round trip on a temp copy: the safe fix parameterizes the query in place,
// the report shows what remains, and a rescan finds nothing; plus the file-writing
// guarantees (atomic replace, never clobber on create, BOM and mode kept).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonReportSchema } from '../../server/src/cli/jsonReport';
import { createExclusive, replaceAtomically, writeFiles } from '../../server/src/cli/writeFiles';
import { INJECTABLE_APP, makeWorkspace, runCli, WARNING_ONLY } from './support';

const scanJson = (root: string, ...flags: string[]) => {
  const run = runCli(['scan', root, '--format', 'json', ...flags]);
  return { run, report: JsonReportSchema.parse(JSON.parse(run.stdout)) };
};

test('--fix parameterizes a SQL injection in place and a rescan reports none', () => {
  const root = makeWorkspace(INJECTABLE_APP);
  const before = scanJson(root).report;
  const injection = before.findings.find((finding) => finding.ruleId === 'sql-injection');
  assert.ok(injection, 'the fixture has a sql-injection finding');
  assert.equal(injection.line, 8);
  assert.ok(injection.fixes.some((fix) => fix.safe), 'with a verified safe fix');
  assert.equal(before.summary.safelyFixable, 1);

  const fixed = runCli(['scan', root, '--fix']);
  assert.equal(fixed.status, 0, `${fixed.stdout}\n${fixed.stderr}`);
  assert.match(fixed.stderr, /^shipshape: applied 1 safe fix in 1 file: \S*src\/app\.ts$/m);
  assert.doesNotMatch(fixed.stdout, /sql-injection/, 'the report shows what remains');
  assert.doesNotMatch(fixed.stdout, /run with --fix/);

  const source = readFileSync(join(root, 'src', 'app.ts'), 'utf8');
  assert.doesNotMatch(source, /\$\{req\.params\.id\}/, 'no interpolation left');
  assert.match(source, /\$1/, 'a placeholder instead');
  assert.match(source, /req\.params\.id/, 'the value is passed as a parameter');
  assert.deepEqual(source.split('\n').filter((line) => !line.includes('pool.query')), INJECTABLE_APP['src/app.ts'].split('\n').filter((line) => !line.includes('pool.query')), 'only the query line changed');
  assert.deepEqual(readdirSync(join(root, 'src')), ['app.ts'], 'no temp files left behind');

  const after = scanJson(root);
  assert.equal(after.run.status, 0);
  assert.deepEqual(after.report.findings.filter((finding) => finding.ruleId === 'sql-injection'), []);
});

test('--fix with JSON reports the applied fixes and files written', () => {
  const root = makeWorkspace(INJECTABLE_APP);
  const { run, report } = scanJson(root, '--fix');
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(report.fixes?.applied.map((fix) => [fix.ruleId, fix.path]), [['sql-injection', 'src/app.ts']]);
  assert.deepEqual(report.fixes?.filesWritten, ['src/app.ts']);
  assert.equal(report.summary.safelyFixable, 0);
});

test('--fix with nothing safe to fix leaves files alone and says so', () => {
  const root = makeWorkspace(WARNING_ONLY);
  const path = join(root, 'src', 'util.ts');
  const mtime = statSync(path).mtimeMs;
  const run = runCli(['scan', root, '--fix']);
  assert.equal(run.status, 0);
  assert.match(run.stderr, /^shipshape: no safe fixes to apply$/m);
  assert.match(run.stdout, /1 problem/, 'remaining findings are still reported');
  assert.equal(readFileSync(path, 'utf8'), WARNING_ONLY['src/util.ts']);
  assert.equal(statSync(path).mtimeMs, mtime);
});

test('--fix --rule only applies fixes of the named rules', () => {
  const root = makeWorkspace(INJECTABLE_APP);
  const run = runCli(['scan', root, '--fix', '--rule', 'hardcoded-secret']);
  assert.match(run.stderr, /no safe fixes to apply/);
  assert.equal(readFileSync(join(root, 'src', 'app.ts'), 'utf8'), INJECTABLE_APP['src/app.ts']);
});

test('--fix adds an index in a new Prisma migration folder and leaves the applied migration byte for byte as it was', () => {
  const migration = 'prisma/migrations/20240101_init/migration.sql';
  const root = makeWorkspace({ [migration]: 'CREATE TABLE a (id serial PRIMARY KEY);\nCREATE TABLE b (id serial PRIMARY KEY, a_id int REFERENCES a(id));\n' });
  const before = readFileSync(join(root, migration));
  const { run, report } = scanJson(root, '--fix');
  assert.equal(run.status, 0, run.stderr);
  const created = 'prisma/migrations/20240102_add_b_a_id_index/migration.sql';
  assert.deepEqual(report.fixes?.applied.map((fix) => [fix.ruleId, fix.path]), [['missing-index', migration]]);
  assert.deepEqual(report.fixes?.filesWritten, [created]);
  assert.ok(readFileSync(join(root, migration)).equals(before), 'the applied migration is unchanged');
  assert.equal(readFileSync(join(root, created), 'utf8'), 'CREATE INDEX b_a_id_idx ON b (a_id);\n');
  assert.deepEqual(scanJson(root).report.findings.filter((finding) => finding.ruleId === 'missing-index'), []);
});

test('writeFiles: edits replace atomically keeping mode and BOM; creations never clobber; edits land before creations', () => {
  const root = makeWorkspace({ 'a.ts': '\uFEFFconst a = 1;\n', 'b.sh': 'echo b\n', '.env': 'KEEP=me\n' });
  chmodSync(join(root, 'b.sh'), 0o755);
  const result = writeFiles(
    root,
    new Map([
      ['new/.env.example', 'NAME=\n'],
      ['.env', 'CLOBBER=yes\n'],
      ['a.ts', 'const a = 2;\n'],
      ['b.sh', 'echo c\n'],
    ]),
    new Set(['new/.env.example', '.env']),
    new Map([['a.ts', 'const a = 1;\n'], ['b.sh', 'echo b\n']]),
  );
  assert.deepEqual(result.written, ['a.ts', 'b.sh'], 'edits first');
  assert.deepEqual(result.created, ['new/.env.example']);
  assert.deepEqual(result.notCreated, ['.env']);
  assert.deepEqual(result.notWritten, []);
  assert.equal(readFileSync(join(root, '.env'), 'utf8'), 'KEEP=me\n', 'an existing file is never overwritten by a create');
  assert.equal(readFileSync(join(root, 'new', '.env.example'), 'utf8'), 'NAME=\n');
  assert.equal(readFileSync(join(root, 'a.ts'), 'utf8'), '\uFEFFconst a = 2;\n', 'BOM kept');
  assert.equal(statSync(join(root, 'b.sh')).mode & 0o777, 0o755, 'mode kept');
  assert.deepEqual(readdirSync(root).filter((name) => name.includes('.shipshape-')), [], 'no temp files');
});

test('createExclusive and replaceAtomically', () => {
  const root = makeWorkspace({ 'exists.txt': 'original' });
  assert.equal(createExclusive(join(root, 'exists.txt'), 'new'), false);
  assert.equal(readFileSync(join(root, 'exists.txt'), 'utf8'), 'original');
  assert.equal(createExclusive(join(root, 'fresh.txt'), 'new'), true);
  assert.equal(readFileSync(join(root, 'fresh.txt'), 'utf8'), 'new');
  replaceAtomically(join(root, 'fresh.txt'), 'newer');
  assert.equal(readFileSync(join(root, 'fresh.txt'), 'utf8'), 'newer');
  assert.throws(() => replaceAtomically(join(root, 'missing.txt'), 'x'), /ENOENT/);
  writeFileSync(join(root, 'plain.txt'), 'x');
  assert.deepEqual(readdirSync(root).sort(), ['exists.txt', 'fresh.txt', 'plain.txt']);
});

test('writeFiles never writes over bytes that are not UTF-8, nor over a file changed since it was read', () => {
  const latin1 = Buffer.from('const s = "caf\xE9 \xFF\xFE";\n', 'latin1');
  const root = makeWorkspace({ 'changed.ts': 'const b = 2;\n', 'same.ts': 'const c = 1;\n' });
  writeFileSync(join(root, 'latin1.ts'), latin1);
  const result = writeFiles(
    root,
    new Map([
      ['latin1.ts', 'const s = "caf\uFFFD \uFFFD\uFFFD";\nexport {};\n'],
      ['changed.ts', 'const b = 3;\n'],
      ['same.ts', 'const c = 2;\n'],
    ]),
    new Set(),
    new Map([
      ['latin1.ts', 'const s = "caf\uFFFD \uFFFD\uFFFD";\n'],
      ['changed.ts', 'const b = 1;\n'],
      ['same.ts', 'const c = 1;\n'],
    ]),
  );
  assert.deepEqual(result.written, ['same.ts']);
  assert.deepEqual(
    result.notWritten.map((skip) => skip.path),
    ['changed.ts', 'latin1.ts'],
  );
  assert.match(result.notWritten[1]?.reason ?? '', /not valid UTF-8/);
  assert.deepEqual(readFileSync(join(root, 'latin1.ts')), latin1, 'every byte kept');
  assert.equal(readFileSync(join(root, 'changed.ts'), 'utf8'), 'const b = 2;\n', "the user's change kept");
  assert.equal(readFileSync(join(root, 'same.ts'), 'utf8'), 'const c = 2;\n');
});

test('--fix leaves a file that is not UTF-8 byte for byte as it was, says so, and reports its finding as still there', () => {
  const root = makeWorkspace({ 'package.json': '{ "dependencies": { "pg": "^8.0.0" } }\n' });
  const latin1 = Buffer.from(
    [
      "import { Pool } from 'pg';",
      'const pool = new Pool();',
      'const label = "caf\xE9";',
      'export const find = (req: { query: { a: string } }) => pool.query(`SELECT * FROM t WHERE a = \'${req.query.a}\'`);',
      '',
    ].join('\n'),
    'latin1',
  );
  writeFileSync(join(root, 'db.ts'), latin1);
  assert.ok(scanJson(root).report.findings.some((finding) => finding.ruleId === 'sql-injection' && finding.fixes.some((fix) => fix.safe)), 'a safe fix is offered');
  const { run, report } = scanJson(root, '--fix');
  assert.deepEqual(readFileSync(join(root, 'db.ts')), latin1, 'every byte kept');
  assert.match(run.stderr, /did not write the fixes for \S*db\.ts: it is not valid UTF-8/);
  assert.deepEqual(report.fixes?.applied, []);
  assert.deepEqual(report.fixes?.filesWritten, []);
  assert.deepEqual(report.fixes?.filesNotWritten.map((skip) => skip.path), ['db.ts']);
  assert.ok(report.findings.some((finding) => finding.ruleId === 'sql-injection'), 'the report shows the finding is still there');
});

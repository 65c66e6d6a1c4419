// What the checks' regexes search: code with comments and regex literals blanked,
// strings and template literals intact, offsets unchanged.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { blankCommentsAndRegexes } from '../../server/src/engine/scorecard/codeText';
import { check, expectStatus, expressPkg, project } from './support';

test('comments and regex literals are blanked; strings, templates and division are kept; offsets do not move', () => {
  const source = [
    "// app.post('/login', handler)",
    "/* app.get('/health')",
    '   spans lines */',
    "const pattern = /app\\.get\\('\\/health'\\)/g;",
    'const ratio = total / count / 2;',
    "const url = `${proto}://${host}/login`; // trailing",
    "app.post('/signup', handler);",
    'if (!/^\\d+$/.test(id)) throw new Error(`bad ${id}`);',
  ].join('\n');
  const blanked = blankCommentsAndRegexes(source, false);
  assert.equal(blanked.length, source.length);
  assert.equal(blanked.split('\n').length, source.split('\n').length);
  const lines = blanked.split('\n');
  assert.equal(lines[0]?.trim(), '');
  assert.equal(lines[1]?.trim(), '');
  assert.equal(lines[2]?.trim(), '');
  assert.equal(lines[3], `const pattern = /${' '.repeat("app\\.get\\('\\/health'\\)/g".length)};`);
  assert.equal(lines[4], 'const ratio = total / count / 2;');
  assert.equal(lines[5]?.trimEnd(), 'const url = `${proto}://${host}/login`;');
  assert.equal(lines[6], "app.post('/signup', handler);");
  assert.match(lines[7] ?? '', /^if \(!\/ +\.test\(id\)\) throw new Error\(`bad \$\{id\}`\);$/);
});

test('a route in a comment is not a route', () => {
  const server = "import express from 'express';\nconst app = express();\n// TODO: app.get('/health', …)\n/* app.post('/login') */\n";
  expectStatus(check('health-route', project({ 'package.json': expressPkg(), 'src/server.ts': server })), 'fail');
  expectStatus(check('auth-rate-limit', project({ 'package.json': expressPkg(), 'src/server.ts': server })), 'not-applicable');
});

test('checks pass module-level patterns to the per-file caches (an inline literal would be a new cache key on every run)', () => {
  const dir = join(__dirname, '..', '..', 'server', 'src', 'engine', 'scorecard');
  const sources = [...readdirSync(dir).map((name) => join(dir, name)), ...readdirSync(join(dir, 'checks')).map((name) => join(dir, 'checks', name))].filter((path) => path.endsWith('.ts'));
  for (const path of sources) {
    const text = readFileSync(path, 'utf8');
    assert.doesNotMatch(text, /\.(?:matches|search|first)\(\s*\//, `${path} passes an inline regex`);
    assert.doesNotMatch(text, /\.(?:importing|firstImporting|importOf)\(\s*\[/, `${path} passes an inline package list`);
  }
});

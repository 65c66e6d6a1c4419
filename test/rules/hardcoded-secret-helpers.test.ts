// The pieces behind hardcoded-secret and "Move secret to env": dotenv values that
// read back unchanged (checked against Node's own dotenv parser), appends that keep
// a file's line endings, variable naming, placeholders, entropy and redaction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnv } from 'node:util';
import fc from 'fast-check';
import { looksRandom, shannonEntropy } from '../../rules/hardcoded-secret/entropy';
import { isPlaceholder } from '../../rules/hardcoded-secret/placeholders';
import { redact } from '../../rules/hardcoded-secret/redact';
import { createProjectView } from '../../server/src/engine/project';
import { formatEnvValue, parseEnvFile } from '../../server/src/engine/files/env';
import { appendLine, buildMoveToEnv, identifierWords, toEnvName } from '../../server/src/engine/fixes/moveToEnv';
import type { FileChange } from '../../server/src/engine/types';

const ENV_CHARS = fc.constantFrom('a', 'Z', '9', ' ', '\t', '#', "'", '"', '`', '\\', 'n', '\n', '\r', '$', '{', '=', '/', '+', '!', '&');

test('a formatted value reads back unchanged, in Node and in our parser, or is refused', () => {
  fc.assert(
    fc.property(fc.array(ENV_CHARS, { maxLength: 24 }).map((chars) => chars.join('')), (value) => {
      const formatted = formatEnvValue(value);
      if (formatted === undefined) return;
      const text = `KEY=${formatted}\nNEXT=1\n`;
      assert.equal(parseEnv(text).KEY, value, `node reads ${JSON.stringify(text)}`);
      const entries = parseEnvFile(text);
      assert.equal(entries[0]?.value, value, `we read ${JSON.stringify(text)}`);
      assert.equal(entries[1]?.key, 'NEXT', 'the next line is still its own entry');
    }),
  );
});

test('values are written bare when they can be, quoted when they must be, refused when dotenv-expand would rewrite them', () => {
  assert.equal(formatEnvValue('sk_live_51abc'), 'sk_live_51abc');
  assert.equal(formatEnvValue('a#b'), "'a#b'");
  assert.equal(formatEnvValue('it has spaces'), "'it has spaces'");
  assert.equal(formatEnvValue("it's"), `"it's"`);
  assert.equal(formatEnvValue('-----BEGIN KEY-----\nabc\n-----END KEY-----\n'), '"-----BEGIN KEY-----\\nabc\\n-----END KEY-----\\n"');
  assert.equal(formatEnvValue('pa$$word'), undefined);
  assert.equal(formatEnvValue('${HOME}'), undefined);
  assert.equal(formatEnvValue('costs $5'), "'costs $5'");
});

test('parseEnvFile gives the span of each value as written', () => {
  const text = "# comment\nexport A='x y' # note\nB=plain\nC=\"l1\\nl2\"\n";
  const entries = parseEnvFile(text);
  assert.deepEqual(
    entries.map((entry) => [entry.key, entry.value, text.slice(entry.valueStart, entry.valueEnd)]),
    [
      ['A', 'x y', "'x y'"],
      ['B', 'plain', 'plain'],
      ['C', 'l1\nl2', '"l1\\nl2"'],
    ],
  );
});

function project(files: Record<string, string>, tracked: string[] = []) {
  return createProjectView('/repo', (path) => files[path], (path) => tracked.includes(path), () => Object.keys(files));
}

function appended(change: FileChange, before: string | undefined): string {
  if (change.kind === 'create') return change.text;
  assert.ok(before !== undefined);
  const edit = change.edits[0];
  assert.ok(edit && change.edits.length === 1 && edit.start === before.length && edit.end === before.length, 'one insertion at the end');
  return before + edit.newText;
}

test('appendLine keeps the file’s line endings and adds a missing final newline; a new file takes the line endings of the file the fix starts from', () => {
  const files = { a: 'X=1', b: 'X=1\r\nY=2\r\n', c: '', 'lf.ts': 'const a = 1;\n', 'crlf.ts': 'const a = 1;\r\nconst b = 2;\r\n' };
  const view = project(files);
  assert.equal(appended(appendLine(view, 'a', 'Z=', 'crlf.ts'), files.a), 'X=1\nZ=\n');
  assert.equal(appended(appendLine(view, 'b', 'Z=', 'lf.ts'), files.b), 'X=1\r\nY=2\r\nZ=\r\n');
  assert.equal(appended(appendLine(view, 'c', 'Z=', 'crlf.ts'), files.c), 'Z=\n');
  assert.deepEqual(appendLine(view, 'missing', 'Z=', 'lf.ts'), { kind: 'create', path: 'missing', text: 'Z=\n' });
  assert.deepEqual(appendLine(view, 'missing', 'Z=', 'crlf.ts'), { kind: 'create', path: 'missing', text: 'Z=\r\n' });
});

test('move to env in a CRLF file creates .gitignore, .env and .env.example with CRLF', () => {
  const replace = (name: string) => [{ start: 0, end: 4, newText: `process.env.${name}` }];
  const fresh = buildMoveToEnv({ project: project({ 'a.ts': "'s3'\r\nexport {};\r\n" }), path: 'a.ts', value: 'v1', name: 'API_KEY', replace });
  const created = (fresh?.changes ?? []).flatMap((change) => (change.kind === 'create' ? [`${change.path} ${JSON.stringify(change.text)}`] : []));
  assert.deepEqual(created, ['.gitignore ".env\\r\\n"', '.env "API_KEY=v1\\r\\n"', '.env.example "API_KEY=\\r\\n"']);
});

test('move to env: .gitignore first, never clobbers a different value, reuses an identical one', () => {
  const replace = (name: string) => [{ start: 0, end: 4, newText: `process.env.${name}` }];
  const fresh = buildMoveToEnv({ project: project({ 'a.ts': "'s3'" }), path: 'a.ts', value: 'v1', name: 'API_KEY', replace });
  assert.deepEqual(
    fresh?.changes.map((change) => `${change.kind} ${change.path}`),
    ['create .gitignore', 'create .env', 'create .env.example', 'edit a.ts'],
  );

  const taken = buildMoveToEnv({ project: project({ '.gitignore': '.env\n', '.env': 'API_KEY=old\nAPI_KEY_2=older\n', '.env.example': 'API_KEY=\n' }), path: 'a.ts', value: 'v1', name: 'API_KEY', replace });
  assert.equal(taken?.name, 'API_KEY_3');
  assert.deepEqual(taken?.changes.map((change) => change.path), ['.env', '.env.example', 'a.ts']);

  const same = buildMoveToEnv({ project: project({ '.gitignore': '.env\n', '.env': 'API_KEY="v1"\n', '.env.example': 'API_KEY=\n' }), path: 'a.ts', value: 'v1', name: 'API_KEY', replace });
  assert.equal(same?.name, 'API_KEY');
  assert.deepEqual(same?.changes.map((change) => change.path), ['a.ts']);
});

test('move to env refuses when .env is tracked by git: writing the secret there would commit it', () => {
  const replace = () => [];
  assert.equal(buildMoveToEnv({ project: project({ '.env': '' }, ['.env']), path: 'a.ts', value: 'v1', name: 'API_KEY', replace }), undefined);
});

test('environment variable names follow the code’s own names', () => {
  assert.equal(toEnvName('stripeSecretKey'), 'STRIPE_SECRET_KEY');
  assert.equal(toEnvName('JWT_SECRET'), 'JWT_SECRET');
  assert.equal(toEnvName('x-api-key'), 'X_API_KEY');
  assert.equal(toEnvName('AWSSecretKey'), 'AWS_SECRET_KEY');
  assert.equal(toEnvName('oauth2Token'), 'OAUTH2_TOKEN');
  assert.match(toEnvName('2faSecret'), /^_2/, 'a name never starts with a digit');
  assert.deepEqual(identifierWords('private_key'), ['private', 'key']);
});

test('placeholders are recognised; generated values are not mistaken for them', () => {
  for (const value of ['', 'changeme', 'your-api-key-here', '<your-key>', '{{API_KEY}}', '${API_KEY}', 'xxxxxxxxxxxx', '...', 'sk_live_…', 'dummy', 'EXAMPLEKEY', '1234567890', 'password']) {
    assert.ok(isPlaceholder(value), value);
  }
  for (const value of ['bFhL0Up29BI4kwIAGCM4Qu6ckCkUcgAiT8lfUtpRGh8ac2MO', '7j6ObSkjlD/n49Ak1Ej8naNPntvwCc6SQzSx6uaG', 'ad5367340a052f6493d4a8bcef2b7912']) {
    assert.ok(!isPlaceholder(value), value);
  }
});

test('looksRandom: generated values yes; words, phrases, paths, hashes and short labels no', () => {
  for (const value of ['bFhL0Up29BI4kwIAGCM4Qu6ckCkUcgAiT8lfUtpRGh8ac2MO', 'S3cr3tP@ssw0rd!', 'ad5367340a052f6493d4a8bcef2b7912', 'supersecret123']) assert.ok(looksRandom(value), value);
  for (const value of ['hunter22', 'access_token', 'sessionTokenKey', 'keyboard cat', 'prod/db/password', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', 'STRIPE_SECRET_KEY', 'https://example.com/a1b2c3']) {
    assert.ok(!looksRandom(value), value);
  }
  assert.equal(shannonEntropy('aaaa'), 0);
  assert.equal(shannonEntropy('abcd'), 2);
});

test('redaction shows the provider prefix and at most the last four characters', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 0, maxLength: 80 }), fc.nat({ max: 10 }), (secret, prefix) => {
      const shown = redact(secret, prefix).replace('…', '');
      assert.ok(shown.length <= Math.min(prefix, secret.length) + 4);
    }),
  );
  assert.equal(redact('sk_live_51ukHEWhgB2xAIP1sGIqwNOuFvSy8Xqvn', 8), 'sk_live_…8Xqvn'.replace('8Xqvn', 'Xqvn'));
  assert.equal(redact('short-secret', 0), '…');
});

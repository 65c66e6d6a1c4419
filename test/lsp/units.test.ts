// The pure pieces of the protocol layer, without a server: the suppression edit,
// locating JSON paths, fix → WorkspaceEdit, the crash window, folder-relative paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CrashWindow } from '../../client/src/crashWindow';
import type { Fix } from '../../server/src/engine';
import { configDiagnostics, editAbilitiesOf, fixToWorkspaceEdit } from '../../server/src/lsp/convert';
import { locateJsonPath } from '../../server/src/lsp/jsonLocate';
import { Project } from '../../server/src/lsp/project';
import { escapeSnippet, suppressionEdit } from '../../server/src/lsp/suppress';

test('suppression: a new comment line above, indented like the flagged line, in the file’s comment syntax', () => {
  const text = 'function f() {\n\tif (x) {\n\t\tdb.query(sql);\n\t}\n}\n';
  assert.deepEqual(suppressionEdit(text, 'ts', 2, 'sql-injection'), {
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
    newText: '\t\t// shipshape-ignore-next-line sql-injection -- \n',
    snippet: '\t\t// shipshape-ignore-next-line sql-injection -- $0\n',
    cursor: { line: 2, character: 49 },
  });
  assert.equal(suppressionEdit('A=1\r\nSECRET=x\r\n', 'env', 1, 'hardcoded-secret')?.newText, '# shipshape-ignore-next-line hardcoded-secret -- \r\n');
  assert.equal(suppressionEdit('SELECT 1;\n', 'sql', 0, 'rls-disabled')?.newText, '-- shipshape-ignore-next-line rls-disabled -- \n');
  assert.equal(suppressionEdit('{}', 'json', 0, 'x'), undefined, 'JSON has no comments');
});

test('suppression: appends to an existing directive on the line above', () => {
  const reasoned = 'a();\n  // shipshape-ignore-next-line hardcoded-secret -- test fixture key\n  b();\n';
  const appended = suppressionEdit(reasoned, 'ts', 2, 'sql-injection');
  assert.deepEqual(appended, {
    range: { start: { line: 1, character: 48 }, end: { line: 1, character: 48 } },
    newText: ', sql-injection',
    snippet: undefined,
    cursor: undefined,
  });
  const apply = (text: string, edit: NonNullable<ReturnType<typeof suppressionEdit>>): string => TextDocument.applyEdits(TextDocument.create('file:///x', 'ts', 1, text), [{ range: edit.range, newText: edit.newText }]);
  assert.equal(apply(reasoned, appended ?? assert.fail()).split('\n')[1], '  // shipshape-ignore-next-line hardcoded-secret, sql-injection -- test fixture key');

  const bare = 'a();\n// shipshape-ignore-next-line hardcoded-secret\nb();\n';
  const added = suppressionEdit(bare, 'ts', 2, 'sql-injection') ?? assert.fail();
  assert.equal(apply(bare, added).split('\n')[1], '// shipshape-ignore-next-line hardcoded-secret, sql-injection -- ');
  assert.deepEqual(added.cursor, { line: 1, character: '// shipshape-ignore-next-line hardcoded-secret, sql-injection -- '.length });

  const dashes = 'a();\n/* shipshape-ignore-next-line hardcoded-secret -- */\nb();\n';
  const filled = suppressionEdit(dashes, 'ts', 2, 'sql-injection') ?? assert.fail();
  assert.equal(apply(dashes, filled).split('\n')[1], '/* shipshape-ignore-next-line hardcoded-secret, sql-injection -- */');
  assert.deepEqual(filled.cursor, { line: 1, character: '/* shipshape-ignore-next-line hardcoded-secret, sql-injection --'.length });

  assert.equal(suppressionEdit('// shipshape-ignore-next-line sql-injection -- ok\nq();\n', 'ts', 1, 'sql-injection'), undefined, 'already suppressed');
});

test('snippet escaping keeps $, } and \\ literal', () => {
  assert.equal(escapeSnippet('a $1 } \\ b'), 'a \\$1 \\} \\\\ b');
});

test('JSON paths are located on the key or the value; parse errors by position', () => {
  const text = '{\n  "rules": { "a": "loud", "b": "off" },\n  "exclude": ["x", 3]\n}';
  assert.deepEqual(locateJsonPath(text, ['rules', 'a'], 'value'), { start: text.indexOf('"loud"'), end: text.indexOf('"loud"') + 6 });
  assert.deepEqual(locateJsonPath(text, ['rules', 'b'], 'key'), { start: text.indexOf('"b"'), end: text.indexOf('"b"') + 3 });
  assert.deepEqual(locateJsonPath(text, ['exclude', '1'], 'value'), { start: text.indexOf('3]'), end: text.indexOf('3]') + 1 });
  assert.equal(locateJsonPath(text, ['nope'], 'key'), undefined);
  assert.equal(locateJsonPath('{ broken', ['rules'], 'key'), undefined);
  assert.deepEqual(configDiagnostics('{\n  "x": 1\n}', [{ path: 'x', message: 'unknown key "x"' }])[0]?.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
  assert.deepEqual(configDiagnostics('{\n  "x": ,\n}', [{ path: '', message: 'not valid JSON', offset: 9 }])[0]?.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 8 } });
  assert.deepEqual(configDiagnostics('not json', [{ path: '', message: 'something odd' }])[0]?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } });
});

/** A Move secret to env fix with the given file changes. */
function moveSecretFix(changes: Fix['changes']): Fix {
  return { id: 'move-secret-to-env', title: 'Move secret to env', safe: false, preferred: true, changes };
}

test('a fix becomes create-then-edit for missing files and versioned edits for existing ones; a created file that appeared makes it stale', () => {
  const fix = moveSecretFix([
    { kind: 'edit', path: '.gitignore', edits: [{ start: 5, end: 5, newText: '.env\n' }] },
    { kind: 'create', path: '.env', text: 'KEY=v\n' },
    { kind: 'edit', path: 'a.ts', edits: [{ start: 0, end: 3, newText: 'process.env.KEY' }] },
  ]);
  const states = {
    '.gitignore': { uri: 'file:///w/.gitignore', text: 'dist\n', version: null, exists: true },
    '.env': { uri: 'file:///w/.env', text: '', version: null, exists: false },
    'a.ts': { uri: 'file:///w/a.ts', text: "'k'", version: 7, exists: true },
  };
  const full = { documentChanges: true, createFiles: true };
  const edit = fixToWorkspaceEdit(fix, (path) => states[path as keyof typeof states], full);
  assert.deepEqual(edit?.documentChanges, [
    { textDocument: { uri: 'file:///w/.gitignore', version: null }, edits: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '.env\n' }] },
    { kind: 'create', uri: 'file:///w/.env', options: { ignoreIfExists: true } },
    { textDocument: { uri: 'file:///w/.env', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'KEY=v\n' }] },
    { textDocument: { uri: 'file:///w/a.ts', version: 7 }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: 'process.env.KEY' }] },
  ]);
  assert.equal(fixToWorkspaceEdit(fix, (path) => (path === '.env' ? { ...states['.env'], exists: true } : states[path as keyof typeof states]), full), undefined);
  assert.equal(fixToWorkspaceEdit(fix, (path) => (path === '.gitignore' ? undefined : states[path as keyof typeof states]), full), undefined);
  // A client that cannot create files is not sent the fix at all, with or without documentChanges.
  assert.equal(fixToWorkspaceEdit(fix, (path) => states[path as keyof typeof states], { documentChanges: true, createFiles: false }), undefined);
  assert.equal(fixToWorkspaceEdit(fix, (path) => states[path as keyof typeof states], { documentChanges: false, createFiles: false }), undefined);
});

test('without documentChanges a fix that only edits is a changes map, in the fix order, with no versions', () => {
  const fix = moveSecretFix([
    { kind: 'edit', path: '.gitignore', edits: [{ start: 5, end: 5, newText: '.env\n' }] },
    { kind: 'edit', path: 'a.ts', edits: [{ start: 0, end: 3, newText: 'process.env.KEY' }] },
  ]);
  const states = {
    '.gitignore': { uri: 'file:///w/.gitignore', text: 'dist\n', version: null, exists: true },
    'a.ts': { uri: 'file:///w/a.ts', text: "'k'", version: 7, exists: true },
  };
  const edit = fixToWorkspaceEdit(fix, (path) => states[path as keyof typeof states], { documentChanges: false, createFiles: false });
  assert.deepEqual(edit, {
    changes: {
      'file:///w/.gitignore': [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '.env\n' }],
      'file:///w/a.ts': [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: 'process.env.KEY' }],
    },
  });
  assert.deepEqual(Object.keys(edit?.changes ?? {}), ['file:///w/.gitignore', 'file:///w/a.ts']);
});

test('edit abilities: createFiles needs documentChanges and the create resource operation', () => {
  assert.deepEqual(editAbilitiesOf({}), { documentChanges: false, createFiles: false });
  assert.deepEqual(editAbilitiesOf({ workspace: { workspaceEdit: { documentChanges: true } } }), { documentChanges: true, createFiles: false });
  assert.deepEqual(editAbilitiesOf({ workspace: { workspaceEdit: { documentChanges: false, resourceOperations: ['create'] } } }), { documentChanges: false, createFiles: false });
  assert.deepEqual(editAbilitiesOf({ workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename'] } } }), { documentChanges: true, createFiles: true });
});

test('the crash window allows 5 restarts in 3 minutes, then refuses until the window slides', () => {
  const window = new CrashWindow(5, 180_000);
  for (let minute = 0; minute < 5; minute++) assert.equal(window.crashed(minute * 10_000), true);
  assert.equal(window.crashed(50_000), false);
  assert.equal(window.crashed(180_001), true, 'the first crash left the window');
  window.reset();
  assert.equal(window.crashed(180_002), true);
});

test('a folder-relative path: a name starting with two dots is inside the folder, a `..` segment is not', () => {
  const project = new Project('file:///work/app', '/work/app', 'app', { rules: [], knownRules: new Set() });
  assert.equal(project.relative('/work/app/..foo.ts'), '..foo.ts');
  assert.equal(project.relative('/work/app/src/..d/x.ts'), 'src/..d/x.ts');
  assert.equal(project.relative('/work/app/src/a.ts'), 'src/a.ts');
  assert.equal(project.relative('/work/other/a.ts'), undefined);
  assert.equal(project.relative('/work'), undefined);
  assert.equal(project.relative('/work/app'), undefined);
});

// Diagnostics over the wire: what is published, for which version, when edits
// race, what the background scan reports for files nobody opened, and what
// happens when a document closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { DiagnosticDataSchema } from '../../server/src/protocol';
import { PACKAGE_JSON, SAFE_SQL, UNSAFE_SQL, rangeOf } from './sources';
import { makeWorkspace, uriOf, withServer } from './support';

test('an SQL injection is published with its rule id, docs link, range, data and version', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const document = await client.open('src/app.ts');
    const published = await client.waitForVersion(document.uri, 1);
    assert.equal(published.diagnostics.length, 1);
    const [diagnostic] = published.diagnostics;
    assert.ok(diagnostic);
    assert.equal(diagnostic.source, 'shipshape');
    assert.equal(diagnostic.code, 'sql-injection');
    assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    assert.match(diagnostic.codeDescription?.href ?? '', /sql-injection/);
    assert.match(String(diagnostic.message), /req\.query\.q/);
    assert.deepEqual(diagnostic.range, rangeOf(UNSAFE_SQL, "`SELECT * FROM products WHERE name = '${req.query.q}'`"));
    assert.deepEqual(DiagnosticDataSchema.parse(diagnostic.data), { ruleId: 'sql-injection', index: 0, documentVersion: 1 });
  });
});

test('editing to the safe form clears the diagnostics for that version', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const document = await client.open('src/app.ts');
    assert.equal((await client.waitForVersion(document.uri, 1)).diagnostics.length, 1);
    const version = await client.edit(document.uri, SAFE_SQL);
    assert.deepEqual((await client.waitForVersion(document.uri, version)).diagnostics, []);
    const back = await client.edit(document.uri, UNSAFE_SQL);
    assert.equal((await client.waitForVersion(document.uri, back)).diagnostics[0]?.code, 'sql-injection');
  });
});

test('rapid edits: only the last version is published, older analyses are dropped', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, { settings: { debounceMs: 1000 } }, async (client) => {
    const document = await client.open('src/app.ts');
    await client.waitForVersion(document.uri, 1);
    const before = client.diagnostics.length;
    let last = 1;
    // Typing, one incremental change per keystroke: insert "// x" at the top, one character at a time.
    for (const [index, char] of [...'// x\n'].entries()) {
      last = await client.edit(document.uri, char, { start: { line: 0, character: index }, end: { line: 0, character: index } });
    }
    const final = await client.waitForVersion(document.uri, last);
    assert.equal(final.diagnostics[0]?.range.start.line, 8, 'the finding moved down one line with the inserted comment');
    const published = client.diagnostics.slice(before).filter((params) => params.uri === document.uri);
    assert.deepEqual(
      published.map((params) => params.version),
      [last],
      'no diagnostics for an intermediate version',
    );
  });
});

test('the background scan publishes findings for files nobody opened, with progress and status', async () => {
  const root = makeWorkspace({
    'package.json': PACKAGE_JSON,
    'src/search.ts': UNSAFE_SQL,
    'src/safe.ts': SAFE_SQL,
    'src/nested/deep/report.ts': UNSAFE_SQL,
    'node_modules/lib/index.js': UNSAFE_SQL,
    'dist/app.js': UNSAFE_SQL,
  });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const search = await client.waitForDiagnostics(uriOf(root, 'src/search.ts'), (params) => params.diagnostics.length === 1);
    assert.equal(search.version, undefined, 'files not open carry no version');
    await client.waitForDiagnostics(uriOf(root, 'src/nested/deep/report.ts'), (params) => params.diagnostics.length === 1);
    assert.equal(client.latestDiagnostics(uriOf(root, 'src/safe.ts')), undefined, 'clean files are not published');
    assert.equal(client.latestDiagnostics(uriOf(root, 'node_modules/lib/index.js')), undefined);
    assert.equal(client.latestDiagnostics(uriOf(root, 'dist/app.js')), undefined);

    const begin = client.progress.find((entry) => entry.value.kind === 'begin');
    assert.ok(begin && begin.value.kind === 'begin');
    assert.equal(begin.value.title, 'Shipshape');
    assert.match(begin.value.message ?? '', /^analyzing 0\/4 files$/);

    await client.waitFor('a status with both findings', () => client.statuses.some((status) => status.state === 'idle' && status.findings.error === 2));
    const status = client.statuses.at(-1);
    assert.ok(status);
    assert.equal(status.filesTotal, 4);
    assert.equal(status.filesAnalyzed, 4);
    assert.equal(status.internalErrors, 0);
    assert.notEqual(status.lastScanMs, null);
  });
});

test('opening a scanned file re-publishes it for its version; closing it keeps the findings of the file on disk', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const document = await client.open('src/app.ts');
    await client.waitForVersion(document.uri, 1);
    const version = await client.edit(document.uri, SAFE_SQL);
    assert.deepEqual((await client.waitForVersion(document.uri, version)).diagnostics, []);
    // The unsaved safe edit is discarded: the disk still holds the injection.
    const count = client.diagnostics.length;
    await client.close(document.uri);
    await client.waitFor('diagnostics after close', () => client.diagnostics.slice(count).some((params) => params.uri === document.uri));
    const after = client.latestDiagnostics(document.uri);
    assert.equal(after?.version, undefined);
    assert.deepEqual(
      after?.diagnostics.map((diagnostic) => diagnostic.code),
      ['sql-injection'],
    );
  });
});

test('syntax errors mid-edit are analyzed like any text, and the next edit recovers', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const document = await client.open('src/app.ts');
    await client.waitForVersion(document.uri, 1);
    const broken = await client.edit(document.uri, UNSAFE_SQL.replace('res.json(rows);\n});', 'res.json(rows'));
    await client.waitForVersion(document.uri, broken);
    const fixed = await client.edit(document.uri, UNSAFE_SQL);
    assert.equal((await client.waitForVersion(document.uri, fixed)).diagnostics[0]?.code, 'sql-injection');
  });
});

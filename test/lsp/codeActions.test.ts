// Code actions over the wire: the preferred fix, suppression (snippet and
// cursor-command flavours), rule docs, source.fixAll for on-save, the fix-all
// command (one edit per fixed region), and version stamping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../../server/src/engine';
import { fixAll } from '../../server/src/engine/fixes/fixAll';
import { ClientCommand, FIX_ALL_KIND, FindingsRequest, RuleDocsRequest, ServerCommand } from '../../server/src/protocol';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { BETWEEN_INJECTIONS, FAR_APART_INJECTIONS, PACKAGE_JSON, TWO_INJECTIONS, UNSAFE_SQL } from './sources';
import { type TestClient, actionsOf, makeWorkspace, snippetText, withServer } from './support';

async function openWithFinding(client: TestClient, text = UNSAFE_SQL): Promise<{ uri: string; actions: CodeAction[] }> {
  const document = await client.open('src/app.ts', text);
  const published = await client.waitForVersion(document.uri, 1);
  const [diagnostic] = published.diagnostics;
  assert.ok(diagnostic);
  return { uri: document.uri, actions: actionsOf(await client.codeActions(document.uri, diagnostic.range, published.diagnostics)) };
}

function textEdits(action: CodeAction): TextDocumentEdit[] {
  return (action.edit?.documentChanges ?? []).filter((change): change is TextDocumentEdit => !('kind' in change));
}

test('the preferred fix parameterizes the query; after applying it the file is clean', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, {}, async (client) => {
    const { uri, actions } = await openWithFinding(client);
    const preferred = actions.filter((action) => action.isPreferred);
    assert.equal(preferred.length, 1, `one preferred action among ${actions.map((action) => action.title).join(', ')}`);
    const [fix] = preferred;
    assert.ok(fix);
    assert.equal(fix.title, 'Parameterize query');
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.diagnostics?.[0]?.code, 'sql-injection');
    assert.deepEqual(
      textEdits(fix).map((edit) => edit.textDocument.version),
      [1],
      'stamped with the analyzed version',
    );
    client.applyEdit(fix.edit ?? {});
    const version = client.documents.get(uri)?.version ?? 0;
    assert.equal(version, 2);
    assert.deepEqual((await client.waitForVersion(uri, version)).diagnostics, []);
    assert.match(client.text(uri), /pool\.query\('SELECT \* FROM products WHERE name = \$1'|\$1/);
  });
});

test('every finding offers suppression and documentation; titles are stable', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, {}, async (client) => {
    const { actions } = await openWithFinding(client);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Parameterize query', 'Suppress sql-injection on this line (with a reason)', 'Show documentation for sql-injection'],
    );
  });
});

test('suppress with a reason: a snippet edit puts the cursor after "-- " when the client supports snippets', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, { snippetEdits: true }, async (client) => {
    const { uri, actions } = await openWithFinding(client);
    const suppress = actions.find((action) => action.title.startsWith('Suppress'));
    assert.ok(suppress);
    assert.equal(suppress.command, undefined);
    const [documentEdit] = textEdits(suppress);
    const [edit] = documentEdit?.edits ?? [];
    assert.ok(edit && 'snippet' in edit, 'a SnippetTextEdit');
    assert.equal(edit.snippet.value, '  // shipshape-ignore-next-line sql-injection -- $0\n');
    assert.deepEqual(edit.range, { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } });

    client.applyEdit(suppress.edit ?? {});
    // No reason yet: the engine says so, and the injection itself is suppressed.
    const unreasoned = await client.waitForVersion(uri, 2);
    assert.deepEqual(
      unreasoned.diagnostics.map((diagnostic) => diagnostic.code),
      ['invalid-suppression'],
    );
    const reasoned = await client.edit(uri, 'input is an enum, checked above', { start: { line: 7, character: 49 }, end: { line: 7, character: 49 } });
    assert.deepEqual((await client.waitForVersion(uri, reasoned)).diagnostics, []);
  });
});

test('suppress with a reason: without snippets, a plain edit and a command that moves the cursor via window/showDocument', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, { snippetEdits: false }, async (client) => {
    const { uri, actions } = await openWithFinding(client);
    const suppress = actions.find((action) => action.title.startsWith('Suppress'));
    assert.ok(suppress);
    const [edit] = textEdits(suppress)[0]?.edits ?? [];
    assert.ok(edit && 'newText' in edit);
    assert.equal(edit.newText, '  // shipshape-ignore-next-line sql-injection -- \n');
    assert.equal(suppress.command?.command, ServerCommand.placeCursor);
    client.applyEdit(suppress.edit ?? {});
    await client.executeCommand(suppress.command.command, suppress.command.arguments);
    const shown = client.shownDocuments.at(-1);
    assert.equal(shown?.uri, uri);
    assert.deepEqual(shown?.selection, { start: { line: 7, character: 49 }, end: { line: 7, character: 49 } });
    assert.equal(client.text(uri).split('\n')[7], '  // shipshape-ignore-next-line sql-injection -- ');
  });
});

test('show documentation: the extension renders docs itself; other clients get the docs URL opened externally', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, { initializationOptions: { showRuleDocsCommand: true } }, async (client) => {
    const { actions } = await openWithFinding(client);
    const docs = actions.find((action) => action.title.startsWith('Show documentation'));
    assert.deepEqual(docs?.command, { title: 'Show documentation', command: ClientCommand.showRuleDocs, arguments: ['sql-injection'] });
    const rendered = RuleDocsRequest.result.parse(await client.connection.sendRequest(RuleDocsRequest.method, { ruleId: 'sql-injection' }));
    assert.ok(rendered);
    assert.match(rendered.markdown, /^# SQL built from untrusted input/);
    assert.match(rendered.markdown, /## Why it breaks in production/);
    assert.equal(RuleDocsRequest.result.parse(await client.connection.sendRequest(RuleDocsRequest.method, { ruleId: 'no-such-rule' })), null);
  });
  await withServer(root, {}, async (client) => {
    const { actions } = await openWithFinding(client);
    const docs = actions.find((action) => action.title.startsWith('Show documentation'));
    assert.equal(docs?.command?.command, ServerCommand.openRuleDocs);
    await client.executeCommand(ServerCommand.openRuleDocs, docs?.command?.arguments);
    assert.equal(client.shownDocuments.at(-1)?.external, true);
    assert.match(client.shownDocuments.at(-1)?.uri ?? '', /sql-injection/);
  });
});

test('source.fixAll.shipshape applies every safe fix in one WorkspaceEdit (editor.codeActionsOnSave)', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, {}, async (client) => {
    const document = await client.open('src/app.ts', TWO_INJECTIONS);
    assert.equal((await client.waitForVersion(document.uri, 1)).diagnostics.length, 2);
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = actionsOf(await client.codeActions(document.uri, whole, [], [FIX_ALL_KIND]));
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind]),
      [['Fix all safe Shipshape problems', FIX_ALL_KIND]],
    );
    const edits = textEdits(actions[0] ?? { title: '' });
    assert.equal(edits.length, 1);
    assert.equal(edits[0]?.textDocument.version, 1);
    assert.equal(edits[0]?.edits.length, 2, 'one edit per fixed call: the lines between them are in neither');
    client.applyEdit(actions[0]?.edit ?? {});
    assert.deepEqual((await client.waitForVersion(document.uri, 2)).diagnostics, []);
    assert.equal(client.text(document.uri).match(/\$1/g)?.length, 2);

    // Nothing left to fix: no action at all.
    assert.deepEqual(actionsOf(await client.codeActions(document.uri, whole, [], [FIX_ALL_KIND])), []);
  });
});

test('the fix-all command applies the same edit through workspace/applyEdit', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, {}, async (client) => {
    const document = await client.open('src/app.ts', TWO_INJECTIONS);
    await client.waitForVersion(document.uri, 1);
    assert.deepEqual(await client.executeCommand(ServerCommand.fixAll, [{ uri: document.uri, version: 1 }]), { applied: 2 });
    assert.equal(client.appliedEdits.at(-1)?.label, 'Fix all safe Shipshape problems');
    assert.deepEqual((await client.waitForVersion(document.uri, 2)).diagnostics, []);
    // A stale request (the document moved on) does nothing.
    assert.deepEqual(await client.executeCommand(ServerCommand.fixAll, [{ uri: document.uri, version: 1 }]), { applied: 0 });
  });
});

test('fix-all edits only the fixed regions: the two hundred lines between two fixes are in no edit', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': FAR_APART_INJECTIONS });
  // The text the engine's fix-all makes of the file: what the one edit from the first change to the last used to carry.
  const expected = fixAll(new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS }), { safeOnly: true, paths: ['src/app.ts'] }).files.get('src/app.ts');
  assert.ok(expected);
  await withServer(root, {}, async (client) => {
    const document = await client.open('src/app.ts', FAR_APART_INJECTIONS);
    assert.deepEqual(
      (await client.waitForVersion(document.uri, 1)).diagnostics.map((diagnostic) => diagnostic.range.start.line),
      [BETWEEN_INJECTIONS.first - 1, BETWEEN_INJECTIONS.last + 1],
    );
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const [action] = actionsOf(await client.codeActions(document.uri, whole, [], [FIX_ALL_KIND]));
    assert.ok(action?.edit);
    const [documentEdit, ...others] = textEdits(action);
    assert.deepEqual(others, []);
    assert.equal(documentEdit?.textDocument.uri, document.uri);
    const edits = (documentEdit?.edits ?? []).map((edit) => ('newText' in edit ? edit : assert.fail('a plain TextEdit')));
    assert.ok(edits.length >= 2, `one edit per fixed call, got ${edits.length}`);
    for (const edit of edits) {
      const { start, end } = edit.range;
      assert.ok(end.line < BETWEEN_INJECTIONS.first || start.line > BETWEEN_INJECTIONS.last, `edit of lines ${start.line}–${end.line} stays out of lines ${BETWEEN_INJECTIONS.first}–${BETWEEN_INJECTIONS.last}`);
    }
    assert.equal(TextDocument.applyEdits(TextDocument.create(document.uri, 'typescript', 1, FAR_APART_INJECTIONS), edits), expected);

    // The command sends the same edit through workspace/applyEdit.
    assert.deepEqual(await client.executeCommand(ServerCommand.fixAll, [{ uri: document.uri, version: 1 }]), { applied: 2 });
    assert.deepEqual(client.appliedEdits.at(-1)?.edit, action.edit);
    assert.deepEqual((await client.waitForVersion(document.uri, 2)).diagnostics, []);
    assert.equal(client.text(document.uri), expected);
  });
});

test('code actions requested right after an edit come from the current version, never from stale diagnostics', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, { settings: { debounceMs: 5000 } }, async (client) => {
    const document = await client.open('src/app.ts', UNSAFE_SQL);
    const published = await client.waitForVersion(document.uri, 1);
    // Insert a line above; the old diagnostics now point one line too high.
    const version = await client.edit(document.uri, '// moved\n', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const stale = published.diagnostics;
    // The client still shows version 1's diagnostics; the cursor sits on the flagged call, now on line 8.
    const cursor = { start: { line: 7, character: 0 }, end: { line: 8, character: 60 } };
    const actions = actionsOf(await client.codeActions(document.uri, cursor, stale));
    // The request flushed the debounced analysis: version 2 is published before any edit is offered.
    assert.equal(client.latestDiagnostics(document.uri)?.version, version);
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix, 'the fix of the current analysis');
    for (const action of actions) for (const edit of textEdits(action)) assert.equal(edit.textDocument.version, version);
    client.applyEdit(fix.edit ?? {});
    await client.codeActions(document.uri, cursor, []);
    assert.deepEqual(client.latestDiagnostics(document.uri), { uri: document.uri, version: version + 1, diagnostics: [] });
  });
});

test('shipshape/findings lists every finding with rule meta, validated by the shared schema', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/a.ts': UNSAFE_SQL, 'src/b.ts': TWO_INJECTIONS });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const result = FindingsRequest.result.parse(await client.connection.sendRequest(FindingsRequest.method, {}));
    assert.equal(result.complete, true);
    assert.deepEqual(
      result.findings.map((finding) => [finding.path, finding.ruleId, finding.range.start.line]),
      [
        ['src/a.ts', 'sql-injection', 7],
        ['src/b.ts', 'sql-injection', 7],
        ['src/b.ts', 'sql-injection', 12],
      ],
    );
    assert.deepEqual(result.findings[0]?.fixes, [{ id: 'parameterize-query', title: 'Parameterize query', safe: true, preferred: true }]);
    const rule = result.rules.find((candidate) => candidate.id === 'sql-injection');
    assert.equal(rule?.dimension, 'security');
    assert.ok(result.rules.some((candidate) => candidate.id === 'invalid-suppression'));
    assert.equal(result.folders[0]?.filesAnalyzed, 3);
  });
});

test('a snippet-unaware client still gets correct text from snippet escapes', () => {
  assert.equal(snippetText('a \\$1 \\} $0 ${1:x}'), 'a $1 }  x');
});

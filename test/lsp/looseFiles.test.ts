// Files opened outside every workspace folder (`code app.ts`, File > Open, Go to
// Definition into another project): analyzed while open, in a loose project rooted
// at their package, and forgotten when closed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity, DidChangeWorkspaceFoldersNotification } from 'vscode-languageserver-protocol/node';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { looseRootOf } from '../../server/src/lsp/project';
import { ScorecardRequest } from '../../server/src/protocol';
import { PACKAGE_JSON, SAFE_SQL, UNSAFE_SQL } from './sources';
import { makeWorkspace, uriOf, withServer } from './support';

/** The path of `path` under `other`, relative to `root` (the client opens paths relative to its root). */
function across(root: string, other: string, path: string): string {
  const depth = root.split('/').length - 1;
  return `${'../'.repeat(depth)}${other.slice(1)}/${path}`;
}

test('with no folder open, an opened file is analyzed, re-analyzed as it is edited, and cleared when closed', async () => {
  const app = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/search.ts': UNSAFE_SQL });
  await withServer(app, { noFolder: true }, async (client) => {
    const document = await client.open('src/search.ts');
    assert.equal((await client.waitForVersion(document.uri, 1)).diagnostics[0]?.code, 'sql-injection');
    const safe = await client.edit(document.uri, SAFE_SQL);
    assert.deepEqual((await client.waitForVersion(document.uri, safe)).diagnostics, []);
    const unsafe = await client.edit(document.uri, UNSAFE_SQL);
    assert.equal((await client.waitForVersion(document.uri, unsafe)).diagnostics.length, 1);
    await client.close(document.uri);
    await client.waitForDiagnostics(document.uri, (params) => params.diagnostics.length === 0, 'the closed file cleared');
    assert.ok(!client.logs.some((log) => log.type === 1), `errors logged: ${client.logs.map((log) => log.message).join('\n')}`);
  });
});

test("a loose file's project is its package: that folder's .shipshape.json applies, and its files share one project", async () => {
  const app = makeWorkspace({
    'package.json': PACKAGE_JSON,
    '.shipshape.json': '{ "rules": { "sql-injection": "info" } }',
    'src/routes/search.ts': UNSAFE_SQL,
    'src/routes/find.ts': UNSAFE_SQL,
  });
  await withServer(app, { noFolder: true }, async (client) => {
    const search = await client.open('src/routes/search.ts');
    const find = await client.open('src/routes/find.ts');
    assert.equal((await client.waitForVersion(search.uri, 1)).diagnostics[0]?.severity, DiagnosticSeverity.Information);
    assert.equal((await client.waitForVersion(find.uri, 1)).diagnostics[0]?.severity, DiagnosticSeverity.Information);
    const announced = client.logs.filter((log) => log.message.includes('outside every workspace folder'));
    assert.equal(announced.length, 1, announced.map((log) => log.message).join('\n'));
    assert.ok(announced[0]?.message.endsWith(`under ${app} on their own`), announced[0]?.message);
  });
});

test('beside an open folder, a file from elsewhere is analyzed, but not one inside node_modules', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  const elsewhere = makeWorkspace({ 'app.ts': UNSAFE_SQL });
  const library = makeWorkspace({ 'node_modules/lib/index.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    // Opened first, so it would be analyzed before the file after it.
    const dependency = await client.open(across(root, library, 'node_modules/lib/index.ts'));
    const outside = await client.open(across(root, elsewhere, 'app.ts'));
    const inside = await client.open('src/new.ts', UNSAFE_SQL);
    assert.equal((await client.waitForVersion(outside.uri, 1)).diagnostics[0]?.code, 'sql-injection');
    await client.waitForVersion(inside.uri, 1);
    assert.equal(client.latestDiagnostics(dependency.uri), undefined);
    // The scorecard grades the folder, not the loose files beside it.
    const scorecard = ScorecardRequest.result.parse(await client.connection.sendRequest(ScorecardRequest.method, {}));
    assert.deepEqual(scorecard?.folders.map((folder) => folder.uri), [pathToFileURL(root).href]);
    await client.close(outside.uri);
    await client.waitForDiagnostics(outside.uri, (params) => params.diagnostics.length === 0, 'the closed outside file cleared');
  });
});

test('a loose file belongs to a folder added around it, which keeps its findings once it is closed', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  const other = makeWorkspace({ 'package.json': PACKAGE_JSON, 'search.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const document = await client.open(across(root, other, 'search.ts'));
    assert.equal((await client.waitForVersion(document.uri, 1)).diagnostics.length, 1);
    const since = client.progress.length;
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: pathToFileURL(other).href, name: 'other' }], removed: [] } });
    await client.waitForScanEnd(since);
    await client.close(document.uri);
    // A folder's closed file is what is on disk, and stays published (workspace findings).
    await client.waitForDiagnostics(uriOf(other, 'search.ts'), (params) => params.version === undefined && params.diagnostics.length === 1, "the folder's analysis of the closed file");
  });
});

test('a loose project is rooted at the nearest package.json, else the file\'s folder, and never inside dependencies', () => {
  const app = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/routes/search.ts': UNSAFE_SQL });
  assert.equal(looseRootOf(join(app, 'src/routes/search.ts')), app);
  const bare = makeWorkspace({ 'scripts/seed.ts': UNSAFE_SQL });
  assert.equal(looseRootOf(join(bare, 'scripts/seed.ts')), join(bare, 'scripts'));
  const dependency = makeWorkspace({ 'node_modules/lib/package.json': PACKAGE_JSON, 'node_modules/lib/index.ts': UNSAFE_SQL });
  assert.equal(looseRootOf(join(dependency, 'node_modules/lib/index.ts')), undefined);
  assert.equal(looseRootOf(join(app, 'dist/server.js')), undefined);
});

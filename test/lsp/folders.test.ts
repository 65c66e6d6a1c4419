// Workspace folders and the file system over the wire: which folder publishes a
// file when folders nest, and what changes on disk clear or bring back.
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DidChangeWatchedFilesNotification, type DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersNotification, FileChangeType, WatchKind } from 'vscode-languageserver-protocol/node';
import { FindingsRequest, ServerCommand } from '../../server/src/protocol';
import { PACKAGE_JSON, UNSAFE_SQL } from './sources';
import { type TestClient, makeWorkspace, uriOf, withServer } from './support';

async function changeFolders(client: TestClient, change: { added?: string[]; removed?: string[] }): Promise<void> {
  const folder = (root: string): { uri: string; name: string } => ({ uri: pathToFileURL(root).href, name: root });
  await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: (change.added ?? []).map(folder), removed: (change.removed ?? []).map(folder) } });
}

test('a nested workspace folder publishes its files with its own config; removed, the folder around it takes them back', async () => {
  // A monorepo opened as the repository plus one of its packages, each with its own .shipshape.json.
  const root = makeWorkspace({
    'package.json': PACKAGE_JSON,
    '.shipshape.json': '{ "rules": { "sql-injection": "warning" } }',
    'api/package.json': PACKAGE_JSON,
    'api/.shipshape.json': '{ "rules": { "sql-injection": "info" } }',
    'api/search.ts': UNSAFE_SQL,
  });
  const nested = `${root}/api`;
  const uri = uriOf(root, 'api/search.ts');
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    await client.waitForDiagnostics(uri, (params) => params.diagnostics[0]?.severity === DiagnosticSeverity.Warning, 'the outer folder reports the file at first');

    await changeFolders(client, { added: [nested] });
    await client.waitForDiagnostics(uri, (params) => params.diagnostics[0]?.severity === DiagnosticSeverity.Information, 'the nested folder takes the file over');
    // Both folders rescanned: the outer one must leave the nested folder's file alone.
    await client.executeCommand(ServerCommand.analyzeWorkspace);
    const findings = FindingsRequest.result.parse(await client.connection.sendRequest(FindingsRequest.method, {}));
    assert.deepEqual(
      findings.findings.filter((finding) => finding.path === 'search.ts' || finding.path === 'api/search.ts').map((finding) => [finding.folder, finding.severity]),
      [[pathToFileURL(nested).href, 'info']],
    );
    assert.equal(client.latestDiagnostics(uri)?.diagnostics[0]?.severity, DiagnosticSeverity.Information);

    await changeFolders(client, { removed: [nested] });
    await client.waitForDiagnostics(uri, (params) => params.diagnostics[0]?.severity === DiagnosticSeverity.Warning, 'the outer folder reports the file again');
  });
});

test('removing the outer folder leaves what a nested folder published', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'api/package.json': PACKAGE_JSON, 'api/search.ts': UNSAFE_SQL });
  const nested = `${root}/api`;
  const uri = uriOf(root, 'api/search.ts');
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 1);
    const before = client.diagnostics.length;
    await changeFolders(client, { added: [nested] });
    await client.waitFor('the nested folder publishing the file', () => client.diagnostics.slice(before).some((params) => params.uri === uri && params.diagnostics.length === 1));
    await changeFolders(client, { removed: [root] });
    // The removal is handled in order with later messages: a findings request answers after it.
    const findings = FindingsRequest.result.parse(await client.connection.sendRequest(FindingsRequest.method, {}));
    assert.deepEqual(
      findings.findings.map((finding) => finding.folder),
      [pathToFileURL(nested).href],
    );
    assert.equal(client.latestDiagnostics(uri)?.diagnostics.length, 1);
  });
});

test('a deleted folder, reported as one event for the folder, clears its files; one moved in its place is analyzed', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/routes/search.ts': UNSAFE_SQL, 'src/old/search.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const watchers = client.registrations.flatMap((params) => params.registrations).filter((registration) => registration.method === DidChangeWatchedFilesNotification.method).flatMap((registration) => (registration.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers);
    assert.ok(watchers.some((watcher) => watcher.globPattern === '**/*' && ((watcher.kind ?? WatchKind.Delete) & WatchKind.Delete) !== 0), 'folder deletions are watched');
    const deleted = uriOf(root, 'src/routes/search.ts');
    await client.waitForDiagnostics(deleted, (params) => params.diagnostics.length === 1);

    // `rm -rf src/routes`: VS Code sends one Deleted event, for the folder.
    rmSync(join(root, 'src/routes'), { recursive: true });
    await client.fileChanged([{ uri: uriOf(root, 'src/routes'), type: FileChangeType.Deleted }]);
    await client.waitForDiagnostics(deleted, (params) => params.diagnostics.length === 0, "the deleted folder's file cleared");

    // `mv src/old src/api`: the folder's Deleted event is all that matches a watcher.
    const moved = uriOf(root, 'src/api/search.ts');
    await client.waitForDiagnostics(uriOf(root, 'src/old/search.ts'), (params) => params.diagnostics.length === 1);
    renameSync(join(root, 'src/old'), join(root, 'src/api'));
    await client.fileChanged([{ uri: uriOf(root, 'src/old'), type: FileChangeType.Deleted }]);
    await client.waitForDiagnostics(uriOf(root, 'src/old/search.ts'), (params) => params.diagnostics.length === 0, "the moved folder's old path cleared");
    await client.waitForDiagnostics(moved, (params) => params.diagnostics.length === 1, "the moved folder's file analyzed at its new path");
  });
});

test('a folder moved in from outside the workspace, reported as one Created event for the folder, is analyzed', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/server.ts': 'export {};\n' });
  const outside = makeWorkspace({ 'feature/search.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const watchers = client.registrations.flatMap((params) => params.registrations).filter((registration) => registration.method === DidChangeWatchedFilesNotification.method).flatMap((registration) => (registration.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers);
    assert.ok(watchers.some((watcher) => watcher.globPattern === '**/*' && ((watcher.kind ?? 0) & WatchKind.Create) !== 0), 'folder creations are watched');
    // A build output folder appearing is not analyzed.
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/search.js'), UNSAFE_SQL);
    await client.fileChanged([{ uri: uriOf(root, 'dist'), type: FileChangeType.Created }]);
    // `mv ../elsewhere/feature src/feature`: VS Code sends one Created event, for the folder.
    renameSync(join(outside, 'feature'), join(root, 'src/feature'));
    await client.fileChanged([{ uri: uriOf(root, 'src/feature'), type: FileChangeType.Created }]);
    await client.waitForDiagnostics(uriOf(root, 'src/feature/search.ts'), (params) => params.diagnostics.length === 1, "the moved-in folder's file analyzed");
    assert.equal(client.latestDiagnostics(uriOf(root, 'dist/search.js')), undefined);
  });
});

test('a file opened and closed outside every folder is analyzed once a folder holding it is added', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  const other = makeWorkspace({ 'package.json': PACKAGE_JSON, 'search.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    // Opened from another project (Go to Definition, File > Open), then closed.
    const document = await client.open(`../${other.slice(other.lastIndexOf('/') + 1)}/search.ts`, UNSAFE_SQL);
    await client.close(document.uri);
    await changeFolders(client, { added: [other] });
    await client.waitForDiagnostics(uriOf(other, 'search.ts'), (params) => params.diagnostics.length === 1, 'the file analyzed from disk');
  });
});

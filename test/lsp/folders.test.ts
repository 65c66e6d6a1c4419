// Workspace folders and the file system over the wire: which folder publishes a
// file when folders nest, and what changes on disk clear or bring back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DidChangeWorkspaceFoldersNotification } from 'vscode-languageserver-protocol/node';
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

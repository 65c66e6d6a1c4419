// Bad input never kills the server: huge and binary files (skipped with a
// reason, logged, nothing published), a rule that throws (logged as an
// internal error; the other rules still report), bad requests (answered, logged).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MessageType } from 'vscode-languageserver-protocol/node';
import { FindingsRequest, StatusNotification } from '../../server/src/protocol';
import { PACKAGE_JSON, UNSAFE_SQL } from './sources';
import { REPO, makeWorkspace, uriOf, withServer } from './support';

const FIVE_MB = `// generated data\nexport const rows = [\n${'  { id: 1, name: "a row of data" },\n'.repeat(150_000)}];\n`;
const BINARY = `\0\x01\x02PNG\0\0${'\xff\xfe'.repeat(1000)}`;

test('a 5 MB file and a binary file are skipped with a logged reason; the server keeps answering', async () => {
  assert.ok(FIVE_MB.length > 5_000_000);
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/data.ts': FIVE_MB, 'src/logo.js': Buffer.from(BINARY, 'latin1') });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const big = await client.open('src/data.ts', FIVE_MB);
    const binary = await client.open('src/logo.js', BINARY, 'javascript');
    await client.waitForLog(/skipped src\/data\.ts: larger than 2 MB/);
    await client.waitForLog(/skipped src\/logo\.js: binary file/);
    // Edits to skipped files are harmless too.
    await client.edit(big.uri, `${FIVE_MB}// more\n`);
    await client.edit(binary.uri, `${BINARY}\0`);

    const app = await client.open('src/app.ts', UNSAFE_SQL);
    assert.equal((await client.waitForVersion(app.uri, 1)).diagnostics[0]?.code, 'sql-injection');
    assert.equal(client.latestDiagnostics(big.uri), undefined, 'nothing published for the big file');
    assert.equal(client.latestDiagnostics(binary.uri), undefined, 'nothing published for the binary file');
    const findings = FindingsRequest.result.parse(await client.connection.sendRequest(FindingsRequest.method, {}));
    assert.ok(findings.folders[0]?.skipped.some((skip) => skip.path === 'src/data.ts'));
    assert.ok(client.alive);
    assert.ok(!client.logs.some((log) => log.type === MessageType.Error), client.logs.map((log) => log.message).join('\n'));
  });
});

test('a rule that throws is logged as an internal error; the other rules still report', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  const command = { args: ['--import', 'tsx', join(REPO, 'test', 'lsp', 'throwingServer.ts'), '--stdio'] };
  await withServer(root, { command }, async (client) => {
    const document = await client.open('src/app.ts', `${UNSAFE_SQL}// explode\n`);
    const published = await client.waitForVersion(document.uri, 1);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => diagnostic.code),
      ['sql-injection'],
    );
    const log = await client.waitForLog(/\[test-throwing-rule\] src\/app\.ts: rule crashed: boom from the throwing test rule/);
    assert.equal(log.type, MessageType.Error);
    await client.waitFor('a status counting the internal error', () => client.statuses.some((status) => status.internalErrors === 1));
    const findings = FindingsRequest.result.parse(await client.connection.sendRequest(FindingsRequest.method, {}));
    assert.deepEqual(
      findings.internalErrors.map((error) => error.ruleId),
      ['test-throwing-rule'],
    );
    // Once the trigger is gone, the error is gone from the status too.
    const version = await client.edit(document.uri, UNSAFE_SQL);
    await client.waitForVersion(document.uri, version);
    await client.waitFor('a status without internal errors', () => client.statuses.at(-1)?.internalErrors === 0);
    assert.ok(client.alive);
  });
});

test('malformed requests and unknown commands are answered and logged, never fatal', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    await assert.rejects(client.connection.sendRequest('shipshape/ruleDocs', { rule: 42 }));
    assert.equal(await client.executeCommand('shipshape.server.noSuchCommand'), null);
    await assert.rejects(client.executeCommand('shipshape.server.fixAll', ['not an object']));
    assert.deepEqual(await client.codeActions(uriOf(root, 'src/never-opened.ts'), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    await client.waitForLog(/unknown command shipshape\.server\.noSuchCommand/);
    await client.waitFor('a status notification', () => client.statuses.length > 0);
    assert.ok(StatusNotification.schema.safeParse(client.statuses.at(-1)).success);
    const document = await client.open('src/app.ts');
    assert.equal((await client.waitForVersion(document.uri, 1)).diagnostics[0]?.code, 'sql-injection');
  });
});

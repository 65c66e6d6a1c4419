// `.shipshape.json` and the `shipshape.*` settings over the wire: a broken
// config is a precise diagnostic on that file while the defaults keep working;
// fixing it (on disk or in the editor) re-analyzes everything; user settings
// override the repo per rule; `enable: false` clears everything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity, DidChangeConfigurationNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { CONFIG_DIAGNOSTIC_CODE } from '../../server/src/protocol';
import { PACKAGE_JSON, UNSAFE_SQL, rangeOf } from './sources';
import { makeWorkspace, uriOf, withServer, writeFile } from './support';

test('an invalid value in .shipshape.json is flagged on that value; other diagnostics still arrive with the defaults', async () => {
  const config = '{\n  "rules": {\n    "sql-injection": "loud"\n  }\n}\n';
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.shipshape.json': config, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const published = await client.waitForDiagnostics(uriOf(root, '.shipshape.json'), (params) => params.diagnostics.length > 0);
    assert.equal(published.diagnostics.length, 1);
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic?.code, CONFIG_DIAGNOSTIC_CODE);
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Error);
    assert.deepEqual(diagnostic?.range, rangeOf(config, '"loud"'));
    assert.match(String(diagnostic?.message), /rules\.sql-injection/);
    assert.match(String(diagnostic?.message), /This entry is ignored until this is fixed/);
    // The rule's default applies: the injection is still reported.
    await client.waitForDiagnostics(uriOf(root, 'src/app.ts'), (params) => params.diagnostics.some((d) => d.code === 'sql-injection'));
  });
});

test('a .shipshape.json saved with a byte order mark applies, with no diagnostic', async () => {
  // Notepad and PowerShell 5 write one; editors hide it, and the engine's own read drops it.
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.shipshape.json': '\uFEFF{\r\n  "rules": { "sql-injection": "warning" }\r\n}\r\n', 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForScanEnd();
    const published = await client.waitForDiagnostics(uriOf(root, 'src/app.ts'), (params) => params.diagnostics.length === 1);
    assert.equal(published.diagnostics[0]?.severity, DiagnosticSeverity.Warning);
    assert.equal(client.latestDiagnostics(uriOf(root, '.shipshape.json')), undefined);
  });
});

test('unknown keys, unknown rules and broken JSON point at what is wrong', async () => {
  const unknownKey = '{\n  "rulez": {}\n}\n';
  const unknownRule = '{ "rules": { "sql-injektion": "off" } }';
  const broken = '{\n  "rules": {\n    "sql-injection": "off",\n  }\n}\n';
  for (const [config, expected] of [
    [unknownKey, rangeOf(unknownKey, '"rulez"')],
    [unknownRule, rangeOf(unknownRule, '"sql-injektion"')],
    [broken, { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } }],
  ] as const) {
    const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.shipshape.json': config });
    await withServer(root, {}, async (client) => {
      const published = await client.waitForDiagnostics(uriOf(root, '.shipshape.json'), (params) => params.diagnostics.length > 0);
      assert.deepEqual(published.diagnostics[0]?.range, expected, `${config}: ${published.diagnostics[0]?.message}`);
    });
  }
});

test('fixing .shipshape.json on disk clears its diagnostic and applies it to every file', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.shipshape.json': '{ "rules": { "sql-injection": 3 } }', 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    await client.waitForDiagnostics(uriOf(root, '.shipshape.json'), (params) => params.diagnostics.length === 1);
    await client.waitForDiagnostics(uriOf(root, 'src/app.ts'), (params) => params.diagnostics.length === 1);
    writeFile(root, '.shipshape.json', '{ "rules": { "sql-injection": "off" } }');
    await client.fileChanged([{ uri: uriOf(root, '.shipshape.json'), type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(uriOf(root, '.shipshape.json'), (params) => params.diagnostics.length === 0);
    await client.waitForDiagnostics(uriOf(root, 'src/app.ts'), (params) => params.diagnostics.length === 0);
  });
});

test('editing .shipshape.json in the editor re-analyzes open files as you type', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.shipshape.json': '{ "rules": {} }' });
  await withServer(root, { settings: { debounceMs: 0 } }, async (client) => {
    const app = await client.open('src/app.ts', UNSAFE_SQL);
    assert.equal((await client.waitForVersion(app.uri, 1)).diagnostics[0]?.severity, DiagnosticSeverity.Error);
    const config = await client.open('.shipshape.json', undefined, 'json');
    await client.waitForVersion(config.uri, 1);
    const invalid = await client.edit(config.uri, '{ "rules": { "sql-injection": "warn" } }');
    const flagged = await client.waitForVersion(config.uri, invalid);
    assert.equal(flagged.diagnostics[0]?.code, CONFIG_DIAGNOSTIC_CODE);
    const valid = await client.edit(config.uri, '{ "rules": { "sql-injection": "warning" } }');
    assert.deepEqual((await client.waitForVersion(config.uri, valid)).diagnostics, []);
    await client.waitForDiagnostics(app.uri, (params) => params.version === 1 && params.diagnostics[0]?.severity === DiagnosticSeverity.Warning);
  });
});

test('user settings override the repo per rule, and a settings change re-analyzes', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.shipshape.json': '{ "rules": { "sql-injection": "info" } }', 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const uri = uriOf(root, 'src/app.ts');
    await client.waitForDiagnostics(uri, (params) => params.diagnostics[0]?.severity === DiagnosticSeverity.Information);
    client.settings = { ...client.settings, rules: { ...(client.settings.rules as object), 'sql-injection': 'error' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitForDiagnostics(uri, (params) => params.diagnostics[0]?.severity === DiagnosticSeverity.Error);
  });
});

test('shipshape.exclude leaves files out; shipshape.enable false clears everything', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL, 'scripts/seed.ts': UNSAFE_SQL });
  await withServer(root, { settings: { exclude: ['scripts/'] } }, async (client) => {
    await client.waitForScanEnd();
    const app = uriOf(root, 'src/app.ts');
    await client.waitForDiagnostics(app, (params) => params.diagnostics.length === 1);
    assert.equal(client.latestDiagnostics(uriOf(root, 'scripts/seed.ts')), undefined);
    const seed = await client.open('scripts/seed.ts');
    const opened = await client.open('src/other.ts', UNSAFE_SQL);
    await client.waitForVersion(opened.uri, 1);
    assert.equal(client.latestDiagnostics(seed.uri), undefined, 'an excluded file stays silent when opened');

    client.settings = { ...client.settings, enable: false };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitForDiagnostics(app, (params) => params.diagnostics.length === 0);
    await client.waitForDiagnostics(opened.uri, (params) => params.diagnostics.length === 0);
    await client.waitFor('a disabled status', () => client.statuses.at(-1)?.state === 'disabled');
    await client.edit(opened.uri, `${UNSAFE_SQL}\n`);
    client.settings = { ...client.settings, enable: true };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitForDiagnostics(opened.uri, (params) => params.version === 2 && params.diagnostics.length === 1);
  });
});

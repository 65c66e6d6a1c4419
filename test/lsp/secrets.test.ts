// The multi-file "Move secret to env" fix as a WorkspaceEdit: CreateFile with
// ignoreIfExists for missing files, `.gitignore` before `.env`, appends (never
// overwrites) to files that exist, and a fix that is rebuilt — not replayed —
// when `.env` changed after the analysis.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CodeAction, type CreateFile, FileChangeType, type TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { BILLING, PACKAGE_JSON, STRIPE_KEY } from './sources';
import { type TestClient, actionsOf, makeWorkspace, uriOf, withServer, writeFile } from './support';

async function moveSecretAction(client: TestClient): Promise<{ uri: string; action: CodeAction }> {
  const document = await client.open('src/billing.ts', BILLING);
  const published = await client.waitForVersion(document.uri, 1);
  const diagnostic = published.diagnostics.find((candidate) => candidate.code === 'hardcoded-secret');
  assert.ok(diagnostic, `a hardcoded-secret finding in ${JSON.stringify(published.diagnostics)}`);
  assert.ok(!String(diagnostic.message).includes(STRIPE_KEY), 'the message never repeats the secret');
  const actions = actionsOf(await client.codeActions(document.uri, diagnostic.range, published.diagnostics));
  const action = actions.find((candidate) => candidate.title.startsWith('Move secret to env'));
  assert.ok(action, `a move-to-env action among ${actions.map((candidate) => candidate.title).join(', ')}`);
  return { uri: document.uri, action };
}

/** The edit's steps as `create <file>` / `edit <file>`, in order. */
function steps(root: string, action: CodeAction): string[] {
  return (action.edit?.documentChanges ?? []).map((change) => {
    if ('kind' in change) return `create ${(change as CreateFile).uri.slice(uriOf(root, '').length).replace(/^\//, '')}`;
    return `edit ${(change as TextDocumentEdit).textDocument.uri.slice(uriOf(root, '').length).replace(/^\//, '')}`;
  });
}

const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

test('move secret to env in a fresh project creates .gitignore, .env and .env.example — .gitignore first', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, {}, async (client) => {
    const { uri, action } = await moveSecretAction(client);
    assert.equal(action.title, 'Move secret to env as STRIPE_SECRET_KEY');
    assert.equal(action.isPreferred, true);
    assert.deepEqual(steps(root, action), ['create .gitignore', 'edit .gitignore', 'create .env', 'edit .env', 'create .env.example', 'edit .env.example', 'edit src/billing.ts']);
    for (const change of action.edit?.documentChanges ?? []) {
      if ('kind' in change) assert.deepEqual((change as CreateFile).options, { ignoreIfExists: true });
    }
    client.applyEdit(action.edit ?? {});
    assert.equal(read(root, '.gitignore'), '.env\n');
    assert.equal(read(root, '.env'), `STRIPE_SECRET_KEY=${STRIPE_KEY}\n`);
    assert.equal(read(root, '.env.example'), 'STRIPE_SECRET_KEY=\n');
    assert.match(client.text(uri), /new Stripe\(process\.env\.STRIPE_SECRET_KEY, /);
    assert.deepEqual((await client.waitForVersion(uri, 2)).diagnostics, []);
  });
});

test('move secret to env appends to an existing .env and .gitignore and never overwrites them', async () => {
  const root = makeWorkspace({
    'package.json': PACKAGE_JSON,
    '.gitignore': 'node_modules/\ndist/',
    '.env': 'PORT=3000\r\nNODE_ENV=development\r\n',
  });
  await withServer(root, {}, async (client) => {
    const { uri, action } = await moveSecretAction(client);
    assert.deepEqual(steps(root, action), ['edit .gitignore', 'edit .env', 'create .env.example', 'edit .env.example', 'edit src/billing.ts']);
    client.applyEdit(action.edit ?? {});
    assert.equal(read(root, '.gitignore'), 'node_modules/\ndist/\n.env\n');
    assert.equal(read(root, '.env'), `PORT=3000\r\nNODE_ENV=development\r\nSTRIPE_SECRET_KEY=${STRIPE_KEY}\r\n`);
    assert.equal(read(root, '.env.example'), 'STRIPE_SECRET_KEY=\n');
    assert.deepEqual((await client.waitForVersion(uri, 2)).diagnostics, []);
  });
});

test('when .env is already ignored, the fix leaves .gitignore alone', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.gitignore': '.env*\n!.env.example\n', '.env.example': '# fill in\n' });
  await withServer(root, {}, async (client) => {
    const { action } = await moveSecretAction(client);
    assert.deepEqual(steps(root, action), ['create .env', 'edit .env', 'edit .env.example', 'edit src/billing.ts']);
    client.applyEdit(action.edit ?? {});
    assert.equal(read(root, '.gitignore'), '.env*\n!.env.example\n');
    assert.equal(read(root, '.env.example'), '# fill in\nSTRIPE_SECRET_KEY=\n');
  });
});

test('a .env created after the analysis: the fix is rebuilt to append to it, never to create over it', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.gitignore': '.env\n' });
  await withServer(root, {}, async (client) => {
    const { uri, action } = await moveSecretAction(client);
    assert.deepEqual(steps(root, action).slice(0, 2), ['create .env', 'edit .env']);
    await client.waitForScanEnd();

    // Someone writes .env outside the editor; the watcher tells the server.
    writeFile(root, '.env', 'DATABASE_URL=postgres://localhost/app\n');
    const count = client.diagnostics.length;
    await client.fileChanged([{ uri: uriOf(root, '.env'), type: FileChangeType.Created }]);
    await client.waitFor('re-analysis of the open file', () => client.diagnostics.slice(count).some((params) => params.uri === uri));

    const published = client.latestDiagnostics(uri);
    const diagnostic = published?.diagnostics.find((candidate) => candidate.code === 'hardcoded-secret');
    assert.ok(diagnostic);
    const actions = actionsOf(await client.codeActions(uri, diagnostic.range, published?.diagnostics ?? []));
    const rebuilt = actions.find((candidate) => candidate.title.startsWith('Move secret to env'));
    assert.ok(rebuilt);
    assert.deepEqual(steps(root, rebuilt).slice(0, 1), ['edit .env']);
    client.applyEdit(rebuilt.edit ?? {});
    assert.equal(read(root, '.env'), `DATABASE_URL=postgres://localhost/app\nSTRIPE_SECRET_KEY=${STRIPE_KEY}\n`);
    assert.ok(existsSync(join(root, '.env.example')));
  });
});

test('a .env rewritten on disk with no watcher event: the fix built on the old text is not offered, and the next one is built on the new text', async () => {
  // Not every client watches files (Neovim on Linux does not by default), and VS Code's event comes late.
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.gitignore': '.env\n', '.env': 'PORT=3000' });
  await withServer(root, {}, async (client) => {
    const { uri } = await moveSecretAction(client);
    // The old fix inserted at the end of `PORT=3000`: in the new text, that is inside the port.
    writeFile(root, '.env', 'PORT=3000000');
    const published = client.latestDiagnostics(uri);
    const diagnostic = published?.diagnostics.find((candidate) => candidate.code === 'hardcoded-secret');
    assert.ok(diagnostic);
    const publishes = client.diagnostics.length;
    const actions = actionsOf(await client.codeActions(uri, diagnostic.range, published?.diagnostics ?? []));
    assert.equal(actions.find((candidate) => candidate.title.startsWith('Move secret to env')), undefined, 'no fix built on the old .env');
    assert.equal(read(root, '.env'), 'PORT=3000000');
    // Noticing the change reloads .env as a watcher event would, and the file is analyzed again.
    await client.waitForLog(/\.env changed on disk with no watcher event/);
    await client.waitFor('the file analyzed again', () => client.diagnostics.slice(publishes).some((params) => params.uri === uri));
    const again = client.latestDiagnostics(uri);
    const found = again?.diagnostics.find((candidate) => candidate.code === 'hardcoded-secret');
    assert.ok(found);
    const rebuilt = actionsOf(await client.codeActions(uri, found.range, again?.diagnostics ?? [])).find((candidate) => candidate.title.startsWith('Move secret to env'));
    assert.ok(rebuilt, 'the fix is offered again, built on the new .env');
    client.applyEdit(rebuilt.edit ?? {});
    assert.equal(read(root, '.env'), `PORT=3000000\nSTRIPE_SECRET_KEY=${STRIPE_KEY}\n`);
  });
});

test('an unsaved edit to .gitignore counts: ignoring .env clears its finding, closing without saving brings it back', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.gitignore': 'node_modules/\n', '.env': `STRIPE_SECRET_KEY=${STRIPE_KEY}\n` });
  await withServer(root, {}, async (client) => {
    const env = uriOf(root, '.env');
    await client.waitForDiagnostics(env, (params) => params.diagnostics.some((diagnostic) => diagnostic.code === 'hardcoded-secret'));
    const gitignore = await client.open('.gitignore', undefined, 'ignore');
    await client.edit(gitignore.uri, 'node_modules/\n.env\n');
    await client.waitForDiagnostics(env, (params) => params.diagnostics.length === 0);
    await client.close(gitignore.uri);
    await client.waitForDiagnostics(env, (params) => params.diagnostics.some((diagnostic) => diagnostic.code === 'hardcoded-secret'));
  });
});

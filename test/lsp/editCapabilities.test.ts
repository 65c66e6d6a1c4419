// Clients that declare less than VS Code in `workspace.workspaceEdit` (some
// Emacs/eglot setups, Kate, older editors): without `documentChanges` they get
// the `changes` map; without the `create` resource operation they are never sent
// a fix that creates a file, and fix-all leaves those fixes out. The test client
// refuses any edit using what it did not declare, as such editors do.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { ApplyFixResultSchema, FIX_ALL_KIND, ServerCommand } from '../../server/src/protocol';
import { BILLING, PACKAGE_JSON, STRIPE_KEY, UNSAFE_SQL } from './sources';
import { type StartOptions, type TestClient, actionsOf, makeWorkspace, uriOf, withServer } from './support';

const NO_DOCUMENT_CHANGES: StartOptions = { workspaceEdit: { documentChanges: false, resourceOperations: [] } };
const NO_RESOURCE_OPERATIONS: StartOptions = { workspaceEdit: { documentChanges: true, resourceOperations: [] } };

const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

/** The code actions for the first finding with `code` in a freshly opened file. */
async function actionsFor(client: TestClient, path: string, text: string, code: string): Promise<{ uri: string; actions: CodeAction[] }> {
  const document = await client.open(path, text);
  const published = await client.waitForVersion(document.uri, 1);
  const diagnostic = published.diagnostics.find((candidate) => candidate.code === code);
  assert.ok(diagnostic, `a ${code} finding in ${JSON.stringify(published.diagnostics)}`);
  return { uri: document.uri, actions: actionsOf(await client.codeActions(document.uri, diagnostic.range, published.diagnostics)) };
}

test('without documentChanges, Parameterize query is a changes edit that fixes the file', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON });
  await withServer(root, NO_DOCUMENT_CHANGES, async (client) => {
    const { uri, actions } = await actionsFor(client, 'src/app.ts', UNSAFE_SQL, 'sql-injection');
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Parameterize query', 'Suppress sql-injection on this line (with a reason)', 'Show documentation for sql-injection'],
    );
    for (const action of actions) assert.equal(action.edit?.documentChanges, undefined, `${action.title} has no documentChanges`);
    const [fix] = actions;
    assert.deepEqual(Object.keys(fix?.edit?.changes ?? {}), [uri]);
    client.applyEdit(fix?.edit ?? {});
    assert.deepEqual((await client.waitForVersion(uri, 2)).diagnostics, []);
    assert.match(client.text(uri), /pool\.query\(`SELECT \* FROM products WHERE name = \$1`, \[req\.query\.q\]\)/);
  });
});

for (const [name, options] of [
  ['without resource operations', NO_RESOURCE_OPERATIONS],
  ['without documentChanges', NO_DOCUMENT_CHANGES],
] as const) {
  test(`${name}, Move secret to env is not offered while it would create .env`, async () => {
    const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.gitignore': '.env\n' });
    await withServer(root, options, async (client) => {
      const { actions } = await actionsFor(client, 'src/billing.ts', BILLING, 'hardcoded-secret');
      assert.deepEqual(
        actions.map((action) => action.title),
        ['Suppress hardcoded-secret on this line (with a reason)', 'Show documentation for hardcoded-secret'],
      );
      assert.equal(existsSync(join(root, '.env')), false);
    });
  });

  test(`${name}, Move secret to env is offered when .env, .env.example and a .gitignore listing .env exist`, async () => {
    const root = makeWorkspace({ 'package.json': PACKAGE_JSON, '.gitignore': 'node_modules/\n.env\n', '.env': 'PORT=3000\n', '.env.example': 'PORT=\n' });
    await withServer(root, options, async (client) => {
      const { uri, actions } = await actionsFor(client, 'src/billing.ts', BILLING, 'hardcoded-secret');
      const move = actions.find((action) => action.title.startsWith('Move secret to env'));
      assert.ok(move, `Move secret to env among ${actions.map((action) => action.title).join(', ')}`);
      client.applyEdit(move.edit ?? {});
      assert.equal(read(root, '.env'), `PORT=3000\nSTRIPE_SECRET_KEY=${STRIPE_KEY}\n`);
      assert.equal(read(root, '.env.example'), 'PORT=\nSTRIPE_SECRET_KEY=\n');
      assert.equal(read(root, '.gitignore'), 'node_modules/\n.env\n');
      assert.match(client.text(uri), /new Stripe\(process\.env\.STRIPE_SECRET_KEY, /);
      assert.deepEqual((await client.waitForVersion(uri, 2)).diagnostics, []);
    });
  });
}

/**
 * A schema dump with two unindexed foreign keys: the `orders` table is also created
 * by a migration, so its index goes in a new migration (a file to create); `reviews`
 * is only here, so its index is added in place.
 */
const MIGRATIONS = {
  'package.json': JSON.stringify({ name: 'app', dependencies: { pg: '^8.11.0' } }),
  'db/migrations/001_init.sql': 'CREATE TABLE users (id SERIAL PRIMARY KEY);\nCREATE TABLE orders (id SERIAL PRIMARY KEY, coupon_id INTEGER REFERENCES users(id));\n',
};
const SCHEMA = `CREATE TABLE users (id SERIAL PRIMARY KEY);
CREATE TABLE orders (id SERIAL PRIMARY KEY, coupon_id INTEGER REFERENCES users(id));
CREATE TABLE reviews (id SERIAL PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users(id));
`;
const NEW_MIGRATION = 'db/migrations/002_add_orders_coupon_id_index.sql';

// On save, only the saved file changes, whatever the editor can do: where it cannot create
// files, and also where it can (VS Code), the fix that writes a new migration is left to the user.
for (const [name, options] of [
  ['without resource operations', NO_RESOURCE_OPERATIONS],
  ['without documentChanges', NO_DOCUMENT_CHANGES],
  ['with documentChanges and CreateFile', {}],
] as const) {
  test(`${name}, fix-all on save (source.fixAll) applies the safe fixes to the saved file only and leaves the others`, async () => {
    const root = makeWorkspace({ ...MIGRATIONS, 'db/schema.sql': SCHEMA });
    await withServer(root, { ...options, rules: ['missing-index'] }, async (client) => {
      const document = await client.open('db/schema.sql', SCHEMA, 'sql');
      const published = await client.waitForVersion(document.uri, 1);
      assert.equal(published.diagnostics.filter((diagnostic) => diagnostic.code === 'missing-index').length, 2);

      // On save: the source.fixAll action's edit.
      const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const [action] = actionsOf(await client.codeActions(document.uri, whole, [], [FIX_ALL_KIND]));
      assert.ok(action?.edit);
      const { changes, documentChanges } = action.edit;
      const touched = documentChanges ? documentChanges.map((change) => ('kind' in change ? change.kind : `edit ${change.textDocument.uri}`)) : Object.keys(changes ?? {}).map((uri) => `edit ${uri}`);
      assert.deepEqual(touched, [`edit ${document.uri}`]);
      client.applyEdit(action.edit);
      const after = await client.waitForVersion(document.uri, 2);
      assert.match(client.text(document.uri), /CREATE INDEX reviews_author_id_idx ON reviews \(author_id\);/);
      assert.deepEqual(
        after.diagnostics.map((diagnostic) => diagnostic.code),
        ['missing-index'],
        'the fix that creates a migration is left for the user',
      );
      assert.equal(existsSync(join(root, NEW_MIGRATION)), false);
    });
  });
}

test('without resource operations, the fix-all command applies the fixes that create no file', async () => {
  const root = makeWorkspace({ ...MIGRATIONS, 'db/schema.sql': SCHEMA });
  await withServer(root, { ...NO_RESOURCE_OPERATIONS, rules: ['missing-index'] }, async (client) => {
    const document = await client.open('db/schema.sql', SCHEMA, 'sql');
    await client.waitForVersion(document.uri, 1);
    assert.deepEqual(await client.executeCommand(ServerCommand.fixAll, [{ uri: document.uri, version: 1 }]), { applied: 1 });
    await client.waitForVersion(document.uri, 2);
    assert.match(client.text(document.uri), /CREATE INDEX reviews_author_id_idx ON reviews \(author_id\);/);
    assert.equal(existsSync(join(root, NEW_MIGRATION)), false);
  });
});

test('with documentChanges and CreateFile, the fix-all command still creates the migration (as in VS Code)', async () => {
  const root = makeWorkspace({ ...MIGRATIONS, 'db/schema.sql': SCHEMA });
  await withServer(root, { rules: ['missing-index'] }, async (client) => {
    const document = await client.open('db/schema.sql', SCHEMA, 'sql');
    await client.waitForVersion(document.uri, 1);
    assert.deepEqual(await client.executeCommand(ServerCommand.fixAll, [{ uri: document.uri, version: 1 }]), { applied: 2 });
    assert.match(read(root, NEW_MIGRATION), /CREATE INDEX orders_coupon_id_idx ON orders \(coupon_id\);/);
    assert.ok(client.appliedEdits.at(-1)?.edit.documentChanges?.some((change) => 'kind' in change && change.kind === 'create' && change.uri === uriOf(root, NEW_MIGRATION)));
  });
});

test("the scorecard's Fix: a changes edit without documentChanges; a fix that creates files is refused with a reason without resource operations", async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL, 'src/billing.ts': BILLING });
  const folder = uriOf(root, '');
  const parameterize = { folder, path: 'src/app.ts', line: 8, ruleId: 'sql-injection', fixId: 'parameterize-query' };
  const moveSecret = { folder, path: 'src/billing.ts', line: 3, ruleId: 'hardcoded-secret', fixId: 'move-secret-to-env' };
  await withServer(root, NO_DOCUMENT_CHANGES, async (client) => {
    await client.waitForScanEnd();
    assert.deepEqual(ApplyFixResultSchema.parse(await client.executeCommand(ServerCommand.applyFix, [parameterize])), { applied: true });
    assert.equal(client.appliedEdits.at(-1)?.edit.documentChanges, undefined);
    assert.match(read(root, 'src/app.ts'), /WHERE name = \$1`, \[req\.query\.q\]\)/);
  });
  await withServer(root, NO_RESOURCE_OPERATIONS, async (client) => {
    await client.waitForScanEnd();
    const refused = ApplyFixResultSchema.parse(await client.executeCommand(ServerCommand.applyFix, [moveSecret]));
    assert.equal(refused.applied, false);
    assert.match(refused.reason ?? '', /creates a file/);
    assert.deepEqual(client.appliedEdits, []);
    assert.equal(existsSync(join(root, '.env')), false);
  });
});

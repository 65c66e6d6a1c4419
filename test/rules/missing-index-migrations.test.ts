// missing-index's SQL fix on the layouts from the QA report: a committed Prisma
// migration and a numbered db/migrations file. The safe fix (what `--fix`, fix-all
// and fix-on-save apply) creates a new migration and leaves the applied one byte for
// byte as it was; the finding is gone afterwards, and fixing again changes nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { writeFiles } from '../../server/src/cli/writeFiles';
import { fixAll } from '../../server/src/engine/fixes/fixAll';
import { Workspace } from '../../server/src/engine/workspace';
import { makeWorkspace } from '../support/tempWorkspace';

const RULE = RULES.filter((rule) => rule.meta.id === 'missing-index');
const QA_MIGRATION = 'CREATE TABLE a (id serial PRIMARY KEY);\nCREATE TABLE b (id serial PRIMARY KEY, a_id int REFERENCES a(id));\n';

function open(root: string): Workspace {
  const workspace = new Workspace(root, { rules: RULE, knownRules: KNOWN_RULE_IDS });
  workspace.discover();
  return workspace;
}

const findingsIn = (workspace: Workspace): string[] =>
  workspace.paths.flatMap((path) => (workspace.analyzeFile(path)?.findings ?? []).map((finding) => `${finding.path}:${finding.range.start.line + 1}`));

/** Applies the safe fixes and writes them the way `shipshape scan --fix` does. */
function fixOnDisk(root: string): { written: string[]; created: string[] } {
  const fixed = fixAll(open(root), { safeOnly: true });
  const result = writeFiles(root, fixed.files, fixed.created, fixed.originals);
  return { written: result.written, created: result.created };
}

for (const { layout, migration, created } of [
  { layout: 'a committed Prisma migration', migration: 'prisma/migrations/20240101_init/migration.sql', created: 'prisma/migrations/20240102_add_b_a_id_index/migration.sql' },
  { layout: 'a numbered migration', migration: 'db/migrations/001.sql', created: 'db/migrations/002.sql' },
  { layout: 'a numbered migration with a name', migration: 'db/migrations/001_init.sql', created: 'db/migrations/002_add_b_a_id_index.sql' },
]) {
  test(`the safe fix for ${layout} creates ${created} and leaves the migration as it was`, () => {
    const root = makeWorkspace({ [migration]: QA_MIGRATION });
    const before = readFileSync(join(root, migration));
    const workspace = open(root);
    const [finding] = workspace.analyzeFile(migration)?.findings ?? [];
    assert.ok(finding, 'the unindexed foreign key is reported');
    assert.deepEqual(
      workspace.verifiedFixes(migration, finding).map((fix) => ({ safe: fix.safe, preferred: fix.preferred, changes: fix.changes })),
      [{ safe: true, preferred: true, changes: [{ kind: 'create', path: created, text: 'CREATE INDEX b_a_id_idx ON b (a_id);\n' }] }],
    );

    assert.deepEqual(fixOnDisk(root), { written: [], created: [created] });
    assert.ok(readFileSync(join(root, migration)).equals(before), 'the applied migration is byte-identical');
    assert.equal(readFileSync(join(root, created), 'utf8'), 'CREATE INDEX b_a_id_idx ON b (a_id);\n');

    assert.deepEqual(findingsIn(open(root)), [], 'the new migration indexes the foreign key');
    assert.deepEqual(fixOnDisk(root), { written: [], created: [] }, 'fixing again changes nothing');
  });
}

test('migrations in two files of one folder get one new migration each, numbered one after the other', () => {
  const root = makeWorkspace({
    'db/migrations/001_init.sql': QA_MIGRATION,
    'db/migrations/002_c.sql': 'CREATE TABLE c (id serial PRIMARY KEY, b_id int REFERENCES b(id));\n',
  });
  assert.deepEqual(fixOnDisk(root).created, ['db/migrations/003_add_b_a_id_index.sql', 'db/migrations/004_add_c_b_id_index.sql']);
  assert.deepEqual(findingsIn(open(root)), []);
});

test('with schema.prisma beside prisma/migrations only the schema is reported, and @@index is the fix', () => {
  const root = makeWorkspace({
    'prisma/schema.prisma': [
      'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
      'model A {\n  id Int @id\n  bs B[]\n}\n',
      'model B {\n  id  Int @id\n  aId Int\n  a   A   @relation(fields: [aId], references: [id])\n}\n',
    ].join('\n'),
    'prisma/migrations/20240101000000_init/migration.sql':
      'CREATE TABLE "A" ("id" INTEGER NOT NULL, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "B" ("id" INTEGER NOT NULL, "aId" INTEGER NOT NULL, CONSTRAINT "B_pkey" PRIMARY KEY ("id"));\nALTER TABLE "B" ADD CONSTRAINT "B_aId_fkey" FOREIGN KEY ("aId") REFERENCES "A"("id");\n',
  });
  const workspace = open(root);
  assert.deepEqual(findingsIn(workspace), ['prisma/schema.prisma:13']);
  const [finding] = workspace.analyzeFile('prisma/schema.prisma')?.findings ?? [];
  assert.ok(finding);
  assert.deepEqual(
    workspace.verifiedFixes('prisma/schema.prisma', finding).map((fix) => [fix.id, fix.safe, fix.preferred, fix.changes.map((change) => `${change.kind} ${change.path}`)]),
    [['add-prisma-index', true, true, ['edit prisma/schema.prisma']]],
  );
});

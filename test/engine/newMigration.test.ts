// Where a schema fix puts a new migration (engine/fixes/newMigration.ts): the next
// version after the existing ones, carried like a clock for timestamps and padded
// like the others for numbers; the project's separator, up/down markers and line
// ends; and no migration at all for layouts it does not know.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMigrationPath, migrationLayout, nextVersion, type NewMigration } from '../../server/src/engine/fixes/newMigration';

const SQL = { up: 'CREATE INDEX b_a_id_idx ON b (a_id);', down: 'DROP INDEX b_a_id_idx;' };
const WORDS = ['add', 'b', 'a_id', 'index'];

/** A project holding exactly these files (path -> text). */
function project(files: Record<string, string>) {
  return { listFiles: () => Object.keys(files), readFile: (path: string) => files[path] };
}

/** The kind of layout of `path`, and the migration it would add. */
function next(files: Record<string, string>, path = Object.keys(files)[0] ?? ''): string | NewMigration | undefined {
  const layout = migrationLayout(project(files), path);
  return layout.kind === 'series' ? layout.series.next(WORDS, SQL) : layout.kind;
}

const pathOf = (files: Record<string, string>, path?: string): string | undefined => {
  const result = next(files, path);
  return typeof result === 'object' ? result.path : result;
};

describe('nextVersion', () => {
  test('a timestamp advances by one second, carried through minutes, hours, days, months, years and leap days', () => {
    assert.equal(nextVersion('20240101000000'), '20240101000001');
    assert.equal(nextVersion('20240101105959'), '20240101110000');
    assert.equal(nextVersion('20240101235959'), '20240102000000');
    assert.equal(nextVersion('20240131235959'), '20240201000000');
    assert.equal(nextVersion('20240228235959'), '20240229000000');
    assert.equal(nextVersion('20230228235959'), '20230301000000');
    assert.equal(nextVersion('20231231235959'), '20240101000000');
  });

  test('minute and day timestamps advance by their own unit', () => {
    assert.equal(nextVersion('202401011259'), '202401011300');
    assert.equal(nextVersion('20240101'), '20240102');
    assert.equal(nextVersion('20240131'), '20240201');
    assert.equal(nextVersion('20241231'), '20250101');
  });

  test('other numbers add one and keep their width', () => {
    assert.equal(nextVersion('001'), '002');
    assert.equal(nextVersion('0099'), '0100');
    assert.equal(nextVersion('9'), '10');
    assert.equal(nextVersion('1717000000000'), '1717000000001');
    assert.equal(nextVersion('20241301000000'), '20241301000001', 'month 13: a number, not a timestamp');
    assert.equal(nextVersion('20240230'), '20240231', 'February 30th: a number, not a date');
  });
});

describe('migrationLayout', () => {
  test('Prisma: a new folder after the latest one (dated folders from the QA report included)', () => {
    assert.deepEqual(next({ 'prisma/migrations/20240101_init/migration.sql': 'CREATE TABLE a ();\n' }), {
      path: 'prisma/migrations/20240102_add_b_a_id_index/migration.sql',
      label: '20240102_add_b_a_id_index/migration.sql',
      text: 'CREATE INDEX b_a_id_idx ON b (a_id);\n',
    });
    const files = { 'prisma/migrations/20240101000000_init/migration.sql': '', 'prisma/migrations/20240315093000_posts/migration.sql': '' };
    assert.equal(pathOf(files), 'prisma/migrations/20240315093001_add_b_a_id_index/migration.sql');
    assert.equal(pathOf({ 'db/migrations/20240101000000_init/migration.sql': '' }), 'db/migrations/20240101000001_add_b_a_id_index/migration.sql', 'any migrations folder laid out the same');
  });

  test('Prisma: folders beside a schema.prisma are generated from it, never added to by hand', () => {
    assert.equal(next({ 'db/migrations/20240101000000_init/migration.sql': '', 'db/schema.prisma': '' }), 'prisma-schema');
  });

  test('Prisma: a latest folder without a version, or other files beside the folders, is not extended', () => {
    assert.equal(next({ 'prisma/migrations/20240101000000_init/migration.sql': '', 'prisma/migrations/manual/migration.sql': '' }), 'unknown');
    assert.equal(next({ 'prisma/migrations/20240101000000_init/migration.sql': '', 'prisma/migrations/20240101000000_init/seed.sql': '' }), 'unknown');
    assert.equal(next({ 'prisma/migrations/20240101000000_init/migration.sql': '', 'prisma/migrations/extra.sql': '' }), 'unknown');
  });

  test('numbered files keep their padding and separator, words included', () => {
    assert.equal(pathOf({ 'db/migrations/001_init.sql': '', 'db/migrations/002_users.sql': '' }), 'db/migrations/003_add_b_a_id_index.sql');
    assert.equal(pathOf({ 'migrations/0001-init.sql': '', 'migrations/0002-users.sql': '' }), 'migrations/0003-add-b-a-id-index.sql');
    assert.equal(pathOf({ 'migrations/001__init.sql': '' }), 'migrations/002__add_b_a_id_index.sql');
    assert.equal(pathOf({ 'migrations/1_init.sql': '' }), 'migrations/2_add_b_a_id_index.sql');
    assert.equal(pathOf({ 'supabase/migrations/20240101000000_init.sql': '', 'supabase/migrations/20231231235959_old.sql': '' }), 'supabase/migrations/20240101000001_add_b_a_id_index.sql');
    assert.equal(pathOf({ 'db/migrations/001.sql': '' }), 'db/migrations/002.sql', 'names without words get none either');
    assert.equal(pathOf({ 'db/migrations/001.sql': '', 'db/migrations/002_users.sql': '' }), 'db/migrations/003_add_b_a_id_index.sql');
  });

  test('numbered files: no migration that would sort before an existing one by name or by number', () => {
    assert.equal(next({ 'migrations/999_x.sql': '', 'migrations/998_y.sql': '' }), undefined, '1000_ sorts before 999_ by name');
    assert.equal(next({ 'migrations/9_x.sql': '', 'migrations/10_y.sql': '' }), undefined, '11_ sorts before 9_ by name');
  });

  test('numbered files: the name taken already gives no migration', () => {
    const files: Record<string, string> = { 'migrations/001_init.sql': '' };
    const layout = migrationLayout({ listFiles: () => Object.keys(files), readFile: (path) => (path === 'migrations/002_add_b_a_id_index.sql' ? 'user text' : files[path]) }, 'migrations/001_init.sql');
    assert.equal(layout.kind === 'series' && layout.series.next(WORDS, SQL), undefined);
  });

  test('Flyway: the next major version, numerically (V10 after V9), repeatable and dotted versions allowed', () => {
    const folder = 'src/main/resources/db/migration';
    assert.equal(pathOf({ [`${folder}/V1__init.sql`]: '', [`${folder}/V1_1__seed.sql`]: '', [`${folder}/V2.3__more.sql`]: '', [`${folder}/R__views.sql`]: '' }), `${folder}/V3__add_b_a_id_index.sql`);
    assert.equal(pathOf({ 'db/migration/V9__a.sql': '', 'db/migration/V8__b.sql': '' }), 'db/migration/V10__add_b_a_id_index.sql');
    assert.equal(pathOf({ 'db/migration/V001__a.sql': '' }), 'db/migration/V002__add_b_a_id_index.sql');
    assert.equal(next({ 'db/migration/R__views.sql': '' }), 'unknown', 'only repeatable migrations: nothing to number after');
  });

  test('up/down markers of the latest migration are repeated, the down section only when it has one', () => {
    const withMarkers = (latest: string): string | undefined => {
      const result = next({ 'migrations/001_a.sql': '', 'migrations/002_b.sql': latest }, 'migrations/001_a.sql');
      return typeof result === 'object' ? result.text : result;
    };
    assert.equal(withMarkers('-- +goose Up\nCREATE TABLE t ();\n-- +goose Down\nDROP TABLE t;\n'), '-- +goose Up\nCREATE INDEX b_a_id_idx ON b (a_id);\n\n-- +goose Down\nDROP INDEX b_a_id_idx;\n');
    assert.equal(withMarkers('-- +migrate Up\nCREATE TABLE t ();\n-- +migrate Down\nDROP TABLE t;\n'), '-- +migrate Up\nCREATE INDEX b_a_id_idx ON b (a_id);\n\n-- +migrate Down\nDROP INDEX b_a_id_idx;\n');
    assert.equal(withMarkers('-- migrate:up transaction:false\nCREATE TABLE t ();\n'), '-- migrate:up\nCREATE INDEX b_a_id_idx ON b (a_id);\n', "dbmate without a down section; the latest's options are not copied");
    assert.equal(withMarkers('-- Up Migration\nCREATE TABLE t ();\n-- Down Migration\nDROP TABLE t;\n'), '-- Up Migration\nCREATE INDEX b_a_id_idx ON b (a_id);\n\n-- Down Migration\nDROP INDEX b_a_id_idx;\n');
    assert.equal(withMarkers('CREATE TABLE t ();\r\nCREATE TABLE u ();\r\n'), 'CREATE INDEX b_a_id_idx ON b (a_id);\r\n', "the latest's line ends");
  });

  test('drizzle-kit output (default or custom folder) is its own kind: the journal decides what runs', () => {
    assert.equal(next({ 'drizzle/0000_init.sql': '' }), 'drizzle');
    assert.equal(next({ 'src/db/migrations/0000_init.sql': '', 'src/db/migrations/meta/_journal.json': '{}' }), 'drizzle');
  });

  test('layouts it does not know get no migration', () => {
    assert.equal(next({ 'db/migrations/000001_init.up.sql': '', 'db/migrations/000001_init.down.sql': '' }), 'unknown', 'golang-migrate up/down pairs');
    assert.equal(next({ 'migrations/001.do.sql': '', 'migrations/001.undo.sql': '' }), 'unknown', 'postgrator');
    assert.equal(next({ 'migrations/init.sql': '' }), 'unknown', 'no number');
    assert.equal(next({ 'migrations/001_init.sql': '', 'migrations/20240101120000_users.js': '' }), 'unknown', 'a JS migration beside it (knex): SQL files may never run');
    assert.equal(next({ 'migrations/001_init.sql': '', 'migrations/V2__users.sql': '' }), 'unknown', 'two numbering schemes');
    assert.equal(next({ 'migrations/001_init.sql': '', 'migrations/archive/000_old.sql': '' }), 'unknown', 'migrations in a subfolder');
    assert.equal(next({ 'migrations/2024/001_init.sql': '' }), 'unknown', 'a file below the migrations folder');
    assert.equal(next({ 'db/schema.sql': '' }), 'unknown', 'a schema file is no migration');
  });

  test('isMigrationPath: migrations and drizzle output, not schema files', () => {
    assert.ok(isMigrationPath('supabase/migrations/20240101000000_init.sql'));
    assert.ok(isMigrationPath('src/main/resources/db/migration/V1__init.sql'));
    assert.ok(isMigrationPath('drizzle/0000_init.sql'));
    assert.ok(!isMigrationPath('db/schema.sql'));
    assert.ok(!isMigrationPath('schema.sql'));
  });
});

// The schema readers: schema.prisma, SQL migrations and Mongoose schemas, the
// project-level facts built from them (owner fields, indexes, RLS, lookups by
// any name), and the workspace treating schema files as project-wide input.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parsePrismaSchema } from '../../server/src/engine/facts/prismaSchema';
import { buildProjectSchema, isSchemaInput } from '../../server/src/engine/facts/schema';
import { lineOf, parseSqlMigration } from '../../server/src/engine/facts/sqlMigrations';
import { defineRule } from '../../server/src/engine/rule';
import { Workspace } from '../../server/src/engine/workspace';

const PRISMA = `// The app's data model
generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider     = "postgresql" // comment after a value
  url          = env("DATABASE_URL")
  relationMode = "foreignKeys"
}

enum Role {
  USER
  ADMIN
}

model User {
  id      String   @id @default(cuid())
  email   String   @unique @db.VarChar(320)
  role    Role     @default(USER)
  website String?  @default("https://example.com//x")
  orders  Order[]
  invited User[]   @relation("Invites")
  inviter User?    @relation("Invites", fields: [inviterId], references: [id])
  inviterId String?

  @@map("users")
}

model Order {
  id        String      @id @default(cuid())
  userId    String      @map("user_id")
  user      User        @relation(fields: [userId], references: [id], onDelete: Cascade)
  total     Decimal     @db.Decimal(10, 2)
  geo       Unsupported("geometry")?
  items     OrderItem[]

  @@index([userId, total(sort: Desc)])
  @@index(fields: [total])
  @@map("orders")
}

model OrderItem {
  orderId   String
  order     Order  @relation(fields: [orderId, sku], references: [id, sku])
  sku       String
  quantity  Int

  @@id([orderId, sku])
}
`;

describe('schema.prisma', () => {
  const file = parsePrismaSchema(PRISMA, 'prisma/schema.prisma');
  const userIdLine = PRISMA.split('\n').findIndex((line) => line.includes('@map("user_id")'));
  const model = (name: string) => {
    const found = file.models.find((candidate) => candidate.name === name);
    assert.ok(found, `model ${name}`);
    return found;
  };

  test('reads models, enums and the datasource, ignoring comments', () => {
    assert.deepEqual(
      file.models.map((m) => m.name),
      ['User', 'Order', 'OrderItem'],
    );
    assert.deepEqual(file.enums, ['Role']);
    assert.deepEqual(file.datasource, { path: 'prisma/schema.prisma', provider: 'postgresql', relationMode: 'foreignKeys' });
  });

  test('fields with types, optionality, lists, @map columns and lines', () => {
    const order = model('Order');
    assert.deepEqual(order.fields, ['id', 'userId', 'user', 'total', 'geo', 'items']);
    const userId = order.fieldDetails.find((field) => field.name === 'userId');
    assert.equal(userId?.column, 'user_id');
    assert.equal(userId?.line, userIdLine);
    assert.equal(PRISMA.slice(userId?.offset, (userId?.offset ?? 0) + 6), 'userId');
    const geo = order.fieldDetails.find((field) => field.name === 'geo');
    assert.equal(geo?.type, 'Unsupported("geometry")');
    assert.equal(geo?.optional, true);
    assert.equal(order.fieldDetails.find((field) => field.name === 'items')?.list, true);
    assert.equal(model('User').fieldDetails.find((field) => field.name === 'website')?.optional, true, 'a // inside a string is not a comment');
  });

  test('aliases: the model name, the client delegate and @@map', () => {
    assert.deepEqual(model('Order').aliases, ['Order', 'order', 'orders']);
    assert.deepEqual(model('OrderItem').aliases, ['OrderItem', 'orderItem']);
  });

  test('indexes, unique keys and the primary key, leading column first', () => {
    assert.deepEqual(model('Order').indexes, [['id'], ['userId', 'total'], ['total']]);
    assert.deepEqual(model('Order').uniques, [['id']]);
    assert.deepEqual(model('User').uniques, [['id'], ['email']]);
    assert.deepEqual(model('OrderItem').indexes, [['orderId', 'sku']]);
  });

  test('relations: scalar foreign keys (composite too), back relations, named self relations', () => {
    assert.deepEqual(model('Order').foreignKeys, [{ field: 'userId', references: 'User', fields: ['userId'], line: userIdLine }]);
    assert.deepEqual(model('OrderItem').foreignKeys.map((fk) => fk.fields), [['orderId', 'sku']]);
    const user = model('User');
    assert.deepEqual(user.foreignKeys.map((fk) => fk.field), ['inviterId']);
    assert.deepEqual(user.fieldDetails.find((field) => field.name === 'orders')?.relation, { model: 'Order', fields: [], references: [] });
  });

  test('block positions for edits: closing line and member indentation', () => {
    const item = model('OrderItem');
    assert.equal(PRISMA.split('\n')[item.closeLine], '}');
    assert.equal(item.indent, '  ');
    assert.deepEqual(
      item.blockAttributes.map((attribute) => attribute.name),
      ['id'],
    );
  });

  test('never throws on broken input', () => {
    for (const text of ['model {', 'model A {\n  id\n', '}}}', 'model A {\n  b B @relation(fields: [\n}', '\u0000\u0001']) {
      assert.doesNotThrow(() => parsePrismaSchema(text, 'x.prisma'));
    }
  });
});

const MIGRATION = `-- 001_init.sql; semicolons in comments are not statements
CREATE TABLE IF NOT EXISTS public."Team" (
  "id" SERIAL PRIMARY KEY,
  "name" TEXT NOT NULL UNIQUE
);

create table orders (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  team_id integer references public."Team"("id"),
  note text default 'a; b',
  total numeric(10, 2) not null,
  constraint orders_total_positive check (total >= 0)
);

CREATE TABLE order_items (
  order_id uuid NOT NULL,
  sku text NOT NULL,
  CONSTRAINT order_items_pkey PRIMARY KEY (order_id, sku),
  CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
);

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_team_idx ON ONLY orders USING btree (team_id, created_at DESC);
CREATE INDEX orders_lower_note ON orders (lower(note));
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE IF EXISTS ONLY orders ADD COLUMN coupon_id integer REFERENCES coupons (id), ADD CONSTRAINT orders_coupon_unique UNIQUE (coupon_id);
/* a block comment; with a semicolon */
CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN PERFORM 1; RETURN NEW; END; $body$ LANGUAGE plpgsql;
DROP TABLE IF EXISTS legacy;
`;

describe('SQL migrations', () => {
  const file = parseSqlMigration(MIGRATION, 'db/migrations/001_init.sql');

  test('splits statements outside strings, comments and dollar quotes', () => {
    assert.deepEqual(
      file.statements.map((statement) => `${statement.kind} ${statement.table.name}`),
      ['create-table Team', 'create-table orders', 'create-table order_items', 'create-index orders', 'create-index orders', 'alter-table orders', 'alter-table orders', 'drop-table legacy'],
    );
  });

  test('CREATE TABLE: columns, keys and foreign keys, names unquoted and schema dropped', () => {
    const [team, orders, items] = file.statements;
    assert.ok(team?.kind === 'create-table' && orders?.kind === 'create-table' && items?.kind === 'create-table');
    assert.deepEqual(team.table, { name: 'Team', text: 'public."Team"', quoted: true });
    assert.deepEqual(team.keys, [['id'], ['name']]);
    assert.deepEqual(
      orders.columns.map((column) => `${column.name}:${column.type}`),
      ['id:uuid', 'user_id:uuid', 'team_id:integer', 'note:text', 'total:numeric(10, 2)'],
    );
    assert.deepEqual(
      orders.foreignKeys.map((fk) => `${fk.columns.join(',')}->${fk.references}`),
      ['user_id->users', 'team_id->Team'],
    );
    const userId = orders.foreignKeys[0];
    assert.equal(MIGRATION.slice(userId?.offset, (userId?.offset ?? 0) + 7), 'user_id');
    assert.equal(lineOf(file, userId?.offset ?? 0), 8);
    assert.deepEqual(items.keys, [['order_id', 'sku']]);
    assert.deepEqual(items.foreignKeys.map((fk) => fk.columns), [['order_id']]);
    assert.equal(MIGRATION.slice(items.foreignKeys[0]?.offset, (items.foreignKeys[0]?.offset ?? 0) + 8), 'order_id');
  });

  test('CREATE INDEX: unique, concurrently, USING, sort order; an expression ends the usable prefix', () => {
    const indexes = file.statements.filter((statement) => statement.kind === 'create-index');
    assert.deepEqual(
      indexes.map((index) => (index.kind === 'create-index' ? { columns: index.columns, unique: index.unique } : undefined)),
      [
        { columns: ['team_id', 'created_at'], unique: true },
        { columns: [], unique: false },
      ],
    );
  });

  test('ALTER TABLE: row level security, added columns and constraints', () => {
    const alters = file.statements.filter((statement) => statement.kind === 'alter-table');
    assert.ok(alters[0]?.kind === 'alter-table' && alters[1]?.kind === 'alter-table');
    assert.equal(alters[0].rls, true);
    assert.deepEqual(alters[1].columns.map((column) => column.name), ['coupon_id']);
    assert.deepEqual(alters[1].foreignKeys.map((fk) => fk.references), ['coupons']);
    assert.deepEqual(alters[1].keys, [['coupon_id']]);
  });

  test('MySQL tables are marked (InnoDB indexes foreign keys itself)', () => {
    const mysql = parseSqlMigration('CREATE TABLE `a` (`id` INT AUTO_INCREMENT, `b_id` INT, KEY idx_b (`b_id`), FOREIGN KEY (`b_id`) REFERENCES `b` (`id`)) ENGINE=InnoDB;', 'schema.sql');
    const table = mysql.statements[0];
    assert.ok(table?.kind === 'create-table');
    assert.equal(table.mysql, true);
    assert.deepEqual(table.keys, [['b_id']]);
    const keyColumn = parseSqlMigration('CREATE TABLE settings (key varchar(64) PRIMARY KEY, value text);', 'schema.sql').statements[0];
    assert.ok(keyColumn?.kind === 'create-table');
    assert.deepEqual(keyColumn.columns.map((column) => column.name), ['key', 'value'], 'a column named key is a column');
  });

  test('never throws on broken input', () => {
    for (const text of ['CREATE TABLE (', "CREATE TABLE t (a int, b text default 'x", 'ALTER TABLE', '$$ unterminated', 'CREATE INDEX ON t (', '/* open']) {
      assert.doesNotThrow(() => parseSqlMigration(text, 'migrations/x.sql'));
    }
  });
});

describe('project schema', () => {
  const files: Record<string, string> = {
    'prisma/schema.prisma': PRISMA,
    'supabase/migrations/20240101_init.sql': `
create table profiles (id uuid primary key references auth.users (id), bio text);
create table projects (id bigint primary key, owner_id uuid references auth.users (id), name text);
create table notes (id bigint primary key, created_by uuid, body text);
create table orders (id uuid primary key);
alter table orders enable row level security;
`,
    'supabase/migrations/20240201_indexes.sql': 'create index projects_owner_idx on projects (owner_id);\n',
    'src/models/comment.ts': `
import mongoose, { Schema } from 'mongoose';
const commentSchema = new Schema({
  author: { type: Schema.Types.ObjectId, ref: 'User', index: true },
  post: { type: mongoose.Schema.Types.ObjectId, ref: 'Post', required: true },
  tags: [{ type: String }],
  slug: { type: String, unique: true },
});
commentSchema.index({ post: 1, createdAt: -1 });
export const Comment = mongoose.model('Comment', commentSchema);
`,
    'src/other.ts': 'export const x = 1;\n',
  };
  const schema = buildProjectSchema({
    listFiles: () => Object.keys(files),
    readFile: (path) => files[path],
    dependencies: new Set(['@prisma/client', 'mongoose']),
  });

  test('finds a model by name, delegate, mapped table or collection, case-insensitively', () => {
    assert.equal(schema.find('order')?.origin, 'prisma', 'Prisma is the source of truth for a table it maps');
    assert.equal(schema.find('ORDERS')?.name, 'Order');
    assert.equal(schema.find('orderItem')?.name, 'OrderItem');
    assert.equal(schema.find('profiles')?.origin, 'sql');
    assert.equal(schema.find('comments')?.name, 'Comment');
    assert.equal(schema.find('nope'), undefined);
  });

  test('owner fields: relations to owner models, owner-named columns, never a self relation', () => {
    assert.equal(schema.find('Order')?.ownerField, 'userId');
    assert.equal(schema.find('Order')?.ownerModel, 'User');
    assert.equal(schema.find('User')?.ownerField, undefined, 'inviterId relates User to itself');
    assert.equal(schema.find('OrderItem')?.ownerField, undefined);
    assert.equal(schema.find('profiles')?.ownerField, 'id');
    assert.equal(schema.find('projects')?.ownerField, 'owner_id');
    assert.equal(schema.find('notes')?.ownerField, 'created_by');
    assert.equal(schema.find('Comment')?.ownerField, 'author');
  });

  test('indexes from later migrations, Mongoose options and schema.index()', () => {
    assert.deepEqual(schema.find('projects')?.indexes, [['id'], ['owner_id']]);
    assert.deepEqual(schema.find('Comment')?.indexes, [['_id'], ['post', 'createdAt'], ['author'], ['slug']]);
    assert.deepEqual(schema.find('Comment')?.uniques, [['_id'], ['slug']]);
    assert.deepEqual(schema.find('Comment')?.foreignKeys.map((fk) => `${fk.field}->${fk.references}`), ['author->User', 'post->Post']);
  });

  test('RLS from migrations, also on the Prisma model mapped to that table', () => {
    assert.equal(schema.models.find((model) => model.origin === 'sql' && model.name === 'orders')?.rls, true);
    assert.equal(schema.find('Order')?.rls, true);
    assert.equal(schema.find('projects')?.rls, false);
  });

  test('Mongoose schemas are only looked for when the project uses Mongoose', () => {
    const without = buildProjectSchema({ listFiles: () => Object.keys(files), readFile: (path) => files[path], dependencies: new Set() });
    assert.equal(without.find('Comment'), undefined);
  });

  test('schema inputs: .prisma, migration SQL, and code holding a Mongoose schema', () => {
    assert.equal(isSchemaInput('prisma/schema.prisma'), true);
    assert.equal(isSchemaInput('supabase/migrations/1_init.sql'), true);
    assert.equal(isSchemaInput('db/schema.sql'), true);
    assert.equal(isSchemaInput('drizzle/0000_brave_wolverine.sql'), true, "drizzle-kit's default output folder");
    assert.equal(isSchemaInput('drizzle/meta/0000_snapshot.sql'), false);
    assert.equal(isSchemaInput('scripts/seed.sql'), false);
    assert.equal(isSchemaInput('src/models/comment.ts', [files['src/models/comment.ts']]), true);
    assert.equal(isSchemaInput('src/other.ts', [files['src/other.ts']]), false);
  });
});

describe('workspace', () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  test('a schema change re-analyzes every file; rules see the new schema', () => {
    const root = mkdtempSync(join(tmpdir(), 'shipshape-schema-'));
    roots.push(root);
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('prisma/schema.prisma', 'model Post {\n  id String @id\n}\n');
    write('src/app.ts', 'export const x = 1;\n');
    const probe = defineRule({
      meta: { id: 'probe', title: 'p', dimension: 'data', defaultSeverity: 'info', fileKinds: ['ts'], docs: { summary: '', why: '', howToFix: '', references: [] }, fixes: [] },
      check(context) {
        context.report({ start: 0, end: 1, message: context.project.schema.models.map((model) => model.name).join(',') });
      },
    });
    const workspace = new Workspace(root, { rules: [probe], knownRules: new Set(['probe']) });
    workspace.discover();
    assert.equal(workspace.analyzeFile('src/app.ts')?.findings[0]?.message, 'Post');
    assert.equal(workspace.setText('prisma/schema.prisma', 'model Post {\n  id String @id\n}\nmodel Tag {\n  id String @id\n}\n').projectWide, true);
    assert.equal(workspace.analyzeFile('src/app.ts')?.findings[0]?.message, 'Post,Tag');
    assert.equal(workspace.setText('src/app.ts', 'export const x = 2;\n').projectWide, false, 'ordinary code is not project input');
  });
});

// Database call facts per library: model, operation, filter conditions, limit and
// pagination, loops; and the calls that look like queries but are not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ts } from '../../server/src/engine/ts';
import type { DbCall } from '../../server/src/engine/facts';
import { FileFacts } from '../../server/src/engine/facts';
import { queryResultOf } from '../../server/src/engine/facts/dbCalls';
import { createProjectView } from '../../server/src/engine/project';

function dbCalls(code: string, dependencies: string[] = [], path = 'src/app.ts'): { calls: readonly DbCall[]; facts: FileFacts } {
  const packageJson = JSON.stringify({ dependencies: Object.fromEntries(dependencies.map((name) => [name, '*'])) });
  const project = createProjectView('/repo', (p) => (p === 'package.json' ? packageJson : undefined), () => false, () => ['package.json', path]);
  const sourceFile = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const facts = new FileFacts({ path, kind: 'ts', text: code, sourceFile }, project);
  return { calls: facts.dbCalls, facts };
}

/** A compact, comparable summary of one call. */
function summary(call: DbCall): string {
  const conditions = (call.conditions ?? []).map((c) => `${c.field}${c.equality ? '=' : '~'}${c.value ? c.value.getText() : ''}`).join(',');
  return `${call.library} ${call.model} ${call.operation}${call.limited ? ' limited' : ''}${call.paginated ? ' paginated' : ''}${call.inLoop ? ' loop' : ''}${conditions ? ` [${conditions}]` : ''}`;
}

const summaries = (code: string, dependencies?: string[]): string[] => dbCalls(code, dependencies).calls.map(summary);

describe('Prisma', () => {
  test('delegate calls with where/take/skip/cursor; the client by name, import or dependency', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      const prisma = new PrismaClient();
      async function f(userId: string, req: any) {
        await prisma.order.findMany({ where: { userId, status: { in: ['a'] }, AND: [{ total: { equals: 5 } }], OR: [{ x: 1 }] } });
        await prisma.order.findMany({ take: 10, skip: 20 });
        await prisma.order.findMany({ take: 10, cursor: { id: req.query.c } });
        await prisma.order.findUnique({ where: { id: req.params.id } });
        await prisma.order.findMany({ where: { id: req.params.id } });
        await prisma.user.count();
        await prisma.user.update({ where: { id: userId }, data: {} });
        await this.prisma.user.create({ data: {} });
        await ctx.db.post.deleteMany({ where: { authorId: userId } });
      }`;
    assert.deepEqual(summaries(code), [
      'prisma order read-many [userId=userId,status~,total=5]',
      'prisma order read-many limited paginated',
      'prisma order read-many limited paginated',
      'prisma order read-one limited [id=req.params.id]',
      'prisma order read-one limited [id=req.params.id]',
      'prisma user aggregate limited',
      'prisma user update [id=userId]',
      'prisma user create',
      'prisma post delete [authorId=userId]',
    ]);
  });

  test('a client named like Prisma needs no import; `db.x.findMany` needs Prisma in the project', () => {
    assert.deepEqual(summaries(`prisma.order.findMany();`), ['prisma order read-many']);
    assert.deepEqual(summaries(`db.order.findMany();`), []);
    assert.deepEqual(summaries(`db.order.findMany();`, ['@prisma/client']), ['prisma order read-many']);
  });

  test('SDK calls shaped like delegates are not queries', () => {
    const code = `
      import Stripe from 'stripe';
      import { PrismaClient } from '@prisma/client';
      const stripe = new Stripe('');
      const openai = { chat: { completions: { create: async () => 1 } } };
      stripe.customers.create({ email: 'a' });
      stripe.refunds.update('re_1', {});
      openai.chat.completions.create({ model: 'x' });
      prisma.$queryRaw\`SELECT 1\`;`;
    assert.deepEqual(summaries(code), []);
  });
});

describe('Drizzle', () => {
  test('builder chains, relational queries, aggregates, clients made in place', () => {
    const code = `
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { and, count, eq, gt } from 'drizzle-orm';
      const db = drizzle(process.env.DATABASE_URL);
      db.select().from(users).where(and(eq(users.orgId, orgId), gt(users.age, 18))).limit(10).offset(20);
      db.select({ n: count() }).from(users);
      db.insert(users).values({ name: 'a' });
      db.update(users).set({ name: 'b' }).where(eq(users.id, id));
      db.query.posts.findMany({ where: (posts, { eq }) => eq(posts.authorId, userId), limit: 5 });
      db.query.posts.findFirst({ where: eq(posts.id, id) });
      drizzle(env.DB).select().from(links);`;
    assert.deepEqual(summaries(code), [
      'drizzle users read-many limited paginated [orgId=orgId,age~]',
      'drizzle users aggregate limited',
      'drizzle users create',
      'drizzle users update [id=id]',
      'drizzle posts read-many limited [authorId=userId]',
      'drizzle posts read-one limited [id=id]',
      'drizzle links read-many',
    ]);
  });
});

describe('Sequelize, TypeORM, Mongoose', () => {
  test('Sequelize model statics with where/limit/offset', () => {
    const code = `
      import { Model } from 'sequelize';
      class Invoice extends Model {}
      Invoice.findAll({ where: { accountId: id, status: ['a', 'b'] }, limit: 10, offset: 0 });
      Invoice.findByPk(id);
      Invoice.update({ paid: true }, { where: { id } });
      Invoice.destroy({ where: { accountId: id } });`;
    assert.deepEqual(summaries(code), [
      'sequelize Invoice read-many limited paginated [accountId=id,status~]',
      'sequelize Invoice read-one limited [id=id]',
      'sequelize Invoice update [id=id]',
      'sequelize Invoice delete [accountId=id]',
    ]);
  });

  test('TypeORM repositories, entity managers, find operators and the query builder', () => {
    const code = `
      import { DataSource, In, Equal } from 'typeorm';
      userRepository.find({ where: { orgId: In(ids), email: Equal(email) }, take: 5, skip: 5 });
      this.ticketRepo.findOneBy({ id });
      dataSource.getRepository(Ticket).findBy({ queue });
      manager.find(Invoice, { where: { ownerId: user.id } });
      repo.createQueryBuilder('t').where('t.ownerId = :ownerId', { ownerId: user.id }).andWhere('t.open = true').getMany();
      repo.createQueryBuilder('t').take(10).getManyAndCount();`;
    assert.deepEqual(summaries(code), [
      'typeorm User read-many limited paginated [orgId~,email=email]',
      'typeorm Ticket read-one limited [id=id]',
      'typeorm Ticket read-many [queue=queue]',
      'typeorm Invoice read-many [ownerId=user.id]',
      'typeorm  read-many [ownerId=user.id,open=]',
      'typeorm  read-many limited',
    ]);
  });

  test('Mongoose models and chained limit/skip; Array.prototype.find is not a query', () => {
    const code = `
      import mongoose from 'mongoose';
      const Post = mongoose.model('Post', new mongoose.Schema({}));
      Post.find({ author: userId, tags: { $in: t } }).sort({ at: -1 }).limit(10).skip(20).lean();
      Post.findById(id);
      Post.countDocuments({ author: userId });
      this.userModel.findOne({ email: { $eq: email } });
      Post.updateMany({ author: userId }, { $set: { hidden: true } });
      posts.find((p) => p.id === id);
      Promise.all([]);`;
    assert.deepEqual(summaries(code), [
      'mongoose Post read-many limited paginated [author=userId,tags~]',
      'mongoose Post read-one limited [_id=id]',
      'mongoose Post aggregate limited [author=userId]',
      'mongoose User read-one limited [email=email]',
      'mongoose Post update [author=userId]',
    ]);
  });
});

describe('knex and Supabase', () => {
  test('knex table calls and chains', () => {
    const code = `
      import knex from 'knex';
      const db = knex({ client: 'pg' });
      db('users').where({ org_id: orgId }).andWhere('age', '>', 18).limit(10).offset(5);
      db('users').where('id', id).first();
      knex.select('*').from('audit').where('actor', actor);
      db('users').insert({ name: 'a' });
      db('users').count('id as n');`;
    assert.deepEqual(summaries(code), [
      'knex users read-many limited paginated [org_id=orgId,age~18]',
      'knex users read-one limited [id=id]',
      'knex audit read-many [actor=actor]',
      'knex users create',
      'knex users aggregate limited',
    ]);
  });

  test('Supabase from() chains: filters, range, single, counts, writes', () => {
    const code = `
      import { createClient } from '@supabase/supabase-js';
      const client = createClient(url, key);
      client.from('orders').select('*').eq('user_id', user.id).in('status', s).range(0, 9);
      supabase.from('orders').select('*').match({ id, user_id: uid }).single();
      supabase.from('orders').select('*', { count: 'exact', head: true });
      supabase.from('orders').insert({ a: 1 }).select();
      supabase.from('orders').update({ a: 1 }).eq('id', id);
      supabase.schema('billing').from('invoices').select('*');
      supabase.auth.getUser();
      supabase.storage.from('avatars').upload(path, file);`;
    assert.deepEqual(summaries(code), [
      'supabase orders read-many limited paginated [user_id=user.id,status~s]',
      'supabase orders read-one limited [id=id,user_id=uid]',
      'supabase orders aggregate limited',
      'supabase orders create',
      'supabase orders update [id=id]',
      'supabase invoices read-many',
      // storage.from('avatars') is a bucket, but .upload() is no query operation: no call without one
    ]);
  });
});

describe('membership conditions', () => {
  /** field:list for each condition that only matches members of a list. */
  const members = (code: string): string[] =>
    dbCalls(code).calls.flatMap((call) => (call.conditions ?? []).filter((c) => c.members).map((c) => `${call.library} ${c.field}:${c.members?.getText()}`));

  test('in/$in, In(), [Op.in], Sequelize arrays, inArray(), .in() and .whereIn() name their list', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      import mongoose from 'mongoose';
      import { Model, Op } from 'sequelize';
      import { DataSource, In } from 'typeorm';
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { inArray } from 'drizzle-orm';
      import knexFactory from 'knex';
      import { createClient } from '@supabase/supabase-js';
      const prisma = new PrismaClient();
      const Product = mongoose.model('Product', new mongoose.Schema({}));
      class Invoice extends Model {}
      const ticketRepository = new DataSource({ type: 'postgres' }).getRepository(Ticket);
      const db = drizzle('');
      const knex = knexFactory({});
      const supabase = createClient('', '');
      async function f(ids: string[]) {
        await prisma.post.findMany({ where: { id: { in: ids, not: 'x' }, tag: { notIn: ids } } });
        await Product.find({ _id: { $in: ids }, tags: { $nin: ids } });
        await Invoice.findAll({ where: { id: { [Op.in]: ids }, number: [1, 2] } });
        await ticketRepository.find({ where: { id: In(ids) } });
        await db.select().from(customers).where(inArray(customers.id, ids));
        await knex('audit').whereIn('id', ids);
        await supabase.from('comments').select('*').in('id', ids);
      }`;
    assert.deepEqual(members(code), [
      'prisma id:ids',
      'mongoose _id:ids',
      'sequelize id:ids',
      'sequelize number:[1, 2]',
      'typeorm id:ids',
      'drizzle id:ids',
      'knex id:ids',
      'supabase id:ids',
    ]);
  });

  test('a list under OR, or in a chain with an or() filter, pins nothing', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      import { createClient } from '@supabase/supabase-js';
      const prisma = new PrismaClient();
      const supabase = createClient('', '');
      async function f(ids: string[]) {
        await prisma.post.findMany({ where: { OR: [{ id: { in: ids } }, { tag: 'x' }] } });
        await supabase.from('comments').select('*').in('id', ids).or('public.eq.true');
      }`;
    assert.deepEqual(members(code), []);
  });
});

describe('SQL text', () => {
  test('SELECT/INSERT/UPDATE/DELETE with table, WHERE columns bound to their values, LIMIT/OFFSET', () => {
    const code = `
      import { Pool } from 'pg';
      const pool = new Pool();
      const COLUMNS = 'id, name';
      pool.query('SELECT ' + COLUMNS + ' FROM public.orders o WHERE o.user_id = $1 AND status = ANY($2) ORDER BY id LIMIT 20 OFFSET $3', [uid, s, off]);
      pool.query(\`SELECT * FROM orders WHERE id = \${id}\`);
      pool.query('SELECT count(*) FROM orders WHERE user_id = $1', [uid]);
      pool.query('SELECT status, count(*) FROM orders GROUP BY status');
      pool.query('UPDATE orders SET paid = true WHERE id = $1 AND user_id = $2', [id, uid]);
      pool.query('INSERT INTO orders (a) VALUES ($1)', [a]);
      pool.query('DELETE FROM orders WHERE created_at < now() - interval \\'1 day\\'');`;
    assert.deepEqual(summaries(code), [
      'sql orders read-many limited paginated [user_id=uid,status~]',
      'sql orders read-one limited [id=id]',
      'sql orders aggregate limited [user_id=uid]',
      'sql orders read-many',
      'sql orders update [id=id,user_id=uid]',
      'sql orders create',
      'sql orders delete [created_at~]',
    ]);
  });

  test('query config objects: the SQL from text (pg) or sql (mysql2), the values from values', () => {
    const code = `
      import { Pool } from 'pg';
      import mysql from 'mysql2/promise';
      const pool = new Pool();
      pool.query({ text: 'SELECT * FROM orders WHERE user_id = $1 AND id = $2', values: [uid, id] });
      conn.query({ sql: 'SELECT * FROM notes WHERE owner = ? LIMIT 10', values: [owner] });`;
    assert.deepEqual(summaries(code), ['sql orders read-one limited [user_id=uid,id=id]', 'sql notes read-many limited [owner=owner]']);
  });

  test('mysql2 and better-sqlite3: ? placeholders and statement methods', () => {
    const code = `
      import mysql from 'mysql2/promise';
      import Database from 'better-sqlite3';
      const sqlite = new Database('x.db');
      conn.execute('SELECT * FROM notes WHERE owner = ? AND id = ?', [owner, id]);
      sqlite.prepare('SELECT * FROM notes WHERE owner = ?').all(owner);
      sqlite.prepare('SELECT * FROM notes WHERE owner = ?').get(owner);`;
    assert.deepEqual(summaries(code), ['sql notes read-one limited [owner=owner,id=id]', 'sql notes read-many [owner=owner]', 'sql notes read-one limited [owner=owner]']);
  });
});

/** What sets each call's page size as the code writes it (`take: n` -> `n`, `.range(a, b)` -> `a..b`); `-` when it passes none. */
function pageSizes(code: string): string[] {
  return dbCalls(code).calls.map((call) => {
    const limit = call.limit;
    const size = !limit ? '-' : limit.kind === 'count' ? limit.count.getText() : `${limit.from.getText()}..${limit.to.getText()}`;
    return `${call.library} ${size}`;
  });
}

describe('page size', () => {
  test('options and chained limits name their count; first(), options with a spread and single() name none', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      import { Model } from 'sequelize';
      import mongoose from 'mongoose';
      import knex from 'knex';
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { DataSource } from 'typeorm';
      const db = knex({ client: 'pg' });
      const drizzleDb = drizzle(pool);
      const Post = mongoose.model('Post', new mongoose.Schema({}));
      class Invoice extends Model {}
      prisma.order.findMany({ take: Number(req.query.limit), skip: 10 });
      prisma.order.findMany({ take });
      prisma.order.findMany({ ...page });
      prisma.order.findMany({ take: Number(req.query.limit), ...page });
      Invoice.findAll({ limit: parseInt(size) });
      userRepository.find({ take: n });
      repo.createQueryBuilder('t').take(size).getMany();
      Post.find({}).limit(req.query.limit).skip(5);
      Post.find({}).limit(50).limit(n);
      db('users').limit(pageSize).offset(5);
      db('users').first('id');
      drizzleDb.select().from(users).limit(n);
      drizzleDb.query.users.findMany({ limit: n });`;
    assert.deepEqual(pageSizes(code), [
      'prisma Number(req.query.limit)',
      'prisma take',
      'prisma -',
      'prisma -',
      'sequelize parseInt(size)',
      'typeorm n',
      'typeorm size',
      'mongoose req.query.limit',
      'mongoose n',
      'knex pageSize',
      'knex -',
      'drizzle n',
      'drizzle n',
    ]);
  });

  test('Supabase range() gives both bounds', () => {
    const code = `
      import { createClient } from '@supabase/supabase-js';
      supabase.from('orders').select('*').range(from, from + size - 1);
      supabase.from('orders').select('*').limit(n);
      supabase.from('orders').select('*').eq('id', id).single();`;
    assert.deepEqual(pageSizes(code), ['supabase from..from + size - 1', 'supabase n', 'supabase -']);
  });

  test('SQL LIMIT: the bound or spliced value; MySQL LIMIT offset, count; FETCH FIRST; a literal count names none', () => {
    const code = `
      import { Pool } from 'pg';
      import mysql from 'mysql2/promise';
      const pool = new Pool();
      pool.query('SELECT * FROM orders WHERE user_id = $1 LIMIT $2 OFFSET $3', [uid, req.query.limit, off]);
      pool.query(\`SELECT * FROM orders LIMIT \${Number(req.query.limit)}\`);
      pool.query('SELECT * FROM orders ORDER BY id FETCH FIRST $1 ROWS ONLY', [n]);
      pool.query('SELECT * FROM orders LIMIT 20');
      conn.query('SELECT * FROM notes LIMIT ?, ?', [offset, count]);
      conn.query('SELECT * FROM notes WHERE owner = ? LIMIT 5, 1', [owner]);`;
    assert.deepEqual(pageSizes(code), ['sql req.query.limit', 'sql Number(req.query.limit)', 'sql n', 'sql -', 'sql count', 'sql -']);
    // `LIMIT 5, 1` skips five rows and returns one.
    assert.equal(dbCalls(code).calls[5]?.operation, 'read-one');
  });
});

describe('loops', () => {
  test('inLoop and the iterated collection: for…of, classic for, map under Promise.all, callbacks through $transaction', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      const prisma = new PrismaClient();
      async function f() {
        const orders = await prisma.order.findMany({ take: 5 });
        for (const o of orders) await prisma.user.findUnique({ where: { id: o.userId } });
        for (let i = 0; i < orders.length; i++) await prisma.user.findUnique({ where: { id: orders[i].userId } });
        await Promise.all(orders.map((o) => prisma.item.findMany({ where: { orderId: o.id } })));
        for (const o of orders) await prisma.$transaction(async (tx) => tx.order.update({ where: { id: o.id }, data: {} }));
        while (true) { await prisma.job.findFirst(); break; }
        const later = () => prisma.user.findMany();
      }`;
    const { calls, facts } = dbCalls(code);
    assert.deepEqual(
      calls.map((call) => `${call.model}:${call.inLoop}:${call.iterated?.getText() ?? '-'}`),
      ['order:false:-', 'user:true:orders', 'user:true:orders', 'item:true:orders', 'order:true:orders', 'job:true:-', 'user:false:-'],
    );
    const source = calls[0];
    for (const call of calls.slice(1, 5)) assert.equal(call.iterated && queryResultOf(call.iterated, calls, facts.flow.scopes), source);
  });

  test('query results are followed through destructuring, properties, array methods and nested loops', () => {
    const code = `
      import { Pool } from 'pg';
      const pool = new Pool();
      async function f() {
        const { rows } = await pool.query('SELECT * FROM orders LIMIT 10');
        for (const order of rows.filter((r) => r.open)) {
          for (const item of order.items ?? []) await pool.query('SELECT * FROM products WHERE id = $1', [item.productId]);
        }
        for (const id of ['a', 'b']) await pool.query('SELECT * FROM products WHERE id = $1', [id]);
      }`;
    const { calls, facts } = dbCalls(code);
    const [first, nested, constant] = calls;
    assert.equal(nested?.iterated && queryResultOf(nested.iterated, calls, facts.flow.scopes), first);
    assert.equal(constant?.iterated && queryResultOf(constant.iterated, calls, facts.flow.scopes), undefined);
  });
});

describe('robustness', () => {
  test('half-typed and odd code never throws', () => {
    const snippets = [
      'prisma.',
      'prisma.order.findMany(',
      'prisma.order.findMany({ where: { ...x, [k]: 1, "a": b, 1: c } })',
      'db.select().from()',
      "knex()",
      "knex('t').where()",
      'pool.query()',
      'pool.query(`SELECT * FROM ${',
      "pool.query('SELECT * FROM t WHERE (a = $1 OR b = $2) AND c IN (SELECT 1) LIMIT')",
      "pool.query('WITH x AS (SELECT 1) SELECT * FROM x; DELETE FROM y')",
      'for (const of) prisma.user.findMany()',
      'rows.map()',
      'Promise.all(rows.map(async () => { for (;;) await prisma.user.count(); }))',
      'supabase.from().select().eq()',
      "User.find(function () {}).limit()",
      "repo.createQueryBuilder().where(1, 2).getMany()",
      'Array.from(rows, (r) => prisma.user.findUnique({ where: { id: r } }))',
    ];
    for (const code of snippets) {
      assert.doesNotThrow(() => dbCalls(code, ['@prisma/client', 'knex', 'pg', 'drizzle-orm', '@supabase/supabase-js', 'mongoose', 'typeorm']), code);
    }
  });
});

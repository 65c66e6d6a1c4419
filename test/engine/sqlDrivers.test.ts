// Which library runs a raw-SQL call (facts/sqlDrivers.ts): the receiver's origin in
// this file or the module it is imported from, else what the call and the project
// say, never a guess between two libraries. And the Workspace side: the module that
// creates the receiver is a dependency of the file that uses it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { FileFacts } from '../../server/src/engine/facts';
import { parseCode } from '../../server/src/engine/files/parse';
import { applyEdits } from '../../server/src/engine/files/text';
import { createProjectView } from '../../server/src/engine/project';
import { Workspace } from '../../server/src/engine/workspace';
import { findingsOf, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

const packageJson = (...drivers: string[]): string => JSON.stringify({ name: 'app', dependencies: Object.fromEntries(['express', ...drivers].map((name) => [name, '*'])) });

/** `library/model-library/by` of each SQL sink of `src/handler.ts` (`-` for none), with the other files given. */
function drivers(code: string, files: Record<string, string> = {}): string[] {
  const path = 'src/handler.ts';
  const all: Record<string, string> = { 'package.json': packageJson('pg', 'mysql2', 'sequelize'), ...files, [path]: code };
  const project = createProjectView('/virtual/sql-drivers', (file) => all[file], () => false, () => Object.keys(all));
  const facts = new FileFacts({ path, kind: 'ts', text: code, sourceFile: parseCode(path, code, 'ts') }, project);
  return facts.sqlSinks.map((sink) => {
    const driver = facts.sqlDriver(sink);
    return `${driver.library ?? '-'}/${driver.model?.library ?? '-'}/${driver.by ?? driver.possible.join('|')}`;
  });
}

const QUERY = "\nexport const run = (name: string) => db.query(`SELECT * FROM t WHERE name = '${name}'`);\n";

test('the receiver created in the same file names the library, whatever else the project depends on', () => {
  assert.deepEqual(drivers(`import { Pool } from 'pg';\nconst db = new Pool();${QUERY}`), ['pg/pg/receiver']);
  assert.deepEqual(drivers(`import mysql from 'mysql2/promise';\nconst db = await mysql.createConnection(process.env.URL!);${QUERY}`), ['mysql2/mysql2/receiver']);
  assert.deepEqual(drivers(`import { Sequelize } from 'sequelize';\nconst db = new Sequelize(process.env.URL!);${QUERY}`), ['sequelize/sequelize/receiver']);
  assert.deepEqual(drivers(`const mysql = require('mysql2');\nconst db = mysql.createPool(process.env.URL).promise();${QUERY}`), ['mysql2/mysql2/receiver']);
  // a connection taken from a pool is the pool's library
  assert.deepEqual(drivers(`import mysql from 'mysql2/promise';\nconst pool = mysql.createPool('');\nexport async function f(name: string) { const db = await pool.getConnection(); return db.query(\`SELECT * FROM t WHERE name = '\${name}'\`); }`), ['mysql2/mysql2/receiver']);
  // knex, better-sqlite3, postgres.js and Prisma through their factories
  assert.deepEqual(drivers(`import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport const f = (name: string) => db.raw(\`SELECT * FROM t WHERE name = '\${name}'\`);`), ['knex/knex/receiver']);
  assert.deepEqual(drivers(`import Database from 'better-sqlite3';\nconst db = new Database('app.db');\nexport const f = (name: string) => db.prepare(\`SELECT * FROM t WHERE name = '\${name}'\`).all();`), ['better-sqlite3/better-sqlite3/receiver']);
  assert.deepEqual(drivers(`import postgres from 'postgres';\nconst sql = postgres();\nexport const f = (name: string) => sql.unsafe(\`SELECT * FROM t WHERE name = '\${name}'\`);`), ['postgres/postgres/receiver']);
  assert.deepEqual(drivers(`import { PrismaClient } from '@prisma/client';\nconst g = globalThis as any;\nconst prisma = g.prisma ?? new PrismaClient();\nexport const f = (name: string) => prisma.$queryRawUnsafe(\`SELECT * FROM t WHERE name = '\${name}'\`);`), ['prisma/prisma/receiver']);
});

test('a receiver imported from a project module is followed to where it is created there', () => {
  const db = { 'src/db.ts': "import { Sequelize } from 'sequelize';\nexport const sequelize = new Sequelize(process.env.DATABASE_URL!);\n" };
  const query = "\nexport const run = (name: string) => sequelize.query(`SELECT * FROM t WHERE name = '${name}' LIMIT 10`);\n";
  assert.deepEqual(drivers(`import { sequelize } from './db';${query}`, db), ['sequelize/sequelize/receiver']);
  // through a re-export, a default export and a CommonJS module
  assert.deepEqual(drivers(`import { sequelize } from './models';${query}`, { ...db, 'src/models/index.ts': "export * from '../db';\n" }), ['sequelize/sequelize/receiver']);
  assert.deepEqual(drivers(`import sequelize from './db2';${query}`, { 'src/db2.ts': "import { Sequelize } from 'sequelize';\nexport default new Sequelize('');\n" }), ['sequelize/sequelize/receiver']);
  assert.deepEqual(drivers(`const { pool: sequelize } = require('./db3');${query}`, { 'src/db3.js': "const mysql = require('mysql2');\nconst pool = mysql.createPool('');\nmodule.exports = { pool };\n" }), ['mysql2/mysql2/receiver']);
});

test('a parameter is known by its type; a Drizzle database is Drizzle even where a query method is not modelled', () => {
  assert.deepEqual(drivers(`import type { PoolClient } from 'pg';\nexport const run = (db: PoolClient, name: string) => db.query(\`SELECT * FROM t WHERE name = '\${name}'\`);`), ['pg/pg/receiver']);
  assert.deepEqual(drivers(`import type mysql from 'mysql2/promise';\nexport const run = (db: mysql.Pool | undefined, name: string) => db!.query(\`SELECT * FROM t WHERE name = '\${name}'\`);`), ['mysql2/mysql2/receiver']);
  assert.deepEqual(drivers(`import { drizzle } from 'drizzle-orm/node-postgres';\nconst db = drizzle('');\nexport const run = (name: string) => db.execute(\`SELECT * FROM t WHERE name = '\${name}'\`);`), ['drizzle/-/receiver']);
});

test('an unknown receiver: the placeholders and values already passed, the imports, the dependencies, or nothing', () => {
  const run = (sql: string, values = ''): string => `export const run = (db: any, name: string) => db.query(\`${sql}\`${values});`;
  // pg, mysql2 and Sequelize are all dependencies: nothing tells which
  assert.deepEqual(drivers(run("SELECT * FROM t WHERE name = '${name}'")), ['-/-/pg|mysql2|sequelize']);
  // `$1` with a values array: only pg takes both
  assert.deepEqual(drivers(run("SELECT * FROM t WHERE id = $1 AND name = '${name}'", ', [1]')), ['pg/pg/dependency']);
  // `?` with an options object: Sequelize; `?` with an array: mysql2
  assert.deepEqual(drivers(run("SELECT * FROM t WHERE id = ? AND name = '${name}'", ', { replacements: [1] }')), ['sequelize/sequelize/dependency']);
  assert.deepEqual(drivers(run("SELECT * FROM t WHERE id = ? AND name = '${name}'", ', [1]')), ['mysql2/mysql2/dependency']);
  // a `?` inside a string literal or after a column (Postgres's jsonb operator) is no placeholder
  assert.deepEqual(drivers(run("SELECT * FROM t WHERE note = '?' AND tags ? 'x' AND name = '${name}'")), ['-/-/pg|mysql2|sequelize']);
  // the file's one SQL import decides
  assert.deepEqual(drivers(`import { QueryTypes } from 'sequelize';\n${run("SELECT * FROM t WHERE name = '${name}'", ', { type: QueryTypes.SELECT }')}`), ['sequelize/sequelize/import']);
  // one driver in the project: that one
  assert.deepEqual(drivers(run("SELECT * FROM t WHERE name = '${name}'"), { 'package.json': packageJson('pg') }), ['pg/pg/dependency']);
});

test('Drizzle sql.raw is found under whatever name sql is imported as', () => {
  assert.deepEqual(drivers(`import { sql as dsql } from 'drizzle-orm';\nexport const f = (name: string) => dsql.raw(\`SELECT * FROM t WHERE name = '\${name}'\`);`), ['drizzle/drizzle/receiver']);
});

const SEQUELIZE_DB = "import { Sequelize } from 'sequelize';\n\nexport const sequelize = new Sequelize(process.env.DATABASE_URL!);\n";
const PG_DB = "import { Pool } from 'pg';\n\nexport const sequelize = new Pool({ connectionString: process.env.DATABASE_URL });\n";
const ROUTES = `import express from 'express';
import { sequelize } from './db';

const app = express();

app.get('/products', async (req, res) => {
  const [rows] = await sequelize.query(\`SELECT * FROM products WHERE name = '\${req.query.name}' LIMIT 10\`);
  res.json(rows);
});
`;

/** The SQL-injection finding of src/routes.ts: its message, and the line its fix writes. */
function sqlFinding(workspace: Workspace): { message: string; fixed: string | undefined } {
  const finding = workspace.analyzeFile('src/routes.ts')?.findings.find((candidate) => candidate.ruleId === 'sql-injection');
  assert.ok(finding, 'no sql-injection finding');
  const change = finding.fixes[0]?.changes[0];
  const fixed = change?.kind === 'edit' ? applyEdits(ROUTES, change.edits).split('\n').find((line) => line.includes('.query(')) : undefined;
  return { message: finding.message, fixed: fixed?.trim() };
}

test('the fix follows the module that creates the receiver, and changes when that module does', () => {
  const files = (db: string): Record<string, string> => ({ 'package.json': packageJson('pg', 'sequelize'), 'src/db.ts': db, 'src/routes.ts': ROUTES });
  // This rule alone: no other rule's facts (routes) read src/db.ts for it.
  const rules = RULES.filter((rule) => rule.meta.id === 'sql-injection');
  const fresh = (db: string): string[] => freshFindings(files(db), 'src/routes.ts').filter((finding) => finding.startsWith('sql-injection '));
  const workspace = new Workspace(makeWorkspace(files(SEQUELIZE_DB), 'shipshape-sql-driver-'), { rules, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  workspace.discover();
  workspace.setText('src/routes.ts', ROUTES);
  const sequelize = sqlFinding(workspace);
  assert.match(sequelize.message, /is sent to Sequelize:/);
  assert.equal(sequelize.fixed, 'const [rows] = await sequelize.query(`SELECT * FROM products WHERE name = ? LIMIT 10`, { replacements: [req.query.name] });');
  assert.ok(workspace.analyzeFile('src/routes.ts')?.dependencies.paths.includes('src/db.ts'), 'src/db.ts is not among the dependencies');
  assert.deepEqual(findingsOf(workspace, 'src/routes.ts'), fresh(SEQUELIZE_DB));

  // db.ts now makes a pg pool under the same name: routes.ts is analyzed again, its finding judged again.
  workspace.setText('src/db.ts', PG_DB);
  const pg = sqlFinding(workspace);
  assert.match(pg.message, /is sent to pg:/);
  assert.equal(pg.fixed, 'const [rows] = await sequelize.query(`SELECT * FROM products WHERE name = $1 LIMIT 10`, [req.query.name]);');
  assert.deepEqual(findingsOf(workspace, 'src/routes.ts'), fresh(PG_DB));
});

test('a driver kept across edits is looked up again when the module that creates the receiver changes, for every sink naming it', () => {
  const routes = `${ROUTES}
app.get('/orders', async (req, res) => {
  const [rows] = await sequelize.query(\`SELECT * FROM orders WHERE ref = '\${req.query.ref}' LIMIT 10\`);
  res.json(rows);
});
`;
  const files = (db: string): Record<string, string> => ({ 'package.json': packageJson('pg', 'sequelize'), 'src/db.ts': db, 'src/routes.ts': routes });
  const rules = RULES.filter((rule) => rule.meta.id === 'sql-injection');
  const workspace = new Workspace(makeWorkspace(files(SEQUELIZE_DB), 'shipshape-sql-driver-kept-'), { rules, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  workspace.discover();
  const messages = (): string[] => (workspace.analyzeFile('src/routes.ts')?.findings ?? []).filter((finding) => finding.ruleId === 'sql-injection').map((finding) => finding.message);
  workspace.setText('src/routes.ts', routes);
  assert.deepEqual(messages().map((message) => /is sent to (\w+)/.exec(message)?.[1]), ['Sequelize', 'Sequelize']);
  // Typing in the first handler keeps the second sink and its driver.
  const typed = routes.replace("LIMIT 10`);\n  res.json(rows);\n});\n\napp.get('/orders'", "LIMIT 10`);\n  res.json(rows); // x\n});\n\napp.get('/orders'");
  assert.notEqual(typed, routes);
  workspace.setText('src/routes.ts', typed);
  assert.deepEqual(messages().map((message) => /is sent to (\w+)/.exec(message)?.[1]), ['Sequelize', 'Sequelize']);
  assert.ok(workspace.analyzeFile('src/routes.ts')?.dependencies.paths.includes('src/db.ts'), 'a kept driver still makes src/db.ts a dependency');
  workspace.setText('src/db.ts', PG_DB);
  assert.deepEqual(messages().map((message) => /is sent to (\w+)/.exec(message)?.[1]), ['pg', 'pg']);
  const fresh = freshFindings({ ...files(PG_DB), 'src/routes.ts': typed }, 'src/routes.ts').filter((finding) => finding.startsWith('sql-injection '));
  assert.deepEqual(findingsOf(workspace, 'src/routes.ts').filter((finding) => finding.startsWith('sql-injection ')), fresh);
});

// sql-injection findings kept per sink across edits (rules/sql-injection/kept.ts):
// after any edit, an incrementally analyzed file must give exactly the findings
// (messages, severities and fixes, offsets included) of a fresh analysis of the same
// text. The edits below make queries tainted, merely unsafe and safe again inside one
// handler, move every other handler's findings by editing above them, write a
// file-level name from a handler (which another handler's query splices), change
// file-level constants, and change the Prisma schema the fix's placeholders follow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { parseCode, reparseCode } from '../../server/src/engine/files/parse';
import type { SqlDriver, SqlSink } from '../../server/src/engine/facts';
import { ts } from '../../server/src/engine/ts';
import { type SinkFinding, keptFinding } from '../../rules/sql-injection/kept';
import { Workspace } from '../../server/src/engine/workspace';
import { assertEditsMatchFresh, assertTypingMatchesFresh, editsKeepingContext, findingsOf, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

const PACKAGE = JSON.stringify({ name: 'shop', dependencies: { express: '^4.19.2', pg: '^8.12.0', '@prisma/client': '^5.0.0' } });
const SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n';
const MYSQL_SCHEMA = SCHEMA.replace('postgresql', 'mysql');

const ROUTES = `import express, { type Request, type Response } from 'express';
import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';

const pool = new Pool();
const prisma = new PrismaClient();
const app = express();
const ORDERS = 'orders';
const COLUMNS = ['id', 'status', 'total_cents', 'created_at'].join(', ');
const SORTABLE = ['created_at', 'total_cents'];
let tenantSuffix = '';

app.get('/api/health', (_req: Request, res: Response) => {
  res.json({ ok: true, service: 'orders', note: 'health check for the load balancer' });
});

app.get('/api/orders', async (req: Request, res: Response) => {
  const status = 'open';
  const { rows } = await pool.query('SELECT ' + COLUMNS + ' FROM ' + ORDERS + " WHERE status = '" + status + "' LIMIT 50");
  res.json(rows);
});

app.get('/api/orders/search', async (req: Request, res: Response) => {
  const term = String(req.query.q ?? '');
  let sql = \`SELECT \${COLUMNS} FROM \${ORDERS} WHERE note ILIKE '%\${term}%'\`;
  if (req.query.sort) sql += \` ORDER BY \${req.query.sort}\`;
  const { rows } = await pool.query(sql);
  res.json(rows);
});

app.get('/api/orders/:id', async (req: Request, res: Response) => {
  const { rows } = await pool.query(\`SELECT \${COLUMNS} FROM \${ORDERS}\${tenantSuffix} WHERE id = $1\`, [req.params.id]);
  res.json(rows[0] ?? null);
});

app.get('/api/orders/:id/items', async (req: Request, res: Response) => {
  const items = await prisma.$queryRawUnsafe(\`SELECT * FROM "Item" WHERE order_id = $1 AND kind = '\${req.query.kind}'\`, req.params.id);
  res.json(items);
});

export async function ordersSince(days: string) {
  const { rows } = await pool.query(\`SELECT \${COLUMNS} FROM \${ORDERS} WHERE created_at > now() - interval '\${days} days'\`);
  return rows;
}

app.get('/api/orders/sorted', async (req: Request, res: Response) => {
  const sort = String(req.query.sort ?? 'created_at');
  const { rows } = await pool.query(\`SELECT \${COLUMNS} FROM \${ORDERS} ORDER BY \${sort} DESC LIMIT 20\`);
  res.json(rows);
});

app.listen(3000);
`;

type Edit = readonly [find: string, replace: string];

/** Each edit applied after the previous ones; most stay inside one handler's body. */
const EDITS: readonly Edit[] = [
  // request input typed into a concatenation: the constant status becomes tainted
  ["\" WHERE status = '\" + status + \"'", "\" WHERE status = '\" + req.query.status + \"'"],
  // and bound again
  ["pool.query('SELECT ' + COLUMNS + ' FROM ' + ORDERS + \" WHERE status = '\" + req.query.status + \"' LIMIT 50\")", "pool.query('SELECT ' + COLUMNS + ' FROM ' + ORDERS + ' WHERE status = $1 LIMIT 50', [req.query.status])"],
  // above every other handler: their findings and fixes move
  ["note: 'health check for the load balancer'", "note: 'health check for the load balancer and the uptime monitor'"],
  ["service: 'orders', ", ''],
  // an allow-list check makes the sort column safe, then goes again
  ["  const sort = String(req.query.sort ?? 'created_at');\n", "  const sort = String(req.query.sort ?? 'created_at');\n  if (!SORTABLE.includes(sort)) return res.status(400).json({ error: 'bad sort' });\n"],
  ["'bad sort'", "'unknown sort column'"],
  ["  if (!SORTABLE.includes(sort)) return res.status(400).json({ error: 'unknown sort column' });\n", ''],
  // the helper's parameter (unsafe, not tainted) becomes a number
  ["interval '${days} days'", "interval '${Number(days)} days'"],
  ['ordersSince(days: string)', 'ordersSince(days: number)'],
  ["interval '${Number(days)} days'", "interval '${days} days'"],
  // a handler writes the file-level name another handler's query splices
  ["  res.json({ ok: true, note:", "  tenantSuffix = String(_req.query.tenant ?? '');\n  res.json({ ok: true, note:"],
  ['uptime monitor', 'uptime monitors'],
  ["  tenantSuffix = String(_req.query.tenant ?? '');\n", ''],
  // file-level constants change: the table name stops being a constant, then is one again
  ["const ORDERS = 'orders';", 'const ORDERS = process.argv[2] ?? "orders";'],
  ['const ORDERS = process.argv[2] ?? "orders";', "const ORDERS = 'orders';"],
  ["const COLUMNS = ['id', 'status', 'total_cents', 'created_at'].join(', ');", "const COLUMNS = ['id', 'status', 'total_cents', 'created_at'].join(', ');\nlet extraColumn = '';"],
  ['const term = String(', "extraColumn = ', note';\n  const term = String("],
  // inside the search handler: the appended ORDER BY is removed, then the term is bound
  ['  if (req.query.sort) sql += ` ORDER BY ${req.query.sort}`;\n', ''],
  ["WHERE note ILIKE '%${term}%'`;", "WHERE note ILIKE $1`;"],
  ['await pool.query(sql);', 'await pool.query(sql, [`%${term}%`]);'],
];

const fresh = (schema: string, text: string): string[] => freshFindings({ 'package.json': PACKAGE, 'prisma/schema.prisma': schema, 'src/routes.ts': text }, 'src/routes.ts');

const sqlFindings = (findings: readonly string[]): string[] => findings.filter((finding) => finding.startsWith('sql-injection '));

function openWorkspace(): Workspace {
  const root = makeWorkspace({ 'package.json': PACKAGE, 'prisma/schema.prisma': SCHEMA, 'src/routes.ts': ROUTES }, 'shipshape-sql-kept-');
  return new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
}

test('after each edit, sql-injection findings are those of a fresh analysis of the text', () => {
  const workspace = openWorkspace();
  const before = sqlFindings(findingsOf(workspace, 'src/routes.ts'));
  assert.ok(before.length >= 4, `only ${before.length} sql-injection findings to keep`);
  const after = assertEditsMatchFresh(workspace, 'src/routes.ts', ROUTES, EDITS, (text) => fresh(SCHEMA, text)).map(sqlFindings);
  // The edits are meant to move the findings: taint appears and goes, severities change, findings shift.
  const distinct = new Set(after.map((findings) => findings.join('\n')));
  assert.ok(distinct.size >= 12, `only ${distinct.size} distinct finding sets over ${EDITS.length} edits`);
  assert.ok(after.some((findings) => findings.some((finding) => finding.includes('SQL built from request input (`req.query.status`)'))), 'the typed request input was never reported');
  assert.ok(after.some((findings) => findings.some((finding) => finding.includes('(`tenantSuffix`)'))), 'the written file-level name was never reported');
});

test('typing request input into a concatenation letter by letter: each version gives the findings of a fresh analysis', () => {
  const typed = 'req.query.status';
  const edits: Edit[] = [];
  let previous = "+ status +";
  for (let length = 1; length <= typed.length; length++) {
    const next = `+ ${typed.slice(0, length)} +`;
    edits.push([`'" ${previous} "'`, `'" ${next} "'`]);
    previous = next;
  }
  const after = assertEditsMatchFresh(openWorkspace(), 'src/routes.ts', ROUTES, edits, (text) => fresh(SCHEMA, text)).map(sqlFindings);
  assert.ok(after.at(-1)?.some((finding) => finding.includes('SQL built from request input (`req.query.status`)')), 'the typed request input is not reported');
});

test('a changed Prisma schema changes the fix of an unchanged file', () => {
  const workspace = openWorkspace();
  workspace.setText('src/routes.ts', ROUTES);
  const postgres = findingsOf(workspace, 'src/routes.ts');
  assert.deepEqual(postgres, fresh(SCHEMA, ROUTES));
  workspace.setText('prisma/schema.prisma', MYSQL_SCHEMA);
  const mysql = findingsOf(workspace, 'src/routes.ts');
  assert.deepEqual(mysql, fresh(MYSQL_SCHEMA, ROUTES));
  assert.notDeepEqual(sqlFindings(mysql), sqlFindings(postgres));
});

test('typing one letter anywhere in a file with SQL sinks gives the findings of a fresh analysis', () => {
  assertTypingMatchesFresh(openWorkspace(), 'src/routes.ts', ROUTES, 29, (typed) => fresh(SCHEMA, typed));
});

test('the edits both keep the context (kept findings are compared) and break it (they must be judged again)', () => {
  const kept = editsKeepingContext('src/routes.ts', ROUTES, EDITS);
  assert.ok(kept >= 8, `only ${kept} of ${EDITS.length} edits kept the context`);
  assert.ok(kept <= EDITS.length - 6, `only ${EDITS.length - kept} of ${EDITS.length} edits broke the context`);
});

test('a kept finding is judged again once the node its offsets are relative to is replaced, even for the same sink object', () => {
  // dbFacts hands out the same sink only while the function it was found in is kept, so
  // this guard of kept.ts is what stands if the two ever divide the file differently:
  // here the sink's call is kept by the reparse inside a nested function while the
  // large function around it (its base) is replaced.
  const text = `export async function handler(req, res) {
  const note = 'padding that makes this function large enough to be kept on its own: ${'x'.repeat(160)}';
  const run = async () => pool.query('SELECT * FROM orders WHERE id = ' + req.query.id);
  return run();
}
`;
  const before = parseCode('a.ts', text, 'ts');
  const call = findCall(before, 'pool.query');
  const sink: SqlSink = { call, method: 'query', model: undefined, candidates: [], argument: call.arguments[0] as ts.Expression, built: call.arguments[0] as ts.Expression, appended: [], appendedSplices: [] };
  let judged = 0;
  const judge = (): SinkFinding => {
    judged++;
    return { at: call, report: { start: call.getStart(), end: call.end, message: 'judged' } };
  };
  const project = { readFile: (): string | undefined => undefined };
  const driver: SqlDriver = { model: undefined, library: undefined, by: undefined, possible: [] };
  const driverOf = (): SqlDriver => driver;
  keptFinding(sink, 'a.ts', project, driverOf, judge);
  assert.equal(keptFinding(sink, 'a.ts', project, driverOf, judge)?.report.start, call.getStart(), 'kept while nothing changed');
  assert.equal(judged, 1);
  const after = reparseCode(before, text.replace("const note = 'padding", "const note = 'more padding"));
  assert.equal(findCall(after, 'pool.query'), call, 'the reparse kept the call');
  assert.equal(keptFinding(sink, 'a.ts', project, driverOf, judge)?.report.start, call.getStart(after));
  assert.equal(judged, 2, 'judged again: its base was replaced');
});

function findCall(sourceFile: ts.SourceFile, callee: string): ts.CallExpression {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(sourceFile) === callee) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  assert.ok(found, `no call of ${callee}`);
  return found;
}

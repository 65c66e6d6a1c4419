// DB-call and SQL-sink facts kept per function across edits (facts/dbFacts.ts): after
// any edit, an incrementally analyzed file must give exactly the findings (fixes
// included) of a fresh analysis of the same text. Most edits below stay inside one
// handler's body, so every other function's facts are reused; they make DB-call
// findings appear and disappear there, change a file-level object another function's
// query reads, or change the project's dependencies under an unchanged file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { FileFacts } from '../../server/src/engine/facts';
import { contextToken, reparseInContext } from '../../server/src/engine/facts/editContext';
import { parseCode } from '../../server/src/engine/files/parse';
import { createProjectView } from '../../server/src/engine/project';
import { ts } from '../../server/src/engine/ts';
import { Workspace } from '../../server/src/engine/workspace';
import { assertEditsMatchFresh, assertTypingMatchesFresh, findingsOf, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

const makeRoot = (files: Record<string, string>): string => makeWorkspace(files, 'shipshape-db-facts-');

const PACKAGE = JSON.stringify({ name: 'app', dependencies: { express: '^4.19.2', pg: '^8.12.0', '@prisma/client': '^5.0.0' } });
const WITH_KNEX = JSON.stringify({ name: 'app', dependencies: { express: '^4.19.2', pg: '^8.12.0', '@prisma/client': '^5.0.0', knex: '^3.1.0' } });

const ROUTES = `import express, { type Request, type Response } from 'express';
import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';

const prisma = new PrismaClient();
const pool = new Pool();
const app = express();
const openOrders = {
  note() {
    return 'open orders, newest first';
  },
  where: { status: 'open' },
};

app.get('/api/orders', async (req: Request, res: Response) => {
  const orders = await prisma.order.findMany({ where: { status: 'open' } });
  res.json(orders.map((order) => ({ ...order, label: 'order' })));
});

app.get('/api/orders/open', async (req: Request, res: Response) => {
  const orders = await prisma.order.findMany(openOrders);
  res.json(orders);
});

app.get('/api/orders/with-items', async (req: Request, res: Response) => {
  const orders = await prisma.order.findMany({ where: { status: 'open' }, take: 20 });
  const result = [];
  for (const order of orders) {
    result.push({ ...order, label: 'with items' });
  }
  res.json(result);
});

app.post('/api/projects/:id/archive', async (req: Request, res: Response) => {
  const note = 'archived by request';
  res.json(await prisma.project.findUnique({ where: { id: req.params.id } }));
});

app.get('/api/reports/:kind', async (req: Request, res: Response) => {
  const { rows } = await pool.query('SELECT * FROM reports WHERE kind = $1 LIMIT 10', [req.params.kind]);
  res.json(rows);
});

app.get('/api/legacy', async (req: Request, res: Response) => {
  const rows = await db('legacy_orders').select('*');
  res.json(rows);
});

app.listen(3000);
`;

type Edit = [find: string, replace: string] | { packageJson: string };

/** Each edit applied after the previous ones. */
const EDITS: Edit[] = [
  // unbounded-query: the list gets a page size, then loses it again
  ["findMany({ where: { status: 'open' } });\n  res.json(orders.map", "findMany({ where: { status: 'open' }, take: 50 });\n  res.json(orders.map"],
  // …one the request picks, then caps
  ['take: 50 });', 'take: Number(req.query.limit) });'],
  ['take: Number(req.query.limit) });', 'take: Math.min(Number(req.query.limit) || 50, 100) });'],
  ['take: Math.min(Number(req.query.limit) || 50, 100) });', '});'],
  // n-plus-one: the loop starts loading each order's items, then stops
  ["    result.push({ ...order, label: 'with items' });\n", "    const items = await prisma.item.findMany({ where: { orderId: order.id } });\n    result.push({ ...order, items, label: 'with items' });\n"],
  ["label: 'with items'", "label: 'with its items'"],
  ['    const items = await prisma.item.findMany({ where: { orderId: order.id } });\n', ''],
  // missing-auth: the unauthenticated archive handler starts writing, then only reads again
  ['await prisma.project.findUnique({ where: { id: req.params.id } })', 'await prisma.project.update({ where: { id: req.params.id }, data: { archived: true } })'],
  ["'archived by request'", "'archived by the owner'"],
  ['await prisma.project.update({ where: { id: req.params.id }, data: { archived: true } })', 'await prisma.project.findUnique({ where: { id: req.params.id } })'],
  // sql-injection: the report query splices the request in, then binds it again
  ["pool.query('SELECT * FROM reports WHERE kind = $1 LIMIT 10', [req.params.kind])", 'pool.query(`SELECT * FROM reports WHERE kind = \'${req.params.kind}\'`)'],
  ['pool.query(`SELECT * FROM reports WHERE kind = \'${req.params.kind}\'`)', "pool.query('SELECT * FROM reports WHERE kind = $1 LIMIT 10', [req.params.kind])"],
  // inside a method of the file-level object another handler's query reads: its nodes move
  ["return 'open orders, newest first';", "const order = 'newest first';\n    return 'open orders, ' + order;"],
  ["'newest first'", "'newest first, then by id'"],
  // the file-level options another handler's query reads gain a page size, which then changes
  ["  where: { status: 'open' },\n};", "  where: { status: 'open' },\n  take: 20,\n};"],
  ['take: 20,', 'take: 25,'],
  // the project starts depending on knex: the untouched legacy handler's call becomes a query
  { packageJson: WITH_KNEX },
  ["'legacy_orders'", "'legacy_order'"],
  { packageJson: PACKAGE },
];


const fresh = (packageJson: string, text: string): string[] => freshFindings({ 'package.json': packageJson, 'src/routes.ts': text }, 'src/routes.ts');

test('after each edit, DB-call findings are those of a fresh analysis of the text', () => {
  const root = makeRoot({ 'package.json': PACKAGE, 'src/routes.ts': ROUTES });
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  let text = ROUTES;
  let packageJson = PACKAGE;
  workspace.setText('src/routes.ts', text);
  assert.deepEqual(findingsOf(workspace, 'src/routes.ts'), fresh(packageJson, text));
  const seen = new Set<string>();
  const rulesSeen = new Set<string>();
  for (const edit of EDITS) {
    if ('packageJson' in edit) {
      packageJson = edit.packageJson;
      workspace.setText('package.json', packageJson);
    } else {
      const [find, replace] = edit;
      assert.ok(text.includes(find), `edit target missing: ${find}`);
      text = text.replace(find, replace);
      workspace.setText('src/routes.ts', text);
    }
    const incremental = findingsOf(workspace, 'src/routes.ts');
    assert.deepEqual(incremental, fresh(packageJson, text), `after ${JSON.stringify(edit)}`);
    seen.add(incremental.join('\n'));
    for (const finding of incremental) rulesSeen.add(finding.split(' ')[0] ?? '');
  }
  // The edits are meant to move DB-call findings of every kind.
  assert.ok(seen.size >= 6, `only ${seen.size} distinct finding sets`);
  for (const rule of ['unbounded-query', 'n-plus-one', 'missing-auth', 'sql-injection']) assert.ok(rulesSeen.has(rule), `no ${rule} finding along the way`);
});

test('typing one letter anywhere in a file with DB calls gives the findings of a fresh analysis', () => {
  const root = makeRoot({ 'package.json': PACKAGE, 'src/routes.ts': ROUTES });
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  assertTypingMatchesFresh(workspace, 'src/routes.ts', ROUTES, 23, (typed) => fresh(PACKAGE, typed));
});

/** Where a node is, and whether it hangs from `root` (a kept fact pointing into an older tree would not). */
function at(node: ts.Node | undefined, root: ts.SourceFile): string {
  if (!node) return '-';
  let top: ts.Node = node;
  while (top.parent) top = top.parent;
  return `${node.pos}-${node.end}${top === root ? '' : ' STALE'}`;
}

function describeFacts(facts: FileFacts, root: ts.SourceFile): string[] {
  const sinks = facts.sqlSinks.map((sink) => `sink ${at(sink.call, root)} ${sink.method} built ${at(sink.built, root)} arg ${at(sink.argument, root)} var ${at(sink.variable?.declaration, root)}${sink.variable && sink.variable.scope !== root && ts.isSourceFile(sink.variable.scope) ? ' STALE SCOPE' : ''} appended ${sink.appended.map((part) => at(part, root)).join(',')}`);
  const calls = facts.dbCalls.map((call) => {
    const conditions = (call.conditions ?? []).map((condition) => `${condition.field}${condition.equality ? '=' : '~'}${at(condition.value, root)}@${at(condition.node, root)}`).join(',');
    const limit = call.limit?.kind === 'count' ? ` ${at(call.limit.count, root)}` : call.limit ? ` ${at(call.limit.from, root)}..${at(call.limit.to, root)}` : '';
    const flags = `${call.limited ? ` limited${limit}` : ''}${call.paginated ? ' paginated' : ''}${call.inLoop ? ` loop ${at(call.loop, root)} over ${at(call.iterated, root)}` : ''}`;
    return `call ${at(call.call, root)} ${call.library} ${call.model} ${call.operation}${flags} filter ${at(call.filter, root)} [${conditions}] sql ${call.sql ? at(call.sql.call, root) : '-'}`;
  });
  return [...sinks, ...calls];
}

/** Applies `edits` in turn, reparsing incrementally, and compares the facts with those of a fresh parse after each; returns how many edits kept the context. */
function assertFactsMatchFreshParse(text: string, edits: readonly Edit[]): number {
  const project = createProjectView('/repo', (path) => (path === 'package.json' ? PACKAGE : undefined), () => false, () => ['package.json', 'src/routes.ts']);
  const factsOf = (current: string, sourceFile: ts.SourceFile): FileFacts => new FileFacts({ path: 'src/routes.ts', kind: 'ts', text: current, sourceFile }, project);
  let tree = parseCode('src/routes.ts', text, 'ts');
  assert.ok(factsOf(text, tree).dbCalls.length > 0);
  let kept = 0;
  for (const edit of edits) {
    if ('packageJson' in edit) continue;
    text = text.replace(edit[0], edit[1]);
    const previous = tree;
    tree = reparseInContext(tree, text);
    if (contextToken(tree) === contextToken(previous)) kept++;
    const fresh = parseCode('src/routes.ts', text, 'ts');
    assert.deepEqual(describeFacts(factsOf(text, tree), tree), describeFacts(factsOf(text, fresh), fresh), `after replacing ${JSON.stringify(edit[0])}`);
  }
  return kept;
}

test('DB-call and SQL-sink facts of a reparsed file equal a fresh parse, every node in the current tree', () => {
  // Most edits stay inside one function: the kept facts are what is being tested.
  const kept = assertFactsMatchFreshParse(ROUTES, EDITS);
  assert.ok(kept >= 8, `only ${kept} edits kept the context`);
});

// A file without an ORM package: whether its calls count as ORM calls is decided by a
// Prisma-looking call anywhere in it. One handler reads a file-level SQL text (its facts
// are found again on every version), another a file-level filter object with a method.
const PATCHED = `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();
const REPORT_SQL = 'SELECT * FROM reports WHERE kind = ';
const openOrders = {
  label() {
    return 'open orders';
  },
  where: { status: 'open' },
};

app.post('/api/orders', async (req, res) => {
  const order = await db.order.create({ data: req.body });
  res.json(order);
});

app.get('/api/orders/open', async (req, res) => {
  res.json(await db.order.findMany(openOrders));
});

app.get('/api/reports/:kind', async (req, res) => {
  const { rows } = await pool.query(REPORT_SQL + req.params.kind);
  res.json(rows);
});

app.get('/api/reports', async (req, res) => {
  const { rows } = await pool.query(REPORT_SQL);
  res.json(rows);
});

app.post('/api/audit', async (req, res) => {
  const entries = await prismb.audit.findMany({ where: { kind: 'note' } });
  res.json(entries);
});

app.listen(3000);
`;

const PG_ONLY = JSON.stringify({ name: 'app', dependencies: { express: '^4.19.2', pg: '^8.12.0' } });

const PATCHED_EDITS: Edit[] = [
  // a Prisma-looking call appears in one handler: every handler's calls count as ORM calls
  ['prismb.audit', 'prisma.audit'],
  ["kind: 'note'", "kind: 'notes'"],
  ['prisma.audit', 'prismb.audit'],
  // the method of the object another handler's query reads is edited
  ["return 'open orders';", "return 'open orders, newest first';"],
  // the handler reading file-level SQL is edited, then one beside it
  ['REPORT_SQL + req.params.kind', 'REPORT_SQL + req.params.kind + req.query.sort'],
  ['data: req.body', 'data: { ...req.body }'],
  // the file starts importing an ORM (its calls count from then on), a handler is typed in, the import goes
  ["import { Pool } from 'pg';\n", "import { Pool } from 'pg';\nimport { PrismaClient } from '@prisma/client';\n"],
  ['data: { ...req.body }', 'data: { ...req.body, source: req.ip }'],
  ["import { PrismaClient } from '@prisma/client';\n", ''],
  ['data: { ...req.body, source: req.ip }', 'data: { ...req.body }'],
];

test('DB facts patched past an edit equal a fresh analysis: statements reading the edited one, file-level SQL, ORM calls turned on and off', () => {
  const workspace = new Workspace(makeRoot({ 'package.json': PG_ONLY, 'src/routes.ts': PATCHED }), { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  const after = assertEditsMatchFresh(
    workspace,
    'src/routes.ts',
    PATCHED,
    PATCHED_EDITS.flatMap((edit) => ('packageJson' in edit ? [] : [edit])),
    (text) => fresh(PG_ONLY, text),
  );
  assert.ok(new Set(after.map((findings) => findings.join('\n'))).size >= 3, 'the edits are meant to move findings');
  assertTypingMatchesFresh(workspace, 'src/routes.ts', PATCHED, 31, (typed) => fresh(PG_ONLY, typed));
  // The facts themselves, file-level names included (a kept SQL sink must not name the last version's binding).
  assert.equal(assertFactsMatchFreshParse(PATCHED, PATCHED_EDITS), PATCHED_EDITS.length - 2, 'every edit but the two of imports keeps the context');
});

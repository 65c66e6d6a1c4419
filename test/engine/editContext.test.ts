// Facts kept across edits (editContext.ts): after any edit, an incrementally
// reparsed file must give exactly the findings a fresh analysis of the same text
// gives. The edits below each change what another function's facts would read — a
// helper the handler calls, a variable another function writes, a route's path — so a
// fact kept when it should not be shows up as a difference.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { contextToken, reparseInContext } from '../../server/src/engine/facts/editContext';
import { parseCode } from '../../server/src/engine/files/parse';
import { Workspace } from '../../server/src/engine/workspace';
import { assertEditsMatchFresh, assertTypingMatchesFresh, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

const makeRoot = (files: Record<string, string>): string => makeWorkspace(files, 'shipshape-edit-context-');

const PACKAGE = JSON.stringify({ name: 'app', dependencies: { express: '^4.19.2', pg: '^8.12.0', '@prisma/client': '^5.0.0' } });

const ROUTES = `import express, { type Request, type Response } from 'express';
import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';

const prisma = new PrismaClient();
const pool = new Pool();
const app = express();
const TABLE = 'orders';
let sortColumn = 'created_at';

async function currentUser(req: Request) {
  const user = await getSessionUser(req);
  if (!user) throw Object.assign(new Error('Unauthorized'), { status: 401 });
  return user;
}

function checkKey(req: Request) {
  if (req.headers['x-api-key'] !== process.env.INTERNAL_API_KEY) throw Object.assign(new Error('Unauthorized'), { status: 401 });
}

function noop(_req: Request) {
  return undefined;
}

const guard = checkKey;

function configureSort(req: Request) {
  const requested = 'name';
  return requested;
}

app.post('/api/projects', async (req: Request, res: Response) => {
  const user = await currentUser(req);
  res.status(201).json(await prisma.project.create({ data: { name: req.body.name, ownerId: user.id } }));
});

app.post('/api/projects/:id/archive', async (req: Request, res: Response) => {
  res.json(await prisma.project.update({ where: { id: req.params.id }, data: { archived: true } }));
});

app.delete('/api/projects/:id', async (req: Request, res: Response) => {
  checkKey(req);
  await prisma.project.delete({ where: { id: req.params.id } });
  res.status(204).end();
});

app.put('/api/projects/:id', async (req: Request, res: Response) => {
  guard(req);
  res.json(await prisma.project.update({ where: { id: req.params.id }, data: { name: req.body.name } }));
});

app.get('/api/orders', async (req: Request, res: Response) => {
  const limit = Number(req.query.limit ?? 20);
  const { rows } = await pool.query(\`SELECT * FROM \${TABLE} ORDER BY \${sortColumn} LIMIT \${limit}\`);
  res.json(rows.map((row) => ({ ...row, label: 'order' })));
});

app.get('/api/orders/:id', async (req: Request, res: Response) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  res.json(rows[0] ?? null);
});

app.listen(3000);
`;

type Edit = [find: string, replace: string];

/** Each edit applied after the previous ones; each one changes another function's findings. */
const EDITS: Edit[] = [
  // the helper the first handler authenticates with stops rejecting strangers
  ["  if (!user) throw Object.assign(new Error('Unauthorized'), { status: 401 });\n", ''],
  // …and starts again
  ['  const user = await getSessionUser(req);\n', "  const user = await getSessionUser(req);\n  if (!user) throw Object.assign(new Error('Unauthorized'), { status: 401 });\n"],
  // the helper a handler calls turns nobody away any more, then again
  ["  if (req.headers['x-api-key'] !== process.env.INTERNAL_API_KEY) throw", "  if (req.headers['x-api-key'] !== process.env.INTERNAL_API_KEY) console.log"],
  ["INTERNAL_API_KEY) console.log", 'INTERNAL_API_KEY) throw'],
  // a file-level alias the last handler calls through now names a function that checks nothing
  ['const guard = checkKey;', 'const guard = noop;'],
  // a function writes the file-level variable the orders query splices in
  ["  const requested = 'name';\n", "  const requested = 'name';\n  sortColumn = String(req.query.sort);\n"],
  // typing inside that function while it writes outside itself
  ["String(req.query.sort)", "String(req.query.sortBy)"],
  // and it stops writing it
  ["  sortColumn = String(req.query.sortBy);\n", ''],
  // the file-level constant the query splices in stops being a constant
  ["const TABLE = 'orders';", 'const TABLE = process.argv[2] as string;'],
  ["const TABLE = process.argv[2] as string;", "const TABLE = 'orders';"],
  // a route's path becomes public by convention, then not
  ["'/api/projects/:id/archive'", "'/api/public/projects/:id/archive'"],
  ["'/api/public/projects/:id/archive'", "'/api/projects/:id/archive'"],
  // typing inside one handler: the archive route authenticates itself
  ["  res.json(await prisma.project.update({ where: { id: req.params.id }, data: { archived: true } }));\n", "  await currentUser(req);\n  res.json(await prisma.project.update({ where: { id: req.params.id }, data: { archived: true } }));\n"],
  // a local variable of one handler shadows the file-level one
  ['  const limit = Number(req.query.limit ?? 20);\n', "  const limit = Number(req.query.limit ?? 20);\n  const sortColumn = req.query.sort;\n"],
  // a nested callback inside the edited handler reads a name the edit redeclares
  ["label: 'order'", 'label: sortColumn'],
];


const fresh = (text: string): string[] => freshFindings({ 'package.json': PACKAGE, 'src/routes.ts': text }, 'src/routes.ts');

test('after each edit, an incrementally analyzed file has the findings of a fresh analysis of its text', () => {
  const root = makeRoot({ 'package.json': PACKAGE, 'src/routes.ts': ROUTES });
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  const seen = new Set(assertEditsMatchFresh(workspace, 'src/routes.ts', ROUTES, EDITS, fresh).map((findings) => findings.join('\n')));
  // The edits are meant to move findings: most of them must have changed something.
  assert.ok(seen.size >= 6, `only ${seen.size} distinct finding sets`);
});

test('typing one letter anywhere gives the findings of a fresh analysis', () => {
  const root = makeRoot({ 'package.json': PACKAGE, 'src/routes.ts': ROUTES });
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  assertTypingMatchesFresh(workspace, 'src/routes.ts', ROUTES, 29, fresh);
});

test('the context token survives edits inside one function body or route path only', () => {
  const text = `let count = 0;\nconst LIMIT = 10;\nfunction a() {\n  const x = 'one';\n  return x;\n}\nfunction b() {\n  return 1;\n}\nrouter.get('/orders', a);\n`;
  const base = parseCode('a.ts', text, 'ts');
  const keeps = (from: string, to: string): boolean => {
    const tree = parseCode('a.ts', text, 'ts');
    return contextToken(reparseInContext(tree, text.replace(from, to))) === contextToken(tree);
  };
  assert.ok(contextToken(base));
  assert.equal(keeps("'one'", "'ones'"), true, 'typing in a string inside a body');
  assert.equal(keeps('return 1;', 'return 2;'), true, 'another function');
  assert.equal(keeps("'/orders'", "'/orderz'"), true, 'a route path literal');
  assert.equal(keeps('return 1;', 'count += 1; return 1;'), false, 'a body that starts adding to a file-level name');
  assert.equal(keeps('return 1;', 'count = 2; return 1;'), false, 'an assignment to a file-level name');
  assert.equal(keeps('LIMIT = 10', 'LIMIT = 11'), false, 'a file-level declaration');
  assert.equal(keeps('function b() {', 'function b(y) {'), false, 'a parameter list');
});

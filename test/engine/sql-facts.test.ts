// Facts the sql-injection rule reads: how SQL text is spliced together, which
// variable holds it, where else that variable is used, and flow refinements
// (in-place stores, deployment config, escaping, numeric fallbacks, route handlers
// outside app/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ts } from '../../server/src/engine/ts';
import { FileFacts } from '../../server/src/engine/facts';
import { DataFlow } from '../../server/src/engine/facts/flow';
import { collectImports } from '../../server/src/engine/facts/imports';
import { spliceString } from '../../server/src/engine/facts/splicing';
import { createProjectView } from '../../server/src/engine/project';
import type { ParsedFile } from '../../server/src/engine/types';

function parse(code: string, path = 'src/handler.ts'): ts.SourceFile {
  return ts.createSourceFile(path, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** The initializer of the last `const probe = …`. */
function probeOf(sourceFile: ts.SourceFile): ts.Expression {
  let target: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'probe' && node.initializer) target = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  assert.ok(target, 'no probe');
  return target;
}

function flowOf(code: string, path?: string): { flow: DataFlow; probe: ts.Expression } {
  const sourceFile = parse(code, path);
  return { flow: new DataFlow(sourceFile, false, collectImports(sourceFile).useServerFile), probe: probeOf(sourceFile) };
}

/** Pieces as `text|{expr}|…`. */
function splice(code: string): string | undefined {
  const sourceFile = parse(code);
  const result = spliceString(probeOf(sourceFile), collectImports(sourceFile));
  return result && `${result.shape}:${result.pieces.map((piece) => (piece.kind === 'text' ? piece.text : `{${piece.expression.getText()}}`)).join('|')}`;
}

function sinks(code: string): FileFacts['sqlSinks'] {
  const sourceFile = parse(code);
  const file: ParsedFile = { path: 'src/handler.ts', kind: 'ts', text: code, sourceFile };
  return new FileFacts(file, createProjectView('/tmp', () => undefined, () => false, () => [])).sqlSinks;
}

test('string splicing: templates, +, concat(), util.format and join', () => {
  assert.equal(splice('const probe = `a ${x} b`;'), 'template:a |{x}| b');
  assert.equal(splice("const probe = 'a ' + (x + `-${y}`) + 'b';"), 'concatenation:a |{x}|-|{y}||b');
  assert.equal(splice("const probe = 'a '.concat(x, ' b');"), 'concat-call:a |{x}| b');
  assert.equal(splice("import util from 'node:util'; const probe = util.format('a %s b %d%%', x, y);"), 'format:a |{x}| b |{y}||%|');
  assert.equal(splice("const probe = ['a', `b ${x}`].join(' ');"), 'join:a| |b |{x}|');
  assert.equal(splice("const probe = 'plain';"), undefined);
  assert.equal(splice('const probe = build(x);'), undefined);
});

test('SQL sinks follow the variable declared in the block that encloses the call', () => {
  const [first, second] = sinks(`import { Pool } from 'pg'; const pool = new Pool();
    function f(a: string, b: string) {
      if (a) { const sql = \`SELECT * FROM t WHERE a = '\${a}'\`; pool.query(sql); }
      else { const sql = \`SELECT * FROM t WHERE b = '\${b}'\`; pool.query(sql); }
    }`);
  assert.match(first?.built.getText() ?? '', /a = /);
  assert.match(second?.built.getText() ?? '', /b = /);
  assert.equal(first?.splice?.shape, 'template');
});

test('references: every use of a binding, declarations and property names excluded', () => {
  const sourceFile = parse('function f() { const sql = "x"; run(sql); log({ sql }); other.sql = 1; const o = { sql: 2 }; }');
  const flow = new DataFlow(sourceFile, false, false);
  let declared: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'sql') declared = node.name;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  assert.ok(declared);
  const binding = flow.scopes.resolve(declared);
  assert.ok(binding);
  assert.deepEqual(
    flow.scopes.references(binding).map((identifier) => identifier.parent.getText()),
    ['run(sql)', 'sql'],
  );
});

test('values pushed or stored into a variable flow into it', () => {
  const pushed = flowOf(`app.get('/', (req, res) => { const where = []; where.push(\`name = '\${req.query.name}'\`); const probe = where.join(' AND '); });`);
  assert.equal(pushed.flow.isTainted(pushed.probe), true);
  assert.equal(pushed.flow.isInjectionSafe(pushed.probe), false);
  const stored = flowOf(`app.get('/', (req, res) => { const filters = {}; filters.name = req.query.name; const probe = filters.name; });`);
  assert.equal(stored.flow.isTainted(stored.probe), true);
  const placeholders = flowOf('function f(values) { const where = []; where.push(`a = $${values.length}`); const probe = where.join(\' AND \'); }');
  assert.equal(placeholders.flow.isInjectionSafe(placeholders.probe), true);
});

test('injection-safe: deployment config, driver escaping, numeric fallbacks, variables built from safe parts', () => {
  const safe = (code: string): boolean => {
    const { flow, probe } = flowOf(code);
    return flow.isInjectionSafe(probe);
  };
  assert.equal(safe('const probe = process.env.DB_SCHEMA;'), true);
  assert.equal(safe("const schema = process.env.DB_SCHEMA ?? 'public'; const probe = `${schema}.users`;"), true);
  assert.equal(safe('function f(req) { const probe = connection.escape(req.query.q); }'), true);
  assert.equal(safe('function f(req) { const page = Number(req.query.page) || 1; const probe = page; }'), true);
  assert.equal(safe("function f(req) { let column; switch (req.query.by) { case 'a': column = 'a_id'; break; default: column = 'id'; } const probe = column; }"), true);
  assert.equal(safe('function f(req) { let column; column = req.query.by; const probe = column; }'), false);
  assert.equal(safe('function f(req) { const probe = req.query.q.valueOf(); }'), false);
});

test('taint: Object.fromEntries, JSON.parse and validators pass input through; route handlers are known by their request type', () => {
  const tainted = (code: string, path?: string): boolean => {
    const { flow, probe } = flowOf(code, path);
    return flow.isTainted(probe);
  };
  assert.equal(tainted("'use server';\nexport async function save(formData: FormData) { const data = Object.fromEntries(formData); const probe = data.title; }"), true);
  assert.equal(tainted('export async function POST(req: Request) { const body = JSON.parse(await req.text()); const probe = body.q; }'), true);
  assert.equal(tainted('export async function POST(req: Request) { const { q } = schema.parse(await req.json()); const probe = q; }'), true);
  assert.equal(tainted('export async function GET(request: NextRequest, { params }: { params: { id: string } }) { const probe = params.id; }', 'lib/handlers.ts'), true);
  assert.equal(tainted('export async function GET(ctx: Context, { params }: { params: { id: string } }) { const probe = params.id; }', 'lib/handlers.ts'), false);
});

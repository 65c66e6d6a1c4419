// Request-input taint and constness through variables, destructuring, templates,
// concatenation, method chains, reassignment, route params and server actions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ts } from '../../server/src/engine/ts';
import { DataFlow } from '../../server/src/engine/facts/flow';
import { collectImports } from '../../server/src/engine/facts/imports';

/** Evaluates the initializer of `const probe = …` (the last one in the file). */
function probe(code: string, path = 'src/handler.ts'): { tainted: boolean; constant: boolean; safe: boolean } {
  const sourceFile = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let target: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'probe' && node.initializer) target = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  assert.ok(target, 'no probe');
  const flow = new DataFlow(sourceFile, /app\/.*(route|page)\.tsx?$/.test(path), collectImports(sourceFile).useServerFile);
  return { tainted: flow.isTainted(target), constant: flow.isConstant(target), safe: flow.isInjectionSafe(target) };
}

test('Express request properties and their derivations are tainted', () => {
  assert.equal(probe(`app.get('/', (req, res) => { const probe = req.query.q; });`).tainted, true);
  assert.equal(probe(`app.get('/', (req, res) => { const { id } = req.params; const probe = \`x \${id}\`; });`).tainted, true);
  assert.equal(probe(`app.post('/', (req, res) => { const name = req.body.name.trim(); const probe = 'a' + name.toLowerCase(); });`).tainted, true);
  assert.equal(probe(`router.get('/', async (request, res) => { let sql = 'x'; sql += request.headers['x-id']; const probe = sql; });`).tainted, true);
});

test('values that cannot carry text are not tainted', () => {
  assert.equal(probe(`app.get('/', (req, res) => { const probe = Number(req.query.limit); });`).tainted, false);
  assert.equal(probe(`app.get('/', (req, res) => { const probe = req.query.ids.includes('a'); });`).tainted, false);
  assert.equal(probe(`app.get('/', (req, res) => { const probe = req.body.items.length > 3; });`).tainted, false);
  assert.equal(probe(`function f(request) { const request2 = { body: 'x' }; const probe = request2.body; }`).tainted, false);
});

test('Next.js route handlers: request.json(), searchParams, and the params argument', () => {
  const route = 'app/api/orders/[id]/route.ts';
  assert.equal(probe(`export async function POST(request: Request) { const body = await request.json(); const probe = body.email; }`, route).tainted, true);
  assert.equal(probe(`export async function GET(req: NextRequest) { const probe = req.nextUrl.searchParams.get('q'); }`, route).tainted, true);
  assert.equal(probe(`export async function GET(request: Request) { const { searchParams } = new URL(request.url); const probe = searchParams.get('q'); }`, route).tainted, true);
  assert.equal(probe(`export async function DELETE(_req: Request, { params }: { params: { id: string } }) { const probe = params.id; }`, route).tainted, true);
  assert.equal(probe(`export async function GET() { const probe = 'static'; }`, route).tainted, false);
});

test('server actions: every argument is client data', () => {
  assert.equal(probe(`'use server';\nexport async function save(formData: FormData) { const probe = formData.get('title'); }`, 'app/actions.ts').tainted, true);
  assert.equal(probe(`export async function save(title: string) { 'use server'; const probe = title; }`, 'app/page.tsx').tainted, true);
  assert.equal(probe(`export async function save(title: string) { const probe = title; }`, 'lib/save.ts').tainted, false);
});

test('constants, constant picks and allow-listed values are injection-safe', () => {
  assert.equal(probe(`const T = 'users'; const probe = 'SELECT * FROM ' + T;`).constant, true);
  assert.equal(probe(`const COLS = { name: 'name', price: 'price' } as const; function f(req) { const probe = COLS[req.query.sort]; }`).constant, true);
  assert.equal(probe(`function f(req) { const probe = req.query.dir === 'asc' ? 'ASC' : 'DESC'; }`).constant, true);
  assert.equal(
    probe(`const ALLOWED = ['name', 'price']; function f(req, res) { const sort = req.query.sort; if (!ALLOWED.includes(sort)) { return res.status(400).end(); } const probe = \`ORDER BY \${sort}\`; }`).safe,
    true,
  );
  assert.equal(probe(`const ALLOWED = new Set(['a']); function f(req) { const s = req.query.s; const probe = ALLOWED.has(s) ? s : 'a'; }`).safe, true);
  assert.equal(probe(`const SORTABLE = ['name', 'price'] as const; function f(req) { const probe = SORTABLE.find((c) => c === req.query.sort) ?? 'name'; }`).safe, true);
  assert.equal(probe(`function f(req) { const probe = \`LIMIT \${Number(req.query.limit)}\`; }`).safe, true);
  assert.equal(probe(`function f(limit: number) { const probe = \`LIMIT \${limit}\`; }`).safe, true);
});

test('non-constant values stay unsafe: parameters, unchecked input, reassigned lets', () => {
  assert.equal(probe(`function f(email: string) { const probe = \`WHERE email = '\${email}'\`; }`).safe, false);
  assert.equal(probe(`const ALLOWED = ['a']; function f(req) { const s = req.query.s; if (ALLOWED.includes(s)) { console.log(s); } const probe = \`\${s}\`; }`).safe, false);
  assert.equal(probe(`let T = 'users'; function f(x) { T = x; } const probe = 'SELECT * FROM ' + T;`).constant, false);
});

/** A deterministic pseudo-random sequence (the same programs and orders on every run). */
function randomSequence(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

/** A handler whose variables assign each other in cycles, some from request input, constants, numbers or an allow-list. */
function cyclicHandler(random: (below: number) => number): string {
  const variables = ['v0', 'v1', 'v2', 'v3', 'v4'];
  const pick = (): string => variables[random(variables.length)] ?? 'v0';
  const value = (): string => {
    const forms = [`'text'`, 'req.query.q', pick(), pick(), pick(), `${pick()} + ${pick()}`, `${pick()} + 'x'`, `\`(\${${pick()}})\``, `Number(${pick()})`, `LIST.find((c) => c === ${pick()})`, `${pick()} ? 'a' : ${pick()}`, `${pick()} || ${pick()}`];
    return forms[random(forms.length)] ?? pick();
  };
  const declarations = variables.map((name) => `  let ${name} = ${value()};`);
  const assignments = Array.from({ length: 4 + random(6) }, () => `  ${pick()} = ${value()};`);
  return [`const LIST = ['a', 'b'];`, 'app.get(\'/\', (req, res) => {', ...declarations, ...assignments, `  use(${variables.join(', ')});`, '});'].join('\n');
}

test('a cycle of copies carries request input to every variable on it, whichever is asked first', () => {
  const code = `app.get('/', (req, res) => {\n  let v0 = v1;\n  let v1 = v2;\n  let v2 = v0;\n  v2 = req.query.q;\n  use(v0, v1, v2);\n});`;
  const sourceFile = ts.createSourceFile('src/handler.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const call = sourceFile.statements[0] as ts.ExpressionStatement;
  const handler = (call.expression as ts.CallExpression).arguments[1] as ts.ArrowFunction;
  const uses = (((handler.body as ts.Block).statements[4] as ts.ExpressionStatement).expression as ts.CallExpression).arguments;
  for (const first of uses) {
    const flow = new DataFlow(sourceFile, false, false);
    flow.isTainted(first);
    assert.deepEqual(uses.map((use) => flow.isTainted(use)), [true, true, true], `after asking about ${first.getText()} first`);
  }
});

test('answers do not depend on the order of asking, cycles of assignments included', () => {
  const random = randomSequence(7);
  for (let program = 0; program < 300; program++) {
    const code = cyclicHandler(random);
    const sourceFile = ts.createSourceFile('src/handler.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const uses: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'use') uses.push(...node.arguments);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    const questions = uses.flatMap((use) => [
      (flow: DataFlow) => `${use.getText()} tainted ${flow.isTainted(use)}`,
      (flow: DataFlow) => `${use.getText()} constant ${flow.isConstant(use)}`,
      (flow: DataFlow) => `${use.getText()} safe ${flow.isInjectionSafe(use)}`,
    ]);
    const answersInOrder = (order: readonly number[]): string[] => {
      const flow = new DataFlow(sourceFile, false, false);
      const answers: string[] = [];
      for (const index of order) answers[index] = questions[index]?.(flow) ?? '';
      return answers;
    };
    const forward = questions.map((_, index) => index);
    const expected = answersInOrder(forward);
    assert.deepEqual(answersInOrder([...forward].reverse()), expected, code);
    for (let shuffle = 0; shuffle < 3; shuffle++) {
      const order = [...forward];
      for (let i = order.length - 1; i > 0; i--) {
        const j = random(i + 1);
        [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
      }
      assert.deepEqual(answersInOrder(order), expected, code);
    }
  }
});

// Name resolution across incremental reparses: the scopes cached for a function the
// parser reused must stay right, and the function an edit lands in must be re-read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ts } from '../../server/src/engine/ts';
import { parseCode, reparseCode } from '../../server/src/engine/files/parse';
import { Scopes } from '../../server/src/engine/facts/scopes';

function identifierAt(sourceFile: ts.SourceFile, marker: string): ts.Identifier {
  const position = sourceFile.text.indexOf(marker);
  assert.ok(position >= 0, `no ${marker}`);
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.getStart() === position) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  assert.ok(found, `no identifier at ${marker}`);
  return found;
}

const CODE = `
let shared = 'a';
export function first(req) {
  let sql = 'SELECT 1';
  sql += req.query.x;
  return run(sql /*first*/);
}
export function second() {
  const rows = [];
  rows.push(shared);
  return rows /*second*/;
}
`;

test('assignments, stores and references stay within the declaring function', () => {
  const sourceFile = parseCode('a.ts', CODE, 'ts');
  const scopes = new Scopes();
  const sql = scopes.resolve(identifierAt(sourceFile, 'sql /*first*/'));
  assert.equal(sql?.kind, 'variable');
  assert.deepEqual(sql.assignments.map((value) => value.getText()), ['req.query.x']);
  assert.equal(scopes.references(sql).length, 2, 'the += target and the call argument');
  const rows = scopes.resolve(identifierAt(sourceFile, 'rows /*second*/'));
  assert.deepEqual(rows?.stores.map((value) => value.getText()), ['shared']);
  const shared = scopes.lookup(sourceFile, 'shared')[0];
  assert.ok(shared);
  assert.equal(scopes.references(shared).length, 1);
});

test('after an edit in one function, the untouched one keeps its bindings and the edited one is re-read', () => {
  const scopes = new Scopes();
  const before = parseCode('a.ts', CODE, 'ts');
  const rowsBefore = scopes.resolve(identifierAt(before, 'rows /*second*/'));
  assert.ok(rowsBefore);
  assert.equal(scopes.resolve(identifierAt(before, 'sql /*first*/'))?.assignments.length, 1);

  const edited = CODE.replace("sql += req.query.x;", "sql += req.query.x;\n  sql += req.body.y;").replace("let shared = 'a';", "let shared = 'a';\nshared = process.argv[2];");
  const after = reparseCode(before, edited);
  const rowsAfter = scopes.resolve(identifierAt(after, 'rows /*second*/'));
  assert.equal(rowsAfter, rowsBefore, 'the reused function keeps its cached binding');
  const sql = scopes.resolve(identifierAt(after, 'sql /*first*/'));
  assert.deepEqual(sql?.assignments.map((value) => value.getText()), ['req.query.x', 'req.body.y']);
  const shared = scopes.lookup(after, 'shared')[0];
  assert.deepEqual(shared?.assignments.map((value) => value.getText()), ['process.argv[2]'], 'the file scope is re-read every version');
});

test('a declaration added to the edited function shadows the outer binding', () => {
  const scopes = new Scopes();
  const before = parseCode('a.ts', CODE, 'ts');
  assert.equal(scopes.resolve(identifierAt(before, 'shared);'))?.scope, before);
  const after = reparseCode(before, CODE.replace('const rows = [];', "const rows = [];\n  const shared = 'b';"));
  const inner = scopes.resolve(identifierAt(after, 'shared);'));
  assert.equal(inner?.isConst, true);
  assert.notEqual(inner?.scope, after);
});

test('writes into a file-level name from reused nested functions survive an edit elsewhere, in source order', () => {
  const code = `
const seen = [];
seen.push('a');
function record(req) {
  [1].forEach(() => seen.push(req.body.first));
}
function other() {
  return 1;
}
seen.push('z');
`;
  const scopes = new Scopes();
  const before = parseCode('a.ts', code, 'ts');
  assert.deepEqual(scopes.lookup(before, 'seen')[0]?.stores.map((value) => value.getText()), ["'a'", 'req.body.first', "'z'"]);
  const after = reparseCode(before, code.replace('return 1;', 'return 2;'));
  assert.deepEqual(scopes.lookup(after, 'seen')[0]?.stores.map((value) => value.getText()), ["'a'", 'req.body.first', "'z'"]);
});

test('file-level writes, kept per top-level statement, follow edits that add, shadow and remove them as a fresh parse does', () => {
  let code = `
let table = 'orders';
let columns = 'id';
function pick(req) {
  const inner = () => {
    table = req.query.table;
  };
  return inner;
}
class Repo {
  list() {
    columns += ', total';
    return columns;
  }
}
table = 'orders_v2';
`;
  const edits: [string, string][] = [
    ['    table = req.query.table;\n', '    let table;\n    table = req.query.table;\n'], // the nested write now lands in a local
    ["columns += ', total';", "columns += ', total';\n    table = 'archived';"], // a write added to a method
    ['    let table;\n', ''], // the local goes: the nested write lands in the file-level name again
    ["table = 'orders_v2';", "columns = 'id, note';"],
  ];
  const written = (sourceFile: ts.SourceFile, name: string): string[] => {
    const binding = new Scopes().lookup(sourceFile, name)[0];
    return [...(binding?.assignments ?? []), ...(binding?.stores ?? [])].map((value) => value.getText());
  };
  let tree = parseCode('a.ts', code, 'ts');
  written(tree, 'table');
  written(tree, 'columns');
  for (const [find, replace] of edits) {
    code = code.replace(find, replace);
    tree = reparseCode(tree, code);
    const fresh = parseCode('a.ts', code, 'ts');
    for (const name of ['table', 'columns']) assert.deepEqual(written(tree, name), written(fresh, name), `${name} after ${JSON.stringify(replace)}`);
  }
  assert.deepEqual(written(tree, 'table'), ['req.query.table', "'archived'"]);
});

test('top-level names, derived from the previous version by the statements that changed, follow every edit as a fresh parse does', () => {
  // facts/topLevelNames.ts: each version's index is the last one's with the changed run of statements replaced.
  let code = `import { a, b as bee } from './ab';
import * as ns from './ns';
const one = 1, { two, three: [four] } = load();
export function handler(req) {
  return one + req.query.x;
}
function over(x: string): string;
function over(x) { return x; }
class Repo {}
let last = 'z';
`;
  const edits: [string, string][] = [
    ['return one + req.query.x;', 'return one + req.query.xy;'], // inside a function: no name changes
    ['const one = 1,', 'const uno = 1,'], // renamed
    ['class Repo {}', 'class Repo {}\nconst one = 2;'], // added in the middle
    ["import * as ns from './ns';\n", ''], // the second statement goes
    ["import { a, b as bee } from './ab';", "import { a } from './ab';\nimport bee from './bee';"], // the first statement changes, one becomes two
    ["let last = 'z';", "let last = 'z', two = 2;"], // the last statement changes; `two` is now declared twice
    ['class Repo {}', 'class Repo {}\nfunction over(x: number): number;'], // an overload added away from the others
    ['function over(x: string): string;\n', ''],
    ['const uno = 1, { two, three: [four] } = load();\n', ''],
  ];
  const names = ['a', 'bee', 'ns', 'one', 'uno', 'two', 'four', 'handler', 'over', 'Repo', 'last', 'three'];
  const declared = (sourceFile: ts.SourceFile): Record<string, string[]> =>
    Object.fromEntries(names.map((name) => [name, new Scopes().lookup(sourceFile, name).map((binding) => `${binding.kind} ${binding.declaration.getStart()} ${binding.identifier.getText()}`)]));
  let tree = parseCode('a.ts', code, 'ts');
  declared(tree);
  for (const [find, replace] of edits) {
    assert.ok(code.includes(find), find);
    code = code.replace(find, replace);
    tree = reparseCode(tree, code);
    assert.deepEqual(declared(tree), declared(parseCode('a.ts', code, 'ts')), `after ${JSON.stringify(replace)}`);
  }
  assert.deepEqual(declared(tree).over?.length, 2, 'both overloads, in source order');
});

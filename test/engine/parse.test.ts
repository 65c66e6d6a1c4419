// parseCode sets parent pointers itself (see files/parse.ts): they must be exactly the
// ones the compiler's own setParentNodes pass gives, on every node of real code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyFile, isCodeKind } from '../../server/src/engine/files/kinds';
import { MAX_TREE_DEPTH, parseCode, reparseCode } from '../../server/src/engine/files/parse';
import { ts } from '../../server/src/engine/ts';

const ROOT = join(__dirname, '..', '..');

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : codeFiles(path);
    const kind = classifyFile(entry.name);
    return kind && isCodeKind(kind) ? [path] : [];
  });
}

/** Each node with its parent's kind and position, in walk order. */
function parentage(sourceFile: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    out.push(`${ts.SyntaxKind[node.kind]}@${node.pos} <- ${node.parent ? `${ts.SyntaxKind[node.parent.kind]}@${node.parent.pos}` : 'none'}`);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return out;
}

const SCRIPT_KIND = { ts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX } as const;

test('parent pointers equal the compiler\'s setParentNodes on every fixture and sample file', () => {
  const files = [...codeFiles(join(ROOT, 'rules')), ...codeFiles(join(ROOT, 'examples'))];
  assert.ok(files.length > 100, `only ${files.length} files found`);
  for (const path of files) {
    const kind = classifyFile(path);
    if (!kind || !(kind in SCRIPT_KIND)) continue;
    const text = readFileSync(path, 'utf8');
    const ours = parseCode(path, text, kind);
    const compilers = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, SCRIPT_KIND[kind as keyof typeof SCRIPT_KIND]);
    assert.deepEqual(parentage(ours), parentage(compilers), path);
  }
});

test('an incremental reparse of a parseCode tree has every parent set', () => {
  const text = 'export function a(x: number) {\n  return [1, 2].map((y) => ({ y, z: `${x}` }));\n}\nclass B { m() { if (1) { return 2; } } }\n';
  const before = parseCode('a.ts', text, 'ts');
  const after = reparseCode(before, text.replace('2]', '2, 3]'));
  const orphans = parentage(after).filter((line) => line.endsWith('<- none'));
  assert.deepEqual(orphans, []);
});

test('a tree nested deeper than the rules can walk is refused with a RangeError; one just within gets every parent', () => {
  const chain = (terms: number): string => `const x =\n${Array.from({ length: terms }, () => '  1').join(' +\n')};\n`;
  // The parser builds a binary chain iteratively, as deep as it is long: no overflow of its own.
  assert.throws(() => parseCode('deep.ts', chain(60_000), 'ts'), RangeError);
  const sourceFile = parseCode('chain.ts', chain(MAX_TREE_DEPTH - 10), 'ts');
  const [statement] = sourceFile.statements;
  assert.ok(statement && ts.isVariableStatement(statement));
  let node: ts.Node | undefined = statement.declarationList.declarations[0]?.initializer;
  while (node && ts.isBinaryExpression(node)) node = node.left;
  assert.ok(node);
  let depth = 0;
  for (let up: ts.Node | undefined = node; up && up !== sourceFile; up = up.parent) depth++;
  assert.ok(depth > MAX_TREE_DEPTH - 10, `climbed only ${depth} levels`);
});

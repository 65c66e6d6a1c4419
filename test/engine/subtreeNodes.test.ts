// The walk shared by calls and string literals (facts/subtreeNodes.ts) must find what
// the two separate walks it replaced found: every call in pre-order, and every literal
// outside types and import/export declarations, nested large functions in their place.
// Checked both ways a process keeps lists: across edits (the editor) and per file (a scan).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flattenCalls } from '../../server/src/engine/facts/calls';
import { stopKeepingFactsAcrossEdits } from '../../server/src/engine/facts/editCaching';
import { MEMO_MIN_LENGTH } from '../../server/src/engine/facts/subtreeMemo';
import { functionNodes, type LargeFunction, type StringLiteralNode, statementNodes, type SubtreeNodes } from '../../server/src/engine/facts/subtreeNodes';
import { parseCode } from '../../server/src/engine/files/parse';
import { ts } from '../../server/src/engine/ts';

const padding = `/* ${'x'.repeat(MEMO_MIN_LENGTH)} */`;

const TEXT = `import { query } from 'db';
export { helper } from './helper';
import legacy = require('legacy-module');

type Keyed = { [key('computed')]: 'in a type'; run(a: string): void };
type Long = (first: string, second: number, third = fallback('default in a type')) => Promise<'literal type'>; ${padding}

export class Repo extends mixin(Base, 'heritage') {
  static {
    register('static block', () => track('inside'));
    ${padding}
  }
  label = 'label';
  async find(id: string) {
    ${padding}
    const sql = \`SELECT * FROM t WHERE id = \${quote('inner')} AND x = \${id}\`;
    return query(sql, [id], function nested() { ${padding} return inner('deep', call()); });
  }
}

const small = () => tiny('small function');
'use strict';
export default wrap(async (req: { body: 'type' }) => { ${padding} return send(req.body, 'sent'); });
`;

/** The calls of a subtree as the old walk gathered them: pre-order, everything. */
function naiveCalls(root: ts.Node, into: ts.Node[]): void {
  if (ts.isCallExpression(root)) into.push(root);
  ts.forEachChild(root, (child) => naiveCalls(child, into));
}

/** The literals of a subtree as the old walk gathered them: types and module declarations left out. */
function naiveLiterals(root: ts.Node, into: ts.Node[]): void {
  if (ts.isStringLiteral(root) || ts.isNoSubstitutionTemplateLiteral(root) || ts.isTemplateExpression(root)) into.push(root);
  else if ((ts.isTypeNode(root) && !ts.isExpressionWithTypeArguments(root)) || ts.isImportDeclaration(root) || ts.isExportDeclaration(root) || ts.isExternalModuleReference(root)) return;
  ts.forEachChild(root, (child) => naiveLiterals(child, into));
}

function flatLiterals(lists: SubtreeNodes, into: ts.Node[]): void {
  for (const entry of lists.literals) {
    if (isLiteral(entry)) into.push(entry);
    else flatLiterals(functionNodes(entry), into);
  }
}

function isLiteral(node: StringLiteralNode | LargeFunction): node is StringLiteralNode {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

const describe = (nodes: readonly ts.Node[], sourceFile: ts.SourceFile): string[] => nodes.map((node) => node.getText(sourceFile));

function check(): void {
  const sourceFile = parseCode('src/repo.ts', TEXT, 'ts');
  const calls: ts.CallExpression[] = [];
  const literals: ts.Node[] = [];
  const expectedCalls: ts.Node[] = [];
  const expectedLiterals: ts.Node[] = [];
  for (const statement of sourceFile.statements) {
    flattenCalls(statementNodes(statement).calls, calls);
    flatLiterals(statementNodes(statement), literals);
    naiveCalls(statement, expectedCalls);
    naiveLiterals(statement, expectedLiterals);
  }
  assert.deepEqual(describe(calls, sourceFile), describe(expectedCalls, sourceFile));
  assert.deepEqual(describe(literals, sourceFile), describe(expectedLiterals, sourceFile));
  // The text holds each kind of place: calls in types, literals skipped in types and module declarations, large functions nested.
  assert.ok(expectedCalls.some((call) => call.getText(sourceFile) === "key('computed')"));
  assert.ok(!expectedLiterals.some((literal) => literal.getText(sourceFile) === "'in a type'" || literal.getText(sourceFile) === "'db'"));
  assert.ok(expectedLiterals.some((literal) => literal.getText(sourceFile) === "'deep'"));
}

test('the shared walk finds the calls and literals the separate walks found, kept across edits and per scanned file', () => {
  check();
  stopKeepingFactsAcrossEdits();
  check();
});

// How a string is assembled from literal text and spliced values: template
// literals, `+` chains, `.concat(…)`, `util.format(…)` and `[…].join(…)`. The
// shape behind every injection rule (SQL, shell, paths): which parts are fixed
// text and which are expressions whose value ends up inside the string.
import { ts } from '../ts';
import type { ImportFacts } from './imports';
import { unwrap } from './scopes';

export type StringPiece =
  | {
      kind: 'text';
      /** The text as the program sees it (escapes resolved). */
      text: string;
      /** The literal node it came from (a string literal or a template head/middle/tail). */
      node: ts.Node;
      /** For template parts: the text exactly as written between the delimiters. */
      raw?: string;
    }
  | { kind: 'value'; expression: ts.Expression };

export interface SplicedString {
  /** The expression that assembles the string. */
  expression: ts.Expression;
  shape: 'template' | 'concatenation' | 'concat-call' | 'format' | 'join';
  /** In order. Adjacent text pieces are not merged: each keeps its source node. */
  pieces: StringPiece[];
  /** Whether the pieces are the whole story (false when a spread or a computed separator hides some of it). */
  exact: boolean;
}

const UTIL_MODULES = new Set(['util', 'node:util']);
const FORMAT_SPECIFIER = /%[sdifjoOc%]/g;

/**
 * Decomposes a string-building expression, or returns undefined when `expr` is
 * not one (a plain literal, an identifier, an arbitrary call).
 */
export function spliceString(expr: ts.Expression, imports: ImportFacts): SplicedString | undefined {
  const inner = unwrap(expr);
  if (ts.isTemplateExpression(inner)) return { expression: inner, shape: 'template', pieces: templatePieces(inner), exact: true };
  if (isConcatenation(inner)) {
    const pieces: StringPiece[] = [];
    flattenConcatenation(inner, pieces);
    return { expression: inner, shape: 'concatenation', pieces, exact: true };
  }
  if (!ts.isCallExpression(inner)) return undefined;
  const callee = unwrap(inner.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (method === 'concat' && ts.isPropertyAccessExpression(callee) && isStringLike(callee.expression)) {
    const pieces: StringPiece[] = [];
    operandPieces(callee.expression, pieces);
    for (const arg of inner.arguments) operandPieces(arg, pieces);
    return { expression: inner, shape: 'concat-call', pieces, exact: true };
  }
  if (method === 'format' && isUtilFormat(callee, imports)) return formatPieces(inner);
  if (method === 'join' && ts.isPropertyAccessExpression(callee) && ts.isArrayLiteralExpression(unwrap(callee.expression))) {
    return joinPieces(inner, unwrap(callee.expression) as ts.ArrayLiteralExpression);
  }
  return undefined;
}

function templatePieces(template: ts.TemplateExpression): StringPiece[] {
  const pieces: StringPiece[] = [{ kind: 'text', text: template.head.text, node: template.head, raw: templateRaw(template.head) }];
  for (const span of template.templateSpans) {
    pieces.push({ kind: 'value', expression: span.expression });
    pieces.push({ kind: 'text', text: span.literal.text, node: span.literal, raw: templateRaw(span.literal) });
  }
  return pieces;
}

/** Source text between a template part's delimiters: `` `…${ ``, `}…${`, `` }…` ``. */
function templateRaw(part: ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail): string {
  const text = part.getText();
  return text.slice(1, ts.isTemplateTail(part) ? -1 : -2);
}

function isConcatenation(expr: ts.Expression): expr is ts.BinaryExpression {
  return ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

function flattenConcatenation(expr: ts.BinaryExpression, pieces: StringPiece[]): void {
  for (const side of [expr.left, expr.right]) {
    const inner = unwrap(side);
    if (isConcatenation(inner)) flattenConcatenation(inner, pieces);
    else operandPieces(side, pieces);
  }
}

/** One operand of a concatenation: literal text, a template's own pieces, or a spliced value. */
function operandPieces(operand: ts.Expression, pieces: StringPiece[]): void {
  const inner = unwrap(operand);
  if (ts.isStringLiteral(inner)) pieces.push({ kind: 'text', text: inner.text, node: inner });
  else if (ts.isNoSubstitutionTemplateLiteral(inner)) pieces.push({ kind: 'text', text: inner.text, node: inner, raw: inner.getText().slice(1, -1) });
  else if (ts.isTemplateExpression(inner)) pieces.push(...templatePieces(inner));
  else pieces.push({ kind: 'value', expression: operand });
}

function isStringLike(expr: ts.Expression): boolean {
  const inner = unwrap(expr);
  return ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner) || isConcatenation(inner);
}

/** `util.format(…)`, or `format(…)` imported from `util`. */
function isUtilFormat(callee: ts.Expression, imports: ImportFacts): boolean {
  if (ts.isPropertyAccessExpression(callee)) return ts.isIdentifier(callee.expression) && UTIL_MODULES.has(imports.bindings.get(callee.expression.text) ?? callee.expression.text);
  return ts.isIdentifier(callee) && UTIL_MODULES.has(imports.bindings.get(callee.text) ?? '');
}

/** `util.format('… %s …', a)`: each specifier takes the next argument; leftovers are appended after a space. */
function formatPieces(call: ts.CallExpression): SplicedString | undefined {
  const [formatArg, ...args] = call.arguments;
  if (!formatArg) return undefined;
  const format = unwrap(formatArg);
  if (!ts.isStringLiteralLike(format)) return undefined;
  const pieces: StringPiece[] = [];
  let exact = true;
  let cursor = 0;
  let next = 0;
  for (const match of format.text.matchAll(FORMAT_SPECIFIER)) {
    const at = match.index ?? 0;
    pieces.push({ kind: 'text', text: format.text.slice(cursor, at), node: format });
    cursor = at + match[0].length;
    if (match[0] === '%%') {
      pieces.push({ kind: 'text', text: '%', node: format });
      continue;
    }
    const arg = args[next++];
    if (!arg) {
      pieces.push({ kind: 'text', text: match[0], node: format });
      continue;
    }
    if (match[0] === '%c') continue; // CSS for browser consoles; Node drops it
    pieces.push({ kind: 'value', expression: arg });
  }
  pieces.push({ kind: 'text', text: format.text.slice(cursor), node: format });
  for (const arg of args.slice(next)) {
    pieces.push({ kind: 'text', text: ' ', node: format });
    pieces.push({ kind: 'value', expression: arg });
    exact = false; // extra arguments are inspected, not just stringified
  }
  return { expression: call, shape: 'format', pieces, exact };
}

/** `['SELECT *', \`WHERE id = ${id}\`].join(' ')`. */
function joinPieces(call: ts.CallExpression, array: ts.ArrayLiteralExpression): SplicedString {
  const separatorArg = call.arguments[0];
  const separator = separatorArg === undefined ? ',' : ts.isStringLiteralLike(unwrap(separatorArg)) ? (unwrap(separatorArg) as ts.StringLiteralLike).text : undefined;
  const pieces: StringPiece[] = [];
  let exact = separator !== undefined;
  array.elements.forEach((element, index) => {
    if (index > 0) {
      if (separator !== undefined) pieces.push({ kind: 'text', text: separator, node: separatorArg ?? call });
      else if (separatorArg) pieces.push({ kind: 'value', expression: separatorArg });
    }
    if (ts.isSpreadElement(element)) {
      pieces.push({ kind: 'value', expression: element.expression });
      exact = false;
    } else if (!ts.isOmittedExpression(element)) {
      operandPieces(element, pieces);
    }
  });
  return { expression: call, shape: 'join', pieces, exact };
}

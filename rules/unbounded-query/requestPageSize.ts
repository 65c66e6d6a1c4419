// Whether a query's limit is one the request picks with no upper bound:
// `take: Number(req.query.limit)` loads as many rows as `?limit=` asks for, so a
// limit in the code is no bound at all. The request value is followed through the
// conversions and arithmetic that keep its size (`Number(x) || 20`, `parseInt`,
// `x - 1`, `Math.max(x, 1)`), through local variables, and to the request by the
// data-flow facts' taint. Anything that may cap it stops the search, precision
// first: `Math.min`, `%`, a ternary or earlier `if` that compares it against a
// ceiling, a zod schema with `.max()`, a value reassigned after it is read, any other
// call (`clamp(x, 1, 100)`, `toPageSize(x)`) and any value the request does not reach.
import { ts } from '../../server/src/engine/ts';
import type { DataFlow } from '../../server/src/engine/facts';
import type { DbLimit } from '../../server/src/engine/facts/appModel';
import { type Binding, keepsItsValue, unwrap } from '../../server/src/engine/facts/scopes';

/** Calls whose result is as large as their first argument: conversions and rounding. */
const SIZE_KEEPING_CALLS: ReadonlySet<string> = new Set(['Number', 'parseInt', 'parseFloat', 'String', 'Number.parseInt', 'Number.parseFloat', 'Math.floor', 'Math.ceil', 'Math.round', 'Math.trunc', 'Math.abs']);

/** Arithmetic that leaves a request-sized operand request-sized (`%` caps it; comparisons yield booleans). */
const SIZE_KEEPING_OPERATORS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken]);
const DEFAULTING_OPERATORS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken]);
const COMPARISONS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken]);

/** Validation calls whose output the schema decides (zod, valibot): read through `zod.numberCeiling` or not at all. */
const VALIDATING_METHODS: ReadonlySet<string> = new Set(['parse', 'parseAsync', 'safeParse', 'safeParseAsync']);

/** How far values are followed through variables and wrappers before giving up (unreported). */
const MAX_DEPTH = 12;

/**
 * The request value that sets the page size of a limited query with no upper bound,
 * as the expression to cap: the outermost one that still is the whole request value
 * (`Number(req.query.limit) || 20` rather than `req.query.limit`), in the query or in
 * the declaration of the local variable that first holds it. Undefined when the size
 * is bounded or cannot be told.
 */
export function uncappedRequestSize(limit: DbLimit, flow: DataFlow): ts.Expression | undefined {
  return judgeRequestSize(limit, flow).size;
}

export interface RequestSizeJudgement {
  /** What `uncappedRequestSize` gives. */
  size: ts.Expression | undefined;
  /**
   * Whether the answer read where a file-level name is used (`if (limit > 100)` before the
   * query): those uses may sit in any function of the file, not only around the query.
   */
  readFileLevelUses: boolean;
}

/** `uncappedRequestSize`, telling also what it read beyond the query's surroundings (for keeping it across edits, keptSize.ts). */
export function judgeRequestSize(limit: DbLimit, flow: DataFlow): RequestSizeJudgement {
  const judging: Judging = { flow, readFileLevelUses: false };
  const size = limit.kind === 'count' ? requestSized(limit.count, judging, 0) : rangeSize(limit.from, limit.to, judging);
  return { size, readFileLevelUses: judging.readFileLevelUses };
}

/** One judgement under way: the file's data flow, and what it has read so far that `RequestSizeJudgement` reports. */
interface Judging {
  readonly flow: DataFlow;
  readFileLevelUses: boolean;
}

/**
 * `.range(from, to)` returns `to - from + 1` rows: with `to` written as `from + size - 1`
 * the size is what the request may pick; with a constant `from`, `to` is. Other shapes
 * (`range(page * size, (page + 1) * size - 1)`) are not read.
 */
function rangeSize(from: ts.Expression, to: ts.Expression, judging: Judging): ts.Expression | undefined {
  const { flow } = judging;
  const start = unwrap(from).getText();
  const terms = sumTerms(to, start, flow, 0);
  const startAt = terms.findIndex((term) => term.sign > 0 && unwrap(term.expr).getText() === start);
  if (startAt !== -1) {
    for (const [index, term] of terms.entries()) {
      const sized = index !== startAt && term.sign > 0 ? requestSized(term.expr, judging, 0) : undefined;
      if (sized) return sized;
    }
    return undefined;
  }
  return isFixedNumber(from, flow) ? requestSized(to, judging, 0) : undefined;
}

/** `0`, or a `const` holding a number literal. */
function isFixedNumber(expr: ts.Expression, flow: DataFlow): boolean {
  const inner = unwrap(expr);
  if (ts.isNumericLiteral(inner)) return true;
  if (!ts.isIdentifier(inner)) return false;
  const binding = flow.scopes.resolveOnly(inner);
  return binding?.kind === 'variable' && binding.isConst && !binding.destructured && binding.initializer !== undefined && ts.isNumericLiteral(unwrap(binding.initializer));
}

/** `from + size - 1` -> +from, +size, -1; through variables that hold the sum, but not through `start` itself. */
function sumTerms(expr: ts.Expression, start: string, flow: DataFlow, depth: number): { expr: ts.Expression; sign: number }[] {
  const inner = unwrap(expr);
  if (depth < MAX_DEPTH && ts.isBinaryExpression(inner) && (inner.operatorToken.kind === ts.SyntaxKind.PlusToken || inner.operatorToken.kind === ts.SyntaxKind.MinusToken)) {
    const sign = inner.operatorToken.kind === ts.SyntaxKind.PlusToken ? 1 : -1;
    return [...sumTerms(inner.left, start, flow, depth + 1), { expr: inner.right, sign }];
  }
  if (depth < MAX_DEPTH && ts.isIdentifier(inner) && inner.text !== start) {
    const binding = flow.scopes.resolveOnly(inner);
    if (binding?.kind === 'variable' && !binding.destructured && binding.initializer && keepsItsValue(binding)) return sumTerms(binding.initializer, start, flow, depth + 1);
  }
  return [{ expr, sign: 1 }];
}

function requestSized(expr: ts.Expression, judging: Judging, depth: number): ts.Expression | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const { flow } = judging;
  const inner = unwrap(expr);
  const whole = (found: ts.Expression | undefined, operand: ts.Expression): ts.Expression | undefined => (found !== undefined && found === operand ? expr : found);
  if (ts.isIdentifier(inner)) return namedSize(inner, expr, judging, depth);
  if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) return requestValue(expr, flow);
  if (ts.isCallExpression(inner)) {
    const name = calleeName(inner);
    const operand = inner.arguments[0];
    if (operand && SIZE_KEEPING_CALLS.has(name ?? '')) return whole(requestSized(operand, judging, depth + 1), operand);
    // Math.max(n, 1) sets a floor, and is as large as its largest argument; Math.min(n, 100) caps.
    if (name === 'Math.max') {
      for (const argument of inner.arguments) {
        const found = requestSized(argument, judging, depth + 1);
        if (found) return whole(found, argument);
      }
      return undefined;
    }
    if (name === 'Math.min') return undefined;
    return requestValue(expr, flow);
  }
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.PlusToken) return whole(requestSized(inner.operand, judging, depth + 1), inner.operand);
  if (ts.isBinaryExpression(inner)) {
    const operator = inner.operatorToken.kind;
    // `Number(x) || 20`: capping the whole keeps the default.
    if (DEFAULTING_OPERATORS.has(operator)) return whole(requestSized(inner.left, judging, depth + 1), inner.left) ?? requestSized(inner.right, judging, depth + 1);
    if (SIZE_KEEPING_OPERATORS.has(operator)) return requestSized(inner.left, judging, depth + 1) ?? requestSized(inner.right, judging, depth + 1);
    return undefined;
  }
  if (ts.isConditionalExpression(inner)) {
    // `n > 100 ? 100 : n` clamps; `req.query.limit ? Number(req.query.limit) : 20` does not.
    if (comparesAgainstCeiling(inner.condition)) return undefined;
    return requestSized(inner.whenTrue, judging, depth + 1) ?? requestSized(inner.whenFalse, judging, depth + 1);
  }
  return undefined;
}

/** A variable or parameter: its value where it is declared, unless it is changed or checked against a ceiling before use. */
function namedSize(name: ts.Identifier, use: ts.Expression, judging: Judging, depth: number): ts.Expression | undefined {
  const { flow } = judging;
  const binding = flow.scopes.resolveOnly(name);
  if (!binding || !keepsItsValue(binding)) return undefined;
  const found = declaredSize(binding, name, use, judging, depth);
  if (!found) return undefined;
  if (ts.isSourceFile(binding.scope)) judging.readFileLevelUses = true;
  return isComparedBefore(binding, name, flow) ? undefined : found;
}

function declaredSize(binding: Binding, name: ts.Identifier, use: ts.Expression, judging: Judging, depth: number): ts.Expression | undefined {
  const { flow } = judging;
  // Server action arguments and route `params`: the request's whole value.
  if (binding.kind === 'parameter') return flow.isTainted(name) ? use : undefined;
  if (binding.kind !== 'variable' || !binding.initializer) return undefined;
  if (binding.destructured) return requestValue(use, flow);
  const declaration = binding.declaration;
  // `for (const n of list)` holds an element of the list, not the list.
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== binding.initializer) return undefined;
  return requestSized(binding.initializer, judging, depth + 1);
}

/**
 * A value read from the request as it is (`req.query.limit`, `searchParams.get('limit')`,
 * `const { limit } = req.query`), or parsed by a number schema with no ceiling.
 */
function requestValue(expr: ts.Expression, flow: DataFlow): ts.Expression | undefined {
  const ceiling = flow.zod.numberCeiling(expr);
  if (ceiling !== undefined) return ceiling === 'open' ? expr : undefined;
  if (passesValidation(expr, flow, 0)) return undefined;
  return flow.isTainted(expr) ? expr : undefined;
}

/** Whether a value was read out of a validation result (`Query.parse(req.query).limit`), whose schema may cap it. */
function passesValidation(expr: ts.Expression, flow: DataFlow, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = unwrap(expr);
  if (ts.isAwaitExpression(inner) || ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) return passesValidation(inner.expression, flow, depth + 1);
  if (ts.isCallExpression(inner)) {
    const callee = unwrap(inner.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (name !== undefined && VALIDATING_METHODS.has(name)) return true;
    return ts.isPropertyAccessExpression(callee) && passesValidation(callee.expression, flow, depth + 1);
  }
  if (ts.isIdentifier(inner)) {
    const binding = flow.scopes.resolveOnly(inner);
    return binding?.kind === 'variable' && binding.initializer !== undefined && passesValidation(binding.initializer, flow, depth + 1);
  }
  return false;
}

/** `parseInt`, `Math.floor`: a global function's name as called. */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? `${callee.expression.text}.${callee.name.text}` : undefined;
}

/**
 * Whether a comparison mentioning the name comes before this use (`if (limit > 100) return …`,
 * `if (limit < 1 || limit > MAX) throw …`): a ceiling may be enforced there. Comparisons
 * with 0 or 1 only check the floor (`if (limit < 1)`), and cap nothing.
 */
function isComparedBefore(binding: Binding, use: ts.Identifier, flow: DataFlow): boolean {
  return flow.scopes.references(binding).some((reference) => reference.pos < use.pos && isCeilingComparison(reference));
}

function isCeilingComparison(operand: ts.Node): boolean {
  let node = operand;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const comparison = node.parent;
  if (!comparison || !ts.isBinaryExpression(comparison) || !COMPARISONS.has(comparison.operatorToken.kind)) return false;
  const other = comparison.left === node ? comparison.right : comparison.left;
  return !isFloor(other);
}

/** Whether any comparison in a condition may test a ceiling. */
function comparesAgainstCeiling(condition: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind) && !isFloor(node.left) && !isFloor(node.right)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** A number no greater than 1 written in the code: the floor of a page size. */
function isFloor(expr: ts.Expression): boolean {
  const inner = unwrap(expr);
  if (ts.isNumericLiteral(inner)) return Number(inner.text) <= 1;
  return ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(unwrap(inner.operand));
}


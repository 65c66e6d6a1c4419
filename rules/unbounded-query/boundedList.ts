// Whether the list a filter matches against has a length the code bounds, so that
// `where: { id: { in: list } }` on a unique field returns at most that many rows.
// Bounded: an array literal (`[a, b]`, spreads of bounded lists), `.slice(0, 50)` and
// `.slice(-20)` of anything, `.map()`/`.filter()`/`.slice()` of a bounded list, and a
// variable bound once to one of these and never added to. A list the request
// supplies (`req.body.ids`) is not: the caller picks its length.
import { ts } from '../../server/src/engine/ts';
import { type Scopes, keepsItsValue, unwrap } from '../../server/src/engine/facts/scopes';

/** Array methods whose result holds at most as many elements as the array. */
const SHRINKING_METHODS: ReadonlySet<string> = new Set(['map', 'filter', 'slice', 'toSorted', 'toReversed', 'reverse', 'sort']);

const MAX_DEPTH = 6;

export function isBoundedList(expr: ts.Expression, scopes: Scopes, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = unwrap(expr);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.every((element) => !ts.isSpreadElement(element) || isBoundedList(element.expression, scopes, depth + 1));
  if (ts.isCallExpression(inner)) {
    const callee = unwrap(inner.expression);
    if (!ts.isPropertyAccessExpression(callee) || !SHRINKING_METHODS.has(callee.name.text)) return false;
    if (callee.name.text === 'slice') {
      const [start, end] = inner.arguments.map((argument) => integer(argument, scopes));
      // slice(s, e) with e >= 0 keeps indexes below e; slice(-n) keeps the last n.
      if ((inner.arguments.length >= 2 && end !== undefined && end >= 0) || (inner.arguments.length === 1 && start !== undefined && start < 0)) return true;
    }
    return isBoundedList(callee.expression, scopes, depth + 1);
  }
  if (ts.isIdentifier(inner)) {
    const value = onlyValue(inner, scopes);
    return value !== undefined && isBoundedList(value, scopes, depth + 1);
  }
  return false;
}

/** An integer written in the code: `50`, `-20`, or a constant holding one (`const PAGE = 50`). */
function integer(expr: ts.Expression, scopes: Scopes): number | undefined {
  const inner = unwrap(expr);
  if (ts.isNumericLiteral(inner)) return Number(inner.text);
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(unwrap(inner.operand))) return -Number((unwrap(inner.operand) as ts.NumericLiteral).text);
  if (ts.isIdentifier(inner)) {
    const value = onlyValue(inner, scopes);
    return value !== undefined && !ts.isIdentifier(unwrap(value)) ? integer(value, scopes) : undefined;
  }
  return undefined;
}

/** The one value a variable holds: declared with it, never reassigned, nothing pushed or stored into it. */
function onlyValue(identifier: ts.Identifier, scopes: Scopes): ts.Expression | undefined {
  const binding = scopes.resolveOnly(identifier);
  if (!binding || binding.kind !== 'variable' || binding.destructured || !binding.initializer) return undefined;
  if (!keepsItsValue(binding)) return undefined;
  return binding.initializer;
}

// Where a handler's user id lives once an identity call has run: the expression that
// names it (`session.user.id`, or the field the app actually reads, `user._id`), and
// whether the handler turns the request away when there is no user.
import { ts } from '../ts';
import { type IdentityShape, REJECTING_CALLS, USER_ID_FIELDS, type UserIdTemplate } from './authModels';
import { exits, expressionName, lastSegment, rootIdentifier } from './authSyntax';
import { propertyNameText } from './modules';
import { unwrap } from './scopes';

/** What a call's value is bound to: `const session = await x()`, `const { data: { user } } = await x()`. */
export function bindingOfCall(call: ts.CallExpression): ts.BindingName | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node) return parent.name;
  return undefined;
}

/**
 * The id expression for a value bound by `name`, given the property path from
 * the value to the id: `session` + [user, id] -> `session.user.id`;
 * `{ data: { user } }` + [data, user, id] -> `user.id`; `{ userId }` + [userId] -> `userId`.
 */
export function idExpression(name: ts.BindingName, path: readonly string[], fieldHint?: string): string | undefined {
  const withHint = (segments: readonly string[]): readonly string[] => {
    if (fieldHint === undefined || segments.length === 0) return segments;
    const last = segments[segments.length - 1];
    return last === 'id' ? [...segments.slice(0, -1), fieldHint] : segments;
  };
  if (ts.isIdentifier(name)) return [name.text, ...withHint(path)].join('.');
  if (!ts.isObjectBindingPattern(name)) return undefined;
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  for (const element of name.elements) {
    const key = element.propertyName ? propertyNameText(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
    if (key !== head) continue;
    return idExpression(element.name, rest, fieldHint);
  }
  return undefined;
}

/**
 * Session objects hold the user id where the app put it (`session.userId` with
 * iron-session, `session.user.id` with NextAuth callbacks): when the default path is
 * not read but another user-id path on the same value is, use the one the app reads.
 */
export function preferRead(fn: ts.FunctionLikeDeclaration, bound: ts.BindingName, shape: IdentityShape, expression: string | undefined): string | undefined {
  if (!expression || !ts.isIdentifier(bound) || (shape !== 'session' && shape !== 'iron-session')) return expression;
  const root = bound.text;
  const candidates = [expression, `${root}.userId`, `${root}.user.id`, `${root}.user._id`, `${root}.user.sub`, `${root}.user.userId`];
  const read = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) read.add(node.getText().replace(/\?\./g, '.').replace(/!/g, ''));
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return candidates.find((candidate) => read.has(candidate)) ?? expression;
}

/** `user._id` / `session.user.sub` used in the handler: the id field the app actually reads. */
export function usageFieldHint(fn: ts.FunctionLikeDeclaration, bound: ts.BindingName): string | undefined {
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  collect(bound);
  let hint: string | undefined;
  const visit = (node: ts.Node): void => {
    if (hint) return;
    if (ts.isPropertyAccessExpression(node) && USER_ID_FIELDS.includes(node.name.text) && node.name.text !== 'id') {
      const root = rootIdentifier(node.expression);
      if (root && names.has(root.text)) hint = node.name.text;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return hint;
}

/** Whether a value bound from an identity call is checked, with the request ended when it is missing. */
export function isGuarded(fn: ts.FunctionLikeDeclaration, bound: ts.BindingName): boolean {
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  collect(bound);
  let guarded = false;
  const visit = (node: ts.Node): void => {
    if (guarded) return;
    if (ts.isIfStatement(node) && (exits(node.thenStatement) || (node.elseStatement !== undefined && exits(node.elseStatement))) && testsAbsence(node.expression, names)) guarded = true;
    // session ?? redirect('/login'), if (!session) redirect('/login') as an expression statement
    else if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken) && ts.isCallExpression(unwrap(node.right)) && REJECTING_CALLS.has(lastSegment(expressionName((unwrap(node.right) as ts.CallExpression).expression)))) guarded = mentions(node.left, names);
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return guarded;
}

function mentions(expr: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** `!session`, `!session?.user`, `!userId`, `error || !user`, `session == null`, `!session.user.id`. */
function testsAbsence(condition: ts.Expression, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken && mentions(node.operand, names)) found = true;
    else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(node.operatorToken.kind) && mentions(node, names) && /^(null|undefined)$/.test(unwrap(node.right).getText())) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** Which part of an identity value a helper returns: `return session.user` leaves [id]. */
export function returnedIdPath(helper: ts.FunctionLikeDeclaration, inner: { expression: string }): readonly string[] | undefined {
  const body = helper.body;
  if (!body) return undefined;
  const returns: ts.Expression[] = [];
  if (!ts.isBlock(body)) returns.push(body);
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) returns.push(node.expression);
    if (ts.isFunctionLike(node) && node !== helper) return;
    ts.forEachChild(node, visit);
  };
  visit(body);
  const idParts = inner.expression.split('.');
  for (const value of returns) {
    let current = unwrap(value);
    if (ts.isAwaitExpression(current)) current = unwrap(current.expression);
    const text = current.getText().replace(/\?\./g, '.').replace(/!/g, '');
    if (!/^[\w$.]+$/.test(text)) continue;
    const parts = text.split('.');
    // `return session` where the id is session.user.id -> [user, id]
    if (parts.every((part, index) => idParts[index] === part)) return idParts.slice(parts.length);
  }
  return undefined;
}

/** Fills a user-id template with the handler's parameter names; undefined when they are destructured. */
export function fillTemplate(template: UserIdTemplate, params: readonly (string | undefined)[], handler: ts.FunctionLikeDeclaration): string | undefined {
  const request = params[0];
  const response = params[1];
  if (template.includes('{req}') && !request) return undefined;
  if (template.includes('{c}') && !request) return undefined;
  if (template.includes('{res}') && !response) return undefined;
  let filled = template.replaceAll('{req}', request ?? '').replaceAll('{c}', request ?? '').replaceAll('{res}', response ?? '');
  // The app reads `req.user._id` / `req.user.sub`: use its field rather than the default `id`.
  if (filled.endsWith('.id')) {
    const holder = filled.slice(0, -3);
    const hint = fieldReadOn(handler, holder);
    if (hint) filled = `${holder}.${hint}`;
  }
  return filled;
}

function fieldReadOn(handler: ts.FunctionLikeDeclaration, holder: string): string | undefined {
  let hint: string | undefined;
  const visit = (node: ts.Node): void => {
    if (hint) return;
    if (ts.isPropertyAccessExpression(node) && USER_ID_FIELDS.includes(node.name.text) && node.expression.getText().replace(/\?\./g, '.').replace(/!/g, '') === holder) {
      hint = node.name.text;
      return;
    }
    ts.forEachChild(node, visit);
  };
  if (handler.body) visit(handler.body);
  return hint;
}

/** `session.user.id` -> `session?.user?.id`, for a user that may be missing. */
export function optionalChain(expression: string): string {
  return /^[\w$]+(\.[\w$]+)+$/.test(expression) ? expression.replaceAll('.', '?.') : expression;
}

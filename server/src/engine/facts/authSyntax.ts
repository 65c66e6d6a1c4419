// What code says about auth, read from its syntax alone: requests turned away (401,
// 403, a redirect to the login page), role checks, webhook signature checks, and the
// names of callees and middleware for messages. AuthFacts (auth.ts) combines these
// with what names resolve to across modules.
import { ts } from '../ts';
import { LOGIN_PATH, PRIVILEGED_ROLES, REJECTING_CALLS, REJECTING_ERROR, REJECTING_STATUSES, REQUEST_USER_PROPERTIES, ROLE_CHECK_NAME, ROLE_PROPERTIES, type UserIdTemplate, WEBHOOK_VERIFIERS, WEBHOOK_VERIFIER_RECEIVER } from './authModels';
import { unwrap } from './scopes';
import { subtreeMemo } from './subtreeMemo';

/** `(role) => (req, res, next) => …` / `function f() { return function (req, res, next) { … } }`. */
export function returnedFunction(factory: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration | undefined {
  const body = factory.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) {
    const value = unwrap(body);
    return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
  }
  for (const statement of body.statements) {
    if (ts.isReturnStatement(statement) && statement.expression) {
      const value = unwrap(statement.expression);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
    }
  }
  return undefined;
}

/** A name for a middleware in messages. */
export function expressionName(expr: ts.Expression): string {
  const inner = unwrap(expr);
  if (ts.isCallExpression(inner)) return expressionName(inner.expression);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) {
    const base = unwrap(inner.expression);
    return ts.isIdentifier(base) || ts.isPropertyAccessExpression(base) ? `${expressionName(base)}.${inner.name.text}` : inner.name.text;
  }
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return 'inline middleware';
  return inner.getText().slice(0, 40);
}

export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** `supabase.auth.getUser` -> ['supabase', 'auth', 'getUser']; a non-name base becomes '?'. */
export function calleeSegments(callee: ts.Expression): string[] {
  const segments: string[] = [];
  let current = unwrap(callee);
  while (ts.isPropertyAccessExpression(current)) {
    segments.unshift(current.name.text);
    current = unwrap(current.expression);
  }
  if (ts.isIdentifier(current)) segments.unshift(current.text);
  else if (ts.isCallExpression(current) || ts.isAwaitExpression(current)) segments.unshift('?');
  else return [];
  return segments;
}

export function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let current = unwrap(expr);
  while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current) || ts.isElementAccessExpression(current)) current = unwrap(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

export function isProjectSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('@/') || specifier.startsWith('~/') || specifier.startsWith('#');
}

export function isNamed(expr: ts.Expression, name: string | undefined): boolean {
  const inner = unwrap(expr);
  return name !== undefined && ts.isIdentifier(inner) && inner.text === name;
}

export function isPrivilegedRoleLiteral(arg: ts.Expression): boolean {
  const inner = unwrap(arg);
  if (ts.isStringLiteralLike(inner)) return PRIVILEGED_ROLES.test(inner.text);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.some(isPrivilegedRoleLiteral);
  if (ts.isPropertyAccessExpression(inner)) return PRIVILEGED_ROLES.test(inner.name.text); // Role.ADMIN
  return false;
}

/** `res.status(401)`, `reply.code(403)`, `c.json(…, 401)`, `{ status: 401 }`, `throw new UnauthorizedError()`, `redirect('/login')`. */
export function isRejection(node: ts.Node): boolean {
  if (ts.isNumericLiteral(node) && REJECTING_STATUSES.has(Number(node.text))) {
    const parent = node.parent;
    return ts.isCallExpression(parent) || ts.isNewExpression(parent) || (ts.isPropertyAssignment(parent) && /^status(Code)?$/.test(parent.name.getText())) || ts.isBinaryExpression(parent);
  }
  if (ts.isThrowStatement(node)) {
    const thrown = unwrap(node.expression);
    const name = ts.isNewExpression(thrown) || ts.isCallExpression(thrown) ? expressionName(thrown.expression) : '';
    return REJECTING_ERROR.test(name);
  }
  if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
    const name = expressionName(node.expression);
    if (REJECTING_ERROR.test(lastSegment(name))) return true;
    if (ts.isCallExpression(node)) {
      const method = lastSegment(name);
      const arg = node.arguments[0];
      if ((method === 'redirect' || method === 'redirectToSignIn') && arg) return isLoginTarget(arg) || method === 'redirectToSignIn';
      if (REJECTING_CALLS.has(method) && method !== 'redirect' && method !== 'notFound') return true;
    }
  }
  return false;
}

function isLoginTarget(expr: ts.Expression): boolean {
  const inner = unwrap(expr);
  if (ts.isStringLiteralLike(inner)) return LOGIN_PATH.test(inner.text);
  if (ts.isTemplateExpression(inner)) return LOGIN_PATH.test(inner.head.text);
  if (ts.isNewExpression(inner)) return (inner.arguments ?? []).some(isLoginTarget); // new URL('/login', req.url)
  return false;
}

export function rejectsInBody(fn: ts.FunctionLikeDeclaration): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isRejection(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

export function isConditionLike(node: ts.Node): node is ts.Expression {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isIfStatement(parent) && parent.expression === node) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === node) return true;
  return false;
}

/** In a condition: `!req.user`, `!req.session.userId`, `req.isAuthenticated()`; the template naming the user's id. */
export function requestIdentityInCondition(condition: ts.Expression, requestName: string | undefined): UserIdTemplate | undefined {
  if (!requestName) return undefined;
  let found: UserIdTemplate | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node)) {
      const holder = unwrap(node.expression);
      if (isNamed(holder, requestName) && node.name.text in REQUEST_USER_PROPERTIES && node.name.text !== 'session') {
        found = `{req}.${node.name.text}${REQUEST_USER_PROPERTIES[node.name.text] ?? ''}`;
        return;
      }
      if (ts.isPropertyAccessExpression(holder) && holder.name.text === 'session' && isNamed(holder.expression, requestName) && /^(user|userId|uid|passport)$/.test(node.name.text)) {
        found = node.name.text === 'user' ? '{req}.session.user.id' : node.name.text === 'passport' ? '{req}.user.id' : `{req}.session.${node.name.text}`;
        return;
      }
    }
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'isAuthenticated' && isNamed(callee.expression, requestName)) {
        found = '{req}.user.id';
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** Role and permission checks in conditions: `user.role !== 'admin'`, `isAdmin(user)`, `roles.includes('admin')`. */
export function mentionsRole(condition: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && ROLE_PROPERTIES.has(node.name.text)) found = true;
    else if (ts.isCallExpression(node) && ROLE_CHECK_NAME.test(lastSegment(expressionName(node.expression)))) found = true;
    else if (ts.isStringLiteralLike(node) && PRIVILEGED_ROLES.test(node.text)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

export const signatureCheckIn = subtreeMemo((body: ts.ConciseBody): string | undefined => {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) found = webhookVerifier(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
});

/** Any role or permission check inside a handler's body. */
export const hasRoleCheck = subtreeMemo((body: ts.Node): boolean => {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isConditionLike(node) && mentionsRole(node)) found = true;
    else if (ts.isCallExpression(node) && ROLE_CHECK_NAME.test(lastSegment(expressionName(node.expression)))) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
});

export function webhookVerifier(call: ts.CallExpression): string | undefined {
  const segments = calleeSegments(call.expression);
  const method = segments[segments.length - 1];
  if (method === undefined) return undefined;
  if (WEBHOOK_VERIFIERS.has(method)) return `${segments.join('.')}()`;
  const receiver = segments[segments.length - 2];
  if (method === 'verify' && receiver !== undefined && WEBHOOK_VERIFIER_RECEIVER.test(receiver)) return `${segments.join('.')}()`;
  return undefined;
}

/** A statement that ends the request: return, throw, or Next's redirect()/notFound() (which throw). */
export function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isExpressionStatement(statement)) {
    const expr = unwrap(statement.expression);
    const call = ts.isAwaitExpression(expr) ? unwrap(expr.expression) : expr;
    return ts.isCallExpression(call) && REJECTING_CALLS.has(lastSegment(expressionName(call.expression)));
  }
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && exits(last);
  }
  return false;
}

/** Whether a function calls anything but its own parameters' methods (`next()`, `res.status()`): work we did not follow. */
export function delegatesElsewhere(fn: ts.FunctionLikeDeclaration): boolean {
  const own = new Set(fn.parameters.flatMap((parameter) => (ts.isIdentifier(parameter.name) ? [parameter.name.text] : [])));
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      let root: ts.Expression = node.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
      if (!ts.isIdentifier(root) || !own.has(root.text)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

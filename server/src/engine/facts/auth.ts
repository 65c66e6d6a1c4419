// Who is signed in, as far as a handler can tell: from the middleware in front of it
// (judged by what the middleware does, not only its name, even when it lives in
// another module) and from identity calls inside it (`getServerSession()`, Clerk
// `auth()`, `supabase.auth.getUser()`, …) followed by a guard that turns strangers away.
// Yields the expression naming the user's id, for rules and for the fixes they build.
import { ts } from '../ts';
import type { AuthContext } from './appModel';
import {
  AUTH_MIDDLEWARE_MODELS,
  AUTH_MIDDLEWARE_NAME,
  CREDENTIAL_NAME,
  ENFORCING_HELPER_NAME,
  IDENTITY_SHAPE_PATHS,
  IDENTITY_SOURCES,
  type IdentityShape,
  type IdentitySource,
  LOGIN_PATH,
  NOT_AUTH_CREDENTIAL,
  NOT_IDENTITY_PROOF,
  PRIVILEGED_ROLES,
  REJECTING_CALLS,
  REJECTING_ERROR,
  REJECTING_STATUSES,
  REQUEST_IDENTITY_METHODS,
  REQUEST_USER_PROPERTIES,
  ROLE_CHECK_NAME,
  ROLE_PROPERTIES,
  USER_HELPER_NAME,
  USER_ID_FIELDS,
  type UserIdTemplate,
  WEBHOOK_VERIFIERS,
  WEBHOOK_VERIFIER_RECEIVER,
} from './authModels';
import { packageName } from './imports';
import { type Module, type Resolver, type Target, propertyNameText } from './modules';
import { unwrap } from './scopes';
import { subtreeMemo } from './subtreeMemo';

/** What one middleware in a chain contributes. */
export interface MiddlewareFacts {
  /** A short name for messages: `requireAuth`, `passport.authenticate`. */
  name: string;
  /** Present when it turns away callers who are not signed in. */
  auth?: { evidence: string; userId?: UserIdTemplate };
  /** It checks a role or permission (`requireAdmin`, `req.user.role !== 'admin'`). */
  roleCheck: boolean;
  /** It verifies a webhook signature. */
  verifiesSignature?: string;
}

const MAX_HELPER_DEPTH = 2;
/** An enforcing helper's name must also be about auth (`requireUser`, not `requireFields`). */
const USER_OR_AUTH_WORD = /auth|user|session|login|signed|token|jwt|admin|account|viewer/i;

export class AuthFacts {
  private readonly middlewareCache = new WeakMap<ts.Node, MiddlewareFacts>();

  constructor(private readonly resolver: Resolver) {}

  /** Classifies a middleware expression (an identifier, a factory call, an inline function) written in `module`. */
  middleware(module: Module, expr: ts.Expression): MiddlewareFacts {
    const cached = this.middlewareCache.get(expr);
    if (cached) return cached;
    const facts = this.classifyMiddleware(module, expr, 0);
    this.middlewareCache.set(expr, facts);
    return facts;
  }

  private classifyMiddleware(module: Module, expr: ts.Expression, depth: number): MiddlewareFacts {
    const inner = unwrap(expr);
    const name = expressionName(inner);
    const byName = (): MiddlewareFacts => ({
      name,
      auth: AUTH_MIDDLEWARE_NAME.test(lastSegment(name)) ? { evidence: `${name} middleware` } : undefined,
      roleCheck: ROLE_CHECK_NAME.test(lastSegment(name)),
    });
    if (depth > MAX_HELPER_DEPTH) return byName();

    const isCall = ts.isCallExpression(inner);
    const callee = isCall ? inner.expression : inner;
    const target = this.resolver.expression(module, callee);
    const known = target?.kind === 'external' ? knownMiddleware(target, isCall) : undefined;
    if (known) return { name, auth: { evidence: known.evidence, userId: known.userId }, roleCheck: isCall && inner.arguments.some(isPrivilegedRoleLiteral) };
    if (target?.kind === 'function') {
      // A factory (`requireRole('admin')`) is judged by the function it returns.
      const fn = isCall ? returnedFunction(target.node) : target.node;
      if (fn) {
        const behaviour = this.judgeMiddleware(target.module, fn, isCall ? target.node : undefined, depth);
        const roleByArgs = isCall && inner.arguments.some(isPrivilegedRoleLiteral);
        if (behaviour.auth || behaviour.roleCheck || behaviour.verifiesSignature) {
          return { name, auth: behaviour.auth, roleCheck: behaviour.roleCheck || roleByArgs, verifiesSignature: behaviour.verifiesSignature };
        }
        // Readable but inconclusive (it delegates somewhere we cannot follow): the name is the best evidence left.
        // A body that only touches its own request, response and `next` is conclusive: a
        // `requireAuth` that just calls `next()` lets everyone through, whatever its name.
        const named = delegatesElsewhere(fn) ? byName() : { name, auth: undefined, roleCheck: false };
        return { ...named, roleCheck: named.roleCheck || roleByArgs };
      }
    }
    // A package we have no row for, a decorator (`fastify.authenticate`), a value: the name is all there is.
    return byName();
  }

  /** Whether a middleware function rejects strangers, and what it leaves on the request. */
  private judgeMiddleware(module: Module, fn: ts.FunctionLikeDeclaration, factory: ts.FunctionLikeDeclaration | undefined, depth: number): Omit<MiddlewareFacts, 'name'> {
    const body = fn.body;
    if (!body) return { roleCheck: false };
    const params = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
    const factoryParams = new Set((factory?.parameters ?? []).flatMap((parameter) => (ts.isIdentifier(parameter.name) ? [parameter.name.text] : [])));
    const requestName = params[0];
    const responseName = params[1];
    let rejects = false;
    let proceeds = false;
    let identity = false;
    let userId: UserIdTemplate | undefined;
    let evidence: string | undefined;
    let roleCheck = false;
    let verifiesSignature: string | undefined;
    let csrf = false;
    const lastParam = params[params.length - 1];
    // Fastify hooks and Hono middleware may end without calling anything: returning lets the request through.
    const implicitProceed = params.length <= 2;

    const visit = (node: ts.Node): void => {
      if (isRejection(node)) rejects = true;
      if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        if (ts.isIdentifier(callee) && ((params.length >= 2 && callee.text === lastParam) || factoryParams.has(callee.text))) proceeds = true;
        if (ts.isPropertyAccessExpression(callee) && REQUEST_IDENTITY_METHODS.has(callee.name.text) && isNamed(callee.expression, requestName)) {
          identity = true;
          userId ??= '{req}.user.id';
          evidence ??= `${callee.name.text}()`;
          if (callee.name.text === 'jwtVerify') rejects = true; // throws on a bad token, which Fastify turns into a 401
        }
        // c.set('user', payload) in Hono
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'set' && isNamed(callee.expression, requestName) && params.length === 2) {
          const key = node.arguments[0];
          if (key && ts.isStringLiteralLike(key) && key.text in REQUEST_USER_PROPERTIES) {
            identity = true;
            userId ??= `{c}.get('${key.text}')${REQUEST_USER_PROPERTIES[key.text] ?? ''}`;
          }
        }
        const source = this.identitySource(module, node);
        if (source) {
          identity = true;
          evidence ??= source.evidence;
        }
        const verifier = webhookVerifier(node);
        if (verifier) verifiesSignature ??= verifier;
        if (depth < MAX_HELPER_DEPTH && ts.isCallExpression(node.expression)) {
          // passport.authenticate('jwt', { session: false })(req, res, next) inside a custom wrapper
          const inner = this.classifyMiddleware(module, node.expression, depth + 1);
          if (inner.auth) {
            identity = true;
            rejects = true;
            proceeds = true;
            userId ??= inner.auth.userId;
            evidence ??= inner.auth.evidence;
          }
        }
      }
      // req.user = decoded; res.locals.user = user
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = unwrap(node.left);
        if (ts.isPropertyAccessExpression(left) && left.name.text in REQUEST_USER_PROPERTIES) {
          const holder = unwrap(left.expression);
          if (isNamed(holder, requestName)) {
            identity = true;
            userId = `{req}.${left.name.text}${REQUEST_USER_PROPERTIES[left.name.text] ?? ''}`;
          } else if (ts.isPropertyAccessExpression(holder) && holder.name.text === 'locals' && isNamed(holder.expression, responseName)) {
            identity = true;
            userId = `{res}.locals.${left.name.text}${REQUEST_USER_PROPERTIES[left.name.text] ?? ''}`;
          }
        }
      }
      if (isConditionLike(node)) {
        const found = requestIdentityInCondition(node, requestName);
        if (found) {
          identity = true;
          userId ??= found;
        }
        if (mentionsRole(node)) roleCheck = true;
      }
      // Reading a credential (`req.headers.authorization`, `req.cookies.token`, `c.req.header('Authorization')`).
      if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node)) && CREDENTIAL_NAME.test(node.text)) identity = true;
      if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node)) && NOT_AUTH_CREDENTIAL.test(node.text)) csrf = true;
      ts.forEachChild(node, visit);
    };
    visit(body);
    if (roleCheck && rejects && !identity) identity = true; // requireAdmin: no user means no role, so strangers are turned away too
    // A CSRF check also answers 403 when a token is missing, but proves nobody's identity.
    if (csrf && !userId && !evidence) identity = false;
    const auth = rejects && identity && (proceeds || implicitProceed || factory !== undefined) ? { evidence: evidence ?? 'middleware that rejects unauthenticated requests', userId } : undefined;
    return { auth, roleCheck: roleCheck && rejects, verifiesSignature };
  }

  /** The identity-returning call this is, if any (`getServerSession()`, `supabase.auth.getUser()`). */
  identitySource(module: Module, call: ts.CallExpression): IdentitySource | undefined {
    const segments = calleeSegments(call.expression);
    if (segments.length === 0) return undefined;
    const joined = segments.join('.');
    if (NOT_IDENTITY_PROOF.some((pattern) => joined === pattern || joined.endsWith(`.${pattern}`))) return undefined;
    const root = segments[0];
    const imported = root === undefined ? undefined : module.imports.get(root);
    const pkg = imported && !imported.specifier.startsWith('.') ? imported.specifier : undefined;
    for (const source of IDENTITY_SOURCES) {
      if (joined !== source.callee && !joined.endsWith(`.${source.callee}`)) continue;
      if (source.packages && !(pkg !== undefined && (source.packages.includes(pkg) || source.packages.includes(packageName(pkg))))) continue;
      return source;
    }
    return undefined;
  }

  /**
   * The signed-in user as the handler sees it: from the middleware chain (first
   * one that names a user wins) or from identity calls in the handler's body.
   */
  handlerAuth(module: Module, handler: ts.FunctionLikeDeclaration, chain: readonly MiddlewareFacts[]): { auth?: AuthContext; authenticatedBy?: string } {
    const roleInChain = chain.some((middleware) => middleware.roleCheck);
    const roleInBody = handler.body !== undefined && hasRoleCheck(handler.body);
    const hasRole = roleInChain || roleInBody;
    const params = handler.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
    const gate = chain.find((middleware) => middleware.auth);
    const named = chain.find((middleware) => middleware.auth?.userId !== undefined);
    if (named?.auth?.userId) {
      const expression = fillTemplate(named.auth.userId, params, handler);
      if (expression) return { auth: { userIdExpression: expression, evidence: describe(named), hasRoleCheck: hasRole, enforced: true } };
    }
    const inBody = this.bodyIdentity(module, handler, params[0], 0);
    if (inBody) {
      const enforced = inBody.enforced || gate !== undefined;
      return { auth: { userIdExpression: enforced ? inBody.expression : optionalChain(inBody.expression), evidence: inBody.evidence, hasRoleCheck: hasRole, enforced }, authenticatedBy: gate ? describe(gate) : undefined };
    }
    if (gate) return { authenticatedBy: describe(gate) };
    const helper = this.bodyGate(module, handler);
    if (helper) return { authenticatedBy: helper };
    return {};
  }

  /**
   * A call in the handler to a helper that turns strangers away without naming a user
   * (`await requireApiKey(req)`, `verifyAdminToken(request)`): judged like middleware.
   */
  private bodyGate(module: Module, fn: ts.FunctionLikeDeclaration): string | undefined {
    let found: string | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        if (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) {
          const name = expressionName(callee);
          const target = this.resolver.expression(module, callee);
          if (target?.kind === 'function' && target.node !== fn) {
            if (this.judgeMiddleware(target.module, target.node, undefined, 1).auth) found = `${name}()`;
          } else if (target?.kind !== 'function' && (AUTH_MIDDLEWARE_NAME.test(lastSegment(name)) || ENFORCING_HELPER_NAME.test(lastSegment(name))) && USER_OR_AUTH_WORD.test(name)) {
            found = `${name}()`;
          }
        }
      }
      if (!found) ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    return found;
  }

  /** An identity call or request check in a function body, the id expression it yields, and whether strangers are turned away. */
  bodyIdentity(module: Module, fn: ts.FunctionLikeDeclaration, requestName: string | undefined, depth: number): { expression: string; evidence: string; enforced: boolean; shape?: IdentityShape } | undefined {
    const body = fn.body;
    if (!body) return undefined;
    let found: { expression: string; evidence: string; enforced: boolean; shape?: IdentityShape } | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node)) {
        const source = this.identitySource(module, node);
        const bound = source ? bindingOfCall(node) : undefined;
        if (source && bound) {
          const expression = preferRead(fn, bound, source.shape, idExpression(bound, IDENTITY_SHAPE_PATHS[source.shape], usageFieldHint(fn, bound)));
          if (expression) {
            found = { expression, evidence: source.evidence, enforced: isGuarded(fn, bound), shape: source.shape };
            return;
          }
        }
        if (!source && depth < MAX_HELPER_DEPTH) {
          const helper = this.helperIdentity(module, node, depth);
          const helperBound = helper ? bindingOfCall(node) : undefined;
          if (helper && helperBound) {
            const expression = idExpression(helperBound, helper.path, usageFieldHint(fn, helperBound));
            if (expression) {
              found = { expression, evidence: helper.evidence, enforced: helper.enforced || isGuarded(fn, helperBound), shape: helper.shape };
              return;
            }
          }
        }
      }
      if (requestName && ts.isIfStatement(node) && exits(node.thenStatement)) {
        const checked = requestIdentityInCondition(node.expression, requestName);
        if (checked) {
          const expression = fillTemplate(checked, [requestName], fn);
          if (expression) found = { expression, evidence: `${node.expression.getText()} check`, enforced: true };
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    return found;
  }

  /** A project helper such as `getCurrentUser()` / `requireUser()`: what it returns and whether it turns strangers away. */
  private helperIdentity(module: Module, call: ts.CallExpression, depth: number): { path: readonly string[]; evidence: string; enforced: boolean; shape?: IdentityShape } | undefined {
    const callee = unwrap(call.expression);
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
    const name = ts.isIdentifier(callee) ? callee.text : callee.name.text;
    const target = this.resolver.expression(module, callee);
    if (target?.kind === 'function' && target.node.body) {
      const inner = this.bodyIdentity(target.module, target.node, undefined, depth + 1);
      if (inner) {
        const path = returnedIdPath(target.node, inner) ?? IDENTITY_SHAPE_PATHS.user;
        return { path, evidence: `${name}() (${inner.evidence})`, enforced: inner.enforced || ENFORCING_HELPER_NAME.test(name) || rejectsInBody(target.node) };
      }
      // A readable helper whose body we cannot interpret (a hand-rolled cookie + JWT check)
      // earns the same trust as an unreadable one: its name, below.
    }
    if (!USER_HELPER_NAME.test(name)) return undefined;
    // Unreadable helper: only a project helper's name is trusted, never a package's.
    const root = ts.isIdentifier(callee) ? callee.text : rootIdentifier(callee)?.text;
    const imported = root === undefined ? undefined : module.imports.get(root);
    if (target?.kind === 'external' || (imported && !isProjectSpecifier(imported.specifier))) return undefined;
    const shape: IdentityShape = /UserId$/.test(name) ? 'user-id' : /Session$/.test(name) ? 'session' : 'user';
    return { path: IDENTITY_SHAPE_PATHS[shape], evidence: `${name}()`, enforced: ENFORCING_HELPER_NAME.test(name), shape };
  }

  /** A webhook signature check in a handler body (`stripe.webhooks.constructEvent`, svix `wh.verify`, HMAC compare). */
  signatureCheck(fn: ts.FunctionLikeDeclaration): string | undefined {
    return fn.body && signatureCheckIn(fn.body);
  }
}

/** `requireAuth (passport.authenticate())`; just the name when the evidence adds nothing. */
function describe(middleware: MiddlewareFacts): string {
  const evidence = middleware.auth?.evidence;
  return evidence && !evidence.startsWith(middleware.name) ? `${middleware.name} (${evidence})` : middleware.name;
}

function knownMiddleware(target: Extract<Target, { kind: 'external' }>, isCall: boolean): (typeof AUTH_MIDDLEWARE_MODELS)[number] | undefined {
  return AUTH_MIDDLEWARE_MODELS.find(
    (model) => model.factory === isCall && model.names.includes(target.name) && model.packages.some((pkg) => pkg === target.package || packageName(pkg) === target.package),
  );
}

/** `(role) => (req, res, next) => …` / `function f() { return function (req, res, next) { … } }`. */
function returnedFunction(factory: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration | undefined {
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

function lastSegment(name: string): string {
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

function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let current = unwrap(expr);
  while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current) || ts.isElementAccessExpression(current)) current = unwrap(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

function isProjectSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('@/') || specifier.startsWith('~/') || specifier.startsWith('#');
}

function isNamed(expr: ts.Expression, name: string | undefined): boolean {
  const inner = unwrap(expr);
  return name !== undefined && ts.isIdentifier(inner) && inner.text === name;
}

function isPrivilegedRoleLiteral(arg: ts.Expression): boolean {
  const inner = unwrap(arg);
  if (ts.isStringLiteralLike(inner)) return PRIVILEGED_ROLES.test(inner.text);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.some(isPrivilegedRoleLiteral);
  if (ts.isPropertyAccessExpression(inner)) return PRIVILEGED_ROLES.test(inner.name.text); // Role.ADMIN
  return false;
}

/** `res.status(401)`, `reply.code(403)`, `c.json(…, 401)`, `{ status: 401 }`, `throw new UnauthorizedError()`, `redirect('/login')`. */
function isRejection(node: ts.Node): boolean {
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

function rejectsInBody(fn: ts.FunctionLikeDeclaration): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isRejection(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

function isConditionLike(node: ts.Node): node is ts.Expression {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isIfStatement(parent) && parent.expression === node) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === node) return true;
  return false;
}

/** In a condition: `!req.user`, `!req.session.userId`, `req.isAuthenticated()`; the template naming the user's id. */
function requestIdentityInCondition(condition: ts.Expression, requestName: string | undefined): UserIdTemplate | undefined {
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
function mentionsRole(condition: ts.Node): boolean {
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

const signatureCheckIn = subtreeMemo((body: ts.ConciseBody): string | undefined => {
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

function webhookVerifier(call: ts.CallExpression): string | undefined {
  const segments = calleeSegments(call.expression);
  const method = segments[segments.length - 1];
  if (method === undefined) return undefined;
  if (WEBHOOK_VERIFIERS.has(method)) return `${segments.join('.')}()`;
  const receiver = segments[segments.length - 2];
  if (method === 'verify' && receiver !== undefined && WEBHOOK_VERIFIER_RECEIVER.test(receiver)) return `${segments.join('.')}()`;
  return undefined;
}

/** What a call's value is bound to: `const session = await x()`, `const { data: { user } } = await x()`. */
function bindingOfCall(call: ts.CallExpression): ts.BindingName | undefined {
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
function idExpression(name: ts.BindingName, path: readonly string[], fieldHint?: string): string | undefined {
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
function preferRead(fn: ts.FunctionLikeDeclaration, bound: ts.BindingName, shape: IdentityShape, expression: string | undefined): string | undefined {
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
function usageFieldHint(fn: ts.FunctionLikeDeclaration, bound: ts.BindingName): string | undefined {
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
function isGuarded(fn: ts.FunctionLikeDeclaration, bound: ts.BindingName): boolean {
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

/** Which part of an identity value a helper returns: `return session.user` leaves [id]. */
function returnedIdPath(helper: ts.FunctionLikeDeclaration, inner: { expression: string }): readonly string[] | undefined {
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
function fillTemplate(template: UserIdTemplate, params: readonly (string | undefined)[], handler: ts.FunctionLikeDeclaration): string | undefined {
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
function optionalChain(expression: string): string {
  return /^[\w$]+(\.[\w$]+)+$/.test(expression) ? expression.replaceAll('.', '?.') : expression;
}

/** Whether a function calls anything but its own parameters' methods (`next()`, `res.status()`): work we did not follow. */
function delegatesElsewhere(fn: ts.FunctionLikeDeclaration): boolean {
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

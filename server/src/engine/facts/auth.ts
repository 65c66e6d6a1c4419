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
  NOT_AUTH_CREDENTIAL,
  NOT_IDENTITY_PROOF,
  REQUEST_IDENTITY_METHODS,
  REQUEST_USER_PROPERTIES,
  ROLE_CHECK_NAME,
  USER_HELPER_NAME,
  type UserIdTemplate,
} from './authModels';
import { calleeSegments, delegatesElsewhere, exits, expressionName, hasRoleCheck, isConditionLike, isNamed, isPrivilegedRoleLiteral, isProjectSpecifier, isRejection, lastSegment, mentionsRole, rejectsInBody, requestIdentityInCondition, returnedFunction, rootIdentifier, signatureCheckIn, webhookVerifier } from './authSyntax';
import { bindingOfCall, fillTemplate, idExpression, isGuarded, optionalChain, preferRead, returnedIdPath, usageFieldHint } from './identityBinding';
import { packageName } from './imports';
import { type Module, type Resolver, type Target } from './modules';
import { unwrap } from './scopes';

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

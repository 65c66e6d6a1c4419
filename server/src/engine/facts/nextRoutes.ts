// Next.js routes, read from the file itself: app-router route handlers
// (`app/**/route.ts` exports), pages-router API routes (`pages/api/**` default export)
// and server actions (`'use server'` files and functions), with the project's
// `middleware.ts` counted as a gate when its matcher covers the path.
import { ts } from '../ts';
import type { HttpMethod, RouteFramework, RouteHandler } from './appModel';
import { AuthFacts } from './auth';
import { expressionName } from './authSyntax';
import type { DependencyRecorder } from './dependencies';
import { exportedFunctionName } from './flow';
import { hasUseServerDirective } from './imports';
import { Module, type ModuleSource, Resolver, propertyNameText } from './modules';
import { NEXT_APP_ROUTE_FILE, NEXT_MIDDLEWARE_FILES, NEXT_PAGES_API_FILE, NEXT_ROUTE_EXPORTS } from './routeModels';
import { unwrap } from './scopes';
import { type Dependencies, type DependsOnModules, isCurrent, isFunctionLikeDeclaration, trackingSource, unwrapHandler } from './routeSources';
import { subtreeMemo } from './subtreeMemo';

export function nextRoutes(module: Module, resolver: Resolver, auth: AuthFacts, source: ModuleSource, reads: DependencyRecorder | undefined): RouteHandler[] {
  const routes: RouteHandler[] = [];
  const add = (framework: RouteFramework, method: HttpMethod, path: string, exported: ts.Expression | ts.FunctionDeclaration | undefined): void => {
    if (!exported) return;
    const unwrapped = unwrapHandler(module, exported, resolver);
    if (!unwrapped || unwrapped.module !== module) return;
    const chain = unwrapped.wrappers.map((wrapper) => auth.middleware(module, wrapper));
    const gate = framework === 'next-server-action' ? undefined : nextMiddlewareGate(source, module.path, path, reads);
    const fromAuth = auth.handlerAuth(module, unwrapped.fn, chain);
    routes.push({
      framework,
      method,
      path,
      middlewares: [...(gate ? [gate] : []), ...chain.map((middleware) => middleware.name)],
      handler: unwrapped.fn,
      auth: fromAuth.auth,
      authenticatedBy: fromAuth.authenticatedBy ?? (gate ? `Next.js ${gate}` : undefined),
      verifiesSignature: chain.find((middleware) => middleware.verifiesSignature)?.verifiesSignature ?? auth.signatureCheck(unwrapped.fn),
    });
  };

  const appRoute = NEXT_APP_ROUTE_FILE.exec(module.path);
  if (appRoute) {
    const path = nextPath(appRoute[1] ?? '');
    for (const [name, method] of Object.entries(NEXT_ROUTE_EXPORTS)) add('next-app', method, path, exportedNode(module, name));
    return routes;
  }
  const pagesApi = NEXT_PAGES_API_FILE.exec(module.path);
  if (pagesApi) {
    add('next-pages', 'ALL', nextPath(pagesApi[1] ?? 'api').replace(/\/index$/, ''), exportedNode(module, 'default'));
    return routes;
  }
  // Server actions: every exported function of a 'use server' file, and functions that opt in themselves.
  // Both need the directive's text, so most files are done here without a walk.
  if (!module.sourceFile.statements.some(mentionsUseServer)) return routes;
  const fileLevel = hasUseServerDirective(module.sourceFile.statements);
  const visit = (node: ts.Node): void => {
    if (isFunctionLikeDeclaration(node) && node.body) {
      const inline = ts.isBlock(node.body) && hasUseServerDirective(node.body.statements);
      const name = fileLevel ? exportedFunctionName(node) : undefined;
      if (inline || (name !== undefined && isAsync(node))) {
        const actionName = name && name !== 'default' ? name : functionName(node) ?? 'action';
        routes.push(...actionRoute(module, node, actionName, auth));
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(module.sourceFile);
  return routes;
}

/**
 * Whether a top-level statement's text mentions 'use server', kept per statement node:
 * every directive is inside some statement, and an edit reparses one of them, so a
 * keystroke does not search the whole text again.
 */
const mentionsUseServer = subtreeMemo((statement: ts.Statement): boolean => statement.getSourceFile().text.slice(statement.pos, statement.end).includes('use server'));

function actionRoute(module: Module, fn: ts.FunctionLikeDeclaration, name: string, auth: AuthFacts): RouteHandler[] {
  const fromAuth = auth.handlerAuth(module, fn, []);
  return [{ framework: 'next-server-action', method: 'POST', path: name, middlewares: [], handler: fn, auth: fromAuth.auth, authenticatedBy: fromAuth.authenticatedBy }];
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getModifiers(fn as ts.HasModifiers) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
}

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function exportedNode(module: Module, name: string): ts.Expression | ts.FunctionDeclaration | undefined {
  const entry = module.exports.named.get(name);
  if (!entry) return undefined;
  if (entry.kind === 'node') return ts.isClassDeclaration(entry.node) ? undefined : entry.node;
  if (entry.kind === 'local') {
    const binding = module.scopes.lookup(module.sourceFile, entry.name).at(-1);
    if (!binding) return undefined;
    if (ts.isFunctionDeclaration(binding.declaration)) return binding.declaration;
    if (ts.isVariableDeclaration(binding.declaration)) return binding.declaration.initializer;
  }
  return undefined;
}

/** `api/orders/[id]` -> `/api/orders/[id]`, route groups `(shop)`, slots `@modal` and interceptors dropped. */
function nextPath(segments: string): string {
  const kept = segments.split('/').filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
  return `/${kept.join('/')}`;
}

interface MiddlewareGate {
  evidence: string;
  covers(path: string): boolean;
}

/** Per middleware module: its gate, and the other modules read to classify it. */
const gateCache = new WeakMap<Module, DependsOnModules & { gate: MiddlewareGate | null }>();

/** Next.js middleware that turns signed-out callers away from `path`, named for messages. */
function nextMiddlewareGate(source: ModuleSource, filePath: string, routePath: string, reads: DependencyRecorder | undefined): string | undefined {
  const rootMatch = /^(.*?)(?:src\/)?(?:app|pages)\//.exec(filePath);
  const root = rootMatch?.[1] ?? '';
  for (const name of NEXT_MIDDLEWARE_FILES) {
    const module = source.module(`${root}${name}`);
    if (!module) continue;
    let entry = gateCache.get(module);
    if (!entry || !isCurrent(entry, source)) {
      const deps: Dependencies = new Map();
      const gate = classifyNextMiddleware(module, new Resolver(trackingSource(source, (path, read) => deps.set(path, read)))) ?? null;
      gateCache.set(module, (entry = { gate, deps }));
    }
    if (reads) for (const path of entry.deps.keys()) reads.read(path);
    const gate = entry.gate;
    if (gate?.covers(routePath)) return `${gate.evidence} (${module.path})`;
    return undefined;
  }
  return undefined;
}

const NEXT_AUTH_PACKAGES = /^(?:next-auth|@auth\/|@clerk\/|@supabase\/(?:ssr|auth-helpers)|iron-session|lucia|jose|@kinde-oss\/|better-auth)/;

function classifyNextMiddleware(module: Module, resolver: Resolver): MiddlewareGate | undefined {
  const matchers = matcherPatterns(module);
  const inMatcher = (path: string): boolean => matchers === undefined || matchers.some((pattern) => pathMatches(pattern, path));
  const imports = [...module.imports.values()].map((imported) => imported.specifier);
  if (imports.includes('next-auth/middleware') || module.exports.named.get('default')?.kind === 'reexport') {
    return { evidence: 'middleware (next-auth)', covers: inMatcher };
  }
  const text = module.text;
  if (imports.some((specifier) => specifier.startsWith('@clerk/'))) {
    // clerkMiddleware() protects nothing by default: only paths that reach `auth.protect()`.
    const protectedPaths = clerkProtectedPaths(module);
    if (!protectedPaths) return undefined;
    return { evidence: 'middleware (Clerk auth.protect())', covers: (path) => inMatcher(path) && protectedPaths(path) };
  }
  const entry = resolver.exported(module, 'default') ?? resolver.exported(module, 'middleware') ?? resolver.exported(module, 'proxy');
  const usesAuthLibrary = imports.some((specifier) => NEXT_AUTH_PACKAGES.test(specifier)) || /\bauth\s*\(/.test(text);
  const redirectsOrRejects = /\b401\b|\b403\b|redirect\s*\(/.test(text) && /login|sign-?in|auth|unauthori[sz]ed/i.test(text);
  if ((entry !== undefined || module.exports.named.has('middleware')) && usesAuthLibrary && redirectsOrRejects) {
    return { evidence: 'middleware', covers: inMatcher };
  }
  return undefined;
}

/** `export const config = { matcher: [...] }`; undefined means every path. */
function matcherPatterns(module: Module): string[] | undefined {
  for (const statement of module.sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'config' || !declaration.initializer) continue;
      const config = unwrap(declaration.initializer);
      if (!ts.isObjectLiteralExpression(config)) continue;
      for (const property of config.properties) {
        if (!ts.isPropertyAssignment(property) || propertyNameText(property.name) !== 'matcher') continue;
        return stringsIn(property.initializer);
      }
    }
  }
  return undefined;
}

function stringsIn(expr: ts.Expression): string[] {
  const inner = unwrap(expr);
  if (ts.isStringLiteralLike(inner)) return [inner.text];
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.flatMap(stringsIn);
  if (ts.isObjectLiteralExpression(inner)) {
    const sourceProperty = inner.properties.find((property) => ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'source');
    return sourceProperty && ts.isPropertyAssignment(sourceProperty) ? stringsIn(sourceProperty.initializer) : [];
  }
  return [];
}

/** Paths Clerk's middleware protects: `if (isProtectedRoute(req)) await auth.protect()` or `if (!isPublicRoute(req)) …`. */
function clerkProtectedPaths(module: Module): ((path: string) => boolean) | undefined {
  const matchers = new Map<string, string[]>();
  const protects: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = unwrap(node.initializer);
      if (ts.isCallExpression(init) && expressionName(init.expression) === 'createRouteMatcher' && init.arguments[0]) matchers.set(node.name.text, stringsIn(init.arguments[0]));
    }
    if (ts.isCallExpression(node) && /(?:^|\.)protect$/.test(expressionName(node.expression))) protects.push(node);
    ts.forEachChild(node, visit);
  };
  visit(module.sourceFile);
  if (protects.length === 0) return undefined;
  const tests: ((path: string) => boolean)[] = [];
  for (const call of protects) {
    let condition: { name: string; negated: boolean } | undefined;
    for (let node: ts.Node = call; node.parent; node = node.parent) {
      const parent = node.parent;
      if (ts.isIfStatement(parent) && parent.thenStatement === node) {
        let test = unwrap(parent.expression);
        let negated = false;
        if (ts.isPrefixUnaryExpression(test) && test.operator === ts.SyntaxKind.ExclamationToken) {
          negated = true;
          test = unwrap(test.operand);
        }
        if (ts.isCallExpression(test) && ts.isIdentifier(test.expression)) condition = { name: test.expression.text, negated };
        break;
      }
      if (isFunctionLikeDeclaration(parent)) break;
    }
    if (!condition) return () => true;
    const patterns = matchers.get(condition.name);
    if (!patterns) return () => true; // a matcher we cannot read: assume it protects
    const negated = condition.negated;
    tests.push((path) => patterns.some((pattern) => pathMatches(pattern, path)) !== negated);
  }
  return (path) => tests.some((test) => test(path));
}

/** Next.js/Clerk matcher syntax (path-to-regexp with regex groups) against a route path. */
function pathMatches(pattern: string, routePath: string): boolean {
  const path = routePath.replace(/\[\[?\.{0,3}[^\]]+\]\]?/g, 'x');
  const source = pattern
    .replace(/\/:\w+\*/g, '(?:/.*)?')
    .replace(/\/:\w+\+/g, '(?:/.+)')
    .replace(/\/:\w+\?/g, '(?:/[^/]+)?')
    .replace(/:\w+/g, '[^/]+');
  try {
    return new RegExp(`^${source}$`).test(path);
  } catch {
    return true; // unreadable pattern: assume it covers the path rather than invent a finding
  }
}

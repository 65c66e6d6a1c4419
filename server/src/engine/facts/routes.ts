// Routes and their handlers, per framework:
//  - Next.js app router (`app/**/route.ts` exports), pages router (`pages/api/**`
//    default export) and server actions (`'use server'`), read from the file itself,
//    plus the project's `middleware.ts` when its matcher covers the path;
//  - Express, Fastify and Hono, read as a project-wide route graph: which app or
//    router each route is registered on, which routers are mounted where (`app.use
//    ('/api/orders', ordersRouter)`, `fastify.register(plugin, { prefix })`, Hono
//    `app.route()`), and which middleware runs before each handler (`router.use(mw)`
//    for later routes, route-level middleware, Fastify hooks) — across files.
// The graph is built from the files that can register routes (a text test first),
// cached per project view, and rebuilt only when one of the files it read changes.
import { ts } from 'ts-morph';
import type { ParsedFile, ProjectView } from '../types';
import type { HttpMethod, RouteFramework, RouteHandler } from './appModel';
import { AuthFacts, type MiddlewareFacts, expressionName } from './auth';
import { exportedFunctionName } from './flow';
import { hasUseServerDirective, packageName } from './imports';
import { Module, type ModuleSource, ProjectModules, Resolver, findNodeAt, propertyNameText, withOverride } from './modules';
import {
  FASTIFY_PRE_HANDLER_HOOKS,
  MAX_ROUTE_GRAPH_FILES,
  NEXT_APP_ROUTE_FILE,
  NEXT_MIDDLEWARE_FILES,
  NEXT_PAGES_API_FILE,
  NEXT_ROUTE_EXPORTS,
  PLUGIN_WRAPPERS,
  ROUTE_METHODS,
  ROUTE_REGISTRATION_HINT,
  ROUTER_FACTORIES,
  ROUTER_PARAMETER_NAMES,
  ROUTER_PARAMETER_TYPES,
  SERVER_FRAMEWORK_PACKAGES,
  type ServerFramework,
} from './routeModels';
import { unwrap } from './scopes';

/** The routes whose handler function is in `file`, wherever they are registered. */
export function collectRoutes(file: ParsedFile, sourceFile: ts.SourceFile, project: ProjectView): RouteHandler[] {
  const modules = ProjectModules.of(project);
  modules.adopt(file.path, file.text, sourceFile);
  const cached = modules.module(file.path);
  const current = cached && cached.text === file.text ? cached : new Module(file.path, file.text, sourceFile);
  const source: ModuleSource = cached === current ? modules : withOverride(modules, current);
  const resolver = new Resolver(source);
  const auth = new AuthFacts(resolver);

  const found: RouteHandler[] = [...nextRoutes(current, resolver, auth, source)];
  if (usesServerFramework(project, current)) {
    const graph = cached === current ? projectGraph(modules, current) : buildGraph(source, [current, ...candidateModules(modules, current)]);
    for (const route of graph.routes) {
      if (route.handlerModule.path !== current.path) continue;
      found.push(graphRoute(route, current, graph.auth));
    }
  }
  // Handlers are reported against this file's own tree (the cached parse may be another object with the same text).
  if (current.sourceFile === sourceFile) return found;
  return found.flatMap((route) => {
    const handler = findNodeAt(sourceFile, route.handler.getStart(), route.handler.end, isFunctionLikeDeclaration);
    return handler ? [{ ...route, handler }] : [];
  });
}

function isFunctionLikeDeclaration(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

function usesServerFramework(project: ProjectView, module: Module): boolean {
  for (const pkg of SERVER_FRAMEWORK_PACKAGES) if (project.dependencies.has(pkg)) return true;
  for (const imported of module.imports.values()) if (SERVER_FRAMEWORK_PACKAGES.has(packageName(imported.specifier))) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Next.js

function nextRoutes(module: Module, resolver: Resolver, auth: AuthFacts, source: ModuleSource): RouteHandler[] {
  const routes: RouteHandler[] = [];
  const add = (framework: RouteFramework, method: HttpMethod, path: string, exported: ts.Expression | ts.FunctionDeclaration | undefined): void => {
    if (!exported) return;
    const unwrapped = unwrapHandler(module, exported, resolver);
    if (!unwrapped || unwrapped.module !== module) return;
    const chain = unwrapped.wrappers.map((wrapper) => auth.middleware(module, wrapper));
    const gate = framework === 'next-server-action' ? undefined : nextMiddlewareGate(source, module.path, path, resolver);
    const fromAuth = auth.handlerAuth(module, unwrapped.fn, framework, chain);
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

function actionRoute(module: Module, fn: ts.FunctionLikeDeclaration, name: string, auth: AuthFacts): RouteHandler[] {
  const fromAuth = auth.handlerAuth(module, fn, 'next-server-action', []);
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

/** A handler expression, through wrappers: `withAuth(async (req) => …)`, `asyncHandler(fn)`. */
function unwrapHandler(module: Module, expr: ts.Expression | ts.FunctionDeclaration, resolver: Resolver): { fn: ts.FunctionLikeDeclaration; module: Module; wrappers: ts.Expression[] } | undefined {
  if (ts.isFunctionDeclaration(expr)) return { fn: expr, module, wrappers: [] };
  const wrappers: ts.Expression[] = [];
  let current = unwrap(expr);
  for (let depth = 0; depth < 4; depth++) {
    if (ts.isCallExpression(current)) {
      const inner = current.arguments.find((arg) => {
        const value = unwrap(arg);
        return ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isIdentifier(value) || ts.isCallExpression(value);
      });
      if (!inner) return undefined;
      wrappers.push(current);
      current = unwrap(inner);
      continue;
    }
    const target = resolver.expression(module, current);
    if (target?.kind === 'function') return { fn: target.node, module: target.module, wrappers };
    if (target?.kind === 'value' && target.module === module && ts.isCallExpression(target.node)) {
      current = target.node;
      continue;
    }
    return undefined;
  }
  return undefined;
}

interface MiddlewareGate {
  evidence: string;
  covers(path: string): boolean;
}

const gateCache = new WeakMap<Module, MiddlewareGate | null>();

/** Next.js middleware that turns signed-out callers away from `path`, named for messages. */
function nextMiddlewareGate(source: ModuleSource, filePath: string, routePath: string, resolver: Resolver): string | undefined {
  const rootMatch = /^(.*?)(?:src\/)?(?:app|pages)\//.exec(filePath);
  const root = rootMatch?.[1] ?? '';
  for (const name of NEXT_MIDDLEWARE_FILES) {
    const module = source.module(`${root}${name}`);
    if (!module) continue;
    let gate = gateCache.get(module);
    if (gate === undefined) {
      gate = classifyNextMiddleware(module, resolver) ?? null;
      gateCache.set(module, gate);
    }
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

// ---------------------------------------------------------------------------
// The Express / Fastify / Hono route graph

interface Item {
  module: Module;
  expr: ts.Expression;
}

type Layer =
  | { kind: 'use'; pos: number; path: string; items: Item[] }
  | { kind: 'hook'; pos: number; items: Item[] }
  | { kind: 'route'; pos: number; method: HttpMethod; path: string; items: Item[]; handler: Item }
  | { kind: 'mount'; pos: number; path: string; items: Item[]; target: Item; parameterIndex?: number };

interface RouterInfo {
  /** The factory call (`Router()`, `new Hono()`) or the parameter that holds the router. */
  key: ts.Node;
  module: Module;
  framework: ServerFramework;
  /** An application (`express()`, `new Hono()`, `Fastify()`) can be the root of a server. */
  application: boolean;
  /** It leaves its module (exported, or a parameter of a registration function). */
  exported: boolean;
}

interface ComposedRoute {
  framework: ServerFramework;
  method: HttpMethod;
  path: string;
  chain: Item[];
  handler: ts.FunctionLikeDeclaration;
  handlerModule: Module;
  /** Wrappers around the handler (`withAuth(fn)`), innermost last. */
  wrappers: Item[];
  partialChain: boolean;
  /** Middleware facts for `chain` then `wrappers`, classified while the graph's modules are current. */
  facts: MiddlewareFacts[];
}

interface RouteGraph {
  routes: ComposedRoute[];
  auth: AuthFacts;
  /** Every module the graph read, to tell when it is stale. */
  deps: Map<string, Module | undefined>;
}

interface GraphCache {
  candidates?: Set<string>;
  graph?: RouteGraph;
}

const graphCaches = new WeakMap<ProjectModules, GraphCache>();

function projectGraph(modules: ProjectModules, current: Module): RouteGraph {
  let cache = graphCaches.get(modules);
  if (!cache) graphCaches.set(modules, (cache = {}));
  const candidates = (cache.candidates ??= scanCandidates(modules));
  // The file being analyzed keeps its own membership current; others are re-read when their text changes.
  const isCandidate = ROUTE_REGISTRATION_HINT.test(current.text);
  if (isCandidate !== candidates.has(current.path)) {
    if (isCandidate) candidates.add(current.path);
    else candidates.delete(current.path);
    cache.graph = undefined;
  }
  const graph = cache.graph;
  if (graph && [...graph.deps].every(([path, module]) => modules.module(path) === module)) return graph;
  const tracking = trackingSource(modules);
  const built = buildGraph(tracking.source, [...candidates].flatMap((path) => tracking.source.module(path) ?? []));
  built.deps = tracking.deps;
  cache.graph = built;
  return built;
}

function candidateModules(modules: ProjectModules, current: Module): Module[] {
  let cache = graphCaches.get(modules);
  if (!cache) graphCaches.set(modules, (cache = {}));
  const candidates = (cache.candidates ??= scanCandidates(modules));
  return [...candidates].filter((path) => path !== current.path).flatMap((path) => modules.module(path) ?? []);
}

function scanCandidates(modules: ProjectModules): Set<string> {
  const candidates = new Set<string>();
  for (const path of modules.project.listFiles()) {
    if (candidates.size >= MAX_ROUTE_GRAPH_FILES) break;
    if (!/\.(?:[cm]?[jt]s|[jt]sx)$/.test(path) || path.endsWith('.d.ts')) continue;
    const text = modules.project.readFile(path);
    if (text !== undefined && ROUTE_REGISTRATION_HINT.test(text)) candidates.add(path);
  }
  return candidates;
}

function trackingSource(base: ModuleSource): { source: ModuleSource; deps: Map<string, Module | undefined> } {
  const deps = new Map<string, Module | undefined>();
  return {
    deps,
    source: {
      project: base.project,
      module: (path) => {
        const module = base.module(path);
        deps.set(path, module);
        return module;
      },
      resolveSpecifier: (from, specifier) => base.resolveSpecifier(from, specifier),
    },
  };
}

function buildGraph(source: ModuleSource, roots: readonly Module[]): RouteGraph {
  const builder = new GraphBuilder(source);
  for (const module of roots) builder.collect(module);
  return { routes: builder.compose(), auth: builder.auth, deps: new Map() };
}

class GraphBuilder {
  readonly resolver: Resolver;
  readonly auth: AuthFacts;
  private readonly routers = new Map<ts.Node, RouterInfo>();
  private readonly layers = new Map<ts.Node, Layer[]>();
  private readonly collected = new Set<Module>();
  private readonly mounted = new Set<ts.Node>();

  constructor(private readonly source: ModuleSource) {
    this.resolver = new Resolver(source);
    this.auth = new AuthFacts(this.resolver);
  }

  /** Records every route, `use`, hook and mount registered in a module. */
  collect(module: Module): void {
    if (this.collected.has(module)) return;
    this.collected.add(module);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) this.collectCall(module, node);
      ts.forEachChild(node, visit);
    };
    visit(module.sourceFile);
  }

  private add(router: RouterInfo, layer: Layer): void {
    const list = this.layers.get(router.key);
    if (list) list.push(layer);
    else this.layers.set(router.key, [layer]);
  }

  private collectCall(module: Module, call: ts.CallExpression): void {
    const callee = unwrap(call.expression);
    const pos = call.getStart();
    const item = (expr: ts.Expression): Item => ({ module, expr });
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const httpMethod = ROUTE_METHODS[method];
      // Express: router.route('/orders/:id').get(h).delete(h)
      const chained = httpMethod ? this.routeChain(module, callee.expression) : undefined;
      if (chained && httpMethod) {
        const args = flattenItems(call.arguments);
        const handler = args.pop();
        if (handler) this.add(chained.router, { kind: 'route', pos, method: httpMethod, path: chained.path, items: args.map(item), handler: item(handler) });
        return;
      }
      const router = this.routerOf(module, callee.expression);
      if (router) {
        this.collectRouterCall(module, router, method, call, pos);
        return;
      }
    }
    // registerRoutes(app), require('./routes')(app): the function receives the router
    call.arguments.forEach((arg, index) => {
      const router = this.routerOf(module, arg);
      if (router) this.add(router, { kind: 'mount', pos, path: '', items: [], target: item(call.expression), parameterIndex: index });
    });
  }

  private collectRouterCall(module: Module, router: RouterInfo, method: string, call: ts.CallExpression, pos: number): void {
    const item = (expr: ts.Expression): Item => ({ module, expr });
    const args = [...call.arguments];
    const httpMethod = ROUTE_METHODS[method];
    if (httpMethod && args.length >= 2) {
      const path = stringValue(module, args[0]);
      if (path === undefined) return;
      if (router.framework === 'fastify') {
        const options = args.length >= 3 || (args[1] && ts.isObjectLiteralExpression(unwrap(args[1]))) ? args[1] : undefined;
        const optionObject = options && ts.isObjectLiteralExpression(unwrap(options)) ? (unwrap(options) as ts.ObjectLiteralExpression) : undefined;
        const handler = args.length >= 3 ? args[args.length - 1] : optionObject ? propertyValue(optionObject, 'handler') : args[1];
        if (!handler) return;
        this.add(router, { kind: 'route', pos, method: httpMethod, path, items: optionObject ? fastifyHooks(optionObject).map(item) : [], handler: item(handler) });
        return;
      }
      const rest = flattenItems(args.slice(1));
      const handler = rest.pop();
      if (handler) this.add(router, { kind: 'route', pos, method: httpMethod, path, items: rest.map(item), handler: item(handler) });
      return;
    }
    if (method === 'use') {
      const first = args[0];
      const path = first ? stringValue(module, first) : undefined;
      const items = flattenItems(path === undefined ? args : args.slice(1));
      this.add(router, { kind: 'use', pos, path: path ?? '', items: items.map(item) });
      return;
    }
    if (method === 'route' && args.length === 2 && router.framework === 'hono') {
      const path = stringValue(module, args[0]);
      const target = args[1];
      if (path !== undefined && target) this.add(router, { kind: 'mount', pos, path, items: [], target: item(target) });
      return;
    }
    if (method === 'route' && args.length === 1 && router.framework === 'fastify') {
      const options = unwrap(args[0] as ts.Expression);
      if (!ts.isObjectLiteralExpression(options)) return;
      const url = propertyValue(options, 'url') ?? propertyValue(options, 'path');
      const path = url ? stringValue(module, url) : undefined;
      const handler = propertyValue(options, 'handler');
      const methodValue = propertyValue(options, 'method');
      const methods = methodValue ? stringsOf(module, methodValue) : [];
      if (path === undefined || !handler) return;
      for (const name of methods) {
        const routeMethod = ROUTE_METHODS[name.toLowerCase()];
        if (routeMethod) this.add(router, { kind: 'route', pos, method: routeMethod, path, items: fastifyHooks(options).map(item), handler: item(handler) });
      }
      return;
    }
    if (method === 'register' && args[0]) {
      const options = args[1] ? unwrap(args[1]) : undefined;
      const prefix = options && ts.isObjectLiteralExpression(options) ? propertyValue(options, 'prefix') : undefined;
      this.add(router, { kind: 'mount', pos, path: prefix ? (stringValue(module, prefix) ?? '') : '', items: [], target: item(args[0]), parameterIndex: 0 });
      return;
    }
    if (method === 'addHook' && args.length >= 2) {
      const hook = stringValue(module, args[0]);
      const fn = args[1];
      if (hook && FASTIFY_PRE_HANDLER_HOOKS.includes(hook) && fn) this.add(router, { kind: 'hook', pos, items: [item(fn)] });
    }
  }

  /** `router.route('/x')` (Express), possibly followed by `.get(h).post(h)`: the router and the path. */
  private routeChain(module: Module, expr: ts.Expression): { router: RouterInfo; path: string } | undefined {
    let current = unwrap(expr);
    for (let depth = 0; depth < 10 && ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression); depth++) {
      const name = current.expression.name.text;
      if (name === 'route' && current.arguments.length === 1) {
        const router = this.routerOf(module, current.expression.expression);
        const path = current.arguments[0] ? stringValue(module, current.arguments[0]) : undefined;
        return router && router.framework === 'express' && path !== undefined ? { router, path } : undefined;
      }
      if (!ROUTE_METHODS[name]) return undefined;
      current = unwrap(current.expression.expression);
    }
    return undefined;
  }

  /** The app or router an expression refers to, if it is one. */
  routerOf(module: Module, expr: ts.Expression): RouterInfo | undefined {
    const inner = unwrap(expr);
    if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) {
      const target = this.resolver.expression(module, inner);
      if (target?.kind === 'parameter') return this.parameterRouter(target.module, target.node);
      if (target?.kind === 'value') return this.factoryRouter(target.module, target.node, target.declaration);
      return undefined;
    }
    if (ts.isCallExpression(inner) || ts.isNewExpression(inner)) return this.factoryRouter(module, inner, undefined);
    return undefined;
  }

  private factoryRouter(module: Module, node: ts.Expression, declaration: ts.VariableDeclaration | undefined): RouterInfo | undefined {
    // new Hono().get(…).post(…) is the same app as new Hono()
    let current = unwrap(node);
    while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && (ROUTE_METHODS[current.expression.name.text] || current.expression.name.text === 'use')) {
      current = unwrap(current.expression.expression);
    }
    if (!ts.isCallExpression(current) && !ts.isNewExpression(current)) return undefined;
    const existing = this.routers.get(current);
    if (existing) return existing;
    const factory = this.matchFactory(module, current);
    if (!factory) return undefined;
    const info: RouterInfo = { key: current, module, framework: factory.framework, application: factory.application, exported: isExported(module, declaration, current) };
    this.routers.set(current, info);
    return info;
  }

  private matchFactory(module: Module, call: ts.CallExpression | ts.NewExpression): (typeof ROUTER_FACTORIES)[number] | undefined {
    const name = expressionName(call.expression);
    const root = name.split('.')[0] ?? '';
    const imported = module.imports.get(root);
    const pkg = imported ? packageName(imported.specifier) : undefined;
    return ROUTER_FACTORIES.find(
      (factory) =>
        (factory.callees.includes(name) || (imported !== undefined && imported.name !== 'default' && factory.callees.includes(imported.name))) &&
        (pkg !== undefined ? factory.packages.includes(pkg) : factory.packages.some((candidate) => this.source.project.dependencies.has(candidate))),
    );
  }

  private parameterRouter(module: Module, parameter: ts.ParameterDeclaration, force?: ServerFramework): RouterInfo | undefined {
    const existing = this.routers.get(parameter);
    if (existing) return existing;
    if (!ts.isIdentifier(parameter.name)) return undefined;
    const typeName = parameter.type && ts.isTypeReferenceNode(parameter.type) ? (ts.isIdentifier(parameter.type.typeName) ? parameter.type.typeName.text : parameter.type.typeName.right.text) : undefined;
    const byType = typeName ? ROUTER_PARAMETER_TYPES[typeName] : undefined;
    if (!force && !byType && !ROUTER_PARAMETER_NAMES.has(parameter.name.text)) return undefined;
    // (req, res) handlers are not routers, whatever their first parameter is called.
    const fn = parameter.parent;
    if (!force && !byType && fn.parameters.length >= 2 && fn.parameters.indexOf(parameter) === 0 && fn.parameters.some((other) => ts.isIdentifier(other.name) && /^(res|reply|next|response)$/.test(other.name.text))) return undefined;
    const framework = force ?? byType ?? frameworkOfModule(module, parameter.name.text, this.source.project);
    const info: RouterInfo = { key: parameter, module, framework, application: false, exported: true };
    this.routers.set(parameter, info);
    return info;
  }

  /** The router a mount target stands for: a router value, or the parameter of a plugin / registration function. */
  private mountTarget(target: Item, parameterIndex: number | undefined, parent: RouterInfo): RouterInfo | undefined {
    const direct = this.routerOf(target.module, target.expr);
    if (direct) return direct;
    let resolved = this.resolver.expression(target.module, target.expr);
    // fastify-plugin: fp(async (fastify) => …)
    for (let depth = 0; depth < 3 && resolved?.kind === 'value' && ts.isCallExpression(resolved.node); depth++) {
      const call = resolved.node;
      const name = expressionName(call.expression);
      const wrapped = call.arguments[0];
      if (!PLUGIN_WRAPPERS.has(name) || !wrapped) return undefined;
      resolved = this.resolver.expression(resolved.module, wrapped);
    }
    if (resolved?.kind !== 'function') return undefined;
    const parameter = resolved.node.parameters[parameterIndex ?? 0];
    if (!parameter) return undefined;
    this.collect(resolved.module);
    return this.parameterRouter(resolved.module, parameter, parent.framework);
  }

  compose(): ComposedRoute[] {
    // Resolve mounts first, so roots (routers nobody mounts) are known.
    const mounts = new Map<Layer, RouterInfo>();
    for (let round = 0; round < 3; round++) {
      for (const [key, layers] of [...this.layers]) {
        const router = this.routers.get(key);
        if (!router) continue;
        for (const layer of layers) {
          if (mounts.has(layer)) continue;
          if (layer.kind === 'mount') {
            const child = this.mountTarget(layer.target, layer.parameterIndex, router);
            if (child) {
              mounts.set(layer, child);
              this.mounted.add(child.key);
              this.collect(child.module);
            }
          } else if (layer.kind === 'use') {
            for (const useItem of layer.items) {
              const child = this.routerOf(useItem.module, useItem.expr);
              if (child) {
                this.mounted.add(child.key);
                this.collect(child.module);
              }
            }
          }
        }
      }
    }

    const routes: ComposedRoute[] = [];
    const visit = (router: RouterInfo, prefix: string, inherited: Item[], partial: boolean, seen: Set<ts.Node>): void => {
      if (seen.has(router.key) || seen.size > 32) return;
      const nextSeen = new Set(seen).add(router.key);
      const layers = this.layers.get(router.key) ?? [];
      // Fastify hooks apply to every route of their plugin, wherever they are added.
      const hooks = layers.flatMap((layer) => (layer.kind === 'hook' ? layer.items : []));
      const active: { scope: string; items: Item[] }[] = [];
      const applicable = (path: string): Item[] => active.filter((entry) => isUnder(path, entry.scope)).flatMap((entry) => entry.items);
      for (const layer of layers) {
        if (layer.kind === 'hook') continue;
        if (layer.kind === 'use') {
          const scope = joinPaths(prefix, layer.path);
          const before: Item[] = [];
          for (const useItem of layer.items) {
            const child = this.routerOf(useItem.module, useItem.expr);
            if (child) visit(child, scope, [...inherited, ...hooks, ...applicable(scope), ...before], partial, nextSeen);
            else before.push(useItem);
          }
          if (before.length > 0) active.push({ scope, items: before });
        } else if (layer.kind === 'mount') {
          const child = mounts.get(layer);
          const scope = joinPaths(prefix, layer.path);
          if (child) visit(child, scope, [...inherited, ...hooks, ...applicable(scope), ...layer.items], partial, nextSeen);
        } else {
          const path = joinPaths(prefix, layer.path);
          const handler = unwrapHandler(layer.handler.module, layer.handler.expr, this.resolver);
          if (!handler) continue;
          const chain = [...inherited, ...hooks, ...applicable(path), ...layer.items];
          const wrappers = handler.wrappers.map((expr) => ({ module: layer.handler.module, expr }));
          const facts = [...chain, ...wrappers].map((entry) => this.auth.middleware(entry.module, entry.expr));
          routes.push({ framework: router.framework, method: layer.method, path, chain, handler: handler.fn, handlerModule: handler.module, wrappers, partialChain: partial, facts });
        }
      }
    };
    for (const router of this.routers.values()) {
      if (this.mounted.has(router.key)) continue;
      // A router nobody visibly mounts: an exported Router() is mounted somewhere we cannot see.
      visit(router, '', [], !router.application && router.exported, new Set());
    }
    return routes;
  }
}

function graphRoute(route: ComposedRoute, module: Module, auth: AuthFacts): RouteHandler {
  const fromAuth = auth.handlerAuth(module, route.handler, route.framework, route.facts);
  return {
    framework: route.framework,
    method: route.method,
    path: route.path || '/',
    middlewares: route.facts.map((facts) => facts.name),
    handler: route.handler,
    auth: fromAuth.auth,
    authenticatedBy: fromAuth.authenticatedBy,
    verifiesSignature: route.facts.find((facts) => facts.verifiesSignature)?.verifiesSignature ?? auth.signatureCheck(route.handler),
    partialChain: route.partialChain || undefined,
  };
}

function frameworkOfModule(module: Module, parameterName: string, project: ProjectView): ServerFramework {
  if (parameterName === 'fastify' || parameterName === 'instance') return 'fastify';
  const packages = new Set([...module.imports.values()].map((imported) => packageName(imported.specifier)));
  if (packages.has('fastify') || packages.has('fastify-plugin')) return 'fastify';
  if (packages.has('hono')) return 'hono';
  if (packages.has('express')) return 'express';
  if (project.dependencies.has('fastify')) return 'fastify';
  if (project.dependencies.has('hono') && !project.dependencies.has('express')) return 'hono';
  return 'express';
}

function isExported(module: Module, declaration: ts.VariableDeclaration | undefined, factory: ts.Node): boolean {
  const name = declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  for (const entry of module.exports.named.values()) {
    if (entry.kind === 'local' && entry.name === name) return true;
    if (entry.kind === 'node' && (entry.node === factory || (ts.isIdentifier(entry.node) && entry.node.text === name))) return true;
  }
  return false;
}

/** Middleware arrays are flattened: `router.get('/x', [auth, validate], handler)`. */
function flattenItems(args: readonly ts.Expression[]): ts.Expression[] {
  return args.flatMap((arg) => {
    const inner = unwrap(arg);
    if (ts.isArrayLiteralExpression(inner)) return flattenItems(inner.elements);
    if (ts.isSpreadElement(inner)) return flattenItems([inner.expression]);
    return [arg];
  });
}

function fastifyHooks(options: ts.ObjectLiteralExpression): ts.Expression[] {
  return FASTIFY_PRE_HANDLER_HOOKS.flatMap((hook) => {
    const value = propertyValue(options, hook);
    return value ? flattenItems([value]) : [];
  });
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    if (ts.isMethodDeclaration(property) && propertyNameText(property.name) === name) return undefined;
  }
  return undefined;
}

/** A path argument: a literal, or a module constant holding one. */
function stringValue(module: Module, expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const inner = unwrap(expr);
  if (ts.isStringLiteralLike(inner)) return inner.text;
  if (ts.isArrayLiteralExpression(inner)) return inner.elements[0] ? stringValue(module, inner.elements[0]) : undefined;
  if (ts.isIdentifier(inner)) {
    const binding = module.scopes.resolve(inner);
    if (binding?.kind === 'variable' && binding.isConst && !binding.destructured && binding.initializer) {
      const value = unwrap(binding.initializer);
      if (ts.isStringLiteralLike(value)) return value.text;
    }
  }
  return undefined;
}

function stringsOf(module: Module, expr: ts.Expression): string[] {
  const inner = unwrap(expr);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.flatMap((element) => stringsOf(module, element));
  const value = stringValue(module, inner);
  return value === undefined ? [] : [value];
}

export function joinPaths(prefix: string, path: string): string {
  const trimmedPrefix = prefix.replace(/\/+$/, '');
  if (path === '' || path === '/') return trimmedPrefix || (path === '/' ? '/' : '');
  return `${trimmedPrefix}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** Whether `use(scope, mw)` applies to a route at `path` (Express prefixes, Hono `/api/*`). */
function isUnder(path: string, scope: string): boolean {
  const normalizedScope = scope.replace(/\/?\*$/, '').replace(/\/+$/, '');
  if (normalizedScope === '') return true;
  const scopeParts = normalizedScope.split('/');
  const pathParts = path.replace(/\/+$/, '').split('/');
  if (pathParts.length < scopeParts.length) return false;
  return scopeParts.every((part, index) => part === pathParts[index] || part.startsWith(':') || part === '*' || (pathParts[index] ?? '').startsWith(':'));
}

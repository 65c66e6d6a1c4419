// Routes and their handlers, per framework:
//  - Next.js app router (`app/**/route.ts` exports), pages router (`pages/api/**`
//    default export) and server actions (`'use server'`), read from the file itself,
//    plus the project's `middleware.ts` when its matcher covers the path;
//  - Express, Fastify and Hono, read as a project-wide route graph: which app or
//    router each route is registered on, which routers are mounted where (`app.use
//    ('/api/orders', ordersRouter)`, `fastify.register(plugin, { prefix })`, Hono
//    `app.route()`), and which middleware runs before each handler (`router.use(mw)`
//    for later routes, route-level middleware, Fastify hooks) — across files.
// The graph is built from the files that can register routes (a text test first).
// Each file's registrations are cached per parsed text, the composed graph while no
// file it read changes, and an edit inside one handler (typing, or a fix being
// verified) reuses the last graph with positions shifted: see `recentRoutes`.
// What a file's routes were read from goes to its dependencies (the graph as one
// shared fact, see `routeGraphChangedBy`; middleware and helpers resolved for it by
// path), so the Workspace re-analyzes it when one of those changes.
import { ts } from '../ts';
import type { ParsedFile, ProjectView } from '../types';
import type { HttpMethod, RouteFramework, RouteHandler } from './appModel';
import { AuthFacts, type MiddlewareFacts, expressionName } from './auth';
import type { DependencyRecorder } from './dependencies';
import { exportedFunctionName } from './flow';
import { hasUseServerDirective, packageName } from './imports';
import { AcrossEdits, contextToken } from './editContext';
import { type ImportedName, Module, type ModuleSource, ProjectModules, Resolver, type Target, findNodeAt, propertyNameText, withOverride } from './modules';
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
import { type Scopes, unwrap } from './scopes';
import { type TextChange, changedSpan, commonPrefixLength } from '../files/text';

/**
 * The routes whose handler function is in `file`, wherever they are registered. What
 * they were read from besides the file goes to `reads`: the route graph (shared by
 * every file it serves), and the modules resolved for this file alone.
 */
export function collectRoutes(file: ParsedFile, sourceFile: ts.SourceFile, project: ProjectView, scopes?: Scopes, reads?: DependencyRecorder): RouteHandler[] {
  const modules = ProjectModules.of(project);
  // This file as the workspace parsed it: its tree is used for this analysis only (the
  // workspace reparses buffers incrementally, rewriting old trees in place), and the
  // graph, which outlives it, holds positions rather than its nodes.
  const current = new AnalyzedModule(file.path, file.text, sourceFile, scopes);
  const base = withOverride(modules, current);
  const session = new AuthSession(current, base, reads);
  const { source, resolver, auth } = session;
  const found: RouteHandler[] = [...nextRoutes(current, resolver, auth, source, reads)];
  if (usesServerFramework(project, current)) {
    const routes = graphRoutes(modules, base, current);
    if (routes) {
      reads?.use('route-graph');
      for (const route of routes) {
        if (route.handler.path !== current.path) continue;
        const handler = handlerNode(route, sourceFile);
        if (handler) found.push(graphRoute(route, handler, session));
      }
    } else {
      // No route reaches this file: that holds until the graph changes and then reads it.
      reads?.absentFrom('route-graph');
    }
  }
  return found;
}

/** Per context token: the imported names of the file's top level, which an edit keeping the token cannot change (editContext.ts). */
const importedNamesKept = new WeakMap<object, ReadonlyMap<string, ImportedName>>();

/** The file being analyzed: a new module per version, its imported names kept across edits inside its functions. */
class AnalyzedModule extends Module {
  override get imports(): ReadonlyMap<string, ImportedName> {
    const token = contextToken(this.sourceFile);
    let names = importedNamesKept.get(token);
    if (!names) importedNamesKept.set(token, (names = super.imports));
    return names;
  }
}

/**
 * Auth facts for one analysis of a file, reading other files through a source that
 * records what was read (for the file's dependencies) and, while `capture` runs, what
 * one handler's facts read: in this file, the functions and values its names resolved
 * to; elsewhere, the texts of the files it read.
 */
class AuthSession {
  readonly source: ModuleSource;
  readonly resolver: Resolver;
  readonly auth: AuthFacts;
  private files?: Dependencies;
  private nodes?: ts.Node[];
  /** Lists of files read already judged by `stillReads` in this analysis. */
  private readonly checked = new Map<Dependencies, boolean>();

  constructor(
    readonly module: Module,
    base: ModuleSource,
    private readonly reads: DependencyRecorder | undefined,
  ) {
    this.source = trackingSource(base, (path, text) => {
      reads?.read(path);
      this.files?.set(path, text);
    });
    this.resolver = new ObservedResolver(this.source, (target) => {
      if (this.nodes && 'node' in target && target.module === module) this.nodes.push(target.node);
    });
    this.auth = new AuthFacts(this.resolver);
  }

  capture<T>(compute: () => T): { value: T; files: Dependencies; nodes: ts.Node[] } {
    const files: Dependencies = new Map();
    const nodes: ts.Node[] = [];
    this.files = files;
    this.nodes = nodes;
    try {
      const value = compute();
      return { value, files: interned(files), nodes };
    } finally {
      this.files = undefined;
      this.nodes = undefined;
    }
  }

  /**
   * Whether the files a kept fact read still have the texts it read; if so they count as
   * read again. Handlers read the same files (the imports around them), and captured
   * lists are interned, so each list is compared once per analysis, not once per handler.
   */
  stillReads(files: Dependencies): boolean {
    let holds = this.checked.get(files);
    if (holds === undefined) {
      holds = unchangedTexts(files, this.source, this.module.path);
      if (holds) for (const path of files.keys()) this.reads?.read(path);
      this.checked.set(files, holds);
    }
    return holds;
  }
}

/** Per captured list of files read (not holding the file analyzed): a project revision at which each still had the text read. */
const listsCheckedAt = new WeakMap<Dependencies, number>();

/**
 * Whether every file of `files` has the text it had when read, as `source` (the project
 * with `path`'s text overridden) sees it. A list without `path` holds project texts only,
 * so on a keystroke only the files changed since its last check are compared.
 */
function unchangedTexts(files: Dependencies, source: ModuleSource, path: string): boolean {
  const project = source.project;
  const since = files.has(path) ? undefined : listsCheckedAt.get(files);
  const changed = since !== undefined ? project.changedSince?.(since) : undefined;
  for (const candidate of changed ?? files.keys()) if (files.has(candidate) && source.text(candidate) !== files.get(candidate)) return false;
  if (project.revision !== undefined && !files.has(path)) listsCheckedAt.set(files, project.revision);
  return true;
}

/** Recently captured lists of files read, so equal lists are one object (see `stillReads`). */
const recentDependencies: Dependencies[] = [];
const RECENT_DEPENDENCIES = 8;

function interned(files: Dependencies): Dependencies {
  const same = recentDependencies.find((other) => other.size === files.size && [...files].every(([path, text]) => other.has(path) && other.get(path) === text));
  if (same) return same;
  recentDependencies.unshift(files);
  recentDependencies.length = Math.min(recentDependencies.length, RECENT_DEPENDENCIES);
  return files;
}

/** A resolver that reports every target it resolves an expression to. */
class ObservedResolver extends Resolver {
  constructor(
    source: ModuleSource,
    private readonly onTarget: (target: Target) => void,
  ) {
    super(source);
  }

  override expression(module: Module, expr: ts.Expression, depth = 0): Target | undefined {
    const target = super.expression(module, expr, depth);
    if (target) this.onTarget(target);
    return target;
  }
}

type HandlerAuth = ReturnType<AuthFacts['handlerAuth']>;

/** Per handler: the auth facts found for it, with the chain they were found behind and the files they read. */
const handlerAuthKept = new AcrossEdits<ts.FunctionLikeDeclaration, { chain: readonly MiddlewareFacts[]; files: Dependencies; fromAuth: HandlerAuth }>();

/**
 * `handlerAuth`, kept across edits of other functions in the file (editContext.ts):
 * typing in one handler re-reads that handler, not every route's.
 */
function keptHandlerAuth(session: AuthSession, handler: ts.FunctionLikeDeclaration, chain: readonly MiddlewareFacts[]): HandlerAuth {
  const kept = handlerAuthKept.get(handler);
  if (kept && sameChain(kept.chain, chain) && session.stillReads(kept.files)) return kept.fromAuth;
  const { value, files, nodes } = session.capture(() => session.auth.handlerAuth(session.module, handler, chain));
  handlerAuthKept.set(handler, { chain, files, fromAuth: value }, nodes);
  return value;
}

function sameChain(a: readonly MiddlewareFacts[], b: readonly MiddlewareFacts[]): boolean {
  return a.length === b.length && a.every((facts, index) => sameMiddleware(facts, b[index] as MiddlewareFacts));
}

function sameMiddleware(a: MiddlewareFacts, b: MiddlewareFacts): boolean {
  if (a === b) return true;
  return a.name === b.name && a.roleCheck === b.roleCheck && a.verifiesSignature === b.verifiesSignature && a.auth?.evidence === b.auth?.evidence && a.auth?.userId === b.auth?.userId;
}

/**
 * The route graph's routes as they stand with `current`'s text: a recent graph when
 * it still holds (typing inside a handler keeps every route), else the project's.
 * Undefined when the graph does not reach this file at all.
 */
function graphRoutes(modules: ProjectModules, source: ModuleSource, current: Module): readonly ComposedRoute[] | undefined {
  const recent = recentRoutes(modules, source, current);
  if (recent) return recent;
  const isCandidate = ROUTE_REGISTRATION_HINT.test(current.text);
  const graph = projectGraph(modules, current.path, isCandidate, { module: current, source });
  // A handler lives in a module the graph read; any other file has no route of its own.
  if (!isCandidate && !graph.deps.has(current.path)) return undefined;
  // The graph read the project's text of this file; a view where it differs composes its own.
  return modules.text(current.path) === current.text ? graph.routes : composeGraph(source, [current, ...candidateModules(modules, current)]).routes;
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

function nextRoutes(module: Module, resolver: Resolver, auth: AuthFacts, source: ModuleSource, reads: DependencyRecorder | undefined): RouteHandler[] {
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
  if (!module.text.includes('use server')) return routes;
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

// ---------------------------------------------------------------------------
// The Express / Fastify / Hono route graph
//
// Each module's registrations are collected once per parsed text, with every name
// they use already followed (routers, mounted plugins, handlers), and kept while the
// modules read on the way stay the same; middleware is classified the same way. So
// re-analyzing an edited file (or a fix being verified) re-collects that file only.

interface Item {
  module: Module;
  expr: ts.Expression;
}

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

interface ResolvedHandler {
  fn: ts.FunctionLikeDeclaration;
  module: Module;
  /** Wrappers around the handler (`withAuth(fn)`, `asyncHandler(fn)`), outermost first. */
  wrappers: Item[];
}

type Layer =
  /** `use(path?, ...)`: each entry is middleware, or a router mounted at the path. */
  | { kind: 'use'; path: string; entries: { item: Item; router?: RouterInfo }[] }
  /** Fastify `addHook('preHandler', fn)`: runs for every route of its plugin. */
  | { kind: 'hook'; items: Item[] }
  | { kind: 'route'; method: HttpMethod; path: string; items: Item[]; handler?: ResolvedHandler; literal?: TextSpan & { module: string } }
  /** Hono `route(path, app)`, Fastify `register(plugin, { prefix })`, `registerRoutes(app)`. */
  | { kind: 'mount'; path: string; router?: RouterInfo };

/** What one module registers. */
/** `deps`: modules read while collecting; the collection is stale once one of them changes. */
interface ModuleRoutes extends DependsOnModules {
  routers: Map<ts.Node, RouterInfo>;
  layers: { router: RouterInfo; layer: Layer }[];
}

interface TextSpan {
  start: number;
  end: number;
}

/** Where a handler function is: plain positions, so a graph outlives the trees it was read from. */
interface HandlerSpan {
  path: string;
  /** `getStart()` and `end` of the function. */
  start: number;
  end: number;
  /** Its block body, if it has one. */
  body?: { start: number; end: number };
}

/** A route as the graph keeps it: data only (no modules; a syntax node only past an edit, see `node`). */
interface ComposedRoute {
  framework: ServerFramework;
  method: HttpMethod;
  path: string;
  handler: HandlerSpan;
  partialChain: boolean;
  /** The middleware chain, then the handler's wrappers, classified. */
  chain: MiddlewareFacts[];
  /**
   * The string literal the route's own path is written as (`router.get('/orders', …)`),
   * in the module that registers it, with the prefix the mounts put before it; only
   * when the chain does not depend on the path (no `use('/admin', mw)` beside it), so
   * typing in the literal changes this route's path and nothing else.
   */
  pathLiteral?: TextSpan & { module: string; prefix: string };
  /**
   * The handler's node, on routes derived past an edit only (the file being edited, in
   * the few recent graphs), so the next edit finds it without a descent from the root.
   * A graph composed for a scan holds no trees.
   */
  node?: ts.FunctionLikeDeclaration;
}

interface RouteGraph extends DependsOnModules {
  routes: ComposedRoute[];
  /** `GraphCache.candidatesVersion` it was composed at (undefined: composed for one view only). */
  candidatesVersion?: number;
  /** The files it was composed from (those that may register routes). */
  candidates: ReadonlySet<string>;
  /** A project revision at which every file it read but `path` still had the text it read (see `othersUnchanged`). */
  othersCheckedAt?: { path: string; revision: number };
}

interface GraphCache {
  candidates?: Set<string>;
  /** Bumped whenever `candidates` changes: a graph composed from another set is stale. */
  candidatesVersion: number;
  /** The project revision `candidates` is current for. */
  candidatesAt?: number;
  graph?: RouteGraph;
}

/** Workspace path -> the text it had when read (undefined: no such file). */
type Dependencies = Map<string, string | undefined>;

/**
 * A graph's texts with one file's replaced: the graph derived past an edit of that
 * file. Copying the texts instead would cost a copy of every file the graph read
 * (hundreds of absent import targets) per keystroke.
 */
class TextsWith implements ReadonlyMap<string, string | undefined> {
  private readonly base: ReadonlyMap<string, string | undefined>;

  constructor(
    base: ReadonlyMap<string, string | undefined>,
    private readonly path: string,
    private readonly text: string,
  ) {
    // Derived from a graph derived past an edit of the same file: replace its text, do not stack.
    this.base = base instanceof TextsWith && base.path === path ? base.base : base;
  }

  get size(): number {
    return this.base.size + (this.base.has(this.path) ? 0 : 1);
  }

  get(path: string): string | undefined {
    return path === this.path ? this.text : this.base.get(path);
  }

  has(path: string): boolean {
    return path === this.path || this.base.has(path);
  }

  *entries(): MapIterator<[string, string | undefined]> {
    for (const [path, text] of this.base) if (path !== this.path) yield [path, text];
    yield [this.path, this.text];
  }

  *keys(): MapIterator<string> {
    for (const [path] of this.entries()) yield path;
  }

  *values(): MapIterator<string | undefined> {
    for (const [, text] of this.entries()) yield text;
  }

  [Symbol.iterator](): MapIterator<[string, string | undefined]> {
    return this.entries();
  }

  forEach(callback: (text: string | undefined, path: string, map: ReadonlyMap<string, string | undefined>) => void): void {
    for (const [path, text] of this.entries()) callback(text, path, this);
  }
}

const graphCaches = new WeakMap<ProjectModules, GraphCache>();
/** Up to two collections per module: one per context a fix verification alternates between. */
const moduleRoutesCache = new WeakMap<Module, ModuleRoutes[]>();
const middlewareKept = new AcrossEdits<ts.Expression, DependsOnModules & { facts: MiddlewareFacts }>();

/** Something computed from other modules, with the texts of those it read. */
interface DependsOnModules {
  deps: ReadonlyMap<string, string | undefined>;
  /** The project revision at which `deps` were last found current. */
  checkedAt?: number;
}

/**
 * Whether every file `checked` read still has the text it read. While the project's
 * text revision is the one of the last check nothing can have changed, so a scan
 * that asks once per file does not re-read every dependency each time.
 */
function isCurrent(checked: DependsOnModules, source: ModuleSource): boolean {
  // Only the project's own view: an override (a file's unsaved or proposed text) differs from it.
  const revision = source instanceof ProjectModules ? source.project.revision : undefined;
  if (revision !== undefined && checked.checkedAt === revision) return true;
  for (const [path, text] of checked.deps) if (source.text(path) !== text) return false;
  checked.checkedAt = revision;
  return true;
}

/**
 * The project's graph, recomposed when a file it read has changed. `current` (with
 * `source`, the view where it stands for its own path) is the file being analyzed:
 * its tree is already parsed, so an edit recomposes without parsing it again.
 */
function projectGraph(modules: ProjectModules, path: string, isCandidate: boolean, current?: { module: Module; source: ModuleSource }): RouteGraph {
  const cache = graphCache(modules);
  const candidates = currentCandidates(modules, cache);
  // The file being analyzed keeps its own membership current (its text may not be the project's yet).
  if (isCandidate !== candidates.has(path)) {
    if (isCandidate) candidates.add(path);
    else candidates.delete(path);
    cache.graph = undefined;
    cache.candidatesVersion++;
  }
  if (cache.graph && isCurrent(cache.graph, modules)) return cache.graph;
  const own = current && modules.text(path) === current.module.text ? current : undefined;
  const roots = [...candidates].flatMap((candidate) => (own && candidate === path ? [own.module] : (modules.module(candidate) ?? [])));
  cache.graph = { ...composeGraph(own ? own.source : modules, roots, new Set(candidates)), candidatesVersion: cache.candidatesVersion };
  rememberGraph(modules.project.root, cache.graph);
  return cache.graph;
}

/**
 * Recent graphs per root, most recently used first: the graph of the text being edited
 * stays at hand while the fixes proposed on it (each a small edit of it) are verified.
 */
const recentGraphs = new Map<string, RouteGraph[]>();
const RECENT_GRAPHS = 4;

function rememberGraph(root: string, graph: RouteGraph): void {
  let graphs = recentGraphs.get(root);
  if (!graphs) {
    if (recentGraphs.size >= 8) recentGraphs.delete(recentGraphs.keys().next().value as string);
    recentGraphs.set(root, (graphs = []));
  }
  const index = graphs.indexOf(graph);
  if (index !== -1) graphs.splice(index, 1);
  graphs.unshift(graph);
  graphs.length = Math.min(graphs.length, RECENT_GRAPHS);
}

/**
 * The current file's routes from a recent graph, as it is or derived past an edit
 * inside one handler; a derived graph is remembered for the next edit.
 */
function recentRoutes(modules: ProjectModules, source: ModuleSource, current: Module): ComposedRoute[] | undefined {
  const root = modules.project.root;
  // A file that started (or stopped) registering routes makes every recent graph stale.
  const cache = graphCache(modules);
  currentCandidates(modules, cache);
  for (const graph of recentGraphs.get(root) ?? []) {
    if (graph.candidatesVersion !== cache.candidatesVersion) continue;
    const routes = derivedRoutes(graph, modules, source, current);
    if (!routes) continue;
    if (graph.deps.get(current.path) === current.text) {
      rememberGraph(root, graph);
    } else {
      const deps = new TextsWith(graph.deps, current.path, current.text);
      // Routes registered here with handlers elsewhere keep their paths but not their (unshifted) literal positions.
      const others = graph.routes.filter((route) => route.handler.path !== current.path).map((route) => (route.pathLiteral?.module === current.path ? { ...route, pathLiteral: undefined } : route));
      rememberGraph(root, { routes: [...others, ...routes], deps, candidates: graph.candidates, candidatesVersion: graph.candidatesVersion, othersCheckedAt: graph.othersCheckedAt });
      rememberGraph(root, graph); // the base stays first: the next fix is made on the same text
    }
    return routes;
  }
  return undefined;
}

/**
 * An edit confined to one handler's body (typing in it, or a fix being verified)
 * cannot change which routes exist, their paths or their middleware: the edited
 * file's routes are the last graph's, with positions shifted past the edit.
 */
function derivedRoutes(graph: RouteGraph, modules: ProjectModules, source: ModuleSource, current: Module): ComposedRoute[] | undefined {
  if (!graph.deps.has(current.path)) return undefined;
  const previous = graph.deps.get(current.path);
  if (previous === undefined) return undefined;
  if (ROUTE_REGISTRATION_HINT.test(current.text) !== graph.candidates.has(current.path)) return undefined;
  // The project's own text: the O(1) check of the whole graph applies.
  if (previous === current.text && modules.text(current.path) === current.text && isCurrent(graph, modules)) return graph.routes;
  if (!othersUnchanged(graph, modules, current.path)) return undefined;
  // Another view of the same files (a fix verification's overlay): the graph holds as it is.
  if (previous === current.text) return graph.routes;
  const change = changedSpan(previous, current.text);
  const own = graph.routes.filter((route) => route.handler.path === current.path);
  // Typing in a route's path literal renames that route (its handler must be here: another file's routes would change).
  const renamed = graph.routes.filter((route) => route.pathLiteral?.module === current.path && insideLiteral(route.pathLiteral, change.start, change.oldEnd));
  if (renamed.some((route) => route.handler.path !== current.path)) return undefined;
  if (renamed.length === 0 && !own.some((route) => changeInBody(route, change))) return undefined;
  const shift = (offset: number): number => (offset <= change.start ? offset : offset + change.delta);
  const derived: ComposedRoute[] = [];
  for (const route of own) {
    // A handler the edit did not reach is the same node, positions shifted; the edited one is looked up.
    const untouched = change.oldEnd <= route.handler.start || change.start >= route.handler.end;
    const kept = untouched ? route.node : undefined;
    const ownLiteral = route.pathLiteral?.module === current.path ? route.pathLiteral : undefined;
    if (kept && route.handler.end <= change.start && (!ownLiteral || ownLiteral.end <= change.start) && kept.end === route.handler.end && isInTree(kept, current.sourceFile)) {
      derived.push(route); // before the edit: nothing about it moved
      continue;
    }
    const { body } = route.handler;
    const handler: HandlerSpan = { path: current.path, start: shift(route.handler.start), end: shift(route.handler.end), body: body && { start: shift(body.start), end: shift(body.end) } };
    const node = kept && kept.end === handler.end && isInTree(kept, current.sourceFile) ? kept : findNodeAt(current.sourceFile, handler.start, handler.end, isFunctionLikeDeclaration);
    if (!node) return undefined;
    let { path, pathLiteral } = route;
    if (pathLiteral?.module === current.path) {
      pathLiteral = { module: pathLiteral.module, prefix: pathLiteral.prefix, start: shift(pathLiteral.start), end: shift(pathLiteral.end) };
      if (renamed.includes(route)) {
        const literal = findNodeAt(current.sourceFile, pathLiteral.start, pathLiteral.end, ts.isStringLiteral);
        if (!literal) return undefined;
        path = joinPaths(pathLiteral.prefix, literal.text);
      }
    }
    // Written out rather than spread: one shape for every route, built ~hundreds of times per keystroke.
    derived.push({ framework: route.framework, method: route.method, path, handler, partialChain: route.partialChain, chain: route.chain, pathLiteral, node });
  }
  return derived;
}

/**
 * Whether every file `graph` read, `path` aside, still has the text it read in the
 * project (`path` is the file being analyzed, whose text the caller compares itself).
 * A graph reads every file its imports could have named (hundreds of absent paths in
 * a large router), so on a keystroke only the files changed since the last such check
 * are compared, when the project can say which.
 */
function othersUnchanged(graph: RouteGraph, modules: ProjectModules, path: string): boolean {
  const revision = modules.project.revision;
  const since = graph.othersCheckedAt?.path === path ? graph.othersCheckedAt.revision : undefined;
  const changed = since !== undefined ? modules.project.changedSince?.(since) : undefined;
  const candidates = changed ?? graph.deps.keys();
  for (const candidate of candidates) if (candidate !== path && graph.deps.has(candidate) && modules.text(candidate) !== graph.deps.get(candidate)) return false;
  if (revision !== undefined) graph.othersCheckedAt = { path, revision };
  return true;
}

/** A route's handler in `sourceFile`, the file it is defined in. */
function handlerNode(route: ComposedRoute, sourceFile: ts.SourceFile): ts.FunctionLikeDeclaration | undefined {
  const kept = route.node;
  if (kept && kept.end === route.handler.end && isInTree(kept, sourceFile)) return kept;
  return findNodeAt(sourceFile, route.handler.start, route.handler.end, isFunctionLikeDeclaration);
}

/** Whether `node` hangs from `root`: a node an edit replaced still hangs from the old tree. */
function isInTree(node: ts.Node, root: ts.SourceFile): boolean {
  let current = node;
  while (current.parent) current = current.parent;
  return current === root;
}

/** Whether an edit of [start, oldEnd) lies between a string literal's quotes. */
function insideLiteral(literal: TextSpan, start: number, oldEnd: number): boolean {
  return literal.start < start && oldEnd <= literal.end - 1;
}

/** Whether `change` lies inside the braces of the route's handler body. */
function changeInBody(route: ComposedRoute, change: TextChange): boolean {
  const body = route.handler.body;
  return body !== undefined && body.start < change.start && change.oldEnd < body.end;
}


/**
 * Whether an edit can change any route's path, middleware or handler: an edit of a
 * file the latest graph read, unless it stays inside one handler's body (typing in
 * a handler), or a file that starts looking like it registers routes. (The graph is
 * recomposed lazily; by then every edit since the last one was judged here.)
 */
export function routeGraphChangedBy(project: ProjectView, path: string, before: string | undefined, after: string | undefined, tree: ts.SourceFile | undefined): boolean {
  const modules = ProjectModules.of(project);
  const graph = graphCaches.get(modules)?.graph;
  if (!graph) return true;
  const registers = (text: string | undefined): boolean => text !== undefined && isCandidatePath(path) && ROUTE_REGISTRATION_HINT.test(text);
  if (!graph.deps.has(path)) return registers(after) && !registers(before);
  if (before === undefined || after === undefined || !tree || registers(before) !== registers(after)) return true;
  return !editInsideHandler(modules.project.root, path, before, after, tree);
}

/**
 * Whether `before` -> `after` is an edit inside one route handler's body, judged by a
 * recent graph that read `path` at `before` and by `tree` (the parse of `after`): the
 * handler must still be there, the edit shifted past it only.
 */
function editInsideHandler(root: string, path: string, before: string, after: string, tree: ts.SourceFile): boolean {
  for (const graph of recentGraphs.get(root) ?? []) {
    if (graph.deps.get(path) !== before) continue;
    // Runs on every keystroke: the texts are compared natively, not a character at a time.
    const start = commonPrefixLength(before, after);
    const delta = after.length - before.length;
    const route = graph.routes.find((candidate) => {
      const body = candidate.handler.path === path ? candidate.handler.body : undefined;
      return body !== undefined && body.start < start && start < body.end && body.end - 1 + delta >= start && before.endsWith(after.slice(body.end - 1 + delta));
    });
    if (!route) return editInsidePathLiteral(graph, path, before, after, tree, start, delta);
    const shift = (offset: number): number => (offset <= start ? offset : offset + delta);
    const handler = findNodeAt(tree, shift(route.handler.start), shift(route.handler.end), isFunctionLikeDeclaration);
    return handler?.body !== undefined && ts.isBlock(handler.body);
  }
  return false;
}

/**
 * Whether the edit stays inside the path literal of routes whose handlers are all in
 * `path`: only this file's routes are renamed, which its own re-analysis shows.
 */
function editInsidePathLiteral(graph: RouteGraph, path: string, before: string, after: string, tree: ts.SourceFile, start: number, delta: number): boolean {
  const renamed = graph.routes.filter((candidate) => {
    const literal = candidate.pathLiteral;
    return literal?.module === path && literal.start < start && literal.end - 1 + delta >= start && before.endsWith(after.slice(literal.end - 1 + delta));
  });
  const literal = renamed[0]?.pathLiteral;
  if (!literal || renamed.some((route) => route.handler.path !== path)) return false;
  return findNodeAt(tree, literal.start, literal.end + delta, ts.isStringLiteral) !== undefined;
}


/** Whether no route of the project, as it is now, reaches `path` (a file that is no route candidate itself). */
export function isAbsentFromRouteGraph(project: ProjectView, path: string): boolean {
  const text = project.readFile(path);
  if (text === undefined || ROUTE_REGISTRATION_HINT.test(text)) return false;
  return !projectGraph(ProjectModules.of(project), path, false).deps.has(path);
}



function candidateModules(modules: ProjectModules, current: Module): Module[] {
  const candidates = currentCandidates(modules, graphCache(modules));
  return [...candidates].filter((path) => path !== current.path).flatMap((path) => modules.module(path) ?? []);
}

function graphCache(modules: ProjectModules): GraphCache {
  let cache = graphCaches.get(modules);
  if (!cache) graphCaches.set(modules, (cache = { candidatesVersion: 0 }));
  return cache;
}

/**
 * The files that may register routes, as the project's texts are now: re-tested for
 * the files changed since the last look (a file that starts registering routes joins
 * the graph whichever file is analyzed next), the whole project scanned only when the
 * view cannot say what changed.
 */
function currentCandidates(modules: ProjectModules, cache: GraphCache): Set<string> {
  const project = modules.project;
  const revision = project.revision;
  if (cache.candidates && (revision === undefined || cache.candidatesAt === revision)) return cache.candidates;
  const changed = cache.candidates && cache.candidatesAt !== undefined ? project.changedSince?.(cache.candidatesAt) : undefined;
  if (cache.candidates && changed) {
    for (const path of changed) {
      const text = isCandidatePath(path) ? project.readFile(path) : undefined;
      const candidate = text !== undefined && ROUTE_REGISTRATION_HINT.test(text) && (cache.candidates.has(path) || cache.candidates.size < MAX_ROUTE_GRAPH_FILES);
      if (candidate === cache.candidates.has(path)) continue;
      if (candidate) cache.candidates.add(path);
      else cache.candidates.delete(path);
      cache.graph = undefined;
      cache.candidatesVersion++;
    }
  } else {
    const scanned = scanCandidates(modules);
    if (cache.candidates && (scanned.size !== cache.candidates.size || [...scanned].some((path) => !cache.candidates?.has(path)))) {
      cache.graph = undefined;
      cache.candidatesVersion++;
    }
    cache.candidates = scanned;
  }
  cache.candidatesAt = revision;
  return cache.candidates;
}

function isCandidatePath(path: string): boolean {
  return /\.(?:[cm]?[jt]s|[jt]sx)$/.test(path) && !path.endsWith('.d.ts');
}

/** Per root and path: whether a text may register routes (views of one root share the answers). */
const candidateTexts = new Map<string, Map<string, { text: string; candidate: boolean }>>();

function scanCandidates(modules: ProjectModules): Set<string> {
  const project = modules.project;
  let known = candidateTexts.get(project.root);
  if (!known) {
    if (candidateTexts.size >= 8) candidateTexts.delete(candidateTexts.keys().next().value as string);
    candidateTexts.set(project.root, (known = new Map()));
  }
  const candidates = new Set<string>();
  for (const path of project.listFiles()) {
    if (candidates.size >= MAX_ROUTE_GRAPH_FILES) break;
    if (!isCandidatePath(path)) continue;
    const text = project.readFile(path);
    if (text === undefined) continue;
    let entry = known.get(path);
    if (!entry || entry.text !== text) known.set(path, (entry = { text, candidate: ROUTE_REGISTRATION_HINT.test(text) }));
    if (entry.candidate) candidates.add(path);
  }
  return candidates;
}

/**
 * A module source that tells `onRead` of every module asked of it, with the text it
 * has, and of the files an unresolved import would have named (as absent): creating
 * one of them changes what was concluded from its absence.
 */
function trackingSource(base: ModuleSource, onRead: (path: string, text: string | undefined) => void): ModuleSource {
  // Each import is resolved once per call site; what it would have named is told again on every ask
  // (a handler's facts, kept across edits, remember the files they read; see AuthSession).
  const resolutions = new Map<string, { path: string | undefined; absent: readonly string[] }>();
  return {
    project: base.project,
    module: (path) => {
      onRead(path, base.text(path));
      return base.module(path);
    },
    text: (path) => base.text(path),
    peek: (path) => {
      const text = base.peek(path);
      onRead(path, text);
      return text;
    },
    resolveSpecifier: (from, specifier) => {
      const key = `${from}\0${specifier}`;
      let resolution = resolutions.get(key);
      if (!resolution) {
        const path = base.resolveSpecifier(from, specifier);
        resolutions.set(key, (resolution = { path, absent: path === undefined ? base.wouldResolveTo(from, specifier) : [] }));
      }
      for (const path of resolution.absent) onRead(path, undefined);
      return resolution.path;
    },
    wouldResolveTo: (from, specifier) => base.wouldResolveTo(from, specifier),
  };
}

function routesOfModule(module: Module, source: ModuleSource): ModuleRoutes {
  const cached = moduleRoutesCache.get(module) ?? [];
  const current = cached.find((entry) => isCurrent(entry, source));
  if (current) {
    if (cached[0] !== current) moduleRoutesCache.set(module, [current, ...cached.filter((entry) => entry !== current)]);
    return current;
  }
  const deps: Dependencies = new Map();
  const tracked = trackingSource(source, (path, read) => deps.set(path, read));
  const collected = new ModuleCollector(module, new Resolver(tracked), source.project).collect();
  const result: ModuleRoutes = { ...collected, deps };
  moduleRoutesCache.set(module, [result, ...cached].slice(0, 2));
  return result;
}

/**
 * What a chain item does (authenticates, checks a role, verifies a signature), with the
 * files that told. Kept by the item's node across edits of its file while what it
 * resolved to there is unchanged (editContext.ts): an edit elsewhere leaves the node
 * as it was, but the middleware function it names may be the one edited, or the
 * import it names renamed.
 */
function classifyMiddleware(item: Item, source: ModuleSource): DependsOnModules & { facts: MiddlewareFacts } {
  const cached = middlewareKept.get(item.expr);
  if (cached && isCurrent(cached, source)) return cached;
  const deps: Dependencies = new Map();
  const nodes: ts.Node[] = [];
  const tracked = trackingSource(source, (path, text) => deps.set(path, text));
  const resolver = new ObservedResolver(tracked, (target) => {
    if ('node' in target && target.module === item.module) nodes.push(target.node);
  });
  const classified = { facts: new AuthFacts(resolver).middleware(item.module, item.expr), deps };
  middlewareKept.set(item.expr, classified, nodes);
  return classified;
}

/** Collects the modules reachable from `roots` through mounts and composes every route's full path and chain. */
function composeGraph(source: ModuleSource, roots: readonly Module[], candidates: ReadonlySet<string> = new Set()): RouteGraph {
  const collected = new Map<Module, ModuleRoutes>();
  const queue = [...roots];
  for (let module = queue.pop(); module; module = queue.pop()) {
    if (collected.has(module)) continue;
    const routes = routesOfModule(module, source);
    collected.set(module, routes);
    for (const { layer } of routes.layers) {
      if (layer.kind === 'mount' && layer.router) queue.push(layer.router.module);
      if (layer.kind === 'use') for (const entry of layer.entries) if (entry.router) queue.push(entry.router.module);
    }
  }

  const deps: Dependencies = new Map();
  const routers = new Map<ts.Node, RouterInfo>();
  const layersByRouter = new Map<ts.Node, Layer[]>();
  const mounted = new Set<ts.Node>();
  for (const [module, routes] of collected) {
    deps.set(module.path, module.text);
    for (const [path, text] of routes.deps) deps.set(path, text);
    for (const [key, info] of routes.routers) if (!routers.has(key)) routers.set(key, info);
    for (const { router, layer } of routes.layers) {
      const list = layersByRouter.get(router.key);
      if (list) list.push(layer);
      else layersByRouter.set(router.key, [layer]);
      if (layer.kind === 'mount' && layer.router) mounted.add(layer.router.key);
      if (layer.kind === 'use') for (const entry of layer.entries) if (entry.router) mounted.add(entry.router.key);
    }
  }

  const routes: ComposedRoute[] = [];
  const visit = (router: RouterInfo, prefix: string, inherited: Item[], partial: boolean, seen: ReadonlySet<ts.Node>): void => {
    if (seen.has(router.key) || seen.size > 32) return;
    const nextSeen = new Set(seen).add(router.key);
    const layers = layersByRouter.get(router.key) ?? [];
    // Fastify hooks apply to every route of their plugin, wherever they are added.
    const hooks = layers.flatMap((layer) => (layer.kind === 'hook' ? layer.items : []));
    const active: { scope: string; items: Item[] }[] = [];
    const applicable = (path: string): Item[] => active.filter((entry) => isUnder(path, entry.scope)).flatMap((entry) => entry.items);
    for (const layer of layers) {
      if (layer.kind === 'use') {
        const scope = joinPaths(prefix, layer.path);
        const before: Item[] = [];
        for (const entry of layer.entries) {
          if (entry.router) visit(entry.router, scope, [...inherited, ...hooks, ...applicable(scope), ...before], partial, nextSeen);
          else before.push(entry.item);
        }
        if (before.length > 0) active.push({ scope, items: before });
      } else if (layer.kind === 'mount') {
        const scope = joinPaths(prefix, layer.path);
        if (layer.router) visit(layer.router, scope, [...inherited, ...hooks, ...applicable(scope)], partial, nextSeen);
      } else if (layer.kind === 'route' && layer.handler) {
        const path = joinPaths(prefix, layer.path);
        const chain = [...inherited, ...hooks, ...applicable(path), ...layer.items, ...layer.handler.wrappers].map((item) => {
          const classified = classifyMiddleware(item, source);
          for (const [dependency, text] of classified.deps) deps.set(dependency, text);
          return classified.facts;
        });
        const pathSensitive = active.some((entry) => normalizedScope(entry.scope) !== normalizedScope(prefix));
        const pathLiteral = layer.literal && !pathSensitive ? { ...layer.literal, prefix } : undefined;
        routes.push({ framework: router.framework, method: layer.method, path, handler: handlerSpan(layer.handler), partialChain: partial, chain, pathLiteral });
      }
    }
  };
  for (const router of routers.values()) {
    if (mounted.has(router.key)) continue;
    // A router nobody visibly mounts: an exported Router() is mounted somewhere we cannot see.
    visit(router, '', [], !router.application && router.exported, new Set());
  }
  return { routes, deps, candidates };
}

function handlerSpan(handler: ResolvedHandler): HandlerSpan {
  const { fn, module } = handler;
  const body = fn.body && ts.isBlock(fn.body) ? { start: fn.body.getStart(module.sourceFile), end: fn.body.end } : undefined;
  return { path: module.path, start: fn.getStart(module.sourceFile), end: fn.end, body };
}

/** `export { x } from './x'`, `export * from`, `module.exports = require(…)`: a module passing on another's values. */
const RE_EXPORT = /\bexport\s*(?:\*|\{[^}]*\}|type\s*\{[^}]*\})\s*(?:as\s+\w+\s*)?from\b|\bexports\b[^;\n]*\brequire\s*\(/;

/** The methods `collectRouterCall` reads: HTTP verbs, `use`, Hono/Fastify `route`, Fastify `register` and `addHook`. */
const ROUTER_CALL_METHODS: ReadonlySet<string> = new Set([...Object.keys(ROUTE_METHODS), 'use', 'route', 'register', 'addHook']);

/** Reads one module's route registrations. */
class ModuleCollector {
  private readonly routers = new Map<ts.Node, RouterInfo>();
  private readonly layers: { router: RouterInfo; layer: Layer }[] = [];

  constructor(
    private readonly module: Module,
    private readonly resolver: Resolver,
    private readonly project: ProjectView,
  ) {}

  collect(): { routers: Map<ts.Node, RouterInfo>; layers: { router: RouterInfo; layer: Layer }[] } {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) this.collectCall(node);
      ts.forEachChild(node, visit);
    };
    visit(this.module.sourceFile);
    return { routers: this.routers, layers: this.layers };
  }

  private item(expr: ts.Expression): Item {
    return { module: this.module, expr };
  }

  private add(router: RouterInfo, layer: Layer): void {
    this.layers.push({ router, layer });
  }

  private route(router: RouterInfo, method: HttpMethod, path: string, items: readonly ts.Expression[], handler: ts.Expression, pathArgument?: ts.Expression): void {
    const literal = pathArgument && ts.isStringLiteral(pathArgument) ? { start: pathArgument.getStart(this.module.sourceFile), end: pathArgument.end, module: this.module.path } : undefined;
    this.add(router, { kind: 'route', method, path, items: items.map((expr) => this.item(expr)), handler: this.handler(handler), literal });
  }

  private handler(expr: ts.Expression): ResolvedHandler | undefined {
    const unwrapped = unwrapHandler(this.module, expr, this.resolver);
    return unwrapped && { fn: unwrapped.fn, module: unwrapped.module, wrappers: unwrapped.wrappers.map((wrapper) => this.item(wrapper)) };
  }

  private collectCall(call: ts.CallExpression): void {
    const callee = unwrap(call.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const httpMethod = ROUTE_METHODS[method];
      // Express: router.route('/orders/:id').get(h).delete(h)
      const chained = httpMethod ? this.routeChain(callee.expression) : undefined;
      if (chained && httpMethod) {
        const args = flattenItems(call.arguments);
        const handler = args.pop();
        if (handler) this.route(chained.router, httpMethod, chained.path, args, handler);
        return;
      }
      // Only a method a router registers with needs its receiver resolved (most calls are `res.json()`, `db.find()`).
      const router = ROUTER_CALL_METHODS.has(method) && this.mayNameRouter(callee.expression) ? this.routerOf(this.module, callee.expression) : undefined;
      if (router) {
        this.collectRouterCall(router, method, call);
        return;
      }
    }
    // registerRoutes(app), require('./routes')(app): the function receives the router
    call.arguments.forEach((arg, index) => {
      if (!this.mayNameRouter(arg)) return;
      const router = this.routerOf(this.module, arg);
      if (router) this.add(router, { kind: 'mount', path: '', router: this.mountTarget(call.expression, index, router) });
    });
  }

  private collectRouterCall(router: RouterInfo, method: string, call: ts.CallExpression): void {
    const args = [...call.arguments];
    const httpMethod = ROUTE_METHODS[method];
    if (httpMethod && args.length >= 2) {
      const path = stringValue(this.module, args[0]);
      if (path === undefined) return;
      if (router.framework === 'fastify') {
        const second = args[1] ? unwrap(args[1]) : undefined;
        const options = second && ts.isObjectLiteralExpression(second) ? second : undefined;
        const handler = args.length >= 3 ? args[args.length - 1] : options ? propertyValue(options, 'handler') : args[1];
        if (handler) this.route(router, httpMethod, path, options ? fastifyHooks(options) : [], handler);
        return;
      }
      const rest = flattenItems(args.slice(1));
      const handler = rest.pop();
      if (handler) this.route(router, httpMethod, path, rest, handler, args[0]);
      return;
    }
    if (method === 'use') {
      const first = args[0];
      const path = first ? stringValue(this.module, first) : undefined;
      const items = flattenItems(path === undefined ? args : args.slice(1));
      this.add(router, { kind: 'use', path: path ?? '', entries: items.map((expr) => ({ item: this.item(expr), router: this.routerOf(this.module, expr) })) });
      return;
    }
    if (method === 'route' && args.length === 2 && router.framework === 'hono') {
      const path = stringValue(this.module, args[0]);
      const target = args[1];
      if (path !== undefined && target) this.add(router, { kind: 'mount', path, router: this.mountTarget(target, undefined, router) });
      return;
    }
    if (method === 'route' && args.length === 1 && router.framework === 'fastify') {
      const options = unwrap(args[0] as ts.Expression);
      if (!ts.isObjectLiteralExpression(options)) return;
      const url = propertyValue(options, 'url') ?? propertyValue(options, 'path');
      const path = url ? stringValue(this.module, url) : undefined;
      const handler = propertyValue(options, 'handler');
      const methodValue = propertyValue(options, 'method');
      if (path === undefined || !handler || !methodValue) return;
      for (const name of stringsOf(this.module, methodValue)) {
        const routeMethod = ROUTE_METHODS[name.toLowerCase()];
        if (routeMethod) this.route(router, routeMethod, path, fastifyHooks(options), handler);
      }
      return;
    }
    if (method === 'register' && args[0]) {
      const options = args[1] ? unwrap(args[1]) : undefined;
      const prefix = options && ts.isObjectLiteralExpression(options) ? propertyValue(options, 'prefix') : undefined;
      this.add(router, { kind: 'mount', path: prefix ? (stringValue(this.module, prefix) ?? '') : '', router: this.mountTarget(args[0], 0, router) });
      return;
    }
    if (method === 'addHook' && args.length >= 2) {
      const hook = stringValue(this.module, args[0]);
      const fn = args[1];
      if (hook && FASTIFY_PRE_HANDLER_HOOKS.includes(hook) && fn) this.add(router, { kind: 'hook', items: [this.item(fn)] });
    }
  }

  /**
   * Whether a receiver or argument can be a router, judged before resolving it: one imported
   * from a project module is made there (which names a router factory) or re-exported
   * there. Most are services, caches and configs (`orderService.get(id)`), which resolving would
   * parse only to find nothing. The text looked at is recorded like a parsed module.
   */
  private mayNameRouter(arg: ts.Expression): boolean {
    const inner = unwrap(arg);
    let root: ts.Expression = inner;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root)) return true;
    const bindings = this.module.scopes.resolveAll(root);
    if (bindings.some((binding) => binding.kind !== 'import')) return true; // local: resolving stays in this file
    const imported = this.module.imports.get(root.text);
    const source = this.resolver.source;
    const path = imported ? source.resolveSpecifier(this.module.path, imported.specifier) : undefined;
    if (!path) return true; // a package, or not an import at all
    const text = source.peek(path);
    return text === undefined || ROUTE_REGISTRATION_HINT.test(text) || RE_EXPORT.test(text);
  }

  /** `router.route('/x')` (Express), possibly followed by `.get(h).post(h)`: the router and the path. */
  private routeChain(expr: ts.Expression): { router: RouterInfo; path: string } | undefined {
    let current = unwrap(expr);
    for (let depth = 0; depth < 10 && ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression); depth++) {
      const name = current.expression.name.text;
      if (name === 'route' && current.arguments.length === 1) {
        const router = this.routerOf(this.module, current.expression.expression);
        const path = current.arguments[0] ? stringValue(this.module, current.arguments[0]) : undefined;
        return router && router.framework === 'express' && path !== undefined ? { router, path } : undefined;
      }
      if (!ROUTE_METHODS[name]) return undefined;
      current = unwrap(current.expression.expression);
    }
    return undefined;
  }

  /** The app or router an expression refers to, if it is one. */
  private routerOf(module: Module, expr: ts.Expression): RouterInfo | undefined {
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
    const factory = matchFactory(module, current, this.project);
    if (!factory) return undefined;
    const info: RouterInfo = { key: current, module, framework: factory.framework, application: factory.application, exported: isExported(module, declaration, current) };
    this.routers.set(current, info);
    return info;
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
    const looksLikeHandler = fn.parameters.length >= 2 && fn.parameters.some((other) => ts.isIdentifier(other.name) && /^(res|reply|next|response)$/.test(other.name.text));
    if (!force && !byType && looksLikeHandler) return undefined;
    const framework = force ?? byType ?? frameworkOfModule(module, parameter.name.text, this.project);
    const info: RouterInfo = { key: parameter, module, framework, application: false, exported: true };
    this.routers.set(parameter, info);
    return info;
  }

  /** The router a mount target stands for: a router value, or the parameter of a plugin / registration function. */
  private mountTarget(target: ts.Expression, parameterIndex: number | undefined, parent: RouterInfo): RouterInfo | undefined {
    const direct = this.routerOf(this.module, target);
    if (direct) return direct;
    let resolved = this.resolver.expression(this.module, target);
    // fastify-plugin: fp(async (fastify) => …)
    for (let depth = 0; depth < 3 && resolved?.kind === 'value' && ts.isCallExpression(resolved.node); depth++) {
      const call = resolved.node;
      const wrapped = call.arguments[0];
      if (!PLUGIN_WRAPPERS.has(expressionName(call.expression)) || !wrapped) return undefined;
      resolved = this.resolver.expression(resolved.module, wrapped);
    }
    if (resolved?.kind !== 'function') return undefined;
    const parameter = resolved.node.parameters[parameterIndex ?? 0];
    return parameter ? this.parameterRouter(resolved.module, parameter, parent.framework) : undefined;
  }
}

function matchFactory(module: Module, call: ts.CallExpression | ts.NewExpression, project: ProjectView): (typeof ROUTER_FACTORIES)[number] | undefined {
  const name = expressionName(call.expression);
  const root = name.split('.')[0] ?? '';
  const imported = module.imports.get(root);
  const pkg = imported ? packageName(imported.specifier) : undefined;
  return ROUTER_FACTORIES.find(
    (factory) =>
      (factory.callees.includes(name) || (imported !== undefined && imported.name !== 'default' && factory.callees.includes(imported.name))) &&
      (pkg !== undefined ? factory.packages.includes(pkg) : factory.packages.some((candidate) => project.dependencies.has(candidate))),
  );
}

function graphRoute(route: ComposedRoute, handler: ts.FunctionLikeDeclaration, session: AuthSession): RouteHandler {
  const facts = route.chain;
  const auth = session.auth;
  const fromAuth = keptHandlerAuth(session, handler, facts);
  return {
    framework: route.framework,
    method: route.method,
    path: route.path || '/',
    middlewares: facts.map((middleware) => middleware.name),
    handler,
    auth: fromAuth.auth,
    authenticatedBy: fromAuth.authenticatedBy,
    verifiesSignature: facts.find((middleware) => middleware.verifiesSignature)?.verifiesSignature ?? auth.signatureCheck(handler),
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

/** `/api/*`, `/api/` -> `/api`: a `use` scope as `isUnder` compares it. */
function normalizedScope(scope: string): string {
  return scope.replace(/\/?\*$/, '').replace(/\/+$/, '');
}

/** Whether `use(scope, mw)` applies to a route at `path` (Express prefixes, Hono `/api/*`). */
function isUnder(path: string, scope: string): boolean {
  const normalized = normalizedScope(scope);
  if (normalized === '') return true;
  const scopeParts = normalized.split('/');
  const pathParts = path.replace(/\/+$/, '').split('/');
  if (pathParts.length < scopeParts.length) return false;
  return scopeParts.every((part, index) => part === pathParts[index] || part.startsWith(':') || part === '*' || (pathParts[index] ?? '').startsWith(':'));
}

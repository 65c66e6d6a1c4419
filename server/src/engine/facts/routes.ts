// Routes and their handlers, per framework:
//  - Next.js app router (`app/**/route.ts` exports), pages router (`pages/api/**`
//    default export) and server actions (`'use server'`), read from the file itself,
//    plus the project's `middleware.ts` when its matcher covers the path (nextRoutes.ts);
//  - Express, Fastify and Hono, read as a project-wide route graph: which app or
//    router each route is registered on, which routers are mounted where (`app.use
//    ('/api/orders', ordersRouter)`, `fastify.register(plugin, { prefix })`, Hono
//    `app.route()`), and which middleware runs before each handler (`router.use(mw)`
//    for later routes, route-level middleware, Fastify hooks) — across files
//    (routeCollector.ts reads one module's registrations, routeGraph.ts composes them).
// The graph is built from the files that can register routes (a text test first).
// Each file's registrations are cached per parsed text, the composed graph while no
// file it read changes, and an edit inside one handler (typing, or a fix being
// verified) reuses the last graph with positions shifted (routeGraphEdits.ts).
// What a file's routes were read from goes to its dependencies (the graph as one
// shared fact, see `routeGraphChangedBy`; middleware and helpers resolved for it by
// path), so the Workspace re-analyzes it when one of those changes. Here: a file's
// routes with each handler's auth facts, kept per handler across edits elsewhere.
import { ts } from '../ts';
import type { ParsedFile, ProjectView } from '../types';
import type { RouteHandler } from './appModel';
import { AuthFacts, type MiddlewareFacts } from './auth';
import type { DependencyRecorder } from './dependencies';
import { packageName } from './imports';
import { AcrossEdits, contextToken } from './editContext';
import { keepingFactsAcrossEdits } from './editCaching';
import { type ImportedName, Module, type ModuleSource, ProjectModules, Resolver, withOverride } from './modules';
import { ROUTE_REGISTRATION_HINT, SERVER_FRAMEWORK_PACKAGES } from './routeModels';
import type { Scopes } from './scopes';
import { type Dependencies, ObservedResolver, trackingSource } from './routeSources';
import { type ComposedRoute, candidateModules, composeGraph, projectGraph } from './routeGraph';
import { handlerNode, recentRoutes } from './routeGraphEdits';
import { nextRoutes } from './nextRoutes';

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
export class AnalyzedModule extends Module {
  override get imports(): ReadonlyMap<string, ImportedName> {
    if (!keepingFactsAcrossEdits()) return super.imports;
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

function usesServerFramework(project: ProjectView, module: Module): boolean {
  for (const pkg of SERVER_FRAMEWORK_PACKAGES) if (project.dependencies.has(pkg)) return true;
  for (const imported of module.imports.values()) if (SERVER_FRAMEWORK_PACKAGES.has(packageName(imported.specifier))) return true;
  return false;
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

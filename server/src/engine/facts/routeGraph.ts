// The project's Express / Fastify / Hono route graph: the modules that may register
// routes, each one's registrations (routeCollector.ts) collected once per parsed text
// and kept while the modules read on the way stay the same, middleware classified the
// same way, and every route's full path and middleware chain composed across mounts.
// So re-analyzing an edited file (or a fix being verified) re-collects that file only.
import { ts } from '../ts';
import type { ProjectView } from '../types';
import type { HttpMethod } from './appModel';
import { AuthFacts, type MiddlewareFacts } from './auth';
import { AcrossEdits } from './editContext';
import { keepingFactsAcrossEdits } from './editCaching';
import { Module, type ModuleSource, ProjectModules, Resolver } from './modules';
import { MAX_ROUTE_GRAPH_FILES, ROUTE_REGISTRATION_HINT, type ServerFramework } from './routeModels';
import { type Dependencies, type DependsOnModules, ObservedResolver, isCurrent, trackingSource } from './routeSources';
import { type Item, type Layer, ModuleCollector, type ResolvedHandler, type RouterInfo, type TextSpan } from './routeCollector';

/** What one module registers. */
/** `deps`: modules read while collecting; the collection is stale once one of them changes. */
interface ModuleRoutes extends DependsOnModules {
  routers: Map<ts.Node, RouterInfo>;
  layers: { router: RouterInfo; layer: Layer }[];
}

/** Where a handler function is: plain positions, so a graph outlives the trees it was read from. */
export interface HandlerSpan {
  path: string;
  /** `getStart()` and `end` of the function. */
  start: number;
  end: number;
  /** Its block body, if it has one. */
  body?: { start: number; end: number };
}

/** A route as the graph keeps it: data only (no modules; a syntax node only past an edit, see `node`). */
export interface ComposedRoute {
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

export interface RouteGraph extends DependsOnModules {
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

export const graphCaches = new WeakMap<ProjectModules, GraphCache>();

/** Up to two collections per module: one per context a fix verification alternates between. */
const moduleRoutesCache = new WeakMap<Module, ModuleRoutes[]>();

const middlewareKept = new AcrossEdits<ts.Expression, DependsOnModules & { facts: MiddlewareFacts }>();

/**
 * The project's graph, recomposed when a file it read has changed. `current` (with
 * `source`, the view where it stands for its own path) is the file being analyzed:
 * its tree is already parsed, so an edit recomposes without parsing it again.
 */
export function projectGraph(modules: ProjectModules, path: string, isCandidate: boolean, current?: { module: Module; source: ModuleSource }): RouteGraph {
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
export const recentGraphs = new Map<string, RouteGraph[]>();

const RECENT_GRAPHS = 4;

export function rememberGraph(root: string, graph: RouteGraph): void {
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

/** Whether no route of the project, as it is now, reaches `path` (a file that is no route candidate itself). */
export function isAbsentFromRouteGraph(project: ProjectView, path: string): boolean {
  const text = project.readFile(path);
  if (text === undefined || ROUTE_REGISTRATION_HINT.test(text)) return false;
  return !projectGraph(ProjectModules.of(project), path, false).deps.has(path);
}

export function candidateModules(modules: ProjectModules, current: Module): Module[] {
  const candidates = currentCandidates(modules, graphCache(modules));
  return [...candidates].filter((path) => path !== current.path).flatMap((path) => modules.module(path) ?? []);
}

export function graphCache(modules: ProjectModules): GraphCache {
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
export function currentCandidates(modules: ProjectModules, cache: GraphCache): Set<string> {
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

export function isCandidatePath(path: string): boolean {
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
    if (!entry || entry.text !== text) {
      entry = { text, candidate: ROUTE_REGISTRATION_HINT.test(text) };
      // A scan looks once; remembering would hold every file's text to its end.
      if (keepingFactsAcrossEdits()) known.set(path, entry);
    }
    if (entry.candidate) candidates.add(path);
  }
  return candidates;
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
export function composeGraph(source: ModuleSource, roots: readonly Module[], candidates: ReadonlySet<string> = new Set()): RouteGraph {
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
  // A router's middleware is in the chain of each of its routes: classified once here (kept across edits or not).
  const classifiedItems = new Map<ts.Expression, DependsOnModules & { facts: MiddlewareFacts }>();
  const classify = (item: Item): DependsOnModules & { facts: MiddlewareFacts } => {
    let classified = classifiedItems.get(item.expr);
    if (!classified) classifiedItems.set(item.expr, (classified = classifyMiddleware(item, source)));
    return classified;
  };
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
          const classified = classify(item);
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

// The route graph past an edit: an edit confined to one handler's body, or to a route's
// path literal, keeps every route of the last graph (positions shifted past the edit,
// one route renamed), so typing needs no new graph; and which edits of a file can
// change any route at all (`routeGraphChangedBy`, for the Workspace's dependents).
import { ts } from '../ts';
import type { ProjectView } from '../types';
import { Module, type ModuleSource, ProjectModules, findNodeAt } from './modules';
import { ROUTE_REGISTRATION_HINT } from './routeModels';
import { type TextChange, changedSpan, commonPrefixLength } from '../files/text';
import { isCurrent, isFunctionLikeDeclaration } from './routeSources';
import type { TextSpan } from './routeCollector';
import {
  type ComposedRoute,
  type HandlerSpan,
  type RouteGraph,
  currentCandidates,
  graphCache,
  graphCaches,
  isCandidatePath,
  joinPaths,
  recentGraphs,
  rememberGraph,
} from './routeGraph';

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

/**
 * The current file's routes from a recent graph, as it is or derived past an edit
 * inside one handler; a derived graph is remembered for the next edit.
 */
export function recentRoutes(modules: ProjectModules, source: ModuleSource, current: Module): ComposedRoute[] | undefined {
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
export function handlerNode(route: ComposedRoute, sourceFile: ts.SourceFile): ts.FunctionLikeDeclaration | undefined {
  const kept = route.node;
  if (kept && kept.end === route.handler.end && isInTree(kept, sourceFile)) return kept;
  return findNodeAt(sourceFile, route.handler.start, route.handler.end, isFunctionLikeDeclaration);
}

/** Whether `node` hangs from `root`: a node an edit replaced still hangs from the old tree. */
function isInTree(node: ts.Node, root: ts.SourceFile): boolean {
  return node.getSourceFile() === root;
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

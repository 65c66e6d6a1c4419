// What route facts read of other modules, for knowing when they are stale: module
// sources that report each file read (with its text), the check that those texts are
// still current, a resolver that reports what it resolved to, and the handler function
// behind a route's wrappers (`withAuth(async (req) => …)`), which every framework shares.
import { ts } from '../ts';
import { Module, type ModuleSource, ProjectModules, Resolver, type Target } from './modules';
import { unwrap } from './scopes';

/** A resolver that reports every target it resolves an expression to. */
export class ObservedResolver extends Resolver {
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

export function isFunctionLikeDeclaration(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

/** A handler expression, through wrappers: `withAuth(async (req) => …)`, `asyncHandler(fn)`. */
export function unwrapHandler(module: Module, expr: ts.Expression | ts.FunctionDeclaration, resolver: Resolver): { fn: ts.FunctionLikeDeclaration; module: Module; wrappers: ts.Expression[] } | undefined {
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

/** Workspace path -> the text it had when read (undefined: no such file). */
export type Dependencies = Map<string, string | undefined>;

/** Something computed from other modules, with the texts of those it read. */
export interface DependsOnModules {
  deps: ReadonlyMap<string, string | undefined>;
  /** The project revision at which `deps` were last found current. */
  checkedAt?: number;
}

/**
 * Whether every file `checked` read still has the text it read. While the project's
 * text revision is the one of the last check nothing can have changed, so a scan
 * that asks once per file does not re-read every dependency each time.
 */
export function isCurrent(checked: DependsOnModules, source: ModuleSource): boolean {
  // Only the project's own view: an override (a file's unsaved or proposed text) differs from it.
  const revision = source instanceof ProjectModules ? source.project.revision : undefined;
  if (revision !== undefined && checked.checkedAt === revision) return true;
  for (const [path, text] of checked.deps) if (source.text(path) !== text) return false;
  checked.checkedAt = revision;
  return true;
}

/**
 * A module source that tells `onRead` of every module asked of it, with the text it
 * has, and of the files an unresolved import would have named (as absent): creating
 * one of them changes what was concluded from its absence.
 */
export function trackingSource(base: ModuleSource, onRead: (path: string, text: string | undefined) => void): ModuleSource {
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
